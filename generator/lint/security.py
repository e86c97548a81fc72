"""Rules about security: schemes nobody uses, and operations left without credentials."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Severity
from ..ir import Operation, SecurityRequirement
from .context import LintContext
from .rule import Finding, Rule


def _used_schemes(ctx: LintContext) -> set[str]:
    used: set[str] = set()
    for requirements in [ctx.api.security, *(op.security or () for op in ctx.api.operations)]:
        for requirement in requirements:
            used.update(requirement)
    return used


def check_unused_scheme(ctx: LintContext) -> Iterator[Finding]:
    at = ctx.api.origin.child("components", "securitySchemes")
    schemes = ctx.node(at)
    if not isinstance(schemes, dict):
        return
    used = _used_schemes(ctx)
    for name in schemes:
        if str(name) not in used:
            yield Finding(
                message=f"security scheme {name!r} is declared but no operation uses it: the "
                "client ignores it",
                origin=at.child(str(name)),
            )


def _secured(requirements: tuple[SecurityRequirement, ...]) -> bool:
    return any(requirements) and all(requirements)


def _effective(ctx: LintContext, op: Operation) -> tuple[SecurityRequirement, ...]:
    return op.security if op.security is not None else ctx.api.security


def check_inconsistent(ctx: LintContext) -> Iterator[Finding]:
    operations = ctx.api.operations
    secured = [op for op in operations if _secured(_effective(ctx, op))]
    if not secured or 2 * len(secured) < len(operations):
        return
    for op in operations:
        if op.security is None and not _secured(_effective(ctx, op)):
            yield Finding(
                message=f"`{op.method} {op.path}` has no security requirement while "
                f"{len(secured)} of {len(operations)} operations have one: the client sends it "
                "without credentials (declare `security`, or `security: []` if it is public)",
                origin=op.origin,
            )


RULES = (
    Rule(
        id="security-scheme-unused",
        severity=Severity.WARNING,
        summary="a security scheme that is declared but required nowhere",
        explanation=(
            "The client's credential arguments come from the security schemes that the global "
            "`security` or an operation's `security` requires. A scheme in "
            "`components/securitySchemes` that nothing requires is never applied: either a "
            "`security` entry is missing (and those requests go out without credentials) or the "
            "scheme is stale and should be removed."
        ),
        check=check_unused_scheme,
    ),
    Rule(
        id="security-inconsistent",
        severity=Severity.WARNING,
        summary="an operation left without credentials while other operations require them",
        explanation=(
            "An operation without its own `security` inherits the global one. When the API has "
            "no global `security` (or only an empty alternative) but at least half of the "
            "operations declare theirs, an operation that declares nothing is sent without credentials, which is "
            "usually an omission rather than a public endpoint. Declare its requirement, move the "
            "common requirement to the global `security`, or say `security: []` explicitly for a "
            "public operation (explicit overrides are never reported)."
        ),
        check=check_inconsistent,
    ),
)
