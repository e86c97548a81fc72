"""format: {path: text} → {path: text}, black in-process over every `*.py` file, cached.

The cache (see cache.py) maps black's version + options + the unformatted text to the formatted
text, so a file whose rendered text did not change since any earlier run is not formatted again.
Large batches are spread over the cores (black is CPU-bound: about 10,000 lines a second).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from importlib import metadata

import black
from black import mode as black_mode
from black.report import NothingChanged

from .cache import Cache, cache_key

_MODE = black_mode.Mode(target_versions={black_mode.TargetVersion.PY311}, line_length=100)
_PARALLEL_MIN_LINES = 20_000
_BLACK_VERSION = metadata.version("black")
_KIND = "black"


class FormatError(Exception):
    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: black could not format generated code: {message}")
        self.path, self.message = path, message

    def __reduce__(self) -> tuple[type[FormatError], tuple[str, str]]:
        return (FormatError, (self.path, self.message))  # raised in worker processes too


@dataclass(frozen=True, slots=True)
class Formatted:
    files: dict[str, str]
    formatted: int
    """Files black ran on in this run."""
    cached: int
    """Files whose formatted text came from the cache."""


def format_source(text: str) -> str:
    try:
        return black.format_str(text, mode=_MODE)
    except NothingChanged:
        return text


def _key(text: str) -> str:
    return cache_key(f"black {_BLACK_VERSION}", repr(_MODE), text)


def format_files(files: Mapping[str, str], cache: Cache | None = None) -> Formatted:
    """Format every `*.py` value; other files pass through unchanged."""
    result = dict(files)
    todo: dict[str, str] = {}
    for path, text in files.items():
        if not path.endswith(".py"):
            continue
        cached = cache.get(_KIND, _key(text)) if cache is not None else None
        if cached is not None:
            result[path] = cached
        else:
            todo[path] = text
    for path, formatted in _format_many(todo).items():
        result[path] = formatted
        if cache is not None:
            cache.put(_KIND, _key(todo[path]), formatted)
    python = sum(1 for path in files if path.endswith(".py"))
    return Formatted(files=result, formatted=len(todo), cached=python - len(todo))


def _format_many(todo: Mapping[str, str]) -> dict[str, str]:
    lines = sum(text.count("\n") for text in todo.values())
    workers = min(os.cpu_count() or 1, 8)
    if workers < 2 or lines < _PARALLEL_MIN_LINES or len(todo) < 2:
        return {path: _format_one(path, text) for path, text in todo.items()}
    paths = sorted(todo, key=lambda p: -len(todo[p]))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        formatted = pool.map(_format_one, paths, [todo[p] for p in paths], chunksize=1)
        return dict(zip(paths, formatted, strict=True))


def _format_one(path: str, text: str) -> str:
    try:
        return format_source(text)
    except Exception as exc:  # black raises several unrelated types for invalid input
        raise FormatError(
            path, str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        ) from None
