"""`oagen diff`: a table of spec pairs → the expected classification; output formats; --against."""

from __future__ import annotations

import copy
import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.cli import run
from generator.config import target_for
from generator.diff import compare
from generator.ir import Api
from generator.pipeline import Options, analyse

BASE = yaml.safe_load(
    """
openapi: 3.1.0
info: {title: Pets, version: '1'}
servers: [{url: 'https://pets.test'}]
security: [{key: []}]
paths:
  /pets:
    get:
      operationId: listPets
      tags: [pets]
      parameters:
        - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 100}}
        - {name: status, in: query, schema: {$ref: '#/components/schemas/Filter'}}
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/Pet'}}}}
    post:
      operationId: createPet
      tags: [pets]
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/NewPet'}}}
      responses:
        '201':
          description: created
          content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}
  /pets/{petId}:
    get:
      operationId: getPet
      tags: [pets]
      parameters: [{name: petId, in: path, required: true, schema: {type: string, pattern: '^p[0-9]+$'}}]
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}
    delete:
      operationId: deletePet
      tags: [pets]
      parameters: [{name: petId, in: path, required: true, schema: {type: string}}]
      responses: {'204': {description: gone}}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
    bearer: {type: http, scheme: bearer}
  schemas:
    Filter: {type: string, enum: [available, sold]}
    Kind:
      anyOf: [{type: string, enum: [cat, dog]}, {type: string}]
    Pet:
      type: object
      required: [id, name]
      properties:
        id: {type: string}
        name: {type: string}
        status: {type: string, enum: [available, sold]}
        kind: {$ref: '#/components/schemas/Kind'}
        tag: {type: string}
    NewPet:
      type: object
      required: [name]
      properties:
        name: {type: string, maxLength: 50}
        tag: {type: string}
"""
)

Spec = dict[str, Any]


def op(spec: Spec, path: str, method: str) -> dict[str, Any]:
    operation: dict[str, Any] = spec["paths"][path][method]
    return operation


def param(spec: Spec, name: str) -> dict[str, Any]:
    for path_item in spec["paths"].values():
        for operation in path_item.values():
            for item in operation.get("parameters", []):
                if item["name"] == name:
                    return item  # type: ignore[no-any-return]
    raise KeyError(name)


def schema(spec: Spec, name: str) -> dict[str, Any]:
    found: dict[str, Any] = spec["components"]["schemas"][name]
    return found


def rename_path(spec: Spec) -> None:
    spec["paths"]["/animals/{petId}"] = spec["paths"].pop("/pets/{petId}")


def add_param(spec: Spec, required: bool) -> None:
    op(spec, "/pets", "get")["parameters"].append(
        {"name": "owner", "in": "query", "required": required, "schema": {"type": "string"}}
    )


def add_field(target: str, required: bool) -> Callable[[Spec], None]:
    def edit(spec: Spec) -> None:
        schema(spec, target)["properties"]["age"] = {"type": "integer"}
        if required:
            schema(spec, target)["required"].append("age")

    return edit


def put(getter: Callable[[Spec], dict[str, Any]], key: str, value: Any) -> Callable[[Spec], None]:
    return lambda spec: getter(spec).__setitem__(key, value)


def drop(getter: Callable[[Spec], dict[str, Any]], key: str) -> Callable[[Spec], None]:
    return lambda spec: getter(spec).pop(key)


PET = lambda spec: schema(spec, "Pet")  # noqa: E731
PET_PROPS = lambda spec: schema(spec, "Pet")["properties"]  # noqa: E731
NEW_PROPS = lambda spec: schema(spec, "NewPet")["properties"]  # noqa: E731
LIMIT = lambda spec: param(spec, "limit")["schema"]  # noqa: E731

CASES: dict[str, tuple[Callable[[Spec], None], dict[str, bool]]] = {
    # case: (edit of BASE, {change code: breaking})
    "identical": (lambda spec: None, {}),
    "description only": (put(lambda s: op(s, "/pets", "get"), "description", "All pets."), {}),
    "operation removed": (lambda s: s["paths"]["/pets/{petId}"].pop("delete"), {"operation-removed": True}),
    "operation added": (lambda s: s["paths"].__setitem__("/owners", {"get": {"operationId": "listOwners", "tags": ["owners"], "responses": {"204": {"description": "ok"}}}}), {"operation-added": False}),
    "operation renamed": (put(lambda s: op(s, "/pets/{petId}", "get"), "operationId", "fetchPet"), {"operation-renamed": True}),
    "path changed": (rename_path, {"route-changed": True}),
    "method changed": (lambda s: s["paths"]["/pets/{petId}"].__setitem__("post", s["paths"]["/pets/{petId}"].pop("delete")), {"route-changed": True}),
    "parameter removed": (lambda s: op(s, "/pets", "get")["parameters"].pop(0), {"parameter-removed": True}),
    "parameter made required": (put(lambda s: param(s, "limit"), "required", True), {"parameter-made-required": True}),
    "new required parameter": (lambda s: add_param(s, True), {"parameter-added-required": True}),
    "new optional parameter": (lambda s: add_param(s, False), {"parameter-added": False}),
    "new required body field": (add_field("NewPet", True), {"required-field-added": True}),
    "new optional body field": (add_field("NewPet", False), {"field-added": False}),
    "body field made required": (lambda s: schema(s, "NewPet")["required"].append("tag"), {"field-made-required": True}),
    "body field removed": (drop(NEW_PROPS, "tag"), {"field-removed": True}),
    "type changed": (put(LIMIT, "type", "string"), {"type-changed": True}),
    "type widened in a request": (put(LIMIT, "type", "number"), {"type-changed": False}),
    "request enum value removed": (put(lambda s: schema(s, "Filter"), "enum", ["available"]), {"enum-value-removed": True}),
    "request enum value added": (put(lambda s: schema(s, "Filter"), "enum", ["available", "sold", "lost"]), {"enum-value-added": False}),
    "response enum value added": (put(lambda s: PET_PROPS(s)["status"], "enum", ["available", "sold", "lost"]), {"enum-value-added": True}),
    "response enum value removed": (put(lambda s: PET_PROPS(s)["status"], "enum", ["available"]), {"enum-value-removed": False}),
    "open response enum value added": (lambda s: schema(s, "Kind")["anyOf"][0].__setitem__("enum", ["cat", "dog", "bird"]), {"enum-value-added": False}),
    "pattern narrowed": (put(lambda s: param(s, "petId")["schema"], "pattern", "^p[0-9]{3}$"), {"pattern-narrowed": True}),
    "pattern removed": (drop(lambda s: param(s, "petId")["schema"], "pattern"), {"pattern-changed": False}),
    "range narrowed": (put(LIMIT, "maximum", 50), {"range-narrowed": True}),
    "range widened": (put(LIMIT, "maximum", 500), {"range-changed": False}),
    "length narrowed": (put(lambda s: NEW_PROPS(s)["name"], "maxLength", 20), {"range-narrowed": True}),
    "response field removed": (drop(PET_PROPS, "tag"), {"response-field-removed": True}),
    "response field added": (add_field("Pet", False), {"field-added": False}),
    "response field made optional": (put(PET, "required", ["id"]), {"field-made-optional": True}),
    "response field may be null": (put(lambda s: PET_PROPS(s)["tag"], "type", ["string", "null"]), {"nullable-changed": True}),
    "request field may be null": (put(lambda s: NEW_PROPS(s)["tag"], "type", ["string", "null"]), {"nullable-changed": False}),
    "security changed": (put(lambda s: s, "security", [{"bearer": []}]), {"security-changed": True}),
    "security alternative added": (put(lambda s: s, "security", [{"key": []}, {"bearer": []}]), {"security-changed": False}),
    "server changed": (put(lambda s: s, "servers", [{"url": "https://pets.example"}]), {"server-changed": False}),
    "request body removed": (drop(lambda s: op(s, "/pets", "post"), "requestBody"), {"body-removed": True}),
    "request body made optional": (put(lambda s: op(s, "/pets", "post")["requestBody"], "required", False), {"body-made-optional": False}),
    "response body removed": (put(lambda s: op(s, "/pets/{petId}", "get"), "responses", {"204": {"description": "ok"}}), {"response-type-changed": True}),
    "model removed": (lambda s: s["components"]["schemas"].__setitem__("Spare", {"type": "object", "properties": {"a": {"type": "string"}}}), {}),
}


def build(spec: Spec, folder: Path) -> Api:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "pets.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    _, api, problems = analyse(target_for(path, None, "pets", None), Options())
    assert api is not None, [p.format() for p in problems]
    return api


@pytest.fixture(scope="module")
def base_api(tmp_path_factory: pytest.TempPathFactory) -> Api:
    return build(BASE, tmp_path_factory.mktemp("base"))


@pytest.mark.parametrize("case", sorted(CASES))
def test_classification(case: str, base_api: Api, tmp_path: Path) -> None:
    edit, expected = CASES[case]
    changed = copy.deepcopy(BASE)
    edit(changed)
    changes = compare(base_api, build(changed, tmp_path))
    found = {c.code: c.breaking for c in changes}
    if case == "model removed":  # the reverse direction: a class that existed is gone
        changes = compare(build(changed, tmp_path / "with"), base_api)
        found = {c.code: c.breaking for c in changes}
        expected = {"model-removed": True}
    assert found == expected, [f"{c.code} {c.breaking} {c.operation} {c.at} {c.message}" for c in changes]


def write(folder: Path, spec: Spec, name: str = "pets.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return path


def breaking_variant() -> Spec:
    changed = copy.deepcopy(BASE)
    changed["paths"]["/pets/{petId}"].pop("delete")
    changed["paths"]["/pets"]["get"]["description"] = "All pets."
    add_param(changed, False)
    return changed


def test_cli_human_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = write(tmp_path / "a", BASE), write(tmp_path / "b", breaking_variant())
    capsys.readouterr()
    assert run(["diff", str(old), str(new)]) == 1
    out = capsys.readouterr().out
    assert "BREAKING     pets.delete_pet (DELETE /pets/{petId}): operation removed [operation-removed]" in out
    assert "non-breaking pets.list_pets (GET /pets) parameter owner: new optional parameter [parameter-added]" in out
    assert out.rstrip().endswith("2 changes: 1 breaking, 1 non-breaking")
    assert run(["diff", str(old), str(new), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["breaking"] is True and data["summary"] == {"breaking": 1, "non_breaking": 1}
    assert data["changes"][0]["code"] == "operation-removed" and data["changes"][0]["path"] == "/pets/{petId}"
    assert run(["diff", str(new), str(new)]) == 0
    assert run(["diff", str(old)]) == 2


def test_a_shared_schema_change_is_listed_once_in_human_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    changed = copy.deepcopy(BASE)
    PET_PROPS(changed).pop("tag")
    old, new = write(tmp_path / "a", BASE), write(tmp_path / "b", changed)
    capsys.readouterr()
    assert run(["diff", str(old), str(new)]) == 1
    lines = [line for line in capsys.readouterr().out.splitlines() if "[response-field-removed]" in line]
    assert len(lines) == 1 and "(and 2 more operations: pets." in lines[0]
    assert run(["diff", str(old), str(new), "--format", "json"]) == 1
    assert len(json.loads(capsys.readouterr().out)["changes"]) == 3


def test_cli_invalid_spec_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = write(tmp_path / "a", BASE)
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: 3.1.0\ninfo: [\n")
    assert run(["diff", str(old), str(broken)]) == 2
    assert "broken.yaml:" in capsys.readouterr().err


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false", *args],
        cwd=repo, check=True, capture_output=True,
    )


def test_against_a_git_ref_with_referenced_files(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    split = copy.deepcopy(BASE)
    split["components"]["schemas"]["Pet"] = {"$ref": "schemas/pet.yaml"}
    spec = write(repo / "specs", split, "api.yaml")
    pet = copy.deepcopy(BASE["components"]["schemas"]["Pet"])
    pet["properties"]["kind"] = {"$ref": "../api.yaml#/components/schemas/Kind"}
    write(repo / "specs" / "schemas", pet, "pet.yaml")
    (repo / "pyproject.toml").write_text('[[tool.oagen.targets]]\nspec = "specs/api.yaml"\n')
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "v1")
    monkeypatch.chdir(repo)
    assert run(["diff", "--against", "HEAD"]) == 0
    pet["properties"].pop("tag")  # a breaking change in the referenced file only
    write(repo / "specs" / "schemas", pet, "pet.yaml")
    capsys.readouterr()
    assert run(["diff", "--against", "HEAD"]) == 1
    out = capsys.readouterr().out
    assert "specs/api.yaml@HEAD → specs/api.yaml" in out and "[response-field-removed]" in out
    assert run(["diff", "--against", "HEAD", str(spec), "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out)["breaking"] is True
    assert run(["diff", "--against", "no-such-ref"]) == 2
    assert "not a commit" in capsys.readouterr().err
    new_spec = write(repo / "specs", BASE, "new.yaml")
    assert run(["diff", "--against", "HEAD", str(new_spec)]) == 0
    assert "not in HEAD" in capsys.readouterr().err
