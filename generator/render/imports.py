"""isort's and ruff's orders, for the import lines and `__all__` lists that oagen writes
(what `ruff check --select I,RUF022` wants): sections (future, standard library, third party,
local), module names, imported names, exported names."""

from __future__ import annotations

import re
import sys

SECTIONS = ("future", "stdlib", "thirdparty", "local")

Natural = list[str | tuple[int, int | str]]
"""A natural-order sort key (see `_natural`)."""


def section(module: str) -> str:
    if module == "__future__":
        return "future"
    if module.startswith("."):
        return "local"
    return "stdlib" if module.split(".")[0] in sys.stdlib_module_names else "thirdparty"


def name_key(name: str) -> tuple[int, Natural, Natural]:
    """isort's order of imported names (ruff's `order-by-type`): constants, classes, the rest;
    case-insensitive natural order (`Item2` before `Item10`), ties broken by case."""
    return _kind(name), _natural(name.lower()), _natural(name)


def all_key(name: str) -> tuple[int, Natural]:
    """The order ruff's RUF022 wants in `__all__`: constants, classes, the rest; natural order,
    case-sensitive (`PoiProfile` before `Point`)."""
    return _kind(name), _natural(name)


def _kind(name: str) -> int:
    return 0 if name.isupper() and len(name) > 1 else 1 if name[:1].isupper() else 2


def module_key(module: str) -> Natural:
    """isort's order of the modules of `from … import` lines in one section."""
    return _natural(module.lower())


def _natural(text: str) -> Natural:
    """Natural order as ruff's (strnatcmp): digit runs compare as numbers, but a run with a
    leading zero compares digit by digit, before any run without one (`_056…` before `_2…`)."""
    return [
        part if i % 2 == 0 else (0, part) if part.startswith("0") else (1, int(part))
        for i, part in enumerate(re.split(r"(\d+)", text))
    ]
