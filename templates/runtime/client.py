"""``SyncBaseClient`` and ``AsyncBaseClient``: the bases of a generated ``Client``/``AsyncClient``.

They own (or borrow) the httpx client and drive the flows of ``core.py``: ``Send`` goes to
httpx (always with ``follow_redirects=False``; a hop off the base_url origin also with
``auth=None``), ``Sleep`` to the injectable ``sleep`` callable (``time.sleep`` /
``asyncio.sleep``; tests replace it), ``Token`` to the OAuth2 cache under a lock (one fetch is
shared by concurrent callers).

Redirects: followed by the client; a cross-origin redirect is followed **without any
credential** (see ``core.py``). A user-supplied ``http_client`` is used as is — transport, event
hooks, default headers, its own timeout (``timeout`` applies only to a client made here) — and
``close()`` closes only a client made here.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar, cast

import httpx

from .auth import OAuth2Session
from .core import ClientCore, Flow, Send, Sleep
from .errors import ApiConnectionError, ApiTimeoutError
from .lro import wait_flow
from .pagination import AsyncPager, Fetched, SyncPage
from .raw import make_raw, take_raw
from .spec import Api, Operation

if TYPE_CHECKING:
    from collections.abc import Awaitable

__all__ = ["AsyncBaseClient", "SyncBaseClient"]

T = TypeVar("T")
SelfT = TypeVar("SelfT")


def _auth_for(action: Send) -> Any:
    """The client's own auth for trusted hops; none at all for a hop off the base_url origin."""
    return httpx.USE_CLIENT_DEFAULT if action.trusted else None


class SyncBaseClient(ClientCore):
    """Base of a generated synchronous ``Client``."""

    def __init__(
        self,
        api: Api,
        *,
        credentials: Mapping[str, str | None] | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None = 30.0,
        max_retries: int = 2,
        http_client: httpx.Client | None = None,
        headers: Mapping[str, str] | None = None,
        validate: bool = True,
        strict_responses: bool = False,
        max_retry_after: float = 60.0,
    ) -> None:
        super().__init__(
            api,
            credentials=credentials,
            base_url=base_url,
            max_retries=max_retries,
            headers=headers,
            validate=validate,
            strict_responses=strict_responses,
            max_retry_after=max_retry_after,
        )
        self._given_http = http_client
        self._made_http: httpx.Client | None = None
        self._timeout = timeout
        self._closed = False
        self._http_lock = threading.Lock()
        self.sleep: Callable[[float], None] = time.sleep

    @property
    def _http(self) -> httpx.Client:
        """The httpx client: the one given, else one made on first use (making it loads the
        CA bundle, which ``import pkg; pkg.Client()`` should not pay for)."""
        if self._given_http is not None:
            return self._given_http
        if self._made_http is None:
            with self._http_lock:
                if self._made_http is None:
                    _check_open(self._closed)
                    self._made_http = httpx.Client(timeout=self._timeout, follow_redirects=False)
        return self._made_http

    def close(self) -> None:
        """Close the httpx client if this client created it."""
        if self._given_http is None:
            self._closed = True
            if self._made_http is not None:
                self._made_http.close()

    def __enter__(self: SelfT) -> SelfT:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _run(self, flow: Flow[T]) -> T:
        """Drive a flow to its end."""
        value: Any = None
        error: Exception | None = None
        while True:
            try:
                action = flow.send(value) if error is None else flow.throw(error)
            except StopIteration as stop:
                return cast(T, stop.value)
            value, error = None, None
            if isinstance(action, Send):
                try:
                    value = self._http.send(
                        action.request, follow_redirects=False, auth=_auth_for(action)
                    )
                except httpx.TransportError as exc:
                    error = exc
            elif isinstance(action, Sleep):
                self.sleep(action.seconds)
            else:
                value = self._token(action.session)

    def _token(self, session: OAuth2Session) -> str:
        token = session.cached()
        if token is not None:
            return token
        with session.lock:
            token = session.cached()
            if token is not None:
                return token
            request = session.token_request(self._http, self.base_url)
            try:
                response = self._http.send(request, follow_redirects=False, auth=None)
            except httpx.TransportError as exc:
                raise _token_transport_error(exc) from exc
            return session.store(response)

    def _fetch(self, op: Operation[Any]) -> Callable[[dict[str, Any], str | None], Fetched]:
        return lambda args, url: self._run(self._execute(op, args, url))

    def _call(self, op: Operation[T], args: Mapping[str, Any]) -> T:
        """Make one call; the parsed body (or, in raw mode, the raw response)."""
        raw = take_raw()
        response, data = self._run(self._execute(op, args))
        return cast(T, data if raw is None else make_raw(raw, op, response, data))

    def _paginate(self, op: Operation[T], args: Mapping[str, Any]) -> SyncPage[Any, T]:
        """The first page of a list call (in raw mode: the first page's raw response)."""
        if op.pagination is None:
            raise TypeError(f"operation {op.name!r} is not paginated")
        raw = take_raw()
        fetched = self._run(self._execute(op, args))
        if raw is not None:
            return cast(SyncPage[Any, T], make_raw(raw, op, *fetched))
        return SyncPage(self._fetch(op), op.pagination, dict(args), fetched)

    def _call_and_wait(
        self,
        op: Operation[Any],
        args: Mapping[str, Any],
        *,
        poll_interval: float = 1.0,
        timeout: float = 300.0,
    ) -> Any:
        """Make a long-running call and wait for the operation to finish; its final state."""
        return self._run(wait_flow(self, op, args, poll_interval, timeout))


class AsyncBaseClient(ClientCore):
    """Base of a generated ``AsyncClient``; sleeps never block the event loop."""

    def __init__(
        self,
        api: Api,
        *,
        credentials: Mapping[str, str | None] | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None = 30.0,
        max_retries: int = 2,
        http_client: httpx.AsyncClient | None = None,
        headers: Mapping[str, str] | None = None,
        validate: bool = True,
        strict_responses: bool = False,
        max_retry_after: float = 60.0,
    ) -> None:
        super().__init__(
            api,
            credentials=credentials,
            base_url=base_url,
            max_retries=max_retries,
            headers=headers,
            validate=validate,
            strict_responses=strict_responses,
            max_retry_after=max_retry_after,
        )
        import asyncio  # here: only async clients need it (0.02 s to import)

        self._given_http = http_client
        self._made_http: httpx.AsyncClient | None = None
        self._timeout = timeout
        self._closed = False
        self.sleep: Callable[[float], Awaitable[None]] = asyncio.sleep

    @property
    def _http(self) -> httpx.AsyncClient:
        """The httpx client: the one given, else one made on first use (no lock needed: making
        it does not await, so no other task runs in between)."""
        if self._given_http is not None:
            return self._given_http
        if self._made_http is None:
            _check_open(self._closed)
            self._made_http = httpx.AsyncClient(timeout=self._timeout, follow_redirects=False)
        return self._made_http

    async def close(self) -> None:
        """Close the httpx client if this client created it."""
        if self._given_http is None:
            self._closed = True
            if self._made_http is not None:
                await self._made_http.aclose()

    async def __aenter__(self: SelfT) -> SelfT:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def _run(self, flow: Flow[T]) -> T:
        """Drive a flow to its end."""
        value: Any = None
        error: Exception | None = None
        while True:
            try:
                action = flow.send(value) if error is None else flow.throw(error)
            except StopIteration as stop:
                return cast(T, stop.value)
            value, error = None, None
            if isinstance(action, Send):
                try:
                    value = await self._http.send(
                        action.request, follow_redirects=False, auth=_auth_for(action)
                    )
                except httpx.TransportError as exc:
                    error = exc
            elif isinstance(action, Sleep):
                await self.sleep(action.seconds)
            else:
                value = await self._token(action.session)

    async def _token(self, session: OAuth2Session) -> str:
        token = session.cached()
        if token is not None:
            return token
        async with session.async_lock:
            token = session.cached()
            if token is not None:
                return token
            request = session.token_request(self._http, self.base_url)
            try:
                response = await self._http.send(request, follow_redirects=False, auth=None)
            except httpx.TransportError as exc:
                raise _token_transport_error(exc) from exc
            return session.store(response)

    def _fetch(
        self, op: Operation[Any]
    ) -> Callable[[dict[str, Any], str | None], Awaitable[Fetched]]:
        return lambda args, url: self._run(self._execute(op, args, url))

    async def _call(self, op: Operation[T], args: Mapping[str, Any]) -> T:
        """Make one call; the parsed body (or, in raw mode, the raw response)."""
        raw = take_raw()
        response, data = await self._run(self._execute(op, args))
        return cast(T, data if raw is None else make_raw(raw, op, response, data))

    def _paginate(self, op: Operation[T], args: Mapping[str, Any]) -> AsyncPager[Any, T]:
        """A pager: ``await`` it for the first page, ``async for`` it for every item."""
        if op.pagination is None:
            raise TypeError(f"operation {op.name!r} is not paginated")
        raw = take_raw()

        def as_raw(fetched: Fetched) -> Any:
            return make_raw(raw, op, *fetched)

        return AsyncPager(
            self._fetch(op), op.pagination, dict(args), as_raw if raw is not None else None
        )

    async def _call_and_wait(
        self,
        op: Operation[Any],
        args: Mapping[str, Any],
        *,
        poll_interval: float = 1.0,
        timeout: float = 300.0,
    ) -> Any:
        """Make a long-running call and wait for the operation to finish; its final state."""
        return await self._run(wait_flow(self, op, args, poll_interval, timeout))


def _check_open(closed: bool) -> None:
    """What httpx says of a request on a closed client, for one closed before its first use."""
    if closed:
        raise RuntimeError("Cannot send a request, as the client has been closed.")


def _token_transport_error(exc: httpx.TransportError) -> ApiConnectionError:
    cls = ApiTimeoutError if isinstance(exc, httpx.TimeoutException) else ApiConnectionError
    return cls(f"{type(exc).__name__} while fetching an OAuth2 token", method="POST")
