"""Lint one spec, or several: build the IR, run the enabled rules, apply the configuration.

Input: targets (spec paths and package names) and a `LintConfig`. Output: a `LintRun` with, per
spec, its findings as located, sorted `Diagnostic`s (the rule id is the `code`), or the problems
that kept it from being read. Nothing is printed here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..config import Target, load_targets, target_for
from ..diagnostics import Diagnostic, Severity, sorted_located
from ..pipeline import Options, analyse, display_path
from .config import LintConfig
from .context import LintContext
from .registry import RULES

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2


@dataclass(frozen=True, slots=True, kw_only=True)
class SpecReport:
    spec: str
    """The spec as shown to the user."""
    findings: tuple[Diagnostic, ...] = ()
    unreadable: tuple[Diagnostic, ...] = ()
    """Why the spec could not be read (then there are no findings)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class LintRun:
    reports: tuple[SpecReport, ...]

    @property
    def findings(self) -> list[Diagnostic]:
        return sorted((d for r in self.reports for d in r.findings), key=Diagnostic.sort_key)

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.findings if d.severity is severity)

    def exit_code(self, strict: bool = False) -> int:
        if any(r.unreadable for r in self.reports):
            return EXIT_UNREADABLE
        failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
        return EXIT_FINDINGS if any(d.severity in failing for d in self.findings) else EXIT_OK


def lint_targets(specs: Sequence[Path], cwd: Path) -> list[Target]:
    """The SPECs given, else every configured target; each spec once."""
    targets = [target_for(s, None, None, None) for s in specs] if specs else load_targets(cwd)[1]
    seen: set[Path] = set()
    unique = []
    for target in targets:
        if target.spec.resolve() not in seen:
            seen.add(target.spec.resolve())
            unique.append(target)
    return unique


def lint(targets: Iterable[Target], config: LintConfig, options: Options | None = None) -> LintRun:
    return LintRun(reports=tuple(lint_target(t, config, options or Options()) for t in targets))


def lint_target(target: Target, config: LintConfig, options: Options) -> SpecReport:
    workspace, api, build = analyse(target, options)
    shown = display_path(target.spec)
    if workspace is None or api is None:
        return SpecReport(spec=shown, unreadable=tuple(build))
    ctx = LintContext(workspace, api, build)
    kept = [
        d
        for d in _findings(ctx, config)
        if not ctx.ignored_inline(d.code, d.origin) and not config.ignored(d, target.spec)
    ]
    return SpecReport(spec=shown, findings=tuple(sorted_located(kept, workspace.locate_all)))


def _findings(ctx: LintContext, config: LintConfig) -> Iterator[Diagnostic]:
    for rule in RULES:
        severity = config.severity(rule)
        if severity is None:
            continue
        for finding in rule.check(ctx):
            yield Diagnostic(
                code=rule.id, severity=severity, message=finding.message, origin=finding.origin
            )
