"""A large API's models made by datamodel-code-generator in chunks, in parallel, then merged.

datamodel-code-generator is single-threaded and its time and memory grow with the document
(GitHub's 3,400 schemas: 22 s and 520 MB in one run). From `CHUNK_MIN_SCHEMAS` schemas on, the
schemas are cut into chunks that worker processes run side by side; how they are cut depends on
the schemas alone (never on the machine), so the output is the same with any number of workers,
or with none (`run_in_process`).

- **Chunks**: the schemas' references (`$ref`, and a discriminator's targets back to their union,
  since the union decides their tag's type) form a graph; its strongly connected components, in
  dependency order, are cut into consecutive chunks of about `CHUNK_SCHEMAS` schemas. A chunk's
  document holds its own schemas and everything they reach, so that each class is written as the
  whole document would write it; of the output, a chunk keeps the classes of its own schemas and
  the classes datamodel-code-generator made up for them (`Assignee` from an `allOf` whose members
  define `assignee` twice).
- **Merge**: chunks in order, each in datamodel-code-generator's order. A made-up class that an
  earlier chunk made identically is used from there; otherwise it gets the first name no schema,
  import or earlier class has (its name without the digits, then with 1, 2, …), and the chunk's
  statements are renamed to match (Python tokens only: never inside strings).
- **Read once**: a chunk answers its statements as the worker read them (what each defines and
  uses, a model class's fields) and laid them out (`models._laid_out`); the merge keeps them, so
  the merged module is never parsed (`joined`): only a statement it renames is read again.
"""

from __future__ import annotations

import ast
import io
import math
import re
import tokenize
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .modelcopies import StandIns, stand_in
from .modelsplit import Parsed, Piece, parsed, read_piece

CHUNK_MIN_SCHEMAS = 1000
"""From this many schemas the models are made in chunks (smaller APIs: one run, one process)."""
CHUNK_SCHEMAS = 200
"""About this many schemas per chunk. Measured on GitHub's 3,429 (18 chunks, 2 workers): each
worker peaks at ~105 MB where one run takes 520 MB (the whole generation: 485 MB instead of
771); 8 chunks of 450 made the models about as fast, at 140 MB a worker."""
MAX_HELD = 1.5
"""Chunked only if the chunks hold at most this many times the schemas between them (GitHub's
18 chunks: 1.23; Stripe's would hold 2.1, its schemas reaching far: it runs whole, which its
memory allows, 360 MB)."""
_REF = "#/components/schemas/"


@dataclass(frozen=True, slots=True)
class Task:
    """One run of datamodel-code-generator: `document` holds `owned` and what they reach."""

    document: dict[str, Any]
    owned: frozenset[str]


@dataclass(frozen=True, slots=True)
class Chunk:
    """What a task answers: the names each import brings (`name` → `from module import name`),
    the statements kept and the classes made up for them (named to be unique in the chunk only:
    `Label` for an inline `label` object, even though the spec has a `Label` schema)."""

    imports: dict[str, str]
    pieces: tuple[Piece, ...]
    made_up: frozenset[str]


def tasks(document: Mapping[str, Any], stand_ins: StandIns | None = None) -> list[Task]:
    """The chunks of a models document (`components/schemas` only), in dependency order; none
    when the chunks would hold more than `MAX_HELD` times the schemas between them (then one
    run is faster: each chunk is run with everything it reaches). With `stand_ins`
    (`modelcopies`), a chunk holds the original of each copy it owns, and a stand-in for each
    opaque schema or end it holds but does not own (an end's references are not followed)."""
    stand = stand_ins or StandIns()
    schemas: Mapping[str, Any] = document["components"]["schemas"]
    names = list(schemas)
    reach = _graph(schemas)
    count = math.ceil(len(names) / CHUNK_SCHEMAS)
    size = math.ceil(len(names) / count)
    groups: list[list[str]] = [[]]
    for component in _components(names, reach):
        if len(groups[-1]) >= size:
            groups.append([])
        groups[-1].extend(component)
    result = []
    for owned in groups:
        originals = {stand.copies[name] for name in owned if name in stand.copies}
        outside = (stand.opaque | stand.ends).difference(owned, originals)
        held = _closure([*owned, *originals], reach, outside)
        chunk = {
            name: stand_in(schemas[name]) if name in outside else schemas[name]
            for name in names
            if name in held
        }
        result.append(Task({**document, "components": {"schemas": chunk}}, frozenset(owned)))
    held_in_all = sum(len(task.document["components"]["schemas"]) for task in result)
    return result if held_in_all <= MAX_HELD * len(names) else []


def _graph(schemas: Mapping[str, Any]) -> dict[str, list[str]]:
    """Schema → the schemas it refers to, in document order, each once."""
    edges: dict[str, set[str]] = {name: set() for name in schemas}
    for name, schema in schemas.items():
        for target, back in _refs(schema):
            if target in edges:
                edges[name].add(target)
                if back:
                    edges[target].add(name)
    order = {name: i for i, name in enumerate(schemas)}
    return {name: sorted(targets, key=order.__getitem__) for name, targets in edges.items()}


def _refs(node: Any, member: bool = False) -> Iterator[tuple[str, bool]]:
    """(schema name, whether a discriminator's union refers to it) for every reference."""
    if isinstance(node, list):
        for item in node:
            if isinstance(item, dict | list):
                yield from _refs(item, member)
    elif isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(_REF):
            yield ref[len(_REF) :], member
        tagged = isinstance(node.get("discriminator"), dict)
        for key, value in node.items():
            if key == "discriminator" and tagged:
                mapping = value.get("mapping") or {}
                yield from ((v[len(_REF) :], True) for v in mapping.values() if v.startswith(_REF))
            elif isinstance(value, dict | list):
                yield from _refs(value, tagged and key in ("oneOf", "anyOf"))


def _components(names: Sequence[str], reach: Mapping[str, list[str]]) -> list[list[str]]:
    """Strongly connected components (Tarjan's, without recursion), each after those it
    reaches; visited in document order, so the result depends on the document alone."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in names:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(reach[root]))]
        while work:
            node, targets = work[-1]
            for target in targets:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(reach[target])))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    found.append(_pop_component(stack, on_stack, node))
    return found


def _pop_component(stack: list[str], on_stack: set[str], root: str) -> list[str]:
    component: list[str] = []
    while not component or component[-1] != root:
        component.append(stack.pop())
        on_stack.discard(component[-1])
    return component[::-1]


def _closure(
    names: Iterable[str], reach: Mapping[str, list[str]], ends: Collection[str] = ()
) -> set[str]:
    """`names` and what they reach, not through `ends` (held, as stand-ins, but not followed)."""
    held = set(names)
    todo = list(held)
    while todo:
        name = todo.pop()
        if name in ends:
            continue
        for target in reach[name]:
            if target not in held:
                held.add(target)
                todo.append(target)
    return held


def kept(source: str, task: Task, tree: ast.Module | None = None) -> Chunk:
    """The statements of a chunk's output that belong to it (run where the chunk ran).
    `tree`: `source` parsed, if at hand."""
    found = parsed(source, tree)
    statements = found.pieces
    defined = {name: i for i, piece in enumerate(statements) for name in piece.defines}
    held = task.document["components"]["schemas"].keys()
    keep = {i for i, piece in enumerate(statements) if task.owned.intersection(piece.defines)}
    todo = list(keep)
    while todo:  # the made-up classes the kept statements use
        for name in statements[todo.pop()].uses:
            i = defined.get(name)
            if i is not None and i not in keep and name not in held:
                keep.add(i)
                todo.append(i)
    for i, piece in enumerate(statements):  # `X.model_rebuild()` goes with X
        users = [defined[n] for n in sorted(piece.uses) if n in defined]
        if not piece.defines and users and all(u in keep for u in users):
            keep.add(i)
    pieces = tuple(statements[i] for i in sorted(keep))
    made_up = {name for piece in pieces for name in piece.defines if name not in held}
    return Chunk(found.imports, pieces, frozenset(made_up))


def joined(chunks: Sequence[Chunk], names: frozenset[str]) -> Parsed:
    """The chunks' imports and statements as one module (see the module's doc): a statement
    that names a made-up class renamed in the merge is read again from its new text."""
    imports = {name: line for chunk in chunks for name, line in chunk.imports.items()}
    taken = set(names) | imports.keys()
    made: dict[str, str] = {}
    """A made-up class's text with its own name blanked → its name in the merged module."""
    body: list[Piece] = []
    for chunk in chunks:
        renames, dropped = _made_up_names(chunk, taken, made)
        for piece in chunk.pieces:
            if piece.defines and piece.defines[0] in dropped:
                continue  # an earlier chunk made it identically
            names_in = piece.uses.union(piece.defines)
            body.append(_renamed(piece, renames) if names_in & renames.keys() else piece)
    return Parsed(imports, body)


def _renamed(statement: Piece, renames: Mapping[str, str]) -> Piece:
    text = renamed(statement.text, renames)
    if text == statement.text:
        return statement
    (node,) = ast.parse(text).body
    return read_piece(node, text.split("\n"))


def merged(header: str, chunks: Sequence[Chunk], names: frozenset[str]) -> str:
    """One models module from the chunks' statements, in chunk order (see the module's doc)."""
    return module_text(header, joined(chunks, names))


def module_text(header: str, models: Parsed) -> str:
    """The source of the module `models` (`joined`) describes."""
    by_module: dict[str, list[str]] = {}
    for line in sorted(set(models.imports.values())):
        module, name = line.split(" ", 1)
        by_module.setdefault(module, []).append(name)
    future = by_module.pop("__future__", None)
    plain = [f"import {name}" for name in by_module.pop("", [])]
    block = "\n".join(
        [*plain, *(f"from {m} import {', '.join(n)}" for m, n in sorted(by_module.items()))]
    )
    head = (
        f"{header.rstrip(chr(10))}\n\nfrom __future__ import {', '.join(future or ['annotations'])}"
    )
    return f"{head}\n\n{block}\n\n\n" + "\n\n\n".join(p.text for p in models.pieces) + "\n"


def _made_up_names(
    chunk: Chunk, taken: set[str], made: dict[str, str]
) -> tuple[dict[str, str], set[str]]:
    """(a chunk's made-up class → its name in the merged module, the ones an earlier chunk
    made identically, whose definitions here are dropped)."""
    renames: dict[str, str] = {}
    dropped: set[str] = set()
    pieces = [p for p in chunk.pieces if p.defines and p.defines[0] in chunk.made_up]
    for piece in _dependencies_first(pieces, chunk.made_up):
        own = piece.defines[0]
        key = renamed(piece.text, {**renames, own: "\0"})
        if key in made:
            renames[own] = made[key]
            dropped.add(own)
            continue
        name = _free(own, taken)
        taken.add(name)
        made[key] = renames[own] = name
    return renames, dropped


def _dependencies_first(pieces: list[Piece], local: frozenset[str]) -> list[Piece]:
    """`pieces` with each after the made-up classes it uses (cycles in their own order)."""
    by_name = {p.defines[0]: p for p in pieces}
    done: set[str] = set()
    order: list[Piece] = []

    def visit(name: str, path: frozenset[str]) -> None:
        if name in done or name in path:
            return
        piece = by_name[name]
        for used in sorted(piece.uses & local):
            visit(used, path | {name})
        done.add(name)
        order.append(piece)

    for piece in pieces:
        visit(piece.defines[0], frozenset())
    return order


def _free(name: str, taken: set[str]) -> str:
    if name not in taken:
        return name
    return numbered(re.sub(r"\d+$", "", name) or name, taken)


def numbered(base: str, taken: Collection[str]) -> str:
    """`base1`, or the first of `base2`, `base3`, … not in `taken`."""
    return next(f"{base}{n}" for n in range(1, len(taken) + 2) if f"{base}{n}" not in taken)


def renamed(text: str, renames: Mapping[str, str]) -> str:
    """`text` with every name token in `renames` replaced (strings and comments untouched)."""
    changes = {k: v for k, v in renames.items() if v != k}
    if not changes:
        return text
    lines = text.split("\n")
    edits: list[tuple[int, int, int, str]] = []
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type == tokenize.NAME and token.string in changes:
            (row, col), (_, end) = token.start, token.end
            edits.append((row, col, end, changes[token.string]))
    for row, col, end, new in reversed(edits):
        lines[row - 1] = lines[row - 1][:col] + new + lines[row - 1][end:]
    return "\n".join(lines)
