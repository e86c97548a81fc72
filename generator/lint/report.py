"""A `LintRun` → text for people or JSON for tools; rule explanations and the rules table.

Text: one `FILE:LINE:COL: severity: MESSAGE [rule-id] [#/pointer]` line per finding (stdout),
then a summary line (stderr). JSON (`--format json`, stdout):

    {"findings": [{"file", "line", "column", "pointer", "rule", "severity", "message"}, …],
     "unreadable": [same shape: why a spec could not be read],
     "summary": {"specs": n, "error": n, "warning": n, "info": n}}
"""

from __future__ import annotations

import json
import textwrap
from typing import Any

from ..config import ConfigError
from ..diagnostics import Diagnostic, Severity
from .context import IGNORE_KEY
from .engine import LintRun
from .registry import BY_ID, RULES


def text_lines(run: LintRun) -> list[str]:
    return [d.format() for d in run.findings]


def unreadable_lines(run: LintRun) -> list[str]:
    return [d.format() for report in run.reports for d in report.unreadable]


def summary_line(run: LintRun) -> str:
    counts = ", ".join(_plural(run.count(s), s.value) for s in Severity)
    return f"oagen lint: {counts} in {_plural(len(run.reports), 'spec')}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 or noun == "info" else f"{count} {noun}s"


def to_json(run: LintRun) -> str:
    document: dict[str, Any] = {
        "findings": [_finding(d) for d in run.findings],
        "unreadable": [_finding(d) for r in run.reports for d in r.unreadable],
        "summary": {"specs": len(run.reports), **{s.value: run.count(s) for s in Severity}},
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def _finding(d: Diagnostic) -> dict[str, Any]:
    return {
        "file": d.origin.file,
        "line": d.line,
        "column": d.column,
        "pointer": "#" + d.origin.pointer,
        "rule": d.code,
        "severity": d.severity.value,
        "message": d.message,
    }


def explain(rule_id: str) -> str:
    rule = BY_ID.get(rule_id)
    if rule is None:
        raise ConfigError(f"unknown rule {rule_id!r}; rules: {', '.join(BY_ID)}")
    body = textwrap.fill(rule.explanation, width=100)
    return (
        f"{rule.id} (default severity: {rule.severity.value})\n"
        f"{rule.summary}\n\n{body}\n\n"
        f'Configure in pyproject.toml: [tool.oagen.lint.rules] {rule.id} = "error" | "warning" | "info" | "off".\n'
        f"Ignore one place: `{IGNORE_KEY}: [{rule.id}]` on the node, or a [[tool.oagen.lint.ignore]] entry.\n"
    )


def rules_table() -> str:
    """The Markdown table of the README's "Linting specs" section."""
    rows = ["| Rule | Default | What it catches |", "| --- | --- | --- |"]
    rows += [f"| `{r.id}` | {r.severity.value} | {r.summary} |" for r in RULES]
    return "\n".join(rows) + "\n"
