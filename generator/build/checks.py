"""Checks over the built IR that need whole schemas: defaults must satisfy their schema.

A default that breaks a value rule of its own schema (an invalid UUID, a value outside the enum
or range, a pattern mismatch) is a contradiction in the spec: an error. A default of the wrong
JSON type only (`"true"` for a boolean, `1` for a string — common, and readable), or an empty
string for a formatted string (the usual way to say "no value"), is a warning.
Checked with the same validator the generated clients run.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..diagnostics import Diagnostics
from ..ir import Api, NamedSchema, Schema, SchemaNode
from ..render.constraints import ConstraintPrinter
from ..runtime_bridge import runtime_module

_TYPE_RULES = frozenset({"type", "oneOf", "anyOf", "allOf"})


def check_defaults(api: Api, diagnostics: Diagnostics) -> None:
    named = {s.name: s for s in api.schemas}
    printer = ConstraintPrinter(named)
    registry = printer.schemas()
    validation = runtime_module("validation")
    errors = runtime_module("errors")
    for schema in _all_schemas(api, named):
        if not schema.has_default:
            continue
        try:
            validation.validate(schema.default, printer.schema(schema), "default", registry)
        except errors.ValidationError as exc:
            message = f"the default does not satisfy its schema: {exc}"
            if exc.rule in _TYPE_RULES or (exc.rule == "format" and schema.default == ""):
                diagnostics.warning("invalid-default", message, schema.origin)
            else:
                diagnostics.error("invalid-default", message, schema.origin)


def _all_schemas(api: Api, named: Mapping[str, NamedSchema]) -> Iterator[Schema]:
    roots: list[SchemaNode | None] = [s.schema for s in api.schemas]
    for op in api.operations:
        roots += [p.schema for p in op.parameters]
        roots += [op.body.schema if op.body else None]
        roots += [r.schema for r in op.responses]
    seen: set[int] = set()
    stack = [r for r in roots if isinstance(r, Schema)]
    while stack:
        schema = stack.pop()
        if id(schema) in seen:
            continue
        seen.add(id(schema))
        yield schema
        stack.extend(child for child in _children(schema) if isinstance(child, Schema))


def _children(schema: Schema) -> Iterator[Any]:
    yield schema.items
    yield schema.additional
    yield schema.not_
    yield schema.property_names
    yield from schema.prefix_items
    yield from (p.schema for p in schema.properties)
    yield from schema.all_of + schema.any_of + schema.one_of
    yield from (s for _, s in schema.pattern_properties)
