"""Pagination: cursor, has_more + last item, offset, page, link; stops; async; raw mode."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import rt_api as m
from fakepkg._runtime.client import AsyncBaseClient, SyncBaseClient
from fakepkg._runtime.pagination import AsyncPage, SyncPage
from fakepkg._runtime.raw import RawResponse
from fakepkg._runtime.spec import Api, Operation, Pagination, Param, Response
from rt_helpers import Server, json_response

API = Api(package="pages", title="t", version="1", base_url="https://api.example.com")


def pools_page(ids: list[str], next_token: str | None) -> httpx.Response:
    pools = [{"id": i, "name": f"pool {i}"} for i in ids]
    return json_response(200, {"senderPools": pools, "pagination": {"next": next_token}})


def comms(server: Server) -> m.Client:
    return m.Client(**m.CREDS, http_client=server.sync_client())


def test_cursor_across_three_pages_repeats_other_arguments() -> None:
    server = Server(pools_page(["a", "b"], "t2"), pools_page(["c"], "t3"), pools_page(["d"], None))
    page = comms(server).sender_pools.list(page_size=2, start_date="2024-01-01T00:00:00Z")
    assert isinstance(page, SyncPage)
    assert [p.id for p in page.items] == ["a", "b"]
    assert isinstance(page.response, m.ListSenderPoolsResponse)
    assert page.has_next_page()
    assert [p.id for p in page] == ["a", "b", "c", "d"]
    params = [dict(r.url.params) for r in server.requests]
    assert params == [
        {"startDate": "2024-01-01T00:00:00Z", "pageSize": "2"},
        {"startDate": "2024-01-01T00:00:00Z", "pageToken": "t2", "pageSize": "2"},
        {"startDate": "2024-01-01T00:00:00Z", "pageToken": "t3", "pageSize": "2"},
    ]
    assert all(r.headers["authorization"].startswith("Basic ") for r in server.requests)


def test_next_page_and_iter_pages() -> None:
    server = Server(pools_page(["a"], "t2"), pools_page(["b"], ""))
    first = comms(server).sender_pools.list()
    second = first.next_page()
    assert [p.id for p in second.items] == ["b"]
    assert not second.has_next_page()
    with pytest.raises(LookupError):
        second.next_page()
    assert [len(p.items) for p in first.iter_pages()] == [1, 1]


def test_repeated_token_stops_iteration() -> None:
    server = Server(pools_page(["a"], "same"), pools_page(["b"], "same"), pools_page(["c"], "x"))
    assert [p.id for p in comms(server).sender_pools.list()] == ["a", "b"]
    assert len(server.requests) == 2
    server = Server(pools_page(["a"], "t0"))
    assert [p.id for p in comms(server).sender_pools.list(page_token="t0")] == ["a"]
    assert len(server.requests) == 1


def test_empty_page_stops_even_with_a_token() -> None:
    server = Server(pools_page(["a"], "t2"), pools_page([], "t3"), pools_page(["z"], None))
    assert [p.id for p in comms(server).sender_pools.list()] == ["a"]
    assert len(server.requests) == 2


def list_op(pagination: Pagination, *params: str) -> Operation[Any]:
    return Operation(
        name="items", method="GET", path="/items",
        params=tuple(Param(name=p, wire=p, location="query", style="form", explode=True)
                     for p in ("limit", *params)),
        responses=(Response(status="200", kind="json"),),
        pagination=pagination,
    )  # fmt: skip


def items_server(pages: list[dict[str, Any]], **headers: list[dict[str, str]]) -> Server:
    links = headers.get("links", [])
    answers = [json_response(200, body, list(links[i].items()) if i < len(links) else [])
               for i, body in enumerate(pages)]  # fmt: skip
    return Server(*answers)


def test_offset_style_advances_by_items_received() -> None:
    operation = list_op(Pagination(style="offset", items="data", param="offset"), "offset")
    server = items_server([{"data": [1, 2]}, {"data": [3]}, {"data": []}])
    page = SyncBaseClient(API, http_client=server.sync_client())._paginate(operation, {"limit": 2})
    assert list(page) == [1, 2, 3]
    assert [r.url.params.get("offset") for r in server.requests] == [None, "2", "3"]
    assert all(r.url.params["limit"] == "2" for r in server.requests)


def test_page_style_advances_by_one_and_honours_has_more() -> None:
    style = Pagination(style="page", items="data", param="page", has_more="more")
    operation = list_op(style, "page")
    server = items_server([{"data": ["a"], "more": True}, {"data": ["b"], "more": False}])
    page = SyncBaseClient(API, http_client=server.sync_client())._paginate(operation, {"page": 3})
    assert list(page) == ["a", "b"]
    assert [r.url.params["page"] for r in server.requests] == ["3", "4"]
    zero = Pagination(style="page", items="data", param="page", first_page=0)
    server = items_server([{"data": ["a"]}, {"data": []}])
    page = SyncBaseClient(API, http_client=server.sync_client())._paginate(
        list_op(zero, "page"), {}
    )
    assert list(page) == ["a"]
    assert [r.url.params.get("page") for r in server.requests] == [None, "1"]


def test_cursor_from_last_item_with_has_more() -> None:
    style = Pagination(style="cursor", items="data", param="starting_after", has_more="has_more",
                       last_item="id")  # fmt: skip
    operation = list_op(style, "starting_after")
    server = items_server([
        {"data": [{"id": "x1"}, {"id": "x2"}], "has_more": True},
        {"data": [{"id": "x3"}], "has_more": False},
    ])  # fmt: skip
    page = SyncBaseClient(API, http_client=server.sync_client())._paginate(operation, {"limit": 2})
    assert [item["id"] for item in page] == ["x1", "x2", "x3"]
    assert server.requests[1].url.params["starting_after"] == "x2"


def test_link_header_style_follows_the_url_as_given() -> None:
    operation = list_op(Pagination(style="link", items="data"))
    links = [
        {"Link": '<https://api.example.com/items?cursor=abc&limit=2>; rel="next"'},
        {"Link": '</items?cursor=def&limit=2>; rel="next", </items>; rel="first"'},
        {"Link": '</items?cursor=def&limit=2>; rel="next"'},
    ]
    server = items_server([{"data": [1]}, {"data": [2]}, {"data": [3]}], links=links)
    page = SyncBaseClient(API, http_client=server.sync_client())._paginate(operation, {"limit": 2})
    assert list(page) == [1, 2, 3]  # the third page repeats a link: stop
    assert server.urls() == [
        "https://api.example.com/items?limit=2",
        "https://api.example.com/items?cursor=abc&limit=2",
        "https://api.example.com/items?cursor=def&limit=2",
    ]


def test_raw_mode_returns_first_page_raw_response() -> None:
    server = Server(pools_page(["a"], "t2"), pools_page(["b"], None))
    raw = comms(server).sender_pools.with_raw_response.list(page_size=5)
    assert isinstance(raw, RawResponse)
    assert isinstance(raw.data, m.ListSenderPoolsResponse)
    assert raw.data.pagination.next == "t2"
    assert len(server.requests) == 1


async def test_async_pager_await_and_async_for() -> None:
    server = Server(pools_page(["a", "b"], "t2"), pools_page(["c"], "t3"), pools_page(["d"], None))
    async with m.AsyncClient(**m.CREDS, http_client=server.async_client()) as client:
        items = [p.id async for p in client.sender_pools.list(page_size=2)]
        assert items == ["a", "b", "c", "d"]
        assert server.requests[2].url.params["pageToken"] == "t3"
        assert server.requests[2].url.params["pageSize"] == "2"
        server.requests.clear()
        server.answers = [pools_page(["a"], "t2"), pools_page(["b"], None)]
        first = await client.sender_pools.list()
        assert isinstance(first, AsyncPage) and [p.id for p in first.items] == ["a"]
        second = await first.next_page()
        assert [p.id for p in second.items] == ["b"] and not second.has_next_page()
        pages = [len(page.items) async for page in first.iter_pages()]
        assert pages == [1, 1]


async def test_async_repeated_token_and_raw_first_page() -> None:
    server = Server(pools_page(["a"], "same"), pools_page(["b"], "same"))
    async with m.AsyncClient(**m.CREDS, http_client=server.async_client()) as client:
        assert [p.id async for p in client.sender_pools.list()] == ["a", "b"]
        server.answers = [pools_page(["z"], "t9")]
        raw = await client.sender_pools.with_raw_response.list()
        assert isinstance(raw, RawResponse) and raw.data.pagination.next == "t9"


async def test_async_offset_style() -> None:
    operation = list_op(Pagination(style="offset", items="data", param="offset"), "offset")
    server = items_server([{"data": [1, 2]}, {"data": []}])
    made = AsyncBaseClient(API, http_client=server.async_client())
    assert [x async for x in made._paginate(operation, {})] == [1, 2]
    assert server.requests[1].url.params["offset"] == "2"
