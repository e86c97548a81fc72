"""black, in-process, over every generated Python file — cached by content hash.

The cache maps sha256(black version + options + unformatted text) → formatted text, so a file
whose rendered text did not change is not formatted again. It lives in a folder the caller
chooses (by default `.oagen-cache/` beside the output) and is safe to delete at any time.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from importlib import metadata
from pathlib import Path

import black
from black import mode as black_mode
from black.report import NothingChanged

_MODE = black_mode.Mode(target_versions={black_mode.TargetVersion.PY311}, line_length=100)
_PARALLEL_MIN_LINES = 20_000
_BLACK_VERSION = metadata.version("black")


class FormatError(Exception):
    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: black could not format generated code: {message}")
        self.path = path


def format_source(text: str) -> str:
    try:
        return black.format_str(text, mode=_MODE)
    except NothingChanged:
        return text


def _key(text: str) -> str:
    seed = f"black {_BLACK_VERSION} {_MODE!r}\n"
    return hashlib.sha256((seed + text).encode()).hexdigest()


def format_files(files: Mapping[str, str], cache_dir: Path | None = None) -> dict[str, str]:
    """Format every `*.py` value; other files pass through unchanged."""
    result = dict(files)
    todo: dict[str, str] = {}
    for path, text in files.items():
        if not path.endswith(".py"):
            continue
        cached = _cache_read(cache_dir, _key(text)) if cache_dir else None
        if cached is not None:
            result[path] = cached
        else:
            todo[path] = text
    for path, formatted in _format_many(todo).items():
        result[path] = formatted
        if cache_dir is not None:
            _cache_write(cache_dir, _key(todo[path]), formatted)
    return result


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


def _cache_read(cache_dir: Path, key: str) -> str | None:
    path = cache_dir / "black" / key[:2] / key
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def _cache_write(cache_dir: Path, key: str, text: str) -> None:
    folder = cache_dir / "black" / key[:2]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=folder, delete=False, encoding="utf-8") as handle:
            handle.write(text)
        os.replace(handle.name, folder / key)
    except OSError:
        pass
