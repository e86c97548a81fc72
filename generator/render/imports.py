"""Put the import block of generated source in isort order (what `ruff check --select I` wants).

Used for the models module, whose imports come from datamodel-code-generator unsorted. Only
top-level single-line `import x` / `from x import a, b` statements before the first other
statement are touched: future, standard library, third party, local — sorted, one blank line
between sections.
"""

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


def _normalise(line: str) -> tuple[str, str, str]:
    """(section, sort key, normalised line) of one import statement."""
    if line.startswith("from "):
        module, _, names = line[5:].partition(" import ")
        listed = sorted({n.strip() for n in names.split(",") if n.strip()}, key=name_key)
        return section(module), f"{module.lstrip('.') if not module.startswith('.') else module} 1", f"from {module} import {', '.join(listed)}"
    module = line[7:].strip()
    return section(module), f"{module} 0", line.strip()


def sort_imports(source: str) -> str:
    lines = source.split("\n")
    start = next((i for i, line in enumerate(lines) if line.startswith(("import ", "from "))), None)
    if start is None:
        return source
    end = start
    while end < len(lines) and (lines[end].startswith(("import ", "from ")) or not lines[end].strip()):
        if "(" in lines[end]:
            return source
        end += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    statements = [_normalise(line) for line in lines[start:end] if line.strip()]
    block: list[str] = []
    for part in SECTIONS:
        chosen = sorted({(key, text) for sec, key, text in statements if sec == part})
        if chosen:
            if block:
                block.append("")
            block.extend(text for _, text in chosen)
    return "\n".join(lines[:start] + block + lines[end:])
