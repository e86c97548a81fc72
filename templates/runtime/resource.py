"""Bases of the generated resource classes (one per operation group) and their raw views.

A resource holds its client and hands each call over (``_call``, ``_paginate``,
``_call_and_wait``). ``with_raw_response`` views wrap a resource's bound methods with
``_wrap(method, raw_type)``: the wrapper has the method's exact parameters (``ParamSpec``) and
returns ``raw_type`` (async: an awaitable of it); a paginated method gives the raw response of
its first page.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Coroutine, Mapping
from typing import Any, ParamSpec, TypeVar, cast

from .client import AsyncBaseClient, SyncBaseClient
from .pagination import AsyncPager, SyncPage
from .raw import raw_mode
from .spec import Operation

__all__ = ["AsyncRawResource", "AsyncResource", "SyncRawResource", "SyncResource"]

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")


class SyncResource:
    """Base of a generated synchronous resource."""

    def __init__(self, client: SyncBaseClient) -> None:
        self._client = client

    def _call(self, op: Operation[T], args: Mapping[str, Any]) -> T:
        return self._client._call(op, args)

    def _paginate(self, op: Operation[T], args: Mapping[str, Any]) -> SyncPage[Any, T]:
        return self._client._paginate(op, args)

    def _call_and_wait(
        self,
        op: Operation[Any],
        args: Mapping[str, Any],
        *,
        poll_interval: float = 1.0,
        timeout: float = 300.0,
    ) -> Any:
        return self._client._call_and_wait(op, args, poll_interval=poll_interval, timeout=timeout)


class AsyncResource:
    """Base of a generated asynchronous resource."""

    def __init__(self, client: AsyncBaseClient) -> None:
        self._client = client

    async def _call(self, op: Operation[T], args: Mapping[str, Any]) -> T:
        return await self._client._call(op, args)

    def _paginate(self, op: Operation[T], args: Mapping[str, Any]) -> AsyncPager[Any, T]:
        return self._client._paginate(op, args)

    async def _call_and_wait(
        self,
        op: Operation[Any],
        args: Mapping[str, Any],
        *,
        poll_interval: float = 1.0,
        timeout: float = 300.0,
    ) -> Any:
        return await self._client._call_and_wait(
            op, args, poll_interval=poll_interval, timeout=timeout
        )


class SyncRawResource:
    """Base of a generated ``…WithRawResponse`` view of a synchronous resource."""

    def __init__(self, resource: SyncResource) -> None:
        self._resource = resource

    def _wrap(self, method: Callable[P, Any], raw_type: type[R]) -> Callable[P, R]:
        """``method`` returning ``raw_type`` instead of the parsed data."""

        def raw(*args: P.args, **kwargs: P.kwargs) -> R:
            with raw_mode(raw_type):
                return cast(R, method(*args, **kwargs))

        raw.__name__ = getattr(method, "__name__", "raw")
        raw.__doc__ = method.__doc__
        return raw


class AsyncRawResource:
    """Base of a generated ``…WithRawResponse`` view of an asynchronous resource."""

    def __init__(self, resource: AsyncResource) -> None:
        self._resource = resource

    def _wrap(
        self, method: Callable[P, Any], raw_type: type[R]
    ) -> Callable[P, Coroutine[Any, Any, R]]:
        """``method`` returning (an awaitable of) ``raw_type`` instead of the parsed data."""

        async def raw(*args: P.args, **kwargs: P.kwargs) -> R:
            with raw_mode(raw_type):
                result = method(*args, **kwargs)
                if inspect.isawaitable(result):  # coroutines, and pagers of list methods
                    result = await result
            return cast(R, result)

        raw.__name__ = getattr(method, "__name__", "raw")
        raw.__doc__ = method.__doc__
        return raw
