"""Snapshot tests: whole generated trees (and the IR as JSON) compared byte for byte.

Refresh after an intended change with:  OAGEN_UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/snapshot
and review the diff of tests/snapshot/expected/ like any other change.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from generator import irjson
from generator.config import target_for
from generator.diagnostics import Diagnostics
from generator.pipeline import Options, analyse, render_files
from tests.conftest import COMMS

HERE = Path(__file__).parent
CASES = {"twilio_comms": COMMS, "composition": HERE / "specs" / "composition.yaml"}
UPDATE = os.environ.get("OAGEN_UPDATE_SNAPSHOTS") == "1"


def generated_tree(spec: Path, package: str) -> dict[str, bytes]:
    target = target_for(spec, None, package, None)
    workspace, api, problems = analyse(target, Options())
    assert api is not None and workspace is not None
    assert not [p for p in problems if p.severity.value == "error"]
    files = render_files(api, workspace, target, Options(), Diagnostics())
    files["ir.json"] = irjson.dumps(api).encode()
    return files


@pytest.mark.parametrize("name", sorted(CASES))
def test_snapshot(name: str) -> None:
    files = generated_tree(CASES[name], name)
    expected_dir = HERE / "expected" / name
    if UPDATE:
        shutil.rmtree(expected_dir, ignore_errors=True)
        for path, data in files.items():
            (expected_dir / path).parent.mkdir(parents=True, exist_ok=True)
            (expected_dir / path).write_bytes(data)
    expected = {
        p.relative_to(expected_dir).as_posix(): p.read_bytes()
        for p in sorted(expected_dir.rglob("*"))
        if p.is_file()
    }
    assert sorted(files) == sorted(expected), "file list changed (refresh snapshots if intended)"
    for path, data in files.items():
        assert data == expected[path], f"{path} changed (refresh snapshots if intended)"
