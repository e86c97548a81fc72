"""The anchor analysis behind `pattern-unanchored-bound`, case by case."""

from __future__ import annotations

import pytest

from generator.lint.patterns import unanchored_bounds


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("^comms_sender_[0-7][a-hjkmnpqrstv-z0-9]{25,34}", [("$", "{25,34}")]),
        ("^[0-9]{5}", [("$", "{5}")]),
        ("[0-9]{5}$", [("^", "{5}")]),
        ("[0-9]{5}", [("^", "{5}"), ("$", "{5}")]),
        ("^a{2,3}b*", [("$", "{2,3}")]),  # what follows can match empty: still unbounded
        ("^(?:ab{2,3})", [("$", "{2,3}")]),  # inside a group
        ("^a{2}|b$", [("$", "{2}")]),  # `|` binds looser than the anchors
        ("^(?:a{2}|b)$", []),
        ("^[0-9]{5}$", []),
        ("^a{2,3}(?!a)", []),  # a lookahead enforces it
        ("^a{2,3}\\b", []),
        ("^a{2,3}-", []),  # a following literal delimits the repetition
        ("^[a-z]+", []),  # no bound at all
        ("^a{3,}", []),  # a lower bound only is enforced anyway
        ("^ab?", []),
        ("^(ab$", []),  # invalid: reported by pattern-invalid instead
    ],
)
def test_unanchored_bounds(pattern: str, expected: list[tuple[str, str]]) -> None:
    assert unanchored_bounds(pattern) == expected
