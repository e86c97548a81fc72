"""Strings that must match, and must not match, an ECMA-262 ``pattern``: test data for the
generated suites' validator tests.

The generator walks the ECMA syntax tree of ``generator.ecma`` (the same parse the translation
uses) with a ``random.Random`` seeded from the pattern text (SHA-512 based, so the output is the
same on every run, machine and ``PYTHONHASHSEED``). It prefers short, readable ASCII: ASCII
letters and digits first, each repetition at its minimum in the first sample and a few more
after that. Lookarounds produce nothing; a candidate that then fails is simply not kept.

Every string returned is checked against the ECMA meaning (``regress`` in Unicode mode is the
oracle) and against the Python ``re`` translation when there is one: valid strings match both,
invalid strings match neither (an unanchored search, as JSON Schema's ``pattern`` is).

Invalid strings are the boundary cases that tell the ECMA-262 meaning apart: a valid sample with
one character replaced by each code point just outside a character class (plus a non-ASCII
digit, letter or separator where the class holds ASCII ones: ``\\d``, ``\\w``, ``\\s`` are ASCII
or ECMA-specific), one repetition too few and too many, a wrong literal prefix, a character
before ``^`` or after ``$``, a trailing newline after ``$`` (Python's ``$`` accepts it) and the
empty string.

Work is bounded: a fixed number of attempts and a cap on sample length; a pattern for which no
valid sample is found gets none.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Final, assert_never

import regress

from . import ecma
from .ecma import (
    REGRESS_FLAGS,
    Alternation,
    Anchor,
    Backref,
    CharClass,
    Concat,
    Group,
    Literal_,
    Look,
    Node,
    Parsed,
    PropertyClass,
    Ranges,
    Repeat,
    contains,
    walk,
)

__all__ = ["Invalid", "Samples", "samples", "unanchored_end_extra"]

_ATTEMPTS_PER_SAMPLE: Final = 12
_MAX_LENGTH: Final = 2_000
_EXTRA_SPREAD: Final = 3
_POSITIONS_TRIED: Final = 3
_BOUNDARIES_PER_CLASS: Final = 8
_ALNUM: Final = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_PRINTABLE: Final = "".join(chr(c) for c in range(0x20, 0x7F) if chr(c) not in _ALNUM)
_UNICODE_PROBES: Final = "éßΩЖ中\u0663\u00a0\u2028\U0001f600"
_DIGIT_PROBE: Final = "\u0663"  # ARABIC-INDIC DIGIT THREE: Python's \d, not ECMA's
_LETTER_PROBE: Final = "é"  # Python's \w, not ECMA's
_SPACE_PROBE: Final = "\x1c"  # Python's \s, not ECMA's
_END_EXTRAS: Final = ("-extra", "_0", "x", "0", " ", "~")


@dataclass(frozen=True, slots=True)
class Invalid:
    """A string the pattern must reject, and the boundary it probes."""

    value: str
    why: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Samples:
    valid: tuple[str, ...]
    invalid: tuple[Invalid, ...]


class _TooLong(Exception):
    """A candidate grew beyond ``_MAX_LENGTH``."""


# ---------------------------------------------------------------------------------------------
# Oracle


class _Oracle:
    """ECMA meaning (regress) and Python translation, asked together.

    regress is not asked about patterns with nested loops over empty matches (see
    ``ecma.has_nested_empty_loop``: it can abort the process); the translation decides alone.
    """

    def __init__(self, parsed: Parsed, python: str | None) -> None:
        risky = ecma.has_nested_empty_loop(parsed.tree)
        self.ecma = None if risky else regress.Regex(parsed.source, REGRESS_FLAGS)
        self.python = re.compile(python) if python is not None else None

    def verdict(self, text: str) -> bool | None:
        """True/False when the engines agree that ``text`` matches / does not; else None."""
        verdicts = {self.python.search(text) is not None} if self.python is not None else set()
        if self.ecma is not None:
            try:
                verdicts.add(self.ecma.find(text) is not None)
            except UnicodeError:  # lone surrogates: regress takes UTF-8 only
                return None
        return verdicts.pop() if len(verdicts) == 1 else None


# ---------------------------------------------------------------------------------------------
# Character choice


def _tiered(chars: list[str]) -> tuple[str, ...]:
    """Alphanumeric ASCII if any, else printable ASCII, else whatever there is."""
    for tier in (_ALNUM, _PRINTABLE):
        chosen = tuple(c for c in chars if c in tier)
        if chosen:
            return chosen
    return tuple(chars)


@lru_cache(maxsize=1024)
def _class_choices(ranges: Ranges) -> tuple[str, ...]:
    readable = [c for c in _ALNUM + _PRINTABLE if contains(ranges, ord(c))]
    if readable:
        return _tiered(readable)
    firsts = [lo for lo, _ in ranges[:16]]
    visible = [chr(c) for c in firsts if not _is_control_or_surrogate(c)]
    return tuple(visible or [chr(c) for c in firsts])


def _is_control_or_surrogate(code_point: int) -> bool:
    """A fixed rule (not ``str.isprintable``, which follows Python's Unicode version)."""
    return code_point < 0x20 or 0x7F <= code_point < 0xA0 or 0xD800 <= code_point <= 0xDFFF


@lru_cache(maxsize=256)
def _property_members(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Probe characters inside and outside the class ``text`` (which holds a ``\\p{…}``)."""
    whole = regress.Regex(f"^(?:{text})$", REGRESS_FLAGS)
    probes = _ALNUM + _PRINTABLE + _UNICODE_PROBES
    inside = [c for c in probes if whole.find(c) is not None]
    outside = [c for c in probes if whole.find(c) is None]
    return _tiered(inside) if inside else (), _tiered(outside)[:2] if outside else ()


# ---------------------------------------------------------------------------------------------
# Generator


@dataclass(frozen=True, slots=True)
class _Char:
    """One generated character and the class or literal node that produced it."""

    text: str
    source: Node | None


@dataclass(slots=True)
class _Generator:
    parsed: Parsed
    rng: random.Random
    minimal: bool
    counts: Mapping[int, int] = field(default_factory=dict)
    captures: dict[int | str, str] = field(default_factory=dict)
    out: list[_Char] = field(default_factory=list)

    def run(self) -> tuple[_Char, ...]:
        self.gen(self.parsed.tree)
        return tuple(self.out)

    def emit(self, char: str, source: Node | None) -> None:
        if len(self.out) >= _MAX_LENGTH:
            raise _TooLong
        self.out.append(_Char(char, source))

    def gen(self, node: Node) -> None:
        match node:
            case Literal_():
                self.emit(chr(node.code_point), node)
            case CharClass():
                self.emit(self.pick(_class_choices(node.ranges)), node)
            case PropertyClass():
                self.emit(self.pick(_property_members(self.parsed.text(node))[0]), node)
            case Group():
                self.group(node)
            case Repeat():
                for _ in range(self.repetitions(node)):
                    self.gen(node.child)
            case Backref():
                key = node.index if node.index is not None else node.name
                for char in self.captures.get(key or "", ""):
                    self.emit(char, None)
            case Concat():
                for item in node.items:
                    self.gen(item)
            case Alternation():
                self.gen(self.rng.choice(node.options))
            case Anchor() | Look():
                pass
            case _:
                assert_never(node)

    def pick(self, choices: tuple[str, ...]) -> str:
        if not choices:
            raise _TooLong  # nothing to choose: no sample on this path
        return self.rng.choice(choices)

    def group(self, node: Group) -> None:
        start = len(self.out)
        self.gen(node.child)
        text = "".join(char.text for char in self.out[start:])
        if node.index is not None:
            self.captures[node.index] = text
        if node.name is not None:
            self.captures[node.name] = text

    def repetitions(self, node: Repeat) -> int:
        if node.at in self.counts:
            return self.counts[node.at]
        if self.minimal:
            return node.min or (1 if node.max is None or node.max >= 1 else 0)
        spread = _EXTRA_SPREAD if node.max is None else min(_EXTRA_SPREAD, node.max - node.min)
        return node.min + self.rng.randint(0, spread)


@dataclass(frozen=True, slots=True)
class _Sample:
    attempt: int
    chars: tuple[_Char, ...]

    @property
    def text(self) -> str:
        return "".join(char.text for char in self.chars)


def _generate(parsed: Parsed, attempt: int, counts: Mapping[int, int]) -> _Sample | None:
    rng = random.Random(f"{parsed.source}\x00{attempt}")
    generator = _Generator(parsed, rng, minimal=attempt == 0, counts=counts)
    try:
        return _Sample(attempt, generator.run())
    except _TooLong:
        return None


def _valid(parsed: Parsed, oracle: _Oracle, count: int) -> list[_Sample]:
    found: list[_Sample] = []
    seen: set[str] = set()
    for attempt in range(count * _ATTEMPTS_PER_SAMPLE):
        sample = _generate(parsed, attempt, {})
        if sample is None or sample.text in seen:
            continue
        seen.add(sample.text)
        if oracle.verdict(sample.text) is True:
            found.append(sample)
            if len(found) == count:
                break
    return found


# ---------------------------------------------------------------------------------------------
# Invalid candidates (each is checked by the oracle before it is kept)


def _replace(sample: _Sample, index: int, char: str) -> str:
    text = sample.text
    return text[:index] + char + text[index + 1 :]


def _outside(parsed: Parsed, node: CharClass | PropertyClass) -> list[str]:
    if isinstance(node, PropertyClass):
        return list(_property_members(parsed.text(node))[1])
    ranges = node.ranges
    chars: list[str] = []
    for lo, hi in ranges:
        for code_point in (lo - 1, hi + 1):
            if 0 <= code_point <= ecma.MAX_CODE_POINT and not contains(ranges, code_point):
                chars.append(chr(code_point))
    chars = list(dict.fromkeys(chars))[:_BOUNDARIES_PER_CLASS]
    probes = (
        (_DIGIT_PROBE, "0"),
        (_LETTER_PROBE, "a"),
        (_LETTER_PROBE, "A"),
        (_SPACE_PROBE, " "),
    )
    for probe, kind in probes:
        if contains(ranges, ord(kind)) and not contains(ranges, ord(probe)):
            chars.append(probe)
    return list(dict.fromkeys(chars))


def _class_boundaries(parsed: Parsed, valid: list[_Sample], oracle: _Oracle) -> Iterator[Invalid]:
    for node in walk(parsed.tree):
        if not isinstance(node, CharClass | PropertyClass):
            continue
        for sample in valid:
            positions = [i for i, char in enumerate(sample.chars) if char.source is node]
            if positions:
                yield from _replacements(parsed, node, sample, positions, oracle)
                break


def _replacements(
    parsed: Parsed,
    node: CharClass | PropertyClass,
    sample: _Sample,
    positions: list[int],
    oracle: _Oracle,
) -> Iterator[Invalid]:
    text = parsed.text(node)
    for char in _outside(parsed, node):
        for index in positions[:_POSITIONS_TRIED]:
            value = _replace(sample, index, char)
            if oracle.verdict(value) is False:
                why = f"{char!r} (U+{ord(char):04X}) is just outside {text} (index {index})"
                yield Invalid(value, why)
                break


def _repetitions(parsed: Parsed, base: _Sample) -> Iterator[Invalid]:
    for node in walk(parsed.tree):
        if not isinstance(node, Repeat):
            continue
        allowed = f"{node.min} to {'any' if node.max is None else node.max}"
        wrong = ([node.min - 1] if node.min > 0 else []) + (
            [] if node.max is None else [node.max + 1]
        )
        for count in wrong:
            sample = _generate(parsed, base.attempt, {node.at: count})
            if sample is not None:
                why = f"{count} repetitions of {parsed.text(node)} (allowed: {allowed})"
                yield Invalid(sample.text, why)


def _wrong_prefix(base: _Sample) -> Iterator[Invalid]:
    """The first character changed, when it comes from a literal (``^comms_``, ``^(SM|MM)``)."""
    if not base.chars or not isinstance(base.chars[0].source, Literal_):
        return
    old = base.chars[0].text
    new = old.swapcase() if old.isascii() and old.isalpha() else ("y" if old == "x" else "x")
    yield Invalid(_replace(base, 0, new), f"wrong literal prefix: {new!r} instead of {old!r}")


def _anchor_kinds(parsed: Parsed) -> set[str]:
    return {node.kind for node in walk(parsed.tree) if isinstance(node, Anchor)}


def _around_anchors(parsed: Parsed, base: _Sample) -> Iterator[Invalid]:
    kinds = _anchor_kinds(parsed)
    if "start" in kinds:
        yield Invalid("x" + base.text, "a character before the ^ anchor")
    if "end" in kinds:
        yield Invalid(base.text + "\n", "a trailing newline: ECMA-262 $ matches only at the end")
        yield Invalid(base.text + "x", "a character after the $ anchor")


def _invalid(parsed: Parsed, valid: list[_Sample], oracle: _Oracle) -> tuple[Invalid, ...]:
    candidates: list[Invalid] = [Invalid("", "the empty string")]
    if valid:
        base = valid[0]
        candidates[:0] = [
            *_class_boundaries(parsed, valid, oracle),
            *_repetitions(parsed, base),
            *_wrong_prefix(base),
            *_around_anchors(parsed, base),
        ]
    kept: dict[str, Invalid] = {}
    taken = {sample.text for sample in valid}
    for candidate in candidates:
        value = candidate.value
        if value not in kept and value not in taken and oracle.verdict(value) is False:
            kept[value] = candidate
    return tuple(kept.values())


# ---------------------------------------------------------------------------------------------
# API


def _prepare(pattern: str) -> tuple[Parsed, _Oracle] | None:
    translation = ecma.translate(pattern)
    if translation.engine == "invalid":
        return None
    try:
        parsed = ecma.parse(pattern)
        oracle = _Oracle(parsed, translation.python)
    except (RecursionError, UnicodeError, regress.RegressError):
        return None
    if oracle.ecma is None and oracle.python is None:
        return None
    return parsed, oracle


@lru_cache(maxsize=1024)
def _samples(pattern: str, count: int) -> Samples:
    prepared = _prepare(pattern)
    if prepared is None:
        return Samples(valid=(), invalid=())
    parsed, oracle = prepared
    valid = _valid(parsed, oracle, count)
    return Samples(
        valid=tuple(sample.text for sample in valid), invalid=_invalid(parsed, valid, oracle)
    )


def samples(pattern: str, *, count: int = 3) -> Samples:
    """Up to ``count`` strings that ``pattern`` (ECMA-262, Unicode mode, unanchored search)
    accepts, and the boundary strings it rejects; deterministic for a given pattern."""
    return _samples(pattern, count)


def unanchored_end_extra(pattern: str) -> str | None:
    """For a pattern with ``^`` but no ``$``: a valid sample with characters appended that the
    pattern still accepts (proof of search, not full-match, semantics); else None."""
    prepared = _prepare(pattern)
    if prepared is None:
        return None
    parsed, oracle = prepared
    kinds = _anchor_kinds(parsed)
    if "start" not in kinds or "end" in kinds:
        return None
    for text in samples(pattern).valid:
        for extra in _END_EXTRAS:
            if oracle.verdict(text + extra) is True:
                return text + extra
    return None
