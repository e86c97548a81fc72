"""Malformed structure (a list where a mapping belongs, a number for a name, a `$ref` to nowhere…)
is reported, never a traceback: real specs mutated at random (fixed seeds), then loaded, built
and — for some — generated. A crash found here is a bug in the loader or the builder.
"""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.build import build_api
from generator.diagnostics import Diagnostics, SpecError
from generator.load import load_workspace
from tests.conftest import COMMS, CORPUS
from tests.hostile.hostile_helpers import cli

SEEDS = [
    COMMS,
    CORPUS / "petstore.swagger2.yaml",
    CORPUS / "opc-3.1-specific.yaml",
    CORPUS / "opc-3.1-enums.yaml",
    CORPUS / "uspto.oas30.yaml",
]
KEYS = (
    "type properties items allOf anyOf oneOf enum required pattern $ref parameters content "
    "responses schema in name default example examples additionalProperties format const "
    "nullable security tags operationId requestBody headers servers url discriminator mapping "
    "propertyName x-oagen-pagination x-oagen-lro style explode prefixItems not"
).split()
VALUES: list[Any] = [
    "x",
    1,
    -1,
    1.5,
    None,
    True,
    [],
    {},
    [1],
    ["a", {}],
    {"a": 1},
    {"a": []},
    "{x}",
    {"$ref": "#/nope"},
    {"$ref": 5},
    {"$ref": "#"},
    {"$ref": ""},
]


def nodes(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from nodes(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from nodes(child, (*path, index))


def mutate(document: Any, rnd: random.Random) -> Any:
    document = copy.deepcopy(document)
    for _ in range(rnd.randint(1, 6)):
        paths = [p for p in nodes(document) if p]
        path = rnd.choice(paths)
        if rnd.random() < 0.5:
            new: Any = rnd.choice(VALUES)
        else:
            new = {rnd.choice(KEYS): rnd.choice(VALUES) for _ in range(rnd.randint(1, 3))}
        parent = document
        for step in path[:-1]:
            parent = parent[step]
        parent[path[-1]] = copy.deepcopy(new)
    return document


def load(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_mutated_specs_are_reported_not_crashed(seed: Path, tmp_path: Path) -> None:
    original = load(seed)
    rnd = random.Random(seed.name)
    path = tmp_path / "mutated.json"
    for _ in range(60):
        path.write_text(json.dumps(mutate(original, rnd)), encoding="utf-8")
        try:
            workspace = load_workspace(path)
            build_api(workspace, package="mutated", diagnostics=Diagnostics())
        except SpecError:
            pass


@pytest.mark.parametrize("number", range(3))
def test_mutated_specs_generate_or_fail_cleanly(
    number: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rnd = random.Random(f"generate {number}")
    path = tmp_path / "mutated.json"
    path.write_text(json.dumps(mutate(load(COMMS), rnd)), encoding="utf-8")
    code = cli("generate", path, "-o", tmp_path / "out", "-q")
    err = capsys.readouterr().err
    assert code in (0, 2) and "Traceback" not in err
    assert code == 0 or "nothing written" in err
