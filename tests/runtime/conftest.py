"""Make the runtime importable as it is shipped: copied into a package as ``fakepkg/_runtime``.

The copy is made when this conftest is imported (before test modules are collected), so test
modules can import ``fakepkg._runtime.*`` at module level; it is removed at exit. This folder
is put on ``sys.path`` too, for the helper modules ``rt_api`` (the mini API) and ``rt_helpers``.
"""

from __future__ import annotations

import atexit
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

RUNTIME = Path(__file__).resolve().parents[2] / "templates" / "runtime"
_ROOT = Path(tempfile.mkdtemp(prefix="oagen-runtime-"))
atexit.register(shutil.rmtree, _ROOT, True)
(_ROOT / "fakepkg").mkdir()
(_ROOT / "fakepkg" / "__init__.py").write_text('"""A package carrying the runtime."""\n')
shutil.copytree(
    RUNTIME, _ROOT / "fakepkg" / "_runtime", ignore=shutil.ignore_patterns("__pycache__")
)
sys.path.insert(0, str(_ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture
def sleeps() -> list[float]:
    return []
