"""Credentials: where they come from, which set an operation uses, and how they are sent.

Each credential argument is taken from the client's keyword arguments, else from the
environment variable ``<PACKAGE>_<ARG>`` (upper case), read once at construction. An operation's
``security`` (``None``: the API default; ``()``: no auth) lists alternatives; the first whose
schemes all have their credentials is used. Nothing is checked at construction: an operation
that needs credentials that are missing raises ``MissingCredentialsError`` naming the arguments
and environment variables to set, before anything is sent.

Secrets are held in objects whose ``repr`` shows names only. OAuth2 client-credentials tokens
are fetched from ``token_url``, cached until shortly before they expire and refreshed; one fetch
is shared by concurrent callers (the client holds the lock: threading or asyncio).
"""

from __future__ import annotations

import base64
import os
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import httpx

from .errors import ApiError, MissingCredentialsError, error_for_status
from .spec import Api, ApiKey, HttpBasic, HttpBearer, OAuth2ClientCredentials, SecurityScheme

if TYPE_CHECKING:
    import asyncio

__all__ = [
    "Authenticator",
    "Credential",
    "OAuth2Session",
    "Selection",
    "apply_credentials",
    "basic_header",
]

EXPIRY_MARGIN = 30.0


def basic_header(username: str, password: str) -> str:
    """The ``Authorization`` value for HTTP Basic."""
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


class OAuth2Session:
    """Client id/secret of one OAuth2 scheme and its cached token."""

    def __init__(self, scheme: OAuth2ClientCredentials, client_id: str, secret: str) -> None:
        self.scheme = scheme
        self._client_id = client_id
        self._secret = secret
        self._token: str | None = None
        self._expires_at = 0.0
        self.lock = threading.Lock()
        self._async_lock: asyncio.Lock | None = None

    def __repr__(self) -> str:
        return f"OAuth2Session({self.scheme.name!r})"

    @property
    def async_lock(self) -> asyncio.Lock:
        if self._async_lock is None:
            import asyncio  # here: only async clients need it (0.02 s to import)

            self._async_lock = asyncio.Lock()
        return self._async_lock

    def cached(self, stale: str | None = None) -> str | None:
        """The cached token if still valid and not the ``stale`` one a server rejected."""
        if self._token is None or self._token == stale or time.monotonic() >= self._expires_at:
            return None
        return self._token

    def forget(self) -> None:
        """Drop the cached token (the server rejected it)."""
        self._token = None

    def token_request(self, http: httpx.Client | httpx.AsyncClient, base_url: str) -> httpx.Request:
        """The client-credentials grant request (client authenticated with HTTP Basic)."""
        data = {"grant_type": "client_credentials"}
        if self.scheme.scopes:
            data["scope"] = " ".join(self.scheme.scopes)
        url = httpx.URL(base_url + "/").join(self.scheme.token_url)
        headers = {
            "Authorization": basic_header(self._client_id, self._secret),
            "Accept": "application/json",
        }
        return http.build_request("POST", url, data=data, headers=headers)

    def store(self, response: httpx.Response) -> str:
        """Cache the token from a token-endpoint answer; raise ``ApiError`` if there is none."""
        url = f"{response.request.url.scheme}://{response.request.url.host}"
        try:
            payload = response.json() if response.is_success else None
        except ValueError:
            payload = None
        token = payload.get("access_token") if isinstance(payload, dict) else None
        if not isinstance(token, str) or not token:
            if not response.is_success:
                raise error_for_status(
                    response.status_code, method="POST", url=url, headers=response.headers
                )
            raise ApiError("the OAuth2 token endpoint returned no access_token", url=url)
        lifetime = payload.get("expires_in") if isinstance(payload, dict) else None
        seconds = float(lifetime) if isinstance(lifetime, int | float) else 3600.0
        self._token = token
        self._expires_at = time.monotonic() + max(seconds - min(EXPIRY_MARGIN, seconds / 2), 0.0)
        return token


@dataclass(frozen=True, slots=True)
class Credential:
    """One credential to send: a header, query parameter or cookie, or an OAuth2 token."""

    kind: Literal["header", "query", "cookie", "oauth2"]
    wire: str
    value: str = field(repr=False)
    session: OAuth2Session | None = None


Selection = tuple[Credential, ...]


class Authenticator:
    """Resolves and selects the credentials of one client."""

    def __init__(self, api: Api, credentials: Mapping[str, str | None]) -> None:
        self._api = api
        self._prefix = api.package.upper()
        self._values: dict[str, str] = {}
        for arg in {*credentials, *(a for s in api.schemes for a in _args(s))}:
            given = credentials.get(arg)
            value = given if given else os.environ.get(self.env_name(arg))
            if value:
                self._values[arg] = value
        self._schemes = {scheme.name: scheme for scheme in api.schemes}
        self._selected: dict[tuple[tuple[str, ...], ...], Selection] = {}
        self._sessions: dict[str, OAuth2Session] = {}
        self.secret_names = frozenset(
            s.wire.lower() for s in api.schemes if isinstance(s, ApiKey) and s.location != "query"
        ) | {"authorization", "proxy-authorization", "cookie"}
        self.secret_query = frozenset(
            s.wire.lower() for s in api.schemes if isinstance(s, ApiKey) and s.location == "query"
        )

    def __repr__(self) -> str:
        return f"Authenticator(configured={sorted(self._values)})"

    def env_name(self, arg: str) -> str:
        return f"{self._prefix}_{arg.upper()}"

    def select(self, security: tuple[tuple[str, ...], ...] | None, operation: str) -> Selection:
        """The credentials for an operation; raise ``MissingCredentialsError`` if none is
        complete."""
        chosen = self._api.security if security is None else security
        found = self._selected.get(chosen)
        if found is None:
            found = self._selected[chosen] = self._choose(chosen, operation)
        return found

    def _choose(self, security: tuple[tuple[str, ...], ...], operation: str) -> Selection:
        if not security:
            return ()
        for alternative in security:
            schemes = [self._schemes.get(name) for name in alternative]
            if all(s is not None and self._complete(s) for s in schemes):
                return tuple(self._credential(s) for s in schemes if s is not None)
        raise MissingCredentialsError(self._missing_message(security, operation))

    def _complete(self, scheme: SecurityScheme) -> bool:
        return all(arg in self._values for arg in _args(scheme))

    def _credential(self, scheme: SecurityScheme) -> Credential:
        v = self._values
        match scheme:
            case HttpBasic():
                value = basic_header(v[scheme.username], v[scheme.password])
                return Credential("header", "Authorization", value)
            case HttpBearer():
                return Credential("header", "Authorization", f"Bearer {v[scheme.token]}")
            case ApiKey():
                return Credential(scheme.location, scheme.wire, v[scheme.arg])
            case OAuth2ClientCredentials():
                session = self._sessions.get(scheme.name)
                if session is None:
                    session = OAuth2Session(scheme, v[scheme.client_id], v[scheme.client_secret])
                    self._sessions[scheme.name] = session
                return Credential("oauth2", "Authorization", "", session)

    def _missing_message(self, security: tuple[tuple[str, ...], ...], operation: str) -> str:
        """Which arguments (or environment variables) would satisfy each alternative."""
        options = []
        for alternative in security:
            schemes = [self._schemes[name] for name in alternative if name in self._schemes]
            args = [arg for scheme in schemes for arg in _args(scheme)]
            if args:
                names = " and ".join(f"{a}=" for a in args)
                env = " and ".join(self.env_name(a) for a in args)
                options.append(f"pass {names} to the client (or set {env})")
        return f"{operation!r} needs credentials: " + "; or ".join(options)


def _args(scheme: SecurityScheme) -> tuple[str, ...]:
    match scheme:
        case HttpBasic():
            return (scheme.username, scheme.password)
        case HttpBearer():
            return (scheme.token,)
        case ApiKey():
            return (scheme.arg,)
        case OAuth2ClientCredentials():
            return (scheme.client_id, scheme.client_secret)


def apply_credentials(
    selection: Selection,
    headers: dict[str, str],
    query: list[tuple[str, str]],
    cookies: list[tuple[str, str]],
    tokens: Mapping[str, str],
) -> None:
    """Add ``selection`` to the request parts; ``tokens`` maps OAuth2 scheme name → token."""
    for cred in selection:
        if cred.kind == "header":
            headers[cred.wire] = cred.value
        elif cred.kind == "query":
            query.append((cred.wire, cred.value))
        elif cred.kind == "cookie":
            cookies.append((cred.wire, cred.value))
        elif cred.session is not None:
            headers["Authorization"] = f"Bearer {tokens[cred.session.scheme.name]}"
