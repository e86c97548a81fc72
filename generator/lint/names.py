"""Rules about names: operationIds, and names that collide once oagen makes them Python.

Collisions are found by comparing the name oagen would prefer (`naming.py` applied to the spec's
name) with the one it ended up with in the IR: a difference means `naming.Scope.claim` had to add a
suffix, so two spec names met in one Python namespace.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .. import naming
from ..build.operations import RESERVED_ARGS
from ..diagnostics import Origin, Severity
from ..ir import Operation, Schema
from .context import LintContext
from .rule import Finding, Rule

_NAME_KEYS = ("x-oagen-name", "x-fern-sdk-method-name")
_SIGNS = re.compile(r"\+|(?<![A-Za-z0-9])-")


def _raw_operation_id(ctx: LintContext, op: Operation) -> str | None:
    node = ctx.node(op.origin)
    value = node.get("operationId") if isinstance(node, dict) else None
    return value if isinstance(value, str) and value else None


def _label(op: Operation) -> str:
    return f"`{op.method} {op.path}`"


# --- operationId ------------------------------------------------------------------------------


def check_operation_id_missing(ctx: LintContext) -> Iterator[Finding]:
    for op in ctx.api.operations:
        if _raw_operation_id(ctx, op) is None:
            yield Finding(
                message=f"{_label(op)} has no operationId: oagen names the method "
                f"`{op.group}.{op.name}`, other tools will invent their own names",
                origin=op.origin,
            )


def check_operation_id_duplicate(ctx: LintContext) -> Iterator[Finding]:
    first: dict[str, Operation] = {}
    for op in ctx.api.operations:
        raw = _raw_operation_id(ctx, op)
        if raw is None:
            continue
        if raw in first:
            yield Finding(
                message=f"operationId {raw!r} of {_label(op)} is also used by {_label(first[raw])}",
                origin=op.origin.child("operationId"),
            )
        first.setdefault(raw, op)


# --- operations -------------------------------------------------------------------------------


def _preferred_method(ctx: LintContext, op: Operation) -> str:
    node = ctx.node(op.origin)
    node = node if isinstance(node, dict) else {}
    explicit = next((node[k] for k in _NAME_KEYS if isinstance(node.get(k), str) and node[k]), None)
    raw = explicit or _raw_operation_id(ctx, op) or f"{op.method.lower()} {op.path}"
    return naming.identifier(raw if explicit else raw.rsplit("/", 1)[-1])


def check_operation_collision(ctx: LintContext) -> Iterator[Finding]:
    for group in ctx.api.groups:
        preferred = {op.operation_id: _preferred_method(ctx, op) for op in group.operations}
        for op in group.operations:
            wanted = preferred[op.operation_id]
            if op.name != wanted and not _renamed_duplicate(ctx, op):
                holder = next((o for o in group.operations if o.name == wanted), None)
                by = _label(holder) if holder is not None else "the client"
                yield _method_finding(op, wanted, op.name, group.name, by)
            if op.long_running is not None and op.long_running.wait_name != f"{op.name}_and_wait":
                yield _method_finding(
                    op,
                    f"{op.name}_and_wait",
                    op.long_running.wait_name,
                    group.name,
                    "another method",
                )


def _renamed_duplicate(ctx: LintContext, op: Operation) -> bool:
    """The build renamed a duplicate operationId (reported by operation-id-duplicate)."""
    raw = _raw_operation_id(ctx, op)
    return raw is not None and raw != op.operation_id


def _method_finding(op: Operation, wanted: str, got: str, group: str, by: str) -> Finding:
    return Finding(
        message=f"{_label(op)} would be `{group}.{wanted}`, which is taken by {by}: "
        f"it becomes `{group}.{got}` (set x-oagen-name to choose)",
        origin=op.origin,
    )


# --- schemas ----------------------------------------------------------------------------------


def check_schema_collision(ctx: LintContext) -> Iterator[Finding]:
    components = ctx.node(ctx.api.origin.child("components", "schemas"))
    if not isinstance(components, dict):
        return
    by_pointer = {s.origin.pointer: s.name for s in ctx.api.schemas if not s.hoisted}
    keys = sorted(str(k) for k in components)
    for key in keys:
        origin = ctx.api.origin.child("components", "schemas", key)
        wanted, got = naming.class_name(key), by_pointer.get(origin.pointer)
        if got is not None and got != wanted:
            others = [k for k in keys if k != key and naming.class_name(k) == wanted]
            by = f"schema {others[0]!r}" if others else "another class"
            yield Finding(
                message=f"schema {key!r} would be class `{wanted}`, which is taken by {by}: "
                f"it becomes `{got}`",
                origin=origin,
            )


# --- properties and arguments -----------------------------------------------------------------


def check_property_collision(ctx: LintContext) -> Iterator[Finding]:
    for schema in ctx.schemas:
        for prop in schema.properties:
            wanted = naming.field_name(prop.wire)
            if prop.py_name != wanted:
                other = next((p.wire for p in schema.properties if p.py_name == wanted), None)
                by = f"property {other!r}" if other is not None else "another field"
                yield Finding(
                    message=f"property {prop.wire!r} would be field `{wanted}`, which is taken "
                    f"by {by}: it becomes `{prop.py_name}`",
                    origin=prop.origin,
                )


def _arguments(ctx: LintContext, op: Operation) -> Iterator[tuple[str, str, str, Origin]]:
    """(description, preferred name, final name, origin) of every method argument."""
    for p in op.parameters:
        yield f"{p.location.value} parameter {p.wire!r}", naming.identifier(
            p.wire
        ), p.py_name, p.origin
    fields = op.body.fields if op.body is not None and op.body.fields is not None else ()
    for field in fields:
        prop = field.property
        own = ctx.query.property(op.body.schema if op.body else None, prop.wire)
        yield f"body field {prop.wire!r}", (
            own.py_name if own else prop.py_name
        ), prop.py_name, prop.origin


def check_argument_collision(ctx: LintContext) -> Iterator[Finding]:
    for op in ctx.api.operations:
        arguments = list(_arguments(ctx, op))
        for what, wanted, got, origin in arguments:
            if got == wanted:
                continue
            holder = next((w for w, _, g, _ in arguments if g == wanted), None)
            by = holder or ("the client" if wanted in RESERVED_ARGS else "another argument")
            yield Finding(
                message=f"{what} of {_label(op)} would be argument `{wanted}`, which is taken "
                f"by {by}: it becomes `{got}`",
                origin=origin,
            )


# --- enum values ------------------------------------------------------------------------------


def _constant(value: str) -> str | None:
    """The constant an enum-class generator would make of `value` (`in-progress` → `IN_PROGRESS`).

    Signs are words (`+1` → `PLUS_1`, `-name` → `MINUS_NAME`), as generators spell them.
    """
    spelled = _SIGNS.sub(lambda m: " plus " if m.group() == "+" else " minus ", value)
    return naming.snake(spelled, fallback="").upper() or None


def _enum_keys(value: Any) -> list[tuple[str, Any]]:
    """What two colliding values share: the value itself, its case-folded and constant forms."""
    keys: list[tuple[str, Any]] = [("twice", (type(value).__name__, repr(value)))]
    if isinstance(value, str):
        keys.append(("case", value.casefold()))
        constant = _constant(value)
        if constant is not None:
            keys.append(("constant", constant))
    return keys


def _clash_message(kind: str, value: Any, other: Any) -> str:
    if kind == "twice":
        return f"enum value {value!r} is listed twice"
    if kind == "case":
        return f"enum value {value!r} differs only by case from {other!r}"
    return f"enum values {other!r} and {value!r} both become the constant `{_constant(value)}`"


def check_enum_collision(ctx: LintContext) -> Iterator[Finding]:
    seen: set[Origin] = set()
    for schema in ctx.schemas:
        if schema.enum is None or schema.origin in seen:
            continue
        seen.add(schema.origin)
        yield from _enum_findings(schema)


def _enum_findings(schema: Schema) -> Iterator[Finding]:
    first: dict[tuple[str, Any], Any] = {}
    for index, value in enumerate(schema.enum or ()):
        keys = _enum_keys(value)
        clash = next(
            ((kind, first[(kind, key)]) for kind, key in keys if (kind, key) in first), None
        )
        for key in keys:
            first.setdefault(key, value)
        if clash is not None:
            yield Finding(
                message=_clash_message(clash[0], value, clash[1]),
                origin=schema.origin.child("enum", index),
            )


RULES = (
    Rule(
        id="operation-id-missing",
        severity=Severity.WARNING,
        summary="an operation without an `operationId`",
        explanation=(
            "oagen names a method after its `operationId` (or `x-oagen-name`). Without one it "
            "derives a name from the method and path (`GET /users/{id}` → `get_users_id`), which "
            "changes whenever the path does and reads poorly; every other generator derives a "
            "different one, so SDKs, docs and logs disagree on what the operation is called. "
            "Give every operation a stable, unique `operationId`."
        ),
        check=check_operation_id_missing,
    ),
    Rule(
        id="operation-id-duplicate",
        severity=Severity.ERROR,
        summary="two operations with the same `operationId`",
        explanation=(
            "OpenAPI requires `operationId`s to be unique: tools use them as keys (links, "
            "`x-oagen-lro` poll references, SDK method names). oagen keeps the first and renames "
            "the later one to `<id> <method> <path>`, so its method name is not the one the spec "
            "author chose. Make the ids unique."
        ),
        check=check_operation_id_duplicate,
    ),
    Rule(
        id="name-collision-operation",
        severity=Severity.WARNING,
        summary="operations whose Python method names collide in one group (one gets a `_2` suffix)",
        explanation=(
            "Method names are the snake_case of the `operationId` (its last `/` segment) or "
            "`x-oagen-name`, unique within the operation's group (its first tag). `getUser` and "
            "`get_user`, or `users/list` and `admins/list` in one tag, become the same name, and "
            "oagen resolves that by numbering the later one (`get_user_2`), a name nobody chose "
            "and that moves when operations are reordered. The companion `<name>_and_wait` of a "
            "long-running operation is checked too. Rename, or set `x-oagen-name`."
        ),
        check=check_operation_collision,
    ),
    Rule(
        id="name-collision-schema",
        severity=Severity.WARNING,
        summary="component schemas whose Python class names collide (one gets a numeric suffix)",
        explanation=(
            "Each component schema becomes a model class named in PascalCase (`user_profile`, "
            "`UserProfile` and `user-profile` are all `UserProfile`). When two schema names meet, "
            "the later one in sorted order is numbered (`UserProfile2`), which is confusing to "
            "import and changes if schemas are added. Rename one of the schemas."
        ),
        check=check_schema_collision,
    ),
    Rule(
        id="name-collision-property",
        severity=Severity.WARNING,
        summary="properties of one schema whose Python field names collide",
        explanation=(
            "Model fields are the snake_case of the wire names (`fooBar`, `foo_bar` and "
            "`foo-bar` are all `foo_bar`); the wire names are kept as aliases. When two "
            "properties of one object meet, the later one is numbered (`foo_bar_2`). The client "
            "still sends the right wire names, but the Python names are unguessable. Usually "
            "one of the two properties is a deprecated spelling: remove or rename it."
        ),
        check=check_property_collision,
    ),
    Rule(
        id="name-collision-argument",
        severity=Severity.WARNING,
        summary="parameters or body fields of one operation whose Python argument names collide",
        explanation=(
            "A method takes its path, query, header and cookie parameters and the properties of "
            "an object body as keyword arguments, all in one namespace, next to names the client "
            "reserves (`timeout`, `poll_interval`). `X-Page-Size` (header) and `page_size` "
            "(query), or a query parameter and a body field of the same name, collide; the later "
            "one is numbered (`page_size_2`). Rename one of them."
        ),
        check=check_argument_collision,
    ),
    Rule(
        id="enum-value-collision",
        severity=Severity.WARNING,
        summary="enum values listed twice, differing only by case, or equal once named as constants",
        explanation=(
            "oagen keeps enum values as `Literal` strings, so its own clients are unaffected; "
            "but values that differ only by case (`active`, `ACTIVE`) or only by punctuation "
            "(`in-progress`, `in_progress`) become the same constant in generators that emit "
            "enum classes (`IN_PROGRESS`), and case-insensitive servers treat them as one. A "
            "value listed twice is redundant. Keep one spelling per meaning."
        ),
        check=check_enum_collision,
    ),
)
