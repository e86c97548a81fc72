"""Checks over the built IR that need whole schemas: defaults and examples against their schema.

A default that breaks a value rule of its own schema (an invalid UUID, a value outside the enum
or range, a pattern mismatch) is a contradiction in the spec: an error. A default of the wrong
JSON type only (`"true"` for a boolean, `1` for a string — common, and readable), or an empty
string for a formatted string (the usual way to say "no value"), is a warning.
An example that breaks its schema (a schema's `example`/`examples`, a parameter's or a media
type's `example`) is a warning, `invalid-example`: examples only document, but generated README
calls and tests may use them.
Checked with the same validator the generated clients run.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..diagnostics import Diagnostics, Origin
from ..ir import Api, NamedSchema, Schema, SchemaNode, SchemaRef
from ..load import Workspace
from ..render.constraints import ConstraintPrinter
from ..runtime_bridge import runtime_module

_TYPE_RULES = frozenset({"type", "oneOf", "anyOf", "allOf"})


class _Checker:
    """The runtime validator, set up once for the API's schemas."""

    def __init__(self, api: Api) -> None:
        self.named = {s.name: s for s in api.schemas}
        self.printer = ConstraintPrinter(self.named)
        self.registry = self.printer.schemas()
        self.validation = runtime_module("validation")
        self.errors = runtime_module("errors")
        self.printed: dict[Any, tuple[SchemaNode | None, Any]] = {}

    def problem(self, value: Any, schema: SchemaNode | None, what: str) -> Any | None:
        """The runtime's ValidationError for `value`, or None when it is valid."""
        try:
            self.validation.validate(value, self._constraints(schema), what, self.registry)
        except self.errors.ValidationError as exc:
            return exc
        except (RecursionError, ValueError, TypeError):
            return None
        return None

    def _constraints(self, node: SchemaNode | None) -> Any:
        """One dict per schema, so that the runtime's compile cache (by identity) is hit."""
        key: Any = ("$ref", node.name) if isinstance(node, SchemaRef) else id(node)
        if key not in self.printed:
            self.printed[key] = (node, self.printer.schema(node))
        return self.printed[key][1]


def check_values(api: Api, workspace: Workspace, diagnostics: Diagnostics) -> None:
    """Every default and example against its schema (one validator set-up, one walk)."""
    checker = _Checker(api)
    for schema in _all_schemas(api, checker.named):
        if schema.has_default:
            _check_default(checker, schema, diagnostics)
        if schema.examples:
            raw = workspace.value_at(schema.origin)
            listed = isinstance(raw, dict) and isinstance(raw.get("examples"), list)
            for index, example in enumerate(schema.examples):
                where = ("examples", index) if listed else ("example",)
                _check_example(checker, example, schema, schema.origin.child(*where), diagnostics)
    for value, node, origin in _operation_examples(api):
        _check_example(checker, value, node, origin, diagnostics)


def _check_default(checker: _Checker, schema: Schema, diagnostics: Diagnostics) -> None:
    exc = checker.problem(schema.default, schema, "default")
    if exc is None:
        return
    message = f"the default does not satisfy its schema: {exc}"
    if exc.rule in _TYPE_RULES or (exc.rule == "format" and schema.default == ""):
        diagnostics.warning("invalid-default", message, schema.origin.child("default"))
    else:
        diagnostics.error("invalid-default", message, schema.origin.child("default"))


def _check_example(
    checker: _Checker, value: Any, node: SchemaNode, origin: Origin, diagnostics: Diagnostics
) -> None:
    exc = checker.problem(value, node, "example")
    if exc is not None:
        message = f"the example does not satisfy its schema: {exc}"
        diagnostics.warning("invalid-example", message, origin)


def _operation_examples(api: Api) -> Iterator[tuple[Any, SchemaNode, Origin]]:
    """Examples of parameters and of request and response media types, where they are."""
    for op in api.operations:
        for param in op.parameters:
            if param.has_example:
                yield param.example, param.schema, param.origin.child("example")
        body = op.body
        if body is not None and body.has_example and body.schema is not None:
            yield (
                body.example,
                body.schema,
                body.origin.child("content", body.content_type, "example"),
            )
        for response in op.responses:
            if response.has_example and response.schema is not None and response.content_type:
                media = response.origin.child("content", response.content_type, "example")
                yield response.example, response.schema, media


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
