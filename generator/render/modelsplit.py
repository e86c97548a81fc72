"""datamodel-code-generator's one models module → a `models` package of small modules.

Why: creating a pydantic class costs about a millisecond even with `defer_build`, and GitHub's
spec has 3,400 of them, so one `models.py` made the first call of any operation take seconds.
Split, `from pkg.models import Label` imports only Label's module and the modules it needs.

How the classes are grouped (deterministic, from the source alone):

- each top-level statement is a node; it refers to the names it uses (`ast.Name` loads, and
  names inside string annotations, but not strings inside `Literal[...]`);
- mutually recursive classes (a strongly connected component) share a module;
- a component that only one other component uses goes into that component's module (inline
  schemas end up beside the schema that holds them), unless it holds one of the spec's named
  schemas: those head a module of their own, named after them;
- so only a module's first component is used from outside it, and the imports between the
  modules never form a cycle.

Statements keep the order they had in the one module (datamodel-code-generator's dependency
order). A statement that defines nothing (`X.model_rebuild()`) goes with the last name it uses.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import TypeAlias, TypeGuard

from ..naming import module_name
from .imports import SECTIONS, Natural, all_key, module_key, name_key, section
from .pylayout import import_from

IMPORT_DEPTH = 24
"""The deepest chain of model modules importing each other (see `_bound_depth`)."""


@dataclass(frozen=True, slots=True)
class SplitModels:
    modules: dict[str, str]
    """Module name (`_simple_user`) → source, without black's layout (black formats them)
    unless the module is in `laid_out`."""
    exports: dict[str, str]
    """Every name a module defines → its module, in the order of the one module."""
    laid_out: frozenset[str] = frozenset()
    """The modules written in black's layout already (the format stage leaves them alone)."""

    def sorted_exports(self) -> dict[str, str]:
        """`exports` in `__all__`'s order (isort's, as ruff's RUF022 wants)."""
        return {name: self.exports[name] for name in sorted(self.exports, key=all_key)}

    def imports(self) -> dict[str, list[str]]:
        """Module → the names it exports, modules and names in isort's order."""
        found: dict[str, list[str]] = {}
        for name, module in self.exports.items():
            found.setdefault(module, []).append(name)
        return {m: sorted(found[m], key=name_key) for m in sorted(found, key=module_key)}


@dataclass(frozen=True, slots=True)
class Piece:
    """A top-level statement of the models, with what the split and the checks read of it."""

    defines: tuple[str, ...]
    uses: frozenset[str]
    text: str
    is_class: bool = False
    """A class statement (black puts two blank lines between the imports and a class)."""
    fields: tuple[str, ...] | None = None
    """A model class's fields (Python names); None for any other statement (RootModel, Enum)."""
    layout: str | None = None
    """`text` in black's layout, as the format stage writes it, when known (`Laid`)."""


@dataclass(frozen=True, slots=True)
class Parsed:
    """A models module as the split reads it: the names its imports bring (`name` → `module
    name`, the module with a dot per level: `.x Foo`, `pydantic Field as F`) and its other
    top-level statements, in order."""

    imports: dict[str, str]
    pieces: list[Piece]


Laid: TypeAlias = Callable[[str, str, list[str]], str | None]
"""(a module's head, the blank lines after it, its statements each in black's layout) → the
module in black's layout, or None when the head needs black (`format.laid_out_module`)."""


def parsed(source: str, tree: ast.Module | None = None) -> Parsed:
    """`source` (its tree, if at hand) as the split reads it."""
    tree = tree if tree is not None else ast.parse(source)
    lines = source.split("\n")
    imports: dict[str, str] = {}
    pieces: list[Piece] = []
    for node in tree.body:
        if isinstance(node, ast.ImportFrom | ast.Import) and not pieces:
            imports.update(import_lines(node))
        else:
            pieces.append(read_piece(node, lines))
    return Parsed(imports, pieces)


def import_lines(node: ast.ImportFrom | ast.Import) -> dict[str, str]:
    """Name → `module name` of each name an import brings (module "" for `import x`)."""
    module = "." * node.level + (node.module or "") if isinstance(node, ast.ImportFrom) else ""
    return {alias.asname or alias.name: f"{module} {_as(alias)}" for alias in node.names}


def read_piece(node: ast.stmt, lines: list[str]) -> Piece:
    return Piece(
        tuple(defined_names(node)),
        frozenset(used_names(node)),
        statement_text(lines, node),
        isinstance(node, ast.ClassDef),
        model_fields(node),
    )


def model_fields(node: ast.stmt) -> tuple[str, ...] | None:
    """The fields of a model class (a class that is no RootModel or Enum), else None."""
    if not isinstance(node, ast.ClassDef):
        return None
    if any(re.match(r"RootModel\b|Enum\b", ast.unparse(base)) for base in node.bases):
        return None
    return tuple(
        stmt.target.id
        for stmt in node.body
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)
    )


@dataclass(frozen=True, slots=True)
class _Import:
    module: str
    name: str
    """The imported name as written: `x as y` for `from m import x as y`."""


def split_models(
    source: str, header: str, standalone: Collection[str] = (), tree: ast.Module | None = None
) -> SplitModels:
    """`standalone`: names that always head a module of their own (the spec's named schemas),
    so that a schema's model is found in the module named after it. `tree`: `source` parsed, if
    at hand. The one module's import block is not kept: each module gets the imports it uses."""
    return split_parsed(parsed(source, tree), header, standalone)


def split_parsed(
    models: Parsed, header: str, standalone: Collection[str] = (), laid: Laid | None = None
) -> SplitModels:
    """`split_models` of a module already read. With `laid`, a module whose statements all have
    their `layout` is written in black's layout (listed in `laid_out`)."""
    imports = {name: _import(line) for name, line in models.imports.items()}
    statements = models.pieces
    defined: dict[str, int] = {}
    for index, node in enumerate(statements):
        for name in node.defines:
            defined[name] = index
    reads = [node.uses for node in statements]
    uses = [sorted({defined[n] for n in names if n in defined} - {i}) for i, names in enumerate(reads)]
    heads = {defined[n] for n in standalone if n in defined}
    named_groups = _bound_depth(_groups(statements, uses, heads), uses)
    names = _module_names(statements, named_groups)
    groups = [members for _, members in named_groups]
    group_of = {index: g for g, members in enumerate(groups) for index in members}
    exports = {
        name: names[group_of[index]]
        for index, node in enumerate(statements)
        for name in node.defines
    }
    modules: dict[str, str] = {}
    laid_out: set[str] = set()
    for g, members in enumerate(groups):
        used = set().union(*(reads[i] for i in members))
        siblings: dict[str, set[str]] = {}
        for name in used:
            if name in defined and group_of[defined[name]] != g:
                siblings.setdefault(f".{names[group_of[defined[name]]]}", set()).add(name)
        block = _import_block(
            [imports[n] for n in sorted(used) if n in imports and n not in defined], siblings
        )
        head = f"{header}\nfrom __future__ import annotations\n" + (f"\n{block}\n" if block else "")
        # black: two blank lines after the imports before a class, one before anything else
        gap = "\n\n" if statements[members[0]].is_class else "\n"
        layouts = [statements[i].layout for i in members]
        if laid is not None and _all_known(layouts):
            text = laid(head, gap, layouts)
            if text is not None:
                modules[names[g]] = text
                laid_out.add(names[g])
                continue
        body = "\n\n\n".join(statements[i].text for i in members)
        modules[names[g]] = f"{head}{gap}{body}\n"
    return SplitModels(modules=modules, exports=exports, laid_out=frozenset(laid_out))


def _all_known(layouts: list[str | None]) -> TypeGuard[list[str]]:
    return all(layout is not None for layout in layouts)


def _import(line: str) -> _Import:
    """A line of `Parsed.imports` as seen from a module of the models package (one level down)."""
    module, name = line.split(" ", 1)
    bare = module.lstrip(".")
    level = len(module) - len(bare)
    return _Import("." * (level + 1 if level else 0) + bare, name)


def _as(alias: ast.alias) -> str:
    return f"{alias.name} as {alias.asname}" if alias.asname else alias.name


def defined_names(node: ast.stmt) -> list[str]:
    if isinstance(node, ast.ClassDef):
        return [node.name]
    targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
    return [t.id for t in targets if isinstance(t, ast.Name)]


def used_names(node: ast.AST, annotation: bool = False) -> set[str]:
    """Names `node` reads. In annotations and base classes, a string outside `Literal[...]` is a
    forward reference; elsewhere strings are text (descriptions, aliases). (A loop, not a
    recursion: it reads every node of the models, 60,000 statements' worth on GitHub.)"""
    found: set[str] = set()
    todo: list[tuple[ast.AST, bool]] = [(node, annotation)]
    while todo:
        node, annotation = todo.pop()
        if isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Load):
                found.add(node.id)
        elif isinstance(node, ast.Constant):
            if annotation and isinstance(node.value, str):
                found |= _forward_reference(node.value)
        elif isinstance(node, ast.Subscript) and _is_literal(node.value):
            todo.append((node.value, annotation))
        elif isinstance(node, ast.AnnAssign):
            todo.append((node.annotation, True))
            if node.value is not None:
                todo.append((node.value, False))
        elif isinstance(node, ast.ClassDef):
            todo.extend((base, True) for base in node.bases)
            todo.extend((c, False) for c in [*node.keywords, *node.decorator_list, *node.body])
        else:
            for name in node._fields:
                child = getattr(node, name, None)
                if isinstance(child, ast.AST):
                    todo.append((child, annotation))
                elif isinstance(child, list):
                    todo.extend((item, annotation) for item in child if isinstance(item, ast.AST))
    return found


def _is_literal(node: ast.expr) -> bool:
    return (isinstance(node, ast.Name) and node.id == "Literal") or (
        isinstance(node, ast.Attribute) and node.attr == "Literal"
    )


def _forward_reference(text: str) -> set[str]:
    try:
        expression = ast.parse(text, mode="eval")
    except SyntaxError:
        return set()
    return used_names(expression, annotation=True)


def _groups(
    statements: list[Piece], uses: list[list[int]], heads: set[int]
) -> list[tuple[int, list[int]]]:
    """(the statement that names the module, the statements in it) per module, in the order of
    their first statement. The name comes from the component the others are in for its sake."""
    components = _components(uses)
    component_of = {i: c for c, members in enumerate(components) for i in members}
    users: list[set[int]] = [set() for _ in components]
    for i, used in enumerate(uses):
        for j in used:
            if component_of[j] != component_of[i]:
                users[component_of[j]].add(component_of[i])
    home: dict[int, int] = {}
    for c in range(len(components)):
        owner = c
        while len(users[owner]) == 1 and heads.isdisjoint(components[owner]):
            owner = next(iter(users[owner]))
        home[c] = owner
    # a statement defining nothing (`X.model_rebuild()`) follows the last name it uses
    for i, node in enumerate(statements):
        if not node.defines and uses[i]:
            home[component_of[i]] = home[component_of[max(uses[i])]]
    members: dict[int, list[int]] = {}
    for i in range(len(statements)):
        members.setdefault(home[component_of[i]], []).append(i)
    return [(components[owner][0], members[owner]) for owner in sorted(members, key=lambda o: members[o][0])]


def _components(uses: list[list[int]]) -> list[list[int]]:
    """Strongly connected components (Tarjan's algorithm, iterative: schemas chain deeply)."""
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    stack: list[int] = []
    on_stack: set[int] = set()
    found: list[list[int]] = []
    for root in range(len(uses)):
        if root in index:
            continue
        work: list[tuple[int, int]] = [(root, 0)]
        while work:
            node, edge = work.pop()
            if edge == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            if edge < len(uses[node]):
                work.append((node, edge + 1))
                child = uses[node][edge]
                if child not in index:
                    work.append((child, 0))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            if low[node] == index[node]:
                component: list[int] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                found.append(sorted(component))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return found


def _bound_depth(
    groups: list[tuple[int, list[int]]], uses: list[list[int]]
) -> list[tuple[int, list[int]]]:
    """Merge the modules more than `IMPORT_DEPTH` imports deep into bands of that many levels.

    Each nested import costs the interpreter about ten frames, so a long chain of schemas, each
    using the next, would otherwise exhaust the recursion limit when the first one is imported.
    Imports only go to shallower modules, so the bands cannot import each other in a cycle.
    """
    group_of = {i: g for g, (_, members) in enumerate(groups) for i in members}
    imported = [
        {group_of[j] for i in members for j in uses[i]} - {g} for g, (_, members) in enumerate(groups)
    ]
    depth = [-1] * len(groups)
    for start in range(len(groups)):
        work = [(start, False)]
        while work:
            g, children_done = work.pop()
            if children_done:
                depth[g] = 1 + max((depth[h] for h in imported[g]), default=-1)
            elif depth[g] < 0:
                work.append((g, True))
                work.extend((h, False) for h in imported[g] if depth[h] < 0)
    if max(depth, default=0) < IMPORT_DEPTH:
        return groups
    kept = [group for g, group in enumerate(groups) if depth[g] < IMPORT_DEPTH]
    bands: dict[int, list[int]] = {}
    for g in range(len(groups)):
        if depth[g] >= IMPORT_DEPTH:
            bands.setdefault(depth[g] // IMPORT_DEPTH, []).append(g)
    for band in bands.values():  # named after its deepest module: the one imported first
        top = max(band, key=lambda g: (depth[g], -g))
        kept.append((groups[top][0], sorted(i for g in band for i in groups[g][1])))
    return sorted(kept, key=lambda group: group[1][0])


def _module_names(statements: list[Piece], groups: list[tuple[int, list[int]]]) -> list[str]:
    """`_` + the snake_case name of the module's naming definition; clashes get `_2`, `_3`, …"""
    taken: set[str] = set()
    names: list[str] = []
    for root, members in groups:
        first = next((n for i in [root, *members] for n in statements[i].defines), "models")
        base = "_" + module_name(first)
        name, n = base, 1
        while name in taken:
            n += 1
            name = f"{base}_{n}"
        taken.add(name)
        names.append(name)
    return names


def _import_block(imports: list[_Import], siblings: dict[str, set[str]]) -> str:
    """isort's order: standard library, third party, then local (`..` before `.`)."""
    by_module: dict[str, set[str]] = {}
    for item in imports:
        by_module.setdefault(item.module, set()).add(item.name)
    for module, used in siblings.items():
        by_module.setdefault(module, set()).update(used)
    lines: list[tuple[int, int, int, Natural, str]] = []
    for module, used in by_module.items():
        part = SECTIONS.index(section(module or next(iter(used)).split(" ")[0]))
        if module:
            names = sorted(used, key=name_key)
            lines.append((part, -_dots(module), 1, module_key(module), import_from(0, module, names)))
        else:  # `import x` lines before `from x import …` lines, as isort writes them
            lines.extend((part, 0, 0, module_key(n), f"import {n}") for n in used)
    lines.sort(key=lambda line: line[:4])
    return "\n".join(
        ("\n" if i and line[0] != lines[i - 1][0] else "") + line[4] for i, line in enumerate(lines)
    )


def _dots(module: str) -> int:
    return len(module) - len(module.lstrip("."))


def statement_text(lines: list[str], node: ast.stmt) -> str:
    first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
    end = node.end_lineno if node.end_lineno is not None else node.lineno
    return "\n".join(lines[first - 1 : end])
