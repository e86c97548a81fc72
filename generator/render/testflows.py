"""Multi-request flows of one operation: pagination to the last page, and `_and_wait` polling.

Input: a paginated or long-running IR operation, its call arguments and the names of its canned
answers. Output: `PagesTest` (three pages made from the canned answer with `patched(...)`, the
items iteration must yield, the page parameter each request must carry) and `WaitTest` (the 202
answer pointing at a poll URL, an in-progress and a final state). Attribute paths of the IR
(Python names) are mapped back to wire names through the schemas; what cannot be mapped becomes
a note instead of a test.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..build.schemaquery import SchemaQuery
from ..ir import Operation, PaginationStyle, ParamLocation, Response, ResponseKind, SchemaNode
from .pylayout import WIDTH, layout
from .testerrors import json_type, status_code
from .testlayout import assert_equal
from .testliterals import Code, Constants, constant, py
from .testvalues import CallArgs, Values, jsonish
from .testwire import text

POLL_INTERVAL = 0.25
_MISSING = Code("MISSING")


@dataclass(frozen=True, slots=True)
class PagesTest:
    name: str
    item: str
    """The `<OP>_ITEM` constant source (one item)."""
    pages: str
    """The `<OP>_PAGES` constant source (a list of `Reply`s)."""
    items: str
    """What iterating must yield (source)."""
    requests: str
    """The statement checking the requests: the page parameter's value in each (or the URLs
    fetched, link style), every other argument repeated."""
    kit: tuple[str, ...] = ()
    """Testkit names the pages use (`patched`, `MISSING`)."""

    def check_items(self, found: str) -> str:
        """`assert wire(<found>) == <items>`."""
        return assert_equal(f"wire({found})", self.items)


@dataclass(frozen=True, slots=True)
class WaitTest:
    name: str
    async_name: str
    call_expr: str
    accepted: str
    pending: str
    done: str
    poll_url: str
    poll_type: str
    interval: str = repr(POLL_INTERVAL)

    @property
    def polled(self) -> str:
        """The statement checking the polls."""
        check = f"mock.assert_polled({self.poll_url}, polls=2, interval={self.interval})"
        return layout(check, indent=4)

    @property
    def sync_call(self) -> str:
        return layout(self.call_expr, indent=4, prefix=len("result = "))

    @property
    def async_call(self) -> str:
        return layout(self.call_expr, indent=4, prefix=len("result = await "))


@dataclass(frozen=True, slots=True)
class _Page:
    items: list[Code]
    changes: dict[tuple[str, ...], Any]
    headers: dict[str, str] | None = None


class FlowBuilder:
    def __init__(self, values: Values, base_url: str) -> None:
        self.values = values
        self.query: SchemaQuery = values.query
        self.base_url = base_url.rstrip("/")

    def _wire_path(self, node: SchemaNode | None, names: tuple[str, ...]) -> tuple[str, ...] | None:
        """Python attribute path → wire path, through the schemas."""
        path: list[str] = []
        for name in names:
            prop = next((p for p in self.query.properties(node) if p.py_name == name), None)
            if prop is None:
                return None
            path.append(prop.wire)
            node = prop.schema
        return tuple(path)

    # --- pagination ---------------------------------------------------------------------------

    def pages(
        self, op: Operation, call: CallArgs, replies: dict[str, str], wire: str, notes: list[str]
    ) -> PagesTest | None:
        pagination = op.pagination
        response = next((r for r in op.success if r.kind is ResponseKind.JSON), None)
        if pagination is None or response is None:
            return None
        items_path = self._wire_path(response.schema, pagination.items)
        if items_path is None:
            notes.append("pagination: its items cannot be located by wire name")
            return None
        reply = replies[response.status]
        item = self._item(op, response, reply, items_path)
        planned = self._plan(op, response, call, Code(f"{constant(op.name)}_ITEM"))
        if planned is None:
            notes.append("pagination: no page token found by wire name (or no integer counter)")
            return None
        pages, param, values = planned
        made = [self._page(response, reply, items_path, page) for page in pages]
        items = [i for page in pages for i in page.items]
        kit: tuple[str, ...] = ("patched",) if items_path else ()
        if any(v is _MISSING for page in pages for v in page.changes.values()):
            kit += ("MISSING",)
        same = all(i == items[0] for i in items)
        if param is not None:
            check = f"mock.assert_pages({wire}, {py(param)}, {py(values)})"
        else:
            check = f"mock.assert_links({py(values)})"
        return PagesTest(
            name=f"test_{op.name}_iterates_every_page",
            item=item,
            pages=py(made),
            items=f"[{items[0]}] * {len(items)}" if same else py(items),
            requests=layout(check, indent=4),
            kit=kit,
        )

    def _item(self, op: Operation, response: Response, reply: str, items_path: tuple[str, ...]) -> str:
        """One item: the canned answer's first item when it has one."""
        found: Any = self.values.response(response)
        for key in items_path:
            found = found.get(key) if isinstance(found, dict) else None
        taken = f"{reply}.json" + "".join(f"[{py(k)}]" for k in items_path) + "[0]"
        fits = len(f"{constant(op.name)}_ITEM = {taken}") <= WIDTH
        if isinstance(found, list) and found and fits:
            return taken
        if isinstance(found, list) and found:
            return py(found[0])
        assert op.pagination is not None
        return py(self.values.json(op.pagination.item_schema))

    def _page(self, response: Response, reply: str, items_path: tuple[str, ...], page: _Page) -> Code:
        extra = f", headers={py(page.headers)}" if page.headers else ""
        ctype = json_type(response.content_type)
        extra += f", content_type={py(ctype)}" if ctype else ""
        status = status_code(response.status)
        if not items_path:
            return Code(f"Reply({status}, json={py(page.items)}{extra})")
        changes = self._parents(response, {items_path: page.items, **page.changes})
        return Code(f"Reply({status}, json=patched({reply}.json, {py(changes)}){extra})")

    def _parents(
        self, response: Response, changes: dict[tuple[str, ...], Any]
    ) -> dict[tuple[str, ...], Any]:
        """`changes`, preceded by a valid object for each parent the canned answer lacks
        (`pagination` for `pagination.next`), so that the patched answer still parses."""
        base = self.values.response(response)
        made: dict[tuple[str, ...], Any] = {}
        for path in changes:
            value, node = base, response.schema
            for depth, key in enumerate(path[:-1]):
                prop = self.query.property(node, key)
                node = prop.schema if prop is not None else None
                value = value.get(key) if isinstance(value, dict) else None
                if value is None and path[: depth + 1] not in made and node is not None:
                    value = made[path[: depth + 1]] = self.values.json(node)
        return {**made, **changes}

    def _plan(
        self, op: Operation, response: Response, call: CallArgs, item: Code
    ) -> tuple[list[_Page], str | None, list[Any]] | None:
        pagination = op.pagination
        assert pagination is not None
        param = next((p for p in op.parameters if p.py_name == pagination.param), None)
        wire = param.wire if param is not None and param.location is ParamLocation.QUERY else None
        first = call.get(param.py_name) if param is not None else None
        first_value = _shown(first.value) if first is not None else None
        style = pagination.style
        if style is PaginationStyle.CURSOR and pagination.last_item:
            return self._has_more(op, response, wire, first_value)
        if style is PaginationStyle.CURSOR:
            next_path = self._wire_path(response.schema, pagination.next or ())
            if not next_path or not pagination.next:
                return None
            end = self._terminal(response.schema, pagination.next)
            tokens = ("page-2", "page-3", end)
            pages = [_Page([item] * n, {next_path: t}) for n, t in zip((2, 1, 1), tokens, strict=True)]
            return pages, wire, [first_value, "page-2", "page-3"]
        if style is PaginationStyle.LINK:
            links = [f"{self.base_url}/oagen-test/pages/{n}" for n in (2, 3)]
            headers = [{"Link": f'<{link}>; rel="next"'} for link in links]
            counts = (2, 1, 1)
            pages = [_Page([item] * n, {}, h) for n, h in zip(counts, [*headers, None], strict=True)]
            return pages, None, links
        counts = (2, 1, 0)
        pages = [_Page([item] * n, {}) for n in counts]
        start = first.value if first else None
        if start is not None and (not isinstance(start, int) or isinstance(start, bool)):
            return None  # a counter that is not an integer: the client cannot advance it
        return pages, wire, _counters(style, start, counts)

    def _has_more(
        self, op: Operation, response: Response, wire: str | None, first_value: Any
    ) -> tuple[list[_Page], str | None, list[Any]] | None:
        pagination = op.pagination
        assert pagination is not None and pagination.last_item is not None
        more_path = self._wire_path(response.schema, pagination.has_more or ())
        id_path = self._wire_path(pagination.item_schema, (pagination.last_item,))
        if not more_path or not id_path:
            return None
        item = f"{constant(op.name)}_ITEM"
        ids = [f"item-{n}" for n in range(1, 5)]
        made = [Code(f"{{**{item}, {py(id_path[0])}: {py(i)}}}") for i in ids]
        chunks = [made[:2], made[2:3], made[3:]]
        flags = (True, True, False)
        pages = [_Page(chunk, {more_path: flag}) for chunk, flag in zip(chunks, flags, strict=True)]
        return pages, wire, [first_value, ids[1], ids[2]]

    def _terminal(self, schema: SchemaNode | None, names: tuple[str, ...]) -> Any:
        """The value that ends cursor pagination: null if allowed, else the key left out or ""."""
        node = schema
        for name in names[:-1]:
            prop = next((p for p in self.query.properties(node) if p.py_name == name), None)
            node = prop.schema if prop is not None else None
        leaf = next((p for p in self.query.properties(node) if p.py_name == names[-1]), None)
        resolved = self.query.resolve(leaf.schema) if leaf is not None else None
        if resolved is None or resolved.nullable or not resolved.types:
            return None
        return _MISSING if leaf is not None and not leaf.required else ""

    # --- long-running operations --------------------------------------------------------------

    def wait(
        self, op: Operation, call_expr: str, replies: dict[str, str], shared: Constants
    ) -> WaitTest | str:
        """The waiting test, or why there is none."""
        lro = op.long_running
        assert lro is not None
        accepted = next((r for r in op.success if r.status == "202"), None)
        status = self._wire_path(lro.poll_schema, (lro.status,))
        final = self._final_status(lro.poll_schema, lro.status, lro.pending)
        if accepted is None or not status or final is None:
            return f"`{lro.wait_name}`: no final status can be told apart from the pending ones"
        poll_url = f"{self.base_url}/oagen-test/operations/{op.name}"
        field = self._wire_path(accepted.schema, lro.field) if lro.field else None
        changes = {field: poll_url} if field else {}
        headers = {lro.header: poll_url} if lro.header else {}
        reply = replies[accepted.status]
        changes = self._parents(accepted, changes)
        body = f"patched({reply}.json, {py(changes)})" if changes else f"{reply}.json"
        extra = f", headers={py(headers)}" if headers else ""
        state = shared.add("SAMPLE_" + constant(lro.poll_schema.name), py(self.values.json(lro.poll_schema)))
        slug = f"{lro.wait_name}_polls_until_{_slug(final)}"
        return WaitTest(
            name=f"test_{slug}",
            async_name=f"test_async_{slug}",
            call_expr=call_expr,
            accepted=f"Reply(202, json={body}{extra})",
            pending=f"Reply(200, json=patched({state}, {py({status: lro.pending[0]})}))",
            done=f"Reply(200, json=patched({state}, {py({status: final})}))",
            poll_url=py(poll_url),
            poll_type=lro.poll_schema.name,
        )

    def _final_status(self, node: SchemaNode, name: str, pending: tuple[str, ...]) -> Any:
        prop = next((p for p in self.query.properties(node) if p.py_name == name), None)
        resolved = self.query.resolve(prop.schema) if prop is not None else None
        members = resolved.enum if resolved is not None and resolved.enum else ()
        return next((m for m in members if m is not None and m not in pending), None)


def _shown(value: Any) -> str | None:
    return None if value is None else text(jsonish(value))


def _slug(value: Any) -> str:
    text_ = "".join(c if c.isalnum() else "_" for c in str(value).lower()).strip("_")
    return text_ or "done"


def _counters(style: PaginationStyle, first: Any, counts: tuple[int, ...]) -> list[str | None]:
    """The offset/page parameter of each request, as the runtime documents its advance."""
    values = [_shown(first)]
    current = first
    for count in counts[:-1]:
        if style is PaginationStyle.OFFSET:
            current = (current or 0) + count
        else:
            current = (1 if current is None else current) + 1
        values.append(_shown(current))
    return values
