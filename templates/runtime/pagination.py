"""Pages of list operations, and iteration over every item across pages.

Styles (``spec.Pagination``): ``cursor`` — the next token is at attribute path ``next`` of the
response (or, with ``has_more``, attribute ``last_item`` of the last item) and is passed back
as parameter ``param``; ``offset`` — ``param`` advances by the number of items received;
``page`` — ``param`` advances by one; ``link`` — the ``Link: <…>; rel="next"`` header's URL is
fetched as given. Later pages repeat every other argument of the first call with only the
token replaced. Iteration stops on a null/absent/empty token, a false ``has_more``, an empty
page, or a token (or link) already seen — it never loops.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any, Generic, TypeVar

import httpx

from .spec import Pagination

__all__ = ["AsyncPage", "AsyncPager", "NextPage", "SyncPage", "get_path", "next_page"]

ItemT = TypeVar("ItemT")
ResponseT = TypeVar("ResponseT")

Fetched = tuple[httpx.Response, Any]
Fetch = Callable[[dict[str, Any], str | None], Fetched]
AsyncFetch = Callable[[dict[str, Any], str | None], Awaitable[Fetched]]


def get_path(obj: Any, path: str | None) -> Any:
    """Follow a dotted attribute path (or dict keys); ``None`` when any step is missing."""
    for part in path.split(".") if path else ():
        obj = obj.get(part) if isinstance(obj, Mapping) else getattr(obj, part, None)
        if obj is None:
            return None
    return obj


@dataclass(frozen=True, slots=True)
class NextPage:
    """The arguments of the next call, or (link style) the URL to fetch."""

    args: dict[str, Any]
    url: str | None = None


def next_page(
    style: Pagination,
    args: dict[str, Any],
    response: httpx.Response,
    data: Any,
    items: list[Any],
    seen: set[Any],
) -> NextPage | None:
    """How to fetch the page after this one, or ``None`` when this is the last."""
    if style.style == "link":
        link = response.links.get("next", {}).get("url")
        url = str(response.url.join(link)) if link else None
        return _unseen(url, seen, NextPage(args, url))
    if not items or (style.has_more and not get_path(data, style.has_more)):
        return None
    param = style.param or ""
    if style.style == "cursor":
        source = items[-1] if style.last_item else data
        token = get_path(source, style.last_item or style.next)
        token = token.value if isinstance(token, Enum) else token
        return _unseen(token, seen, NextPage({**args, param: token}))
    current = args.get(param)
    if style.style == "offset":
        return NextPage({**args, param: (current or 0) + len(items)})
    return NextPage({**args, param: (style.first_page if current is None else current) + 1})


def _unseen(token: Any, seen: set[Any], found: NextPage) -> NextPage | None:
    if token is None or token == "" or token in seen:
        return None
    seen.add(token)
    return found


class _Page(Generic[ItemT, ResponseT]):
    """What sync and async pages share: items, the parsed response, the next request."""

    def __init__(
        self, style: Pagination, args: dict[str, Any], fetched: Fetched, seen: set[Any] | None
    ) -> None:
        http_response, data = fetched
        if seen is None:  # the first page: its own token (or URL) must not come back
            seen = {args[style.param]} if style.param and args.get(style.param) else set()
            if style.style == "link":
                seen.add(str(http_response.url))
        self._style, self._args, self._seen = style, args, seen
        self.http_response: httpx.Response = http_response
        self.response: ResponseT = data
        found = data if not style.items else get_path(data, style.items)
        self.items: list[ItemT] = list(found or ())
        self._next = next_page(style, args, http_response, data, self.items, seen)

    def has_next_page(self) -> bool:
        """Whether another page can be fetched."""
        return self._next is not None

    def _next_request(self) -> NextPage:
        if self._next is None:
            raise LookupError("this is the last page; check has_next_page() first")
        return self._next

    def __repr__(self) -> str:
        return f"<{type(self).__name__} items={len(self.items)} more={self.has_next_page()}>"


class SyncPage(_Page[ItemT, ResponseT]):
    """One page; iterating it yields every item of this and the following pages."""

    def __init__(
        self,
        fetch: Fetch,
        style: Pagination,
        args: dict[str, Any],
        fetched: Fetched,
        seen: set[Any] | None = None,
    ) -> None:
        super().__init__(style, args, fetched, seen)
        self._fetch = fetch

    def next_page(self) -> SyncPage[ItemT, ResponseT]:
        """Fetch the following page."""
        step = self._next_request()
        fetched = self._fetch(step.args, step.url)
        return SyncPage(self._fetch, self._style, step.args, fetched, self._seen)

    def iter_pages(self) -> Iterator[SyncPage[ItemT, ResponseT]]:
        """This page and every following one."""
        page = self
        yield page
        while page.has_next_page():
            page = page.next_page()
            yield page

    def __iter__(self) -> Iterator[ItemT]:
        for page in self.iter_pages():
            yield from page.items


class AsyncPage(_Page[ItemT, ResponseT]):
    """One page; ``async for`` over it yields every item of this and the following pages."""

    def __init__(
        self,
        fetch: AsyncFetch,
        style: Pagination,
        args: dict[str, Any],
        fetched: Fetched,
        seen: set[Any] | None = None,
    ) -> None:
        super().__init__(style, args, fetched, seen)
        self._fetch = fetch

    async def next_page(self) -> AsyncPage[ItemT, ResponseT]:
        """Fetch the following page."""
        step = self._next_request()
        fetched = await self._fetch(step.args, step.url)
        return AsyncPage(self._fetch, self._style, step.args, fetched, self._seen)

    async def iter_pages(self) -> AsyncIterator[AsyncPage[ItemT, ResponseT]]:
        """This page and every following one."""
        page = self
        yield page
        while page.has_next_page():
            page = await page.next_page()
            yield page

    async def __aiter__(self) -> AsyncIterator[ItemT]:
        async for page in self.iter_pages():
            for item in page.items:
                yield item


class AsyncPager(Generic[ItemT, ResponseT]):
    """What an async list method returns (from a plain ``def``).

    ``await pager`` gives the first ``AsyncPage``; ``async for item in pager`` yields every
    item across pages.
    """

    def __init__(
        self,
        fetch: AsyncFetch,
        style: Pagination,
        args: dict[str, Any],
        raw: Callable[[Fetched], Any] | None = None,
    ) -> None:
        self._fetch, self._style, self._args, self._raw = fetch, style, args, raw

    async def _first(self) -> AsyncPage[ItemT, ResponseT]:
        fetched = await self._fetch(self._args, None)
        if self._raw is not None:  # raw mode: the raw response of the first page
            raw: AsyncPage[ItemT, ResponseT] = self._raw(fetched)
            return raw
        return AsyncPage(self._fetch, self._style, self._args, fetched)

    def __await__(self) -> Generator[Any, None, AsyncPage[ItemT, ResponseT]]:
        return self._first().__await__()

    async def __aiter__(self) -> AsyncIterator[ItemT]:
        page = await self._first()
        async for item in page:
            yield item
