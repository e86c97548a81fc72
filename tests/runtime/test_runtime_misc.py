"""Small pieces: sentinel, base model, URL redaction, header defaults, async errors."""

from __future__ import annotations

import base64
import logging

import httpx
import pytest
import rt_api as m
from fakepkg._runtime import errors
from fakepkg._runtime.client import SyncBaseClient
from fakepkg._runtime.errors import redact_url
from fakepkg._runtime.model import BaseModel, adapter
from fakepkg._runtime.spec import Api, ApiKey, Operation, Response
from fakepkg._runtime.types import NOT_GIVEN, NotGiven
from pydantic import Field
from rt_helpers import Server, json_response


def test_not_given_sentinel() -> None:
    assert NotGiven() is NOT_GIVEN
    assert not NOT_GIVEN
    assert repr(NOT_GIVEN) == "NOT_GIVEN"


class Tagged(BaseModel):
    model_json_schema_name: str = Field(alias="modelJsonSchemaName")  # a pydantic-like name
    code: str = Field(pattern=r"(?<!x)^ab(?=c)")  # lookarounds need the python-re engine


def test_base_model_accepts_both_names_keeps_extras_and_runs_python_re() -> None:
    by_wire = Tagged.model_validate({"modelJsonSchemaName": "a", "code": "abc", "more": 1})
    by_name = Tagged(model_json_schema_name="a", code="abc")
    assert by_wire.model_json_schema_name == by_name.model_json_schema_name == "a"
    assert by_wire.model_extra == {"more": 1}
    assert by_wire.model_dump(by_alias=True)["modelJsonSchemaName"] == "a"
    assert adapter(list[Tagged]) is adapter(list[Tagged])


def test_redact_url() -> None:
    url = "https://user:pw@h.example/p?apiKey=S1&x=1&token=S2&custom=S3"
    assert redact_url(url, ["custom"]) == (
        "https://h.example/p?apiKey=REDACTED&x=1&token=REDACTED&custom=REDACTED"
    )
    assert redact_url("https://h.example/p") == "https://h.example/p"


def test_user_header_overrides_do_not_duplicate() -> None:
    server = Server(json_response(200, {"id": m.POOL, "name": "n"}))
    headers = {"user-agent": "mine/1", "accept": "application/vnd.x+json"}
    with m.Client(**m.CREDS, headers=headers, http_client=server.sync_client()) as client:
        client.sender_pools.fetch(m.POOL)
    assert server.last.headers.get_list("user-agent") == ["mine/1"]
    assert server.last.headers.get_list("accept") == ["application/vnd.x+json"]


def test_base_url_credentials_are_redacted_in_repr() -> None:
    client = m.Client(base_url="https://me:hunter2@comms.example.com")
    assert "hunter2" not in repr(client)
    client.close()


def test_logs_never_carry_basic_credentials(caplog: pytest.LogCaptureFixture) -> None:
    server = Server(json_response(404, {"code": 1, "message": "missing"}))
    encoded = base64.b64encode(b"AC123:s3cr3t-token").decode()
    client = m.Client(**m.CREDS, http_client=server.sync_client())
    with caplog.at_level(logging.DEBUG), pytest.raises(errors.NotFoundError) as info:
        client.sender_pools.fetch(m.POOL)
    assert caplog.records
    for record in caplog.records:
        assert encoded not in record.getMessage() and "s3cr3t-token" not in record.getMessage()
    assert encoded not in str(info.value) and "s3cr3t" not in repr(info.value)


def test_transport_error_message_names_the_request_without_credentials() -> None:
    api = Api(package="q", title="t", version="1", base_url="https://q.example.com",
              schemes=(ApiKey(name="k", arg="key", location="query", wire="key"),),
              security=(("k",),))  # fmt: skip
    operation = Operation(name="get", method="GET", path="/x",
                          responses=(Response(status="200", kind="json"),))  # fmt: skip
    server = Server(httpx.ConnectError("refused"))
    client = SyncBaseClient(api, credentials={"key": "QSECRET"}, max_retries=0,
                            http_client=server.sync_client())  # fmt: skip
    with pytest.raises(errors.ApiConnectionError) as info:
        client._call(operation, {})
    assert server.last.url.params["key"] == "QSECRET"
    assert str(info.value) == "ConnectError on GET https://q.example.com/x: refused"
    assert info.value.url == "https://q.example.com/x" and info.value.method == "GET"


async def test_async_errors_and_validation() -> None:
    server = Server(json_response(409, {"code": 409, "message": "busy"}))
    async with m.AsyncClient(**m.CREDS, http_client=server.async_client()) as client:
        with pytest.raises(errors.ConflictError) as info:
            await client.sender_pools.create(name="n")
        assert info.value.body == {"code": 409, "message": "busy"}  # no 409 model declared
        server.answers = [
            httpx.Response(200, content=b"oops", headers={"content-type": "text/plain"})
        ]
        with pytest.raises(errors.ResponseValidationError):
            await client.sender_pools.fetch(m.POOL)
        before = len(server.requests)
        with pytest.raises(errors.ValidationError):
            await client.sender_pools.fetch("nope")
        assert len(server.requests) == before
        waits: list[float] = []

        async def fake_sleep(seconds: float) -> None:
            waits.append(seconds)

        client.sleep = fake_sleep
        server.answers = [httpx.ReadTimeout("slow")]
        before = len(server.requests)
        with pytest.raises(errors.ApiTimeoutError):
            await client.sender_pools.create(name="n")  # idempotency key: read timeouts retried
        assert len(server.requests) - before == 3 and len(waits) == 2


async def test_async_missing_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ACCOUNT_ID", "AUTH_TOKEN", "API_KEY", "API_KEY_SECRET"):
        monkeypatch.delenv(f"MINI_COMMS_{name}", raising=False)
    server = Server(json_response(200, {}))
    async with m.AsyncClient(http_client=server.async_client()) as client:
        with pytest.raises(errors.MissingCredentialsError, match="MINI_COMMS_AUTH_TOKEN"):
            await client.sender_pools.fetch(m.POOL)
    assert server.requests == []
