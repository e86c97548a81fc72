"""Which named schemas the operations use (`models = "used"`): the rest get no model class.

A large spec often describes far more than its operations exchange (GitHub's: 928 of its 3,429
named schemas are reachable from an operation; the rest are webhook payloads and their inline
parts). Leaving those out makes datamodel-code-generator, black and the package proportionally
smaller and faster.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

from ..ir import Api, NamedSchema, SchemaRef


def used_schemas(api: Api) -> tuple[NamedSchema, ...]:
    """The named schemas an operation reaches (through any chain of references), in IR order."""
    named = {s.name: s for s in api.schemas}
    seen: set[str] = set()
    todo = list(_references(api.operations))
    while todo:
        name = todo.pop()
        if name in seen or name not in named:
            continue
        seen.add(name)
        todo.extend(_references(named[name].schema))
    return tuple(s for s in api.schemas if s.name in seen)


def _references(value: Any) -> Iterator[str]:
    """Names of every `SchemaRef` inside `value` (IR dataclasses, tuples, dicts)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, SchemaRef):
            yield item.name
        elif dataclasses.is_dataclass(item) and not isinstance(item, type):
            stack.extend(getattr(item, field.name) for field in dataclasses.fields(item))
        elif isinstance(item, (tuple, list, frozenset, set)):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
