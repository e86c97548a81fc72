"""The I/O-free heart of the clients: one request's life as a generator of actions.

A *flow* is a generator that yields ``Send`` (an ``httpx.Request``), ``Sleep`` (seconds) and
``Token`` (an OAuth2 token is needed) actions and receives their results; the sync and async
clients in ``client.py`` only drive flows. So retries, redirects, credentials, logging and
parsing are written once and behave identically in both.

Redirects are followed here (httpx is always asked not to follow them): 301/302/303 turn into
a GET without body (except HEAD), 307/308 repeat the request. **Credentials go to the base_url
origin only**: a hop to another origin (scheme, host and port) is followed *without any
credential* — no ``Authorization``, no apiKey header/query/cookie, no ``Cookie`` at all, and the
user-supplied ``http_client``'s own auth is suppressed for it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Generator, Mapping
from dataclasses import dataclass, replace
from typing import Any, TypeAlias, TypeVar
from urllib.parse import quote

import httpx

from .auth import Authenticator, OAuth2Session, Selection, apply_credentials
from .errors import ApiConnectionError, ApiError, ApiTimeoutError, redact_url
from .request import Prepared, prepare
from .response import build_error, parse_success
from .retry import backoff, retry_after, retryable_error, retryable_status
from .spec import Api, Operation

__all__ = ["Action", "ClientCore", "Flow", "Send", "Sleep", "Token"]

T = TypeVar("T")
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 20


@dataclass(frozen=True, slots=True)
class Send:
    """Send ``request``; ``trusted`` is false for a hop off the base_url origin."""

    request: httpx.Request
    trusted: bool


@dataclass(frozen=True, slots=True)
class Sleep:
    """Wait ``seconds`` (the client's injectable ``sleep``)."""

    seconds: float


@dataclass(frozen=True, slots=True)
class Token:
    """Return a valid OAuth2 access token for ``session`` (fetching one if needed)."""

    session: OAuth2Session


Action: TypeAlias = Send | Sleep | Token
Flow: TypeAlias = Generator[Action, Any, T]


def origin(url: str | httpx.URL) -> tuple[str, str, int | None]:
    """(scheme, host, port) with the default port normalised away."""
    parsed = httpx.URL(url)
    return parsed.scheme, parsed.host, parsed.port


class RequestBuilder:
    """``http.build_request(method, url, headers=headers, content=content)``, the same request
    made faster for the plain httpx clients.

    httpx's ``build_request`` merges the client's default headers with the request's anew on
    every call — a third of what building a request costs. For a client of httpx's own classes
    (not a subclass, nor one whose ``build_request`` was replaced, which may build requests
    their own way) without cookies or query parameters to merge, and a URL with a scheme and a
    host (anything else is joined to the client's ``base_url``), the merged headers are kept
    per (client headers, request headers) and the ``httpx.Request`` is made as
    ``build_request`` makes it; anything else goes to ``build_request`` itself. The cache
    keeps the ``LIMIT`` most recently used header sets: headers that change per call (an
    idempotency key, a header parameter) pass through it without pushing out the ones in use.
    Entries are stored complete (a header httpx cannot encode raises before anything is
    stored), so threads sharing the client never see a half-merged one.
    """

    LIMIT = 64

    def __init__(self) -> None:
        self._merged: dict[tuple[Any, ...], httpx.Headers] = {}
        self._origins: dict[str, Any] = {}

    def build(
        self,
        http: httpx.Client | httpx.AsyncClient,
        method: str,
        url: str,
        headers: dict[str, str],
        content: bytes | None,
    ) -> httpx.Request:
        if not _plain(http, url) or http.cookies or http.params:
            return http.build_request(method, url, headers=headers, content=content)
        key = (tuple(http.headers.raw), *headers.items())
        merged = self._merged.pop(key, None)  # taken out and put back: the newest
        if merged is None:
            merged = httpx.Headers(http.headers)
            merged.update(headers)
            if len(self._merged) >= self.LIMIT:
                self._forget_oldest()
        self._merged[key] = merged
        timeout = {"timeout": http.timeout.as_dict()}
        target = self._url(url) or url
        return httpx.Request(method, target, headers=merged, content=content, extensions=timeout)

    def _url(self, url: str) -> httpx.URL | None:
        """``httpx.URL(url)`` without parsing it, for a URL that parsing would not change.

        httpx checks and normalises every character of a URL it parses — about a tenth of a
        call. A URL of the shape our requests have (``https://host[:port]/path[?query]``, a
        plain host name, only characters that stay as they are, no ``.`` or ``..`` segment to
        drop) parses to its origin's parts with this path and query: the origin is parsed by
        httpx once and kept (the ``LIMIT`` most recent), and the URL is made from the parts.
        ``None`` (parse it) for any other URL, or an httpx whose URLs are made differently.
        """
        if _URL_PARTS is None or len(url) > _LONGEST_URL:
            return None
        shape = _PLAIN_URL.fullmatch(url)
        if shape is None or "/." in shape[2] or ("%" in url and _BAD_ESCAPE.search(url)):
            return None
        prefix = shape[1]
        parts = self._origins.get(prefix)
        if parts is None:
            parts = httpx.URL(prefix)._uri_reference
            if len(self._origins) >= self.LIMIT:
                self._origins.clear()
            self._origins[prefix] = parts
        made = httpx.URL.__new__(httpx.URL)
        made._uri_reference = _URL_PARTS(*parts[:4], shape[2], shape[3], None)
        return made

    def _forget_oldest(self) -> None:
        """Drop the least recently used entry (another thread may be changing the dict)."""
        try:
            oldest = next(iter(self._merged))
        except (StopIteration, RuntimeError):
            return
        self._merged.pop(oldest, None)


def _url_parts() -> Any:
    """The type of httpx's parsed URL (a named tuple), if it is the one ``_url`` knows."""
    parts = getattr(httpx.URL("https://example.com/"), "_uri_reference", None)
    fields = ("scheme", "userinfo", "host", "port", "path", "query", "fragment")
    return type(parts) if getattr(parts, "_fields", None) == fields else None


_URL_PARTS = _url_parts()
_LONGEST_URL = 8000
"""Longer URLs are parsed (httpx refuses URLs over 65536 characters)."""
_PLAIN_URL = re.compile(
    r"(https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?)"
    r"(/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*)"
    r"(?:\?([A-Za-z0-9._~!$&'()*+,;=:@%/?-]*))?"
)
"""``scheme://host[:port]``, a path and maybe a query, in characters httpx leaves as they are
(a ``%`` only as the start of an escape: ``_BAD_ESCAPE``). Character classes, not a choice per
character: matching a path costs ~0.5 µs instead of ~4 µs."""
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


_PLAIN_CLIENTS = (httpx.Client, httpx.AsyncClient)
_BUILD_REQUEST = httpx.Client.build_request
_ABSOLUTE = re.compile(r"https?://[^/?#:@]")
"""A scheme and a host: httpx joins a URL without a host (``http:///x``) to its base_url."""


def _plain(http: httpx.Client | httpx.AsyncClient, url: str) -> bool:
    cls = type(http)
    return (
        cls in _PLAIN_CLIENTS
        and cls.build_request is _BUILD_REQUEST
        and "build_request" not in vars(http)
        and _ABSOLUTE.match(url) is not None
    )


class ClientCore:
    """Configuration and flows shared by ``SyncBaseClient`` and ``AsyncBaseClient``."""

    @property
    def _http(self) -> httpx.Client | httpx.AsyncClient:
        raise NotImplementedError

    def __init__(
        self,
        api: Api,
        *,
        credentials: Mapping[str, str | None] | None,
        base_url: str | None,
        max_retries: int,
        headers: Mapping[str, str] | None,
        validate: bool,
        strict_responses: bool,
        max_retry_after: float,
    ) -> None:
        self._api = api
        self.base_url = (base_url or api.base_url).rstrip("/")
        self._origin = origin(self.base_url)
        self._auth = Authenticator(api, credentials or {})
        agent = f"{api.package}-python/{api.client_version or api.version}"
        given = dict(headers or {})
        own = {} if any(k.lower() == "user-agent" for k in given) else {"User-Agent": agent}
        self._headers = {**own, **given}
        self.max_retries = max_retries
        self.max_retry_after = max_retry_after
        self._validate = validate
        self._strict = strict_responses
        self._log = logging.getLogger(api.package)
        self._requests = RequestBuilder()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self._redact(self.base_url)!r})"

    def _redact(self, url: str | httpx.URL) -> str:
        return redact_url(url, self._auth.secret_query)

    def _same_origin(self, url: str) -> bool:
        base = self.base_url
        if url.startswith(base) and url[len(base) : len(base) + 1] in ("/", "?", "#", ""):
            return True
        return origin(url) == self._origin

    # --- one hop ------------------------------------------------------------------------------

    def _build(
        self, hop: Prepared, selection: Selection | None, tokens: dict[str, str]
    ) -> httpx.Request:
        """The httpx request for one hop; ``selection is None`` means: no credential at all."""
        headers, url = dict(hop.headers), hop.url
        if selection is not None:
            cookies = list(hop.cookies)
            query: list[tuple[str, str]] = []
            apply_credentials(selection, headers, query, cookies, tokens)
            if query:
                url = _with_query(url, query)
            if cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies)
        request = self._requests.build(self._http, hop.method, url, headers, hop.content)
        if selection is None:
            for name in self._auth.secret_names:
                request.headers.pop(name, None)
        return request

    def _follow(self, prep: Prepared, selection: Selection, attempt: int) -> Flow[httpx.Response]:
        """Send ``prep``, following redirects; credentials only on the base_url origin."""
        hop = prep
        for _ in range(MAX_REDIRECTS + 1):
            trusted = self._same_origin(hop.url)
            tokens: dict[str, str] = {}
            if trusted:
                for cred in selection:
                    if cred.session is not None:
                        tokens[cred.session.scheme.name] = yield Token(cred.session)
            request = self._build(hop, selection if trusted else None, tokens)
            shown = self._redact(request.url) if self._log.isEnabledFor(logging.DEBUG) else ""
            if shown:
                self._log.debug("HTTP %s %s (attempt %d)", hop.method, shown, attempt + 1)
            response: httpx.Response = yield Send(request, trusted)
            if shown:
                self._log.debug("HTTP %s %s -> %d", hop.method, shown, response.status_code)
            if response.status_code not in REDIRECT_STATUSES:
                return response
            location = response.headers.get("location")
            if not location:
                return response
            hop = _redirected(hop, response.status_code, str(httpx.URL(hop.url).join(location)))
        raise ApiError(
            f"too many redirects from {prep.method} {self._redact(prep.url)}",
            status_code=response.status_code,
            headers=response.headers,
            method=prep.method,
            url=self._redact(prep.url),
        )

    # --- one call -----------------------------------------------------------------------------

    def _exchange(self, prep: Prepared, op: Operation[Any]) -> Flow[httpx.Response]:
        """Send with retries; returns the last answer (any status) or raises a transport error."""
        selection = self._auth.select(op.security, op.name)
        attempt, refreshed = 0, False
        while True:
            try:
                response = yield from self._follow(prep, selection, attempt)
            except httpx.TransportError as exc:
                if attempt >= self.max_retries or not retryable_error(exc, prep.idempotent):
                    raise self._transport_error(exc, prep) from exc
                wait = backoff(attempt, None)
            else:
                status = response.status_code
                if 200 <= status < 300:
                    return response
                if status == 401 and not refreshed and _forget_tokens(selection):
                    refreshed = True
                    continue
                if attempt >= self.max_retries or not retryable_status(status, prep.idempotent):
                    return response
                server_wait = retry_after(response.headers)
                if server_wait is not None and server_wait > self.max_retry_after:
                    return response
                wait = backoff(attempt, server_wait)
            attempt += 1
            if self._log.isEnabledFor(logging.DEBUG):
                shown = self._redact(prep.url)
                retry = f"retry {attempt} of {self.max_retries}"
                self._log.debug("HTTP %s %s: %s in %.2f s", prep.method, shown, retry, wait)
            yield Sleep(wait)

    def _transport_error(self, exc: httpx.TransportError, prep: Prepared) -> ApiConnectionError:
        url = self._redact(prep.url)
        cls = ApiTimeoutError if isinstance(exc, httpx.TimeoutException) else ApiConnectionError
        detail = str(exc) if "://" not in str(exc) else ""
        message = f"{type(exc).__name__} on {prep.method} {url}" + (f": {detail}" if detail else "")
        return cls(message, method=prep.method, url=url)

    def _request(self, prep: Prepared, op: Operation[Any]) -> Flow[httpx.Response]:
        """Send with retries and raise the typed error for a non-2xx answer."""
        response = yield from self._exchange(prep, op)
        if not 200 <= response.status_code < 300:
            raise build_error(op, response, self._redact(response.request.url))
        return response

    def _prepare(self, op: Operation[Any], args: Mapping[str, Any]) -> Prepared:
        return prepare(
            op,
            args,
            base_url=self.base_url,
            headers=self._headers,
            validate_args=self._validate,
            registry=self._api.schemas,
        )

    def _parse(self, op: Operation[Any], response: httpx.Response) -> Any:
        return parse_success(
            op,
            response,
            strict=self._strict,
            registry=self._api.schemas,
            hidden=self._auth.secret_query,
        )

    def _execute(
        self, op: Operation[Any], args: Mapping[str, Any], url: str | None = None
    ) -> Flow[tuple[httpx.Response, Any]]:
        """Prepare, send and parse one call; ``url`` replaces the URL (link pagination)."""
        prep = self._prepare(op, args)
        if url is not None:
            prep.url = url
        response = yield from self._request(prep, op)
        return response, self._parse(op, response)

    def _poll_request(self, url: str) -> Prepared:
        """A GET of ``url`` (absolute, or relative to base_url) as given."""
        target = str(httpx.URL(self.base_url + "/").join(url))
        headers = {**self._headers, "Accept": "application/json"}
        return Prepared("GET", target, headers, idempotent=True)


def _with_query(url: str, pairs: list[tuple[str, str]]) -> str:
    present = {k for k, _ in httpx.URL(url).params.multi_items()} if "?" in url else set()
    extra = [(k, v) for k, v in pairs if k not in present]
    if not extra:
        return url
    encoded = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in extra)
    return url + ("&" if "?" in url else "?") + encoded


def _redirected(hop: Prepared, status: int, url: str) -> Prepared:
    to_get = (status == 303 and hop.method != "HEAD") or (
        status in (301, 302) and hop.method == "POST"
    )
    if to_get:
        headers = {k: v for k, v in hop.headers.items() if k.lower() != "content-type"}
        return replace(hop, method="GET", url=url, headers=headers, content=None)
    return replace(hop, url=url)


def _forget_tokens(selection: Selection) -> bool:
    """Drop cached OAuth2 tokens (after a 401); whether there were any to drop."""
    sessions = [cred.session for cred in selection if cred.session is not None]
    for session in sessions:
        session.forget()
    return bool(sessions)
