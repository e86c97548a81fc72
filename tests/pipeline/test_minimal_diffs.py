"""Minimal diffs: one edited operation or schema of a large corpus spec rewrites only its files.

The spec is read from ../shared/corpus (never copied into the repository); edited variants are
written to tmp_path. Rendering is compared before black (black maps equal text to equal text),
which keeps this fast; the slow test below runs the whole CLI and counts written files.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.cli import run
from generator.config import target_for
from generator.diagnostics import Diagnostics
from generator.pipeline import Options, analyse
from generator.render import RenderOptions, render_package
from tests.conftest import CORPUS

SPEC = CORPUS / "twilio-messaging-v1.yaml"
OPERATION = ("/v1/Services/{ServiceSid}/AlphaSenders/{Sid}", "get")
GROUP_MODULE = "messaging_v1_alpha_sender"
SCHEMA = "messaging.v1.service.alpha_sender"
FIXED = re.compile(r"(^|/)(_runtime/|errors\.py$|(?<!models/)__init__\.py$|py\.typed$|pyproject\.toml$)")

pytestmark = pytest.mark.skipif(not SPEC.is_file(), reason="corpus not available")


def render(data: dict[str, Any], folder: Path) -> dict[str, str]:
    folder.mkdir(parents=True)
    spec = folder / "api.json"
    spec.write_text(json.dumps(data), encoding="utf-8")
    target = target_for(spec, None, "msg", None)
    _, api, problems = analyse(target, Options())
    assert api is not None, [p.format() for p in problems]
    options = RenderOptions(package="msg", spec_name=spec.name, spec_sha256="-")
    return render_package(api, options, Diagnostics())


@pytest.fixture(scope="module")
def original(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], dict[str, str]]:
    data = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    return data, render(data, tmp_path_factory.mktemp("base") / "spec")


def operation(data: dict[str, Any]) -> dict[str, Any]:
    path, method = OPERATION
    op: dict[str, Any] = data["paths"][path][method]
    return op


def edit_description(data: dict[str, Any]) -> None:
    operation(data)["description"] = "Fetch one Alpha Sender (edited)."


def add_parameter(data: dict[str, Any]) -> None:
    operation(data).setdefault("parameters", []).append(
        {"name": "Verbose", "in": "query", "schema": {"type": "boolean"}}
    )


def remove_operation(data: dict[str, Any]) -> None:
    del data["paths"][OPERATION[0]][OPERATION[1]]


def add_schema_property(data: dict[str, Any]) -> None:
    data["components"]["schemas"][SCHEMA]["properties"]["label"] = {"type": "string"}


def add_operation_in_new_group(data: dict[str, Any]) -> None:
    data["paths"]["/v1/Zebras"] = {
        "get": {
            "operationId": "ListZebra",
            "tags": ["Zebras"],
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object", "properties": {"stripes": {"type": "integer"}}}}}}},
        }
    }


EDITS: dict[str, tuple[Callable[[dict[str, Any]], None], set[str], set[str]]] = {
    # edit: (function, files that must change, files that may change besides tests)
    "operation description": (edit_description, {f"msg/resources/{GROUP_MODULE}.py"}, {"README.md"}),
    "new query parameter": (add_parameter, {f"msg/resources/{GROUP_MODULE}.py"}, {"README.md", "msg/validators.json"}),
    "operation removed": (remove_operation, {f"msg/resources/{GROUP_MODULE}.py"}, {"README.md"}),
    "schema property added": (
        add_schema_property,
        {"msg/models/_messaging_v1_service_alpha_sender.py"},
        {"msg/validators.json", "README.md"},
    ),
    "new operation in a new group": (
        add_operation_in_new_group,
        {"msg/resources/zebras.py", "msg/_client.py", "msg/models/_list_zebra_response.py"},
        {"README.md", "msg/models/__init__.py", "msg/validators.json"},
    ),
}


@pytest.mark.parametrize("name", sorted(EDITS))
def test_one_change_rewrites_only_the_files_it_concerns(name: str, original: tuple[dict[str, Any], dict[str, str]], tmp_path: Path) -> None:
    data, before = original
    edit, must, may = EDITS[name]
    changed_data = copy.deepcopy(data)
    edit(changed_data)
    after = render(changed_data, tmp_path / "spec")
    changed = {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
    tests = {p for p in changed if p.startswith("tests/")}
    assert must <= changed, f"{name}: expected {must} to change, got {sorted(changed)}"
    assert changed - tests <= must | may, f"{name}: unrelated files rewritten: {sorted(changed - tests - must - may)}"
    assert not [p for p in changed if FIXED.search(p)], sorted(changed)
    assert len(tests) <= 2, f"{name}: {len(tests)} test files rewritten: {sorted(tests)}"
    assert len(changed) <= 0.15 * len(after), f"{name}: {len(changed)} of {len(after)} files rewritten"


@pytest.mark.slow
def test_regenerating_after_one_operation_edit_writes_few_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    spec, out = tmp_path / "api.json", tmp_path / "out"
    spec.write_text(json.dumps(data))
    assert run(["generate", str(spec), "-o", str(out), "--package", "msg", "-q"]) == 0
    add_parameter(data)
    spec.write_text(json.dumps(data))
    capsys.readouterr()
    assert run(["generate", str(spec), "-o", str(out), "--package", "msg"]) == 0
    summary = capsys.readouterr().err
    written = re.search(r"(\d+) files written, 0 removed, (\d+) unchanged", summary)
    assert written is not None, summary
    assert int(written.group(1)) <= 4 and int(written.group(2)) > 40, summary
