"""Retries: which failures, how often, how long (injected sleep), idempotency keys, async."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import httpx
import pytest
import rt_api as m
from fakepkg._runtime import errors
from fakepkg._runtime.client import AsyncBaseClient, SyncBaseClient
from fakepkg._runtime.retry import backoff, retry_after
from fakepkg._runtime.spec import Api, Operation, Param, Response
from rt_helpers import Server, json_response

API = Api(package="retrying", title="t", version="1", base_url="https://api.example.com")
OK = httpx.Response(200, json={"ok": True})


def op(method: str = "GET", **extra: Any) -> Operation[Any]:
    return Operation(name="thing", method=method, path="/thing",
                     responses=(Response(status="200", kind="json"),), **extra)  # fmt: skip


def client(server: Server, sleeps: list[float], **kwargs: Any) -> SyncBaseClient:
    made = SyncBaseClient(API, http_client=server.sync_client(), **kwargs)
    made.sleep = sleeps.append
    return made


def test_503_retried_with_exponential_backoff_and_jitter(sleeps: list[float]) -> None:
    server = Server(httpx.Response(503), httpx.Response(503), OK)
    assert client(server, sleeps)._call(op(), {}) == {"ok": True}
    assert len(server.requests) == 3
    assert 0.375 <= sleeps[0] <= 0.5 and 0.75 <= sleeps[1] <= 1.0


def test_retries_exhausted_raise_the_typed_error(sleeps: list[float]) -> None:
    server = Server(httpx.Response(503))
    with pytest.raises(errors.ServiceUnavailableError):
        client(server, sleeps, max_retries=3)._call(op(), {})
    assert len(server.requests) == 4 and len(sleeps) == 3
    server = Server(httpx.Response(503))
    with pytest.raises(errors.ServiceUnavailableError):
        client(server, sleeps, max_retries=0)._call(op(), {})
    assert len(server.requests) == 1


@pytest.mark.parametrize(
    ("headers", "low", "high"),
    [
        ({"Retry-After": "2"}, 2.0, 2.2),
        ({"Retry-After": "0.5"}, 0.5, 0.55),
        ({"retry-after-ms": "1500", "Retry-After": "9"}, 1.5, 1.65),
    ],
)
def test_retry_after_is_waited_in_full(
    sleeps: list[float], headers: dict[str, str], low: float, high: float
) -> None:
    for _ in range(20):
        server = Server(httpx.Response(429, headers=headers), OK)
        client(server, sleeps)._call(op(), {})
    assert len(sleeps) == 20
    assert all(low <= wait <= high for wait in sleeps), sleeps


def test_retry_after_http_date(sleeps: list[float]) -> None:
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=10), usegmt=True)
    server = Server(httpx.Response(503, headers={"Retry-After": when}), OK)
    client(server, sleeps)._call(op(), {})
    assert 8.9 <= sleeps[0] <= 12.0


def test_retry_after_above_cap_raises_at_once(sleeps: list[float]) -> None:
    server = Server(httpx.Response(429, headers={"Retry-After": "120"}), OK)
    with pytest.raises(errors.TooManyRequestsError) as info:
        client(server, sleeps)._call(op(), {})
    assert info.value.retry_after == 120.0
    assert len(server.requests) == 1 and sleeps == []
    server = Server(httpx.Response(429, headers={"Retry-After": "120"}), OK)
    assert client(server, sleeps, max_retry_after=300)._call(op(), {}) == {"ok": True}
    assert 120 <= sleeps[0] <= 121


@pytest.mark.parametrize("status", [408, 500, 502, 504])
def test_idempotent_only_statuses(sleeps: list[float], status: int) -> None:
    server = Server(httpx.Response(status), OK)
    assert client(server, sleeps)._call(op("GET"), {}) == {"ok": True}
    assert len(server.requests) == 2
    server = Server(httpx.Response(status), OK)
    with pytest.raises(errors.ApiError) as info:
        client(server, sleeps)._call(op("POST"), {})
    assert info.value.status_code == status and len(server.requests) == 1


@pytest.mark.parametrize("method", ["POST", "PATCH"])
@pytest.mark.parametrize("status", [429, 503])
def test_429_and_503_retried_for_every_method(
    sleeps: list[float], method: str, status: int
) -> None:
    server = Server(httpx.Response(status), OK)
    client(server, sleeps)._call(op(method), {})
    assert [r.method for r in server.requests] == [method, method]


def test_non_retryable_statuses_are_not_retried(sleeps: list[float]) -> None:
    for status in (400, 401, 404, 409, 422):
        server = Server(httpx.Response(status), OK)
        with pytest.raises(errors.ApiError):
            client(server, sleeps)._call(op(), {})
        assert len(server.requests) == 1
    assert sleeps == []


def test_idempotency_key_makes_post_retryable_and_is_reused(sleeps: list[float]) -> None:
    server = Server(
        httpx.Response(500), httpx.Response(502), json_response(202, {"operationId": "o"})
    )
    with m.Client(**m.CREDS, http_client=server.sync_client()) as comms:
        comms.sleep = sleeps.append
        comms.sender_pools.create(name="n")
    keys = [r.headers["idempotency-key"] for r in server.requests]
    assert len(keys) == 3 and len(set(keys)) == 1 and len(keys[0]) == 36
    comms2 = m.Client(**m.CREDS, http_client=server.sync_client())
    comms2.sender_pools.create(name="n")
    assert server.last.headers["idempotency-key"] != keys[0]  # a new key per call


def test_caller_supplied_idempotency_key_is_kept(sleeps: list[float]) -> None:
    key_param = Param(name="idempotency_key", wire="Idempotency-Key", location="header",
                      style="simple", explode=False)  # fmt: skip
    operation = op("POST", params=(key_param,), idempotency_header="Idempotency-Key")
    server = Server(httpx.Response(500), OK)
    client(server, sleeps)._call(operation, {"idempotency_key": "mine-1"})
    assert [r.headers["idempotency-key"] for r in server.requests] == ["mine-1", "mine-1"]


def test_transport_failures(sleeps: list[float]) -> None:
    server = Server(httpx.ConnectError("down"), httpx.ConnectTimeout("slow"), OK)
    assert client(server, sleeps)._call(op("POST"), {}) == {"ok": True}  # nothing was sent
    assert len(server.requests) == 3
    server = Server(httpx.ReadTimeout("slow"), OK)
    with pytest.raises(errors.ApiTimeoutError):
        client(server, sleeps)._call(op("POST"), {})
    assert len(server.requests) == 1
    server = Server(httpx.RemoteProtocolError("dropped"), OK)
    with pytest.raises(errors.ApiConnectionError):
        client(server, sleeps)._call(op("POST"), {})
    server = Server(httpx.ReadError("reset"), httpx.ReadTimeout("slow"), OK)
    assert client(server, sleeps)._call(op("PUT"), {}) == {"ok": True}
    assert len(server.requests) == 3


def test_retry_after_parsing_and_backoff_units() -> None:
    assert retry_after(httpx.Headers({"Retry-After": "3"})) == 3.0
    assert retry_after(httpx.Headers({"Retry-After": "-3"})) == 0.0
    assert retry_after(httpx.Headers({"Retry-After": "soon"})) is None
    assert retry_after(httpx.Headers({"retry-after-ms": "250"})) == 0.25
    assert retry_after(httpx.Headers()) is None
    past = format_datetime(datetime.now(UTC) - timedelta(hours=1), usegmt=True)
    assert retry_after(httpx.Headers({"Retry-After": past})) == 0.0
    assert all(6.0 <= backoff(10, None) <= 8.0 for _ in range(50))
    assert all(backoff(0, 7.0) >= 7.0 for _ in range(50))


async def test_async_retries_use_the_injected_sleep() -> None:
    sleeps: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    server = Server(httpx.Response(429, headers={"Retry-After": "3"}), httpx.Response(503), OK)
    made = AsyncBaseClient(API, http_client=server.async_client())
    made.sleep = fake_sleep
    assert await made._call(op("POST"), {}) == {"ok": True}
    assert 3.0 <= sleeps[0] <= 3.3 and 0.75 <= sleeps[1] <= 1.0
    server = Server(httpx.Response(500), OK)
    made = AsyncBaseClient(API, http_client=server.async_client())
    with pytest.raises(errors.InternalServerError):
        await made._call(op("POST"), {})


async def test_async_retry_wait_does_not_block_the_loop() -> None:
    server = Server(httpx.Response(503, headers={"Retry-After": "0.2"}), OK)
    made = AsyncBaseClient(API, http_client=server.async_client())
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    task = asyncio.create_task(ticker())
    assert await made._call(op(), {}) == {"ok": True}
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    assert ticks >= 10
