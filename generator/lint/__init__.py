"""`oagen lint`: generator-aware checks of a spec, reported as located diagnostics.

rule.py       the rule record (id, default severity, explanation, check) and findings
context.py    what checks read: the IR, the documents, the build's own problems
patterns.py   patterns: unenforced bounds, invalid, needing the ECMA engine
names.py      operationIds; names that collide after Python naming; enum values
responses.py  success bodies without schema; inconsistent error model
features.py   202 answers that cannot be followed; pagination that cannot be matched
security.py   unused schemes; operations left without credentials
servers.py    missing servers; unresolvable server variables
values.py     examples and defaults that do not validate
build.py      the build's own errors and approximations
registry.py   every rule, by id
config.py     `[tool.oagen.lint]`: severities, ignores
engine.py     spec → findings (severity, inline and configured ignores, location, order)
report.py     findings → text or JSON; `--explain`; the README's rules table
"""

from __future__ import annotations

from .config import LintConfig, load_config, parse_config
from .engine import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_UNREADABLE,
    LintRun,
    SpecReport,
    lint,
    lint_target,
    lint_targets,
)
from .registry import BY_ID, RULES
from .report import explain, rules_table, summary_line, text_lines, to_json, unreadable_lines
from .rule import Finding, Rule

__all__ = [
    "BY_ID",
    "EXIT_FINDINGS",
    "EXIT_OK",
    "EXIT_UNREADABLE",
    "RULES",
    "Finding",
    "LintConfig",
    "LintRun",
    "Rule",
    "SpecReport",
    "explain",
    "lint",
    "lint_target",
    "lint_targets",
    "load_config",
    "parse_config",
    "rules_table",
    "summary_line",
    "text_lines",
    "to_json",
    "unreadable_lines",
]
