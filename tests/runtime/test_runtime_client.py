"""Calls end to end over MockTransport: parsing, errors, raw responses, client plumbing."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest
import rt_api as m
from fakepkg._runtime import errors
from fakepkg._runtime.client import AsyncBaseClient, SyncBaseClient
from fakepkg._runtime.spec import Api, ApiKey, ErrorResponse, Operation, Param, Response
from rt_helpers import Server, json_response

POOL_JSON = {"id": m.POOL, "name": "pool", "tags": {"a": "b"}, "createdAt": "2024-01-02T03:04:05Z"}
API = Api(package="plain", title="t", version="2.0", base_url="https://api.example.com/base/")


def client_for(server: Server, **kwargs: Any) -> m.Client:
    return m.Client(**m.CREDS, http_client=server.sync_client(), **kwargs)


def plain_client(server: Server, **kwargs: Any) -> SyncBaseClient:
    return SyncBaseClient(API, http_client=server.sync_client(), **kwargs)


def op(kind: str, *, type_: Any = None, status: str = "200", **extra: Any) -> Operation[Any]:
    response = Response(status=status, kind=kind, type_=type_, schema=extra.pop("schema", None))
    return Operation(name="thing", method="GET", path="/thing", responses=(response,), **extra)


# --- success parsing ----------------------------------------------------------------------------


def test_json_body_is_parsed_into_the_model() -> None:
    server = Server(json_response(200, POOL_JSON))
    pool = client_for(server).sender_pools.fetch(m.POOL)
    assert isinstance(pool, m.SenderPool)
    assert pool.created_at is not None and pool.created_at.year == 2024
    assert server.last.url.path == f"/v1/SenderPools/{m.POOL}"
    assert server.last.method == "GET"


def test_unknown_fields_are_kept_and_constraints_not_enforced_by_default() -> None:
    body = {**POOL_JSON, "id": "not-a-pool-id", "extraField": 1}
    pool = client_for(Server(json_response(200, body))).sender_pools.fetch(m.POOL)
    assert pool.id == "not-a-pool-id"
    assert pool.model_extra == {"extraField": 1}


@pytest.mark.parametrize(
    "content_type", [None, "application/json", "application/problem+json; charset=utf-8"]
)
def test_json_content_types(content_type: str | None) -> None:
    headers = {"content-type": content_type} if content_type else {}
    server = Server(httpx.Response(200, content=b'{"a": 1}', headers=headers))
    assert plain_client(server)._call(op("json"), {}) == {"a": 1}


def test_binary_text_and_no_content() -> None:
    server = Server(httpx.Response(200, content=b"\x00\x01", headers={"content-type": "image/png"}))
    assert plain_client(server)._call(op("binary"), {}) == b"\x00\x01"
    server = Server(httpx.Response(200, text="héllo"))
    assert plain_client(server)._call(op("text"), {}) == "héllo"
    server = Server(httpx.Response(204))
    assert client_for(server).sender_pools.delete(m.POOL) is None
    assert server.last.method == "DELETE"
    server = Server(httpx.Response(204))
    assert plain_client(server)._call(op("json", type_=m.SenderPool), {}) is None


@pytest.mark.parametrize(
    ("response", "fragment"),
    [
        (httpx.Response(200, content=b"{not json", headers={"content-type": "application/json"}),
         "not valid JSON"),
        (httpx.Response(200, content=b"<html>oops</html>", headers={"content-type": "text/html"}),
         "content type 'text/html'"),
        (httpx.Response(200, content=b"", headers={"content-type": "application/json"}), "empty"),
        (httpx.Response(200, json={"id": 1}), "does not match the declared type"),
        (httpx.Response(200, content=b"\xff\xfe"), "not valid JSON"),
    ],
)  # fmt: skip
def test_unusable_bodies_raise_response_validation_error(
    response: httpx.Response, fragment: str
) -> None:
    server = Server(response)
    with pytest.raises(errors.ResponseValidationError) as info:
        client_for(server).sender_pools.fetch(m.POOL)
    error = info.value
    assert fragment in str(error)
    assert "fetch" in str(error) and error.operation == "fetch"
    assert error.status_code == 200
    assert isinstance(error, errors.ApiError)
    assert isinstance(error.headers, httpx.Headers)
    assert len(server.requests) == 1  # not retried


def test_response_validation_error_body_snippet_is_bounded() -> None:
    server = Server(httpx.Response(200, content=b"x" * 10_000, headers={"content-type": "text/x"}))
    with pytest.raises(errors.ResponseValidationError) as info:
        plain_client(server)._call(op("json"), {})
    assert len(info.value.body) <= 501
    assert len(str(info.value)) < 1000


def test_untyped_json_without_type_is_plain_data_and_bad_json_still_typed_error() -> None:
    server = Server(httpx.Response(200, content=b"[1, 2]"))
    assert plain_client(server)._call(op("json"), {}) == [1, 2]
    server = Server(httpx.Response(200, content=b"[1, 2"))
    with pytest.raises(errors.ResponseValidationError):
        plain_client(server)._call(op("json"), {})


def test_strict_responses_enforce_the_constraint_schema() -> None:
    schema = {"type": "object", "properties": {"id": {"type": "string", "pattern": "^p_"}}}
    server = Server(json_response(200, {"id": "x"}))
    assert plain_client(server)._call(op("json", schema=schema), {}) == {"id": "x"}
    with pytest.raises(errors.ResponseValidationError) as info:
        plain_client(server, strict_responses=True)._call(op("json", schema=schema), {})
    assert "response.id" in str(info.value) and "pattern" in str(info.value)


# --- errors ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "cls"),
    [(400, errors.BadRequestError), (401, errors.UnauthorizedError),
     (403, errors.ForbiddenError), (404, errors.NotFoundError), (409, errors.ConflictError),
     (422, errors.UnprocessableEntityError), (429, errors.TooManyRequestsError),
     (500, errors.InternalServerError), (503, errors.ServiceUnavailableError),
     (418, errors.ClientError), (502, errors.ServerError), (302, errors.ApiError)],
)  # fmt: skip
def test_status_maps_to_error_class(status: int, cls: type[errors.ApiError]) -> None:
    server = Server(json_response(status, {"code": status, "message": "nope"}))
    with pytest.raises(errors.ApiError) as info:
        client_for(server, max_retries=0).sender_pools.fetch(m.POOL)
    assert type(info.value) is cls
    assert info.value.status_code == status
    assert info.value.method == "GET"
    assert info.value.url == f"https://comms.example.com/v1/SenderPools/{m.POOL}"
    assert "nope" in str(info.value)


def test_error_body_parsed_into_declared_model_exact_then_family_then_default() -> None:
    errs = (
        ErrorResponse(status="404", kind="json", type_=m.Error),
        ErrorResponse(status="4XX", kind="json", type_=dict[str, int]),
        ErrorResponse(status="default", kind="json", type_=list[int]),
    )
    operation = op("json", errors=errs)
    cases = [(404, {"code": 1, "message": "m"}, m.Error), (409, {"x": 1}, dict), (500, [1], list)]
    for status, payload, expected in cases:
        server = Server(json_response(status, payload))
        with pytest.raises(errors.ApiError) as info:
            plain_client(server, max_retries=0)._call(operation, {})
        assert isinstance(info.value.body, expected)


def test_error_body_falls_back_to_json_then_text() -> None:
    server = Server(json_response(404, {"unexpected": True}))
    with pytest.raises(errors.NotFoundError) as info:
        client_for(server).sender_pools.fetch(m.POOL)
    assert info.value.body == {"unexpected": True}
    server = Server(httpx.Response(400, text="plain failure"))
    with pytest.raises(errors.BadRequestError) as info2:
        client_for(server).sender_pools.fetch(m.POOL)
    assert info2.value.body == "plain failure"
    server = Server(httpx.Response(404))
    with pytest.raises(errors.NotFoundError) as info3:
        client_for(server).sender_pools.fetch(m.POOL)
    assert info3.value.body is None


def test_transport_errors_are_typed() -> None:
    server = Server(httpx.ConnectError("refused"))
    with pytest.raises(errors.ApiConnectionError) as info:
        plain_client(server, max_retries=0)._call(op("json"), {})
    assert not isinstance(info.value, errors.ApiTimeoutError)
    assert "refused" in str(info.value)
    server = Server(httpx.ReadTimeout("slow"))
    with pytest.raises(errors.ApiTimeoutError):
        plain_client(server, max_retries=0)._call(op("json"), {})


def test_error_for_status_table() -> None:
    error = errors.error_for_status(429, method="GET", url="https://x/y", retry_after=3.0)
    assert isinstance(error, errors.TooManyRequestsError)
    assert error.retry_after == 3.0
    assert "429 Too Many Requests" in str(error)
    assert set(errors.STATUS_ERRORS) == {400, 401, 403, 404, 409, 422, 429, 500, 503}
    assert type(errors.error_for_status(599)) is errors.ServerError
    assert type(errors.error_for_status(499)) is errors.ClientError
    assert type(errors.error_for_status(304)) is errors.ApiError
    for status, cls in errors.STATUS_ERRORS.items():
        assert issubclass(cls, errors.ClientError if status < 500 else errors.ServerError)


# --- raw responses ------------------------------------------------------------------------------


def test_raw_response_has_typed_header_attributes() -> None:
    body = {"operationId": m.OPERATION}
    server = Server(json_response(202, body, [("Location", "https://comms.example.com/op/1")]))
    raw = client_for(server).sender_pools.with_raw_response.add_senders(
        m.POOL, body=[{"senderId": m.SENDER}]
    )
    assert isinstance(raw, m.AddSendersRawResponse)
    assert raw.status_code == 202
    assert raw.location == "https://comms.example.com/op/1"
    assert raw.headers["LOCATION"] == raw.headers["location"]
    assert isinstance(raw.data, m.OperationRef) and raw.data.operation_id == m.OPERATION
    assert isinstance(raw.http_response, httpx.Response)


def test_raw_response_absent_header_is_none_and_plain_call_after_raw_is_plain() -> None:
    server = Server(json_response(200, POOL_JSON))
    client = client_for(server)
    raw = client.sender_pools.with_raw_response.fetch(m.POOL)
    assert isinstance(raw, m.FetchRawResponse) and raw.etag is None
    assert isinstance(client.sender_pools.fetch(m.POOL), m.SenderPool)


# --- client plumbing ----------------------------------------------------------------------------


def test_user_agent_base_url_and_custom_headers() -> None:
    server = Server(httpx.Response(200, json={}))
    client = plain_client(server, headers={"X-Extra": "1"})
    client._call(op("json"), {})
    request = server.last
    assert request.headers["user-agent"] == "plain-python/2.0"
    assert request.headers["x-extra"] == "1"
    assert str(request.url) == "https://api.example.com/base/thing"
    client = plain_client(server, base_url="https://other.example.com/v9")
    client._call(op("json"), {})
    assert str(server.last.url) == "https://other.example.com/v9/thing"


def test_user_http_client_is_used_with_its_hooks_and_not_closed() -> None:
    server = Server(httpx.Response(200, json={}))
    seen: list[str] = []
    http = httpx.Client(
        transport=server.transport,
        event_hooks={"request": [lambda r: seen.append(r.method)]},
        headers={"X-From-Http-Client": "yes"},
    )
    with SyncBaseClient(API, http_client=http) as client:
        client._call(op("json"), {})
    assert seen == ["GET"]
    assert server.last.headers["x-from-http-client"] == "yes"
    assert not http.is_closed
    http.close()


def test_own_http_client_is_closed() -> None:
    client = SyncBaseClient(API)
    assert client._http.follow_redirects is False
    with client:
        pass
    assert client._http.is_closed


def test_repr_of_client_shows_no_secret() -> None:
    client = m.Client(account_id="AC1", auth_token="tok-very-secret")
    assert "tok-very-secret" not in repr(client)
    assert "tok-very-secret" not in repr(client._auth)
    assert "tok-very-secret" not in repr(vars(client))
    client.close()


def test_debug_log_has_method_url_status_attempt_and_no_secrets(
    caplog: pytest.LogCaptureFixture,
) -> None:
    api = Api(package="keyed", title="t", version="1", base_url="https://k.example.com",
              schemes=(ApiKey(name="key", arg="api_key", location="query", wire="api_key"),),
              security=(("key",),))  # fmt: skip
    operation = op("json", params=(Param(name="q", wire="q", location="query", style="form",
                                         explode=True),))  # fmt: skip
    server = Server(httpx.Response(503), httpx.Response(200, json={}))
    client = SyncBaseClient(api, credentials={"api_key": "KEY-SECRET"},
                            http_client=server.sync_client())  # fmt: skip
    client.sleep = lambda seconds: None
    with caplog.at_level(logging.DEBUG, logger="keyed"):
        client._call(operation, {"q": "v"})
    assert "api_key=KEY-SECRET" in str(server.last.url)
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "GET https://k.example.com/thing?q=v&api_key=REDACTED (attempt 1)" in text
    assert "-> 503" in text and "(attempt 2)" in text and "-> 200" in text
    assert "KEY-SECRET" not in text
    assert all("KEY-SECRET" not in repr(r.args) for r in caplog.records)


# --- the httpx client is made on first use -----------------------------------------------------


def test_own_http_client_is_made_on_first_use_only() -> None:
    client = SyncBaseClient(API)
    assert client._made_http is None  # Client() does not load the CA bundle
    first = client._http
    assert client._http is first and first.follow_redirects is False
    client.close()
    assert first.is_closed


def test_own_http_client_is_made_once_under_threads() -> None:
    import threading

    client = SyncBaseClient(API)
    seen: list[httpx.Client] = []
    start = threading.Barrier(8)

    def use() -> None:
        start.wait()
        seen.append(client._http)

    threads = [threading.Thread(target=use) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 8 and all(http is seen[0] for http in seen)
    client.close()


def test_a_client_closed_before_first_use_refuses_requests() -> None:
    client = SyncBaseClient(API)
    client.close()
    with pytest.raises(RuntimeError, match="client has been closed"):
        client._call(op("json"), {})
    assert client._made_http is None


def test_a_given_http_client_is_used_as_is() -> None:
    http = httpx.Client()
    client = SyncBaseClient(API, http_client=http)
    assert client._http is http
    client.close()
    assert not http.is_closed
    http.close()


async def test_async_http_client_is_made_on_first_use_and_closed() -> None:
    client = AsyncBaseClient(API)
    assert client._made_http is None
    made = client._http
    assert isinstance(made, httpx.AsyncClient) and client._http is made
    await client.close()
    assert made.is_closed
    unused = AsyncBaseClient(API)
    await unused.close()
    with pytest.raises(RuntimeError, match="client has been closed"):
        await unused._call(op("json"), {})
