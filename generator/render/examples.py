"""Deterministic example values for schemas (README examples, generated tests).

Preference: `const`, the first `enum` member, the spec's own example (when it satisfies the
schema's constraints as far as we can tell), the default, then a synthesised value that satisfies
type, format, pattern (a regex-aware sample), length and range. Objects get their required
properties (and, with `full=True`, every property); arrays get `minItems` (at least one) items.
Values are JSON (wire names).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from .. import regex_samples
from ..ir import NamedSchema, Schema, SchemaNode, SchemaRef

_FORMATS = {
    "date-time": "2024-01-02T03:04:05Z",
    "date": "2024-01-02",
    "time": "03:04:05Z",
    "uuid": "7f1d1c2e-8c4b-4f0e-9a51-2b8f6f3c2d10",
    "email": "user@example.com",
    "uri": "https://example.com/resource",
    "url": "https://example.com/resource",
    "uri-reference": "https://example.com/resource",
    "hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "byte": "aGVsbG8=",
    "password": "secret-value",
}
_MAX_DEPTH = 6


class ExampleMaker:
    def __init__(self, named: Mapping[str, NamedSchema]) -> None:
        self.named = named

    def value(self, node: SchemaNode | None, *, full: bool = False, depth: int = 0) -> Any:
        if node is None:
            return "value"
        if isinstance(node, SchemaRef):
            named = self.named.get(node.name)
            return self.value(named.schema, full=full, depth=depth + 1) if named else {}
        return self._schema(node, full, depth)

    def _schema(self, schema: Schema, full: bool, depth: int) -> Any:
        if schema.has_const:
            return schema.const
        if schema.enum:
            return next((v for v in schema.enum if v is not None), schema.enum[0])
        for example in schema.examples:
            if self._plausible(schema, example):
                return example
        if schema.has_default and self._plausible(schema, schema.default):
            return schema.default
        if depth > _MAX_DEPTH:
            return None if schema.nullable else _empty(schema)
        members = schema.one_of or schema.any_of
        if members:
            return self.value(members[0], full=full, depth=depth + 1)
        if schema.all_of:
            merged: dict[str, Any] = {}
            for member in schema.all_of:
                value = self.value(member, full=full, depth=depth + 1)
                if isinstance(value, dict):
                    merged.update(value)
                else:
                    return value
            merged.update(self._object(schema, full, depth))
            return merged
        kind = next((t for t in schema.types if t != "null"), None)
        if kind is None:
            kind = "object" if schema.properties else "string"
        return self._typed(kind, schema, full, depth)

    def _typed(self, kind: str, schema: Schema, full: bool, depth: int) -> Any:
        if kind == "string":
            return string_value(schema)
        if kind == "integer":
            return int(_number(schema, integer=True))
        if kind == "number":
            return _number(schema, integer=False)
        if kind == "boolean":
            return True
        if kind == "array":
            count = max(schema.min_items or 0, 1)
            if schema.max_items is not None:
                count = min(count, schema.max_items)
            return [self.value(schema.items, full=full, depth=depth + 1) for _ in range(count)]
        if kind == "null":
            return None
        return self._object(schema, full, depth)

    def _object(self, schema: Schema, full: bool, depth: int) -> dict[str, Any]:
        result = {
            p.wire: self.value(p.schema, full=full, depth=depth + 1)
            for p in schema.properties
            if p.required or (full and depth < 3)
        }
        if (
            not result
            and isinstance(schema.additional, Schema | SchemaRef)
            and (schema.min_properties or 0) > 0
        ):
            result["key"] = self.value(schema.additional, depth=depth + 1)
        return result

    def _plausible(self, schema: Schema, value: Any) -> bool:
        pattern = schema.pattern.python if schema.pattern is not None else None
        if isinstance(value, str) and pattern and re.search(pattern, value) is None:
            return False
        if isinstance(value, str):
            if schema.min_length is not None and len(value) < schema.min_length:
                return False
            if schema.max_length is not None and len(value) > schema.max_length:
                return False
        return _type_matches(schema, value)


def string_value(schema: Schema) -> str:
    if schema.pattern is not None:
        samples = regex_samples.samples(schema.pattern.ecma, count=1)
        for sample in samples.valid:
            if _length_ok(schema, sample):
                return sample
    value = _FORMATS.get(schema.format or "", "string")
    if schema.max_length is not None and len(value) > schema.max_length:
        value = value[: schema.max_length]
    if schema.min_length is not None and len(value) < schema.min_length:
        value = value + "x" * (schema.min_length - len(value))
    return value


def _length_ok(schema: Schema, value: str) -> bool:
    return (schema.min_length is None or len(value) >= schema.min_length) and (
        schema.max_length is None or len(value) <= schema.max_length
    )


def _number(schema: Schema, *, integer: bool) -> float:
    low = schema.minimum if schema.minimum is not None else None
    if schema.exclusive_minimum is not None:
        low = schema.exclusive_minimum + (1 if integer else 0.5)
    high = schema.maximum
    if schema.exclusive_maximum is not None:
        high = schema.exclusive_maximum - (1 if integer else 0.5)
    value: float = low if low is not None else (min(1, high) if high is not None else 1)
    if integer:
        value = math.ceil(value)
    step = schema.multiple_of
    if step:
        value = math.ceil(value / step) * step
    return value


def _type_matches(schema: Schema, value: Any) -> bool:
    if not schema.types:
        return True
    checks = {
        "string": isinstance(value, str),
        "integer": isinstance(value, int) and not isinstance(value, bool),
        "number": isinstance(value, int | float) and not isinstance(value, bool),
        "boolean": isinstance(value, bool),
        "array": isinstance(value, list),
        "object": isinstance(value, dict),
        "null": value is None,
    }
    return any(checks.get(t, False) for t in schema.types)


def _empty(schema: Schema) -> Any:
    if "array" in schema.types:
        return []
    if "string" in schema.types:
        return ""
    if "integer" in schema.types or "number" in schema.types:
        return 0
    return {}
