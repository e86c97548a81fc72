"""`[tool.oagen.lint]` of the nearest pyproject.toml → a `LintConfig`.

    [tool.oagen.lint.rules]              # severity per rule: "error", "warning", "info" or "off"
    pattern-ecma-only = "info"
    security-scheme-unused = "off"

    [[tool.oagen.lint.ignore]]           # one place, with the reason it is fine
    rule = "pattern-unanchored-bound"
    pointer = "#/components/schemas/SenderId/pattern"   # this node and everything below it
    reason = "published by Twilio without `$`; kept as published"
    spec = "specs/twilio_comms.yaml"     # optional: only this spec (relative to pyproject.toml)

A pointer token `*` matches any one token (`#/components/schemas/*/pattern`). Every key is
checked: an unknown rule id, severity or key, or an ignore without a reason, is a configuration
error (exit 2), so that a typo cannot silently switch a check off.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import ConfigError, find_pyproject
from ..diagnostics import Diagnostic, Severity, split_pointer
from .registry import BY_ID
from .rule import Rule

SEVERITIES: dict[str, Severity | None] = {
    "error": Severity.ERROR,
    "warning": Severity.WARNING,
    "info": Severity.INFO,
    "off": None,
}
_IGNORE_KEYS = frozenset({"rule", "pointer", "reason", "spec"})


@dataclass(frozen=True, slots=True, kw_only=True)
class Ignore:
    rule: str
    pointer: tuple[str, ...]
    reason: str
    spec: Path | None = None

    def matches(self, diagnostic: Diagnostic, spec: Path) -> bool:
        if diagnostic.code != self.rule or (self.spec is not None and self.spec != spec.resolve()):
            return False
        tokens = split_pointer(diagnostic.origin.pointer)
        if len(tokens) < len(self.pointer):
            return False
        return all(want in ("*", got) for want, got in zip(self.pointer, tokens, strict=False))


@dataclass(frozen=True, slots=True, kw_only=True)
class LintConfig:
    severities: Mapping[str, Severity | None] = field(default_factory=dict)
    ignores: tuple[Ignore, ...] = ()

    def severity(self, rule: Rule) -> Severity | None:
        """The severity of `rule`'s findings; None when the rule is off."""
        return self.severities.get(rule.id, rule.severity)

    def ignored(self, diagnostic: Diagnostic, spec: Path) -> bool:
        return any(ignore.matches(diagnostic, spec) for ignore in self.ignores)


def load_config(start: Path) -> LintConfig:
    """The configuration of the nearest pyproject.toml from `start` (defaults without one)."""
    pyproject = find_pyproject(start.resolve())
    if pyproject is None:
        return LintConfig()
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{pyproject}: {exc}") from None
    table = data.get("tool", {}).get("oagen", {}).get("lint")
    if table is None:
        return LintConfig()
    return parse_config(table, pyproject.parent, f"{pyproject}: tool.oagen.lint")


def parse_config(table: Any, root: Path, where: str = "tool.oagen.lint") -> LintConfig:
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: must be a table")
    unknown = sorted(set(table) - {"rules", "ignore"})
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r} (expected `rules`, `ignore`)")
    return LintConfig(
        severities=_severities(table.get("rules", {}), f"{where}.rules"),
        ignores=tuple(
            _ignore(e, root, f"{where}.ignore[{i}]")
            for i, e in enumerate(_list(table.get("ignore", []), where))
        ),
    )


def _severities(table: Any, where: str) -> dict[str, Severity | None]:
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: must be a table of rule = severity")
    result: dict[str, Severity | None] = {}
    for rule, value in table.items():
        _known_rule(rule, where)
        if value not in SEVERITIES:
            raise ConfigError(f"{where}.{rule}: {value!r} is not one of {', '.join(SEVERITIES)}")
        result[rule] = SEVERITIES[value]
    return result


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise ConfigError(
            f"{where}.ignore: must be a list of tables (`[[tool.oagen.lint.ignore]]`)"
        )
    return value


def _ignore(entry: Any, root: Path, where: str) -> Ignore:
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: must be a table with rule, pointer and reason")
    unknown = sorted(set(entry) - _IGNORE_KEYS)
    if unknown:
        raise ConfigError(
            f"{where}: unknown key {unknown[0]!r} (expected rule, pointer, reason, spec)"
        )
    rule, pointer, reason, spec = (entry.get(k) for k in ("rule", "pointer", "reason", "spec"))
    _known_rule(rule, where)
    if not isinstance(pointer, str) or not pointer.startswith("#"):
        raise ConfigError(
            f'{where}: `pointer` must be a JSON pointer such as "#/components/schemas/Id"'
        )
    if not isinstance(reason, str) or not reason.strip():
        raise ConfigError(f"{where}: `reason` is required (why this place is fine)")
    if spec is not None and not isinstance(spec, str):
        raise ConfigError(f"{where}: `spec` must be a path")
    return Ignore(
        rule=str(rule),
        pointer=tuple(split_pointer(pointer[1:])),
        reason=reason.strip(),
        spec=(root / spec).resolve() if spec is not None else None,
    )


def _known_rule(rule: Any, where: str) -> None:
    if rule not in BY_ID:
        raise ConfigError(
            f"{where}: unknown rule {rule!r} (see `oagen lint --explain RULE`; rules: {', '.join(BY_ID)})"
        )
