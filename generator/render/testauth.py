"""Credentials for the generated tests, and what each set of them puts on the wire.

Input: the IR's security schemes and requirements. Output: one `AuthView` per security
alternative (its credential arguments with fake values and the headers, query pairs and cookies
they must produce — HTTP Basic encoded here, OAuth2 tokens from the mock's token endpoint), and,
per operation, which alternatives its success test runs with. Alternatives the client cannot
send are listed with the reason, for a comment in the test file.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field

from ..ir import Api, Operation, SecurityKind, SecurityRequirement, SecurityScheme

ACCESS_TOKEN = "test-access-token"


@dataclass(frozen=True, slots=True)
class AuthView:
    key: str
    """The alternative's scheme names joined with `+` (`anonymous` for none)."""
    credentials: tuple[tuple[str, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    query: tuple[tuple[str, str], ...] = ()
    cookies: tuple[tuple[str, str], ...] = ()
    token_urls: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class OperationAuth:
    keys: tuple[str, ...]
    """The alternatives the success test runs with (keys of `AuthViews.views`)."""
    notes: tuple[str, ...] = ()


@dataclass
class AuthViews:
    views: dict[str, AuthView] = field(default_factory=dict)
    secret_headers: tuple[str, ...] = ()
    secret_query: tuple[str, ...] = ()
    default: OperationAuth = field(default_factory=lambda: OperationAuth(keys=("anonymous",)))


def credential_value(arg: str) -> str:
    return "test-" + re.sub(r"[^A-Za-z0-9]+", "-", arg).strip("-")


def key_of(requirement: SecurityRequirement) -> str:
    return "+".join(requirement) if requirement else "anonymous"


class AuthPlanner:
    def __init__(self, api: Api) -> None:
        self.api = api
        self.schemes = {s.name: s for s in api.schemes}
        self.views = AuthViews()
        self.views.views["anonymous"] = AuthView(key="anonymous")
        self._secrets()
        self.views.default = self.operation_auth(None)

    def _secrets(self) -> None:
        found: dict[str, set[str]] = {"header": set(), "query": set(), "cookie": set()}
        if self.schemes:
            found["header"].add("Authorization")
        for scheme in self.api.schemes:
            if scheme.kind is SecurityKind.API_KEY and scheme.wire:
                found.get(scheme.location or "header", found["header"]).add(scheme.wire)
        headers = {name.lower(): name for name in sorted(found["header"], reverse=True)}.values()
        self.views.secret_headers = tuple(sorted(headers))
        self.views.secret_query = tuple(sorted(found["query"]))

    def operation_auth(self, security: tuple[SecurityRequirement, ...] | None) -> OperationAuth:
        alternatives = self.api.security if security is None else security
        if not alternatives:
            return OperationAuth(keys=("anonymous",))
        keys: list[str] = []
        notes: list[str] = []
        for requirement in alternatives:
            missing = [name for name in requirement if name not in self.schemes]
            if missing:
                notes.append(
                    f"security alternative {key_of(requirement)!r}: the client cannot send "
                    f"scheme(s) {', '.join(missing)}"
                )
                continue
            chosen = _selected(alternatives, set(requirement), self.schemes)
            if chosen != requirement:
                notes.append(
                    f"security alternative {key_of(requirement)!r} on its own: its credentials "
                    f"also complete {key_of(chosen or ())!r}, which the client uses first"
                )
                continue
            keys.append(self._view(requirement).key)
        if not keys:
            notes.append("success tests: no security alternative the client can send")
        return OperationAuth(keys=tuple(keys), notes=tuple(notes))

    def for_operation(self, op: Operation) -> OperationAuth:
        return self.views.default if op.security is None else self.operation_auth(op.security)

    def _view(self, requirement: SecurityRequirement) -> AuthView:
        key = key_of(requirement)
        if key not in self.views.views:
            self.views.views[key] = _auth_view(key, [self.schemes[n] for n in requirement])
        return self.views.views[key]

    def all_credentials(self) -> tuple[tuple[str, str], ...]:
        return tuple(
            (c.arg, credential_value(c.arg)) for s in self.api.schemes for c in s.credentials
        )


def _selected(
    alternatives: tuple[SecurityRequirement, ...],
    given: set[str],
    schemes: dict[str, SecurityScheme],
) -> SecurityRequirement | None:
    """The alternative the client picks when it has the credentials of the schemes `given`."""
    for requirement in alternatives:
        if all(name in given and name in schemes for name in requirement):
            return requirement
    return None


def _auth_view(key: str, schemes: list[SecurityScheme]) -> AuthView:
    credentials: list[tuple[str, str]] = []
    headers: dict[str, str] = {}
    query: list[tuple[str, str]] = []
    cookies: list[tuple[str, str]] = []
    token_urls: list[str] = []
    for scheme in schemes:
        values = [credential_value(c.arg) for c in scheme.credentials]
        credentials.extend(zip((c.arg for c in scheme.credentials), values, strict=True))
        match scheme.kind:
            case SecurityKind.BASIC:
                pair = base64.b64encode(f"{values[0]}:{values[1]}".encode()).decode()
                headers["Authorization"] = f"Basic {pair}"
            case SecurityKind.BEARER:
                headers["Authorization"] = f"Bearer {values[0]}"
            case SecurityKind.API_KEY:
                wire = scheme.wire or ""
                if scheme.location == "query":
                    query.append((wire, values[0]))
                elif scheme.location == "cookie":
                    cookies.append((wire, values[0]))
                else:
                    headers[wire] = values[0]
            case SecurityKind.OAUTH2_CLIENT_CREDENTIALS:
                headers["Authorization"] = f"Bearer {ACCESS_TOKEN}"
                token_urls.append(scheme.token_url or "")
    return AuthView(
        key=key,
        credentials=tuple(credentials),
        headers=tuple(headers.items()),
        query=tuple(query),
        cookies=tuple(cookies),
        token_urls=tuple(token_urls),
    )
