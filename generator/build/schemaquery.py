"""Questions about built IR schemas that several passes ask (resolve refs, find properties)."""

from __future__ import annotations

from collections.abc import Mapping

from ..ir import NamedSchema, Property, Schema, SchemaNode, SchemaRef


class SchemaQuery:
    def __init__(self, named: Mapping[str, NamedSchema]) -> None:
        self.named = named

    def resolve(self, node: SchemaNode | None) -> Schema | None:
        """Follow references (and single-member `allOf` wrappers) to a schema with content."""
        seen: set[str] = set()
        while True:
            if isinstance(node, SchemaRef):
                if node.name in seen or node.name not in self.named:
                    return None
                seen.add(node.name)
                node = self.named[node.name].schema
            elif isinstance(node, Schema) and len(node.all_of) == 1 and not node.properties:
                node = node.all_of[0]
            else:
                return node

    def properties(self, node: SchemaNode | None, _depth: int = 0) -> tuple[Property, ...]:
        """Own and `allOf`-inherited properties (first definition of a wire name wins)."""
        schema = self.resolve(node)
        if schema is None or _depth > 32:
            return ()
        collected: dict[str, Property] = {p.wire: p for p in schema.properties}
        for member in schema.all_of:
            for prop in self.properties(member, _depth + 1):
                collected.setdefault(prop.wire, prop)
        return tuple(collected.values())

    def property(self, node: SchemaNode | None, wire: str) -> Property | None:
        return next((p for p in self.properties(node) if p.wire == wire), None)

    def wire_path(self, node: SchemaNode | None, dotted: str) -> tuple[tuple[str, ...], SchemaNode] | None:
        """Dotted wire path (`pagination.next`) → Python attribute path and the leaf schema."""
        names: list[str] = []
        for wire in dotted.split("."):
            prop = self.property(node, wire)
            if prop is None:
                return None
            names.append(prop.py_name)
            node = prop.schema
        assert node is not None
        return tuple(names), node

    def is_array(self, node: SchemaNode | None) -> bool:
        schema = self.resolve(node)
        return schema is not None and ("array" in schema.types or schema.items is not None)

    def types(self, node: SchemaNode | None) -> tuple[str, ...]:
        schema = self.resolve(node)
        return schema.types if schema is not None else ()
