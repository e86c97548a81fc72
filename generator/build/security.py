"""`components/securitySchemes` → IR security schemes with their credential arguments.

HTTP basic: `x-oagen-basic: {username: ARG, password: ARG}`, else `username`/`password`, or
`<scheme>_username`/`<scheme>_password` when the API has several basic schemes. Bearer: `token`
(`<scheme>_token` when several). apiKey: snake_case of the scheme name. OAuth2 client
credentials: `client_id`, `client_secret`. Other OAuth2 flows and OpenID Connect take a ready
bearer token (an approximation, reported). Argument names are unique across schemes.
"""

from __future__ import annotations

from typing import Any

from .. import naming
from ..ir import Credential, SecurityKind, SecurityScheme
from .context import At, BuildContext


def build_schemes(ctx: BuildContext, package: str) -> list[SecurityScheme]:
    components = ctx.root.get("components")
    entries = []
    for name, raw in components.items("securitySchemes") if components else []:
        at = ctx.deref(raw)
        if at is not None and isinstance(at.value, dict):
            entries.append((name, at))
    basics = sum(1 for _, at in entries if _kind(at) == "basic")
    scope = naming.Scope({"base_url", "timeout", "max_retries", "http_client", "headers", "validate", "strict_responses", "self"})
    schemes: list[SecurityScheme] = []
    for name, at in entries:
        scheme = _scheme(ctx, name, at, package, scope, several_basic=basics > 1)
        if scheme is not None:
            schemes.append(scheme)
    return schemes


def _kind(at: At) -> str:
    kind = at.str("type")
    if kind == "http":
        return "basic" if (at.str("scheme") or "").lower() == "basic" else "bearer"
    return kind or ""


def _credential(scope: naming.Scope, package: str, preferred: str, description: str) -> Credential:
    arg = scope.claim(naming.identifier(preferred))
    return Credential(arg=arg, env=naming.env_var(package, arg), description=description)


def _scheme(
    ctx: BuildContext,
    name: str,
    at: At,
    package: str,
    scope: naming.Scope,
    *,
    several_basic: bool,
) -> SecurityScheme | None:
    kind = _kind(at)
    prefix = f"{naming.snake(name)}_"
    description = at.str("description")
    common: dict[str, Any] = {"name": name, "origin": at.origin, "description": description}
    if kind == "basic":
        names = at.value.get("x-oagen-basic")
        user = names.get("username") if isinstance(names, dict) else None
        password = names.get("password") if isinstance(names, dict) else None
        user = user or (prefix + "username" if several_basic else "username")
        password = password or (prefix + "password" if several_basic else "password")
        return SecurityScheme(
            kind=SecurityKind.BASIC,
            credentials=(
                _credential(scope, package, str(user), f"HTTP Basic username ({name})"),
                _credential(scope, package, str(password), f"HTTP Basic password ({name})"),
            ),
            **common,
        )
    if kind == "apiKey":
        location = at.str("in")
        if location not in ("header", "query", "cookie") or at.str("name") is None:
            ctx.error("invalid-security-scheme", "apiKey needs `name` and `in` (header, query or cookie)", at)
            return None
        return SecurityScheme(
            kind=SecurityKind.API_KEY,
            credentials=(_credential(scope, package, name, f"API key sent as {location} {at.str('name')}"),),
            location=location,
            wire=at.str("name"),
            **common,
        )
    if kind == "oauth2":
        flows = at.value.get("flows") if isinstance(at.value.get("flows"), dict) else {}
        client = flows.get("clientCredentials") if isinstance(flows, dict) else None
        if isinstance(client, dict) and isinstance(client.get("tokenUrl"), str):
            return SecurityScheme(
                kind=SecurityKind.OAUTH2_CLIENT_CREDENTIALS,
                credentials=(
                    _credential(scope, package, "client_id", f"OAuth2 client id ({name})"),
                    _credential(scope, package, "client_secret", f"OAuth2 client secret ({name})"),
                ),
                token_url=client["tokenUrl"],
                scopes=tuple(sorted(str(s) for s in (client.get("scopes") or {}))),
                **common,
            )
    if kind in ("bearer", "oauth2", "openIdConnect"):
        token = "token" if "token" not in scope else prefix + "token"
        if kind != "bearer":
            ctx.warning(
                "approximated-security",
                f"{kind} scheme {name!r}: the client takes a ready access token (`{token}`)",
                at,
            )
        return SecurityScheme(
            kind=SecurityKind.BEARER,
            credentials=(_credential(scope, package, token, f"Bearer token ({name})"),),
            **common,
        )
    ctx.warning("unsupported-security-scheme", f"security scheme type {kind!r} is not supported", at)
    return None
