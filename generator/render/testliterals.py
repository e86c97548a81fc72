"""Values → Python source for the generated tests: ASCII-only literals and readable test ids.

Every value from the spec reaches a test file through `py` (strings through `literals.literal`,
so control and bidi characters are escaped; any other non-ASCII character becomes a `\\u`
escape, so the files are plain ASCII and ruff's confusable-character rules stay quiet).
"""

from __future__ import annotations

import re
from typing import Any

from .. import naming
from .literals import literal

_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_ID_UNSAFE = re.compile(r"[^\x20-\x7e]")
_RUN = re.compile(r"(.)\1{15,}", re.DOTALL)
_RUN_LENGTH = 16
"""The shortest run `_RUN` finds."""


class Code(str):
    """Source text that `py` writes as it is (a constant's name, an expression)."""

    __slots__ = ()


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def py(value: Any) -> str:
    """A Python expression equal to `value` (JSON values and `bytes`), ASCII only."""
    if isinstance(value, Code):
        return str(value)
    if isinstance(value, bytes):
        text = repr(value)
        return '"'.join(("b", text[2:-1])) + '"' if text.startswith("b'") and '"' not in text else text
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list):
        return "[" + ", ".join(py(v) for v in value) + "]"
    if isinstance(value, tuple):
        inner = ", ".join(py(v) for v in value)
        return f"({inner}{',' if len(value) == 1 else ''})"
    if isinstance(value, dict):
        keys = [py(k) if isinstance(k, tuple) else py(str(k)) for k in value]
        return "{" + ", ".join(f"{k}: {py(v)}" for k, v in zip(keys, value.values(), strict=True)) + "}"
    return literal(value)


def _string(value: str) -> str:
    """A string literal; long runs of one character as `"x" * n` (readable boundary cases)."""
    return _plain(value) if len(value) < _RUN_LENGTH else _with_runs(value)


def _with_runs(value: str) -> str:
    parts: list[str] = []
    start = 0
    for run in _RUN.finditer(value):
        if run.start() > start:
            parts.append(_plain(value[start : run.start()]))
        parts.append(f"{_plain(run.group(1))} * {len(run.group())}")
        start = run.end()
    if start < len(value) or not parts:
        parts.append(_plain(value[start:]))
    return " + ".join(parts)


def _plain(value: str) -> str:
    text = literal(value)
    return text if value.isascii() else _NON_ASCII.sub(_escape, text)


def test_id(text: str, limit: int = 96) -> str:
    """A pytest id: printable ASCII, short."""
    cleaned = _NON_ASCII.sub(lambda m: f"U+{ord(m.group()):04X}", " ".join(text.split()))
    cleaned = _ID_UNSAFE.sub("?", cleaned)
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 3] + "..."


def constant(*parts: str) -> str:
    """`LIST_SENDERS_REPLY` from `("listSenders", "reply")`."""
    return "_".join(naming.snake(p).upper() for p in parts if p)


def snake(text: str) -> str:
    """`not_found_error` from `NotFoundError`."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", text).lower()


class Constants:
    """Module-level constants of one test module, one per distinct value (shared by tests)."""

    def __init__(self) -> None:
        self.items: dict[str, str] = {}
        self._by_source: dict[str, str] = {}

    def add(self, prefix: str, source: str) -> str:
        """The name of the constant holding `source` (`PREFIX`, `PREFIX_2`, …)."""
        found = self._by_source.get(source)
        if found is not None:
            return found
        name, suffix = prefix, 2
        while name in self.items:
            name, suffix = f"{prefix}_{suffix}", suffix + 1
        self.items[name] = source
        self._by_source[source] = name
        return name
