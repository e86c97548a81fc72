"""`pip install .` (non-editable) works: the wheel carries the templates and the runtime."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import ROOT


def test_wheel_ships_templates(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("oagen-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    runtime = {p.name for p in (ROOT / "templates" / "runtime").glob("*.py")}
    assert {f"generator/templates/runtime/{name}" for name in runtime} <= names
    assert "generator/templates/package/resources/group.py.jinja" in names
    assert not [n for n in names if "__pycache__" in n]
    packages = {p.parent.relative_to(ROOT).as_posix() for p in (ROOT / "generator").rglob("__init__.py")}
    assert {f"{package}/__init__.py" for package in packages} <= names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "oagen = generator.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
