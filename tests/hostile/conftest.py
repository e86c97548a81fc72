"""Fixtures of the hostile-input suite: an output folder with a previous generation in it."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hostile.hostile_helpers import GOOD, cli


@pytest.fixture(scope="session")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An output folder generated from a good spec, plus files and a symlink of the user's."""
    root = tmp_path_factory.mktemp("baseline")
    spec = root / "good.yaml"
    spec.write_text(GOOD, encoding="utf-8")
    out = root / "out"
    assert cli("generate", spec, "-o", out, "--package", "good", "-q") == 0
    (out / "NOTES.md").write_text("the user's notes\n", encoding="utf-8")
    (out / "good" / "custom.py").write_text("# the user's module\n", encoding="utf-8")
    os.symlink("NOTES.md", out / "notes-link")
    return out


@pytest.fixture
def output(baseline: Path, tmp_path: Path) -> Iterator[Path]:
    """A private copy of the baseline output folder."""
    out = tmp_path / "work" / "out"
    shutil.copytree(baseline, out, symlinks=True)
    yield out
