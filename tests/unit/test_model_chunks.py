"""render/modelchunks.py and its use in render/models.py: a large API's models made by
datamodel-code-generator in chunks (in parallel worker processes), merged into the module one
run would have written, but for the names of the classes it makes up."""

from __future__ import annotations

import ast
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from generator.diagnostics import Diagnostics
from generator.format import format_files, format_source, laid_out_module, statement_layout
from generator.ir import Api
from generator.render import RenderOptions, modelchunks, models, render_package
from generator.render.modelchunks import merged, renamed, tasks
from generator.render.models import _answer, _generate_or_fail, _Job
from generator.render.modelsplit import Parsed, Piece, split_parsed
from tests.conftest import CORPUS
from tests.unit.test_models_render import _api

REF = "#/components/schemas/"


def _document(schemas: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "models", "version": "0"},
        "paths": {},
        "components": {"schemas": schemas},
    }


def _labelled(item: str) -> dict[str, Any]:
    """Two `allOf` members that both define `labels`: datamodel-code-generator merges them
    into a class it makes up and names after the property (`Label`)."""
    return {
        "allOf": [
            {
                "type": "object",
                "properties": {"labels": {"type": "array", "items": {"$ref": REF + item}}},
            },
            {
                "type": "object",
                "properties": {"labels": {"type": "array", "items": {"type": ["object", "null"]}}},
            },
        ]
    }


ITEM = {"type": "object", "properties": {"name": {"type": "string"}, "color": {"type": "string"}}}
LABEL = {
    "type": "object",
    "description": "The spec's own label.",
    "properties": {"name": {"type": "string"}},
}
SCHEMAS = {  # the made-up `Label` comes before the schema `Label`
    "IssueLabelsItem": ITEM,
    "Issue": _labelled("IssueLabelsItem"),
    "Label": LABEL,
    "PullLabelsItem": ITEM,
    "Pull": _labelled("PullLabelsItem"),
}


def _tagged(tag: str, mapping: dict[str, str]) -> dict[str, Any]:
    """A discriminated union of the schemas `mapping` names (tag value → schema name)."""
    return {
        "oneOf": [{"$ref": REF + name} for name in mapping.values()],
        "discriminator": {"propertyName": tag, "mapping": {v: REF + n for v, n in mapping.items()}},
    }


def _classes(source: str) -> dict[str, ast.ClassDef]:
    found = {n.name: n for n in ast.parse(source).body if isinstance(n, ast.ClassDef)}
    assert len(found) == source.count("\nclass "), "each class defined once"
    return found


def _item_class(classes: dict[str, ast.ClassDef], owner: str) -> str:
    [field] = [s for s in classes[owner].body if isinstance(s, ast.AnnAssign)]
    return ast.unparse(field.annotation).removeprefix("list[").split(" ")[0]


def _fields(node: ast.ClassDef) -> list[str]:
    return [ast.unparse(s.target) for s in node.body if isinstance(s, ast.AnnAssign)]


def test_a_schema_keeps_its_name_when_a_made_up_class_took_it_first() -> None:
    """Run whole, datamodel-code-generator named the merged `labels` item `Label` and the
    `Label` schema `Label1`: the package would have given Issue's label class to `Label`."""
    source, failure = _generate_or_fail(_document(SCHEMAS), {}, "# h\n")
    assert failure is None and source is not None
    classes = _classes(source)
    assert ast.get_docstring(classes["Label"]) == "The spec's own label."
    assert _fields(classes["Label"]) == ["name"]
    made_up = _item_class(classes, "Issue")
    assert made_up not in SCHEMAS and _fields(classes[made_up]) == ["name", "color"]


def test_classes_that_say_they_come_from_one_schema_keep_their_names() -> None:
    """An `allOf` of a tagged union and properties (InfluxDB's summary items): the properties'
    class, a subclass for each member (datamodel-code-generator says one comes from the schema
    itself) and the union, which collapses where it is used. None of them is renamed after the
    schema: the members' subclasses were all named `Item`, and the package did not import."""
    obj = {"type": "object", "properties": {"type": {"type": "string"}}}
    schemas: dict[str, Any] = {
        "Summary": {"type": "object", "properties": {"checks": {"type": "array", "items": {"$ref": REF + "Item"}}}},
        "Item": {
            "allOf": [
                {"$ref": REF + "Check"},
                {"type": "object", "properties": {"name": {"type": "string"}}},
            ]
        },
        "Check": _tagged("type", {"deadman": "Deadman", "threshold": "Threshold"}),
        "Deadman": obj,
        "Threshold": dict(obj),
    }
    source, failure = _generate_or_fail(_document(schemas), {}, "# h\n")
    assert failure is None and source is not None
    classes = _classes(source)
    assert {"Deadman", "Threshold", "Summary"} <= classes.keys()
    members = [c for c in classes.values() if any(ast.unparse(b) in ("Deadman", "Threshold") for b in c.bases)]
    assert len(members) == 2 and not {c.name for c in members} & schemas.keys()
    runnable = source.replace(f"from {models._PLACEHOLDER}._runtime.model import", "from pydantic import")
    namespace: dict[str, Any] = {}
    exec(compile(runnable, "models", "exec"), namespace)  # each base defined before its use
    assert {c.name for c in members} <= namespace.keys()


def test_chunks_hold_cycles_and_tagged_unions_whole_after_what_they_use(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(modelchunks, "CHUNK_SCHEMAS", 1)
    monkeypatch.setattr(modelchunks, "MAX_HELD", 100)
    obj = {"type": "object", "properties": {"kind": {"type": "string"}}}
    schemas = {
        "Tree": {"type": "object", "properties": {"forest": {"$ref": REF + "Forest"}}},
        "Forest": {"type": "array", "items": {"$ref": REF + "Tree"}},
        "Pet": _tagged("kind", {"c": "Cat", "d": "Dog"}),
        "Cat": obj,
        "Dog": obj,
        "Owner": {
            "type": "object",
            "properties": {"pet": {"$ref": REF + "Pet"}, "tree": {"$ref": REF + "Tree"}},
        },
        "Lone": obj,
    }
    found = tasks(_document(schemas))
    owned = [set(task.owned) for task in found]
    assert {"Tree", "Forest"} in owned and {"Pet", "Cat", "Dog"} in owned
    assert sorted(name for group in owned for name in group) == sorted(schemas)
    for i, task in enumerate(found):
        earlier = set().union(*owned[: i + 1])
        assert set(task.document["components"]["schemas"]) <= earlier
    assert found == tasks(_document(schemas)), "the same chunks every time"


def _chunked(schemas: dict[str, Any]) -> str:
    jobs = [_Job(t.document, {}, "# h\n", t) for t in tasks(_document(schemas))]
    assert len(jobs) > 1
    answers = [_answer(job) for job in jobs]
    assert all(failure is None for _, failure in answers)
    chunks = [chunk for chunk, _ in answers if isinstance(chunk, modelchunks.Chunk)]
    return merged("# h\n", chunks, frozenset(schemas))


def test_chunks_merge_into_the_whole_runs_classes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each schema's class is the one run's; made-up classes get names no schema has, and one
    made identically in two chunks is defined once."""
    whole, _ = _generate_or_fail(_document(SCHEMAS), {}, "# h\n")
    assert whole is not None
    monkeypatch.setattr(modelchunks, "CHUNK_SCHEMAS", 2)
    monkeypatch.setattr(modelchunks, "MAX_HELD", 100)
    source = _chunked(SCHEMAS)
    compile(source, "models.py", "exec")
    classes, one = _classes(source), _classes(whole)
    for name in SCHEMAS:
        if name not in ("Issue", "Pull"):  # those two name a made-up class
            assert ast.unparse(classes[name]) == ast.unparse(one[name])
    made_up = _item_class(classes, "Issue")
    assert made_up == _item_class(classes, "Pull") and made_up not in SCHEMAS
    assert _fields(classes[made_up]) == ["name", "color"]
    assert set(classes) == {*SCHEMAS, made_up}


def test_schemas_that_reach_far_are_not_chunked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each chunk runs with all it reaches: when that adds up to more than `MAX_HELD` times
    the schemas, one run is cheaper."""
    monkeypatch.setattr(modelchunks, "CHUNK_SCHEMAS", 1)
    obj = {"type": "object", "properties": {"a": {"type": "string"}}}
    schemas: dict[str, Any] = {"Base": obj}
    for i in range(4):  # each uses everything before it
        schemas[f"S{i}"] = {"type": "object", "properties": {n: {"$ref": REF + n} for n in schemas}}
    assert tasks(_document(schemas)) == []
    monkeypatch.setattr(modelchunks, "MAX_HELD", 100)
    assert len(tasks(_document(schemas))) == len(schemas)


def test_renamed_changes_names_and_leaves_strings_alone() -> None:
    text = 'class A(B):\n    """B, in words."""\n    b: B | None = Field(None, alias="B")  # B\n'
    assert renamed(text, {"B": "C", "A": "A"}) == (
        'class A(C):\n    """B, in words."""\n    b: C | None = Field(None, alias="B")  # B\n'
    )


# --- the whole pipeline, chunked ----------------------------------------------------------------


def _render(api: Api) -> dict[str, str]:
    diagnostics = Diagnostics()
    options = RenderOptions(package="pkg", spec_name="spec", spec_sha256="0" * 64)
    files = render_package(api, options, diagnostics)
    assert not list(diagnostics)
    return files


def test_the_package_is_the_same_with_any_number_of_workers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Chunks in this process, in one worker and in two give the same files; the models
    compile, and every schema's class is there."""
    api = _api(CORPUS / "spotify.json")
    monkeypatch.setattr(models, "CHUNK_MIN_SCHEMAS", 0)
    monkeypatch.setattr(modelchunks, "CHUNK_SCHEMAS", 40)
    monkeypatch.setattr(modelchunks, "MAX_HELD", 100)
    monkeypatch.setattr(models, "WORKER_MIN_SCHEMAS", 10**9)
    here = _render(api)
    monkeypatch.setattr(models, "WORKER_MIN_SCHEMAS", 0)
    for workers in (1, 2):
        monkeypatch.setattr(models, "MODEL_WORKERS", workers)
        assert _render(api) == here
    monkeypatch.setattr(models, "CHUNK_MIN_SCHEMAS", 10**9)
    whole = _render(api)
    model_files = sorted(p for p in here if "/models/" in p)
    for path in model_files:
        compile(here[path], path, "exec")
    assert model_files == sorted(p for p in whole if "/models/" in p)


def test_a_chunk_worker_that_dies_is_a_diagnostic(monkeypatch: pytest.MonkeyPatch) -> None:
    api = _api(CORPUS / "spotify.json")
    monkeypatch.setattr(models, "CHUNK_MIN_SCHEMAS", 0)
    monkeypatch.setattr(modelchunks, "CHUNK_SCHEMAS", 40)
    monkeypatch.setattr(modelchunks, "MAX_HELD", 100)
    monkeypatch.setattr(models, "WORKER_MIN_SCHEMAS", 0)
    monkeypatch.setattr(models, "MODEL_WORKERS", 2)
    diagnostics = Diagnostics()
    with models.start_models(api.schemas, "# h\n", None) as pending:
        assert pending._crew is not None and len(pending._crew.workers) == 2
        pending._crew.workers[1].kill()
        made = pending.result(api, diagnostics)
    assert made.classes == frozenset()
    [diagnostic] = diagnostics
    assert diagnostic.code == "models-failed"
    assert "the datamodel-code-generator process ended" in diagnostic.message


def test_no_class_keeps_the_name_of_a_schema_that_has_none() -> None:
    """A root model datamodel-code-generator collapses (`Label`: an array) has no class; an
    inline object it met first must not keep the name `Label` (the package would take it for
    the schema's class)."""
    text = {"type": "string"}
    schemas = {
        "Issue": {
            "type": "object",
            "properties": {
                "label": {"type": "object", "properties": {"a": text}},
                "labels": {"$ref": REF + "Label"},
            },
        },
        "Label": {"type": "array", "items": text},
    }
    source, failure = _generate_or_fail(_document(schemas), {}, "# h\n")
    assert failure is None and source is not None
    classes = _classes(source)
    assert "Label" not in classes
    [made_up] = set(classes) - {"Issue"}
    assert made_up.startswith("Label") and _fields(classes[made_up]) == ["a"]


def test_a_job_that_cannot_reach_a_worker_is_a_diagnostic() -> None:
    """The thread handing out jobs fails to send one (it cannot be pickled): reported, and the
    workers are stopped instead of waiting for jobs forever."""
    crew = models.Workers(1)
    crew.run([_Job({"x": lambda: 0}, {}, "# h\n")], 1)
    [(made, failure)] = crew.answers()
    crew.stop()
    assert made is None and failure is not None and failure[0] == "models-failed"
    assert "processes stopped" in failure[1]
    assert all(not worker.is_alive() for worker in crew.workers)


# --- the chunks' statements, laid out where they are made ---------------------------------------


def _spec_of(schemas: dict[str, Any], folder: Path) -> Path:
    spec = folder / "made-up.json"
    spec.write_text(json.dumps(_document(schemas)), encoding="utf-8")
    return spec


@pytest.mark.parametrize("case", ["spotify", "made-up classes renamed in the merge"])
def test_chunked_models_are_the_modules_the_merged_module_gives_once_formatted(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workers lay out each statement they keep, and the split reads the chunks' statements
    instead of parsing the merged module: byte for byte the modules that module gives through
    the parse, the split and the format stage, each one already laid out (nothing left for the
    format stage). The made-up `Label` of a second chunk is renamed in the merge: those
    statements are read and laid out again."""
    if case == "spotify":
        api, size = _api(CORPUS / "spotify.json"), 40
    else:
        api, size = _api(_spec_of(SCHEMAS, tmp_path)), 2
    monkeypatch.setattr(models, "CHUNK_MIN_SCHEMAS", 0)
    monkeypatch.setattr(modelchunks, "CHUNK_SCHEMAS", size)
    monkeypatch.setattr(modelchunks, "MAX_HELD", 100)
    monkeypatch.setattr(models, "WORKER_MIN_SCHEMAS", 10**9)
    header, diagnostics = "# h\n", Diagnostics()
    with models.start_models(api.schemas, header, None) as pending:
        classes, split = pending.split(api, diagnostics)
        chunks = [chunk for chunk, _ in map(_answer, pending._jobs())]
    assert not list(diagnostics)
    assert split.laid_out == split.modules.keys() and len(chunks) > 1
    made_chunks = [c for c in chunks if isinstance(c, modelchunks.Chunk)]
    assert len(made_chunks) == len(chunks)
    names = frozenset(s.name for s in api.schemas)
    renamed_in_merge = [p for p in modelchunks.joined(made_chunks, names).pieces if not p.layout]
    assert bool(renamed_in_merge) == (case != "spotify")
    source = merged(header, made_chunks, names)
    made = models._checked(source, api.schemas, Diagnostics())
    plain = split_parsed(made.parsed or Parsed({}, []), header, pending._standalone())
    assert made.classes == classes and plain.exports == split.exports
    assert not plain.laid_out
    formatted = format_files({f"{m}.py": text for m, text in plain.modules.items()}, None, None)
    assert formatted.files == {f"{m}.py": text for m, text in split.modules.items()}


def test_a_statement_black_cannot_lay_out_leaves_its_module_to_the_format_stage() -> None:
    header = "# h\n"
    good = Piece(("A",), frozenset({"BaseModel"}), "class A(BaseModel):\n    x: int", True, ("x",))
    bad = Piece(("B",), frozenset(), "B = (", layout=None)
    imports = {"BaseModel": "._runtime.model BaseModel"}
    laid = replace(good, layout=statement_layout(good.text + "\n"))
    split = split_parsed(Parsed(imports, [laid, bad]), header, ["A", "B"], laid_out_module)
    assert split.laid_out == {"_a"} and split.modules["_b"].endswith("B = (\n")
    assert split.modules["_a"] == format_source(split.modules["_a"])
