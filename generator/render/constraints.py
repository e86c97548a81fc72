"""IR schemas → constraint schemas: the validator dialect of the runtime's `validation.py`.

A JSON Schema subset over wire names, with only what validation needs. Patterns are given as
their Python translation (`pattern`), or — when only an ECMA-262 engine can run them — as the
ECMA source under `x-regress`. `{"$ref": "Name"}` points into the package's `SCHEMAS`.
Schemas that constrain nothing are `None`, so that callers skip validation entirely.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..ir import NamedSchema, Pattern, Schema, SchemaNode, SchemaRef

_SIMPLE = (
    ("format", "format"),
    ("min_length", "minLength"),
    ("max_length", "maxLength"),
    ("minimum", "minimum"),
    ("maximum", "maximum"),
    ("exclusive_minimum", "exclusiveMinimum"),
    ("exclusive_maximum", "exclusiveMaximum"),
    ("multiple_of", "multipleOf"),
    ("min_items", "minItems"),
    ("max_items", "maxItems"),
    ("min_properties", "minProperties"),
    ("max_properties", "maxProperties"),
)


_printed: list[tuple[tuple[Any, ...], list[NamedSchema], dict[str, Any]]] = []
"""The last registry printed: (its printer's class and schemas' identities, the schemas — held
so that their identities stay theirs —, the registry)."""


class ConstraintPrinter:
    def __init__(self, named: Mapping[str, NamedSchema]) -> None:
        self.named = named

    def schemas(self) -> dict[str, Any]:
        """The `SCHEMAS` registry: every named schema, by class name (read-only: the same
        schemas' registry is printed once, and one object, whose checks the runtime's
        validator compiles once, serves the value checks, the package and its tests)."""
        items = sorted(self.named.items())
        key = (type(self), *((name, id(named)) for name, named in items))
        if _printed and _printed[0][0] == key:
            return _printed[0][2]
        registry = {name: self.schema(named.schema) for name, named in items}
        _printed[:] = [(key, [named for _, named in items], registry)]
        return registry

    def schema(self, node: SchemaNode | bool | None) -> dict[str, Any]:
        if isinstance(node, SchemaRef):
            return {"$ref": node.name}
        if node is None or node is True:
            return {}
        if node is False or node.falsy:
            return {"not": {}}
        return self._object(node)

    def _object(self, schema: Schema) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if schema.types:
            out["type"] = list(schema.types) if len(schema.types) > 1 else schema.types[0]
        if schema.enum is not None:
            out["enum"] = list(schema.enum)
        if schema.has_const:
            out["const"] = schema.const
        if schema.pattern is not None:
            out.update(pattern_keywords(schema.pattern))
        for attr, key in _SIMPLE:
            value = getattr(schema, attr)
            if value is not None:
                out[key] = value
        if schema.unique_items:
            out["uniqueItems"] = True
        if schema.items is not None:
            out["items"] = self.schema(schema.items)
        if schema.prefix_items:
            out["prefixItems"] = [self.schema(s) for s in schema.prefix_items]
        self._object_keywords(schema, out)
        for attr, key in (("all_of", "allOf"), ("any_of", "anyOf"), ("one_of", "oneOf")):
            members = getattr(schema, attr)
            if members:
                out[key] = [self.schema(m) for m in members]
        if schema.not_ is not None:
            out["not"] = self.schema(schema.not_)
        return out

    def _object_keywords(self, schema: Schema, out: dict[str, Any]) -> None:
        if schema.properties:
            out["properties"] = {p.wire: self.schema(p.schema) for p in schema.properties}
            required = [
                p.wire for p in schema.properties if p.required and not p_read_only(self, p.schema)
            ]
            if required:
                out["required"] = required
        if isinstance(schema.additional, Schema | SchemaRef):
            out["additionalProperties"] = self.schema(schema.additional)
        if schema.pattern_properties:
            out["patternProperties"] = {
                (p.python or p.ecma): self.schema(s) for p, s in schema.pattern_properties
            }
        if schema.property_names is not None:
            out["propertyNames"] = self.schema(schema.property_names)

    def constrains(self, node: SchemaNode | None) -> bool:
        """Whether validating against `node` can ever fail (refs are assumed to)."""
        if node is None:
            return False
        if isinstance(node, SchemaRef):
            return True
        return self._object(node) != {}


def p_read_only(printer: ConstraintPrinter, node: SchemaNode) -> bool:
    """readOnly properties are not required in requests."""
    if isinstance(node, SchemaRef):
        named = printer.named.get(node.name)
        return named is not None and named.schema.read_only
    return node.read_only


def pattern_keywords(pattern: Pattern) -> dict[str, str]:
    if pattern.engine == "re" and pattern.python is not None:
        return {"pattern": pattern.python}
    if pattern.engine == "regress":
        return {"x-regress": pattern.ecma}
    return {}
