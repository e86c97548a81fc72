"""``RequestBuilder``: the request httpx's own ``build_request`` would make, built faster.

Every case compares the request with the one ``http.build_request`` makes from the same
arguments — method, URL, the raw header list (order and case), extensions and body — so the
fast path can never send something httpx would not have.
"""

from __future__ import annotations

from typing import Any
from unittest.mock import patch

import httpx
import pytest
from fakepkg._runtime.core import RequestBuilder
from hypothesis import given, settings
from hypothesis import strategies as st

URL = "https://api.example.com/v1/things/1?a=b"
NO_NETWORK = httpx.MockTransport(lambda request: httpx.Response(500))


def shape(request: httpx.Request) -> tuple[Any, ...]:
    return (
        request.method,
        str(request.url),
        request.headers.raw,
        request.extensions,
        request.read(),
    )


def same_as_httpx(
    http: httpx.Client | httpx.AsyncClient,
    headers: dict[str, str],
    content: bytes | None = None,
    url: str = URL,
    method: str = "GET",
) -> httpx.Request:
    built = RequestBuilder().build(http, method, url, dict(headers), content)
    assert shape(built) == shape(
        http.build_request(method, url, headers=dict(headers), content=content)
    )
    return built


def test_plain_client_headers_timeout_and_body() -> None:
    http = httpx.Client(headers={"X-Team": "a", "accept": "text/plain"}, timeout=3.5)
    request = same_as_httpx(
        http,
        {
            "User-Agent": "pkg-python/1",
            "Accept": "application/json",
            "Content-Type": "x/y",
        },
        b'{"a": 1}',
        method="POST",
    )
    assert request.headers["accept"] == "application/json"  # the request's own wins
    assert request.headers["x-team"] == "a"
    assert request.extensions["timeout"]["read"] == 3.5


def test_async_client_and_repeated_header_names() -> None:
    http = httpx.AsyncClient(headers=[("X-Multi", "1"), ("X-Multi", "2")])
    same_as_httpx(http, {"x-multi": "3", "Authorization": "Basic abc"})
    same_as_httpx(http, {})


def test_what_the_cache_cannot_see_goes_to_httpx() -> None:
    with_cookies = httpx.Client(cookies={"session": "s"})
    assert same_as_httpx(with_cookies, {"A": "1"}).headers["cookie"] == "session=s"
    with_params = httpx.Client(params={"api-version": "2"})
    assert same_as_httpx(with_params, {}).url.params["api-version"] == "2"
    relative = httpx.Client(base_url="https://api.example.com/base/")
    assert str(same_as_httpx(relative, {}, url="/x").url) == "https://api.example.com/base/x"

    class Custom(httpx.Client):
        def build_request(self, method: str, url: Any, **kwargs: Any) -> httpx.Request:
            kwargs["headers"] = {**kwargs["headers"], "X-Custom": "yes"}
            return super().build_request(method, url, **kwargs)

    built = RequestBuilder().build(Custom(), "GET", URL, {"A": "1"}, None)
    assert built.headers["x-custom"] == "yes"


def test_changed_client_headers_are_seen_and_the_cache_stays_small() -> None:
    http = httpx.Client()
    builder = RequestBuilder()
    assert "x-later" not in builder.build(http, "GET", URL, {"A": "1"}, None).headers
    http.headers["X-Later"] = "now"
    assert builder.build(http, "GET", URL, {"A": "1"}, None).headers["x-later"] == "now"
    hot = {"Authorization": "Basic abc"}
    for n in range(RequestBuilder.LIMIT * 3):  # a fresh idempotency key on every call
        request = builder.build(http, "GET", URL, {"Idempotency-Key": str(n)}, None)
        assert request.headers["idempotency-key"] == str(n)
        assert builder.build(http, "GET", URL, hot, None).headers["authorization"] == "Basic abc"
    assert len(builder._merged) <= RequestBuilder.LIMIT
    assert (tuple(http.headers.raw), *hot.items()) in builder._merged  # kept: used all along


def test_headers_httpx_cannot_encode_fail_every_time() -> None:
    """Nothing half-merged is kept: the next call with the same headers fails the same way
    instead of going out without them."""
    http, builder = httpx.Client(transport=NO_NETWORK), RequestBuilder()
    headers = {"Authorization": "Bearer t", "X-Name": "café"}
    for _ in range(2):
        with pytest.raises(UnicodeEncodeError):
            http.build_request("GET", URL, headers=headers)
        with pytest.raises(UnicodeEncodeError):
            builder.build(http, "GET", URL, dict(headers), None)
    assert builder._merged == {}


def test_a_replaced_build_request_is_used() -> None:
    http = httpx.Client(transport=NO_NETWORK)
    made = http.build_request("GET", URL)
    http.build_request = lambda *args, **kwargs: made  # type: ignore[method-assign]
    assert RequestBuilder().build(http, "GET", URL, {"A": "1"}, None) is made
    with patch.object(httpx.Client, "build_request", return_value=made):
        assert RequestBuilder().build(httpx.Client(), "GET", URL, {"A": "1"}, None) is made


def test_a_built_request_does_not_share_headers_with_the_next() -> None:
    http, builder = httpx.Client(), RequestBuilder()
    first = builder.build(http, "GET", URL, {"Authorization": "Basic abc"}, None)
    first.headers.pop("Authorization")  # what a hop off the base_url origin does
    second = builder.build(http, "GET", URL, {"Authorization": "Basic abc"}, None)
    assert second.headers["authorization"] == "Basic abc"


token = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-",
    min_size=1,
    max_size=12,
)
value = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=20)


@settings(max_examples=150, deadline=None)
@given(
    client_headers=st.lists(st.tuples(token, value), max_size=5),
    request_headers=st.dictionaries(token, value, max_size=5),
    content=st.none() | st.binary(max_size=20),
)
def test_property_same_request_as_build_request(
    client_headers: list[tuple[str, str]],
    request_headers: dict[str, str],
    content: bytes | None,
) -> None:
    http = httpx.Client(headers=client_headers, transport=NO_NETWORK)  # no CA bundle to load
    same_as_httpx(http, request_headers, content, method="PUT")


@pytest.mark.parametrize(
    "url",
    [
        "HTTPS://API.EXAMPLE.COM/x",
        "http://127.0.0.1:8080/a b",
        "https://user:p%40ss@api.example.com/x",
        "http://[::1]:8080/x",
        "http:///path",  # no host: joined to the client's base_url, like a relative URL
        "http://:8080/p",
        "https://",
    ],
)
def test_unusual_urls(url: str) -> None:
    same_as_httpx(httpx.Client(base_url="https://base.example/api"), {"A": "1"}, url=url)


def test_urls_of_the_usual_shape_are_not_parsed_again() -> None:
    builder = RequestBuilder()
    for url in (URL, "http://127.0.0.1:8080/a/%2F/b?x=1&y=%20", "https://API.example.com:443/v1/"):
        made = builder._url(url)
        assert made is not None
        assert made._uri_reference == httpx.URL(url)._uri_reference
    assert len(builder._origins) == 3


@pytest.mark.parametrize(
    "url",
    [
        "https://api.example.com/v1/../admin",  # httpx drops the dot segments
        "https://api.example.com/v1/./x",
        "https://api.example.com/a b",  # httpx quotes the space
        "https://api.example.com/a%zz",
        "https://api.example.com/x#frag",
        "https://user@api.example.com/x",
        "https://api.example.com/caf\u00e9",
        "https://api.example.com",
        "https://api.example.com/" + "x" * 9000,
    ],
)
def test_urls_httpx_would_change_are_parsed(url: str) -> None:
    assert RequestBuilder()._url(url) is None
    same_as_httpx(httpx.Client(transport=NO_NETWORK), {"A": "1"}, url=url)


url_piece = st.text(
    alphabet=st.sampled_from("aZ09-._~!$&'()*+,;=:@/?%#[] \"<>`{}|\\^\u00e9"), max_size=12
) | st.sampled_from(["%2F", "%2e", "%41", "%", "..", "."])


@settings(max_examples=300, deadline=None)
@given(
    origin=st.sampled_from(
        ["https://api.example.com", "http://localhost:8080", "HTTPS://Api.Example.COM:443"]
    ),
    path=st.lists(url_piece, max_size=4).map("/".join),
    query=st.none() | st.lists(url_piece, max_size=3).map("&".join),
)
def test_property_url_same_as_httpx(origin: str, path: str, query: str | None) -> None:
    url = origin + "/" + path + ("" if query is None else "?" + query)
    try:
        expected = httpx.URL(url)
    except httpx.InvalidURL:
        return
    made = RequestBuilder()._url(url)
    if made is not None:
        assert made._uri_reference == expected._uri_reference
    built = RequestBuilder().build(httpx.Client(transport=NO_NETWORK), "GET", url, {}, None)
    assert built.url._uri_reference == expected._uri_reference
