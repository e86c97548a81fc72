"""Statements of the package modules in black's layout, so that black has nothing to do on them.

Black is the slowest stage of the pipeline (see format.py); the format stage skips it on files
our templates write, so every statement whose length depends on the spec (signatures, calls,
imports) is laid out here, the way black's stable style lays out these shapes. `layout` does
flat expressions — calls, dicts, lists and tuples: a bracket whose contents do not fit is opened;
a call's arguments go on one indented line if they fit there, else (and always for the items of
a dict, list or tuple display) one item per line with a trailing comma — a sole item gets none.
tests/unit/test_black_layout.py holds whole packages to black's output.
"""

from __future__ import annotations

import ast
import re

WIDTH = 100
STEP = 4




def layout(source: str, *, indent: int = 0, prefix: int = 0, suffix: int = 0) -> str:
    """`source` (one flat expression) laid out to start after `prefix` characters at `indent`
    and be followed by `suffix` characters on its last line."""
    if indent + prefix + len(source) + suffix <= WIDTH:
        return source
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError:
        return source
    return Layout(source).node(tree.body, indent, prefix, suffix)


class Layout:
    """Lays out one parsed expression (see `layout`)."""

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
        inner = indent + STEP
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
    if len(params) > 1 and len(inner) + len(joined) <= WIDTH:
        return f"{pad}{head}(\n{inner}{joined}\n{pad}{_subscript(indent, ')' + tail)}"
    lines = "".join(f"{_long_param(len(inner), p, t)},\n" for p, t in zip(params, texts, strict=True))
    return f"{pad}{head}(\n{lines}{pad}{_subscript(indent, ')' + tail, explode=True)}"


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
    members = split_top_level(hint, "|")
    if default is not None and len(members) > 1:
        lines = [_member(indent + STEP, m, "" if i == 0 else "| ") for i, m in enumerate(members)]
        if None not in lines:
            return f"{pad}{name}: (\n" + "\n".join(filter(None, lines)) + f"\n{pad}) = {default}"
    opening = hint.find("[")
    if default is None and hint.endswith("]") and opening > 0 and hint.count("[") == 1:
        contents = hint[opening + 1 : -1]
        if indent + STEP + len(contents) <= WIDTH:
            return f"{pad}{name}: {hint[: opening + 1]}\n{inner}{contents}\n{pad}]"
    return pad + text


def _member(indent: int, member: str, lead: str) -> str | None:
    """A member of a union split a member a line (`| int`), at `indent`; one too long that is
    a subscript has its items a line each (`Literal[` … `]`). None for other long ones."""
    pad = " " * indent
    if indent + len(lead) + len(member) <= WIDTH:
        return pad + lead + member
    opening = member.find("[")
    if opening <= 0 or not member.endswith("]") or not member[:opening].isidentifier():
        return None
    items = split_top_level(member[opening + 1 : -1], ",")
    inner = pad + " " * STEP
    if len(items) < 2 or any(len(inner) + len(item) + 1 > WIDTH for item in items):
        return None
    body = "".join(f"{inner}{item},\n" for item in items)
    return f"{pad}{lead}{member[: opening + 1]}\n{body}{pad}]"


def class_header(name: str, base: str) -> str:
    """`class name(base):` at module level; the base on its own line when too long (black adds
    no trailing comma to a class's single base)."""
    flat = f"class {name}({base}):"
    return flat if len(flat) <= WIDTH else f"class {name}(\n{' ' * STEP}{base}\n):"


def _subscript(indent: int, line: str, *, explode: bool = False) -> str:
    """`) -> Name[args]:` too long: the subscript's contents on their own line (as black does);
    with `explode` (below parameters one a line), one item a line when they do not fit."""
    opening = line.find("[")
    if indent + len(line) <= WIDTH or opening < 0 or not line.endswith("]:"):
        return line
    inner = " " * (indent + STEP)
    contents = line[opening + 1 : -2]
    items = split_top_level(contents, ",")
    if explode and indent + STEP + len(contents) > WIDTH and len(items) > 1:
        contents = f",\n{inner}".join(items) + ","  # one a line, with a trailing comma
    return f"{line[: opening + 1]}\n{inner}{contents}\n{' ' * indent}]:"


def split_top_level(text: str, separator: str) -> list[str]:
    """`text` split at each `separator` outside brackets and strings, stripped
    (`A, dict[str, B]` at `,` → `A`, `dict[str, B]`)."""
    items, depth, start, quote = [], 0, 0, ""
    for index, char in enumerate(text):
        if quote:
            if char == quote and text[index - 1] != "\\":
                quote = ""
        elif char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == separator and depth == 0:
            items.append(text[start:index].strip())
            start = index + 1
    items.append(text[start:].strip())
    return items


def import_from(indent: int, module: str, names: list[str]) -> str:
    """`from module import a, b` at `indent`; one name per line when too long (black)."""
    pad = " " * indent
    flat = f"{pad}from {module} import {', '.join(names)}"
    if len(flat) <= WIDTH:
        return flat
    inner = pad + " " * STEP
    return f"{pad}from {module} import (\n" + "".join(f"{inner}{n},\n" for n in names) + f"{pad})"


def statement(indent: int, head: str, expression: str) -> str:
    """`head` + `expression` (one flat expression: a call, dict, …) at `indent`, laid out.

    After `return`, `assert` or `x =` black may put the expression (with an `await` before it)
    in parentheses of its own: when splitting at the expression's last bracket leaves a line too
    long, and the expression laid out inside the parentheses fits."""
    pad = " " * indent
    own = pad + head + layout(expression, indent=indent, prefix=len(head))
    lead = head.removesuffix("await ")
    chain = _CHAIN.fullmatch(expression) is not None
    if not _OPTIONAL_PARENS.fullmatch(lead) or _fits(own) or not (chain or _is_call(expression)):
        return own  # other shapes: black lays them out (see format.looks_formatted)
    awaited = head[len(lead) :]
    inner = awaited + layout(expression, indent=indent + STEP, prefix=len(awaited))
    wrapped = f"{pad}{lead}(\n{pad}    {inner}\n{pad})"
    if _fits(wrapped) or chain:
        return wrapped  # an attribute chain is wrapped even when it is too long for that
    return own


_CHAIN = re.compile(r"\w+(?:\(\))?(?:\.\w+(?:\(\))?)*\.\w+")
"""`a.b().c`: black has no other way to split it."""


def _is_call(expression: str) -> bool:
    """`expression` is a call of a (dotted) name: `f(…)`, `self._call(…)`."""
    try:
        node = ast.parse(expression, mode="eval").body
    except SyntaxError:
        return False
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    while isinstance(func, ast.Attribute):
        func = func.value
    return isinstance(func, ast.Name)


_OPTIONAL_PARENS = re.compile(r"(?:return|assert|[\w.]+ =) ")
"""Heads after which black has invisible parentheses around the rest of the statement."""


def _fits(text: str) -> bool:
    return all(len(line) <= WIDTH for line in text.split("\n"))
