"""The escaping functions every spec string goes through, for any text at all (hypothesis):
a Python literal evaluates back to the value, a docstring compiles (even as a class docstring)
and keeps the text, a TOML string reads back, and none of them lets a raw control, bidi or
invisible character into the source.
"""

from __future__ import annotations

import ast
import inspect
import tomllib
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.diagnostics import INVISIBLE, escape_text
from generator.render import literals, testliterals
from generator.render.literals import comment, docstring, literal, toml_string

ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=60)
TRICKY = st.text(
    st.sampled_from(['"', "'", "\\", "\n", "\r", "\t", "\x00", "\x1b", "\u202e", "\u2028", "{", "}", "%", "#", "a", " ", "\ud800", "😀"]),
    max_size=40,
)
TEXT = st.one_of(ANY_TEXT, TRICKY)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)


def same(a: Any, b: Any) -> bool:
    """Equality that treats NaN as equal to itself."""
    if isinstance(a, float) and isinstance(b, float) and a != a:
        return b != b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


@settings(max_examples=300, deadline=None)
@given(JSON)
def test_a_literal_is_the_value_and_shows_no_invisible_character(value: Any) -> None:
    source = literal(value)
    assert INVISIBLE.search(source) is None and "\n" not in source
    tree = ast.parse(source, mode="eval")
    evaluated = eval(compile(tree, "<literal>", "eval"), {"float": float})
    assert same(evaluated, value)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_a_docstring_compiles_as_a_class_docstring_and_keeps_the_text(text: str) -> None:
    body = docstring(text, indent=4)
    assert INVISIBLE.search(body) is None
    namespace: dict[str, Any] = {}
    exec(compile(f'class C:\n    """{body}"""\n    x = 1\n', "<doc>", "exec"), namespace)
    doc = namespace["C"].__doc__ or ""
    assert namespace["C"].x == 1  # nothing after the docstring was swallowed
    expected = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    expected = "".join(f"\\u{ord(c):04x}" if "\ud800" <= c <= "\udfff" else c for c in expected)
    words = [w for w in expected.split() if w.strip('"')]
    cleaned = inspect.cleandoc(doc)
    position = 0
    for word in words:  # every word survives, in order (only whitespace is normalised)
        found = cleaned.find(word.strip('"'), position)
        assert found >= 0, (word, cleaned)
        position = found


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_a_toml_string_reads_back(text: str) -> None:
    source = toml_string(text)
    assert INVISIBLE.search(source) is None
    expected = "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in text)
    assert tomllib.loads(f"x = {source}")["x"] == expected


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_comments_and_messages_are_one_visible_line(text: str) -> None:
    for line in (comment(text), escape_text(text)):
        assert "\n" not in line and "\r" not in line
        assert INVISIBLE.search(line) is None
    ast.parse(f"x = 1  # {comment(text)}\n")


ASCII = st.text(st.characters(max_codepoint=127), max_size=40)
RUNS = st.text(st.sampled_from(["a", "'", '"', "\u00e9"]), min_size=12, max_size=40)


@settings(max_examples=500)
@given(st.one_of(TEXT, ASCII, RUNS))
def test_the_short_ways_to_a_string_literal_give_what_the_long_ways_give(text: str) -> None:
    """Plain ASCII skips `repr` and the escape passes, a string too short for a run skips the
    search for runs: the same source as the full path, for any text."""
    assert literals._string(text) == literals._quoted(text)
    assert testliterals._string(text) == testliterals._with_runs(text)
    assert testliterals._plain(text) == testliterals._NON_ASCII.sub(
        testliterals._escape, literal(text)
    )
