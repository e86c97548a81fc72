"""`oagen lint`: located findings, exit codes, configured targets, JSON, --explain, the repo's
own spec, and the documentation that has to stay in step with the rules."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from generator.cli import run
from generator.lint import rules_table
from tests.conftest import ROOT

SEED = """
openapi: 3.1.0
info: {title: Comms copy, version: '1'}
servers: [{url: 'https://comms.test'}]
paths:
  /v1/Senders/{senderId}:
    get:
      operationId: fetchSender
      parameters:
        - {name: senderId, in: path, required: true, schema: {$ref: '#/components/schemas/SenderId'}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {id: {$ref: '#/components/schemas/SenderId'}}}
components:
  schemas:
    SenderId:
      type: string
      pattern: '^comms_sender_[0-7][a-hjkmnpqrstv-z0-9]{25,34}'
"""
DUPLICATE_IDS = SEED.replace("operationId: fetchSender", "operationId: same").replace(
    "components:",
    "  /v1/Other:\n    get: {operationId: same, responses: {'204': {description: none}}}\ncomponents:",
)


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from tmp_path: the repository's own [tool.oagen.lint] must not apply."""
    monkeypatch.chdir(tmp_path)


def test_seed_pattern_reports_the_missing_end_anchor_located(
    write_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    write_spec(SEED)
    line = (
        textwrap.dedent(SEED)
        .lstrip("\n")
        .splitlines()
        .index("      pattern: '^comms_sender_[0-7][a-hjkmnpqrstv-z0-9]{25,34}'")
        + 1
    )
    assert run(["lint", "api.yaml"]) == 0  # a warning
    out = capsys.readouterr()
    (finding,) = out.out.splitlines()
    assert finding.startswith(
        f"api.yaml:{line}:16: warning: pattern '^comms_sender_[0-7][a-hjkmnpqrstv-z0-9]{{25,34}}' "
        "has no end anchor `$` for the bound `{25,34}`"
    )
    assert finding.endswith("[pattern-unanchored-bound] [#/components/schemas/SenderId/pattern]")
    assert "oagen lint: 0 errors, 1 warning, 0 info in 1 spec" in out.err
    assert run(["lint", "--strict", "api.yaml"]) == 1


def test_an_error_finding_exits_1_and_findings_are_sorted(
    write_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    write_spec(DUPLICATE_IDS)
    assert run(["lint", "api.yaml"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(": ")[1] for line in lines] == ["error", "warning"]
    assert "[operation-id-duplicate] [#/paths/~1v1~1Other/get/operationId]" in lines[0]
    positions = [tuple(int(n) for n in line.split(":")[1:3]) for line in lines]
    assert positions == sorted(positions)


def test_unreadable_specs_exit_2(
    write_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    write_spec(SEED)
    write_spec("just: a mapping\n", "other.yaml")
    assert run(["lint", "api.yaml", "other.yaml"]) == 2
    err = capsys.readouterr().err
    assert "other.yaml:1:1: error: not an OpenAPI description" in err and "[not-openapi]" in err
    assert run(["lint", "missing.yaml"]) == 2


def test_configured_targets_and_their_ignores(
    write_spec: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_spec(SEED, "specs/comms.yaml")
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[[tool.oagen.targets]]\nspec = "specs/comms.yaml"\n')
    assert run(["lint", "--strict"]) == 1
    assert "specs/comms.yaml:" in capsys.readouterr().out
    pyproject.write_text(
        pyproject.read_text()
        + "\n[[tool.oagen.lint.ignore]]\n"
        + 'rule = "pattern-unanchored-bound"\n'
        + 'pointer = "#/components/schemas/SenderId/pattern"\n'
        + 'reason = "published that way"\n'
    )
    assert run(["lint", "--strict"]) == 0
    assert capsys.readouterr().out == ""


def test_invalid_configuration_and_missing_targets_exit_2(
    write_spec: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["lint"]) == 2  # no SPEC and no [tool.oagen] targets
    write_spec(SEED)
    (tmp_path / "pyproject.toml").write_text('[tool.oagen.lint.rules]\nno-such-rule = "off"\n')
    assert run(["lint", "api.yaml"]) == 2
    assert "unknown rule 'no-such-rule'" in capsys.readouterr().err


def test_json_format(write_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    write_spec(DUPLICATE_IDS)
    assert run(["lint", "--format", "json", "api.yaml"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["summary"] == {"specs": 1, "error": 1, "warning": 1, "info": 0}
    assert report["unreadable"] == []
    first = report["findings"][0]
    assert set(first) == {"file", "line", "column", "pointer", "rule", "severity", "message"}
    assert (first["file"], first["rule"], first["severity"]) == (
        "api.yaml",
        "operation-id-duplicate",
        "error",
    )
    assert first["pointer"] == "#/paths/~1v1~1Other/get/operationId"
    assert isinstance(first["line"], int) and isinstance(first["column"], int)


def test_explain(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["lint", "--explain", "pattern-unanchored-bound"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("pattern-unanchored-bound (default severity: warning)\n")
    assert "searched, not implicitly anchored" in out and "x-oagen-lint-ignore" in out
    assert run(["lint", "--explain", "nope"]) == 2
    assert "unknown rule 'nope'; rules: pattern-unanchored-bound," in capsys.readouterr().err


def test_our_own_spec_is_lint_clean(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    assert run(["lint", "--strict"]) == 0, capsys.readouterr().out


def test_readme_documents_every_rule() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert (
        rules_table() in readme
    ), "README's rules table is stale: paste generator.lint.rules_table()"
    assert "[[tool.oagen.lint.ignore]]" in readme and "x-oagen-lint-ignore" in readme


def test_pre_commit_hook_and_make_lint() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = [h for h in hooks if h["id"] == "oagen-lint"]
    assert hook["entry"] == "oagen lint" and hook["language"] == "python"
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    lint_target = makefile.split("\nlint:", 1)[1].split("\n\n", 1)[0]
    assert "$(BIN)/oagen lint" in lint_target


def test_each_spec_is_linted_once(
    write_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    write_spec(SEED)
    assert run(["lint", "api.yaml", "./api.yaml"]) == 0
    out = capsys.readouterr()
    assert len(out.out.splitlines()) == 1 and "in 1 spec" in out.err
