"""Document schemas → IR schemas, with one name per class-worthy schema.

Named schemas: every `components/schemas` entry (names claimed up front, in sorted key order),
every other `$ref` target that is an object with properties or is reached recursively, and every
inline object with properties or `allOf` composition ("hoisted", named from where it sits:
`SenderPool` + `stats` → `SenderPoolStats`). Everything else stays inline. OpenAPI 3.0 forms
(`nullable`, boolean exclusive bounds, `example`) are read into the 3.1 shape here.
"""

from __future__ import annotations

import re
from typing import Any

from .. import ecma, naming
from ..ir import Discriminator, NamedSchema, Pattern, Property, Schema, SchemaNode, SchemaRef
from .context import At, BuildContext

_NAMED_POINTER = re.compile(r"^(/components/schemas|/definitions|/\$defs)/[^/]+$")
_JSON_TYPES = frozenset({"string", "integer", "number", "boolean", "array", "object", "null"})


class SchemaBuilder:
    def __init__(self, ctx: BuildContext) -> None:
        self.ctx = ctx
        self.scope = naming.Scope(naming.MODULE_RESERVED, separator="")
        self.names: dict[tuple[str, str], str] = {}
        self.named: dict[str, NamedSchema] = {}
        self.building: set[tuple[str, str]] = set()
        self.patterns: dict[str, Pattern] = {}

    # --- entry points --------------------------------------------------------------------------

    def build_components(self) -> None:
        components = self.ctx.root.get("components")
        entries = components.items("schemas") if components else []
        for key, at in sorted(entries, key=lambda entry: entry[0]):
            self.names[(at.document.key, at.pointer)] = self.scope.claim(naming.class_name(key))
        for _, at in sorted(entries, key=lambda entry: entry[0]):
            self._build_named(at, self.names[(at.document.key, at.pointer)])

    def node(self, at: At, hint: str, *, hoist: bool = True) -> SchemaNode:
        """The IR for the schema at `at`; `hint` names it if it has to become a class."""
        value = at.value
        if isinstance(value, dict) and isinstance(value.get("$ref"), str):
            return self._reference(at, hint)
        if value is True or value == {}:
            return Schema(origin=at.origin)
        if value is False:
            return Schema(origin=at.origin, falsy=True)
        if not isinstance(value, dict):
            self.ctx.error("invalid-schema", "a schema must be an object or a boolean", at)
            return Schema(origin=at.origin)
        key = (at.document.key, at.pointer)
        if key in self.names:
            return SchemaRef(name=self.names[key], origin=at.origin)
        if hoist and _class_worthy(value):
            name = self.scope.claim(naming.class_name(hint))
            self.names[key] = name
            return self._build_named(at, name, hoisted=True)
        return self._schema(at, hint)

    # --- references and names ------------------------------------------------------------------

    def _reference(self, at: At, hint: str) -> SchemaNode:
        target = self.ctx.resolve_ref(at)
        if target is None:
            return Schema(origin=at.origin)
        key = (target.document.key, target.pointer)
        if key in self.names:
            return SchemaRef(name=self.names[key], origin=at.origin)
        external_top = target.document is not self.ctx.workspace.root and target.pointer.count("/") <= 1
        if key in self.building or _NAMED_POINTER.match(target.pointer) or external_top:
            tail = target.pointer.rsplit("/", 1)[-1] or _file_stem(target.document.display)
            self.names[key] = self.scope.claim(naming.class_name(tail))
            return self._build_named(target, self.names[key], origin_ref=at)
        if isinstance(target.value, dict) and "$ref" in target.value:
            followed = self.ctx.deref(target)
            return self.node(followed, hint) if followed is not None else Schema(origin=at.origin)
        self.building.add(key)
        try:
            return self.node(target, hint)
        finally:
            self.building.discard(key)

    def _build_named(
        self, at: At, name: str, *, hoisted: bool = False, origin_ref: At | None = None
    ) -> SchemaRef:
        ref = SchemaRef(name=name, origin=(origin_ref or at).origin)
        if name in self.named:
            return ref
        key = (at.document.key, at.pointer)
        self.building.add(key)
        try:
            if isinstance(at.value, dict) and isinstance(at.value.get("$ref"), str):
                target = self.node(at, name, hoist=False) if self.ctx.deref(at) else None
                schema = Schema(origin=at.origin, all_of=(target,) if target else ())
            elif isinstance(at.value, dict):
                schema = self._schema(at, name)
            else:
                schema = Schema(origin=at.origin, falsy=at.value is False)
        finally:
            self.building.discard(key)
        self.named[name] = NamedSchema(name=name, schema=schema, origin=at.origin, hoisted=hoisted)
        return ref

    # --- one schema object ---------------------------------------------------------------------

    def _schema(self, at: At, hint: str) -> Schema:
        value: dict[str, Any] = at.value
        fields: dict[str, Any] = {
            "origin": at.origin,
            "types": self._types(at),
            "format": _string(value.get("format")),
            "title": _string(value.get("title")),
            "description": _string(value.get("description")),
            "deprecated": value.get("deprecated") is True,
            "read_only": value.get("readOnly") is True,
            "write_only": value.get("writeOnly") is True,
            "content_media_type": _string(value.get("contentMediaType")),
        }
        # each group of keywords only where one of them is present (most schemas are leaves
        # of a type and a description): absent, a group's fields keep `Schema`'s defaults
        keys = value.keys()
        if not keys.isdisjoint(_VALUE_KEYS):
            fields.update(_annotations(value))
        if not keys.isdisjoint(_STRING_KEYS):
            fields.update(self._string_rules(at))
        if not keys.isdisjoint(_NUMBER_KEYS):
            fields.update(_number_rules(value))
        if not keys.isdisjoint(_ARRAY_KEYS):
            fields.update(self._array_rules(at, hint))
        if not keys.isdisjoint(_OBJECT_KEYS):
            fields.update(self._object_rules(at, hint))
        if not keys.isdisjoint(_COMPOSITION_KEYS):
            fields.update(self._composition(at, hint))
        return Schema(**fields)

    def _types(self, at: At) -> tuple[str, ...]:
        raw = at.value.get("type")
        if raw is None:
            return ()
        if isinstance(raw, str) and raw in _JSON_TYPES and at.value.get("nullable") is not True:
            return (raw,)  # most schemas: one type, and not 3.0's `nullable`
        listed = [raw] if isinstance(raw, str) else list(raw) if isinstance(raw, list) else []
        for item in listed:
            if not isinstance(item, str) or item not in _JSON_TYPES:
                self.ctx.error("invalid-schema", f"unknown type {item!r}", at.child("type"))
        types = [t for t in listed if isinstance(t, str) and t in _JSON_TYPES]
        if at.value.get("nullable") is True and types and "null" not in types:
            types.append("null")
        return tuple(sorted(set(types), key=types.index))

    def _string_rules(self, at: At) -> dict[str, Any]:
        value = at.value
        result: dict[str, Any] = {
            "min_length": _int(value.get("minLength")),
            "max_length": _int(value.get("maxLength")),
        }
        pattern = value.get("pattern")
        if isinstance(pattern, str):
            result["pattern"] = self.pattern(pattern, at.child("pattern"))
        return result

    def pattern(self, source: str, at: At) -> Pattern:
        if source not in self.patterns:
            translation = ecma.translate(source)
            self.patterns[source] = Pattern(
                ecma=source, python=translation.python, engine=translation.engine
            )
            if translation.engine == "invalid":
                self.ctx.error("invalid-pattern", translation.reason or "invalid ECMA-262 pattern", at)
        return self.patterns[source]

    def _array_rules(self, at: At, hint: str) -> dict[str, Any]:
        value = at.value
        result: dict[str, Any] = {
            "min_items": _int(value.get("minItems")),
            "max_items": _int(value.get("maxItems")),
            "unique_items": value.get("uniqueItems") is True,
        }
        items = at.get("items")
        if isinstance(items, At) and isinstance(items.value, list):  # draft-4 tuple form
            result["prefix_items"] = tuple(
                self.node(item, f"{hint} item {i}") for i, item in enumerate(at.elements("items"))
            )
        elif items is not None:
            result["items"] = self.node(items, f"{hint} item")
        if at.get("prefixItems") is not None:
            result["prefix_items"] = tuple(
                self.node(item, f"{hint} item {i}") for i, item in enumerate(at.elements("prefixItems"))
            )
        return result

    def _object_rules(self, at: At, hint: str) -> dict[str, Any]:
        value = at.value
        required = value.get("required")
        required_set = {r for r in required if isinstance(r, str)} if isinstance(required, list) else set()
        scope = naming.Scope()
        properties = tuple(
            Property(
                wire=wire,
                py_name=scope.claim(naming.field_name(wire)),
                schema=self.node(prop, f"{hint} {wire}"),
                required=wire in required_set,
                origin=prop.origin,
            )
            for wire, prop in at.items("properties")
        )
        result: dict[str, Any] = {
            "properties": properties,
            "min_properties": _int(value.get("minProperties")),
            "max_properties": _int(value.get("maxProperties")),
        }
        additional = at.get("additionalProperties")
        if additional is not None:
            result["additional"] = (
                additional.value
                if isinstance(additional.value, bool)
                else self.node(additional, f"{hint} value")
            )
        names = at.get("propertyNames")
        if names is not None:
            result["property_names"] = self.node(names, f"{hint} key", hoist=False)
        result["pattern_properties"] = tuple(
            (self.pattern(pattern, sub), self.node(sub, f"{hint} value"))
            for pattern, sub in at.items("patternProperties")
        )
        return result

    def _composition(self, at: At, hint: str) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for keyword, field, hoist in (("allOf", "all_of", False), ("anyOf", "any_of", True), ("oneOf", "one_of", True)):
            members = at.elements(keyword)
            if keyword == "allOf":  # a member of annotations only (`{xml: …}`) adds no rule
                members = [m for m in members if not _annotation_only(m.value)]
            if members:
                result[field] = tuple(
                    self.node(member, f"{hint} {keyword} {i + 1}", hoist=hoist)
                    for i, member in enumerate(members)
                )
        not_ = at.get("not")
        if not_ is not None:
            result["not_"] = self.node(not_, f"{hint} not", hoist=False)
        discriminator = at.get("discriminator")
        if discriminator is not None and isinstance(discriminator.value, dict):
            result["discriminator"] = self._discriminator(discriminator)
        return result

    def _discriminator(self, at: At) -> Discriminator | None:
        prop = at.str("propertyName")
        if prop is None:
            self.ctx.error("invalid-schema", "discriminator without propertyName", at)
            return None
        mapping: list[tuple[str, str]] = []
        for wire_value, target in at.items("mapping"):
            if not isinstance(target.value, str):
                continue
            ref = target.value if ("#" in target.value or "/" in target.value or "." in target.value) else (
                f"#/components/schemas/{target.value}"
            )
            node = self._reference(At(target.document, target.pointer, {"$ref": ref}), wire_value)
            if isinstance(node, SchemaRef):
                mapping.append((wire_value, node.name))
        return Discriminator(property=prop, mapping=tuple(mapping))


# The keywords that make `_schema` run each rule group (`required` alone changes nothing: it
# only marks properties).
_VALUE_KEYS = frozenset({"default", "examples", "example", "enum", "const"})
_STRING_KEYS = frozenset({"minLength", "maxLength", "pattern"})
_NUMBER_KEYS = frozenset(
    {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"}
)
_ARRAY_KEYS = frozenset({"minItems", "maxItems", "uniqueItems", "items", "prefixItems"})
_OBJECT_KEYS = frozenset(
    {
        "properties",
        "minProperties",
        "maxProperties",
        "additionalProperties",
        "propertyNames",
        "patternProperties",
    }
)
_COMPOSITION_KEYS = frozenset({"allOf", "anyOf", "oneOf", "not", "discriminator"})


def _class_worthy(value: dict[str, Any]) -> bool:
    properties = value.get("properties")
    if isinstance(properties, dict) and properties:
        return True
    all_of = value.get("allOf")
    if isinstance(all_of, list):
        all_of = [m for m in all_of if not _annotation_only(m)]
    return isinstance(all_of, list) and (len(all_of) > 1 or bool(value.get("properties")))


_ANNOTATIONS = frozenset(
    {"xml", "description", "title", "example", "examples", "externalDocs", "$comment", "deprecated"}
)


def _annotation_only(value: Any) -> bool:
    """A schema object of annotations only (`{}` is not one: it says "anything")."""
    return isinstance(value, dict) and bool(value) and value.keys() <= _ANNOTATIONS


def _annotations(value: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    if "default" in value:
        result["default"] = value["default"]
        result["has_default"] = True
    examples = value.get("examples")
    if isinstance(examples, list):
        result["examples"] = tuple(examples)
    elif "example" in value:
        result["examples"] = (value["example"],)
    if isinstance(value.get("enum"), list):
        result["enum"] = tuple(value["enum"])
    if "const" in value:
        result["const"] = value["const"]
        result["has_const"] = True
    return result


def _number_rules(value: dict[str, Any]) -> dict[str, Any]:
    minimum, maximum = _number(value.get("minimum")), _number(value.get("maximum"))
    low, high = value.get("exclusiveMinimum"), value.get("exclusiveMaximum")
    result: dict[str, Any] = {"multiple_of": _number(value.get("multipleOf"))}
    if low is True:
        result["exclusive_minimum"], minimum = minimum, None
    else:
        result["exclusive_minimum"] = _number(low)
    if high is True:
        result["exclusive_maximum"], maximum = maximum, None
    else:
        result["exclusive_maximum"] = _number(high)
    result["minimum"], result["maximum"] = minimum, maximum
    return result


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _string(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _file_stem(display: str) -> str:
    stem = display.rsplit("/", 1)[-1]
    return stem.split(".", 1)[0] or "Model"
