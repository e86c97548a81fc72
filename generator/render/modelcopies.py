"""Stand-ins: schemas handed to datamodel-code-generator as an object of one property, where
the output does not depend on their text.

- **Copies.** Large specs repeat their inline objects: once hoisted, GitHub's 3,429 schemas
  hold the same user object 422 times, and 1,252 schemas are copies of an earlier one (a third
  of all properties). datamodel-code-generator's time grows with the properties it reads, so a
  copy reaches it as a stand-in, which keeps the copy's place in the output and the way
  references to it are written (an object with no properties would become a `dict`); the
  stand-in's class is then replaced by the original's class, renamed.
- **Opaque schemas** in a chunk that holds them only because its own schemas name them
  (`modelchunks`): that chunk keeps none of their classes, and its own classes are written the
  same against a stand-in.
- **Ends**: such schemas that name others, where the chunk then holds neither their text nor
  what they name (GitHub's chunks: 3,941 schemas instead of 4,365; datamodel-code-generator's
  CPU 14% less). The chunk's own classes are the same text, but datamodel-code-generator sorts a
  chunk's classes by how deep their references go, and a stand-in goes nowhere: a class that
  names an end may come earlier in its module than without stand-ins (dependencies first, its
  `model_rebuild()` call then not needed). GitHub's package is the same either way; Webflow's,
  cut into chunks of 40 in a test, has two modules in another order.

Both are plain objects (nullable or not) of properties, `required` and a description, without
references (the order of classes follows references, and so do their `model_rebuild()` calls:
a stand-in of a schema that reaches others moved classes in Webflow's chunks), not reached from
an `allOf` (a subclass's fields are written against its bases', and members that define a
property twice are merged by comparing the definitions), from a discriminated union (whose
tags are read from its members' properties) or from a union beside properties (each member
becomes a subclass that has the properties too, written with the member's definitions). A copy
also has the same field aliases as its original, and the same order of properties. The output
is the same text as without stand-ins (a test compares the package of every corpus spec), but
for that order of classes in chunks. An end defines no object inline either (that would be a
class of the chunk's, whose name could take the one a class it keeps would get).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

_REF = "#/components/schemas/"
_PLAIN = frozenset({"type", "properties", "required", "description"})
_OBJECT = ("object", ["object", "null"], ["null", "object"])
STAND_IN_PROPERTY = "oagen_copy"


@dataclass(frozen=True, slots=True)
class StandIns:
    """What may reach datamodel-code-generator as a stand-in."""

    copies: dict[str, str] = field(default_factory=dict)
    """Copy → the first schema (in document order) it is a copy of."""
    opaque: frozenset[str] = frozenset()
    """Schemas that the classes naming them are written the same against a stand-in: a chunk
    that holds one only because its own schemas name it holds a stand-in (`modelchunks`)."""
    ends: frozenset[str] = frozenset()
    """Plain objects like the opaque ones but that refer to other schemas (and define no object
    inline, which would make a class whose name others' could take): a chunk that holds one only
    because its own schemas name it holds a stand-in too, and not what it refers to."""


def plan(schemas: Mapping[str, Any], aliases: Mapping[str, str]) -> StandIns:
    """The copies and opaque schemas of a models document's `schemas`; `aliases`: the field
    aliases handed to datamodel-code-generator (`Class.wire` → Python name)."""
    fixed = _read_by_their_users(schemas)
    opaque = frozenset(n for n, s in schemas.items() if n not in fixed and _plain(s))
    ends = frozenset(
        n
        for n, s in schemas.items()
        if n not in fixed and n not in opaque and _plain_shape(s) and not _inline_objects(s)
    )
    by_class: dict[str, dict[str, str]] = {}
    for key, python in aliases.items():
        owner, wire = key.split(".", 1)
        by_class.setdefault(owner, {})[wire] = python
    first: dict[str, str] = {}
    found: dict[str, str] = {}
    for name, schema in schemas.items():
        if name not in opaque:
            continue
        # in written order: fields follow the order of properties
        key = json.dumps([schema, sorted(by_class.get(name, {}).items())], ensure_ascii=False)
        original = first.setdefault(key, name)
        if original != name:
            found[name] = original
    return StandIns(found, opaque, ends)


def _plain(schema: Any) -> bool:
    return _plain_shape(schema) and not any(True for _ in _refs(schema))


def _inline_objects(schema: Mapping[str, Any]) -> bool:
    """Whether an object schema is defined inside `schema`'s properties."""
    todo: list[Any] = list(schema["properties"].values())
    while todo:
        node = todo.pop()
        if isinstance(node, list):
            todo.extend(node)
        elif isinstance(node, dict):
            kind = node.get("type")
            if "properties" in node or kind == "object" or (isinstance(kind, list) and "object" in kind):
                return True
            todo.extend(v for v in node.values() if isinstance(v, dict | list))
    return False


def _plain_shape(schema: Any) -> bool:
    return (
        isinstance(schema, dict)
        and schema.keys() <= _PLAIN
        and schema.get("type") in _OBJECT
        and bool(schema.get("properties"))
    )


def _read_by_their_users(schemas: Mapping[str, Any]) -> set[str]:
    """Schemas whose text their users read: those named by an `allOf`, by a discriminated union
    or by a union beside properties, and what they reach (merging `allOf` members that define a
    property twice, datamodel-code-generator compares the definitions' targets, and theirs)."""
    found = _named_by_readers(schemas)
    todo = list(found)
    while todo:
        schema = schemas.get(todo.pop())
        for ref in _refs(schema):
            name = ref[len(_REF) :] if ref.startswith(_REF) else ""
            if name in schemas and name not in found:
                found.add(name)
                todo.append(name)
    return found


def _named_by_readers(schemas: Mapping[str, Any]) -> set[str]:
    found: set[str] = set()
    todo: list[tuple[Any, bool]] = [(schema, False) for schema in schemas.values()]
    while todo:
        node, read = todo.pop()
        if isinstance(node, list):
            todo.extend((item, read) for item in node if isinstance(item, dict | list))
        elif isinstance(node, dict):
            ref = node.get("$ref")
            if read and isinstance(ref, str) and ref.startswith(_REF):
                found.add(ref[len(_REF) :])
            tagged = isinstance(node.get("discriminator"), dict)
            # a union beside properties: each member becomes a subclass that also has the
            # properties, written with the member's definitions where both define one
            merged = tagged or isinstance(node.get("properties"), dict)
            for key, value in node.items():
                if key == "discriminator" and tagged:
                    found.update(t[len(_REF) :] for t in (value.get("mapping") or {}).values())
                elif isinstance(value, dict | list):
                    member = key == "allOf" or (merged and key in ("oneOf", "anyOf"))
                    todo.append((value, read or member))
    return found


def _refs(node: Any) -> Iterator[str]:
    """Every reference in `node` (without recursion: schemas may nest hundreds deep)."""
    todo = [node]
    while todo:
        node = todo.pop()
        if isinstance(node, list):
            todo.extend(item for item in node if isinstance(item, dict | list))
        elif isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):  # not a property named `$ref` (Kubernetes has one)
                yield ref
            todo.extend(value for value in node.values() if isinstance(value, dict | list))


def stand_in(schema: Mapping[str, Any]) -> dict[str, Any]:
    """A plain object's stand-in: its type, one property."""
    return {"type": schema["type"], "properties": {STAND_IN_PROPERTY: {"type": "string"}}}


def with_stand_ins(schemas: Mapping[str, Any], copies: Mapping[str, str]) -> dict[str, Any]:
    """`schemas` with each copy replaced by its stand-in."""
    return {name: stand_in(s) if name in copies else s for name, s in schemas.items()}


def with_copies(source: str, found: Mapping[str, str]) -> str:
    """datamodel-code-generator's output with each stand-in's class replaced by its original's
    class, renamed. `found`: the copies whose stand-in and original are both in `source`."""
    if not found:
        return source
    lines = source.split("\n")
    spans = _class_spans(lines)
    texts = {name: "\n".join(lines[start:end]) for name, (start, end) in spans.items()}
    replaced: dict[int, tuple[int, str]] = {}
    for copy, original in found.items():
        text, placeholder = texts.get(original, ""), texts.get(copy, "")
        header = re.match(rf"class {re.escape(original)}\b", text)
        if header is None or STAND_IN_PROPERTY not in placeholder:
            raise ValueError(f"cannot copy class {original} to {copy}")
        start, end = spans[copy]
        replaced[start] = (end, f"class {copy}" + text[header.end() :])
    out: list[str] = []
    index = 0
    while index < len(lines):
        if index in replaced:
            end, text = replaced[index]
            out.append(text)
            index = end
        else:
            out.append(lines[index])
            index += 1
    return "\n".join(out)


def _class_spans(lines: list[str]) -> dict[str, tuple[int, int]]:
    """Each top-level class → (first line, line after its last), by indentation: a class's
    lines are indented, its docstrings included (datamodel-code-generator indents each line)."""
    spans: dict[str, tuple[int, int]] = {}
    index = 0
    while index < len(lines):
        found = re.match(r"class (\w+)\b", lines[index])
        if found is None:
            index += 1
            continue
        end = index + 1
        while end < len(lines) and (not lines[end] or lines[end][0] in " \t"):
            end += 1
        while end - 1 > index and not lines[end - 1]:
            end -= 1  # the blank lines after it belong to no class
        spans[found.group(1)] = (index, end)
        index = end
    return spans

