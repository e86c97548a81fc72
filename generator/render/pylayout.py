"""Statements of the package modules in black's layout, so that black has nothing to do on them.

Black is the slowest stage of the pipeline (see format.py); the format stage skips it on files
our templates write, so every statement whose length depends on the spec (signatures, calls,
imports) is laid out here, the way black's stable style lays out these shapes. Expressions go
through `testlayout.layout`; tests/unit/test_black_layout.py holds whole packages to black.
"""

from __future__ import annotations

from .descriptors import Expr
from .descriptors import layout as expr_layout
from .testlayout import WIDTH, layout

STEP = 4


Param = tuple[str, str | None, str | None]
"""A parameter: (name, annotation, default); `("self", None, None)`, `("*", None, None)`."""


def param_text(param: Param) -> str:
    name, hint, default = param
    text = name if hint is None else f"{name}: {hint}"
    return text if default is None else f"{text} = {default}"


def define(indent: int, head: str, params: list[Param], tail: str) -> str:
    """`head(params)tail` at `indent` (e.g. `def f`, `-> int:`): one line if it fits, else the
    parameters on one indented line, else one per line with a trailing comma (black's
    left-hand split of a `def`)."""
    pad = " " * indent
    inner = pad + " " * STEP
    texts = [param_text(p) for p in params]
    joined = ", ".join(texts)
    if len(pad) + len(head) + len(joined) + len(tail) + 2 <= WIDTH:
        return f"{pad}{head}({joined}){tail}"
    tail = _subscript(indent, ")" + tail)
    if len(params) > 1 and len(inner) + len(joined) <= WIDTH:
        return f"{pad}{head}(\n{inner}{joined}\n{pad}{tail}"
    lines = "".join(f"{_long_param(len(inner), p, t)},\n" for p, t in zip(params, texts, strict=True))
    return f"{pad}{head}(\n{lines}{pad}{tail}"


def _long_param(indent: int, param: Param, text: str) -> str:
    """One parameter on its own line; an annotation too long for it goes in parentheses (with a
    default) or has its subscript opened (without), as black does. Other shapes stay long
    (black then formats the file)."""
    pad = " " * indent
    name, hint, default = param
    if indent + len(text) + 1 <= WIDTH or hint is None:
        return pad + text
    inner = " " * (indent + STEP)
    if default is not None and indent + STEP + len(hint) <= WIDTH:
        return f"{pad}{name}: (\n{inner}{hint}\n{pad}) = {default}"
    opening = hint.find("[")
    if default is None and hint.endswith("]") and opening > 0 and hint.count("[") == 1:
        contents = hint[opening + 1 : -1]
        if indent + STEP + len(contents) <= WIDTH:
            return f"{pad}{name}: {hint[: opening + 1]}\n{inner}{contents}\n{pad}]"
    return pad + text


def class_header(name: str, base: str) -> str:
    """`class name(base):` at module level; the base on its own line when too long (black adds
    no trailing comma to a class's single base)."""
    flat = f"class {name}({base}):"
    return flat if len(flat) <= WIDTH else f"class {name}(\n{' ' * STEP}{base}\n):"


def _subscript(indent: int, line: str) -> str:
    """`) -> Name[args]:` too long: the subscript's contents on their own line (as black does)."""
    opening = line.find("[")
    if indent + len(line) <= WIDTH or opening < 0 or not line.endswith("]:"):
        return line
    inner = " " * (indent + STEP)
    return f"{line[: opening + 1]}\n{inner}{line[opening + 1 : -2]}\n{' ' * indent}]:"


def annotated(name: str, annotation: str, argument: str, value: str) -> str:
    """`name: annotation[argument] = value` at module level (`value` an `Expr` or flat text),
    as black lays it out: split inside the value when the line up to its bracket fits; else the
    value in parentheses when `= (` fits; else the annotation's subscript opened first."""
    head = f"{name}: {annotation}[{argument}] = "
    opening = value.opening if isinstance(value, Expr) else value
    if len(head) + len(value) <= WIDTH or len(head) + len(opening) <= WIDTH:
        return head + expr_layout(value, len(head))
    if len(head) + 1 <= WIDTH:
        inner = value.layout(STEP, STEP) if isinstance(value, Expr) else value
        return f"{head}(\n{' ' * STEP}{inner}\n)"
    return f"{name}: {annotation}[\n{' ' * STEP}{argument}\n] = " + expr_layout(value, len("] = "))


def import_from(indent: int, module: str, names: list[str]) -> str:
    """`from module import a, b` at `indent`; one name per line when too long (black)."""
    pad = " " * indent
    flat = f"{pad}from {module} import {', '.join(names)}"
    if len(flat) <= WIDTH:
        return flat
    inner = pad + " " * STEP
    return f"{pad}from {module} import (\n" + "".join(f"{inner}{n},\n" for n in names) + f"{pad})"


def statement(indent: int, head: str, expression: str) -> str:
    """`head` + `expression` (one flat expression: a call, dict, …) at `indent`, laid out."""
    return " " * indent + head + layout(expression, indent=indent, prefix=len(head))
