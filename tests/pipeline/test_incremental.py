"""Incremental regeneration: the inputs hash, the no-op fast path, caches, `--force`."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator import inputs
from generator.cli import run
from generator.config import Target
from generator.render import models
from tests.pipeline.pipeline_helpers import SMALL, manifest_files, stat_tree


def generate(capsys: pytest.CaptureFixture[str], spec: Path, out: Path, *extra: str) -> str:
    capsys.readouterr()
    assert run(["generate", str(spec), "-o", str(out), "--package", "small", "-v", *extra]) == 0
    return capsys.readouterr().err


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    path = tmp_path / "spec" / "api.yaml"
    path.parent.mkdir()
    path.write_text(SMALL, encoding="utf-8")
    return path


def test_noop_generate_renders_nothing_and_touches_nothing(spec: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    generate(capsys, spec, out)
    before = stat_tree(tmp_path)
    err = generate(capsys, spec, out)
    assert "nothing rendered" in err and "render:" not in err
    assert f"0 files written, 0 removed, 0 unchanged, {len(manifest_files(out))} skipped" in err
    assert stat_tree(tmp_path) == before


def test_one_operation_change_rewrites_only_its_files(spec: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    generate(capsys, spec, out)
    before = stat_tree(out)
    spec.write_text(SMALL.replace("enum: [red, blue]", "enum: [red, blue, green]"))
    err = generate(capsys, spec, out)
    after = stat_tree(out)
    changed = sorted(p for p in manifest_files(out) if after[p] != before.get(p))
    tests = [p for p in changed if p.startswith("tests/")]  # the generated suite, per group
    assert [p for p in changed if p not in tests] == [".oagen-manifest.json", "small/resources/widgets.py"]
    assert tests in ([], ["tests/test_widgets.py"])
    formatted = re.search(r"format: (\d+) formatted, (\d+) from cache", err)
    assert formatted is not None and int(formatted.group(1)) <= 1 + len(tests)
    assert f"{len(changed)} files written, 0 removed" in err


def test_operation_only_change_does_not_rerun_datamodel_code_generator(spec: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    generate(capsys, spec, out)
    calls = count_calls(monkeypatch, models, "_generate")
    spec.write_text(SMALL.replace("getThing", "fetchThing"))
    generate(capsys, spec, out)
    assert calls == []
    spec.write_text(SMALL.replace("size: {type: integer", "weight: {type: integer"))
    generate(capsys, spec, out)
    assert len(calls) == 1


def test_force_renders_and_writes_everything(spec: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    generate(capsys, spec, out)
    before = stat_tree(out)
    calls = count_calls(monkeypatch, models, "_generate")
    err = generate(capsys, spec, out, "--force")
    assert calls and " 0 from cache" in err and "nothing rendered" not in err
    after = stat_tree(out)
    assert all(after[p][0] != before[p][0] for p in manifest_files(out))  # every file new
    assert {p: v[2] for p, v in after.items()} == {p: v[2] for p, v in before.items()}


def test_inputs_hash_covers_every_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = tmp_path / "api.yaml"
    target = Target(spec=spec, output=tmp_path / "out", package="small")
    documents = [("api.yaml", b"openapi: 3.1.0"), ("parts/p.yaml", b"x: 1")]
    base = inputs.inputs_hash(documents, target)
    assert inputs.inputs_hash(list(documents), target) == base
    overrides = tmp_path / "templates" / "runtime"
    overrides.mkdir(parents=True)
    (overrides / "retry.py").write_text("# mine\n")
    variants = {
        "referenced document": inputs.inputs_hash([documents[0], ("parts/p.yaml", b"x: 2")], target),
        "package": inputs.inputs_hash(documents, Target(spec=spec, output=target.output, package="other")),
        "spec name": inputs.inputs_hash(documents, Target(spec=tmp_path / "b.yaml", output=target.output, package="small")),
        "templates": inputs.inputs_hash(documents, Target(spec=spec, output=target.output, package="small", templates=tmp_path / "templates")),
    }
    monkeypatch.setattr(inputs, "tool_versions", lambda: (("black", "0.0"),))
    variants["pinned versions"] = inputs.inputs_hash(documents, target)
    monkeypatch.undo()
    monkeypatch.setattr(inputs, "generator_fingerprint", lambda: "changed")
    variants["oagen's own code"] = inputs.inputs_hash(documents, target)
    assert all(value != base for value in variants.values()), variants
    assert len(set(variants.values())) == len(variants)


def test_pins_cover_what_shapes_output() -> None:
    pinned = dict(inputs.tool_versions())
    assert {"black", "datamodel-code-generator", "jinja2", "pydantic"} <= pinned.keys()
    assert all(version != "absent" for version in pinned.values())


def test_template_override_change_regenerates(spec: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, overrides = tmp_path / "out", tmp_path / "tpl"
    (overrides / "runtime").mkdir(parents=True)
    builtin = inputs.builtin_templates() / "runtime" / "retry.py"
    (overrides / "runtime" / "retry.py").write_text(builtin.read_text())
    generate(capsys, spec, out, "--templates", str(overrides))
    (overrides / "runtime" / "retry.py").write_text(builtin.read_text() + "# tuned\n")
    err = generate(capsys, spec, out, "--templates", str(overrides))
    assert "2 files written" in err
    assert (out / "small/_runtime/retry.py").read_text().endswith("# tuned\n")


def count_calls(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[object]:
    calls: list[object] = []
    original: Callable[..., Any] = getattr(module, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, wrapper)
    return calls
