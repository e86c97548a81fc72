"""Two versions of one schema → changes, judged by what a generated client sends or receives.

Direction decides what breaks. A *request* schema (parameter, body) breaks when it accepts less
than before: a type, null or enum value dropped; an enum, pattern, format or bound added or
tightened; a field removed or made required. A *response* schema breaks when it may carry what
the old client cannot parse: a new type, null, enum value (unless an open fallback member takes
any value) or union variant; a field removed or made optional. Value constraints of responses
are not enforced by default (`strict_responses`), so their changes never break.

Used by `diff.py`; reads only the IR.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .diagnostics import Origin
from .ir import NamedSchema, Property, Schema, SchemaNode, SchemaRef


class Direction(enum.Enum):
    REQUEST = "request"
    RESPONSE = "response"


@dataclass(frozen=True, slots=True, kw_only=True)
class Change:
    breaking: bool
    code: str
    message: str
    operation: str = ""
    """`group.method`, empty for API-wide changes."""
    method: str = ""
    path: str = ""
    at: str = ""
    """What inside the operation: `parameter page_size`, `body.senders[].id`, `response`…"""
    origin: Origin | None = None


Report = Callable[..., None]
"""`report(breaking, code, at, message, origin)` — adds one Change in the caller's context."""


@dataclass(slots=True)
class SchemaDiff:
    """Compares schema pairs for one API pair; `report` is pointed at each operation in turn.

    A named schema pair is compared once per direction (memoised, as changes relative to the
    pair); every operation that reaches it gets those changes under its own path. That keeps
    large, densely connected specs (Stripe, GitHub) fast.
    """

    old_names: Mapping[str, NamedSchema]
    new_names: Mapping[str, NamedSchema]
    report: Report
    memo: dict[tuple[str, str, str], list[tuple[Any, ...]]] = field(default_factory=dict)
    active: set[tuple[str, str, str]] = field(default_factory=set)

    def compare(
        self, old: SchemaNode | None, new: SchemaNode | None, at: str, direction: Direction
    ) -> None:
        """Report every change between two schema nodes (None: anything goes)."""
        if old is None or new is None:
            return
        if isinstance(old, SchemaRef) and isinstance(new, SchemaRef):
            self._named(old, new, at, direction)
        else:
            self._nodes(old, new, at, direction)

    def _named(self, old: SchemaRef, new: SchemaRef, at: str, direction: Direction) -> None:
        key = (old.name, new.name, direction.value)
        if key in self.active:
            return  # recursion: reported where the cycle started
        if key not in self.memo:
            outer, found = self.report, []
            self.report = lambda *change: found.append(change)
            self.active.add(key)
            try:
                self._nodes(old, new, "", direction)
            finally:
                self.report = outer
                self.active.discard(key)
            self.memo[key] = found
        for breaking, code, relative, message, origin in self.memo[key]:
            self.report(breaking, code, _under(at, relative), message, origin)

    def _nodes(self, old: SchemaNode, new: SchemaNode, at: str, direction: Direction) -> None:
        a, b = self._resolve(old, self.old_names), self._resolve(new, self.new_names)
        if a is None or b is None:
            return
        if not self._types(a, b, at, direction):
            return  # a different type: nothing below is comparable
        self._nullable(a, b, at, direction)
        self._enum(a, b, at, direction, open_enum=False)
        self._constraints(a, b, at, direction)
        self._properties(a, b, at, direction)
        self.compare(a.items, b.items, f"{at}[]", direction)
        self._additional(a, b, at, direction)
        self._unions(a, b, at, direction)

    # --- types -------------------------------------------------------------------------------

    def _types(self, a: Schema, b: Schema, at: str, direction: Direction) -> bool:
        old, new = base_types(a), base_types(b)
        if old == new:
            return True
        wider = accepts(new, old)
        narrower = accepts(old, new)
        breaking = not wider if direction is Direction.REQUEST else not narrower
        shown = f"{_show(old)} → {_show(new)}"
        self.report(breaking, "type-changed", at, f"type changed: {shown}", b.origin)
        return wider or narrower

    def _nullable(self, a: Schema, b: Schema, at: str, direction: Direction) -> None:
        if a.nullable == b.nullable:
            return
        if direction is Direction.REQUEST:
            self.report(not b.nullable, "nullable-changed", at, _null_text(b), b.origin)
        else:
            self.report(b.nullable, "nullable-changed", at, _null_text(b), b.origin)

    def _enum(self, a: Schema, b: Schema, at: str, direction: Direction, open_enum: bool) -> None:
        old, new = _values(a), _values(b)
        if old == new:
            return
        if old is None or new is None:
            added = old is None
            breaking = added if direction is Direction.REQUEST else False
            what = "enum added (only listed values accepted)" if added else "enum removed"
            self.report(breaking, "enum-changed", at, what, b.origin)
            return
        removed, added_values = sorted(old.keys() - new.keys()), sorted(new.keys() - old.keys())
        if removed:
            breaking = direction is Direction.REQUEST
            self.report(breaking, "enum-value-removed", at, _values_text("removed", removed), b.origin)
        if added_values:
            breaking = direction is Direction.RESPONSE and not open_enum
            text = _values_text("added", added_values)
            if direction is Direction.RESPONSE and open_enum:
                text += " (an open fallback member takes any value)"
            self.report(breaking, "enum-value-added", at, text, b.origin)

    # --- value constraints -------------------------------------------------------------------

    def _constraints(self, a: Schema, b: Schema, at: str, direction: Direction) -> None:
        request = direction is Direction.REQUEST
        self._const(a, b, at, request)
        self._pattern(a, b, at, request)
        if a.format != b.format:
            narrowed = request and b.format is not None
            self.report(narrowed, "format-changed", at, f"format {a.format} → {b.format}", b.origin)
        for name, old, new, lower in _bounds(a, b):
            if old != new:
                narrowed = request and _narrowed(old, new, lower)
                code = "range-narrowed" if narrowed else "range-changed"
                self.report(narrowed, code, at, f"{name} {_num(old)} → {_num(new)}", b.origin)
        if b.unique_items != a.unique_items:
            narrowed = request and b.unique_items
            text = "uniqueItems added" if b.unique_items else "uniqueItems removed"
            self.report(narrowed, "range-narrowed" if narrowed else "range-changed", at, text, b.origin)

    def _const(self, a: Schema, b: Schema, at: str, request: bool) -> None:
        if (a.has_const, _key(a.const)) != (b.has_const, _key(b.const)):
            breaking = b.has_const if request else a.has_const
            self.report(breaking, "const-changed", at, "const changed", b.origin)

    def _pattern(self, a: Schema, b: Schema, at: str, request: bool) -> None:
        old = a.pattern.ecma if a.pattern else None
        new = b.pattern.ecma if b.pattern else None
        if old != new:
            narrowed = request and new is not None
            code = "pattern-narrowed" if narrowed else "pattern-changed"
            self.report(narrowed, code, at, f"pattern {old!r} → {new!r}", b.origin)

    # --- objects -----------------------------------------------------------------------------

    def _properties(self, a: Schema, b: Schema, at: str, direction: Direction) -> None:
        old = self._fields(a, self.old_names, direction)
        new = self._fields(b, self.new_names, direction)
        for wire in sorted(old.keys() - new.keys()):
            code = "field-removed" if direction is Direction.REQUEST else "response-field-removed"
            self.report(True, code, _join(at, old[wire].py_name), "field removed", a.origin)
        for wire in sorted(new.keys() - old.keys()):
            prop = new[wire]
            breaking = direction is Direction.REQUEST and prop.required
            code = "required-field-added" if breaking else "field-added"
            what = "new required field" if prop.required else "new optional field"
            self.report(breaking, code, _join(at, prop.py_name), what, prop.origin)
        for wire in sorted(old.keys() & new.keys()):
            self._property(old[wire], new[wire], _join(at, new[wire].py_name), direction)

    def _property(self, old: Property, new: Property, at: str, direction: Direction) -> None:
        if old.required != new.required:
            request = direction is Direction.REQUEST
            breaking = new.required if request else not new.required
            what = "made required" if new.required else "made optional"
            self.report(breaking, "field-" + what.replace(" ", "-"), at, what, new.origin)
        self.compare(old.schema, new.schema, at, direction)

    def _fields(
        self, schema: Schema, names: Mapping[str, NamedSchema], direction: Direction
    ) -> dict[str, Property]:
        """Own properties plus those of `allOf` members, minus read/write-only ones."""
        result: dict[str, Property] = {}
        for member in schema.all_of:
            resolved = self._resolve(member, names)
            if resolved is not None and resolved is not schema:
                result.update(self._fields(resolved, names, direction))
        for prop in schema.properties:
            skipped = _one_way(prop, names, direction)
            if not skipped:
                result[prop.wire] = prop
        return result

    def _additional(self, a: Schema, b: Schema, at: str, direction: Direction) -> None:
        old, new = a.additional, b.additional
        if isinstance(old, Schema | SchemaRef) and isinstance(new, Schema | SchemaRef):
            self.compare(old, new, f"{at}{{*}}", direction)
        elif direction is Direction.REQUEST and old is not False and new is False:
            self.report(True, "additional-properties-removed", at, "extra keys no longer allowed", b.origin)

    # --- unions ------------------------------------------------------------------------------

    def _unions(self, a: Schema, b: Schema, at: str, direction: Direction) -> None:
        old = {_signature(m, self.old_names): m for m in (*a.any_of, *a.one_of)}
        new = {_signature(m, self.new_names): m for m in (*b.any_of, *b.one_of)}
        if not old and not new:
            return
        request = direction is Direction.REQUEST
        for sig in sorted(old.keys() - new.keys()):
            self.report(request, "variant-removed", at, f"union variant {sig} removed", b.origin)
        for sig in sorted(new.keys() - old.keys()):
            self.report(not request, "variant-added", at, f"union variant {sig} added", b.origin)
        open_types = {t for sig, m in new.items() if _is_open(m, self.new_names) for t in _sig_types(sig)}
        for sig in sorted(old.keys() & new.keys()):
            self._member(old[sig], new[sig], at, direction, open_types)

    def _member(
        self, old: SchemaNode, new: SchemaNode, at: str, direction: Direction, open_types: set[str]
    ) -> None:
        a, b = self._resolve(old, self.old_names), self._resolve(new, self.new_names)
        if a is not None and b is not None and (a.enum is not None or b.enum is not None):
            is_open = bool(base_types(b) & open_types)
            self._enum(a, b, at, direction, open_enum=is_open)
            self._constraints(a, b, at, direction)
            return
        self.compare(old, new, at, direction)

    @staticmethod
    def _resolve(node: SchemaNode, names: Mapping[str, NamedSchema]) -> Schema | None:
        if isinstance(node, SchemaRef):
            named = names.get(node.name)
            return named.schema if named is not None else None
        return node


# --- helpers ---------------------------------------------------------------------------------


def base_types(schema: Schema) -> frozenset[str]:
    """The JSON types allowed, null aside; inferred from the keywords when `type` is absent."""
    types = set(schema.types) - {"null"}
    if not types and (schema.properties or isinstance(schema.additional, Schema | SchemaRef)):
        types = {"object"}
    if not types and schema.items is not None:
        types = {"array"}
    return frozenset(types)


def accepts(wide: frozenset[str], narrow: frozenset[str]) -> bool:
    """Everything `narrow` allows, `wide` allows too (empty = any type; number ⊇ integer)."""
    if not wide:
        return True
    if not narrow:
        return False
    expanded = set(wide) | ({"integer"} if "number" in wide else set())
    return narrow <= expanded


def _show(types: frozenset[str]) -> str:
    return "|".join(sorted(types)) or "any"


def _null_text(schema: Schema) -> str:
    return "null now allowed" if schema.nullable else "null no longer allowed"


def _key(value: object) -> str:
    return json.dumps(value, sort_keys=True, default=repr)


def _values(schema: Schema) -> dict[str, object] | None:
    if schema.enum is None:
        return None
    return {_key(v): v for v in schema.enum if v is not None}


def _values_text(verb: str, keys: list[str]) -> str:
    shown = ", ".join(keys[:8]) + (f", … ({len(keys) - 8} more)" if len(keys) > 8 else "")
    return f"enum value{'s' if len(keys) > 1 else ''} {verb}: {shown}"


def _bounds(a: Schema, b: Schema) -> list[tuple[str, float | None, float | None, bool]]:
    """(keyword, old, new, True when it is a lower bound)."""
    pairs: list[tuple[str, float | None, float | None, bool]] = [
        ("minimum", a.minimum, b.minimum, True),
        ("exclusiveMinimum", a.exclusive_minimum, b.exclusive_minimum, True),
        ("maximum", a.maximum, b.maximum, False),
        ("exclusiveMaximum", a.exclusive_maximum, b.exclusive_maximum, False),
        ("minLength", a.min_length, b.min_length, True),
        ("maxLength", a.max_length, b.max_length, False),
        ("minItems", a.min_items, b.min_items, True),
        ("maxItems", a.max_items, b.max_items, False),
        ("minProperties", a.min_properties, b.min_properties, True),
        ("maxProperties", a.max_properties, b.max_properties, False),
    ]
    multiple = ("multipleOf", a.multiple_of, b.multiple_of, True)
    return [*pairs, multiple]


def _narrowed(old: float | None, new: float | None, lower: bool) -> bool:
    if new is None:
        return False
    if old is None:
        return True
    return new > old if lower else new < old


def _num(value: float | None) -> str:
    if value is None:
        return "none"
    return str(int(value)) if float(value).is_integer() else str(value)


def _join(at: str, name: str) -> str:
    return f"{at}.{name}" if at else name


def _under(at: str, relative: str) -> str:
    """A path relative to a named schema, placed under the path where it was reached."""
    if not relative or not at:
        return at or relative
    return f"{at}{relative}" if relative.startswith(("[", "{")) else f"{at}.{relative}"


def _one_way(prop: Property, names: Mapping[str, NamedSchema], direction: Direction) -> bool:
    schema = SchemaDiff._resolve(prop.schema, names)
    if schema is None:
        return False
    return schema.read_only if direction is Direction.REQUEST else schema.write_only


def _signature(node: SchemaNode, names: Mapping[str, NamedSchema]) -> str:
    if isinstance(node, SchemaRef):
        return node.name
    kind = "enum" if node.enum is not None else "const" if node.has_const else "plain"
    return f"{kind} {_show(base_types(node))}"


def _sig_types(sig: str) -> set[str]:
    return set(sig.split(" ", 1)[1].split("|")) if " " in sig else set()


def _is_open(node: SchemaNode, names: Mapping[str, NamedSchema]) -> bool:
    """A union member that takes any value of its type: the fallback of an open enum."""
    return isinstance(node, Schema) and _signature(node, names).startswith("plain ")
