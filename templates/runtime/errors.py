"""The exceptions raised by generated clients, and the one table that maps statuses to them.

Every exception raised for a request is an ``ApiError``; ``ValidationError`` (bad arguments,
nothing sent) is a ``ValueError``. Messages name the method and the URL with credentials
redacted (user info and credential-like query parameters); request headers are never stored,
so no credential can reach ``str()`` or ``repr()`` of an error.
"""

from __future__ import annotations

from collections.abc import Iterable
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit, urlunsplit

import httpx

__all__ = [
    "SENSITIVE_QUERY_NAMES",
    "STATUS_ERRORS",
    "ApiConnectionError",
    "ApiError",
    "ApiTimeoutError",
    "BadRequestError",
    "ClientError",
    "ConflictError",
    "ForbiddenError",
    "InternalServerError",
    "MissingCredentialsError",
    "NotFoundError",
    "OperationTimeoutError",
    "ResponseValidationError",
    "ServerError",
    "ServiceUnavailableError",
    "TooManyRequestsError",
    "UnauthorizedError",
    "UnprocessableEntityError",
    "ValidationError",
    "body_snippet",
    "error_for_status",
    "fallback_error",
    "redact_url",
]

SENSITIVE_QUERY_NAMES = frozenset(
    {
        "access_token",
        "api_key",
        "api-key",
        "apikey",
        "auth",
        "client_secret",
        "code",
        "key",
        "password",
        "secret",
        "sig",
        "signature",
        "token",
    }
)
SNIPPET_LIMIT = 500


def redact_url(url: str | httpx.URL, names: Iterable[str] = ()) -> str:
    """``url`` without user info and with credential-like query values replaced by ``REDACTED``."""
    text = str(url)
    parts = urlsplit(text)
    netloc = parts.netloc.rpartition("@")[2]
    if not parts.query and netloc == parts.netloc:
        return text
    hidden = SENSITIVE_QUERY_NAMES.union(name.lower() for name in names)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    query = "&".join(
        f"{quote(k, safe='[]')}={'REDACTED' if k.lower() in hidden else quote(v, safe=',|')}"
        for k, v in pairs
    )
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


class ApiError(Exception):
    """Base of every error raised for a request; a non-2xx answer is one of its subclasses."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        headers: httpx.Headers | None = None,
        body: Any = None,
        method: str | None = None,
        url: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.headers = headers if headers is not None else httpx.Headers()
        self.body = body
        self.method = method
        self.url = url
        self.retry_after = retry_after


class ClientError(ApiError):
    """A 4xx answer: the base of the 4xx classes, raised itself for a 4xx status without one
    (the `4XX` and `default` answers of a spec)."""


class ServerError(ApiError):
    """A 5xx answer: the base of the 5xx classes, raised itself for a 5xx status without one."""


class BadRequestError(ClientError):
    """400 Bad Request."""


class UnauthorizedError(ClientError):
    """401 Unauthorized."""


class ForbiddenError(ClientError):
    """403 Forbidden."""


class NotFoundError(ClientError):
    """404 Not Found."""


class ConflictError(ClientError):
    """409 Conflict."""


class UnprocessableEntityError(ClientError):
    """422 Unprocessable Entity."""


class TooManyRequestsError(ClientError):
    """429 Too Many Requests; ``.retry_after`` holds the server's wait in seconds, if any."""


class InternalServerError(ServerError):
    """500 Internal Server Error."""


class ServiceUnavailableError(ServerError):
    """503 Service Unavailable; ``.retry_after`` holds the server's wait in seconds, if any."""


class ResponseValidationError(ApiError):
    """A 2xx answer whose body cannot be used: not JSON, wrong content type, empty, wrong shape.

    ``.body`` is a bounded snippet of the body text; ``.operation`` names the operation.
    """

    def __init__(
        self,
        message: str,
        *,
        operation: str,
        response: httpx.Response,
        method: str | None = None,
        url: str | None = None,
    ) -> None:
        snippet = body_snippet(response)
        super().__init__(
            f"{operation}: {response.status_code} response {message}; body: {snippet!r}",
            status_code=response.status_code,
            headers=response.headers,
            body=snippet,
            method=method,
            url=url,
        )
        self.operation = operation


class ApiConnectionError(ApiError):
    """The request failed in transport (DNS, connect, connection dropped, ...)."""


class ApiTimeoutError(ApiConnectionError):
    """The request timed out (connect, read, write or waiting for a pooled connection)."""


class MissingCredentialsError(ApiError):
    """An operation needs credentials that were neither passed nor set in the environment."""


class OperationTimeoutError(ApiError):
    """A long-running operation did not finish in time; ``.last_state`` is the last poll."""

    def __init__(self, message: str, *, last_state: Any, url: str | None = None) -> None:
        super().__init__(message, method="GET", url=url)
        self.last_state = last_state


class ValidationError(ValueError):
    """An argument breaks the spec's constraints; nothing was sent.

    ``.path`` names the parameter or field (``body.senders[0].senderId``), ``.rule`` the
    broken keyword (``pattern``, ``maxLength``, ``required`` ...). The value itself is never
    part of the message.
    """

    def __init__(self, path: str, rule: str, message: str) -> None:
        super().__init__(f"{path}: {message} ({rule})")
        self.path = path
        self.rule = rule


STATUS_ERRORS: dict[int, type[ApiError]] = {
    400: BadRequestError,
    401: UnauthorizedError,
    403: ForbiddenError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: TooManyRequestsError,
    500: InternalServerError,
    503: ServiceUnavailableError,
}


def fallback_error(status_code: int) -> type[ApiError]:
    """The class for a status without its own: ``ClientError``, ``ServerError`` or ``ApiError``."""
    if 400 <= status_code < 500:
        return ClientError
    if 500 <= status_code < 600:
        return ServerError
    return ApiError


def error_for_status(
    status_code: int,
    *,
    method: str | None = None,
    url: str | None = None,
    headers: httpx.Headers | None = None,
    body: Any = None,
    retry_after: float | None = None,
) -> ApiError:
    """The exception for a non-2xx answer: the class for its status, else ``ClientError`` (4xx),
    ``ServerError`` (5xx) or ``ApiError`` (anything else)."""
    cls = STATUS_ERRORS.get(status_code) or fallback_error(status_code)
    message = f"{status_code} {_reason(status_code)} from {method or '?'} {url or '?'}"
    detail = _detail(body)
    if detail:
        message += f": {detail}"
    if retry_after is not None:
        message += f" (retry after {retry_after:g} s)"
    return cls(
        message,
        status_code=status_code,
        headers=headers,
        body=body,
        method=method,
        url=url,
        retry_after=retry_after,
    )


def body_snippet(response: httpx.Response, limit: int = SNIPPET_LIMIT) -> str:
    """The first ``limit`` characters of the response body, decoded leniently."""
    text = response.content[: limit * 4].decode(response.encoding or "utf-8", errors="replace")
    return text if len(text) <= limit else text[:limit] + "…"


def _reason(status_code: int) -> str:
    try:
        return HTTPStatus(status_code).phrase
    except ValueError:
        return "Error"


def _detail(body: Any) -> str:
    """A short human-readable message from an error body, if it has one."""
    found: Any = None
    for key in ("message", "detail", "error_description", "error"):
        found = body.get(key) if isinstance(body, dict) else getattr(body, key, None)
        if isinstance(found, str) and found:
            return found[:200]
    return ""
