"""Expression source → the layout black gives it, so that black has little left to do.

The test modules hold large literals (canned answers, expected requests, argument tables);
black formats about 1,500 lines a second on a small machine, and far slower when it has to find
where to split long lines itself. `layout` splits them the way black's stable style does for
these shapes — calls, dicts, lists and tuples of atoms: a bracket whose contents do not fit is
opened; a call's arguments go on one indented line if they fit there, else (and always for the
items of a dict, list or tuple display) one item per line with a trailing comma — a sole item
gets none. Black still formats every file afterwards; where this guess differs, black wins.
"""

from __future__ import annotations

import ast

WIDTH = 100
_STEP = 4


def layout(source: str, *, indent: int = 0, prefix: int = 0, suffix: int = 0) -> str:
    """`source` (one flat expression) laid out to start after `prefix` characters at `indent`
    and be followed by `suffix` characters on its last line."""
    if indent + prefix + len(source) + suffix <= WIDTH:
        return source
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError:
        return source
    return _Layout(source).node(tree.body, indent, prefix, suffix)


class _Layout:
    def __init__(self, source: str) -> None:
        self.source = source.encode("utf-8", "surrogatepass")  # ast offsets count UTF-8 bytes
        offsets = [0]
        for line in self.source.splitlines(keepends=True):
            offsets.append(offsets[-1] + len(line))
        self._offsets = offsets

    def text(self, node: ast.AST) -> str:
        start = self._offsets[node.lineno - 1] + node.col_offset  # type: ignore[attr-defined]
        end = self._offsets[node.end_lineno - 1] + node.end_col_offset  # type: ignore[attr-defined]
        return self.source[start:end].decode("utf-8", "surrogatepass")

    def node(self, node: ast.expr, indent: int, prefix: int, suffix: int) -> str:
        flat = self.text(node)
        if indent + prefix + len(flat) + suffix <= WIDTH:
            return flat
        split = self._parts(node)
        if split is None:
            return flat
        opening, items, closing = split
        if not items:
            return flat
        inner = indent + _STEP
        pad, end = " " * inner, "\n" + " " * indent + closing
        one_tuple = isinstance(node, ast.Tuple) and len(items) == 1
        if isinstance(node, ast.Call) and len(items) > 1:
            joined = ", ".join(self._item_text(item) for item in items)
            if inner + len(joined) <= WIDTH:
                return f"{opening}\n{pad}{joined}{end}"
        if len(items) == 1 and not one_tuple:
            return f"{opening}\n{pad}{self._item(items[0], inner, 0)}{end}"
        lines = [f"{pad}{self._item(item, inner, 1)}," for item in items]
        return opening + "\n" + "\n".join(lines) + end

    def _parts(self, node: ast.expr) -> tuple[str, list[ast.AST], str] | None:
        if isinstance(node, ast.Call) and not any(isinstance(a, ast.Starred) for a in node.args):
            return self.text(node.func) + "(", [*node.args, *node.keywords], ")"
        if isinstance(node, ast.Dict):
            return "{", [_Entry(k, v) for k, v in zip(node.keys, node.values, strict=True)], "}"
        if isinstance(node, ast.List):
            return "[", list(node.elts), "]"
        if isinstance(node, ast.Tuple) and self.text(node).startswith("("):
            return "(", list(node.elts), ")"
        return None

    def _item_text(self, item: ast.AST) -> str:
        if isinstance(item, _Entry):
            value = self.text(item.value)
            return f"**{value}" if item.key is None else f"{self.text(item.key)}: {value}"
        if isinstance(item, ast.keyword):
            return f"**{self.text(item.value)}" if item.arg is None else f"{item.arg}={self.text(item.value)}"
        assert isinstance(item, ast.expr)
        return self.text(item)

    def _item(self, item: ast.AST, indent: int, suffix: int) -> str:
        if isinstance(item, _Entry):
            head = "**" if item.key is None else self.text(item.key) + ": "
            return head + self._bracketed(item.value, indent, len(head), suffix)
        if isinstance(item, ast.keyword):
            head = "**" if item.arg is None else item.arg + "="
            return head + self._bracketed(item.value, indent, len(head), suffix)
        assert isinstance(item, ast.expr)
        return self._bracketed(item, indent, 0, suffix)

    def _bracketed(self, node: ast.expr, indent: int, prefix: int, suffix: int) -> str:
        """An item inside brackets: a sum too long for its line is split before each `+`, the
        operands at the item's indent (black's delimiter split; outside brackets black would
        add parentheses instead)."""
        operands: list[ast.expr] = []
        left = node
        while isinstance(left, ast.BinOp) and isinstance(left.op, ast.Add):
            operands.append(left.right)
            left = left.left
        if not operands or indent + prefix + len(self.text(node)) + suffix <= WIDTH:
            return self.node(node, indent, prefix, suffix)
        pad = "\n" + " " * indent + "+ "
        return self.text(left) + "".join(pad + self.text(o) for o in reversed(operands))


class _Entry(ast.AST):
    """One `key: value` (or `**value`) of a dict display."""

    def __init__(self, key: ast.expr | None, value: ast.expr) -> None:
        super().__init__()
        self.key = key
        self.value = value


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
    pad = " " * (indent + _STEP)
    if indent + _STEP + len(flat) - len("assert ") <= WIDTH:
        return f"assert (\n{pad}{left} == {right}\n{' ' * indent})"
    right = layout(right, indent=indent + _STEP, prefix=3)
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
        return source[: len(source) - len(source.lstrip())] + _Layout(source).text(node.func) + "("
    return None


def returning(call: str, *, returns_none: bool, awaited: bool = False) -> str:
    """The body of a `call_<op>` helper: `return <call>`, or the call then `return None` for a
    method typed to return `None` (mypy rejects returning its value)."""
    keyword = "await " if awaited else ""
    if returns_none:
        return f"{keyword}{layout(call, indent=_STEP, prefix=len(keyword))}\n    return None"
    head = f"return {keyword}"
    return head + layout(call, indent=_STEP, prefix=len(head))


def define(name: str, params: str, *, is_async: bool = False) -> str:
    """`def name(params) -> None:`, its parameters on their own line(s) when too long."""
    keyword = "async def" if is_async else "def"
    flat = f"{keyword} {name}({params}) -> None:"
    if len(flat) <= WIDTH:
        return flat
    names = [p.strip() for p in params.split(", ")]
    if len(names) > 1 and _STEP + len(params) <= WIDTH:
        return f"{keyword} {name}(\n    {params}\n) -> None:"
    return f"{keyword} {name}(\n" + "".join(f"    {p},\n" for p in names) + ") -> None:"


def assignment(target: str, value: str) -> str:
    """`target = value`, laid out; an unsplittable long value goes in parentheses."""
    laid = layout(value, prefix=len(target) + 3)
    if "\n" in laid or len(target) + 3 + len(laid) <= WIDTH:
        return f"{target} = {laid}"
    return f"{target} = (\n    {value}\n)"
