"""Deterministic example values for schemas (README examples, generated tests).

Preference: `const`, the first `enum` member, the spec's own example (when it satisfies the
schema's constraints as far as we can tell), the default, then a synthesised value that satisfies
type, format, pattern (a regex-aware sample), length and range. Objects get their required
properties (and, with `full=True`, every property); arrays get `minItems` (at least one) items.
Values are JSON (wire names).

With a `check` (the generated tests pass the runtime's own constraint validator), spec examples
and defaults are used only when they pass it, union members are tried in order until one
passes, a discriminator property gets the tag of the member chosen, and strings of format
`binary` become `bytes` (file content).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from typing import Any

from .. import regex_samples
from ..ir import NamedSchema, Schema, SchemaNode, SchemaRef

_FORMATS = {
    "date-time": "2024-01-02T03:04:05Z",
    "date": "2024-01-02",
    "time": "03:04:05Z",
    "uuid": "7f1d1c2e-8c4b-4f0e-9a51-2b8f6f3c2d10",
    "email": "user@example.com",
    "idn-email": "user@example.com",
    "uri": "https://example.com/resource",
    "iri": "https://example.com/resource",
    "url": "https://example.com/resource",
    "uri-reference": "https://example.com/resource",
    "hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "byte": "aGVsbG8=",
    "password": "secret-value",
}
_MAX_DEPTH = 6
_MAX_CHECKED_DEPTH = 24
BINARY = b"file-content"

Check = Callable[[SchemaNode, Any], bool]
"""Whether a value satisfies a schema (wire JSON; `bytes` stand for file content)."""


class ExampleMaker:
    def __init__(self, named: Mapping[str, NamedSchema], check: Check | None = None) -> None:
        self.named = named
        self.check = check
        self.max_depth = _MAX_DEPTH if check is None else _MAX_CHECKED_DEPTH
        self._expanding: list[str] = []

    def value(self, node: SchemaNode | None, *, full: bool = False, depth: int = 0) -> Any:
        if node is None:
            return "value"
        if isinstance(node, SchemaRef):
            named = self.named.get(node.name)
            if named is None:
                return {}
            if self.check is not None and node.name in self._expanding:
                return None if named.schema.nullable else _empty(named.schema)
            self._expanding.append(node.name)
            try:
                return self.value(named.schema, full=full, depth=depth + 1)
            finally:
                self._expanding.pop()
        return self._schema(node, full, depth)

    def _schema(self, schema: Schema, full: bool, depth: int) -> Any:
        if schema.has_const:
            return schema.const
        if schema.enum:
            return next((v for v in schema.enum if v is not None), schema.enum[0])
        for example in schema.examples:
            if self._plausible(schema, example) and self._passes(schema, example):
                return example
        if (
            schema.has_default
            and self._plausible(schema, schema.default)
            and self._passes(schema, schema.default)
        ):
            return schema.default
        if depth > self.max_depth:
            return None if schema.nullable else _empty(schema)
        members = schema.one_of or schema.any_of
        if self.check is not None and all(_shapeless(m) for m in members):
            members = ()  # rules only (`{required: [...]}`): the schema's own shape decides
        if members:
            return self._member(schema, members, full, depth)
        if schema.all_of:
            merged: dict[str, Any] = {}
            for member in schema.all_of:
                if self.check is not None and _shapeless(member):
                    continue  # rules only: nothing to contribute to the value
                value = self.value(member, full=full, depth=depth + 1)
                if isinstance(value, dict):
                    merged.update(value)
                else:
                    return value
            merged.update(self._object(schema, full, depth))
            return merged
        kind = next((t for t in schema.types if t != "null"), None)
        if kind is None:
            implied = "array" if schema.items is not None else "string"
            kind = "object" if schema.properties else implied
        return self._typed(kind, schema, full, depth)

    def _passes(self, schema: Schema, value: Any) -> bool:
        return self.check is None or self.check(schema, value)

    def _member(
        self, schema: Schema, members: tuple[SchemaNode, ...], full: bool, depth: int
    ) -> Any:
        """The first union member's value (with a check: the first that passes, members with a
        shape of their own first — the models leave shapeless ones such as `{}` out)."""
        first: Any = None
        if self.check is not None:
            members = tuple(sorted(members, key=_shapeless))
        for index, member in enumerate(members):
            value = self._tagged(schema, member, self.value(member, full=full, depth=depth + 1))
            if self.check is None or self.check(schema, value):
                return value
            if index == 0:
                first = value
        if self.check is not None and (schema.types or schema.items is not None or schema.properties):
            # no member fits the schema's own shape (`{items: …, oneOf: [object, array]}`,
            # which the models read as an array): a value of that shape may fit both
            kind = next((t for t in schema.types if t != "null"), None)
            kind = kind or ("object" if schema.properties else "array")
            own = self._typed(kind, schema, full, depth)
            if self.check(schema, own):
                return own
        return first

    def _tagged(self, schema: Schema, member: SchemaNode, value: Any) -> Any:
        """`value` with the discriminator property set to `member`'s tag (with a check only)."""
        found = schema.discriminator
        if self.check is None or found is None or not isinstance(value, dict):
            return value
        if not isinstance(member, SchemaRef):
            return value
        tags = [tag for tag, target in found.mapping if target == member.name]
        if not tags:  # no mapping: the member's own one-value property, else its name
            tags = self._own_tag(member, found.property)
        return {**value, found.property: tags[0] if tags else member.name}

    def _own_tag(self, member: SchemaRef, wire: str) -> list[Any]:
        named = self.named.get(member.name)
        prop = next((p for p in named.schema.properties if p.wire == wire), None) if named else None
        node = prop.schema if prop is not None else None
        if isinstance(node, SchemaRef):
            target = self.named.get(node.name)
            node = target.schema if target is not None else None
        if node is None:
            return []
        if node.has_const:
            return [node.const]
        return list(node.enum) if node.enum and len(node.enum) == 1 else []

    def _typed(self, kind: str, schema: Schema, full: bool, depth: int) -> Any:
        if kind == "string":
            if self.check is not None and schema.format == "binary":
                return BINARY
            return string_value(schema)
        if kind == "integer":
            return int(_number(schema, integer=True))
        if kind == "number":
            value = _number(schema, integer=False)
            if self.check is not None and not schema.multiple_of and float(value).is_integer():
                fraction = value + 0.5  # a number that reads the same as JSON, form or text
                below = schema.exclusive_maximum is None or fraction < schema.exclusive_maximum
                if (schema.maximum is None or fraction <= schema.maximum) and below:
                    return fraction
            return value
        if kind == "boolean":
            return True
        if kind == "array":
            return self._array(schema, full, depth)
        if kind == "null":
            return None
        return self._object(schema, full, depth)

    def _array(self, schema: Schema, full: bool, depth: int) -> list[Any]:
        count = max(schema.min_items or 0, 1)
        if schema.max_items is not None:
            count = min(count, schema.max_items)
        item = self.value(schema.items, full=full, depth=depth + 1)
        if schema.unique_items and count > 1:
            return [_distinct(item, index) for index in range(count)]
        return [item for _ in range(count)]

    def _object(self, schema: Schema, full: bool, depth: int) -> dict[str, Any]:
        result = {
            p.wire: self.value(p.schema, full=full, depth=depth + 1)
            for p in schema.properties
            if p.required or (full and depth < 3)
        }
        wanted = (schema.min_properties or 0) > 0 or (
            self.check is not None and schema.max_properties != 0
        )
        if not result and isinstance(schema.additional, Schema | SchemaRef) and wanted:
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


def _shapeless(node: SchemaNode) -> bool:
    """A schema that only adds rules (`{}`, `{required: [a]}`): no type, properties or items."""
    if isinstance(node, SchemaRef):
        return False
    shape = (node.types, node.properties, node.items, node.enum, node.all_of, node.any_of, node.one_of)
    return not any(shape) and not node.has_const and not isinstance(node.additional, Schema | SchemaRef)


def _distinct(value: Any, index: int) -> Any:
    """A variant of `value` for position `index` of a `uniqueItems` array."""
    if index == 0:
        return value
    if isinstance(value, str):
        return f"{value}{index}"
    if isinstance(value, bool):
        return value if index == 0 else not value
    if isinstance(value, int | float):
        return value + index
    if isinstance(value, dict):
        return {**value, "_item": index}
    return value


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
