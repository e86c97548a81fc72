"""When to retry, and how long to wait (DESIGN §4).

- 429 and 503, and failures before the request was sent (connect errors, connect timeouts,
  pool timeouts), are retried for every method;
- 408, 500, 502, 504 and failures after sending (read/write errors and timeouts, dropped
  connections) only for idempotent methods (GET HEAD OPTIONS PUT DELETE) or requests that carry
  an idempotency key (the same key on every attempt).

Waits grow exponentially with jitter. A ``Retry-After`` (seconds or HTTP date) or
``retry-after-ms`` is waited in full — jitter only ever adds to it; one above the cap is not
waited at all: the caller raises the typed error at once with ``.retry_after`` set.
"""

from __future__ import annotations

import random
import time
from email.utils import parsedate_to_datetime

import httpx

__all__ = [
    "ALWAYS_RETRIED",
    "IDEMPOTENT_RETRIED",
    "backoff",
    "retry_after",
    "retryable_error",
    "retryable_status",
]

ALWAYS_RETRIED = frozenset({429, 503})
IDEMPOTENT_RETRIED = frozenset({408, 500, 502, 504})
BASE_DELAY = 0.5
MAX_DELAY = 8.0

_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
_SENT = (
    httpx.ReadError,
    httpx.ReadTimeout,
    httpx.WriteError,
    httpx.WriteTimeout,
    httpx.RemoteProtocolError,
)


def retryable_status(status: int, idempotent: bool) -> bool:
    """Whether an answer with ``status`` may be retried."""
    return status in ALWAYS_RETRIED or (idempotent and status in IDEMPOTENT_RETRIED)


def retryable_error(error: httpx.TransportError, idempotent: bool) -> bool:
    """Whether a transport failure may be retried (nothing sent, or safe to repeat)."""
    return isinstance(error, _NOT_SENT) or (idempotent and isinstance(error, _SENT))


def retry_after(headers: httpx.Headers) -> float | None:
    """The server's requested wait in seconds (``retry-after-ms``, ``Retry-After``), if any."""
    millis = headers.get("retry-after-ms")
    if millis is not None:
        try:
            return max(float(millis) / 1000.0, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - time.time(), 0.0)


def backoff(attempt: int, server_wait: float | None) -> float:
    """Seconds to wait before retry number ``attempt + 1``.

    Without a server wait: ``0.5 · 2^attempt`` (at most 8 s), less up to 25 % jitter. With one:
    that wait plus up to 10 % (at most 1 s) — never less than the server asked for.
    """
    if server_wait is not None:
        return server_wait + random.uniform(0.0, min(server_wait * 0.1, 1.0))
    delay = min(BASE_DELAY * 2.0**attempt, MAX_DELAY)
    return delay * (1.0 - 0.25 * random.random())
