"""The committed generated/ tree is what `make generate` writes now: regenerating it changes no
byte — not even the manifest, whose inputs hash covers oagen's own source (so a generator edit
must be followed by `make generate` and a commit of generated/)."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.cli import run
from tests.conftest import COMMS, ROOT

COMMITTED = ROOT / "generated" / "twilio_comms"


CACHES = {"__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache"}


def tree(folder: Path) -> dict[str, bytes]:
    files = (p for p in sorted(folder.rglob("*")) if p.is_file() and not CACHES & set(p.parts))
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in files}


def test_make_generate_leaves_the_committed_client_unchanged(tmp_path: Path) -> None:
    copy = tmp_path / "twilio_comms"
    shutil.copytree(COMMITTED, copy)
    before = tree(copy)
    assert run(["generate", str(COMMS), "-o", str(copy), "--package", "twilio_comms", "-q"]) == 0
    after = tree(copy)
    changed = sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
    assert changed == [], "run `make generate` and commit generated/"
