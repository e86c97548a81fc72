"""The generated README's content: auth, one example call per operation, runtime features."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from ..ir import Api, Operation, ParamLocation
from .examples import ExampleMaker
from .literals import escape_invisible, literal
from .types import TypePrinter
from .views import STATUS_ERRORS, GroupView


def text(value: str | None) -> str:
    """Spec text for Markdown prose: one line, HTML escaped, invisible characters visible,
    backslashes and `|` escaped (the text may sit in a table cell)."""
    line = " ".join((value or "").split()).replace("\\", "\\\\").replace("|", "\\|")
    line = html.escape(line, quote=False)
    return escape_invisible(line)


def code(value: str | None) -> str:
    """Spec text for inside a Markdown code span: one line, no backticks, invisibles visible."""
    return escape_invisible(" ".join((value or "").split()).replace("`", "'"))


def readme_context(
    api: Api, package: str, groups: Sequence[GroupView], types: TypePrinter
) -> dict[str, Any]:
    examples = ExampleMaker(types.named)
    ops = [(g.name, op) for g in api.groups for op in g.operations]
    first_list = next(((g, op) for g, op in ops if op.pagination is not None), None)
    first_wait = next(((g, op) for g, op in ops if op.long_running is not None), None)
    return {
        "title": text(api.title),
        "description": text(api.description),
        "distribution": package.replace("_", "-"),
        "credentials": [
            {
                "scheme": text(s.name),
                "kind": s.kind.value,
                "args": [(c.arg, c.env) for c in s.credentials],
            }
            for s in api.schemes
        ],
        "credential_example": _credential_example(api),
        "base_url": code(api.base_url),
        "operations": [
            {
                "group": group,
                "name": op.name,
                "method": op.method,
                "path": code(op.path),
                "summary": text(op.summary or op.description),
                "call": f"client.{group}.{op.name}({_call_args(op, examples)})",
                "deprecated": op.deprecated,
                "paginated": op.pagination is not None,
                "waits": op.long_running.wait_name if op.long_running else None,
            }
            for group, op in ops
        ],
        "errors": sorted(set(STATUS_ERRORS.items())),
        "list_example": f"client.{first_list[0]}.{first_list[1].name}({_call_args(first_list[1], examples, optional=False)})"
        if first_list
        else None,
        "wait_example": _wait_example(first_wait, examples),
        "raw_example": _raw_example(ops, examples),
        "approximations": [
            f"{text(a.message)} (`#{code(a.origin.pointer)}`)" for a in api.approximations
        ],
        "webhooks": [code(w) for w in api.webhooks],
    }


def _wait_example(found: tuple[str, Operation] | None, examples: ExampleMaker) -> str | None:
    if found is None:
        return None
    group, op = found
    if op.long_running is None:
        return None
    args = ", ".join(a for a in (_call_args(op, examples), "poll_interval=1.0, timeout=120.0") if a)
    return f"client.{group}.{op.long_running.wait_name}({args})"


def _credential_example(api: Api) -> str:
    if not api.security or not api.schemes:
        return ""
    first = next((s for s in api.schemes if s.name in api.security[0]), api.schemes[0])
    return ", ".join(f'{c.arg}="…"' for c in first.credentials)


def _call_args(op: Operation, examples: ExampleMaker, *, optional: bool = False) -> str:
    parts: list[str] = []
    for param in op.parameters:
        if not param.required:
            continue
        value = param.example if param.has_example else examples.value(param.schema)
        if param.location is ParamLocation.PATH:
            parts.append(literal(value))
        else:
            parts.append(f"{param.py_name}={literal(value)}")
    body = op.body
    if body is not None and body.fields is not None:
        for field in body.fields:
            if field.property.required and body.required:
                parts.append(
                    f"{field.property.py_name}={literal(examples.value(field.property.schema))}"
                )
    elif body is not None and body.required:
        value = body.example if body.has_example else examples.value(body.schema)
        parts.append(f"body={literal(value)}")
    return _fence_safe(", ".join(parts))


def _fence_safe(source: str) -> str:
    """Python source for a Markdown code block: a backtick can only be inside a string
    literal there, so spelling it `\\x60` keeps the value and the block's fence intact."""
    return source.replace("`", "\\x60")


def _raw_example(ops: list[tuple[str, Operation]], examples: ExampleMaker) -> str | None:
    for group, op in ops:
        headers = [h for r in op.success for h in r.headers]
        if headers:
            return (
                f"raw = client.{group}.with_raw_response.{op.name}({_call_args(op, examples)})\n"
                f"print(raw.status_code, raw.headers[{_fence_safe(literal(headers[0].wire))}], raw.{headers[0].py_name})\n"
                "print(raw.data)"
            )
    if ops:
        group, op = ops[0]
        return (
            f"raw = client.{group}.with_raw_response.{op.name}({_call_args(op, examples)})\n"
            "print(raw.status_code, raw.headers)\nprint(raw.data)"
        )
    return None
