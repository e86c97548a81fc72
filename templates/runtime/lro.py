"""Waiting for long-running operations (``<method>_and_wait``).

The call is made as usual; the operation's URL is taken from the answer's header
``LongRunning.header`` (``Location``) or, failing that, the body attribute ``field``, and GET as
given — absolute, or relative to base_url, never rebuilt from a documented path (the Comms API
returns URLs that differ from its fetch path). Each poll is parsed into ``poll_type``; polling
repeats every ``poll_interval`` seconds (a ``Retry-After`` on the 202 or on a poll replaces the
interval) until the ``status`` attribute leaves ``pending`` (enum ``.value`` or plain value).
When the next poll would come after ``timeout`` seconds, ``OperationTimeoutError`` is raised
carrying ``.last_state``. Credentials go with the polls only when the URL is on base_url's origin.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from enum import Enum
from typing import Any

import httpx

from .core import ClientCore, Flow, Sleep
from .errors import OperationTimeoutError, ResponseValidationError
from .pagination import get_path
from .response import parse_json
from .retry import retry_after
from .spec import LongRunning, Operation

__all__ = ["is_pending", "operation_url", "status_of", "wait_flow"]


def operation_url(lro: LongRunning, response: httpx.Response, data: Any) -> str | None:
    """The operation's URL: header first, then body field."""
    if lro.header:
        value = response.headers.get(lro.header)
        if value:
            return str(value)
    found = get_path(data, lro.field) if lro.field else None
    return str(found) if found else None


def status_of(lro: LongRunning, state: Any) -> Any:
    """The plain status value of a poll (enum members give their ``.value``)."""
    value = get_path(state, lro.status)
    return value.value if isinstance(value, Enum) else value


def is_pending(lro: LongRunning, state: Any) -> bool:
    """Whether the operation is still in one of its in-progress states."""
    return status_of(lro, state) in lro.pending


def wait_flow(
    core: ClientCore,
    op: Operation[Any],
    args: Mapping[str, Any],
    poll_interval: float,
    timeout: float,
) -> Flow[Any]:
    """Call ``op``, then poll the returned operation until it is no longer pending."""
    lro = op.long_running
    if lro is None:
        raise TypeError(f"operation {op.name!r} is not a long-running operation")
    response, data = yield from core._execute(op, args)
    reference = operation_url(lro, response, data)
    if reference is None:
        raise ResponseValidationError(
            f"carries no operation reference ({lro.header or lro.field})",
            operation=op.name,
            response=response,
            method=op.method,
            url=core._redact(response.request.url),
        )
    poll = core._poll_request(reference)
    started, slept, state = time.monotonic(), 0.0, None
    wait = retry_after(response.headers)
    while True:
        delay = poll_interval if wait is None else wait
        elapsed = max(time.monotonic() - started, slept)
        if elapsed + delay > timeout:
            raise OperationTimeoutError(
                f"{op.name}: the operation did not finish within {timeout:g} s "
                f"(last status: {status_of(lro, state)!r})",
                last_state=state,
                url=core._redact(poll.url),
            )
        yield Sleep(delay)
        slept += delay
        answer = yield from core._request(poll, op)
        state = parse_json(
            answer, lro.poll_type, f"{op.name} (poll)", hidden=core._auth.secret_query
        )
        if not is_pending(lro, state):
            return state
        wait = retry_after(answer.headers)
