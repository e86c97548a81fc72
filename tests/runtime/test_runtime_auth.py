"""Credentials: schemes, alternatives, environment fallback, secrecy, redirects, OAuth2."""

from __future__ import annotations

import asyncio
import base64
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
import rt_api as m
from fakepkg._runtime import errors
from fakepkg._runtime.client import AsyncBaseClient, SyncBaseClient
from fakepkg._runtime.spec import (
    Api,
    ApiKey,
    HttpBasic,
    HttpBearer,
    OAuth2ClientCredentials,
    Operation,
    Response,
)
from rt_helpers import Server, json_response

SCHEMES = (
    HttpBearer(name="bearer", token="token"),
    ApiKey(name="headerKey", arg="header_key", location="header", wire="X-API-Key"),
    ApiKey(name="queryKey", arg="query_key", location="query", wire="apiKey"),
    ApiKey(name="cookieKey", arg="cookie_key", location="cookie", wire="session"),
    HttpBasic(name="basic", username="username", password="password"),
    OAuth2ClientCredentials(name="oauth", client_id="client_id", client_secret="client_secret",
                            token_url="https://auth.example.com/token", scopes=("read", "write")),
)  # fmt: skip


def api(*security: tuple[str, ...]) -> Api:
    return Api(package="keys", title="t", version="1", base_url="https://api.example.com",
               schemes=SCHEMES, security=security)  # fmt: skip


def op(security: tuple[tuple[str, ...], ...] | None = None, method: str = "GET") -> Operation[Any]:
    return Operation(name="get_thing", method=method, path="/thing", security=security,
                     responses=(Response(status="200", kind="json"),))  # fmt: skip


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_basic_first_complete_alternative_is_used() -> None:
    server = Server(json_response(200, {}))
    both = {**m.CREDS, "api_key": "SK1", "api_key_secret": "other-secret"}
    with m.Client(**both, http_client=server.sync_client()) as client:
        client._call(op(), {})
    assert server.last.headers["authorization"] == basic("AC123", "s3cr3t-token")


def test_basic_second_alternative_when_first_incomplete() -> None:
    server = Server(json_response(200, {}))
    given = {"account_id": "AC123", "api_key": "SK1", "api_key_secret": "other-secret"}
    with m.Client(**given, http_client=server.sync_client()) as client:
        client._call(op(), {})
    assert server.last.headers["authorization"] == basic("SK1", "other-secret")


def test_environment_fallback_and_explicit_arguments_win(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MINI_COMMS_ACCOUNT_ID", "AC-env")
    monkeypatch.setenv("MINI_COMMS_AUTH_TOKEN", "env-token")
    server = Server(json_response(200, {}))
    with m.Client(http_client=server.sync_client()) as client:
        client._call(op(), {})
    assert server.last.headers["authorization"] == basic("AC-env", "env-token")
    with m.Client(account_id="AC-arg", http_client=server.sync_client()) as client:
        client._call(op(), {})
    assert server.last.headers["authorization"] == basic("AC-arg", "env-token")


def test_missing_credentials_raise_at_call_time_naming_args_and_env(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("ACCOUNT_ID", "AUTH_TOKEN", "API_KEY", "API_KEY_SECRET"):
        monkeypatch.delenv(f"MINI_COMMS_{name}", raising=False)
    server = Server(json_response(200, {}))
    client = m.Client(account_id="AC1", http_client=server.sync_client())  # no error yet
    with pytest.raises(errors.MissingCredentialsError) as info:
        client.sender_pools.fetch(m.POOL)
    message = str(info.value)
    for word in ("account_id=", "auth_token=", "api_key=", "api_key_secret=",
                 "MINI_COMMS_ACCOUNT_ID", "MINI_COMMS_AUTH_TOKEN", "MINI_COMMS_API_KEY",
                 "MINI_COMMS_API_KEY_SECRET", "'fetch'"):  # fmt: skip
        assert word in message
    assert "AC1" not in message
    assert server.requests == []
    client.sender_pools.ping()  # security: [] needs nothing
    assert "authorization" not in server.last.headers


@pytest.mark.parametrize(
    ("security", "credentials", "check"),
    [
        (("bearer",), {"token": "T0K"},
         lambda r: r.headers["authorization"] == "Bearer T0K"),
        (("headerKey",), {"header_key": "HK"}, lambda r: r.headers["x-api-key"] == "HK"),
        (("queryKey",), {"query_key": "Q K"}, lambda r: r.url.params["apiKey"] == "Q K"),
        (("cookieKey",), {"cookie_key": "CK"}, lambda r: r.headers["cookie"] == "session=CK"),
        (("basic",), {"username": "u", "password": "p"},
         lambda r: r.headers["authorization"] == basic("u", "p")),
        (("headerKey", "queryKey"), {"header_key": "HK", "query_key": "QK"},
         lambda r: r.headers["x-api-key"] == "HK" and r.url.params["apiKey"] == "QK"),
    ],
)  # fmt: skip
def test_each_scheme_is_sent(security: tuple[str, ...], credentials: dict[str, str],
                             check: Any) -> None:  # fmt: skip
    server = Server(json_response(200, {}))
    client = SyncBaseClient(api(security), credentials=credentials,
                            http_client=server.sync_client())  # fmt: skip
    client._call(op(), {})
    assert check(server.last)


def test_operation_security_overrides_the_default() -> None:
    server = Server(json_response(200, {}))
    client = SyncBaseClient(api(("bearer",)), credentials={"token": "T", "header_key": "HK"},
                            http_client=server.sync_client())  # fmt: skip
    client._call(op(security=(("headerKey",),)), {})
    assert server.last.headers["x-api-key"] == "HK"
    assert "authorization" not in server.last.headers
    client._call(op(security=()), {})
    assert "x-api-key" not in server.last.headers and "authorization" not in server.last.headers


def test_secrets_absent_from_error_str_and_repr() -> None:
    server = Server(json_response(401, {"message": "bad key"}))
    creds = {"query_key": "QSECRET", "username": "user", "password": "PSECRET"}
    client = SyncBaseClient(api(("queryKey", "basic")), credentials=creds,
                            http_client=server.sync_client())  # fmt: skip
    with pytest.raises(errors.UnauthorizedError) as info:
        client._call(op(), {})
    encoded = base64.b64encode(b"user:PSECRET").decode()
    for text in (str(info.value), repr(info.value), repr(info.value.args), str(info.value.url)):
        assert "QSECRET" not in text and "PSECRET" not in text and encoded not in text
    assert info.value.url == "https://api.example.com/thing?apiKey=REDACTED"
    assert "QSECRET" not in repr(client) and "PSECRET" not in repr(client._auth.select(None, "x"))


# --- redirects ----------------------------------------------------------------------------------


def redirecting(location: str, status: int = 302) -> Server:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.host == "api.example.com" and request.url.path == "/thing":
            return httpx.Response(status, headers={"Location": location})
        return httpx.Response(200, json={"at": str(request.url)})

    return Server(answer)


ALL_KEYS = {"header_key": "HK", "query_key": "QK", "cookie_key": "CK", "token": "BT"}
ALL_SECURITY = ("headerKey", "queryKey", "cookieKey", "bearer")


def assert_no_credentials(request: httpx.Request) -> None:
    assert "authorization" not in request.headers
    assert "x-api-key" not in request.headers
    assert "cookie" not in request.headers
    assert "apiKey" not in request.url.params


def test_cross_origin_redirect_is_followed_without_any_credential() -> None:
    server = redirecting("https://elsewhere.example.net/landing")
    client = SyncBaseClient(api(ALL_SECURITY), credentials=ALL_KEYS,
                            headers={"X-API-Key": "user-default", "Authorization": "Bearer user"},
                            http_client=server.sync_client())  # fmt: skip
    assert client._call(op(), {}) == {"at": "https://elsewhere.example.net/landing"}
    first, second = server.requests
    assert first.headers["x-api-key"] == "HK" and first.url.params["apiKey"] == "QK"
    assert first.headers["cookie"] == "session=CK"
    assert second.url.host == "elsewhere.example.net"
    assert_no_credentials(second)


def test_same_origin_redirect_keeps_credentials_and_scheme_change_is_cross_origin() -> None:
    server = redirecting("/moved")
    client = SyncBaseClient(api(ALL_SECURITY), credentials=ALL_KEYS,
                            http_client=server.sync_client())  # fmt: skip
    client._call(op(), {})
    second = server.requests[1]
    assert second.url.path == "/moved"
    assert second.headers["x-api-key"] == "HK" and second.url.params["apiKey"] == "QK"
    assert second.headers["authorization"] == "Bearer BT"
    server = redirecting("http://api.example.com/plain")
    client = SyncBaseClient(api(ALL_SECURITY), credentials=ALL_KEYS,
                            http_client=server.sync_client())  # fmt: skip
    client._call(op(), {})
    assert_no_credentials(server.requests[1])


def test_cross_origin_redirect_drops_user_http_client_auth_even_if_it_follows() -> None:
    server = redirecting("https://elsewhere.example.net/x")
    http = httpx.Client(transport=server.transport, auth=httpx.BasicAuth("hc", "hc-secret"),
                        follow_redirects=True)  # fmt: skip
    client = SyncBaseClient(api(), http_client=http)
    client._call(op(), {})
    assert server.requests[0].headers["authorization"] == basic("hc", "hc-secret")
    assert "authorization" not in server.requests[1].headers
    http.close()


def test_303_turns_post_into_get_without_body_and_307_keeps_it() -> None:
    server = redirecting("/after", status=303)
    client = SyncBaseClient(api(), http_client=server.sync_client())
    client._call(op(method="POST"), {})
    assert [r.method for r in server.requests] == ["POST", "GET"]
    server = redirecting("/after", status=307)
    client = SyncBaseClient(api(), http_client=server.sync_client())
    client._call(op(method="POST"), {})
    assert [r.method for r in server.requests] == ["POST", "POST"]


def test_redirect_loop_raises() -> None:
    server = Server(httpx.Response(302, headers={"Location": "/thing"}))
    client = SyncBaseClient(api(), http_client=server.sync_client())
    with pytest.raises(errors.ApiError) as info:
        client._call(op(), {})
    assert info.value.status_code == 302 and "too many redirects" in str(info.value)


async def test_async_cross_origin_redirect_without_credentials() -> None:
    server = redirecting("https://elsewhere.example.net/landing")
    client = AsyncBaseClient(api(ALL_SECURITY), credentials=ALL_KEYS,
                             http_client=server.async_client())  # fmt: skip
    assert await client._call(op(), {}) == {"at": "https://elsewhere.example.net/landing"}
    assert server.requests[0].headers["x-api-key"] == "HK"
    assert_no_credentials(server.requests[1])


async def test_async_basic_auth_alternatives() -> None:
    server = Server(json_response(200, {}))
    async with m.AsyncClient(api_key="SK", api_key_secret="S2",
                             http_client=server.async_client()) as client:  # fmt: skip
        await client._call(op(), {})
    assert server.last.headers["authorization"] == basic("SK", "S2")


# --- OAuth2 client credentials ------------------------------------------------------------------


class TokenServer(Server):
    def __init__(self, expires_in: float = 3600, delay: float = 0.0) -> None:
        super().__init__(self.answer)
        self.issued = 0
        self.expires_in = expires_in
        self.delay = delay
        self.lock = threading.Lock()

    def answer(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == "auth.example.com":
            time.sleep(self.delay)
            with self.lock:
                self.issued += 1
                token = f"tok{self.issued}"
            return json_response(200, {"access_token": token, "expires_in": self.expires_in})
        if request.headers.get("authorization") == "Bearer revoked":
            return httpx.Response(401)
        return json_response(200, {"auth": request.headers.get("authorization")})


OAUTH = {"client_id": "cid", "client_secret": "csecret"}


def test_oauth2_token_fetched_once_and_cached() -> None:
    server = TokenServer()
    client = SyncBaseClient(api(("oauth",)), credentials=OAUTH, http_client=server.sync_client())
    assert client._call(op(), {}) == {"auth": "Bearer tok1"}
    assert client._call(op(), {}) == {"auth": "Bearer tok1"}
    token_request = server.requests[0]
    assert token_request.method == "POST"
    assert token_request.headers["authorization"] == basic("cid", "csecret")
    form = dict(httpx.QueryParams(token_request.content.decode()))
    assert form == {"grant_type": "client_credentials", "scope": "read write"}
    assert server.issued == 1


def test_oauth2_token_refreshed_when_expired_and_after_401() -> None:
    server = TokenServer(expires_in=0)
    client = SyncBaseClient(api(("oauth",)), credentials=OAUTH, http_client=server.sync_client())
    assert client._call(op(), {}) == {"auth": "Bearer tok1"}
    assert client._call(op(), {}) == {"auth": "Bearer tok2"}
    server = TokenServer()
    client = SyncBaseClient(api(("oauth",)), credentials=OAUTH, http_client=server.sync_client())
    session = client._auth.select(None, "x")[0].session
    assert session is not None
    session._token, session._expires_at = "revoked", time.monotonic() + 100
    assert client._call(op(), {}) == {"auth": "Bearer tok1"}
    assert server.issued == 1


def test_oauth2_one_fetch_shared_by_threads() -> None:
    server = TokenServer(delay=0.05)
    client = SyncBaseClient(api(("oauth",)), credentials=OAUTH, http_client=server.sync_client())
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: client._call(op(), {}), range(8)))
    assert server.issued == 1
    assert all(r == {"auth": "Bearer tok1"} for r in results)


async def test_oauth2_one_fetch_shared_by_tasks() -> None:
    gate = asyncio.Event()
    issued = 0

    async def answer(request: httpx.Request) -> httpx.Response:
        nonlocal issued
        if request.url.host == "auth.example.com":
            issued += 1
            await gate.wait()
            return json_response(200, {"access_token": "atok", "expires_in": 60})
        return json_response(200, {"auth": request.headers["authorization"]})

    http = httpx.AsyncClient(transport=httpx.MockTransport(answer))
    client = AsyncBaseClient(api(("oauth",)), credentials=OAUTH, http_client=http)
    calls = [asyncio.create_task(client._call(op(), {})) for _ in range(5)]
    await asyncio.sleep(0.01)
    gate.set()
    assert await asyncio.gather(*calls) == [{"auth": "Bearer atok"}] * 5
    assert issued == 1
    await http.aclose()


def test_oauth2_token_endpoint_failure_is_typed_and_secret_free() -> None:
    server = Server(json_response(400, {"error": "invalid_client"}))
    client = SyncBaseClient(api(("oauth",)), credentials=OAUTH, http_client=server.sync_client())
    with pytest.raises(errors.BadRequestError) as info:
        client._call(op(), {})
    assert "csecret" not in str(info.value) and "csecret" not in repr(info.value)
