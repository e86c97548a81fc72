"""Requests on the wire: parameter styles, bodies (JSON, form, multipart, binary, text)."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
import rt_api as m
from fakepkg._runtime.client import SyncBaseClient
from fakepkg._runtime.errors import ValidationError
from fakepkg._runtime.request import prepare
from fakepkg._runtime.spec import Api, Body, BodyField, Operation, Param, Response
from fakepkg._runtime.types import NOT_GIVEN
from rt_helpers import Server, json_response

API = Api(package="ser", title="t", version="1", base_url="https://api.example.com")


def param(location: str, style: str, explode: bool, **extra: Any) -> Param:
    return Param(name="p", wire=extra.pop("wire", "p"), location=location,  # type: ignore[arg-type]
                 style=style, explode=explode, **extra)  # fmt: skip


def url_for(p: Param, value: Any, path: str = "/x") -> str:
    operation = Operation(name="o", method="GET", path=path, params=(p,))
    prepared = prepare(operation, {"p": value}, base_url="", headers={}, validate_args=True,
                       registry=None)  # fmt: skip
    return prepared.url


ARRAY, OBJECT = ["a", "b c"], {"R": 100, "G": True}


@pytest.mark.parametrize(
    ("style", "explode", "value", "expected"),
    [
        ("simple", False, "a/b c?", "/x/a%2Fb%20c%3F"),
        ("simple", False, ARRAY, "/x/a,b%20c"),
        ("simple", False, OBJECT, "/x/R,100,G,true"),
        ("simple", True, OBJECT, "/x/R=100,G=true"),
        ("label", False, "v", "/x/.v"),
        ("label", False, ARRAY, "/x/.a,b%20c"),
        ("label", True, ARRAY, "/x/.a.b%20c"),
        ("matrix", False, "v", "/x/;id=v"),
        ("matrix", False, ARRAY, "/x/;id=a,b%20c"),
        ("matrix", True, ARRAY, "/x/;id=a;id=b%20c"),
        ("matrix", True, OBJECT, "/x/;R=100;G=true"),
        ("simple", False, 5, "/x/5"),
        ("simple", False, False, "/x/false"),
    ],
)
def test_path_styles(style: str, explode: bool, value: Any, expected: str) -> None:
    p = param("path", style, explode, wire="id", required=True)
    assert url_for(p, value, path="/x/{id}") == expected


@pytest.mark.parametrize(
    ("style", "explode", "value", "expected"),
    [
        ("form", True, "a b&c", "/x?p=a%20b%26c"),
        ("form", True, ARRAY, "/x?p=a&p=b%20c"),
        ("form", False, ARRAY, "/x?p=a,b%20c"),
        ("form", True, OBJECT, "/x?R=100&G=true"),
        ("form", False, OBJECT, "/x?p=R,100,G,true"),
        ("spaceDelimited", False, ARRAY, "/x?p=a%20b%20c"),
        ("pipeDelimited", False, ARRAY, "/x?p=a|b%20c"),
        ("deepObject", True, {"a": 1, "b": {"c": "d"}}, "/x?p[a]=1&p[b][c]=d"),
        ("form", True, True, "/x?p=true"),
        ("form", True, None, "/x"),
        ("form", True, [], "/x"),
        ("form", True, 1.5, "/x?p=1.5"),
    ],
)
def test_query_styles(style: str, explode: bool, value: Any, expected: str) -> None:
    assert url_for(param("query", style, explode), value) == expected


def test_query_content_type_reserved_enum_and_datetime() -> None:
    p = param("query", "form", True, content_type="application/json")
    assert unquote(url_for(p, {"a": [1, 2]}).split("=", 1)[1]) == '{"a":[1,2]}'
    assert url_for(param("query", "form", True, allow_reserved=True), "a/b:c") == "/x?p=a/b:c"
    assert url_for(param("query", "form", True), m.OperationStatus.COMPLETED) == "/x?p=COMPLETED"
    when = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert url_for(param("query", "form", True), when) == "/x?p=2024-01-02T03%3A04%3A05%2B00%3A00"


def test_query_parameters_on_the_wire() -> None:
    server = Server(json_response(200, {"senderPools": [], "pagination": {}}))
    with m.Client(**m.CREDS, http_client=server.sync_client()) as client:
        client.sender_pools.list(page_size=10, start_date="2024-01-01T00:00:00Z")
    assert server.last.url.params["pageSize"] == "10"
    assert server.last.url.params["startDate"] == "2024-01-01T00:00:00Z"
    assert "pageToken" not in server.last.url.params


def test_header_and_cookie_parameters() -> None:
    params = (
        Param(name="trace", wire="X-Trace", location="header", style="simple", explode=False),
        Param(name="ids", wire="X-Ids", location="header", style="simple", explode=False),
        Param(name="obj", wire="X-Obj", location="header", style="simple", explode=True),
        Param(name="sess", wire="sess", location="cookie", style="form", explode=True),
        Param(name="flags", wire="flags", location="cookie", style="form", explode=False),
        Param(name="meta", wire="X-Meta", location="header", style="simple", explode=False,
              content_type="application/json"),
    )  # fmt: skip
    operation = Operation(name="o", method="GET", path="/x", params=params,
                          responses=(Response(status="204", kind="none"),))  # fmt: skip
    server = Server(httpx.Response(204))
    client = SyncBaseClient(API, http_client=server.sync_client())
    client._call(operation, {"trace": "t1", "ids": [1, 2], "obj": {"a": 1}, "sess": "s v",
                             "flags": ["x", "y"], "meta": {"k": True}})  # fmt: skip
    headers = server.last.headers
    assert headers["x-trace"] == "t1" and headers["x-ids"] == "1,2" and headers["x-obj"] == "a=1"
    assert headers["cookie"] == "sess=s%20v; flags=x,y"
    assert json.loads(headers["x-meta"]) == {"k": True}


def test_required_and_empty_path_parameters_are_rejected() -> None:
    p = param("path", "simple", False, wire="id", required=True)
    with pytest.raises(ValidationError) as info:
        url_for(p, None, path="/x/{id}")
    assert info.value.path == "p" and info.value.rule == "required"
    with pytest.raises(ValidationError):
        url_for(p, "", path="/x/{id}")


# --- JSON bodies --------------------------------------------------------------------------------


def created(server: Server) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(server.last.content)
    return result


def create_server() -> Server:
    return Server(json_response(202, {"operationId": m.OPERATION}))


def test_flattened_body_accepts_python_and_wire_dicts_and_models() -> None:
    server = create_server()
    with m.Client(**m.CREDS, http_client=server.sync_client()) as client:
        client.sender_pools.create(
            name="pool", senders=[{"sender_id": m.SENDER}, {"senderId": m.SENDER},
                                  m.SenderRef(sender_id=m.SENDER)],
            tags={"team": "a"},
        )  # fmt: skip
    assert created(server) == {
        "name": "pool",
        "senders": [{"senderId": m.SENDER}] * 3,
        "tags": {"team": "a"},
    }
    assert server.last.headers["content-type"] == "application/json"


def test_unset_fields_are_not_sent_and_nullable_none_is_null() -> None:
    server = create_server()
    with m.Client(**m.CREDS, http_client=server.sync_client()) as client:
        client.sender_pools.create(name="only")
        assert created(server) == {"name": "only"}
        client.sender_pools.create(name="n", description=None)
        assert created(server) == {"name": "n", "description": None}
        client.sender_pools.create(name="n", description=NOT_GIVEN)
        assert created(server) == {"name": "n"}
        client.sender_pools.create()
        assert created(server) == {}


def test_array_body_with_models_and_dicts() -> None:
    server = Server(json_response(202, {"operationId": m.OPERATION}))
    with m.Client(**m.CREDS, http_client=server.sync_client()) as client:
        client.sender_pools.add_senders(m.POOL, body=[m.SenderRef(senderId=m.SENDER),
                                                      {"sender_id": m.SENDER}])  # fmt: skip
    assert created(server) == [{"senderId": m.SENDER}, {"senderId": m.SENDER}]  # type: ignore[comparison-overlap]
    assert server.last.url.path == f"/v1/SenderPools/{m.POOL}/Senders"


@pytest.mark.parametrize(
    ("kwargs", "path", "rule"),
    [
        ({"senders": [{"senderId": "comms_sender_bad"}]}, "body.senders[0].senderId", "pattern"),
        ({"senders": [{"nope": 1}]}, "body.senders[0].senderId", "missing"),
        ({"name": ""}, "body.name", "minLength"),
        ({"tags": {"bad key": "v"}}, "body.tags['bad key']", "pattern"),
        ({"tags": {f"k{i}": "v" for i in range(11)}}, "body.tags", "maxProperties"),
        ({"name": 5}, "body.name", "string_type"),
    ],
)
def test_body_violations_raise_before_sending(kwargs: dict[str, Any], path: str, rule: str) -> None:
    server = create_server()
    client = m.Client(**m.CREDS, http_client=server.sync_client())
    with pytest.raises(ValidationError) as info:
        client.sender_pools.create(**kwargs)
    assert isinstance(info.value, ValueError)
    assert (info.value.path, info.value.rule) == (path, rule)
    assert server.requests == []


def test_param_violation_and_validate_off() -> None:
    server = Server(json_response(200, {"senderPools": [], "pagination": {}}))
    with m.Client(**m.CREDS, http_client=server.sync_client()) as client:
        with pytest.raises(ValidationError) as info:
            client.sender_pools.list(page_size=0)
        assert info.value.path == "page_size" and info.value.rule == "minimum"
        with pytest.raises(ValidationError) as info:
            client.sender_pools.fetch("comms_pool_wrong")
        assert info.value.path == "sender_pool_id" and info.value.rule == "pattern"
        assert "comms_pool_wrong" not in str(info.value)
    assert server.requests == []
    with m.Client(**m.CREDS, validate=False, http_client=server.sync_client()) as client:
        client.sender_pools.list(page_size=0)
    assert server.last.url.params["pageSize"] == "0"


def test_required_body_missing() -> None:
    server = create_server()
    client = m.Client(**m.CREDS, http_client=server.sync_client())
    with pytest.raises(ValidationError) as info:
        client.sender_pools._call(m._ADD_SENDERS, {"sender_pool_id": m.POOL, "body": None})
    assert info.value.path == "body" and info.value.rule == "required"


# --- other encodings ----------------------------------------------------------------------------


def body_op(encoding: str, content_type: str, **body: Any) -> Operation[Any]:
    return Operation(name="up", method="POST", path="/up",
                     body=Body(content_type=content_type, encoding=encoding, **body),  # type: ignore[arg-type]
                     responses=(Response(status="204", kind="none"),))  # fmt: skip


def send(operation: Operation[Any], args: dict[str, Any]) -> httpx.Request:
    server = Server(httpx.Response(204))
    SyncBaseClient(API, http_client=server.sync_client())._call(operation, args)
    return server.last


def test_multipart_with_files_fields_and_json_parts() -> None:
    fields = tuple(BodyField(name=n, wire=w) for n, w in
                   [("file", "file"), ("doc", "doc"), ("raw", "raw"), ("title", "title"),
                    ("meta", "metaData"), ("count", "count")])  # fmt: skip
    schema = {"type": "object", "required": ["file", "title"],
              "properties": {"title": {"type": "string", "maxLength": 5}}}  # fmt: skip
    operation = body_op("multipart", "multipart/form-data", fields=fields, schema=schema)
    named = io.BytesIO(b"from file")
    named.name = "/tmp/report.txt"
    request = send(operation, {"file": ("a.png", b"\x89PNG", "image/png"), "doc": named,
                               "raw": b"rawbytes", "title": "hi", "meta": {"k": 1},
                               "count": 3})  # fmt: skip
    content_type = request.headers["content-type"]
    assert content_type.startswith("multipart/form-data; boundary=")
    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + request.content
    )
    parts = {p.get_param("name", header="content-disposition"): p for p in message.iter_parts()}
    assert parts["file"].get_filename() == "a.png"
    assert parts["file"].get_content_type() == "image/png"
    assert parts["file"].get_payload(decode=True) == b"\x89PNG"
    assert parts["doc"].get_filename() == "report.txt"
    assert parts["doc"].get_payload(decode=True) == b"from file"
    assert parts["raw"].get_payload(decode=True) == b"rawbytes"
    assert parts["title"].get_payload(decode=True) == b"hi"
    assert json.loads(parts["metaData"].get_payload(decode=True)) == {"k": 1}
    assert parts["count"].get_payload(decode=True) == b"3"
    with pytest.raises(ValidationError) as info:
        send(operation, {"file": b"x", "title": "too long"})
    assert info.value.path == "body.title"


def test_form_urlencoded_body() -> None:
    fields = (BodyField(name="grant_type", wire="grantType"), BodyField(name="scopes", wire="scope"),
              BodyField(name="flag", wire="flag"), BodyField(name="skip", wire="skip"))  # fmt: skip
    request = send(body_op("form", "application/x-www-form-urlencoded", fields=fields),
                   {"grant_type": "a b", "scopes": ["x", "y"], "flag": True, "skip": None})  # fmt: skip
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert request.content == b"grantType=a%20b&scope=x&scope=y&flag=true"


def test_binary_and_text_bodies() -> None:
    operation = body_op("binary", "application/octet-stream")
    assert send(operation, {"body": b"\x00\x01"}).content == b"\x00\x01"
    request = send(operation, {"body": io.BytesIO(b"stream")})
    assert request.content == b"stream"
    assert request.headers["content-type"] == "application/octet-stream"
    assert send(body_op("binary", "image/*"), {"body": b"i"}).headers["content-type"] == (
        "application/octet-stream"
    )
    request = send(body_op("text", "text/plain"), {"body": "héllo"})
    assert request.content == "héllo".encode() and request.headers["content-type"] == "text/plain"
    assert send(operation, {"body": None}).content == b""
