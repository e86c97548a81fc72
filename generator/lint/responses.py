"""Rules about responses: success bodies without a schema, and an inconsistent error model."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Severity
from ..ir import Operation, Response, ResponseKind
from .context import LintContext
from .rule import Finding, Rule


def _untyped_body(op: Operation, response: Response) -> str | None:
    """How `response` returns a body without a schema, or None."""
    if response.schema is not None:
        return None
    if response.kind is ResponseKind.JSON:
        return f"declares a JSON body ({response.status}) without a schema: the method returns untyped JSON"
    if (
        response.kind is ResponseKind.NONE
        and op.method == "GET"
        and response.status in ("200", "2XX")
    ):
        return f"answers {response.status} with no content declared: the method returns None"
    return None


def check_response_schema_missing(ctx: LintContext) -> Iterator[Finding]:
    for op in ctx.api.operations:
        if any(r.schema is not None for r in op.success):
            continue
        found = next(((r, why) for r in op.success if (why := _untyped_body(op, r))), None)
        if found is not None:
            response, why = found
            yield Finding(message=f"`{op.method} {op.path}` {why}", origin=response.origin)


def _declares_errors(op: Operation) -> bool:
    return any(r.schema is not None for r in op.errors)


def check_error_model(ctx: LintContext) -> Iterator[Finding]:
    operations = ctx.api.operations
    declaring = [op for op in operations if _declares_errors(op)]
    if not declaring or 2 * len(declaring) < len(operations):
        return
    example = declaring[0].operation_id
    for op in operations:
        if not _declares_errors(op):
            yield Finding(
                message=f"`{op.method} {op.path}` declares no error body while {len(declaring)} of "
                f"{len(operations)} operations do (e.g. {example!r}): its errors carry untyped "
                "JSON in `.body`",
                origin=op.origin.child("responses"),
            )


RULES = (
    Rule(
        id="response-schema-missing",
        severity=Severity.WARNING,
        summary="an operation whose success response returns a body but no 2xx response has a schema",
        explanation=(
            "A method returns the parsed 2xx body as a model. When a JSON success response has "
            "no `schema` the method can only return untyped JSON (`Any`), and a GET that answers "
            "200 with no `content` at all is generated as returning `None` although a body is "
            "surely sent. Declare the body's schema (or answer 204 when there is none). Text and "
            "binary bodies need no schema (they return `str` and `bytes`)."
        ),
        check=check_response_schema_missing,
    ),
    Rule(
        id="error-model-inconsistent",
        severity=Severity.WARNING,
        summary="an operation without any error body schema while most operations declare one",
        explanation=(
            "Errors are raised as `ApiError` subclasses whose `.body` is the declared error "
            "model when the spec has one. When at least half of the operations declare an error "
            "body (a 4XX, 5XX or `default` response with a schema) and an operation declares "
            "none, callers get a model from most methods and untyped JSON from this one, which "
            "is almost always an omission. Reference the shared error responses here too."
        ),
        check=check_error_model,
    ),
)
