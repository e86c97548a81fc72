"""`oagen check` / `generate --check`: byte-for-byte drift report, exit codes, never a write."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from generator.cli import run
from tests.pipeline.pipeline_helpers import SMALL, oagen, stat_tree, write_project


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with one configured target, generated; cwd is the project."""
    write_project(tmp_path / "proj")
    monkeypatch.chdir(tmp_path / "proj")
    assert run(["generate", "-q"]) == 0
    return tmp_path / "proj"


def check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = run(["check", *args])
    return code, capsys.readouterr().err


def test_current_output_passes_on_the_fast_path(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = check(capsys, "-v")
    assert code == 0
    assert "nothing rendered" in err and "1 current, 0 not current" in err


def test_full_comparison_with_force(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # a model line too long for format.model_layout's rules: black formats it, then the cache
    kinds = ", ".join(f"kind_number_{i}" for i in range(12))
    size = "        size: {type: integer, minimum: 0}\n"
    spec = SMALL.replace(size, f"{size}        kind: {{type: string, enum: [{kinds}]}}\n")
    assert spec != SMALL
    write_project(tmp_path / "proj", spec)
    monkeypatch.chdir(tmp_path / "proj")
    assert run(["generate", "-q"]) == 0
    code, err = check(capsys, "--force", "-v")
    assert code == 0 and "compare:" in err and "nothing rendered" not in err
    assert re.search(r"format: 0 formatted, [1-9]\d* from cache", err), err  # caches still serve


def test_hand_edited_file_is_reported_with_a_diff(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    client = project / "generated/small/small/_client.py"
    client.write_text(client.read_text() + "# my edit\n")
    code, err = check(capsys)
    assert code == 1
    assert "generated/small/small/_client.py: hand-edited" in err
    assert "-# my edit" in err and "(committed)" in err and "(generated now)" in err
    assert "run `oagen generate`" in err


def test_stale_output_after_a_spec_change(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = project / "specs/api.yaml"
    spec.write_text(spec.read_text().replace("getThing", "fetchThing"))
    code, err = check(capsys)
    assert code == 1
    assert "generated/small/small/resources/things.py: stale" in err
    assert "+" in err and "fetch" in err


def test_missing_and_extra_managed_files(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = project / "generated/small"
    (out / "small/errors.py").unlink()
    spec = project / "specs/api.yaml"
    spec.write_text(spec.read_text().replace("tags: [widgets]", "tags: [things]"))
    code, err = check(capsys)
    assert code == 1
    assert "small/errors.py: missing" in err
    assert "small/resources/widgets.py: extra" in err


def test_manifest_inputs_alone_differing_is_not_drift(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = project / "generated/small/.oagen-manifest.json"
    data = json.loads(path.read_text())
    data["inputs"] = "sha256:" + "0" * 64  # as after an oagen change that alters no output
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    code, err = check(capsys, "-v")
    assert code == 0 and "compare:" in err


def test_tampered_manifest_is_drift(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = project / "generated/small/.oagen-manifest.json"
    data = json.loads(path.read_text())
    data["files"]["small/errors.py"] = "0" * 64
    path.write_text(json.dumps(data))
    code, err = check(capsys)
    assert code == 1 and ".oagen-manifest.json: stale" in err


def test_invalid_spec_exits_2(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = project / "specs/api.yaml"
    spec.write_text(spec.read_text().replace("$ref: '#/components/schemas/Thing'", "$ref: '#/nope'"))
    code, err = check(capsys)
    assert code == 2
    assert "specs/api.yaml:" in err and "error:" in err and "invalid spec" in err


def test_generate_check_with_a_spec_argument(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["generate", "specs/api.yaml", "-o", "generated/small", "--package", "small", "--check"]
    assert run(args) == 0
    assert run([*args[:-1], "--package", "other", "--check"]) == 1


def test_check_never_writes_anything_outside_the_cache(tmp_path: Path) -> None:
    """Whole-tree snapshot (inodes, mtimes, bytes) around a real `oagen check` subprocess."""
    project = write_project(tmp_path / "proj")
    home, cache, temp = tmp_path / "home", tmp_path / "cache", tmp_path / "tmp"
    home.mkdir()
    temp.mkdir()
    env = {"HOME": str(home), "TMPDIR": str(temp), "OAGEN_CACHE_DIR": str(cache), "PYTHONDONTWRITEBYTECODE": "1"}
    assert oagen("generate", cwd=project, env=env).returncode == 0
    client = project / "generated/small/small/_client.py"
    client.write_text(client.read_text() + "# edited\n")  # force the slow path: render + compare
    before = stat_tree(tmp_path)
    time.sleep(0.01)
    for args in (["check"], ["check", "--force"], ["generate", "--check"]):
        result = oagen(*args, cwd=project, env=env)
        assert result.returncode == 1, result.stderr
    after = stat_tree(tmp_path)
    outside = {k: v for k, v in after.items() if not k.startswith("cache")}
    assert outside == {k: v for k, v in before.items() if not k.startswith("cache")}


def test_check_on_a_never_generated_output_reports_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    write_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    code, err = check(capsys)
    assert code == 1 and ".oagen-manifest.json: missing" in err
    assert not (tmp_path / "generated").exists()
