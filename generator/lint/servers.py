"""Rules about `servers`: a client needs an absolute default base URL it can resolve."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..diagnostics import Origin, Severity
from .context import LintContext
from .rule import Finding, Rule

_VARIABLE = re.compile(r"\{([^{}]*)\}")
_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def check_missing(ctx: LintContext) -> Iterator[Finding]:
    servers = ctx.node(ctx.api.origin.child("servers"))
    entries = servers if isinstance(servers, list) else []
    urls: list[str] = [
        s["url"] for s in entries if isinstance(s, dict) and isinstance(s.get("url"), str)
    ]
    if not urls:
        yield Finding(
            message="no `servers`: the client has no default base URL and callers must pass base_url=…",
            origin=ctx.api.origin,
        )
    elif not any(_ABSOLUTE.match(u) or u.startswith("{") for u in urls):
        yield Finding(
            message=f"the server URL {urls[0]!r} is relative: the client has no usable default "
            "base URL and callers must pass base_url=…",
            origin=ctx.api.origin.child("servers", 0, "url"),
        )


def _variable_problems(url: str, variables: dict[str, Any], at: Origin) -> Iterator[Finding]:
    for name in _VARIABLE.findall(url):
        if name not in variables:
            yield Finding(
                message=f"server URL variable {{{name}}} is not declared in `variables`",
                origin=at.child("url"),
            )
    for name, var in variables.items():
        where = at.child("variables", str(name))
        default = var.get("default") if isinstance(var, dict) else None
        enum = var.get("enum") if isinstance(var, dict) else None
        if default is None:
            yield Finding(message=f"server variable {name!r} has no default", origin=where)
        elif isinstance(enum, list) and enum and default not in enum:
            yield Finding(
                message=f"server variable {name!r}: the default {default!r} is not in its enum",
                origin=where.child("default"),
            )


def check_unresolvable(ctx: LintContext) -> Iterator[Finding]:
    at = ctx.api.origin.child("servers")
    servers = ctx.node(at)
    for index, server in enumerate(servers if isinstance(servers, list) else []):
        where = at.child(index)
        url = server.get("url") if isinstance(server, dict) else None
        if not isinstance(url, str):
            yield Finding(message="a server needs a `url`", origin=where)
            continue
        variables = server.get("variables")
        yield from _variable_problems(url, variables if isinstance(variables, dict) else {}, where)


RULES = (
    Rule(
        id="servers-missing",
        severity=Severity.WARNING,
        summary="no `servers`, or only relative server URLs: the client has no default base URL",
        explanation=(
            "The generated client's default `base_url` is the first server URL of the spec, "
            "with its variables replaced by their defaults. Without `servers` (or with only a "
            "relative URL such as `/v1`, the default when a Swagger 2.0 spec has no `host`) "
            "every caller must pass `base_url=` and the README cannot show a working example. "
            "Declare the production server's absolute URL."
        ),
        check=check_missing,
    ),
    Rule(
        id="server-variable-unresolved",
        severity=Severity.ERROR,
        summary="a server without a URL, or whose URL variables cannot be resolved to defaults",
        explanation=(
            "Server URL templates (`https://{region}.api.example.com`) are resolved with each "
            "variable's `default`. A `{variable}` that is not declared in `variables`, a variable "
            "without a `default`, or a default outside the variable's `enum` leaves the default "
            "base URL unusable (the client would send requests to a host named `{region}`). "
            "Declare every variable with a default taken from its enum."
        ),
        check=check_unresolvable,
    ),
)
