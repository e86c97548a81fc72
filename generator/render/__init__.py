"""render: ir.Api → {relative path: text} of the generated package (not yet formatted).

env.py          Jinja2 environment (StrictUndefined), template and runtime file lookup
literals.py     spec strings → Python literals, docstrings, comments (injection-safe)
types.py        schemas → type hints
constraints.py  schemas → validator dialect (validators.py, descriptor `schema=`)
models.py       schemas → one models module via datamodel-code-generator
modelsplit.py   that module → the `models` package, one module per schema (imported lazily)
descriptors.py  operations → runtime descriptors
views.py        everything the templates lay out
package.py      the file list: which template renders which file with which view
"""

from .models import Workers
from .package import RenderOptions, needs_black, render_package, start_package_models

__all__ = ["RenderOptions", "Workers", "needs_black", "render_package", "start_package_models"]
