"""Pieces of the generated test suite that real specs broke (see test_generated_suite for the
whole suites): import order, and module constants mypy cannot type."""

from __future__ import annotations

from generator.render.imports import name_key
from generator.render.testcases import Imports
from generator.render.testliterals import Constants
from generator.render.testsuite import _typed_empties


def test_imported_names_follow_isort_order() -> None:
    names = ["wire", "DbrPs", "Item10", "Dbrp", "MISSING", "Item2", "Auth", "ITEM"]
    assert sorted(names, key=name_key) == ["ITEM", "MISSING", "Auth", "Dbrp", "DbrPs", "Item2", "Item10", "wire"]


def test_empty_shared_constants_are_typed_in_place() -> None:
    shared = Constants()
    shared.add("SAMPLE_STATE", "{}")
    shared.add("ERROR_400", "Reply(400, json=SAMPLE_STATE)")
    shared.add("SAMPLE_LIST", "[]")
    shared.add("SAMPLE_APP", "{\"name\": \"x\", \"tags\": []}")
    imports = Imports()
    assert _typed_empties(shared, (), imports) == ()
    assert list(shared.items) == ["SAMPLE_STATE: Any", "ERROR_400", "SAMPLE_LIST: Any", "SAMPLE_APP: Any"]
    assert imports.any
