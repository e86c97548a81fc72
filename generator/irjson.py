"""ir.Api → JSON (`oagen ir`): dataclasses as objects, enums as their values, defaults omitted."""

from __future__ import annotations

import dataclasses
import enum
import json
from typing import Any

from .diagnostics import INVISIBLE
from .ir import Api


def to_data(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        result: dict[str, Any] = {}
        for item in dataclasses.fields(value):
            current = getattr(value, item.name)
            if item.default is not dataclasses.MISSING and current == item.default:
                continue
            result[item.name] = to_data(current)
        return result
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [to_data(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_data(v) for k, v in value.items()}
    return value


def dumps(api: Api) -> str:
    text = json.dumps(to_data(api), indent=2, ensure_ascii=False) + "\n"
    # spec text may hold bidi or C1 controls (and lone surrogates): as JSON escapes, for terminals
    return INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
