"""Detect long-running operations, or read them from `x-oagen-lro`.

An operation is long-running when it answers 202 with an operation reference — a `Location`
response header or a body field whose name ends in `Location` (`operationLocation`) — and the
API has an operation resource to poll: a GET whose success body is a named object with a
`status` enum. Among several such GETs, one whose path or schema name mentions "operation" is
preferred. In-progress values are the status enum members that read as such (PROCESSING,
PENDING, RUNNING, IN_PROGRESS, QUEUED, …).

`x-oagen-lro: {poll: operationId, status: field, pending: [values], header: name, field: name}`.
"""

from __future__ import annotations

from collections.abc import Sequence

from .. import naming
from ..ir import LongRunning, Operation, Response, ResponseKind, SchemaRef
from .context import At, BuildContext
from .schemaquery import SchemaQuery

PENDING_WORDS = frozenset(
    "processing pending running in_progress inprogress queued accepted started not_started "
    "waiting scheduled initializing provisioning updating deleting creating submitted".split()
)


def detect(
    ctx: BuildContext, query: SchemaQuery, op: Operation, op_at: At, operations: Sequence[Operation]
) -> LongRunning | None:
    accepted = next((r for r in op.success if r.status == "202"), None)
    if accepted is None:
        return None
    explicit = op_at.get("x-oagen-lro")
    header = next((h.wire for h in accepted.headers if h.wire.lower() == "location"), None)
    field = _location_field(query, accepted)
    if explicit is None and (field is None and (header is None or _names_a_resource(query, accepted))):
        return None
    poll = _poll_target(query, operations, explicit)
    if poll is None:
        return None
    poll_op, poll_ref, status_prop, values = poll
    status_wire = explicit.value.get("status") if explicit is not None and isinstance(explicit.value, dict) else None
    pending = _explicit_pending(explicit) or tuple(v for v in values if naming.snake(v) in PENDING_WORDS)
    if not pending:
        ctx.warning("lro-no-pending", f"cannot tell which {status_wire or 'status'} values are in progress", op_at)
        return None
    return LongRunning(
        poll_operation=poll_op.operation_id,
        poll_schema=poll_ref,
        status=status_prop,
        pending=pending,
        header=header,
        field=field,
        source="x-oagen-lro" if explicit is not None else "detected",
    )


def _location_fields(query: SchemaQuery, response: Response) -> list[tuple[str, str]]:
    if response.kind is not ResponseKind.JSON:
        return []
    return [
        (prop.wire.lower(), prop.py_name)
        for prop in query.properties(response.schema)
        if prop.wire.lower().endswith("location") and "string" in query.types(prop.schema)
    ]


def _location_field(query: SchemaQuery, response: Response) -> tuple[str, ...] | None:
    """A body field naming the operation (`operationLocation`, or a bare `location`)."""
    for wire, py_name in _location_fields(query, response):
        if "operation" in wire or wire == "location":
            return (py_name,)
    return None


def _names_a_resource(query: SchemaQuery, response: Response) -> bool:
    """The body points at a resource, not an operation (`resourceLocation`): no LRO."""
    return any("operation" not in wire for wire, _ in _location_fields(query, response))


def _poll_target(
    query: SchemaQuery, operations: Sequence[Operation], explicit: At | None
) -> tuple[Operation, SchemaRef, str, tuple[str, ...]] | None:
    wanted = explicit.value.get("poll") if explicit is not None and isinstance(explicit.value, dict) else None
    status_wire = explicit.value.get("status", "status") if explicit is not None and isinstance(explicit.value, dict) else "status"
    candidates: list[tuple[int, int, Operation, SchemaRef, str, tuple[str, ...]]] = []
    for op in operations:
        if op.method != "GET" or (wanted is not None and op.operation_id != wanted):
            continue
        response = next((r for r in op.success if isinstance(r.schema, SchemaRef)), None)
        if response is None or not isinstance(response.schema, SchemaRef):
            continue
        prop = query.property(response.schema, str(status_wire))
        status = query.resolve(prop.schema) if prop is not None else None
        if prop is None or status is None or not status.enum:
            continue
        score = ("operation" in op.path.lower()) + ("operation" in response.schema.name.lower())
        if wanted is None and not score:
            continue
        values = tuple(str(v) for v in status.enum if isinstance(v, str))
        candidates.append((-score, len(candidates), op, response.schema, prop.py_name, values))
    if not candidates:
        return None
    _, _, op, ref, status_name, values = min(candidates, key=lambda c: (c[0], c[1]))
    return op, ref, status_name, values


def _explicit_pending(explicit: At | None) -> tuple[str, ...]:
    if explicit is None or not isinstance(explicit.value, dict):
        return ()
    pending = explicit.value.get("pending")
    return tuple(str(v) for v in pending) if isinstance(pending, list) else ()
