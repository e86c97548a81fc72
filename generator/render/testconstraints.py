"""Validator test cases: for each constraint on a parameter or body field, values the client must
accept and values it must reject before sending anything.

Input: an operation, the valid arguments of its success call, the API's schemas. Output:
`ArgCases` per argument — whole argument values with one leaf replaced, a readable reason and
the error path root. Pattern cases are `regex_samples`' ECMA-262 boundary strings (a character
just outside each class, a repetition too few or too many, text around anchors, the unanchored
end); the other cases sit on the boundaries of `format`, lengths, ranges, `multipleOf`, `enum`,
item and property counts. Accepted values are kept only when the runtime's validator accepts
them (another constraint may forbid them); rejected ones are kept as the spec says, so a client
that disagrees fails. A named schema is exercised once per package (its first use).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .. import regex_samples
from ..ir import BodyEncoding, NamedSchema, Operation, Parameter, Schema, SchemaNode, SchemaRef
from .testformats import FORMAT_CASES, INTEGER_RANGES
from .testvalues import BothChecks, CallArgs, jsonish

_MAX_DEPTH = 6
_MAX_ENUM = 6
_MAX_LITERAL_LENGTH = 512
_UNCHECKED_FORMATS = frozenset({"binary", "byte", "password", "int32", "int64", "float", "double"})

Setter = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class Case:
    value: Any
    """The whole argument value."""
    why: str
    path: str
    """Rejected: the error path (the parameter's name, or `body`)."""


@dataclass(frozen=True, slots=True)
class ArgCases:
    arg: str
    accepted: tuple[Case, ...]
    rejected: tuple[Case, ...]


@dataclass(frozen=True, slots=True)
class _Leaf:
    value: Any
    why: str
    accept: bool


@dataclass
class _Target:
    """One argument being exercised: how to rebuild it and how the client checks it."""

    arg: str
    root: str
    full_check: Callable[[Any], bool]
    accepted: list[Case]
    rejected: list[Case]


class ConstraintCases:
    def __init__(self, named: Mapping[str, NamedSchema], check: BothChecks) -> None:
        self.named = named
        self.check = check
        self.seen: set[str] = set()
        self.notes: list[str] = []
        self._noted: set[str] = set()

    def operation(self, op: Operation, call: CallArgs) -> tuple[ArgCases, ...]:
        found: list[ArgCases] = []
        for param in op.parameters:
            arg = call.get(param.py_name)
            if arg is not None:
                found.extend(self._param(param, arg.value))
        body = op.body
        if body is not None and body.encoding not in (BodyEncoding.BINARY, BodyEncoding.TEXT):
            if body.fields is None:
                arg = call.get("body")
                if arg is not None:
                    target = self._target("body", "body", lambda v: self.check(body.schema, v))
                    self._walk(body.schema, arg.value, lambda v: v, "", target, 0)
                    found.append(_cases(target))
            else:
                found.extend(self._fields(op, call))
        return tuple(c for c in found if c.accepted or c.rejected)

    def _param(self, param: Parameter, value: Any) -> list[ArgCases]:
        target = self._target(param.py_name, param.py_name, lambda v: self.check(param.schema, v))
        self._walk(param.schema, value, lambda v: v, "", target, 0)
        return [_cases(target)]

    def _fields(self, op: Operation, call: CallArgs) -> list[ArgCases]:
        body = op.body
        assert body is not None and body.fields is not None
        wires = {f.property.py_name: f.property.wire for f in body.fields}
        current = {wires[a.name]: a.value for a in call.args if a.name in wires}
        found = []
        for item in body.fields:
            prop = item.property
            if prop.wire not in current:
                continue

            def full(value: Any, wire: str = prop.wire) -> bool:
                return self.check(body.schema, {**current, wire: value})

            target = self._target(prop.py_name, "body", full)
            self._walk(prop.schema, current[prop.wire], lambda v: v, "", target, 0)
            found.append(_cases(target))
        return found

    def _target(self, arg: str, root: str, full_check: Callable[[Any], bool]) -> _Target:
        return _Target(arg=arg, root=root, full_check=full_check, accepted=[], rejected=[])

    # --- walking the schema -------------------------------------------------------------------

    def _walk(
        self, node: SchemaNode | None, value: Any, setter: Setter, where: str, target: _Target, depth: int
    ) -> None:
        if node is None or depth > _MAX_DEPTH:
            return
        if isinstance(node, SchemaRef):
            if node.name in self.seen or node.name not in self.named:
                return
            self.seen.add(node.name)
            node = self.named[node.name].schema
        if node.falsy:
            return
        for leaf in self._leaves(node, value, where):
            self._keep(target, setter(leaf.value), leaf, where)
        for member in node.all_of:
            self._walk(member, value, setter, where, target, depth + 1)
        if isinstance(value, dict):
            self._walk_object(node, value, setter, where, target, depth)
        elif isinstance(value, list) and value and node.items is not None:
            rest = value[1:]
            self._walk(node.items, value[0], lambda v: setter([v, *rest]), f"{where}[0]", target, depth + 1)

    def _walk_object(
        self, node: Schema, value: dict[str, Any], setter: Setter, where: str, target: _Target, depth: int
    ) -> None:
        declared = {p.wire for p in node.properties}
        for prop in node.properties:
            if prop.wire in value:
                self._walk(
                    prop.schema,
                    value[prop.wire],
                    _put(setter, value, prop.wire),
                    f"{where}.{prop.wire}",
                    target,
                    depth + 1,
                )
        extra = [k for k in value if k not in declared]
        if extra and isinstance(node.additional, Schema | SchemaRef):
            key = extra[0]
            self._walk(node.additional, value[key], _put(setter, value, key), f"{where}.{key}", target, depth + 1)
        if extra and node.property_names is not None:
            self._keys(node.property_names, value, extra[0], setter, where, target)

    def _keys(
        self, names: SchemaNode, value: dict[str, Any], key: str, setter: Setter, where: str, target: _Target
    ) -> None:
        """Cases on a property name (`propertyNames`)."""
        schema = self._resolve(names)
        if schema is None:
            return
        rest = {k: v for k, v in value.items() if k != key}
        for leaf in self._leaves(schema, key, f"{where} (key)"):
            if isinstance(leaf.value, str):
                self._keep(target, setter({**rest, leaf.value: value[key]}), leaf, f"{where} (key)")

    def _resolve(self, node: SchemaNode) -> Schema | None:
        if isinstance(node, SchemaRef):
            named = self.named.get(node.name)
            return named.schema if named is not None else None
        return node

    def _keep(self, target: _Target, full: Any, leaf: _Leaf, where: str) -> None:
        why = f"{target.arg}{where}: {leaf.why}"
        if leaf.accept:
            if target.full_check(full):
                target.accepted.append(Case(full, why, target.root))
        else:
            target.rejected.append(Case(full, why, target.root))

    # --- leaf cases ---------------------------------------------------------------------------

    def _leaves(self, schema: Schema, value: Any, where: str) -> Iterator[_Leaf]:
        if isinstance(value, str):
            yield from self._strings(schema, value, where)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            yield from _numbers(schema, value)
        elif isinstance(value, list):
            yield from _arrays(schema, value)
        elif isinstance(value, dict):
            yield from _objects(schema, value)
        if schema.enum:
            yield from _enum(schema, value)

    def _strings(self, schema: Schema, value: str, where: str) -> Iterator[_Leaf]:
        yield from self._pattern(schema, where)
        yield from self._format(schema, where)
        yield from _lengths(schema, value)

    def _pattern(self, schema: Schema, where: str) -> Iterator[_Leaf]:
        pattern = schema.pattern
        if pattern is None:
            return
        if pattern.engine == "invalid":
            self._note(f"pattern {pattern.ecma!r}: not valid ECMA-262, the client does not check it")
            return
        found = regex_samples.samples(pattern.ecma)
        for text in found.valid:
            yield _Leaf(text, f"{_short(text)!r} matches {_short(pattern.ecma)}", True)
        extra = regex_samples.unanchored_end_extra(pattern.ecma)
        if extra is not None:
            yield _Leaf(extra, "text after the match is allowed (no $ anchor)", True)
        for invalid in found.invalid:
            yield _Leaf(invalid.value, invalid.why, False)

    def _format(self, schema: Schema, where: str) -> Iterator[_Leaf]:
        name = schema.format
        if name is None:
            return
        cases = FORMAT_CASES.get(name)
        if cases is None:
            if name not in _UNCHECKED_FORMATS:
                self._note(f"format {name!r}: the client does not check it (no validator test)")
            return
        valid, invalid = cases
        for text in valid:
            yield _Leaf(text, f"{_short(text)!r} is a valid {name}", True)
        for text in invalid:
            yield _Leaf(text, f"{_short(text)!r} is not a valid {name}", False)

    def _note(self, text: str) -> None:
        if text not in self._noted:
            self._noted.add(text)
            self.notes.append(text)


def _put(setter: Setter, value: dict[str, Any], key: str) -> Setter:
    return lambda v: setter({**value, key: v})


def _cases(target: _Target) -> ArgCases:
    return ArgCases(target.arg, tuple(_unique(target.accepted)), tuple(_unique(target.rejected)))


def _unique(cases: list[Case]) -> list[Case]:
    seen: set[str] = set()
    kept = []
    for case in cases:
        key = repr(jsonish(case.value))
        if key not in seen:
            seen.add(key)
            kept.append(case)
    return kept


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _lengths(schema: Schema, value: str) -> Iterator[_Leaf]:
    filler = value[-1:] or "a"
    low, high = schema.min_length, schema.max_length
    if low is not None and low > 0:
        yield _Leaf(_resize(value, low - 1, filler), f"{_chars(low - 1)} (minLength {low})", False)
        yield _Leaf(_resize(value, low, filler), f"{_chars(low)} (minLength {low})", True)
    if high is not None and high < _MAX_LITERAL_LENGTH:
        yield _Leaf(_resize(value, high, filler), f"{_chars(high)} (maxLength {high})", True)
        yield _Leaf(_resize(value, high + 1, filler), f"{_chars(high + 1)} (maxLength {high})", False)


def _chars(count: int) -> str:
    return f"{count} character" + ("" if count == 1 else "s")


def _resize(value: str, size: int, filler: str) -> str:
    return value[:size] if len(value) >= size else value + filler * (size - len(value))


def _numbers(schema: Schema, value: float) -> Iterator[_Leaf]:
    integer = "integer" in schema.types or (isinstance(value, int) and "number" not in schema.types)
    step: float = 1 if integer else 0.5
    bounds = (
        (schema.minimum, -1, "minimum", True),
        (schema.maximum, 1, "maximum", True),
        (schema.exclusive_minimum, -1, "exclusiveMinimum", False),
        (schema.exclusive_maximum, 1, "exclusiveMaximum", False),
    )
    for bound, outward, name, inclusive in bounds:
        if bound is None:
            continue
        at = _number(bound, integer)
        yield _Leaf(at, f"{_show(at)} ({name} {_show(bound)})", inclusive)
        beyond = _number(bound + outward * step, integer) if inclusive else _number(bound - outward * step, integer)
        yield _Leaf(beyond, f"{_show(beyond)} ({name} {_show(bound)})", not inclusive)
    if schema.multiple_of:
        multiple = schema.multiple_of
        yield _Leaf(_number(multiple * 2, integer), f"a multiple of {_show(multiple)}", True)
        off = multiple * 2 + (1 if integer and multiple > 1 else multiple / 2)
        if not integer or float(off).is_integer():
            yield _Leaf(_number(off, integer), f"not a multiple of {_show(multiple)}", False)
    span = INTEGER_RANGES.get(schema.format or "")
    if span is not None and integer:
        yield _Leaf(span[1], f"largest {schema.format}", True)
        yield _Leaf(span[1] + 1, f"beyond {schema.format}", False)


def _number(value: float, integer: bool) -> float:
    return int(value) if integer and float(value).is_integer() else value


def _show(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


def _arrays(schema: Schema, value: list[Any]) -> Iterator[_Leaf]:
    item = value[0] if value else None
    low, high = schema.min_items, schema.max_items
    if low is not None and low > 0 and item is not None:
        yield _Leaf(value[: low - 1], f"{low - 1} items (minItems {low})", False)
    if high is not None and item is not None and high < 64:
        yield _Leaf([*value, *[item] * (high + 1 - len(value))], f"{high + 1} items (maxItems {high})", False)
    if schema.unique_items and item is not None:
        yield _Leaf([item, item], "duplicate items (uniqueItems)", False)


def _objects(schema: Schema, value: dict[str, Any]) -> Iterator[_Leaf]:
    high = schema.max_properties
    if high is not None and high < 64 and value:
        sample = next(iter(value.values()))
        grown = {**value, **{f"extra{i}": sample for i in range(high + 1 - len(value))}}
        yield _Leaf(grown, f"{high + 1} properties (maxProperties {high})", False)
    low = schema.min_properties
    if low is not None and low > 0:
        yield _Leaf(dict(list(value.items())[: low - 1]), f"{low - 1} properties (minProperties {low})", False)


def _enum(schema: Schema, value: Any) -> Iterator[_Leaf]:
    members = [m for m in schema.enum or () if m is not None]
    for member in members[:_MAX_ENUM]:
        yield _Leaf(member, f"enum member {member!r}", True)
    strings = [m for m in members if isinstance(m, str)]
    if strings:
        for variant in (strings[0].swapcase(), strings[0] + "-not-in-enum"):
            if variant not in members:
                yield _Leaf(variant, f"{variant!r} is not in the enum", False)
    numbers = [m for m in members if isinstance(m, int) and not isinstance(m, bool)]
    if numbers and not strings:
        outside = max(numbers) + 1
        yield _Leaf(outside, f"{outside} is not in the enum", False)
