"""Read one spec file: bounded size, strict UTF-8, then hand it to the JSON or YAML parser.

Input: a path. Output: plain Python data (dicts with str keys, lists, scalars) or a SpecError
with the file, line and column of the problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ..diagnostics import Origin, fail
from . import jsonfile, yamlfile

Format = Literal["json", "yaml"]


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
    if fmt == "json":
        return jsonfile.parse(text, origin, max_depth=limits.max_depth)
    return yamlfile.parse(
        text,
        origin,
        max_depth=limits.max_depth,
        max_alias_expansion=limits.max_alias_expansion,
    )


def detect_format(path: Path, text: str) -> Format:
    if path.suffix.lower() == ".json":
        return "json"
    if path.suffix.lower() in (".yaml", ".yml"):
        return "yaml"
    return "json" if text.lstrip().startswith(("{", "[")) else "yaml"


def _read_bytes(path: Path, origin: Origin, limits: Limits) -> bytes:
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise fail("file-unreadable", "is a directory, not a spec file", origin)
        if size > limits.max_bytes:
            raise fail(
                "file-too-large",
                f"the file is {size} bytes; the limit is {limits.max_bytes} bytes",
                origin,
            )
        with path.open("rb") as handle:
            return handle.read(limits.max_bytes + 1)
    except FileNotFoundError:
        raise fail("file-not-found", "no such file", origin) from None
    except PermissionError:
        raise fail("file-unreadable", "permission denied", origin) from None
    except OSError as exc:
        raise fail("file-unreadable", exc.strerror or str(exc), origin) from None


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
