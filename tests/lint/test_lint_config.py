"""`[tool.oagen.lint]`: severities, `off`, pointer ignores with reasons, inline ignores."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.config import ConfigError
from generator.diagnostics import Severity
from generator.lint import LintConfig, load_config, parse_config
from tests.lint.conftest import LintDoc
from tests.lint.specs import api, op, with_schema

UNANCHORED = {"type": "string", "pattern": "^[0-9]{5}"}
RULE = "pattern-unanchored-bound"


def _config(tmp_path: Path, **table: Any) -> LintConfig:
    return parse_config(table, tmp_path)


def test_severity_override_and_off(lint_doc: LintDoc, tmp_path: Path) -> None:
    doc = with_schema(UNANCHORED)
    (finding,) = lint_doc(doc, RULE, _config(tmp_path, rules={RULE: "error"}))
    assert finding.severity is Severity.ERROR
    assert lint_doc(doc, RULE, _config(tmp_path, rules={RULE: "off"})) == []


def test_pointer_ignore_covers_the_node_and_below(lint_doc: LintDoc, tmp_path: Path) -> None:
    doc = with_schema(UNANCHORED)
    for pointer in (
        "#/components/schemas/Thing/pattern",
        "#/components/schemas/Thing",
        "#/components/*/Thing",
    ):
        ignore = [{"rule": RULE, "pointer": pointer, "reason": "published so"}]
        assert lint_doc(doc, RULE, _config(tmp_path, ignore=ignore)) == [], pointer
    elsewhere = [{"rule": RULE, "pointer": "#/components/schemas/Other", "reason": "r"}]
    other_rule = [
        {"rule": "example-invalid", "pointer": "#/components/schemas/Thing", "reason": "r"}
    ]
    assert lint_doc(doc, RULE, _config(tmp_path, ignore=elsewhere))
    assert lint_doc(doc, RULE, _config(tmp_path, ignore=other_rule))


def test_pointer_ignore_can_name_its_spec(lint_doc: LintDoc, tmp_path: Path) -> None:
    doc = with_schema(UNANCHORED)
    entry = {"rule": RULE, "pointer": "#/components/schemas/Thing", "reason": "r"}
    assert lint_doc(doc, RULE, _config(tmp_path, ignore=[{**entry, "spec": "api.yaml"}])) == []
    assert lint_doc(doc, RULE, _config(tmp_path, ignore=[{**entry, "spec": "other.yaml"}]))


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"rules": {"no-such-rule": "off"}}, "unknown rule 'no-such-rule'"),
        ({"rules": {RULE: "loud"}}, "'loud' is not one of error, warning, info, off"),
        ({"ignores": []}, "unknown key 'ignores'"),
        ({"ignore": [{"rule": RULE, "pointer": "#/a"}]}, "`reason` is required"),
        ({"ignore": [{"rule": RULE, "pointer": "/a", "reason": "r"}]}, "must be a JSON pointer"),
        (
            {"ignore": [{"rule": RULE, "pointer": "#/a", "reason": "r", "why": 1}]},
            "unknown key 'why'",
        ),
        ({"ignore": {"rule": RULE}}, "must be a list of tables"),
    ],
)
def test_invalid_configuration_is_refused(
    table: dict[str, Any], message: str, tmp_path: Path
) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(")):
        parse_config(table, tmp_path)


def test_load_config_reads_the_nearest_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(f'[tool.oagen.lint.rules]\n{RULE} = "info"\n')
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    assert load_config(nested).severities == {RULE: Severity.INFO}
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    assert load_config(nested) == LintConfig()


def test_inline_ignore_applies_to_the_node_and_below(lint_doc: LintDoc) -> None:
    on_schema = with_schema({**UNANCHORED, "x-oagen-lint-ignore": [RULE]})
    assert lint_doc(on_schema, RULE) == []
    on_root = with_schema(UNANCHORED) | {"x-oagen-lint-ignore": RULE}
    assert lint_doc(on_root, RULE) == []
    other_rule = with_schema({**UNANCHORED, "x-oagen-lint-ignore": ["example-invalid"]})
    assert lint_doc(other_rule, RULE)


def test_inline_ignore_on_an_operation(lint_doc: LintDoc) -> None:
    quiet = api(
        paths={"/things": {"get": op(None, **{"x-oagen-lint-ignore": ["operation-id-missing"]})}}
    )
    assert lint_doc(quiet, "operation-id-missing") == []
    assert lint_doc(api(paths={"/things": {"get": op(None)}}), "operation-id-missing")
