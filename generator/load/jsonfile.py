"""JSON text → plain data, refusing duplicate keys, non-standard constants and deep nesting."""

from __future__ import annotations

import json
from typing import Any

from ..diagnostics import Diagnostic, Origin, Severity, SpecError, fail, join_pointer
from .locate import json_position
from .shape import check_shape


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
        raise SpecError(_duplicates(text, origin)) from None
    except ValueError as exc:
        raise fail("syntax-error", f"invalid JSON: {exc}", origin) from None
    except RecursionError:
        raise fail(
            "too-deep", f"the document nests deeper than {max_depth} levels", origin
        ) from None
    check_shape(data, origin, max_depth=max_depth, max_alias_expansion=0)
    return data


def _duplicates(text: str, origin: Origin) -> list[Diagnostic]:
    """Find every duplicate key with a tolerant re-parse that keeps all pairs."""
    found: list[Diagnostic] = []

    def walk(value: Any, pointer: str) -> None:
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
                walk(child, join_pointer(pointer, key))
        elif isinstance(value, list):
            for index, child in enumerate(value):
                walk(child, join_pointer(pointer, index))

    walk(json.loads(text, object_pairs_hook=lambda pairs: pairs), "")
    return found
