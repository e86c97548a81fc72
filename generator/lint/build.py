"""What the build itself found, reported as lint findings.

`oagen lint` builds the IR exactly as `oagen generate` does. The build's errors (the spec cannot
be generated from) and warnings (what the client approximates or leaves out) are findings too;
those that a dedicated lint rule re-checks with a better message are left to it.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Severity
from .context import LintContext
from .rule import Finding, Rule

COVERED = frozenset(
    {
        "duplicate-operation-id",  # operation-id-duplicate
        "invalid-default",  # default-invalid, default-type-mismatch
        "invalid-example",  # example-invalid
        "invalid-pattern",  # pattern-invalid
        "invalid-server",  # server-variable-unresolved
        "no-servers",  # servers-missing
        "lro-no-pending",  # lro-unfollowable
    }
)


def _build(ctx: LintContext, severity: Severity) -> Iterator[Finding]:
    for d in ctx.build:
        if d.severity is severity and d.code not in COVERED:
            yield Finding(message=f"{d.message} ({d.code})", origin=d.origin)


def check_errors(ctx: LintContext) -> Iterator[Finding]:
    return _build(ctx, Severity.ERROR)


def check_warnings(ctx: LintContext) -> Iterator[Finding]:
    return _build(ctx, Severity.WARNING)


RULES = (
    Rule(
        id="spec-invalid",
        severity=Severity.ERROR,
        summary="a problem that stops `oagen generate` (unresolvable `$ref`, undeclared path variable, …)",
        explanation=(
            "The lint builds the same IR as `oagen generate`; every error that build reports "
            "(an unresolvable or cyclic `$ref`, a path variable without a path parameter, an "
            "optional path parameter, an unknown security scheme, an invalid status code, …) "
            "means no client can be generated until it is fixed. The build's own code is shown "
            "at the end of the message. Problems that a dedicated rule explains better are "
            "reported by that rule instead."
        ),
        check=check_errors,
    ),
    Rule(
        id="generator-approximation",
        severity=Severity.INFO,
        summary="something the generated client approximates or leaves out (webhooks, callbacks, OAuth2 flows, …)",
        explanation=(
            "Some parts of a spec are documented but not generated, or generated approximately: "
            "webhooks and callbacks get no receiver code, OAuth2 flows other than client "
            "credentials and OpenID Connect take a ready access token, unsupported security "
            "schemes are skipped, an operation without responses returns nothing. The generated "
            "README lists these too; the lint shows them where they are, with the build's code."
        ),
        check=check_warnings,
    ),
)
