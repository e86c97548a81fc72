"""Generate an inline spec into tmp_path, import the package, talk to it over MockTransport."""

from __future__ import annotations

import importlib
import itertools
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from generator.cli import run

_COUNTER = itertools.count()


class Recorder:
    """A MockTransport handler: answers from a list (or a function) and keeps every request."""

    def __init__(
        self, *answers: httpx.Response | Callable[[httpx.Request], httpx.Response]
    ) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        return answer(request) if callable(answer) else answer

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]


@pytest.fixture
def generated(tmp_path: Path) -> Iterator[Callable[..., ModuleType]]:
    """`generated(spec_text, strict=False)` → the imported package."""
    names: list[str] = []

    def make(text: str, *, suffix: str = ".yaml", extra: list[str] | None = None) -> ModuleType:
        package = f"gen_{next(_COUNTER)}"
        spec = tmp_path / f"{package}{suffix}"
        spec.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        out = tmp_path / f"{package}_out"
        code = run(
            ["generate", str(spec), "-o", str(out), "--package", package, "-q", *(extra or [])]
        )
        assert code == 0, f"generation failed with exit {code}"
        sys.path.insert(0, str(out))
        names.append(package)
        return importlib.import_module(package)

    yield make
    for package in names:
        for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
            del sys.modules[name]
    sys.path[:] = [p for p in sys.path if not p.startswith(str(tmp_path))]


def client(package: ModuleType, recorder: Recorder, **kwargs: Any) -> Any:
    http = httpx.Client(transport=httpx.MockTransport(recorder))
    return package.Client(http_client=http, **({"base_url": "https://api.test"} | kwargs))
