"""Long-running operations: the returned URL is polled as given until the status settles."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import rt_api as m
from fakepkg._runtime import errors
from fakepkg._runtime.lro import is_pending, operation_url
from rt_helpers import Server, json_response

# The Comms quirk: the returned location is not the documented fetch path.
RETURNED = f"https://comms.example.com/v1/SenderPools/{m.POOL}/Senders/Operations/{m.OPERATION}"
BODY = [{"senderId": m.SENDER}]


def accepted(
    location: str | None = RETURNED, field: str | None = None, **headers: str
) -> httpx.Response:
    body: dict[str, Any] = {"operationId": m.OPERATION}
    if field:
        body["operationLocation"] = field
    if location:
        headers["Location"] = location
    return json_response(202, body, list(headers.items()))


def state(status: str, **headers: str) -> httpx.Response:
    return json_response(200, {"id": m.OPERATION, "status": status}, list(headers.items()))


class Clock:
    def __init__(self) -> None:
        self.sleeps: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.sleeps.append(seconds)


def comms(server: Server, clock: Clock) -> m.Client:
    client = m.Client(**m.CREDS, http_client=server.sync_client())
    client.sleep = clock
    return client


def test_polls_the_returned_url_until_status_leaves_pending() -> None:
    server = Server(accepted(), state("PROCESSING"), state("PROCESSING"), state("COMPLETED"))
    clock = Clock()
    final = comms(server, clock).sender_pools.add_senders_and_wait(m.POOL, body=BODY,
                                                                   poll_interval=2.5)  # fmt: skip
    assert isinstance(final, m.SenderPoolOperation)
    assert final.status is m.OperationStatus.COMPLETED
    assert (
        server.urls()
        == [f"https://comms.example.com/v1/SenderPools/{m.POOL}/Senders"] + [RETURNED] * 3
    )
    assert [r.method for r in server.requests] == ["POST", "GET", "GET", "GET"]
    assert clock.sleeps == [2.5, 2.5, 2.5]
    assert all("authorization" in r.headers for r in server.requests)


def test_body_field_used_when_header_absent_and_relative_urls_resolve() -> None:
    server = Server(accepted(location=None, field="/v1/ops/1"), state("CANCELED"))
    final = comms(server, Clock()).sender_pools.add_senders_and_wait(m.POOL, body=BODY)
    assert final.status is m.OperationStatus.CANCELED
    assert server.urls()[1] == "https://comms.example.com/v1/ops/1"


def test_retry_after_on_accept_and_polls_replaces_the_interval() -> None:
    server = Server(accepted(**{"Retry-After": "4"}),
                    state("PROCESSING", **{"Retry-After": "7"}), state("COMPLETED"))  # fmt: skip
    clock = Clock()
    comms(server, clock).sender_pools.add_senders_and_wait(m.POOL, body=BODY, poll_interval=1)
    assert clock.sleeps == [4.0, 7.0]


def test_timeout_raises_with_the_last_state() -> None:
    server = Server(accepted(), state("PROCESSING"))
    clock = Clock()
    with pytest.raises(errors.OperationTimeoutError) as info:
        comms(server, clock).sender_pools.add_senders_and_wait(
            m.POOL, body=BODY, poll_interval=1.0, timeout=2.5
        )
    assert isinstance(info.value, errors.ApiError)
    last = info.value.last_state
    assert isinstance(last, m.SenderPoolOperation)
    assert last.status is m.OperationStatus.PROCESSING
    assert clock.sleeps == [1.0, 1.0] and len(server.requests) == 3
    assert "PROCESSING" in str(info.value)


def test_cross_origin_operation_url_is_polled_without_credentials() -> None:
    server = Server(accepted("https://ops.elsewhere.net/op/1"), state("COMPLETED"))
    comms(server, Clock()).sender_pools.add_senders_and_wait(m.POOL, body=BODY)
    assert "authorization" in server.requests[0].headers
    assert "authorization" not in server.requests[1].headers
    assert str(server.requests[1].url) == "https://ops.elsewhere.net/op/1"


def test_missing_reference_and_poll_errors_are_typed() -> None:
    server = Server(accepted(location=None))
    with pytest.raises(errors.ResponseValidationError) as info:
        comms(server, Clock()).sender_pools.add_senders_and_wait(m.POOL, body=BODY)
    assert "operation reference" in str(info.value)
    server = Server(accepted(), json_response(404, {"code": 404, "message": "gone"}))
    with pytest.raises(errors.NotFoundError) as info2:
        comms(server, Clock()).sender_pools.add_senders_and_wait(m.POOL, body=BODY)
    assert isinstance(info2.value.body, m.Error)
    server = Server(accepted(), json_response(200, {"id": m.OPERATION}))
    with pytest.raises(errors.ResponseValidationError):
        comms(server, Clock()).sender_pools.add_senders_and_wait(m.POOL, body=BODY)


def test_helpers() -> None:
    lro = m._LRO
    response = httpx.Response(202, headers={"Location": "/a"})
    assert operation_url(lro, response, None) == "/a"
    ref = m.OperationRef(operationId="o", operationLocation="/b")
    assert operation_url(lro, httpx.Response(202), ref) == "/b"
    assert operation_url(lro, httpx.Response(202), m.OperationRef(operationId="o")) is None
    assert is_pending(lro, m.SenderPoolOperation(id="x", status=m.OperationStatus.PROCESSING))
    assert is_pending(lro, {"status": "PROCESSING"})
    assert not is_pending(lro, {"status": "COMPLETED"})


async def test_async_wait() -> None:
    sleeps: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    server = Server(accepted(), state("PROCESSING"), state("COMPLETED"))
    async with m.AsyncClient(**m.CREDS, http_client=server.async_client()) as client:
        client.sleep = fake_sleep
        final = await client.sender_pools.add_senders_and_wait(m.POOL, body=BODY, poll_interval=3)
    assert final.status is m.OperationStatus.COMPLETED
    assert server.urls()[1:] == [RETURNED, RETURNED]
    assert sleeps == [3, 3]


async def test_async_timeout_and_raw_accept() -> None:
    async def fake_sleep(seconds: float) -> None:
        return None

    server = Server(accepted(), state("PROCESSING"))
    async with m.AsyncClient(**m.CREDS, http_client=server.async_client()) as client:
        client.sleep = fake_sleep
        with pytest.raises(errors.OperationTimeoutError) as info:
            await client.sender_pools.add_senders_and_wait(m.POOL, body=BODY, poll_interval=1,
                                                           timeout=1.5)  # fmt: skip
        assert info.value.last_state.status is m.OperationStatus.PROCESSING
        server.answers = [accepted()]
        raw = await client.sender_pools.with_raw_response.add_senders(m.POOL, body=BODY)
        assert isinstance(raw, m.AddSendersRawResponse) and raw.location == RETURNED
