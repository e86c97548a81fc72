"""The command line: exit codes, located diagnostics, safe writes, check, determinism."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.cli import run
from tests.conftest import COMMS, ROOT, one_operation_spec

SMALL = one_operation_spec("Small")


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_generate_then_check_is_current(write_spec: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec, out = write_spec(SMALL), tmp_path / "out"
    assert run(["generate", str(spec), "-o", str(out), "--package", "small", "-q"]) == 0
    manifest = json.loads((out / ".oagen-manifest.json").read_text())
    assert manifest["spec"] == "api.yaml" and manifest["sources"] == ["api.yaml"]
    assert set(manifest["files"]) == set(tree(out)) - {".oagen-manifest.json"}
    assert run(["generate", str(spec), "-o", str(out), "--package", "small", "--check"]) == 0
    first = tree(out)
    assert run(["generate", str(spec), "-o", str(out), "--package", "small", "-q"]) == 0  # no-op
    assert tree(out) == first


def test_check_reports_hand_edits_and_never_writes(write_spec: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec, out = write_spec(SMALL), tmp_path / "out"
    run(["generate", str(spec), "-o", str(out), "--package", "small", "-q"])
    client = out / "small" / "_client.py"
    client.write_text(client.read_text() + "# edited\n")
    before = tree(out)
    capsys.readouterr()
    assert run(["generate", str(spec), "-o", str(out), "--package", "small", "--check"]) == 1
    err = capsys.readouterr().err
    assert "_client.py: hand-edited" in err and "+# edited" not in err and "-# edited" in err
    assert tree(out) == before


def test_invalid_spec_exits_2_with_location_and_leaves_output_unchanged(
    write_spec: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec, out = write_spec(SMALL), tmp_path / "out"
    run(["generate", str(spec), "-o", str(out), "--package", "small", "-q"])
    (out / "notes.txt").write_text("mine")
    before = tree(out)
    broken = write_spec(SMALL.replace("schema: {type: string}", "schema: {$ref: 'missing.yaml#/Id'}"))
    capsys.readouterr()
    assert run(["generate", str(broken), "-o", str(out), "--package", "small", "-q"]) == 2
    err = capsys.readouterr().err
    assert "api.yaml:8:" in err and "[file-not-found]" in err and "[#/paths/~1things~1{id}/get/parameters/0/schema/$ref]" in err
    assert tree(out) == before


def test_broken_yaml_exits_2_with_line_and_column(write_spec: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = write_spec("openapi: 3.1.0\ninfo: {title: [x\n")
    assert run(["generate", str(spec), "-o", str(tmp_path / "out"), "-q"]) == 2
    assert "api.yaml:3:1: error: invalid YAML" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_user_files_survive_and_clashes_are_refused(write_spec: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec, out = write_spec(SMALL), tmp_path / "out"
    (out / "docs").mkdir(parents=True)
    (out / "docs" / "mine.md").write_text("keep me")
    (out / "README.md").write_text("my readme")
    before = tree(out)
    assert run(["generate", str(spec), "-o", str(out), "--package", "small", "-q"]) == 2
    assert "README.md exists and was not written by oagen" in capsys.readouterr().err
    assert tree(out) == before
    (out / "README.md").unlink()
    assert run(["generate", str(spec), "-o", str(out), "--package", "small", "-q"]) == 0
    assert (out / "docs" / "mine.md").read_text() == "keep me"
    changed = write_spec(SMALL.replace("getThing", "fetchThing"))
    assert run(["generate", str(changed), "-o", str(out), "--package", "small", "-q", "--force"]) == 0
    assert (out / "docs" / "mine.md").read_text() == "keep me"


def test_symlinks_in_the_output_are_never_written_through(write_spec: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec, out, elsewhere = write_spec(SMALL), tmp_path / "out", tmp_path / "elsewhere"
    elsewhere.mkdir()
    out.mkdir()
    os.symlink(elsewhere, out / "small")
    assert run(["generate", str(spec), "-o", str(out), "--package", "small", "-q"]) == 2
    assert "symlink" in capsys.readouterr().err
    assert list(elsewhere.iterdir()) == []


def test_validate_and_ir(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["validate", str(COMMS)]) == 0
    assert "valid (10 operations" in capsys.readouterr().out
    assert run(["ir", str(COMMS)]) == 0
    ir = json.loads(capsys.readouterr().out)
    assert ir["package"] == "twilio_comms"
    assert [op["name"] for op in ir["groups"][0]["operations"]][:2] == ["list", "create"]


def test_configured_targets_need_a_pyproject(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert run(["generate"]) == 2
    assert "no pyproject.toml" in capsys.readouterr().err


def test_generation_is_deterministic_across_hash_seeds(tmp_path: Path) -> None:
    trees = []
    for seed in ("0", "1"):
        out = tmp_path / f"out{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed, "OAGEN_CACHE_DIR": str(tmp_path / f"cache{seed}")}
        subprocess.run(
            [sys.executable, "-m", "generator", "generate", str(COMMS), "-o", str(out), "--package", "tc", "-q"],
            check=True,
            env=env,
            cwd=ROOT,
        )
        trees.append(tree(out))
    assert trees[0] == trees[1]
