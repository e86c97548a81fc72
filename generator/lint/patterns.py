"""Rules about `pattern` keywords: bounds that anchors do not enforce, and how Python runs them.

JSON Schema (and so OpenAPI) patterns are ECMA-262 regular expressions matched anywhere in the
value (a search, not a full match). A repetition bound at an unanchored edge therefore bounds
nothing: `^[0-9]{5}` accepts `123456`. The analysis walks `ecma.parse`'s tree from each edge of
the pattern, skipping what can match empty, and stops at the first anchor, lookaround or
non-empty item; a bounded repetition found before stopping is not enforced on that side.
"""

from __future__ import annotations

from collections.abc import Iterator

from .. import ecma
from ..diagnostics import Origin, Severity
from ..ir import Pattern
from .context import LintContext
from .rule import Finding, Rule


def pattern_sites(ctx: LintContext) -> Iterator[tuple[Pattern, Origin]]:
    """Every `pattern` (and `patternProperties` key) in the IR, once per place."""
    seen: set[Origin] = set()
    for schema in ctx.schemas:
        sites = [
            (p, schema.origin.child("patternProperties", p.ecma))
            for p, _ in schema.pattern_properties
        ]
        if schema.pattern is not None:
            sites.insert(0, (schema.pattern, schema.origin.child("pattern")))
        for pattern, origin in sites:
            if origin not in seen:
                seen.add(origin)
                yield pattern, origin


# --- pattern-unanchored-bound ----------------------------------------------------------------


def _bounded(node: ecma.Node) -> bool:
    return isinstance(node, ecma.Repeat) and node.max is not None and node.max >= 2


def _edge(node: ecma.Node, from_end: bool) -> tuple[ecma.Repeat | None, bool]:
    """The bounded repetition at one edge of `node`, and whether looking further is blocked."""
    match node:
        case ecma.Repeat() if _bounded(node):
            return node, True
        case ecma.Anchor() | ecma.Look():
            return None, True
        case ecma.Group():
            return _edge(node.child, from_end)
        case ecma.Concat():
            for item in reversed(node.items) if from_end else node.items:
                found, blocked = _edge(item, from_end)
                if found is not None or blocked:
                    return found, blocked
            return None, False
        case ecma.Alternation():
            results = [_edge(option, from_end) for option in node.options]
            found = next((r for r, _ in results if r is not None), None)
            return found, found is not None or all(b for _, b in results)
        case _:
            return None, not _nullable(node)


def _nullable(node: ecma.Node) -> bool:
    if isinstance(node, ecma.Repeat):
        return node.min == 0 or _nullable(node.child)
    if isinstance(node, ecma.Concat):
        return all(_nullable(item) for item in node.items)
    if isinstance(node, ecma.Alternation):
        return any(_nullable(option) for option in node.options)
    if isinstance(node, ecma.Group):
        return _nullable(node.child)
    return isinstance(node, ecma.Anchor | ecma.Look | ecma.Backref)


def unanchored_bounds(source: str) -> list[tuple[str, str]]:
    """[(missing anchor, quantifier text)] for each edge whose bound is not enforced."""
    try:
        parsed = ecma.parse(source)
    except (ecma.EcmaSyntaxError, RecursionError):
        return []
    problems = []
    for anchor, from_end in (("^", False), ("$", True)):
        found, _ = _edge(parsed.tree, from_end)
        if found is not None:
            problems.append((anchor, source[found.child.end : found.end]))
    return problems


def _bound_message(source: str, problems: list[tuple[str, str]], alternation: bool) -> str:
    parts = [
        f"no {'start anchor `^`' if a == '^' else 'end anchor `$`'} for the bound `{q}`"
        for a, q in problems
    ]
    side = " or ".join(
        "a value with anything after a match" if a == "$" else "a value with anything before it"
        for a, _ in problems
    )
    hint = " (`|` binds looser than `^` and `$`: group the alternatives)" if alternation else ""
    return (
        f"pattern {source!r} has {' and '.join(parts)}{hint}: patterns are searched, not fully "
        f"matched, so the bound is not enforced ({side} also matches)"
    )


def check_unanchored_bound(ctx: LintContext) -> Iterator[Finding]:
    for pattern, origin in pattern_sites(ctx):
        if pattern.engine == "invalid":
            continue
        problems = unanchored_bounds(pattern.ecma)
        if problems:
            alternation = _is_alternation(pattern.ecma)
            yield Finding(
                message=_bound_message(pattern.ecma, problems, alternation), origin=origin
            )


def _is_alternation(source: str) -> bool:
    try:
        return isinstance(ecma.parse(source).tree, ecma.Alternation)
    except (ecma.EcmaSyntaxError, RecursionError):
        return False


# --- pattern-invalid, pattern-ecma-only ------------------------------------------------------


def check_invalid(ctx: LintContext) -> Iterator[Finding]:
    for pattern, origin in pattern_sites(ctx):
        if pattern.engine == "invalid":
            reason = ecma.translate(pattern.ecma).reason or "invalid ECMA-262 pattern"
            yield Finding(message=f"{reason}; oagen cannot generate a client for it", origin=origin)


def check_ecma_only(ctx: LintContext) -> Iterator[Finding]:
    for pattern, origin in pattern_sites(ctx):
        if pattern.engine == "regress":
            reason = ecma.translate(pattern.ecma).reason or "Python re cannot express it"
            yield Finding(
                message=f"pattern {pattern.ecma!r}: Python `re` cannot run it with its ECMA-262 "
                f"meaning ({reason}); the generated client depends on the `regress` package",
                origin=origin,
            )


RULES = (
    Rule(
        id="pattern-unanchored-bound",
        severity=Severity.WARNING,
        summary="a pattern's length/repetition bound sits at an edge with no `^`/`$` anchor, so it is not enforced",
        explanation=(
            "OpenAPI patterns are ECMA-262 regular expressions that must match somewhere in the "
            "value: they are searched, not implicitly anchored. A bounded repetition at an "
            "unanchored edge therefore bounds nothing: `^comms_sender_[0-7][a-z0-9]{25,34}` has "
            "no `$`, so a 40-character id, or a valid id followed by anything, matches too; "
            "`[0-9]{5}$` accepts `123456`. Validators in every language (and oagen's generated "
            "clients, which keep the spec's meaning exactly) accept such values. Add the missing "
            "anchor if the whole value must match; beware that `^a|b$` anchors each alternative "
            "on one side only (write `^(?:a|b)$`)."
        ),
        check=check_unanchored_bound,
    ),
    Rule(
        id="pattern-invalid",
        severity=Severity.ERROR,
        summary="a pattern that is not a valid ECMA-262 (Unicode mode) regular expression",
        explanation=(
            "JSON Schema 2020-12 and OpenAPI 3.1 patterns are ECMA-262 regular expressions "
            "compiled with the `u` flag, as Ajv and most validators do. In that mode Annex B "
            "leniencies (`\\_`, a lone `{` or `]`, octal escapes) and other syntax errors are "
            "rejected, so clients in other languages disagree on what the pattern means. oagen "
            "refuses to generate a client from a spec with an invalid pattern (it cannot "
            "validate with it faithfully); fix the pattern, e.g. escape the lone bracket."
        ),
        check=check_invalid,
    ),
    Rule(
        id="pattern-ecma-only",
        severity=Severity.WARNING,
        summary="a pattern Python's `re` cannot run with its ECMA-262 meaning (the client then needs `regress`)",
        explanation=(
            "oagen translates ECMA-262 patterns into Python `re` patterns with exactly the same "
            "meaning (`\\d` is ASCII, `$` is the very end, `.` excludes every line terminator, "
            "…). Some constructs have no `re` equivalent: Unicode property escapes (`\\p{L}`), "
            "backreferences to named groups in some positions, pattern modifiers, variable-length "
            "lookbehind, repeat counts above Python's limit. For those the generated client runs "
            "the original pattern with the `regress` ECMA-262 engine, which becomes a runtime "
            "dependency of the generated package. Rewrite the pattern without those constructs "
            "if the dependency is unwanted, or turn the rule to `info`."
        ),
        check=check_ecma_only,
    ),
)
