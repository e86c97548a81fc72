"""IR schemas → Python type expressions, matching the models datamodel-code-generator writes.

Two modes: `output` (what parsing produces: `list[SenderPool]`) and `input` (what callers may
pass: `Sequence[SenderPool | dict[str, Any]]`). A named schema is its model class when the models
module defines one; otherwise (enums, arrays, maps, scalars, unions) it is expanded
structurally, as datamodel-code-generator does with `collapse_root_models`. Enums are `Literal`s.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..ir import NamedSchema, Schema, SchemaNode, SchemaRef
from .literals import literal
from .pylayout import split_top_level

_SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "null": "None"}
_MAX_DEPTH = 12


@dataclass
class TypeNames:
    """Collects the names a module must import for the hints it prints."""

    models: set[str] = field(default_factory=set)
    typing: set[str] = field(default_factory=set)


class TypePrinter:
    def __init__(self, named: Mapping[str, NamedSchema], classes: frozenset[str]) -> None:
        self.named = named
        self.classes = classes

    def hint(self, node: SchemaNode | None, names: TypeNames, *, mode: str = "output") -> str:
        return self._hint(node, names, mode, 0)

    def _hint(self, node: SchemaNode | None, names: TypeNames, mode: str, depth: int) -> str:
        if node is None or depth > _MAX_DEPTH:
            names.typing.add("Any")
            return "Any"
        if isinstance(node, SchemaRef):
            if node.name in self.classes:
                names.models.add(node.name)
                if mode == "input":
                    names.typing.add("Any")
                    return f"{node.name} | dict[str, Any]"
                return node.name
            return self._hint(self.named[node.name].schema, names, mode, depth + 1)
        return self._schema(node, names, mode, depth)

    def _schema(self, schema: Schema, names: TypeNames, mode: str, depth: int) -> str:
        if schema.has_const:
            return self._literal((schema.const,), names)
        if schema.enum:
            options = [self._literal(tuple(v for v in schema.enum if v is not None), names)]
            return _union([*options, *(["None"] if None in schema.enum or schema.nullable else [])])
        members = schema.one_of + schema.any_of
        if members:
            options = [self._hint(m, names, mode, depth + 1) for m in members]
            return _union([*options, *(["None"] if schema.nullable else [])])
        if len(schema.all_of) == 1 and not schema.properties:
            inner = self._hint(schema.all_of[0], names, mode, depth + 1)
            return _union([inner, "None"]) if schema.nullable else inner
        if not schema.types:
            names.typing.add("Any")
            return "Any"
        return _union([self._typed(t, schema, names, mode, depth) for t in schema.types])

    def _typed(self, kind: str, schema: Schema, names: TypeNames, mode: str, depth: int) -> str:
        if kind == "string" and schema.format == "binary":
            return "bytes"
        if kind in _SCALARS:
            return _SCALARS[kind]
        if kind == "array":
            item = self._hint(schema.items, names, mode, depth + 1) if schema.items else "Any"
            if item == "Any":
                names.typing.add("Any")
            if mode == "input":
                names.typing.add("Sequence")
                return f"Sequence[{item}]"
            return f"list[{item}]"
        value = "Any"
        if isinstance(schema.additional, Schema | SchemaRef):
            value = self._hint(schema.additional, names, mode, depth + 1)
        if value == "Any":
            names.typing.add("Any")
        if mode == "input":
            names.typing.add("Mapping")
            return f"Mapping[str, {value}]"
        return f"dict[str, {value}]"

    def _literal(self, values: tuple[object, ...], names: TypeNames) -> str:
        usable = [v for v in values if isinstance(v, str | int | bool) and not isinstance(v, float)]
        # members `Literal` cannot spell (numbers with a fraction, objects, arrays) by their type
        others = [_SCALARS["number"]] if any(isinstance(v, float) for v in values) else []
        if any(isinstance(v, list | dict) for v in values):
            names.typing.add("Any")
            others += [t for t, k in (("list[Any]", list), ("dict[str, Any]", dict)) if any(isinstance(v, k) for v in values)]
        if not usable:
            return _union(others) if others else "None"
        names.typing.add("Literal")
        return _union([f"Literal[{', '.join(literal(v) for v in usable)}]", *others])


def _union(options: list[str]) -> str:
    seen: list[str] = []
    for option in options:
        for part in split_top_level(option, "|"):
            if part not in seen:
                seen.append(part)
    if "Any" in seen:
        return "Any"
    tail: list[str] = [s for s in ("dict[str, Any]", "None") if s in seen]
    return " | ".join([s for s in seen if s not in tail] + tail)
