"""render/constraints.py: the `SCHEMAS` registry of the same schemas is printed once, and the
value checks, the package and its tests read one object (the runtime's validator compiles a
registry's checks once, by its identity)."""

from __future__ import annotations

from typing import Any

import pytest

from generator.render import constraints
from generator.render.constraints import ConstraintPrinter
from generator.render.testvalues import Checker
from tests.conftest import COMMS
from tests.unit.test_model_chunks import _render
from tests.unit.test_models_render import _api


def test_the_same_schemas_share_one_registry_and_other_schemas_get_their_own() -> None:
    api = _api(COMMS)
    named = {s.name: s for s in api.schemas}
    registry = ConstraintPrinter(named).schemas()
    assert registry and ConstraintPrinter(dict(named)).schemas() is registry
    assert Checker(ConstraintPrinter(named)).registry is registry
    shapes = Checker(ConstraintPrinter(named), shapes=True).registry
    assert shapes is not registry and shapes.keys() == registry.keys()
    first = sorted(named)[0]
    fewer = {name: s for name, s in named.items() if name != first}
    assert ConstraintPrinter(fewer).schemas() == {k: v for k, v in registry.items() if k != first}
    again = ConstraintPrinter(named).schemas()
    assert again == registry and again is not registry  # printed anew: only the last is kept


def test_a_shared_registry_leaves_the_package_as_it_was(monkeypatch: pytest.MonkeyPatch) -> None:
    """Printed anew for every caller, or read from the last printer: the same package."""
    api = _api(COMMS)
    shared = _render(api)
    real = ConstraintPrinter.schemas

    def fresh(self: ConstraintPrinter) -> dict[str, Any]:
        constraints._printed.clear()
        return real(self)

    monkeypatch.setattr(ConstraintPrinter, "schemas", fresh)
    assert _render(api) == shared
