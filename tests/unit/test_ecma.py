"""ECMA-262 → Python re translation: a construct table, invalid and regress-only patterns,
spot checks of the differences, and differential property tests against regress (the ECMA
oracle) over real-world patterns, generated patterns and the whole corpus."""

from __future__ import annotations

import functools
import json
import re
import warnings
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import regress
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import ecma
from generator.ecma import translate
from generator.regex_samples import samples

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "specs"

SETTINGS = settings(
    max_examples=60,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

# Characters on which ECMA-262 and Python re disagree, plus plain ones.
TRICKY = "abcxyzAZ_09-./ :@~\n\r\t\v\f\u2028\u2029\x85\x1c\x1f\xa0\ufeff\u3000é\u0663\u212a\u017f😀"

COMMS = (
    "^comms_senderpool_[0-7][a-hjkmnpqrstv-z0-9]{25,34}",
    "^comms_sender_[0-7][a-hjkmnpqrstv-z0-9]{25,34}",
    "^comms_operation_[0-7][a-hjkmnpqrstv-z0-9]{25,34}",
    "^[a-zA-Z0-9._~-]+$",
)
CORPUS_SAMPLES = (
    # twilio-api-v2010.yaml
    "^AC[0-9a-fA-F]{32}$",
    "^(SM|MM)[0-9a-fA-F]{32}$",
    # github-rest-api.json
    "^ssh-(rsa|dss|ed25519) |^ecdsa-sha2-nistp(256|384|521) ",
    "^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$",
    # adyen-terminal-v1.oas31.json
    "^.{1,100}$",
    '^[0-9A-Za-zÆØÅæøå!"#$%&()*+,\\-./:;<=>?@\\[\\]\\^_`{|}~ ]+$',
    # webflow.json
    "^[0-9]{4}-?[0-9]{2}-?[0-9]{2}( |T)?[0-9]{2}:?[0-9]{2}:?[0-9]{2}(.[0-9]{1,6})?"
    "(Z|[+][0-9]{2}(:|)[0-9]{2})$",
    "^[A-Za-z0-9][-+._A-Za-z0-9]*@([-_.A-Za-z0-9]+\\.)+[A-Za-z]{2,}$",
    "^(|las:organization:[a-z0-9-_]+/)las:plan:[a-z0-9-_]+(|:@[a-z0-9-_]+|:[0-9]+)$",
    # slack-web.json, docker, vercel
    "^[UW][A-Z0-9]{8,}$|^$",
    "^[\\\\w-]+$",
    "^\\d{10}\\.\\d{6}$",
    "^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$",
)
HANDWRITTEN = (
    "\\bfoo\\b",
    "\\Bx\\B",
    "^\\s*$",
    "\\S+@\\S+",
    "^(?=.*\\d)(?=.*[A-Z]).{8,}$",
    "(?<=\\$)\\d+(?!\\.)",
    "^[^\\W\\d_]+$",
    "^(?<year>\\d{4})-(?<month>0[1-9]|1[0-2])$",
    "[^]|[]",
)


def ecma_finds(pattern: str, text: str) -> bool:
    return regress.Regex(pattern, ecma.REGRESS_FLAGS).find(text) is not None


def python_finds(pattern: str, text: str) -> bool:
    python = translate(pattern).python
    assert python is not None
    return re.search(python, text) is not None


# ---------------------------------------------------------------------------------------------
# The construct table


@pytest.mark.parametrize(
    ("pattern", "python"),
    [
        # characters and classes that differ
        (".", "[^\\n\\r\\u2028\\u2029]"),
        ("\\d", "[0-9]"),
        ("\\D", "[^0-9]"),
        ("\\w", "[0-9A-Z_a-z]"),
        ("\\W", "[^0-9A-Z_a-z]"),
        ("\\s", "[\\t-\\r \\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]"),
        (
            "\\S",
            "[^\\t-\\r \\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]",
        ),
        ("[\\d-]", "[0-9\\-]"),
        ("[\\w.]", "[0-9A-Z_a-z.]"),
        ("[\\W\\d]", "[^A-Z_a-z]"),
        ("[^\\W\\d]", "[A-Z_a-z]"),
        ("[^]", "(?s:.)"),
        ("[]", "(?!)"),
        ("[a-hjkmnpqrstv-z0-9]", "[a-hjkmnpqrstv-z0-9]"),
        ("[a-z0-9-_]", "[a-z0-9\\-_]"),
        ("[&&~~||[]", "[\\&\\&\\~\\~\\|\\|\\[]"),
        ("[\\]\\\\^]", "[\\]\\\\\\^]"),
        # anchors and assertions
        ("^a$", "^a\\Z"),
        ("\\bx", "(?a:\\b)x"),
        (
            "\\B",
            "(?:(?<=[0-9A-Z_a-z])(?=[0-9A-Z_a-z])|(?<![0-9A-Z_a-z])(?![0-9A-Z_a-z]))",
        ),
        ("a(?=b)(?!c)", "a(?=b)(?!c)"),
        ("(?<=ab|cd)x(?<!e)", "(?<=ab|cd)x(?<!e)"),
        ("(?<=a{2})x", "(?<=a{2})x"),
        # groups
        ("(?<year>\\d{4})", "(?P<year>[0-9]{4})"),
        ("(?<$id>a)", "(a)"),
        ("(?<a>x)|(?<a>y)", "(x)|(y)"),
        ("(?<\\u0061>x)", "(?P<a>x)"),
        ("(?:a|b)(c)", "(?:a|b)(c)"),
        ("a|", "a|"),
        # escapes
        ("\\cJ\\cj", "\\n\\n"),
        ("\\0", "\\x00"),
        ("\\x41\\u0042\\u{43}", "ABC"),
        ("\\u{1F600}", "\\U0001f600"),
        ("\\uD83D\\uDE00", "\\U0001f600"),
        ("\\uD83D", "\\ud83d"),
        ("\\/\\.\\*\\(\\)\\[\\]\\{\\}\\|\\^\\$\\\\", "/\\.\\*\\(\\)\\[\\]\\{\\}\\|\\^\\$\\\\"),
        ("[\\-\\b\\cA]", "[\\-\\x08\\x01]"),
        ("\\t\\n\\v\\f\\r", "\\t\\n\\x0b\\x0c\\r"),
        ("é#", "\\xe9#"),
        # quantifiers
        ("a*b+c?", "a*b+c?"),
        ("a*?b+?c??", "a*?b+?c??"),
        ("a{2}b{2,}c{2,5}d{0,}e{1,}f{0,1}", "a{2}b{2,}c{2,5}d*e+f?"),
        ("a{2,}?", "a{2,}?"),
        (".{0,262144}", "[^\\n\\r\\u2028\\u2029]{0,262144}"),
    ],
)
def test_translation_table(pattern: str, python: str) -> None:
    translation = translate(pattern)
    assert translation == ecma.Translation(python=python, engine="re", reason=None)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        re.compile(python)


@pytest.mark.parametrize(
    ("pattern", "because"),
    [
        ("\\p{L}+", "\\p{L} has no Python re equivalent"),
        ("\\P{Lu}", "\\P{Lu} has no Python re equivalent"),
        ("\\p{Script=Greek}", "\\p{Script=Greek}"),
        ("[\\p{L}\\d_]", "\\p{L}"),
        ("(a)\\1", "backreference \\1"),
        ("(?<n>a)\\k<n>", "backreference \\k<n>"),
        ("\\k<n>(?<n>a)", "backreference \\k<n>"),
        ("(?i:a)b", "pattern modifiers (?i:…)"),
        ("(?-i:a)", "pattern modifiers (?-i:…)"),
        ("(?<=a+)b", "variable-length lookbehind (?<=a+)"),
        ("(?<!a|bc)d", "variable-length lookbehind"),
        ("a{4294967296}", "repetition count"),
    ],
)
def test_needs_regress(pattern: str, because: str) -> None:
    translation = translate(pattern)
    assert translation.engine == "regress"
    assert translation.python is None
    assert translation.reason is not None
    assert because in translation.reason
    assert translation.reason.endswith("uses the regress ECMA engine")
    regress.Regex(pattern, ecma.REGRESS_FLAGS)  # and regress can run it


def test_regress_caution_for_nested_empty_loops() -> None:
    reason = translate("\\p{L}(?:(?:a*)?)*x").reason
    assert reason is not None
    assert "caution" in reason


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        # Annex B identity escapes and lone brackets are errors in Unicode mode
        ("ab\\_", "Invalid escape at offset 2"),
        ("\\a", "Invalid escape at offset 0"),
        ("\\e", "Invalid escape at offset 0"),
        ("\\z", "Invalid escape at offset 0"),
        ("\\-", "Invalid escape at offset 0"),
        ("\\ ", "Invalid escape at offset 0"),
        ("[\\&]", "Invalid escape at offset 1"),
        ("a]", "Lone ']' at offset 1"),
        ("{", "Lone quantifier brackets at offset 0"),
        ("}", "Lone quantifier brackets at offset 0"),
        ("a{", "Incomplete quantifier at offset 1"),
        ("a{1", "Incomplete quantifier at offset 1"),
        ("a{,3}", "Incomplete quantifier at offset 1"),
        ("a{2,1}", "numbers out of order in {} quantifier at offset 1"),
        # control, octal, decimal escapes
        ("\\c1", "Invalid escape at offset 0"),
        ("\\c", "Invalid escape at offset 0"),
        ("\\1", "Invalid escape at offset 0"),
        ("(a)\\2", "Invalid escape at offset 3"),
        ("\\8", "Invalid escape at offset 0"),
        ("\\00", "Invalid escape at offset 0"),
        ("[\\1]", "Invalid escape at offset 1"),
        ("\\x4", "Invalid escape at offset 0"),
        ("\\u004", "Invalid Unicode escape at offset 0"),
        ("\\u{110000}", "Invalid Unicode escape at offset 0"),
        ("\\u{}", "Invalid Unicode escape at offset 0"),
        ("\\u{+3}", "Invalid Unicode escape at offset 0"),  # regress accepts this one
        ("\\", "\\ at end of pattern at offset 1"),
        # groups and references
        ("(", "Unterminated group at offset 0"),
        ("a)", "Unmatched ')' at offset 1"),
        ("(?<a>x)(?<a>y)", "Duplicate capture group name at offset 10"),
        ("(?<1a>x)", "Invalid capture group name at offset 3"),
        ("(?P<a>x)", "Invalid group at offset 0"),
        ("(?>x)", "Invalid group at offset 0"),
        ("(?ii:a)", "Repeated or empty flags in modifiers group at offset 2"),
        ("(?-:a)", "Repeated or empty flags in modifiers group at offset 2"),
        ("\\k<a>", "Invalid named capture referenced at offset 0"),
        ("\\k", "Invalid named reference at offset 0"),
        # classes
        ("[a", "Unterminated character class at offset 0"),
        ("[z-a]", "Range out of order in character class at offset 1"),
        ("[\\d-z]", "Invalid character class at offset 1"),
        ("[a-\\w]", "Invalid character class at offset 1"),
        ("\\p{L", "Invalid property name at offset 0"),
        # quantifiers on what cannot repeat
        ("a**", "Nothing to repeat at offset 2"),
        ("*a", "Nothing to repeat at offset 0"),
        ("^*", "Nothing to repeat at offset 1"),
        ("\\b+", "Nothing to repeat at offset 2"),  # regress accepts this one
        ("(?=a)*", "Nothing to repeat at offset 5"),
        ("(?<=a)?", "Nothing to repeat at offset 6"),
    ],
)
def test_invalid(pattern: str, message: str) -> None:
    translation = translate(pattern)
    assert translation.engine == "invalid"
    assert translation.python is None
    assert translation.reason == f"invalid ECMA-262 pattern: {message}"
    with pytest.raises(ecma.EcmaSyntaxError) as raised:
        ecma.parse(pattern)
    assert str(raised.value) == message


@pytest.mark.parametrize("pattern", ["\\p{Foo}", "\\p{RGI_Emoji}", "[\\p{L}--a]", "\\q{a}"])
def test_invalid_when_regress_rejects(pattern: str) -> None:
    translation = translate(pattern)
    assert translation.engine == "invalid"
    assert translation.reason is not None
    assert translation.reason.startswith("invalid ECMA-262 pattern: ")


@pytest.mark.parametrize("pattern", ["(" * 150 + ")" * 150, "(?:" * 120 + "a" + ")" * 120])
def test_deep_nesting_goes_to_regress_without_raising(pattern: str) -> None:
    translation = translate(pattern)
    assert translation.engine == "regress"
    assert translation.reason is not None
    assert "nested deeper" in translation.reason


# ---------------------------------------------------------------------------------------------
# Spot checks: the differences, asserted on both engines


@pytest.mark.parametrize(
    ("pattern", "text", "found"),
    [
        ("^a$", "a\n", False),  # Python's $ would accept the trailing newline
        ("^a$", "a", True),
        ("\\d", "\u0663", False),  # ARABIC-INDIC DIGIT THREE is a Python \d
        ("\\w", "é", False),
        ("\\w", "\u212a", False),  # KELVIN SIGN
        ("\\s", "\ufeff", True),  # ECMA WhiteSpace, not Python's \s
        ("\\s", "\x1c", False),  # Python's \s, not ECMA's
        ("\\s", "\x85", False),
        ("\\s", "\u3000", True),
        (".", "\n", False),
        (".", "\r", False),
        (".", "\u2028", False),
        (".", "\u2029", False),
        (".", "\x85", True),
        ("^.$", "😀", True),  # Unicode mode: one code point
        ("[^]", "\n", True),
        ("[]", "", False),
        ("\\bé", " é", False),  # é is not a word character: no boundary before it
        ("a\\b", "aé", True),
        ("\\B", "", True),  # Python's \B fails on an empty string
        ("^\\B$", "", True),
        ("x\\B", "x_", True),
        ("^comms_senderpool_", "Xcomms_senderpool_", False),
        ("comms", "xcomms", True),  # unanchored search
        ("[a-hjkmnpqrstv-z0-9]", "i", False),
        ("(?<=\\$)\\d", "$5", True),
        ("\\u{1F600}", "😀", True),
        ("\\cJ", "\n", True),
    ],
)
def test_semantics(pattern: str, text: str, found: bool) -> None:
    assert ecma_finds(pattern, text) is found
    assert python_finds(pattern, text) is found


def test_parse_gives_spans_and_sets() -> None:
    parsed = ecma.parse("^x[0-7]{2,3}")
    assert isinstance(parsed.tree, ecma.Concat)
    anchor, literal, repeat = parsed.tree.items
    assert isinstance(anchor, ecma.Anchor) and anchor.kind == "start"
    assert isinstance(literal, ecma.Literal_) and literal.code_point == ord("x")
    assert isinstance(repeat, ecma.Repeat) and (repeat.min, repeat.max) == (2, 3)
    assert parsed.text(repeat) == "[0-7]{2,3}"
    assert isinstance(repeat.child, ecma.CharClass)
    assert repeat.child.ranges == ((0x30, 0x37),)
    assert parsed.unsupported == ()


@pytest.mark.parametrize(
    ("pattern", "risky"),
    [
        ("(?:(?:a*)?)*x", True),
        ("(?:(?:a*){2}){2}x", True),
        ("(?:(?:a|)*)*x", True),
        ("(?:a*)*x", False),
        ("(?:(?:ab)*)*x", False),
        ("^[a-z0-9]+(?:-[a-z0-9]+)*$", False),
    ],
)
def test_nested_empty_loop_detection(pattern: str, risky: bool) -> None:
    assert ecma.has_nested_empty_loop(ecma.parse(pattern).tree) is risky


# ---------------------------------------------------------------------------------------------
# Differential property tests: translated re vs regress


def mutated(base: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """``base`` strings, and the same with one character replaced, inserted or removed, or a
    newline appended: the neighbourhood where ECMA and Python disagree."""

    def edit(parts: tuple[str, int, str, int]) -> str:
        text, index, char, how = parts
        index = min(index, len(text))
        return [
            text,
            text + "\n",
            text[:index] + char + text[index + 1 :],
            text[:index] + char + text[index:],
            text[:index] + text[index + 1 :],
        ][how]

    return st.tuples(base, st.integers(0, 40), st.sampled_from(TRICKY), st.integers(0, 4)).map(edit)


LOOKAROUND = re.compile(r"\(\?<?[=!]")


@functools.cache
def strings_for(pattern: str, python: str) -> st.SearchStrategy[str]:
    """Random strings, and strings near matches: samples of our own generator and, when
    hypothesis handles the pattern well (no lookarounds), its ``from_regex`` (kept short)."""
    sources = [st.text(alphabet=TRICKY, max_size=12)]
    valid = samples(pattern, count=5).valid
    if valid:
        sources.append(mutated(st.sampled_from(valid)))
    if not LOOKAROUND.search(python):
        sources.append(mutated(st.from_regex(python, fullmatch=True).map(lambda s: s[:40])))
    return st.one_of(sources)


@pytest.mark.parametrize("pattern", COMMS + CORPUS_SAMPLES + HANDWRITTEN)
@SETTINGS
@given(data=st.data())
def test_real_world_patterns_agree_with_regress(pattern: str, data: st.DataObject) -> None:
    translation = translate(pattern)
    assert translation.engine == "re", translation.reason
    assert translation.python is not None
    text = data.draw(strings_for(pattern, translation.python), label="text")
    assert python_finds(pattern, text) == ecma_finds(pattern, text)


ATOMS = (
    "a", "b", "_", "-", "é", "😀", ".", "\\d", "\\D", "\\w", "\\W", "\\s", "\\S", "[a-c]", "[^a]",
    "[\\d_]", "[^\\s\\d]", "[\\W\\d]", "[^]", "[]", "\\u{e9}", "\\x41", "\\n", "\\/", "[\\b]",
    "\\cJ", "\\0", "[\\-a]", "\\.", "\\u2028", "\\uD83D\\uDE00",
)  # fmt: skip
ASSERTIONS = ("^", "$", "\\b", "\\B")
QUANTIFIERS = ("", "", "*", "+", "?", "{2}", "{1,3}", "{0,}", "*?", "{2,}?")


def ecma_patterns() -> st.SearchStrategy[str]:
    def grow(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        group = st.sampled_from(["(", "(?:", "(?<g>"]).flatmap(
            lambda opening: inner.map(lambda body: f"{opening}{body})")
        )
        quantified = st.tuples(group, st.sampled_from(QUANTIFIERS)).map("".join)
        look = st.tuples(st.sampled_from(["(?=", "(?!", "(?<=", "(?<!"]), inner).map(
            lambda parts: f"{parts[0]}{parts[1]})"
        )
        sequence = st.lists(st.one_of(inner, quantified, look), min_size=1, max_size=3)
        return st.one_of(
            sequence.map("".join), st.tuples(inner, inner).map(lambda ab: f"{ab[0]}|{ab[1]}")
        )

    atom = st.tuples(st.sampled_from(ATOMS), st.sampled_from(QUANTIFIERS)).map("".join)
    leaf = st.one_of(atom, st.sampled_from(ASSERTIONS))
    return st.recursive(leaf, grow, max_leaves=6)


@settings(SETTINGS, max_examples=400)
@given(pattern=ecma_patterns(), texts=st.lists(st.text(alphabet=TRICKY, max_size=6), max_size=8))
def test_generated_patterns_agree_with_regress(pattern: str, texts: list[str]) -> None:
    translation = translate(pattern)
    if translation.engine != "re":
        return
    assert translation.python is not None
    if ecma.has_nested_empty_loop(ecma.parse(pattern).tree):
        return  # regress can abort the process on these (see has_nested_empty_loop)
    compiled = regress.Regex(pattern, ecma.REGRESS_FLAGS)
    for text in texts:
        assert (re.search(translation.python, text) is not None) == (
            compiled.find(text) is not None
        ), text


@settings(SETTINGS, max_examples=400)
@given(pattern=st.text(alphabet=list("a\\()[]{}?*+|^$.-,1203<>=!:kpPuxcbBdwsnLi_/é"), max_size=8))
def test_validity_agrees_with_regress(pattern: str) -> None:
    """Our grammar and regress agree on what is a syntax error, except where regress is lenient
    (``\\b+``, ``\\u{+3}``) or has no table (property names)."""
    try:
        regress.Regex(pattern, ecma.REGRESS_FLAGS)
        regress_ok = True
    except regress.RegressError:
        regress_ok = False
    try:
        ecma.parse(pattern)
        ours_ok = True
    except ecma.EcmaSyntaxError as error:
        ours_ok = False
        lenient = "Nothing to repeat" in error.message or "Unicode escape" in error.message
        if regress_ok and lenient:
            return
    if ours_ok and not regress_ok and "\\p" in pattern.lower():
        return
    assert ours_ok == regress_ok
    assert (translate(pattern).engine == "invalid") == (not ours_ok or not regress_ok)


# ---------------------------------------------------------------------------------------------
# The whole corpus


def _pattern_values(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                yield value
            yield from _pattern_values(value)
    elif isinstance(node, list):
        for value in node:
            yield from _pattern_values(value)


@functools.cache
def corpus_patterns() -> Counter[str]:
    found: Counter[str] = Counter()
    for path in sorted([*CORPUS.glob("*.json"), *CORPUS.glob("*.yaml")]):
        text = path.read_text(encoding="utf-8")
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        document = json.loads(text) if path.suffix == ".json" else yaml.load(text, loader)
        found.update(_pattern_values(document))
    return found


@pytest.mark.slow
def test_corpus_translates_without_raising() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"no corpus at {CORPUS}")
    patterns = corpus_patterns()
    engines: Counter[str] = Counter()
    for pattern, uses in patterns.items():
        translation = translate(pattern)
        engines[translation.engine] += uses
        if translation.python is not None:
            re.compile(translation.python)
    print(f"corpus: {len(patterns)} distinct patterns, {sum(patterns.values())} uses: {engines}")
    assert sum(engines.values()) == sum(patterns.values())


@pytest.mark.slow
def test_corpus_samples_agree_with_both_engines() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"no corpus at {CORPUS}")
    for pattern in corpus_patterns():
        result = samples(pattern)
        assert result.valid, pattern
        for text in result.valid:
            assert ecma_finds(pattern, text) and python_finds(pattern, text), (pattern, text)
        for invalid in result.invalid:
            value = invalid.value
            assert not ecma_finds(pattern, value) and not python_finds(pattern, value), invalid


# Every BMP code point but the surrogates, and every 7th astral one.
CODE_POINTS = "".join(
    chr(c) for c in [*range(0xD800), *range(0xE000, 0x10000), *range(0x10000, 0x110000, 7)]
)


@pytest.mark.parametrize("pattern", [".", "\\s", "\\S", "\\w", "\\W", "\\d", "\\D", "[^\\W\\d]"])
def test_class_escapes_match_regress_on_every_code_point(pattern: str) -> None:
    compiled = regress.Regex(pattern, ecma.REGRESS_FLAGS)
    utf8 = CODE_POINTS.encode()  # regress reports byte offsets
    expected = {utf8[m.range()].decode() for m in compiled.find_iter(CODE_POINTS) or ()}
    python = translate(pattern).python
    assert python is not None
    assert set(re.findall(python, CODE_POINTS)) == expected
