"""The one naming authority: every Python name in generated code is decided here.

Rules (deterministic, no global counters):
- `snake`: words split at case changes, digits kept with their word, anything outside
  `[A-Za-z0-9]` is a separator; accents are folded to ASCII. `pascal` joins the same words.
- Python keywords get a trailing `_` (`class` → `class_`). Builtins such as `id`, `type`, `list`
  are fine as method, parameter and field names.
- Model fields that would shadow pydantic's own attributes (`model_*`, `json`, `copy`, …) get a
  trailing `_`; class names that clash with names the models module imports get the suffix
  `Schema` (datamodel-code-generator strips trailing underscores from class names).
- A name that starts with a digit gets a prefix (`field_`, `n_`, `Model`).
- Collisions inside one scope are resolved by `Scope.claim`: the first claimant (callers claim in
  a stable order) keeps the name, later ones get `_2`, `_3`, … (`2`, `3` for class names).
"""

from __future__ import annotations

import hashlib
import keyword
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

_ACRONYM_END = re.compile(r"([A-Z]+)([A-Z][a-z])")
_CASE_CHANGE = re.compile(r"([a-z0-9])([A-Z])")
_SEPARATORS = re.compile(r"[^A-Za-z0-9]+")

PYDANTIC_RESERVED = frozenset(
    {
        "construct",
        "copy",
        "dict",
        "from_orm",
        "json",
        "parse_file",
        "parse_obj",
        "parse_raw",
        "schema",
        "schema_json",
        "update_forward_refs",
        "validate",
        "fields",
    }
)
MODULE_RESERVED = frozenset(
    {
        "Any",
        "AwareDatetime",
        "BaseModel",
        "ConfigDict",
        "Field",
        "Literal",
        "RootModel",
        "Annotated",
        "Enum",
        "Model",
        "annotations",
        "Optional",
        "Union",
        "Sequence",
        "Mapping",
        "IO",
        "NotGiven",
        "SyncPage",
        "AsyncPage",
        "AsyncPager",
        "RawResponse",
        "SyncResource",
        "AsyncResource",
        "SyncRawResource",
        "AsyncRawResource",
        "Client",
        "AsyncClient",
        "None",
        "True",
        "False",
    }
)
MAX_MODULE_LENGTH = 60


def words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    split = _CASE_CHANGE.sub(r"\1_\2", _ACRONYM_END.sub(r"\1_\2", folded))
    return [w.lower() for w in _SEPARATORS.split(split) if w]


@lru_cache(maxsize=1 << 16)  # pure, and called for the same names again and again
def snake(text: str, *, fallback: str = "value") -> str:
    return "_".join(words(text)) or fallback


def pascal(text: str, *, fallback: str = "Model") -> str:
    return "".join(w[:1].upper() + w[1:] for w in words(text)) or fallback


def escape_keyword(name: str) -> str:
    return name + "_" if keyword.iskeyword(name) else name


@lru_cache(maxsize=1 << 16)
def identifier(text: str, *, digit_prefix: str = "n_", fallback: str = "value") -> str:
    """A snake_case identifier (parameters, methods, groups, credentials)."""
    name = snake(text, fallback=fallback)
    if name[0].isdigit():
        name = digit_prefix + name
    return escape_keyword(name)


@lru_cache(maxsize=1 << 16)
def field_name(wire: str) -> str:
    """A model field / body keyword: also avoids pydantic's own attribute names."""
    name = identifier(wire, digit_prefix="field_", fallback="field")
    if name.startswith("model_") or name in PYDANTIC_RESERVED:
        name += "_"
    return name


@lru_cache(maxsize=1 << 16)
def class_name(text: str) -> str:
    name = pascal(text)
    if name[0].isdigit():
        name = "Model" + name
    if name in MODULE_RESERVED or keyword.iskeyword(name):
        name += "Schema"
    return name


def constant_name(text: str) -> str:
    return "_" + identifier(text).upper()


def module_name(text: str) -> str:
    """A module (file) name: snake_case, bounded length, never a path."""
    name = identifier(text, digit_prefix="m_")
    if len(name) > MAX_MODULE_LENGTH:
        digest = hashlib.sha256(name.encode()).hexdigest()[:8]
        name = name[: MAX_MODULE_LENGTH - 9].rstrip("_") + "_" + digest
    return name


def env_var(package: str, arg: str) -> str:
    return f"{package}_{arg}".upper()


class Scope:
    """A namespace in which names must be unique."""

    def __init__(self, reserved: Iterable[str] = (), *, separator: str = "_") -> None:
        self.taken: set[str] = set(reserved)
        self.separator = separator

    def claim(self, preferred: str) -> str:
        name = preferred
        stem = preferred.rstrip("_") or preferred  # `class_` → `class_2`, not `class__2`
        counter = 2
        while name in self.taken:
            name = f"{stem}{self.separator}{counter}"
            counter += 1
        self.taken.add(name)
        return name

    def __contains__(self, name: str) -> bool:
        return name in self.taken
