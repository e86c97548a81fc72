"""Detect how a list operation pages, or read it from `x-oagen-pagination`.

Detected styles, in order of preference:
- cursor: a query parameter such as `pageToken`, `cursor`, `after`, `starting_after`,
  `continue`, `marker` and a string field carrying the next value (top level or one object
  down: `pagination.next`, `next_cursor`, `response_metadata.next_cursor`, `metadata.continue`);
  or a `has_more` boolean with `starting_after`/`after`, the token being the last item's `id`;
- link: a documented `Link` response header;
- offset: an `offset` query parameter; page: a `page` query parameter.
The items are the response itself (a top-level array) or its single array property (or the
one named `data`, `items`, `results`, …).

`x-oagen-pagination: {style, items, param, next, has_more, last_item}` uses wire names and dotted
wire paths.
"""

from __future__ import annotations

from typing import Any

from .. import naming
from ..ir import Operation, Pagination, PaginationStyle, ParamLocation, ResponseKind, SchemaNode
from .context import At, BuildContext
from .schemaquery import SchemaQuery

CURSOR_PARAMS = frozenset(
    "page_token cursor after starting_after next_token continuation_token continue marker "
    "page_cursor start_cursor next_page_token".split()
)
NEXT_FIELDS = (
    "next_page_token next_cursor next_token next_marker continuation_token start_cursor "
    "next_page next continue cursor"
).split()
ITEM_FIELDS = ("data", "items", "results", "entries", "values", "records", "elements", "list")


def detect(ctx: BuildContext, query: SchemaQuery, op: Operation, op_at: At) -> Pagination | None:
    success = next((r for r in op.success if r.kind is ResponseKind.JSON and r.schema is not None), None)
    if success is None:
        return None
    explicit = op_at.get("x-oagen-pagination")
    if explicit is not None:
        return _explicit(ctx, query, op, success.schema, explicit)
    items = _items(query, success.schema)
    if items is None:
        return None
    path, item_schema = items
    query_params = {naming.snake(p.wire): p for p in op.parameters if p.location is ParamLocation.QUERY}
    cursor = _cursor(query, success.schema, query_params, path, item_schema)
    if cursor is not None:
        return cursor
    if any(h.wire.lower() == "link" for h in success.headers):
        return Pagination(style=PaginationStyle.LINK, items=path, item_schema=item_schema)
    for key, style in (("offset", PaginationStyle.OFFSET), ("page", PaginationStyle.PAGE)):
        # a counter the client adds to: a string `page` (an opaque token) is no counter
        if key in query_params and _counter(query, query_params[key].schema):
            return Pagination(style=style, items=path, item_schema=item_schema, param=query_params[key].py_name)
    return None


def _items(query: SchemaQuery, schema: SchemaNode | None) -> tuple[tuple[str, ...], SchemaNode | None] | None:
    resolved = query.resolve(schema)
    if resolved is None:
        return None
    if query.is_array(resolved):
        return (), resolved.items
    arrays = [p for p in query.properties(resolved) if query.is_array(p.schema)]
    if len(arrays) > 1:
        arrays = [p for p in arrays if naming.snake(p.wire) in ITEM_FIELDS][:1]
    if len(arrays) != 1:
        return None
    prop = arrays[0]
    array = query.resolve(prop.schema)
    return (prop.py_name,), array.items if array is not None else None


def _cursor(
    query: SchemaQuery,
    schema: SchemaNode | None,
    params: dict[str, Any],
    items: tuple[str, ...],
    item_schema: SchemaNode | None,
) -> Pagination | None:
    cursor_params = [params[name] for name in params if name in CURSOR_PARAMS]
    if not cursor_params:
        return None
    param = cursor_params[0]
    next_path = _next_field(query, schema)
    # the token of a string field goes back as the parameter: it must take a string
    if next_path is not None and _stringish(query, param.schema):
        return Pagination(style=PaginationStyle.CURSOR, items=items, item_schema=item_schema, param=param.py_name, next=next_path)
    has_more = query.property(schema, "has_more") or query.property(schema, "hasMore")
    id_field = query.property(item_schema, "id")
    if has_more is not None and id_field is not None and naming.snake(param.wire) in ("starting_after", "after"):
        return Pagination(
            style=PaginationStyle.CURSOR,
            items=items,
            item_schema=item_schema,
            param=param.py_name,
            has_more=(has_more.py_name,),
            last_item=id_field.py_name,
        )
    return None


def _next_field(query: SchemaQuery, schema: SchemaNode | None) -> tuple[str, ...] | None:
    top = query.properties(schema)
    for wanted in NEXT_FIELDS:
        for prop in top:
            if naming.snake(prop.wire) == wanted and _stringish(query, prop.schema):
                return (prop.py_name,)
    for prop in top:
        for wanted in NEXT_FIELDS:
            for inner in query.properties(prop.schema):
                if naming.snake(inner.wire) == wanted and _stringish(query, inner.schema):
                    return (prop.py_name, inner.py_name)
    return None


def _stringish(query: SchemaQuery, schema: SchemaNode | None) -> bool:
    types = query.types(schema)
    return not types or "string" in types


def _explicit(
    ctx: BuildContext, query: SchemaQuery, op: Operation, schema: SchemaNode | None, at: At
) -> Pagination | None:
    value = at.value if isinstance(at.value, dict) else {}
    try:
        style = PaginationStyle(value.get("style", "cursor"))
    except ValueError:
        ctx.error("invalid-extension", f"x-oagen-pagination: unknown style {value.get('style')!r}", at)
        return None
    items_wire = value.get("items")
    if isinstance(items_wire, str) and items_wire:
        found = query.wire_path(schema, items_wire)
        if found is None:
            ctx.error("invalid-extension", f"x-oagen-pagination: no response field {items_wire!r}", at)
            return None
        items, items_node = found
        item_schema = query.resolve(items_node)
        item_schema_node = item_schema.items if item_schema is not None else None
    else:
        items, item_schema_node = (), (query.resolve(schema).items if query.resolve(schema) else None)  # type: ignore[union-attr]
    param = next((p.py_name for p in op.parameters if p.wire == value.get("param")), None)
    paths: dict[str, tuple[str, ...] | None] = {}
    for key in ("next", "has_more"):
        wire = value.get(key)
        found_path = query.wire_path(schema, wire) if isinstance(wire, str) else None
        if isinstance(wire, str) and found_path is None:
            ctx.error("invalid-extension", f"x-oagen-pagination: no response field {wire!r}", at)
        paths[key] = found_path[0] if found_path else None
    last = value.get("last_item")
    last_prop = query.property(item_schema_node, last) if isinstance(last, str) else None
    return Pagination(
        style=style,
        items=items,
        item_schema=item_schema_node,
        param=param,
        next=paths["next"],
        has_more=paths["has_more"],
        last_item=last_prop.py_name if last_prop else None,
        source="x-oagen-pagination",
    )


def _counter(query: SchemaQuery, schema: SchemaNode | None) -> bool:
    types = query.types(schema)
    return not types or bool({"integer", "number"} & set(types))
