"""Helpers of the hostile-input suite: run the CLI, read diagnostics, snapshot folders."""

from __future__ import annotations

import os
from pathlib import Path

from generator.cli import run
from tests.conftest import one_operation_spec

HERE = Path(__file__).resolve().parent
SPECS = HERE / "specs"

GOOD = one_operation_spec("Good")


def cli(*args: str | Path) -> int:
    """Run `oagen ARGS` in-process; the caller reads stderr through capsys."""
    return run([str(a) for a in args])


def diagnostics(stderr: str) -> list[str]:
    """The diagnostic lines of stderr (`FILE:LINE:COL: error|warning: …`)."""
    return [line for line in stderr.splitlines() if ": error: " in line or ": warning: " in line]


Snapshot = dict[str, tuple[str, bytes]]


def snapshot(folder: Path) -> Snapshot:
    """Every entry below `folder`: kind (file, dir, link) and content (bytes, link target)."""
    result: Snapshot = {}
    for root, dirs, files in os.walk(folder, followlinks=False):
        for name in dirs + files:
            path = Path(root) / name
            rel = path.relative_to(folder).as_posix()
            if path.is_symlink():
                result[rel] = ("link", os.readlink(path).encode())
            elif path.is_dir():
                result[rel] = ("dir", b"")
            else:
                result[rel] = ("file", path.read_bytes())
    return result
