"""The Comms spec generated into a temp folder, imported, and driven over httpx.MockTransport."""

from __future__ import annotations

import base64
import importlib
import json
import sys
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import httpx
import pytest

from generator.cli import run
from tests.conftest import COMMS

POOL = "comms_senderpool_01h9krwprkeee8fzqspvwy6nq8"
SENDER = "comms_sender_01h9krwprkeee8fzqspvwy6nq8"
OPERATION = "comms_operation_01h9krwprkeee8fzqspvwy6nq8"
STAMP = "2024-01-02T03:04:05Z"
POOL_BODY = {"id": POOL, "name": "pool", "tags": {}, "createdAt": STAMP, "updatedAt": STAMP}
OP_BODY = {
    "id": OPERATION,
    "status": "COMPLETED",
    "stats": {"total": 1, "queued": 0, "created": 1, "failed": 0},
    "createdAt": STAMP,
    "updatedAt": STAMP,
}
ACCEPTED = {"operationId": OPERATION, "operationLocation": f"https://comms.twilio.com/v1/SenderPools/Operations/{OPERATION}"}


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    out = tmp_path_factory.mktemp("gen") / "out"
    run(["generate", str(COMMS), "-o", str(out), "--package", "comms_x", "-q"])
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module("comms_x")
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m == "comms_x" or m.startswith("comms_x.")]:
            del sys.modules[name]


class Recorder:
    def __init__(self, answers: dict[tuple[str, str], httpx.Response]) -> None:
        self.answers = answers
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.answers[(request.method, request.url.path)]


def client(package: ModuleType, answers: dict[tuple[str, str], httpx.Response]) -> tuple[Any, Recorder]:
    recorder = Recorder(answers)
    http = httpx.Client(transport=httpx.MockTransport(recorder))
    return package.Client(account_id="AC123", auth_token="secret", http_client=http), recorder


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def accepted() -> httpx.Response:
    return httpx.Response(202, json=ACCEPTED, headers={"Location": ACCEPTED["operationLocation"]})


def test_all_ten_operations_send_the_right_requests(package: ModuleType) -> None:
    page = {"senderPools": [POOL_BODY], "pagination": {"next": None, "self": "x"}}
    answers = {
        ("GET", "/v1/SenderPools"): httpx.Response(200, json=page),
        ("POST", "/v1/SenderPools"): accepted(),
        ("GET", f"/v1/SenderPools/{POOL}"): httpx.Response(200, json=POOL_BODY),
        ("DELETE", f"/v1/SenderPools/{POOL}"): accepted(),
        ("PATCH", f"/v1/SenderPools/{POOL}"): httpx.Response(
            202, json={"resourceId": POOL, "resourceLocation": "https://comms.twilio.com/v1/x"}
        ),
        ("GET", f"/v1/SenderPools/{POOL}/Senders"): httpx.Response(
            200, json={"senders": [], "pagination": {"next": None, "self": "x"}}
        ),
        ("POST", f"/v1/SenderPools/{POOL}/Senders"): accepted(),
        ("DELETE", f"/v1/SenderPools/{POOL}/Senders/{SENDER}"): accepted(),
        ("GET", "/v1/SenderPools/Operations"): httpx.Response(
            200, json={"operations": [OP_BODY], "pagination": {"next": None, "self": "x"}}
        ),
        ("GET", f"/v1/SenderPools/Operations/{OPERATION}"): httpx.Response(200, json=OP_BODY),
    }
    api, recorder = client(package, answers)
    pools = api.sender_pools
    assert [p.id for p in pools.list(page_size=10)] == [POOL]
    assert pools.create(name="pool", senders=[{"senderId": SENDER}], tags={"team": "a"}).operation_id == OPERATION
    assert pools.fetch(POOL).name == "pool"
    assert pools.delete(POOL).operation_id == OPERATION
    assert pools.update(POOL, name="renamed").resource_id == POOL
    assert list(pools.list_senders(POOL, channel="SMS")) == []
    assert pools.add_senders(POOL, body=[{"sender_id": SENDER}]).operation_id == OPERATION
    assert pools.remove_sender(POOL, SENDER).operation_id == OPERATION
    assert [o.status for o in pools.list_operations(status="COMPLETED")] == ["COMPLETED"]
    assert pools.fetch_operation(OPERATION).stats.total == 1

    sent = [(r.method, r.url.path, r.url.query.decode(), r.content) for r in recorder.requests]
    assert sent[0] == ("GET", "/v1/SenderPools", "pageSize=10", b"")
    assert json.loads(sent[1][3]) == {"name": "pool", "senders": [{"senderId": SENDER}], "tags": {"team": "a"}}
    assert json.loads(sent[4][3]) == {"name": "renamed"}
    assert sent[5][2] == "channel=SMS"
    assert json.loads(sent[6][3]) == [{"senderId": SENDER}]
    assert sent[8][2] == "status=COMPLETED"
    assert all(r.headers["authorization"] == basic("AC123", "secret") for r in recorder.requests)
    assert all(r.url.host == "comms.twilio.com" for r in recorder.requests)


def test_second_credential_pair_works(package: ModuleType) -> None:
    recorder = Recorder({("GET", f"/v1/SenderPools/{POOL}"): httpx.Response(200, json=POOL_BODY)})
    http = httpx.Client(transport=httpx.MockTransport(recorder))
    api = package.Client(api_key="SK1", api_key_secret="s2", http_client=http)
    api.sender_pools.fetch(POOL)
    assert recorder.requests[0].headers["authorization"] == basic("SK1", "s2")


def test_errors_are_typed(package: ModuleType) -> None:
    error = {"code": 20404, "message": "not found", "more_info": "https://x", "status": 404}
    api, _ = client(package, {("GET", f"/v1/SenderPools/{POOL}"): httpx.Response(404, json=error)})
    from comms_x.errors import NotFoundError

    with pytest.raises(NotFoundError) as exc:
        api.sender_pools.fetch(POOL)
    assert exc.value.status_code == 404
    assert exc.value.body.code == 20404


def test_invalid_path_parameter_is_refused_before_sending(package: ModuleType) -> None:
    api, recorder = client(package, {})
    from comms_x.errors import ValidationError

    with pytest.raises(ValidationError):
        api.sender_pools.fetch("not-a-pool-id")
    assert recorder.requests == []
