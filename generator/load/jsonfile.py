"""JSON text → plain data, refusing duplicate keys, non-standard constants and deep nesting.

Nesting is bounded by the caller (`shape.check_shape`); a document so deep that the JSON
decoder itself gives up is a `too-deep` error at the first bracket beyond the limit.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..diagnostics import Diagnostic, Origin, Severity, SpecError, fail, join_pointer
from .locate import json_position, line_col


class _Duplicate(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _Duplicate(key)
        result[key] = value
    return result


def _constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def parse(text: str, origin: Origin, *, max_depth: int) -> Any:
    try:
        data = json.loads(text, object_pairs_hook=_pairs, parse_constant=_constant)
    except json.JSONDecodeError as exc:
        raise fail(
            "syntax-error",
            f"invalid JSON: {exc.msg}",
            origin,
            line=exc.lineno,
            column=exc.colno,
        ) from None
    except _Duplicate:
        raise SpecError(_duplicates(text, origin, max_depth)) from None
    except ValueError as exc:
        raise fail("syntax-error", f"invalid JSON: {exc}", origin) from None
    except RecursionError:
        line, column = _deep_position(text, max_depth)
        raise fail(
            "too-deep",
            f"the document nests deeper than {max_depth} levels",
            origin,
            line=line,
            column=column,
        ) from None
    return data


_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _deep_position(text: str, max_depth: int) -> tuple[int, int]:
    """Line and column of the first bracket that opens level `max_depth + 1`."""
    depth = 0
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > max_depth:
                return line_col(text, match.start())
        elif token in "]}":
            depth -= 1
    return 1, 1


def _duplicates(text: str, origin: Origin, max_depth: int) -> list[Diagnostic]:
    """Find every duplicate key with a tolerant re-parse that keeps all pairs."""
    found: list[Diagnostic] = []

    def walk(value: Any, pointer: str, depth: int = 0) -> None:
        if depth > max_depth:
            return
        if isinstance(value, list) and value and isinstance(value[0], tuple):
            seen: set[str] = set()
            for key, child in value:
                if key in seen:
                    line, column = json_position(text, pointer, key, last=True)
                    found.append(
                        Diagnostic(
                            code="duplicate-key",
                            severity=Severity.ERROR,
                            message=f"duplicate key {key!r}",
                            origin=Origin(file=origin.file, pointer=join_pointer(pointer, key)),
                            line=line,
                            column=column,
                        )
                    )
                seen.add(key)
                walk(child, join_pointer(pointer, key), depth + 1)
        elif isinstance(value, list):
            for index, child in enumerate(value):
                walk(child, join_pointer(pointer, index), depth + 1)

    walk(json.loads(text, object_pairs_hook=lambda pairs: pairs), "")
    return found
