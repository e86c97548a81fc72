"""The lint rule record and what a rule's check returns.

A rule has a stable id (the `code` of its diagnostics), a default severity, a one-line summary
(the README's rules table), a one-paragraph explanation (`oagen lint --explain RULE`) and a
check: a function of the `LintContext` that yields findings (message + origin). Severity,
location and ignores are applied by `engine.py`, never by the checks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

from ..diagnostics import Origin, Severity

if TYPE_CHECKING:
    from .context import LintContext


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    message: str
    origin: Origin


Check: TypeAlias = "Callable[[LintContext], Iterable[Finding]]"


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule:
    id: str
    severity: Severity
    summary: str
    """One line: what the rule catches."""
    explanation: str
    """One paragraph: why it matters and what oagen does about it."""
    check: Check
