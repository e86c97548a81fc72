"""What every lint check reads: the built IR, the loaded documents and the build's own problems.

Checks ask about the IR first (it holds every naming and feature decision oagen made) and read
the document only for what the IR does not keep (raw `operationId`s, server variables, media-type
`examples`, `x-oagen-lint-ignore`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import cached_property
from typing import Any

from ..build.schemaquery import SchemaQuery
from ..diagnostics import Diagnostic, Origin, split_pointer
from ..ir import Api, NamedSchema, Schema, SchemaNode
from ..load import Document, Workspace

IGNORE_KEY = "x-oagen-lint-ignore"


class LintContext:
    def __init__(self, workspace: Workspace, api: Api, build: Sequence[Diagnostic]) -> None:
        self.workspace = workspace
        self.api = api
        self.build = tuple(build)
        self.named: dict[str, NamedSchema] = {s.name: s for s in api.schemas}
        self.query = SchemaQuery(self.named)
        self._documents = {d.display: d for d in workspace.documents.values()}

    # --- the document ----------------------------------------------------------------------

    def document(self, origin: Origin) -> Document | None:
        return self._documents.get(origin.file)

    def node(self, origin: Origin) -> Any:
        """The document value at `origin`, or None when there is none."""
        values, complete = self._along(origin)
        return values[-1] if complete else None

    def _along(self, origin: Origin) -> tuple[list[Any], bool]:
        """The root and every value along the pointer; whether the whole pointer exists."""
        document = self.document(origin)
        if document is None:
            return [], False
        values: list[Any] = [document.data]
        for token in split_pointer(origin.pointer):
            value = _child(values[-1], token)
            if value is _MISSING:
                return values, False
            values.append(value)
        return values, True

    def ignored_inline(self, rule: str, origin: Origin) -> bool:
        """`x-oagen-lint-ignore: [rule]` on the node at `origin` or on any of its ancestors."""
        values, _ = self._along(origin)
        return any(isinstance(v, dict) and rule in _ids(v.get(IGNORE_KEY)) for v in values)

    # --- the IR ----------------------------------------------------------------------------

    @cached_property
    def schemas(self) -> tuple[Schema, ...]:
        """Every schema object of the IR (named, inline, nested), each once."""
        return tuple(_walk(_roots(self.api)))


_MISSING = object()


def _child(value: Any, token: str) -> Any:
    if isinstance(value, dict):
        return value.get(token, _MISSING)
    if isinstance(value, list) and token.isdigit() and int(token) < len(value):
        return value[int(token)]
    return _MISSING


def _ids(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(v for v in value if isinstance(v, str))
    return ()


def _roots(api: Api) -> Iterator[SchemaNode | None]:
    yield from (s.schema for s in api.schemas)
    for op in api.operations:
        yield from (p.schema for p in op.parameters)
        yield op.body.schema if op.body is not None else None
        for response in op.responses:
            yield response.schema
            yield from (h.schema for h in response.headers)


def _walk(roots: Iterator[SchemaNode | None]) -> Iterator[Schema]:
    seen: set[int] = set()
    stack = [r for r in roots if isinstance(r, Schema)]
    stack.reverse()
    while stack:
        schema = stack.pop()
        if id(schema) in seen:
            continue
        seen.add(id(schema))
        yield schema
        stack.extend(reversed([c for c in children(schema) if isinstance(c, Schema)]))


def children(schema: Schema) -> Iterator[SchemaNode | bool | None]:
    yield schema.items
    yield from schema.prefix_items
    yield from (p.schema for p in schema.properties)
    yield schema.additional
    yield from (s for _, s in schema.pattern_properties)
    yield schema.property_names
    yield from schema.all_of + schema.any_of + schema.one_of
    yield schema.not_
