r"""ECMA-262 regular expressions (OpenAPI / JSON Schema ``pattern``) → Python ``re``.

``translate(pattern)`` answers how the generated client runs a pattern with exactly its
ECMA-262 meaning (an unanchored search, as JSON Schema requires):

- ``engine="re"``: ``python`` is a Python ``re`` pattern to use with ``re.search`` and no flags;
- ``engine="regress"``: Python ``re`` cannot express it (``\p{…}``, backreferences, pattern
  modifiers, variable-length lookbehind); the client compiles the ECMA source with the
  ``regress`` package: ``regress.Regex(pattern, REGRESS_FLAGS)``;
- ``engine="invalid"``: the pattern is not valid ECMA-262; ``reason`` says why and where.

**Mode: Unicode (``u`` flag), always.** JSON Schema 2020-12 (and so OpenAPI 3.1) asks for
patterns to be built with the ``u`` flag, Ajv and most validators compile them that way, and
``u`` mode matches code points, as Python strings are. Consequences: ``\p{…}``, ``\u{…}`` and
surrogate-pair escapes are understood; Annex B leniencies (``\_``, ``\a``, a lone ``]`` or
``{``, ``\c1``, octal escapes, ``\8``) are syntax errors, reported as ``invalid``. ``regress``,
the oracle for validity, is asked in the same mode; a pattern is ``invalid`` when either our
grammar or ``regress`` rejects it (``regress`` accepts a few invalid forms such as ``\b+``).

What differs from Python and how it is translated (no flags, ``re.search``):

==================  ==========================================================================
ECMA-262            Python ``re``
==================  ==========================================================================
``.``               ``[^\n\r\u2028\u2029]`` (ECMA excludes every line terminator)
``\d`` ``\w``       ASCII only: ``[0-9]``, ``[0-9A-Z_a-z]`` (``\D`` ``\W``: complements)
``\s`` ``\S``       ECMA WhiteSpace + LineTerminator as an explicit class (Python's ``\s``
                    differs: ``\x1c``-``\x1f``, ``\x85`` in, ``\ufeff`` out)
``\b``              ``(?a:\b)`` (ASCII word characters)
``\B``              lookarounds on ``[0-9A-Z_a-z]`` (Python's ``\B`` never matches ``""``)
``^`` ``$``         ``^``, ``\Z`` (Python's ``$`` also matches before a final newline)
``(?<n>…)``         ``(?P<n>…)`` (an unnamed group when ``n`` is not an ASCII identifier)
``[^]`` ``[]``      ``(?s:.)``, ``(?!)``
escapes             ``\cX`` ``\0`` ``\xHH`` ``\uHHHH`` ``\u{H…}``, surrogate pairs, ``\/``,
                    ``[\-]``, ``[\b]``: the code points they denote, escaped for ``re``
``[…]``             items kept in source order, ``\d`` ``\w`` ``\s`` expanded; a class with
                    ``\D`` ``\W`` ``\S`` is evaluated to code-point ranges
``(?<=…)``          kept when fixed-width, else ``regress``
``{n,m}``           kept (``regress`` above Python's repeat limit)
==================  ==========================================================================

Output is ASCII and deterministic: non-ASCII and non-printable code points are escaped.
"""

from __future__ import annotations

import re
import warnings
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Final, Literal, TypeAlias, assert_never

import regress

__all__ = [
    "REGRESS_FLAGS",
    "Alternation",
    "Anchor",
    "Backref",
    "CharClass",
    "Concat",
    "EcmaSyntaxError",
    "Engine",
    "Group",
    "Literal_",
    "Look",
    "Node",
    "Parsed",
    "PropertyClass",
    "Ranges",
    "Repeat",
    "children",
    "contains",
    "has_nested_empty_loop",
    "parse",
    "translate",
    "walk",
]

REGRESS_FLAGS: Final = "u"
"""Flags for ``regress.Regex(pattern, REGRESS_FLAGS)``: the mode this module translates for."""

Engine: TypeAlias = Literal["re", "regress", "invalid"]
Ranges: TypeAlias = tuple[tuple[int, int], ...]
"""Sorted, disjoint, non-adjacent inclusive code-point ranges."""

MAX_CODE_POINT: Final = 0x10FFFF
_MAX_DEPTH: Final = 100
_RE_MAX_REPEAT: Final = 2**31 - 1
_USES_REGRESS: Final = "; uses the regress ECMA engine"
_NESTED_EMPTY_LOOP: Final = (
    "; caution: a quantifier over a possibly empty match nested in another quantifier can make "
    "regress exhaust memory on non-matching input"
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Translation:
    """How to run one ECMA-262 pattern in Python (see the module docstring)."""

    python: str | None
    engine: Engine
    reason: str | None


class EcmaSyntaxError(ValueError):
    """The pattern is not valid ECMA-262 (Unicode mode)."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(f"{message} at offset {offset}")
        self.message = message
        self.offset = offset


class _TooDeep(Exception):
    """Nesting beyond what the recursive parser (and Python re) should take."""


# ---------------------------------------------------------------------------------------------
# Code-point sets


def _normalize(ranges: Iterable[tuple[int, int]]) -> Ranges:
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(ranges):
        if merged and lo <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return tuple(merged)


def _complement(ranges: Ranges) -> Ranges:
    result: list[tuple[int, int]] = []
    start = 0
    for lo, hi in ranges:
        if lo > start:
            result.append((start, lo - 1))
        start = hi + 1
    if start <= MAX_CODE_POINT:
        result.append((start, MAX_CODE_POINT))
    return tuple(result)


def contains(ranges: Ranges, code_point: int) -> bool:
    """Whether ``code_point`` lies in ``ranges``."""
    index = bisect_right(ranges, (code_point, MAX_CODE_POINT + 1)) - 1
    return index >= 0 and ranges[index][0] <= code_point <= ranges[index][1]


DIGIT: Final[Ranges] = ((0x30, 0x39),)
WORD: Final[Ranges] = ((0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A))
SPACE: Final[Ranges] = _normalize(
    [(0x09, 0x0D), (0x20, 0x20), (0xA0, 0xA0), (0x1680, 0x1680), (0x2000, 0x200A),
     (0x2028, 0x2029), (0x202F, 0x202F), (0x205F, 0x205F), (0x3000, 0x3000), (0xFEFF, 0xFEFF)]
)  # fmt: skip
LINE_TERMINATORS: Final[Ranges] = ((0x0A, 0x0A), (0x0D, 0x0D), (0x2028, 0x2029))
DOT: Final[Ranges] = _complement(LINE_TERMINATORS)
_COMPLEMENT_ESCAPES: Final = (_complement(DIGIT), _complement(WORD), _complement(SPACE))
_CLASS_ESCAPES: Final[dict[str, Ranges]] = {
    "d": DIGIT,
    "D": _COMPLEMENT_ESCAPES[0],
    "w": WORD,
    "W": _COMPLEMENT_ESCAPES[1],
    "s": SPACE,
    "S": _COMPLEMENT_ESCAPES[2],
}


# ---------------------------------------------------------------------------------------------
# Syntax tree: every node carries its source span [at, end).


@dataclass(frozen=True, slots=True, kw_only=True)
class Literal_:
    """One code point, matched as itself."""

    at: int
    end: int
    code_point: int


@dataclass(frozen=True, slots=True, kw_only=True)
class CharClass:
    """``[…]``, ``.``, ``\\d`` and friends, evaluated to the code points they match.

    ``written`` keeps a bracketed class's items in source order (``\\d``, ``\\w``, ``\\s``
    expanded) so that the translation reads like the source; None when an item is a
    complement (``\\D``, ``\\W``, ``\\S``) and only ``ranges`` can say it.
    """

    at: int
    end: int
    ranges: Ranges
    written: tuple[tuple[int, int], ...] | None = None
    negated: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class PropertyClass:
    """``\\p{…}``/``\\P{…}``, or a class containing one: only regress knows its members."""

    at: int
    end: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Anchor:
    at: int
    end: int
    kind: Literal["start", "end", "word", "not-word"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Look:
    """``(?=…)`` ``(?!…)`` ``(?<=…)`` ``(?<!…)``."""

    at: int
    end: int
    child: Node
    behind: bool
    negated: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class Group:
    """``(…)``, ``(?<name>…)``, ``(?:…)`` and ``(?ims-ims:…)`` (``modifiers``)."""

    at: int
    end: int
    child: Node
    index: int | None
    name: str | None = None
    modifiers: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Repeat:
    at: int
    end: int
    child: Node
    min: int
    max: int | None
    greedy: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class Backref:
    """``\\1`` or ``\\k<name>``."""

    at: int
    end: int
    index: int | None
    name: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Concat:
    at: int
    end: int
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Alternation:
    at: int
    end: int
    options: tuple[Node, ...]


Node: TypeAlias = (
    Literal_ | CharClass | PropertyClass | Anchor | Look | Group | Repeat | Backref | Concat
    | Alternation
)  # fmt: skip


def children(node: Node) -> tuple[Node, ...]:
    """The direct sub-nodes of ``node``."""
    match node:
        case Look() | Group() | Repeat():
            return (node.child,)
        case Concat():
            return node.items
        case Alternation():
            return node.options
        case Literal_() | CharClass() | PropertyClass() | Anchor() | Backref():
            return ()
        case _:
            assert_never(node)


def walk(node: Node) -> Iterator[Node]:
    """``node`` and all its descendants, in pattern order."""
    yield node
    for child in children(node):
        yield from walk(child)


@dataclass(frozen=True, slots=True, kw_only=True)
class Parsed:
    """A syntactically valid pattern and what keeps Python ``re`` from running it, if anything."""

    source: str
    tree: Node
    unsupported: tuple[str, ...]

    def text(self, node: Node) -> str:
        """The ECMA source of ``node``."""
        return self.source[node.at : node.end]


# ---------------------------------------------------------------------------------------------
# Parser (ECMA-262 2025, Pattern[+UnicodeMode, +NamedCaptureGroups])

_SYNTAX_CHARACTERS: Final = frozenset("^$\\.*+?()[]{}|")
_CONTROL_ESCAPES: Final = {"f": 0x0C, "n": 0x0A, "r": 0x0D, "t": 0x09, "v": 0x0B}
_HEX: Final = frozenset("0123456789abcdefABCDEF")
_PROPERTY_NAME: Final = re.compile(r"[A-Za-z0-9_]+(?:=[A-Za-z0-9_]+)?")
_MODIFIERS: Final = re.compile(r"([ims]*)(?:-([ims]*))?:")
_BRACES: Final = re.compile(r"\{([0-9]+)(,([0-9]*))?\}")
_DIGITS: Final = re.compile(r"[0-9]*")
_DECIMAL_DIGITS: Final = frozenset("0123456789")


def _count_groups(source: str) -> int:
    """Count the capturing groups before parsing (``\\N`` may refer to a later group)."""
    count, pos, in_class = 0, 0, False
    while pos < len(source):
        char = source[pos]
        if char == "\\":
            pos += 1
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            count += _opens_capture(source, pos)
        pos += 1
    return count


def _opens_capture(source: str, pos: int) -> bool:
    """Whether the ``(`` at ``pos`` opens a capturing group: ``(…)`` or ``(?<name>…)``."""
    if not source.startswith("(?", pos):
        return True
    return source.startswith("(?<", pos) and source[pos + 3 : pos + 4] not in ("=", "!")


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.pos = 0
        self.group_count = _count_groups(source)
        self.named_refs: list[tuple[str, int]] = []
        self.groups_seen = 0
        self.names_seen: list[tuple[str, int]] = []
        self.unsupported: list[str] = []
        self.depth = 0

    # -- helpers --------------------------------------------------------------------------

    def error(self, message: str, offset: int | None = None) -> EcmaSyntaxError:
        return EcmaSyntaxError(message, self.pos if offset is None else offset)

    def peek(self, length: int = 1) -> str:
        return self.source[self.pos : self.pos + length]

    def eat(self, text: str) -> bool:
        if self.source.startswith(text, self.pos):
            self.pos += len(text)
            return True
        return False

    def next_char(self) -> str:
        if self.pos >= len(self.source):
            raise self.error("\\ at end of pattern")
        char = self.source[self.pos]
        self.pos += 1
        return char

    def need(self, reason: str) -> None:
        if reason not in self.unsupported:
            self.unsupported.append(reason)

    # -- structure ------------------------------------------------------------------------

    def pattern(self) -> Node:
        tree = self.disjunction()
        if self.pos < len(self.source):
            raise self.error("Unmatched ')'")
        names = {name for name, _ in self.names_seen}
        for name, at in self.named_refs:
            if name not in names:
                raise self.error("Invalid named capture referenced", at)
        return tree

    def disjunction(self) -> Node:
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise _TooDeep
        start = self.pos
        options = [self.alternative()]
        while self.eat("|"):
            options.append(self.alternative())
        self.depth -= 1
        if len(options) == 1:
            return options[0]
        return Alternation(at=start, end=self.pos, options=tuple(options))

    def alternative(self) -> Node:
        start = self.pos
        items: list[Node] = []
        while self.pos < len(self.source) and self.peek() not in "|)":
            items.append(self.term())
        if len(items) == 1:
            return items[0]
        return Concat(at=start, end=self.pos, items=tuple(items))

    def term(self) -> Node:
        start = self.pos
        atom, quantifiable = self.atom()
        quantifier_at = self.pos
        bounds = self.quantifier()
        if bounds is None:
            return atom
        if not quantifiable:
            raise self.error("Nothing to repeat", quantifier_at)
        low, high = bounds
        if max(low, high or 0) > _RE_MAX_REPEAT:
            self.need(f"repetition count above {_RE_MAX_REPEAT} (Python re's limit)")
        greedy = not self.eat("?")
        return Repeat(at=start, end=self.pos, child=atom, min=low, max=high, greedy=greedy)

    def quantifier(self) -> tuple[int, int | None] | None:
        char = self.peek()
        if char in ("*", "+", "?"):
            self.pos += 1
            return {"*": (0, None), "+": (1, None), "?": (0, 1)}[char]
        if char != "{":
            return None
        start = self.pos
        match = _BRACES.match(self.source, self.pos)
        if match is None:
            raise self.error("Incomplete quantifier", start)
        self.pos = match.end()
        low = int(match[1])
        high = low if match[2] is None else (int(match[3]) if match[3] else None)
        if high is not None and high < low:
            raise self.error("numbers out of order in {} quantifier", start)
        return low, high

    # -- atoms ----------------------------------------------------------------------------

    def atom(self) -> tuple[Node, bool]:
        start = self.pos
        char = self.next_char()
        if char in ("^", "$"):
            kind: Literal["start", "end"] = "start" if char == "^" else "end"
            return Anchor(at=start, end=self.pos, kind=kind), False
        if char == ".":
            return CharClass(at=start, end=self.pos, ranges=DOT), True
        if char == "(":
            return self.group(start)
        if char == "[":
            return self.character_class(start), True
        if char == "\\":
            return self.atom_escape(start)
        if char in ("*", "+", "?"):
            raise self.error("Nothing to repeat", start)
        if char in ("{", "}"):
            raise self.error("Lone quantifier brackets", start)
        if char == "]":
            raise self.error("Lone ']'", start)
        return Literal_(at=start, end=self.pos, code_point=ord(char)), True

    def group(self, start: int) -> tuple[Node, bool]:
        if self.eat("?="):
            return self.look(start, behind=False, negated=False), False
        if self.eat("?!"):
            return self.look(start, behind=False, negated=True), False
        if self.eat("?<="):
            return self.look(start, behind=True, negated=False), False
        if self.eat("?<!"):
            return self.look(start, behind=True, negated=True), False
        if self.eat("?<"):
            name = self.group_name()
            return self.group_body(start, capture=True, name=name), True
        if self.eat("?"):
            modifiers = self.modifiers()
            return self.group_body(start, capture=False, modifiers=modifiers), True
        return self.group_body(start, capture=True), True

    def group_body(
        self, start: int, *, capture: bool, name: str | None = None, modifiers: str | None = None
    ) -> Group:
        index = None
        if capture:
            self.groups_seen += 1
            index = self.groups_seen
        child = self.disjunction()
        if not self.eat(")"):
            raise self.error("Unterminated group", start)
        return Group(at=start, end=self.pos, child=child, index=index, name=name,
                     modifiers=modifiers)  # fmt: skip

    def modifiers(self) -> str | None:
        start = self.pos
        match = _MODIFIERS.match(self.source, self.pos)
        if match is None:
            raise self.error("Invalid group", start - 2)
        self.pos = match.end()
        added, removed = match[1], match[2]
        if removed is None and not added:
            return None
        flags = added + (removed or "")
        if not flags or len(set(flags)) != len(flags):
            raise self.error("Repeated or empty flags in modifiers group", start)
        self.need(f"pattern modifiers (?{match[0]}…) are not translated")
        return match[0][:-1]

    def group_name(self) -> str:
        start = self.pos
        name = ""
        while not self.eat(">"):
            if self.pos >= len(self.source):
                raise self.error("Invalid capture group name", start)
            char = self.name_char()
            if not _is_name_char(char, first=not name):
                raise self.error("Invalid capture group name", start)
            name += char
        if not name:
            raise self.error("Invalid capture group name", start)
        for other, other_at in self.names_seen:
            if other == name and not self.in_other_alternative(other_at):
                raise self.error("Duplicate capture group name", start)
        self.names_seen.append((name, start))
        return name

    def in_other_alternative(self, other_at: int) -> bool:
        """Conservative: duplicates are accepted only when a ``|`` lies between them."""
        return "|" in self.source[other_at : self.pos]

    def name_char(self) -> str:
        if not self.eat("\\u"):
            return self.next_char()
        code_point = self.unicode_escape_body(self.pos - 2)
        return chr(code_point)

    def look(self, start: int, *, behind: bool, negated: bool) -> Look:
        child = self.disjunction()
        if not self.eat(")"):
            raise self.error("Unterminated group", start)
        node = Look(at=start, end=self.pos, child=child, behind=behind, negated=negated)
        if behind and _width(child) is None:
            text = self.source[start : self.pos]
            self.need(f"variable-length lookbehind {text} has no Python re equivalent")
        return node

    # -- escapes --------------------------------------------------------------------------

    def atom_escape(self, start: int) -> tuple[Node, bool]:
        char = self.next_char()
        if char in ("b", "B"):
            kind: Literal["word", "not-word"] = "word" if char == "b" else "not-word"
            return Anchor(at=start, end=self.pos, kind=kind), False
        if char in _CLASS_ESCAPES:
            return CharClass(at=start, end=self.pos, ranges=_CLASS_ESCAPES[char]), True
        if char in ("p", "P"):
            self.property_escape(start)
            return PropertyClass(at=start, end=self.pos), True
        if char == "k":
            return self.named_backref(start), True
        if char in "123456789":
            return self.numbered_backref(start), True
        self.pos -= 1
        code_point = self.character_escape(start, in_class=False)
        return Literal_(at=start, end=self.pos, code_point=code_point), True

    def property_escape(self, start: int) -> None:
        match = _PROPERTY_NAME.match(self.source, self.pos + 1)
        if self.peek() != "{" or match is None or self.source[match.end() : match.end() + 1] != "}":
            raise self.error("Invalid property name", start)
        self.pos = match.end() + 1
        text = self.source[start : self.pos]
        self.need(f"{text} has no Python re equivalent")

    def named_backref(self, start: int) -> Backref:
        if not self.eat("<"):
            raise self.error("Invalid named reference", start)
        name = self.group_name_ref(start)
        self.named_refs.append((name, start))
        self.need_backref(start)
        return Backref(at=start, end=self.pos, index=None, name=name)

    def group_name_ref(self, start: int) -> str:
        name = ""
        while not self.eat(">"):
            if self.pos >= len(self.source):
                raise self.error("Invalid named reference", start)
            name += self.name_char()
        return name

    def numbered_backref(self, start: int) -> Backref:
        match = _DIGITS.match(self.source, self.pos)
        assert match is not None
        self.pos = match.end()
        index = int(self.source[start + 1 : self.pos])
        if index > self.group_count:
            raise self.error("Invalid escape", start)
        self.need_backref(start)
        return Backref(at=start, end=self.pos, index=index, name=None)

    def need_backref(self, start: int) -> None:
        text = self.source[start : self.pos]
        self.need(f"backreference {text}: ECMA-262 semantics (unset groups match empty, captures "
                  "reset on each repetition) differ from Python re")  # fmt: skip

    def character_escape(self, start: int, *, in_class: bool) -> int:
        """The code point of a CharacterEscape (or ClassEscape when ``in_class``)."""
        char = self.next_char()
        if char in _CONTROL_ESCAPES:
            return _CONTROL_ESCAPES[char]
        if char == "c":
            letter = self.peek()
            if not (letter.isascii() and letter.isalpha()):
                raise self.error("Invalid escape", start)
            self.pos += 1
            return ord(letter) % 32
        if char == "0" and self.peek() not in _DECIMAL_DIGITS:
            return 0
        if char == "x":
            return self.hex_digits(start, 2)
        if char == "u":
            return self.unicode_escape_body(start)
        if char in _SYNTAX_CHARACTERS or char == "/" or (in_class and char == "-"):
            return ord(char)
        raise self.error("Invalid escape", start)

    def hex_digits(self, start: int, count: int) -> int:
        digits = self.peek(count)
        if len(digits) != count or not set(digits) <= _HEX:
            raise self.error("Invalid escape" if count == 2 else "Invalid Unicode escape", start)
        self.pos += count
        return int(digits, 16)

    def unicode_escape_body(self, start: int) -> int:
        """After ``\\u``: ``{H…}``, ``HHHH``, or a surrogate pair ``HHHH\\uHHHH``."""
        if self.eat("{"):
            end = self.source.find("}", self.pos)
            digits = self.source[self.pos : end] if end >= 0 else ""
            if not digits or not set(digits) <= _HEX or int(digits, 16) > MAX_CODE_POINT:
                raise self.error("Invalid Unicode escape", start)
            self.pos = end + 1
            return int(digits, 16)
        lead = self.hex_digits(start, 4)
        if 0xD800 <= lead <= 0xDBFF and self.peek(2) == "\\u":
            trail_text = self.source[self.pos + 2 : self.pos + 6]
            if len(trail_text) == 4 and set(trail_text) <= _HEX:
                trail = int(trail_text, 16)
                if 0xDC00 <= trail <= 0xDFFF:
                    self.pos += 6
                    return 0x10000 + ((lead - 0xD800) << 10) + (trail - 0xDC00)
        return lead

    # -- character classes ----------------------------------------------------------------

    def character_class(self, start: int) -> Node:
        negated = self.eat("^")
        atoms: list[int | Ranges | None] = []
        while not self.eat("]"):
            if self.pos >= len(self.source):
                raise self.error("Unterminated character class", start)
            atoms.append(self.class_range())
        if None in atoms:
            return PropertyClass(at=start, end=self.pos)
        items = [item for atom in atoms for item in _as_items(atom)]
        ranges = _normalize(items)
        written = None if any(a in _COMPLEMENT_ESCAPES for a in atoms) else tuple(items)
        return CharClass(at=start, end=self.pos, ranges=_complement(ranges) if negated else ranges,
                         written=written, negated=negated)  # fmt: skip

    def class_range(self) -> int | Ranges | None:
        """One ClassAtom or range: a code point, ranges, or None for ``\\p{…}``."""
        atom_at = self.pos
        low = self.class_atom()
        if self.peek() != "-" or self.peek(2) == "-]":
            return low
        self.pos += 1
        high = self.class_atom()
        if not isinstance(low, int) or not isinstance(high, int):
            raise self.error("Invalid character class", atom_at)
        if low > high:
            raise self.error("Range out of order in character class", atom_at)
        return ((low, high),)

    def class_atom(self) -> int | Ranges | None:
        """A code point, a class escape's ranges, or None for ``\\p{…}``."""
        start = self.pos
        if start >= len(self.source):
            raise self.error("Unterminated character class")
        char = self.next_char()
        if char != "\\":
            return ord(char)
        char = self.next_char()
        if char == "b":
            return 0x08
        if char in _CLASS_ESCAPES:
            return _CLASS_ESCAPES[char]
        if char in ("p", "P"):
            self.property_escape(start)
            return None
        self.pos -= 1
        return self.character_escape(start, in_class=True)


def _as_items(atom: int | Ranges | None) -> Ranges:
    if atom is None:
        return ()
    return ((atom, atom),) if isinstance(atom, int) else atom


def _is_name_char(char: str, *, first: bool) -> bool:
    """RegExpIdentifierName characters (ID_Start/ID_Continue, ``$``, ZWNJ, ZWJ), approximated
    with Python identifiers; ``regress`` is asked too, so a disagreement cannot pass silently."""
    if char in ("$", "_"):
        return True
    if first:
        return char.isidentifier()
    return char in ("\u200c", "\u200d") or f"a{char}".isidentifier()


def _width(node: Node) -> int | None:
    """How many code points ``node`` always matches, or None when that varies."""
    match node:
        case Literal_() | CharClass() | PropertyClass():
            return 1
        case Anchor() | Look():
            return 0
        case Group():
            return _width(node.child)
        case Repeat():
            inner = _width(node.child)
            return None if inner is None or node.max != node.min else inner * node.min
        case Backref():
            return None
        case Concat():
            widths = [_width(item) for item in node.items]
            return None if None in widths else sum(w for w in widths if w is not None)
        case Alternation():
            options = {_width(option) for option in node.options}
            return options.pop() if len(options) == 1 else None
        case _:
            assert_never(node)


def _nullable(node: Node) -> bool:
    """Whether ``node`` can match the empty string."""
    match node:
        case Literal_() | CharClass() | PropertyClass():
            return False
        case Anchor() | Look() | Backref():
            return True
        case Group():
            return _nullable(node.child)
        case Repeat():
            return node.min == 0 or _nullable(node.child)
        case Concat():
            return all(_nullable(item) for item in node.items)
        case Alternation():
            return any(_nullable(option) for option in node.options)
        case _:
            assert_never(node)


def has_nested_empty_loop(node: Node, *, in_loop: bool = False) -> bool:
    """Whether a quantifier over something that can match empty sits inside a quantifier that
    repeats (``(?:(?:a*)?)*x``, ``(?:(?:a*){2}){2}x``).

    regress (2026.9.1) aborts the whole process (a 5 GiB allocation) or backtracks for minutes on
    such patterns when a match fails, so it must not be run on them; found by differential
    fuzzing, and this test is conservative (it also flags some harmless patterns).
    """
    if isinstance(node, Repeat):
        if in_loop and _nullable(node.child):
            return True
        in_loop = in_loop or node.max is None or node.max >= 2
    return any(has_nested_empty_loop(child, in_loop=in_loop) for child in children(node))


def parse(pattern: str) -> Parsed:
    """Parse an ECMA-262 pattern (Unicode mode); raise ``EcmaSyntaxError`` when invalid.

    Raises ``RecursionError`` for nesting deeper than the parser takes.
    """
    parser = _Parser(pattern)
    try:
        tree = parser.pattern()
    except _TooDeep:
        raise RecursionError(f"groups nested deeper than {_MAX_DEPTH}") from None
    return Parsed(source=pattern, tree=tree, unsupported=tuple(parser.unsupported))


# ---------------------------------------------------------------------------------------------
# Python emitter

_RE_SPECIAL: Final = frozenset(".^$*+?{}[]\\|()")
_RE_CLASS_SPECIAL: Final = frozenset("\\]^-[&~|")
_NAMED_ESCAPES: Final = {0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"}
_ANCHORS: Final = {
    "start": "^",
    "end": "\\Z",
    "word": "(?a:\\b)",
    # Python's \B never matches an empty string (before 3.14); ECMA's does.
    "not-word": "(?:(?<=[0-9A-Z_a-z])(?=[0-9A-Z_a-z])|(?<![0-9A-Z_a-z])(?![0-9A-Z_a-z]))",
}


def _escape(code_point: int, special: frozenset[str]) -> str:
    char = chr(code_point)
    if char in special:
        return "\\" + char
    if 0x20 <= code_point <= 0x7E:
        return char
    if code_point in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[code_point]
    if code_point <= 0xFF:
        return f"\\x{code_point:02x}"
    if code_point <= 0xFFFF:
        return f"\\u{code_point:04x}"
    return f"\\U{code_point:08x}"


def _class_body(items: tuple[tuple[int, int], ...]) -> str:
    parts: list[str] = []
    for lo, hi in items:
        parts.append(_escape(lo, _RE_CLASS_SPECIAL))
        if hi > lo + 1:
            parts.append("-")
        if hi > lo:
            parts.append(_escape(hi, _RE_CLASS_SPECIAL))
    return "".join(parts)


def _emit_class(node: CharClass) -> str:
    if node.written and not (node.negated and node.ranges == ()):
        return f"[{'^' if node.negated else ''}{_class_body(node.written)}]"
    return _emit_ranges(node.ranges)


def _emit_ranges(ranges: Ranges) -> str:
    if not ranges:
        return "(?!)"
    if ranges == ((0, MAX_CODE_POINT),):
        return "(?s:.)"
    if len(ranges) == 1 and ranges[0][0] == ranges[0][1]:
        return _escape(ranges[0][0], _RE_SPECIAL)
    positive = f"[{_class_body(ranges)}]"
    negative = f"[^{_class_body(_complement(ranges))}]"
    return negative if len(negative) < len(positive) else positive


def _quantifier(node: Repeat) -> str:
    if (node.min, node.max) == (0, None):
        text = "*"
    elif (node.min, node.max) == (1, None):
        text = "+"
    elif (node.min, node.max) == (0, 1):
        text = "?"
    elif node.max is None:
        text = f"{{{node.min},}}"
    elif node.max == node.min:
        text = f"{{{node.min}}}"
    else:
        text = f"{{{node.min},{node.max}}}"
    return text if node.greedy else text + "?"


def _python(tree: Node) -> str:
    """The Python ``re`` text of a tree that has no PropertyClass and no Backref."""
    names = Counter(node.name for node in walk(tree) if isinstance(node, Group) and node.name)
    usable = {name for name, uses in names.items() if uses == 1 and name.isascii()}
    return _Emitter(frozenset(name for name in usable if name.isidentifier())).emit(tree)


@dataclass(frozen=True, slots=True)
class _Emitter:
    names: frozenset[str]
    """Group names kept as ``(?P<name>…)``: unique ASCII identifiers (ECMA allows duplicates
    in separate alternatives and ``$`` in names; such groups become unnamed)."""

    def emit(self, node: Node) -> str:
        match node:
            case Literal_():
                return _escape(node.code_point, _RE_SPECIAL)
            case CharClass():
                return _emit_class(node)
            case Anchor():
                return _ANCHORS[node.kind]
            case Look():
                kind = ("<" if node.behind else "") + ("!" if node.negated else "=")
                return f"(?{kind}{self.emit(node.child)})"
            case Group():
                return self.group(node)
            case Repeat():
                return self.emit(node.child) + _quantifier(node)
            case Concat():
                return "".join(self.emit(item) for item in node.items)
            case Alternation():
                return "|".join(self.emit(option) for option in node.options)
            case PropertyClass() | Backref():
                raise ValueError("not expressible in Python re")
            case _:
                assert_never(node)

    def group(self, node: Group) -> str:
        body = self.emit(node.child)
        if node.index is None:
            return f"(?:{body})"
        if node.name in self.names:
            return f"(?P<{node.name}>{body})"
        return f"({body})"


# ---------------------------------------------------------------------------------------------
# translate


def _regress_error(pattern: str) -> str | None:
    """Why regress rejects ``pattern`` in Unicode mode, or None when it accepts it."""
    try:
        regress.Regex(pattern, REGRESS_FLAGS)
    except regress.RegressError as error:
        return f"{error} (regress)"
    except UnicodeError:  # a lone surrogate: regress takes UTF-8 only
        return None
    return None


def _python_error(python: str) -> str | None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            re.compile(python)
        except (re.error, OverflowError, RecursionError, Warning) as error:
            return str(error)
    return None


def _invalid(reason: str) -> Translation:
    return Translation(python=None, engine="invalid", reason=f"invalid ECMA-262 pattern: {reason}")


def _needs_regress(pattern: str, reasons: Iterable[str], caution: str = "") -> Translation:
    because = "; ".join(reasons)
    error = _regress_error(pattern)
    if error is not None:
        return _invalid(error)
    if any(0xD800 <= ord(char) <= 0xDFFF for char in pattern):
        return _invalid(f"{because}, and regress cannot take its lone surrogate")
    return Translation(python=None, engine="regress", reason=because + _USES_REGRESS + caution)


@lru_cache(maxsize=4096)
def translate(pattern: str) -> Translation:
    """How to run the ECMA-262 (Unicode mode) ``pattern`` in Python; see the module docstring."""
    try:
        parsed = parse(pattern)
    except EcmaSyntaxError as error:
        return _invalid(str(error))
    except RecursionError as error:
        return _needs_regress(pattern, [str(error)])
    if parsed.unsupported:
        caution = _NESTED_EMPTY_LOOP if has_nested_empty_loop(parsed.tree) else ""
        return _needs_regress(pattern, parsed.unsupported, caution)
    regress_error = _regress_error(pattern)
    if regress_error is not None:
        return _invalid(regress_error)
    python = _python(parsed.tree)
    python_error = _python_error(python)
    if python_error is not None:
        return _needs_regress(pattern, [f"Python re rejects the translation ({python_error})"])
    return Translation(python=python, engine="re", reason=None)
