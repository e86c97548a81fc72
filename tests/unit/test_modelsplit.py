"""The split of datamodel-code-generator's models into one module per schema (render/modelsplit.py)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from generator.cli import run
from generator.format import format_source
from generator.render.imports import module_key
from generator.render.modelsplit import IMPORT_DEPTH, split_models

HEADER = "# header\n"

SOURCE = '''# header

from __future__ import annotations

from typing import Literal

from pydantic import Field, RootModel

from ._runtime.model import BaseModel


class Tag(BaseModel):
    """Mentions Owner in its docstring: not a use."""

    name: str = Field(..., description="Owner")


class Kind(RootModel[Literal["Owner", "Pet"]]):
    root: Literal["Owner", "Pet"]


class PetAddress(BaseModel):
    street: str


class Pet(BaseModel):
    tags: list[Tag]
    address: PetAddress
    kind: Kind
    owner: "Owner | None" = None


class Owner(BaseModel):
    pets: list[Pet]


class Shop(BaseModel):
    pets: list[Pet]
    tag: Tag


Owner.model_rebuild()
'''


def imports_of(source: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            found.setdefault(module, set()).update(a.name for a in node.names)
    return found


def classes_of(source: str) -> list[str]:
    return [n.name for n in ast.parse(source).body if isinstance(n, ast.ClassDef)]


def test_each_named_schema_heads_a_module_and_cycles_share_one() -> None:
    split = split_models(SOURCE, HEADER, standalone=["Tag", "Kind", "Pet", "Owner", "Shop"])
    # Pet and Owner use each other: one module, named after the first; PetAddress (inline, used
    # by Pet only) joins it
    assert {m: classes_of(s) for m, s in split.modules.items()} == {
        "_tag": ["Tag"],
        "_kind": ["Kind"],
        "_pet": ["PetAddress", "Pet", "Owner"],
        "_shop": ["Shop"],
    }
    assert split.exports == {
        "Tag": "_tag",
        "Kind": "_kind",
        "PetAddress": "_pet",
        "Pet": "_pet",
        "Owner": "_pet",
        "Shop": "_shop",
    }
    pets = split.modules["_pet"]
    assert pets.rstrip().endswith("Owner.model_rebuild()")  # follows the class it rebuilds
    # names in strings are uses only as annotations, never inside Literal[...] or descriptions
    assert imports_of(pets) == {
        "__future__": {"annotations"},
        ".._runtime.model": {"BaseModel"},
        "._kind": {"Kind"},
        "._tag": {"Tag"},
    }
    assert imports_of(split.modules["_tag"]) == {
        "__future__": {"annotations"},
        "pydantic": {"Field"},
        ".._runtime.model": {"BaseModel"},
    }
    assert imports_of(split.modules["_kind"]) == {
        "__future__": {"annotations"},
        "typing": {"Literal"},
        "pydantic": {"RootModel"},
    }
    assert split.modules["_shop"].startswith(HEADER + "\nfrom __future__ import annotations\n\n")


def test_a_schema_only_one_model_uses_joins_it_unless_it_is_named() -> None:
    inline = split_models(SOURCE, HEADER, standalone=["Shop", "Pet"])
    named = split_models(SOURCE, HEADER, standalone=["Shop", "Pet", "PetAddress"])
    assert inline.exports["PetAddress"] == inline.exports["Pet"]
    assert named.exports["PetAddress"] == "_pet_address" != named.exports["Pet"]


def test_imports_are_in_isort_order() -> None:
    split = split_models(SOURCE, HEADER, standalone=["Tag", "Kind", "Pet", "Owner", "Shop"])
    block = split.modules["_pet"].split("\n\n\nclass")[0]
    assert block.endswith(
        "from __future__ import annotations\n\n"
        "from .._runtime.model import BaseModel\n"
        "from ._kind import Kind\n"
        "from ._tag import Tag"
    )
    assert split.imports() == {
        "_kind": ["Kind"],
        "_pet": ["Owner", "Pet", "PetAddress"],
        "_shop": ["Shop"],
        "_tag": ["Tag"],
    }


def test_all_is_in_ruffs_order_and_imports_in_isorts() -> None:
    source = "from ._runtime.model import BaseModel\n\n\n" + "".join(
        f"class {name}(BaseModel):\n    x: int\n\n\n" for name in ["Point", "PoiProfile", "Item10", "Item2"]
    )
    split = split_models(source, HEADER, standalone=["Point"])
    assert list(split.sorted_exports()) == ["Item2", "Item10", "PoiProfile", "Point"]
    assert split.imports()["_point"] == ["Point"]


def test_aliased_imports_keep_their_alias() -> None:
    source = (
        "from builtins import int as int_aliased\n\nfrom ._runtime.model import BaseModel\n\n\n"
        "class Page(BaseModel):\n    total: int_aliased | None = None\n"
    )
    (module,) = split_models(source, HEADER).modules.values()
    assert "from builtins import int as int_aliased\n" in module


def test_a_module_without_imports_is_laid_out_as_black_would() -> None:
    (module,) = split_models("Alias = int\n", HEADER).modules.values()
    assert module == HEADER + "\nfrom __future__ import annotations\n\nAlias = int\n"
    assert format_source(module) == module
    (module,) = split_models("from typing import Any\n\nAlias = Any\n", HEADER).modules.values()
    assert format_source(module) == module


def test_module_order_is_ruffs_natural_order() -> None:
    """strnatcmp: a digit run with a leading zero sorts digit by digit, before other runs."""
    names = ["_a_10", "_a_2e1c", "_a_9", "_a_056f"]
    assert sorted(names, key=module_key) == ["_a_056f", "_a_2e1c", "_a_9", "_a_10"]


def test_module_imports_never_form_a_cycle() -> None:
    split = split_models(SOURCE, HEADER, standalone=["Tag", "Kind", "Pet", "Owner", "Shop"])
    edges = {
        m: {name.lstrip(".") for name in imports_of(s) if name.startswith("._")}
        for m, s in split.modules.items()
    }
    order: list[str] = []
    while edges:
        ready = sorted(m for m, used in edges.items() if used <= set(order))
        assert ready, f"a cycle among {sorted(edges)}"
        order += ready
        for m in ready:
            del edges[m]


def chain_spec(count: int) -> dict[str, Any]:
    schemas: dict[str, Any] = {
        f"T{i}": {"type": "object", "properties": {"next": {"$ref": f"#/components/schemas/T{i + 1}"}}}
        for i in range(count)
    }
    schemas[f"T{count}"] = {"type": "object", "properties": {"x": {"type": "string"}}}
    ok = {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/T0"}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "chain", "version": "1"},
        "servers": [{"url": "https://example.com"}],
        "paths": {"/t": {"get": {"operationId": "getT", "responses": {"200": ok}}}},
        "components": {"schemas": schemas},
    }


def test_a_long_chain_of_schemas_imports_within_the_recursion_limit(tmp_path: Path) -> None:
    """400 schemas, each using the next: one module each would nest 400 imports (about 4,000
    frames); modules deeper than IMPORT_DEPTH are merged into bands instead."""
    spec = tmp_path / "chain.json"
    spec.write_text(json.dumps(chain_spec(400)))
    assert run(["generate", str(spec), "-o", str(tmp_path / "out"), "--package", "chain", "-q"]) == 0
    models = tmp_path / "out" / "chain" / "models"
    assert len(list(models.glob("_*.py"))) < 401 - IMPORT_DEPTH
    code = "import chain.models as m; print(m.T0.__name__, m.T399.__name__, m.T0.__module__)"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path / "out", capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["T0", "T399", "chain.models._t0"]


def test_importing_one_model_imports_only_the_modules_it_needs(tmp_path: Path) -> None:
    spec = tmp_path / "chain.json"
    spec.write_text(json.dumps(chain_spec(5)))
    assert run(["generate", str(spec), "-o", str(tmp_path / "out"), "--package", "chain", "-q"]) == 0
    code = (
        "import sys; from chain.models import T3; "
        "print(sorted(m for m in sys.modules if m.startswith('chain.models.')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path / "out", capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == str(["chain.models._t3", "chain.models._t4", "chain.models._t5"])
