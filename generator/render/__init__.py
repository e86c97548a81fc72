"""render: ir.Api → {relative path: text} of the generated package (not yet formatted).

env.py          Jinja2 environment (StrictUndefined), template and runtime file lookup
literals.py     spec strings → Python literals, docstrings, comments (injection-safe)
types.py        schemas → type hints
constraints.py  schemas → validator dialect (validators.py, descriptor `schema=`)
options.py      the render options, and the models started from them (without the rest)
models.py       schemas → one models module via datamodel-code-generator
modelsplit.py   that module → the `models` package, one module per schema (imported lazily)
descriptors.py  operations → runtime descriptors
views.py        everything the templates lay out
package.py      the file list: which template renders which file with which view
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import Workers
    from .options import RenderOptions, start_package_models
    from .package import needs_black, render_package

__all__ = ["RenderOptions", "Workers", "needs_black", "render_package", "start_package_models"]

_HOME = {name: "package" for name in __all__} | {
    "RenderOptions": "options",
    "Workers": "models",
    "start_package_models": "options",
}
"""Where each name lives: imported on first use, so that a process that needs only the models'
workers (datamodel-code-generator's processes, and the main one while the spec loads) does not
import the rest of the render stage (~0.25 s)."""


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{_HOME[name]}", __name__), name)
    globals()[name] = value
    return value
