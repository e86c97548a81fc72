"""(text, JSON pointer) → (line, column), 1-based.

Positions are needed only to print problems, so they are computed on demand by re-reading the
source: JSON with a scanner that descends along the pointer and skips everything else (the
members of each container it passes through cached), YAML from the parser's events, for all
the pointers at once (`yaml_positions`; `yaml_position` composes the node tree, cached per
text). A pointer that does not exist in the source (e.g. one
made by normalising Swagger 2.0) gets the position of its deepest existing ancestor.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache
from json.decoder import scanstring  # type: ignore[attr-defined]

import yaml

from ..diagnostics import split_pointer

_WS = " \t\r\n"
_DECODER = json.JSONDecoder()


def position_of(text: str, fmt: str, pointer: str) -> tuple[int, int]:
    if fmt == "json":
        return json_position(text, pointer)
    return yaml_position(text, pointer)


def positions_of(text: str, fmt: str, pointers: Collection[str]) -> dict[str, tuple[int, int]]:
    """`position_of` for several pointers into one text (YAML: in one pass)."""
    if fmt == "json":
        return {pointer: json_position(text, pointer) for pointer in pointers}
    return yaml_positions(text, pointers)


def line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _skip_ws(text: str, index: int) -> int:
    while index < len(text) and text[index] in _WS:
        index += 1
    return index


def json_position(
    text: str, pointer: str, key: str | None = None, *, last: bool = False
) -> tuple[int, int]:
    """Position of the value at `pointer`; with `key`, of that key inside the object there."""
    index = _skip_ws(text, 0)
    try:
        for token in split_pointer(pointer):
            found = _json_child(text, index, token, last=False)
            if found is None:
                break
            index = found[1]
        if key is not None:
            found = _json_child(text, index, key, last=last)
            if found is not None:
                index = found[0]
    except (ValueError, IndexError):
        pass
    return line_col(text, index)


def _json_child(text: str, index: int, token: str, *, last: bool) -> tuple[int, int] | None:
    """(key start, value start) of member `token` of the container at `index`."""
    if text[index] == "{":
        found = [(k, v) for key, k, v in _object_members(text, index) if key == token]
        return (found[-1] if last else found[0]) if found else None
    if text[index] == "[" and token.isdigit():
        items = _array_items(text, index)
        return (items[int(token)], items[int(token)]) if int(token) < len(items) else None
    return None


@lru_cache(maxsize=4096)
def _object_members(text: str, index: int) -> tuple[tuple[str, int, int], ...]:
    """(key, key start, value start) of each member of the object at `index`. Cached: a run
    that locates hundreds of problems walks the same large objects (`paths`) again and again,
    and skipping a member means decoding it."""
    members: list[tuple[str, int, int]] = []
    index = _skip_ws(text, index + 1)
    while text[index] != "}":
        key_start = index
        key, index = scanstring(text, index + 1)
        index = _skip_ws(text, _skip_ws(text, index) + 1)
        members.append((key, key_start, index))
        index = _skip_ws(text, _DECODER.raw_decode(text, index)[1])
        if text[index] == ",":
            index = _skip_ws(text, index + 1)
    return tuple(members)


@lru_cache(maxsize=4096)
def _array_items(text: str, index: int) -> tuple[int, ...]:
    """Start of each item of the array at `index` (cached like `_object_members`)."""
    items: list[int] = []
    index = _skip_ws(text, index + 1)
    while text[index] != "]":
        items.append(index)
        index = _skip_ws(text, _DECODER.raw_decode(text, index)[1])
        if text[index] == ",":
            index = _skip_ws(text, index + 1)
    return tuple(items)


@lru_cache(maxsize=4)
def _yaml_tree(text: str) -> yaml.Node | None:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.compose(text, Loader=loader)
    except yaml.YAMLError:
        return None


def yaml_position(text: str, pointer: str) -> tuple[int, int]:
    node = _yaml_tree(text)
    if node is None:
        return (1, 1)
    for token in split_pointer(pointer):
        child = _yaml_child(node, token)
        if child is None:
            break
        node = child
    return node.start_mark.line + 1, node.start_mark.column + 1


@dataclass(slots=True)
class _Open:
    """A collection the event pass is in: its path if a wanted pointer goes through it."""

    path: tuple[str, ...] | None
    mapping: bool
    key: str | None = None
    expecting_key: bool = True
    index: int = 0


def yaml_positions(text: str, pointers: Collection[str]) -> dict[str, tuple[int, int]]:
    """`yaml_position` of each pointer, from one pass over the parser's events: no node tree,
    and nothing kept of the subtrees no pointer goes through (Twilio's api v2010: 0.1 s for its
    80 warnings, where composing the tree took 0.4 s). A pointer whose deepest existing node is
    an alias (its position is the anchor's) goes to `yaml_position`."""
    wanted = {pointer: tuple(split_pointer(pointer)) for pointer in pointers}
    through = {tokens[:depth] for tokens in wanted.values() for depth in range(len(tokens) + 1)}
    found: dict[tuple[str, ...], tuple[int, int]] = {}
    aliases: set[tuple[str, ...]] = set()
    stack: list[_Open] = []
    try:
        for event in yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
            if isinstance(event, yaml.CollectionEndEvent):
                stack.pop()
                continue
            if not isinstance(event, yaml.NodeEvent):
                continue
            path = _node_path(stack, event)
            if path is not None and (path not in through or path in found):
                path = None  # no pointer goes here, or a duplicate key: the first one counts
            mark = event.start_mark
            if path is not None and mark is not None:
                found[path] = (mark.line + 1, mark.column + 1)
                if isinstance(event, yaml.AliasEvent):
                    aliases.add(path)
            if isinstance(event, yaml.CollectionStartEvent):
                stack.append(_Open(path, isinstance(event, yaml.MappingStartEvent)))
    except yaml.YAMLError:
        return {pointer: yaml_position(text, pointer) for pointer in wanted}
    result = {}
    for pointer, tokens in wanted.items():
        prefixes = (tokens[:depth] for depth in range(len(tokens), -1, -1))
        deepest = next((prefix for prefix in prefixes if prefix in found), None)
        if deepest is None or deepest in aliases:
            result[pointer] = yaml_position(text, pointer)
        else:
            result[pointer] = found[deepest]
    return result


def _node_path(stack: list[_Open], event: yaml.NodeEvent) -> tuple[str, ...] | None:
    """The path of the node `event` starts, None where no path is kept (or for a key)."""
    if not stack:
        return ()
    parent = stack[-1]
    if parent.mapping and parent.expecting_key:
        parent.expecting_key = False
        parent.key = event.value if isinstance(event, yaml.ScalarEvent) else None
        return None
    if parent.mapping:
        parent.expecting_key, token = True, parent.key
    else:
        token, parent.index = str(parent.index), parent.index + 1
    return None if parent.path is None or token is None else (*parent.path, token)


def _yaml_child(node: yaml.Node, token: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and str(key_node.value) == token:
                return value_node  # type: ignore[no-any-return]
    elif isinstance(node, yaml.SequenceNode) and token.isdigit() and int(token) < len(node.value):
        return node.value[int(token)]  # type: ignore[no-any-return]
    return None
