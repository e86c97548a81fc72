"""Every lint rule, by id, in the order the README's table lists them (one family per module)."""

from __future__ import annotations

from . import build, features, names, patterns, responses, security, servers, values
from .rule import Rule

RULES: tuple[Rule, ...] = (
    *patterns.RULES,
    *names.RULES,
    *responses.RULES,
    *features.RULES,
    *security.RULES,
    *servers.RULES,
    *values.RULES,
    *build.RULES,
)
BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}
assert len(BY_ID) == len(RULES), "duplicate rule id"
