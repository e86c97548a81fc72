"""Raw responses: the parsed data together with status, headers and the httpx response.

``client.group.with_raw_response.method(...)`` runs the method in *raw mode* (a context
variable, so it works across threads and tasks): the client's ``_call``/``_paginate`` take the
requested raw type and return an instance of it instead of the parsed data. Documented response
headers become attributes (``name`` ← header ``wire``, ``None`` when absent).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Generic, TypeVar

import httpx

from .spec import Header, Operation

__all__ = ["RawResponse", "make_raw", "raw_mode", "take_raw"]

T = TypeVar("T")

_RAW: ContextVar[list[Any] | None] = ContextVar("oagen_raw_response", default=None)


class RawResponse(Generic[T]):
    """An answer with its parsed ``data``; ``headers`` is case-insensitive."""

    status_code: int
    headers: httpx.Headers
    data: T
    http_response: httpx.Response

    def __init__(
        self, http_response: httpx.Response, data: T, headers: tuple[Header, ...] = ()
    ) -> None:
        self.http_response = http_response
        self.status_code = http_response.status_code
        self.headers = http_response.headers
        self.data = data
        for header in headers:
            setattr(self, header.name, http_response.headers.get(header.wire))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} [{self.status_code}]>"


@contextmanager
def raw_mode(raw_type: Any) -> Iterator[None]:
    """Within this block, the next ``_call``/``_paginate`` returns a ``raw_type``."""
    token = _RAW.set([raw_type])
    try:
        yield
    finally:
        _RAW.reset(token)


def take_raw() -> Any:
    """The raw type requested for this call (consumed), or ``None`` for a plain call."""
    box = _RAW.get()
    return box.pop() if box else None


def make_raw(raw_type: Any, op: Operation[Any], response: httpx.Response, data: Any) -> Any:
    """An instance of ``raw_type`` with every header documented on any response of ``op``."""
    headers = {h.name: h for declared in op.responses for h in declared.headers}
    return raw_type(response, data, tuple(headers.values()))
