"""Statements of the generated test modules, laid out the way black lays them out.

The test modules hold large literals (canned answers, expected requests, argument tables); the
expressions are laid out by `pylayout.layout`, and these helpers write the statements around
them (`assert a == b`, `return …`, `def test_…(…) -> None:`, `x = …`) as black would, so that the
format stage can skip black on them (see format.py).
"""

from __future__ import annotations

import ast

from .pylayout import STEP, WIDTH, Layout, Param, layout, statement
from .pylayout import define as define_lines

__all__ = ["assert_equal", "assignment", "define", "line", "returning"]


def assert_equal(left: str, right: str, *, indent: int = 4) -> str:
    """`assert left == right`, wrapped in parentheses as black does when it is too long."""
    flat = f"assert {left} == {right}"
    if indent + len(flat) <= WIDTH:
        return flat
    head = f"assert {left} == "
    opening = _opening(right)
    if opening is not None and indent + len(head) + len(opening) <= WIDTH:
        # black splits at the right side's own bracket when the line up to it fits
        return head + layout(right, indent=indent, prefix=len(head))
    pad = " " * (indent + STEP)
    if indent + STEP + len(flat) - len("assert ") <= WIDTH:
        return f"assert (\n{pad}{left} == {right}\n{' ' * indent})"
    right = layout(right, indent=indent + STEP, prefix=3)
    return f"assert (\n{pad}{left}\n{pad}== {right}\n{' ' * indent})"


def _opening(source: str) -> str | None:
    """The text up to the bracket that closes `source` last (`[`, `{`, `f(`), or None when it
    does not end with a bracket pair black can split."""
    try:
        node = ast.parse(source, mode="eval").body
    except SyntaxError:
        return None
    if isinstance(node, ast.List | ast.Dict | ast.Set) and source[-1] in "]}":
        return source[0]
    if isinstance(node, ast.Call) and source.endswith(")") and (node.args or node.keywords):
        return source[: len(source) - len(source.lstrip())] + Layout(source).text(node.func) + "("
    return None


def returning(call: str, *, returns_none: bool, awaited: bool = False) -> str:
    """The body of a `call_<op>` helper: `return <call>`, or the call then `return None` for a
    method typed to return `None` (mypy rejects returning its value)."""
    keyword = "await " if awaited else ""
    if returns_none:
        return f"{keyword}{layout(call, indent=STEP, prefix=len(keyword))}\n    return None"
    return line(f"return {keyword}", call)


def define(name: str, params: str, *, is_async: bool = False, returns: str = "None") -> str:
    """`def name(params) -> None:`, its parameters on their own line(s) when too long."""
    keyword = "async def" if is_async else "def"
    names: list[Param] = [(p.strip(), None, None) for p in params.split(", ")]
    return define_lines(0, f"{keyword} {name}", names, f" -> {returns}:")


def line(head: str, expression: str) -> str:
    """A statement of a test function's body (`head` + `expression`: `data = call(…)`,
    `mock.reply(…)`), laid out; the template indents its first line."""
    return statement(STEP, head, expression)[STEP:]


def assignment(target: str, value: str) -> str:
    """`target = value`, laid out; an unsplittable long value goes in parentheses."""
    laid = layout(value, prefix=len(target) + 3)
    if "\n" in laid or len(target) + 3 + len(laid) <= WIDTH:
        return f"{target} = {laid}"
    return f"{target} = (\n    {value}\n)"
