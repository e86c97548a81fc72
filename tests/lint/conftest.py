"""Fixtures of the lint tests: lint a document (dict or text) with a given configuration."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.config import target_for
from generator.diagnostics import Diagnostic
from generator.lint import LintConfig, lint

LintDoc = Callable[..., list[Diagnostic]]


@pytest.fixture
def lint_doc(write_spec: Callable[..., Path]) -> LintDoc:
    """Lint `document` (a dict, or YAML/JSON text); findings of `rule` only when given."""

    def run(
        document: Any,
        rule: str | None = None,
        config: LintConfig | None = None,
        name: str = "api.yaml",
    ) -> list[Diagnostic]:
        text = document if isinstance(document, str) else yaml.safe_dump(document, sort_keys=False)
        spec = write_spec(text, name)
        result = lint([target_for(spec, None, None, None)], config or LintConfig())
        assert not any(r.unreadable for r in result.reports), result.reports
        return [d for d in result.findings if rule is None or d.code == rule]

    return run
