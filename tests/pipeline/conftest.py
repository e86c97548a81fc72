"""Pipeline tests share one black/models cache (in a temp folder, never ~/.cache)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("oagen-cache")


@pytest.fixture(autouse=True)
def _cache_env(shared_cache: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("OAGEN_CACHE_DIR", str(shared_cache))
    yield
