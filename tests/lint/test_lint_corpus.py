"""`oagen lint` over every spec of the shared corpus (slow): it must not crash; the findings per
rule and per spec are written to bench/LINT.md (`pytest -m slow tests/lint`)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from generator.config import target_for
from generator.diagnostics import Severity
from generator.lint import RULES, LintConfig, SpecReport, lint_target
from generator.pipeline import Options
from tests.conftest import CORPUS, ROOT

REPORT = ROOT / "bench" / "LINT.md"


def _specs() -> list[Path]:
    return sorted(p for p in CORPUS.rglob("*") if p.suffix in (".json", ".yaml", ".yml"))


@pytest.mark.slow
def test_lint_the_corpus() -> None:
    specs = _specs()
    assert specs, f"no corpus at {CORPUS}"
    reports = {spec.relative_to(CORPUS).as_posix(): _lint(spec) for spec in specs}
    REPORT.write_text(render(reports), encoding="utf-8")
    assert not any(r.unreadable for name, r in reports.items() if not name.startswith("invalid/"))


def _lint(spec: Path) -> SpecReport:
    report = lint_target(target_for(spec, None, None, None), LintConfig(), Options())
    for finding in report.findings:
        assert finding.code in {r.id for r in RULES}
        assert finding.line is not None, finding.format()
    return report


def render(reports: dict[str, SpecReport]) -> str:
    per_rule = Counter(d.code for r in reports.values() for d in r.findings)
    specs_per_rule = Counter(
        code for r in reports.values() for code in {d.code for d in r.findings}
    )
    lines = [
        "# `oagen lint` over the corpus",
        "",
        "Written by `tests/lint/test_lint_corpus.py` (`pytest -m slow tests/lint`): every spec in",
        "`shared/corpus/specs` (with `invalid/`), default severities, no ignores.",
        "",
        f"{len(reports)} specs, {sum(per_rule.values())} findings, "
        f"{sum(1 for r in reports.values() if r.unreadable)} unreadable.",
        "",
        "## Findings per rule",
        "",
        "| Rule | Default | Findings | Specs |",
        "| --- | --- | ---: | ---: |",
    ]
    lines += [
        f"| `{r.id}` | {r.severity.value} | {per_rule[r.id]} | {specs_per_rule[r.id]} |"
        for r in RULES
    ]
    lines += [
        "",
        "## Findings per spec",
        "",
        "| Spec | Errors | Warnings | Info | By rule |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    lines += [_spec_row(name, report) for name, report in reports.items()]
    return "\n".join(lines) + "\n"


def _spec_row(name: str, report: SpecReport) -> str:
    if report.unreadable:
        return f"| {name} | unreadable | | | {report.unreadable[0].code} |"
    counts = Counter(d.severity for d in report.findings)
    by_rule = Counter(d.code for d in report.findings)
    rules = ", ".join(
        f"{code} {n}" for code, n in sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    return f"| {name} | {counts[Severity.ERROR]} | {counts[Severity.WARNING]} | {counts[Severity.INFO]} | {rules} |"
