"""Regex-aware test values: valid and boundary-invalid strings for ECMA-262 patterns, checked
against regress (the ECMA oracle) and the Python translation, deterministic everywhere."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import regress

from generator import ecma, regex_samples
from generator.regex_samples import Invalid, Samples, samples, unanchored_end_extra

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
COMMS_IDS = {
    "^comms_senderpool_[0-7][a-hjkmnpqrstv-z0-9]{25,34}": "comms_senderpool_",
    "^comms_sender_[0-7][a-hjkmnpqrstv-z0-9]{25,34}": "comms_sender_",
    "^comms_operation_[0-7][a-hjkmnpqrstv-z0-9]{25,34}": "comms_operation_",
}
PATTERNS = (
    *COMMS_IDS,
    "^[a-zA-Z0-9._~-]+$",
    "^AC[0-9a-fA-F]{32}$",
    "^\\d{3,5}$",
    "^.{1,10}$",
    "^(?:first|last|after:\\d+)$",
    "^[A-Za-z0-9][-+._A-Za-z0-9]*@([-_.A-Za-z0-9]+\\.)+[A-Za-z]{2,}$",
    "^ssh-(rsa|dss|ed25519) |^ecdsa-sha2-nistp(256|384|521) ",
    "^[UW][A-Z0-9]{8,}$|^$",
    "\\bfoo\\b",
    "^\\s+$",
    "^(?=.*\\d)(?=.*[A-Z]).{8,}$",
    "\\p{Lu}\\d{2}",  # regress only
    "(a|b)\\1",  # regress only
    "v1.*",
)


def ecma_finds(pattern: str, text: str) -> bool:
    return regress.Regex(pattern, ecma.REGRESS_FLAGS).find(text) is not None


def python_finds(pattern: str, text: str) -> bool | None:
    python = ecma.translate(pattern).python
    return None if python is None else re.search(python, text) is not None


@pytest.mark.parametrize("pattern", PATTERNS)
def test_every_value_is_checked_against_both_engines(pattern: str) -> None:
    result = samples(pattern)
    assert result.valid, "a valid sample is found"
    assert len(set(result.valid)) == len(result.valid)
    for text in result.valid:
        assert ecma_finds(pattern, text), text
        assert python_finds(pattern, text) in (True, None), text
    values = [invalid.value for invalid in result.invalid]
    assert len(set(values)) == len(values)
    assert not set(values) & set(result.valid)
    for invalid in result.invalid:
        assert not ecma_finds(pattern, invalid.value), invalid
        assert python_finds(pattern, invalid.value) in (False, None), invalid
        assert invalid.why


@pytest.mark.parametrize(("pattern", "prefix"), COMMS_IDS.items())
def test_comms_ids_have_the_boundary_cases(pattern: str, prefix: str) -> None:
    result = samples(pattern)
    assert all(text.startswith(prefix) for text in result.valid)
    assert all(25 <= len(text) - len(prefix) - 1 <= 34 for text in result.valid)
    whys = {invalid.why for invalid in result.invalid}
    at = len(prefix) + 1  # the first character of the [a-hjkmnpqrstv-z0-9]{25,34} run
    for char in "ilou":
        why = f"{char!r} (U+{ord(char):04X}) is just outside [a-hjkmnpqrstv-z0-9] (index {at})"
        assert why in whys
        assert any(value[at] == char for value in _values(result)), char
    assert any("'8' (U+0038) is just outside [0-7]" in why for why in whys)
    assert any(value[len(prefix)] == "8" for value in _values(result))
    assert any(why.startswith("24 repetitions of [a-hjkmnpqrstv-z0-9]{25,34}") for why in whys)
    assert any(why.startswith("wrong literal prefix") for why in whys)
    # ^ without $: one too many still matches (search semantics), so it is not an invalid value
    assert not any(why.startswith("35 repetitions") for why in whys)
    extra = unanchored_end_extra(pattern)
    assert extra is not None
    assert extra.startswith(result.valid[0]) and len(extra) > len(result.valid[0])
    assert ecma_finds(pattern, extra) and python_finds(pattern, extra)


def _values(result: Samples) -> list[str]:
    return [invalid.value for invalid in result.invalid]


def test_anchored_bounded_repetition_one_too_few_and_one_too_many() -> None:
    result = samples("^\\d{3,5}$")
    lengths = {len(value) for value in _values(result) if value.isdigit()}
    assert {2, 6} <= lengths
    whys = " / ".join(invalid.why for invalid in result.invalid)
    assert "2 repetitions of \\d{3,5} (allowed: 3 to 5)" in whys
    assert "6 repetitions of \\d{3,5} (allowed: 3 to 5)" in whys
    assert any("\u0663" in value for value in _values(result))  # Python's \d, not ECMA's


def test_end_anchor_cases() -> None:
    result = samples("^[a-zA-Z0-9._~-]+$")
    newline = Invalid(
        result.valid[0] + "\n", "a trailing newline: ECMA-262 $ matches only at the end"
    )
    assert newline in result.invalid
    assert "" in _values(result)
    outside = {invalid.value for invalid in result.invalid if len(invalid.value) == 1}
    assert {"/", ":", "@", "[", "`", "{", "é"} <= outside
    assert unanchored_end_extra("^[a-zA-Z0-9._~-]+$") is None


def test_dot_boundaries_are_the_line_terminators() -> None:
    values = set(_values(samples("^.{1,10}$")))
    assert {"\n", "\r", "\u2028", "\u2029"} <= values


def test_regress_only_pattern() -> None:
    result = samples("\\p{Lu}\\d{2}")
    assert ecma.translate("\\p{Lu}\\d{2}").engine == "regress"
    assert all(re.fullmatch("[A-Z][0-9]{2}", text) for text in result.valid)
    assert any("is just outside \\p{Lu}" in invalid.why for invalid in result.invalid)


@pytest.mark.parametrize(
    ("pattern", "extra"),
    [("^abc", True), ("^ssh-(rsa|dss) |^ecdsa ", True), ("^abc$", False), ("abc", False)],
)
def test_unanchored_end_extra(pattern: str, extra: bool) -> None:
    value = unanchored_end_extra(pattern)
    assert (value is not None) is extra
    if value is not None:
        assert ecma_finds(pattern, value)
        assert any(value.startswith(valid) and value != valid for valid in samples(pattern).valid)


@pytest.mark.parametrize(
    "pattern",
    [
        "[]",  # matches nothing
        "a(?=b)c",  # contradictory lookahead
        "(?:a{1000}){1000}",  # longer than the sample cap
        "(?:(?:a*)?)*\\p{L}x",  # regress-only and unsafe to run under regress
        "a\\_",  # invalid
        "(" * 150 + ")" * 150,  # too deep for the parser
    ],
)
def test_no_valid_sample_is_bounded(pattern: str) -> None:
    result = samples(pattern)
    assert result.valid == ()
    assert unanchored_end_extra(pattern) is None


def test_invalid_pattern_has_no_samples() -> None:
    assert samples("(?<a>x)(?<a>y)") == Samples(valid=(), invalid=())


def test_count() -> None:
    assert len(samples("^[a-z]{4}$", count=5).valid) == 5
    assert len(samples("^[a-z]{4}$", count=1).valid) == 1


def _dump(patterns: tuple[str, ...]) -> str:
    """Everything this module hands out for ``patterns``, as JSON."""
    return json.dumps(
        {
            pattern: [
                list(result.valid),
                [[invalid.value, invalid.why] for invalid in result.invalid],
                unanchored_end_extra(pattern),
            ]
            for pattern in patterns
            for result in [samples(pattern)]
        },
        ensure_ascii=True,
    )


def test_deterministic_in_process() -> None:
    first = _dump(PATTERNS)
    regex_samples._samples.cache_clear()
    assert _dump(PATTERNS) == first


@pytest.mark.parametrize("seed", ["0", "1"])
def test_deterministic_across_hash_seeds(seed: str) -> None:
    script = (
        f"import sys; sys.path[:0] = [{str(ROOT)!r}, {str(HERE)!r}]\n"
        "from test_regex_samples import PATTERNS, _dump\n"
        "sys.stdout.write(_dump(PATTERNS))\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": seed}
    output = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False
    )
    assert output.returncode == 0, output.stderr
    assert output.stdout == _dump(PATTERNS)
