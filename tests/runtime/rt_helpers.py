"""Test helpers: a scripted fake server over ``httpx.MockTransport``."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import httpx

Handler = Callable[[httpx.Request], httpx.Response]


class Server:
    """A scripted fake server: answers in order (the last one repeats), records requests."""

    def __init__(self, *answers: httpx.Response | Handler | Exception) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers[min(len(self.requests), len(self.answers)) - 1]
        if isinstance(answer, Exception):
            raise answer
        if isinstance(answer, httpx.Response):
            return httpx.Response(
                answer.status_code, headers=answer.headers, content=answer.content
            )
        return answer(request)

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)

    def sync_client(self) -> httpx.Client:
        return httpx.Client(transport=self.transport)

    def async_client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=self.transport)

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]

    def urls(self) -> list[str]:
        return [str(r.url) for r in self.requests]


def json_response(
    status: int, body: object, headers: Iterable[tuple[str, str]] = ()
) -> httpx.Response:
    return httpx.Response(status, json=body, headers=list(headers))
