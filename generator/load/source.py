"""Read one spec file (a regular file of bounded size, strict UTF-8), parse it as JSON or YAML and
bound its shape (`shape.py`).

Input: a path. Output: plain Python data (dicts with str keys, lists, scalars) or a SpecError
with the file, line and column of the problem.
"""

from __future__ import annotations

import dataclasses
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Literal

from ..diagnostics import Diagnostic, Origin, SpecError, fail
from . import jsonfile, yamlfile
from .locate import position_of
from .shape import check_shape

Format = Literal["json", "yaml"]
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]|\\U0000[dD][89a-fA-F]")
"""Text that may spell a lone surrogate (pairs match too: then the data is searched)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Limits:
    """Bounds that keep hostile input from exhausting time or memory."""

    max_bytes: int = 64 * 1024 * 1024
    max_depth: int = 200
    max_alias_expansion: int = 100_000


@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    text: str
    format: Format
    data: Any


def read_source(path: Path, display: str, limits: Limits) -> Source:
    origin = Origin(file=display)
    raw = _read_bytes(path, origin, limits)
    text = _decode(raw, origin)
    if not text.strip():
        raise fail("empty-file", "the file is empty", origin, line=1, column=1)
    fmt = detect_format(path, text)
    return Source(text=text, format=fmt, data=parse_text(text, fmt, origin, limits))


def parse_text(text: str, fmt: Format, origin: Origin, limits: Limits) -> Any:
    """Parse, then bound the shape (depth, alias expansion); problems located in `text`."""
    if fmt == "json":
        data = jsonfile.parse(text, origin, max_depth=limits.max_depth)
    else:
        data = yamlfile.parse(text, origin, max_depth=limits.max_depth)
    try:
        check_shape(
            data,
            origin,
            max_depth=limits.max_depth,
            max_alias_expansion=limits.max_alias_expansion if fmt == "yaml" else 0,
            check_text=_SURROGATE_ESCAPE.search(text) is not None,
        )
    except SpecError as exc:
        raise SpecError(located(d, text, fmt) for d in exc.diagnostics) from None
    return data


def located(diagnostic: Diagnostic, text: str, fmt: Format) -> Diagnostic:
    """The diagnostic with the line and column of its pointer in `text`."""
    line, column = position_of(text, fmt, diagnostic.origin.pointer)
    return dataclasses.replace(diagnostic, line=line, column=column)


def detect_format(path: Path, text: str) -> Format:
    if path.suffix.lower() == ".json":
        return "json"
    if path.suffix.lower() in (".yaml", ".yml"):
        return "yaml"
    return "json" if text.lstrip().startswith(("{", "[")) else "yaml"


def _read_bytes(path: Path, origin: Origin, limits: Limits) -> bytes:
    try:
        info = path.stat()
        mode, size = info.st_mode, info.st_size
        if stat.S_ISDIR(mode):
            raise fail("file-unreadable", "is a directory, not a spec file", origin)
        if not stat.S_ISREG(mode):
            raise fail("file-unreadable", "not a regular file (a device, pipe or socket)", origin)
        if size > limits.max_bytes:
            raise fail(
                "file-too-large",
                f"the file is too large: {size} bytes, more than the limit of "
                f"{limits.max_bytes} bytes",
                origin,
            )
        with path.open("rb") as handle:
            return read_bounded(handle, limits.max_bytes, origin, expected=size)
    except FileNotFoundError:
        raise fail("file-not-found", "no such file", origin) from None
    except PermissionError:
        raise fail("file-unreadable", "permission denied", origin) from None
    except OSError as exc:
        raise fail("file-unreadable", exc.strerror or str(exc), origin) from None


def read_bounded(handle: BinaryIO, limit: int, origin: Origin, expected: int = 0) -> bytes:
    """All of `handle`, or a `file-too-large` error past `limit` bytes; memory stays in
    proportion to what is really read (a `read(limit)` would allocate `limit` bytes at once)."""
    chunks, total = [], 0
    size = min(max(expected, 64 * 1024), limit + 1)
    while chunk := handle.read(min(size, limit + 1 - total)):
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise fail("file-too-large", f"larger than the limit of {limit} bytes", origin)
        size = min(size * 2, 16 * 1024 * 1024)
    return b"".join(chunks)


def _decode(raw: bytes, origin: Origin) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise fail(
            "invalid-utf8",
            f"invalid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
            origin,
            line=line,
            column=column,
        ) from None
