"""The generated clients' runtime, importable by oagen itself.

`templates/runtime/` is a package with relative imports, copied into every generated client.
oagen reuses one piece of it at generation time — the constraint validator, to check defaults
and examples against their schemas — so that generation and run time agree on what is valid.
"""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from types import ModuleType

from .render.env import builtin_templates

_NAME = "_oagen_runtime"


@cache
def runtime_module(name: str) -> ModuleType:
    """`templates/runtime/<name>.py`, imported as `_oagen_runtime.<name>`."""
    if _NAME not in sys.modules:
        folder = builtin_templates() / "runtime"
        spec = importlib.util.spec_from_file_location(
            _NAME, folder / "__init__.py", submodule_search_locations=[str(folder)]
        )
        assert spec is not None and spec.loader is not None
        package = importlib.util.module_from_spec(spec)
        sys.modules[_NAME] = package
        spec.loader.exec_module(package)
    return importlib.import_module(f"{_NAME}.{name}")
