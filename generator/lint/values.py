"""Rules about values in the spec: examples and defaults must satisfy their own schema.

Checked with the validator the generated clients run (`runtime_bridge`), so that "valid" means
the same at lint time, generation time and run time. Defaults are already checked by the build
(`build/checks.py`); these rules report what it found. Examples are checked here: schema
`example`/`examples`, parameter and media-type `example` and the `value`s of `examples` maps.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from typing import Any

from ..diagnostics import Origin, Severity
from ..ir import BodyEncoding, ResponseKind, Schema, SchemaNode
from ..render.constraints import ConstraintPrinter
from ..runtime_bridge import runtime_module
from .context import LintContext
from .rule import Finding, Rule


class _Validator:
    def __init__(self, ctx: LintContext) -> None:
        self.printer = ConstraintPrinter(ctx.named)
        self.validation = runtime_module("validation")
        self.errors = runtime_module("errors")

    @cached_property
    def registry(self) -> dict[str, Any]:
        return self.printer.schemas()

    def problem(self, value: Any, node: SchemaNode) -> str | None:
        try:
            self.validation.validate(value, self.printer.schema(node), "example", self.registry)
        except self.errors.ValidationError as exc:
            return str(exc)
        except RecursionError:
            return None
        return None


def _schema_examples(ctx: LintContext, schema: Schema) -> Iterator[tuple[Any, Origin]]:
    node = ctx.node(schema.origin)
    listed = isinstance(node, dict) and isinstance(node.get("examples"), list)
    for index, value in enumerate(schema.examples):
        yield value, (
            schema.origin.child("examples", index) if listed else schema.origin.child("example")
        )


def _map_examples(ctx: LintContext, at: Origin) -> Iterator[tuple[Any, Origin]]:
    """The inline `value`s of an `examples` map (named Example objects) at `at`."""
    examples = ctx.node(at.child("examples"))
    for name, example in examples.items() if isinstance(examples, dict) else []:
        if isinstance(example, dict) and "value" in example:
            yield example["value"], at.child("examples", str(name), "value")


def _media_examples(
    ctx: LintContext, at: Origin, has: bool, value: Any
) -> Iterator[tuple[Any, Origin]]:
    if has:
        yield value, at.child("example")
    yield from _map_examples(ctx, at)


def _operation_examples(ctx: LintContext) -> Iterator[tuple[Any, Origin, SchemaNode]]:
    for op in ctx.api.operations:
        for p in op.parameters:
            for value, origin in _media_examples(ctx, p.origin, p.has_example, p.example):
                yield value, origin, p.schema
        body = op.body
        if body is not None and body.schema is not None and body.encoding is BodyEncoding.JSON:
            media = body.origin.child("content", body.content_type)
            for value, origin in _media_examples(ctx, media, body.has_example, body.example):
                yield value, origin, body.schema
        for r in op.responses:
            if r.kind is ResponseKind.JSON and r.schema is not None and r.content_type is not None:
                media = r.origin.child("content", r.content_type)
                for value, origin in _media_examples(ctx, media, r.has_example, r.example):
                    yield value, origin, r.schema


def check_examples(ctx: LintContext) -> Iterator[Finding]:
    validator = _Validator(ctx)
    sites: list[tuple[Any, Origin, SchemaNode]] = [
        (value, origin, schema)
        for schema in ctx.schemas
        for value, origin in _schema_examples(ctx, schema)
    ]
    sites += _operation_examples(ctx)
    seen: set[Origin] = set()
    for value, origin, node in sites:
        if origin in seen:
            continue
        seen.add(origin)
        problem = validator.problem(value, node)
        if problem is not None:
            yield Finding(
                message=f"the example does not satisfy its schema: {problem}", origin=origin
            )


def _defaults(ctx: LintContext, severity: Severity) -> Iterator[Finding]:
    for d in ctx.build:
        if d.code == "invalid-default" and d.severity is severity:
            yield Finding(message=d.message, origin=d.origin)


def check_default_invalid(ctx: LintContext) -> Iterator[Finding]:
    return _defaults(ctx, Severity.ERROR)


def check_default_type(ctx: LintContext) -> Iterator[Finding]:
    return _defaults(ctx, Severity.WARNING)


RULES = (
    Rule(
        id="example-invalid",
        severity=Severity.WARNING,
        summary="an example that does not validate against its schema",
        explanation=(
            "Examples end up in documentation, in mock servers and in the README and tests oagen "
            "generates, so an example that breaks its own schema (a wrong type, a missing "
            "required property, an id that does not match the pattern, an invalid date-time) "
            "teaches callers the wrong thing and makes generated tests fail. Checked with the "
            "generated clients' own validator: schema `example`/`examples`, parameter and "
            "media-type `example`, and the `value` of each entry of an `examples` map."
        ),
        check=check_examples,
    ),
    Rule(
        id="default-invalid",
        severity=Severity.ERROR,
        summary="a default that breaks a value rule of its schema (enum, pattern, format, range)",
        explanation=(
            "A `default` is what the server assumes when the value is omitted, and oagen shows "
            "it in signatures and docstrings. A default that breaks a value rule of its own "
            "schema (an invalid UUID, a value outside the enum or range, a pattern mismatch) is "
            "a contradiction in the spec: one of the two is wrong. oagen's build reports it as "
            "an error (`oagen generate` refuses the spec)."
        ),
        check=check_default_invalid,
    ),
    Rule(
        id="default-type-mismatch",
        severity=Severity.WARNING,
        summary='a default of the wrong JSON type (`"true"` for a boolean), or `""` for a formatted string',
        explanation=(
            'A default whose only fault is its JSON type (`"10"` for an integer, `"false"` for '
            "a boolean) is common and readable, and an empty string is the usual way to say "
            '"no value" for a formatted string, so oagen generates the client anyway; but typed '
            "clients in every language see a default that their own type rejects. Write the "
            "default in the schema's type."
        ),
        check=check_default_type,
    ),
)
