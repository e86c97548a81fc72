"""Rules about the runtime features oagen detects: long-running operations and pagination.

Both are detected by `build/lro.py` and `build/pagination.py`; these rules look at the
operations where detection found nothing although the spec suggests there is something, and say
why, so that the spec can be fixed or the feature declared (`x-oagen-lro`, `x-oagen-pagination`).
"""

from __future__ import annotations

from collections.abc import Iterator

from .. import naming
from ..build.pagination import CURSOR_PARAMS, NEXT_FIELDS
from ..diagnostics import Severity
from ..ir import Operation, ParamLocation, Response, ResponseKind, SchemaNode, SchemaRef
from .context import LintContext
from .rule import Finding, Rule

_LINK_FIELDS = frozenset({"next_link", "next_url", "next_page_url", "next_href", "odata_next_link"})


# --- lro-unfollowable -------------------------------------------------------------------------


def _location_fields(ctx: LintContext, response: Response) -> list[str]:
    if response.kind is not ResponseKind.JSON:
        return []
    return [
        p.wire for p in ctx.query.properties(response.schema) if p.wire.lower().endswith("location")
    ]


def _has_poll_resource(ctx: LintContext) -> bool:
    """A GET returning a named model with a `status` enum, under an operation-ish path or name."""
    for op in ctx.api.operations:
        for response in op.success:
            if op.method != "GET" or not isinstance(response.schema, SchemaRef):
                continue
            mentions = "operation" in op.path.lower() or "operation" in response.schema.name.lower()
            status = ctx.query.property(response.schema, "status")
            resolved = ctx.query.resolve(status.schema) if status is not None else None
            if mentions and resolved is not None and resolved.enum:
                return True
    return False


def _accepted(op: Operation) -> Response | None:
    """The 202 answer of an operation for which no `_and_wait` companion was generated."""
    accepted = next((r for r in op.success if r.status == "202"), None)
    return accepted if op.long_running is None else None


def _has_reference(ctx: LintContext, accepted: Response) -> bool:
    return any(h.wire.lower() == "location" for h in accepted.headers) or bool(
        _location_fields(ctx, accepted)
    )


def _operation_reference(ctx: LintContext, accepted: Response) -> str | None:
    """The reference to an operation (not to the changed resource itself), described."""
    fields = _location_fields(ctx, accepted)
    named = next((f for f in fields if "operation" in f.lower() or f.lower() == "location"), None)
    if named is not None:
        return f"the body field `{named}`"
    header = any(h.wire.lower() == "location" for h in accepted.headers)
    return "a `Location` header" if header and not fields else None


def check_lro_no_reference(ctx: LintContext) -> Iterator[Finding]:
    for op in ctx.api.operations:
        accepted = _accepted(op)
        if accepted is not None and not _has_reference(ctx, accepted):
            yield Finding(
                message=f"`{op.method} {op.path}` answers 202 with no `Location` header or "
                "`…Location` body field: callers cannot tell where to follow the accepted work",
                origin=accepted.origin,
            )


def check_lro_unfollowable(ctx: LintContext) -> Iterator[Finding]:
    for op in ctx.api.operations:
        accepted = _accepted(op)
        reference = _operation_reference(ctx, accepted) if accepted is not None else None
        if accepted is None or reference is None:
            continue
        reason = (
            "oagen cannot match it to an operation resource with in-progress `status` values"
            if _has_poll_resource(ctx)
            else "no GET operation returns an operation resource to poll (a model with a `status` enum)"
        )
        yield Finding(
            message=f"`{op.method} {op.path}` answers 202 with {reference} to follow, but "
            f"{reason}: no `{op.name}_and_wait` is generated (declare `x-oagen-lro`)",
            origin=accepted.origin,
        )


# --- pagination-unmatched ---------------------------------------------------------------------


def _next_token(ctx: LintContext, schema: SchemaNode | None) -> str | None:
    """The wire path of a field that looks like a next-page token, top level or one down."""
    wanted = set(NEXT_FIELDS) | _LINK_FIELDS
    for prop in ctx.query.properties(schema):
        if naming.snake(prop.wire) in wanted:
            return prop.wire
    for prop in ctx.query.properties(schema):
        for inner in ctx.query.properties(prop.schema):
            if naming.snake(inner.wire) in wanted:
                return f"{prop.wire}.{inner.wire}"
    return None


def _lists(ctx: LintContext, schema: SchemaNode | None) -> bool:
    return ctx.query.is_array(schema) or any(
        ctx.query.is_array(p.schema) for p in ctx.query.properties(schema)
    )


def _pagination_reason(ctx: LintContext, op: Operation, schema: SchemaNode | None) -> str | None:
    token = _next_token(ctx, schema)
    params = [
        p.wire
        for p in op.parameters
        if p.location is ParamLocation.QUERY and naming.snake(p.wire) in CURSOR_PARAMS
    ]
    if token is not None and not params:
        return f"response field `{token}` looks like a next-page token, but no query parameter takes it"
    if params and token is None:
        return f"query parameter `{params[0]}` looks like a page token, but no response field carries the next one"
    if params and token is not None:
        return f"response field `{token}` and query parameter `{params[0]}` look like a page token, but the items or the token type could not be matched"
    return None


def check_pagination(ctx: LintContext) -> Iterator[Finding]:
    for op in ctx.api.operations:
        success = next(
            (r for r in op.success if r.kind is ResponseKind.JSON and r.schema is not None), None
        )
        if (
            op.pagination is not None
            or op.method != "GET"
            or success is None
            or not _lists(ctx, success.schema)
        ):
            continue
        reason = _pagination_reason(ctx, op, success.schema)
        if reason is not None:
            yield Finding(
                message=f"`{op.method} {op.path}` looks paginated: {reason}; it is generated "
                "without paging (declare `x-oagen-pagination` if it pages)",
                origin=op.origin,
            )


RULES = (
    Rule(
        id="lro-no-reference",
        severity=Severity.INFO,
        summary="a 202 response with no `Location` header or `…Location` field to follow",
        explanation=(
            "A 202 Accepted answer says the work goes on after the response. oagen gives such an "
            "operation a companion `<method>_and_wait()` only when the answer carries a reference "
            "to follow: a `Location` header or an `operationLocation`-style body field. Without "
            "one the method returns the 202 answer and callers cannot tell, from the spec, how to "
            "learn the outcome. Often deliberate (fire and forget, or the body is the resource "
            "itself), hence `info`; document the reference if there is one."
        ),
        check=check_lro_no_reference,
    ),
    Rule(
        id="lro-unfollowable",
        severity=Severity.WARNING,
        summary="a 202 response whose operation reference cannot be followed (no operation resource to poll)",
        explanation=(
            "An operation answering 202 Accepted with an operation reference (a `Location` header "
            "or an `operationLocation`-style body field) gets a companion `<method>_and_wait()` "
            "when the spec has an operation resource to poll: a GET whose model has a `status` "
            "enum with in-progress values (PENDING, RUNNING, …), under a path or model name that "
            'mentions "operation". When there is none, or its status values cannot be told '
            "apart, callers get the 202 answer and must poll by hand. Document the operation "
            "resource, or declare `x-oagen-lro: {poll, status, pending}` on the operation. A "
            "reference that names the changed resource itself (`resourceLocation`) is not "
            "reported."
        ),
        check=check_lro_unfollowable,
    ),
    Rule(
        id="pagination-unmatched",
        severity=Severity.WARNING,
        summary="a list operation that looks paginated but whose next-page token cannot be matched to a request parameter",
        explanation=(
            "A list operation is generated as a page object (`.items`, `.next_page()`, iteration "
            "over all pages) when its response carries a next-page token (`next`, `nextPageToken`, "
            "`pagination.next`, `next_cursor`, …) and a query parameter takes it (`pageToken`, "
            "`cursor`, `after`, …). When only one side is found, or the names do not match, the "
            "method returns a single page and callers page by hand. Rename to the usual names, or "
            "declare `x-oagen-pagination: {param, next, items}` on the operation."
        ),
        check=check_pagination,
    ),
)
