"""`models = "used"` / `--models used`: model classes only for the schemas an operation reaches."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator.cli import run
from generator.config import ConfigError, load_targets, target_for
from generator.pipeline import Options, analyse
from generator.render.usage import used_schemas


def spec() -> dict[str, Any]:
    """`getPet` answers Pet (which uses Owner and an inline Tag list) or Problem (an error);
    Webhook and its inline Payload are used by no operation."""
    ref = "#/components/schemas/"
    return {
        "openapi": "3.1.0",
        "info": {"title": "Pets", "version": "1"},
        "servers": [{"url": "https://pets.example.com"}],
        "paths": {
            "/pets/{id}": {
                "get": {
                    "operationId": "getPet",
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": {
                        "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": ref + "Pet"}}}},
                        "404": {"description": "no", "content": {"application/json": {"schema": {"$ref": ref + "Problem"}}}},
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Pet": {
                    "type": "object",
                    "required": ["name"],
                    "properties": {
                        "name": {"type": "string"},
                        "owner": {"$ref": ref + "Owner"},
                        "tags": {"type": "array", "items": {"type": "object", "properties": {"label": {"type": "string"}}}},
                    },
                },
                "Owner": {"type": "object", "properties": {"name": {"type": "string"}}},
                "Problem": {"type": "object", "properties": {"detail": {"type": "string"}}},
                "Webhook": {
                    "type": "object",
                    "properties": {"payload": {"type": "object", "properties": {"pet": {"$ref": ref + "Owner"}}}},
                },
            }
        },
    }


@pytest.fixture
def spec_file(tmp_path: Path) -> Path:
    path = tmp_path / "pets.json"
    path.write_text(json.dumps(spec()))
    return path


def test_used_schemas_follow_references_from_every_operation(spec_file: Path) -> None:
    target = target_for(spec_file, None, "pets", None)
    _, api, problems = analyse(target, Options())
    assert api is not None, problems
    used = {s.name for s in used_schemas(api)}
    everything = {s.name for s in api.schemas}
    assert {"Pet", "Owner", "Problem"} <= used
    assert not {n for n in used if n.startswith("Webhook")}
    assert {n for n in everything - used} >= {"Webhook"} and len(everything - used) == 2


def models_of(out: Path) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", "import pets.models as m; print(' '.join(m.__all__))"],
        cwd=out, capture_output=True, text=True, check=True,
    )
    return done.stdout.split()


def test_models_used_leaves_out_what_no_operation_reaches(spec_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    everything, used = tmp_path / "all", tmp_path / "used"
    assert run(["generate", str(spec_file), "-o", str(everything), "--package", "pets", "-q"]) == 0
    assert run(["generate", str(spec_file), "-o", str(used), "--package", "pets", "--models", "used", "-q"]) == 0
    all_models, used_models = models_of(everything), models_of(used)
    assert "Webhook" in all_models and "Webhook" not in used_models
    assert {"Pet", "Owner", "Problem"} <= set(used_models) < set(all_models)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=used, capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:]
    # the option is part of the inputs: switching it regenerates instead of answering "current"
    capsys.readouterr()
    assert run(["generate", str(spec_file), "-o", str(used), "--package", "pets"]) == 0
    assert "Webhook" in models_of(used)


def test_models_in_the_configuration(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[[tool.oagen.targets]]\nspec = "a.json"\nmodels = "used"\n\n'
        '[[tool.oagen.targets]]\nspec = "b.json"\n'
    )
    _, targets = load_targets(tmp_path)
    assert [t.models for t in targets] == ["used", "all"]
    (tmp_path / "pyproject.toml").write_text('[[tool.oagen.targets]]\nspec = "a.json"\nmodels = "some"\n')
    with pytest.raises(ConfigError, match=r'targets\[0\]: models = .some.: expected "all" or "used"'):
        load_targets(tmp_path)


def test_an_unknown_models_value_on_the_command_line_exits_2(spec_file: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "generator", "generate", str(spec_file), "-o", str(tmp_path / "o"), "--models", "some"],
        capture_output=True, text=True, check=False, cwd=Path(__file__).parents[2],
    )
    assert done.returncode == 2
    assert "'some' is not one of 'all', 'used'" in done.stderr
    assert not (tmp_path / "o").exists()
