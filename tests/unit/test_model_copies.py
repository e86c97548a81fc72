"""render/modelcopies.py: a schema that is a copy of an earlier one reaches
datamodel-code-generator as a one-property stand-in, and its class is the earlier one's, renamed;
the models are the same text as without stand-ins."""

from __future__ import annotations

from typing import Any

import pytest

from generator.format import split_statements
from generator.render import modelchunks, modelcopies, models
from generator.render.modelchunks import merged, tasks
from generator.render.modelcopies import (
    STAND_IN_PROPERTY,
    StandIns,
    plan,
    with_copies,
    with_stand_ins,
)
from generator.render.models import _answer, _generate_or_fail, _Job
from tests.conftest import CORPUS
from tests.unit.test_model_chunks import REF, _classes, _document, _fields, _labelled, _render
from tests.unit.test_models_render import _api

USER = {
    "type": ["object", "null"],
    "description": "A GitHub user.\n\nTwo paragraphs,\nthree lines.",
    "properties": {
        "login": {"type": "string", "description": "The handle."},
        "id": {"type": "integer"},
        "kind": {"type": "string", "enum": ["Bot", "User"]},
        "email": {"type": ["string", "null"]},
    },
    "required": ["login", "id"],
}
LINK = {"type": "object", "properties": {"href": {"type": "string"}}, "required": ["href"]}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": REF + name}


SCHEMAS: dict[str, Any] = {
    "Issue": {  # before the users it names: the order of classes follows references
        "type": "object",
        "properties": {
            "user": _ref("IssueUser"),
            "assignees": {"type": "array", "items": _ref("IssueAssignee")},
            "closed_by": {"anyOf": [_ref("IssueClosedBy"), {"type": "null"}]},
            "html": _ref("IssueLinksHtml"),
            "self": _ref("IssueLinksSelf"),
        },
        "required": ["user"],
    },
    "SimpleUser": USER,
    "IssueUser": USER,
    "IssueAssignee": USER,
    "IssueClosedBy": USER,
    "IssueLinksHtml": LINK,
    "IssueLinksSelf": LINK,
}


def test_copies_are_identical_plain_objects_after_their_first() -> None:
    assert plan(SCHEMAS, {}).copies == {
        "IssueUser": "SimpleUser",
        "IssueAssignee": "SimpleUser",
        "IssueClosedBy": "SimpleUser",
        "IssueLinksSelf": "IssueLinksHtml",
    }


def test_what_a_class_is_written_from_beyond_its_own_text_is_never_a_copy() -> None:
    """References (the order of classes follows them), an `allOf` and what it reaches (members
    that define a property twice are merged by comparing the definitions), a discriminated
    union's members, other field aliases, and what is not an object of properties."""
    schemas: dict[str, Any] = {
        "Link": LINK,
        "WithRef": {"type": "object", "properties": {"link": _ref("Link")}},
        "WithRefToo": {"type": "object", "properties": {"link": _ref("Link")}},
        "Child": {"allOf": [_ref("Base"), {"type": "object", "properties": {"a": LINK}}]},
        "Base": {"type": "object", "properties": {"owner": _ref("Owner")}},
        "Owner": LINK,
        "Pet": {
            "oneOf": [_ref("Cat")],
            "discriminator": {"propertyName": "href", "mapping": {"c": REF + "Cat"}},
        },
        "Cat": LINK,
        "Aliased": LINK,
        "Map": {"type": "object", "additionalProperties": {"type": "string"}},
        "MapToo": {"type": "object", "additionalProperties": {"type": "string"}},
        "Empty": {"type": "object"},
        "EmptyToo": {"type": "object"},
    }
    assert plan(schemas, {"Aliased.href": "href_"}).copies == {}
    assert plan(schemas, {}).copies == {"Aliased": "Link"}


def test_the_order_of_properties_is_part_of_a_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fields are written in the order of their properties."""
    first = {"type": "object", "properties": {"x": {"type": "string"}, "y": {"type": "integer"}}}
    schemas: dict[str, Any] = {
        "A": {**first, "required": ["y"]},
        "B": {
            "type": "object",
            "properties": {"y": {"type": "integer"}, "x": {"type": "string"}},
            "required": ["y"],
        },
        "C": {**first, "required": ["y"]},
    }
    assert plan(schemas, {}).copies == {"C": "A"}
    _assert_same_models(schemas, monkeypatch)


def test_members_of_a_union_beside_properties_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each member of an `anyOf` (or `oneOf`) beside properties becomes a subclass that has the
    properties too, written with the member's definitions where both define one."""
    schemas: dict[str, Any] = {
        "Link": LINK,
        "Member": dict(LINK),
        "Other": {"type": "object", "properties": {"rel": {"type": "string"}}},
        "Either": {
            "type": "object",
            "properties": {"href": {"type": "string"}, "rel": {"type": "string"}},
            "anyOf": [_ref("Member"), _ref("Other")],
        },
        "Bare": {"anyOf": [_ref("Link"), _ref("Other")]},  # no properties: members not read
    }
    stand = plan(schemas, {})
    assert stand.copies == {} and stand.opaque == {"Link"}
    _assert_same_models(schemas, monkeypatch)


def test_a_copy_named_apart_from_its_schema_is_written_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A class datamodel-code-generator makes up (two `allOf` members' `labels` merged) takes
    the name `Label` first: it names the schema's class `Label1`, and field aliases, which it
    scopes by its own names, are not the same for `Label` and its copy. The copies are then
    written out and run again."""
    item = {"type": "object", "properties": {"name": {"type": "string"}}}
    label = {"type": "object", "properties": {"fooBar": {"type": "string"}}}
    schemas: dict[str, Any] = {
        "Item": item,
        "Issue": _labelled("Item"),
        "Label": label,
        "LabelCopy": dict(label),
    }
    aliases = {"Label.fooBar": "fb", "LabelCopy.fooBar": "fb"}
    found = plan(schemas, aliases).copies
    assert found == {"LabelCopy": "Label"}
    runs: list[dict[str, Any]] = []
    real = models._generate

    def counted(document: Any, names: Any, header: str) -> tuple[str, list[tuple[str, str]]]:
        runs.append(document["components"]["schemas"])
        return real(document, names, header)

    monkeypatch.setattr(models, "_generate", counted)
    whole, _ = _generate_or_fail(_document(schemas), aliases, "# h\n")
    whole_runs = len(runs)
    made, failure = _generate_or_fail(
        _document(with_stand_ins(schemas, found)), aliases, "# h\n", found
    )
    assert failure is None and made == whole
    assert runs[whole_runs]["LabelCopy"] != label and runs[whole_runs + 1]["LabelCopy"] == label


def test_field_aliases_reach_a_schema_whose_class_was_named_apart() -> None:
    """datamodel-code-generator scopes aliases by its own class names: where a class it made up
    took `Label`, `Label.fooBar` went to that class and the schema's class (`Label1`) kept
    `foo_bar`. The aliases are scoped again by the names it gave, and it runs once more."""
    item = {"type": "object", "properties": {"fooBar": {"type": "integer"}}}
    label = {"type": "object", "properties": {"fooBar": {"type": "string"}}}
    schemas: dict[str, Any] = {"Item": item, "Issue": _labelled("Item"), "Label": label}
    source, failure = _generate_or_fail(_document(schemas), {"Label.fooBar": "fb"}, "# h\n")
    assert failure is None and source is not None
    classes = _classes(source)
    assert _fields(classes["Label"]) == ["fb"]
    [made_up] = classes.keys() - schemas.keys()
    assert _fields(classes[made_up]) == _fields(classes["Item"]) == ["foo_bar"]


def _assert_same_models(schemas: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """The models of `schemas` are the same text with stand-ins, whole and in chunks of one
    schema (which hold stand-ins of the opaque schemas they only name)."""
    stand = plan(schemas, {})
    whole, _ = _generate_or_fail(_document(schemas), {}, "# h\n")
    document = _document(with_stand_ins(schemas, stand.copies))
    made, failure = _generate_or_fail(document, {}, "# h\n", stand.copies)
    assert failure is None and whole is not None and made == whole
    monkeypatch.setattr(modelchunks, "CHUNK_SCHEMAS", 1)
    monkeypatch.setattr(modelchunks, "MAX_HELD", 100)
    chunks = tasks(document, stand)
    jobs = [_Job(t.document, {}, "# h\n", t, models._owned(stand, t)) for t in chunks]
    plain = [_Job(t.document, {}, "# h\n", t) for t in tasks(_document(schemas))]
    made_chunks, without = (
        [c for c, _ in map(_answer, js) if isinstance(c, modelchunks.Chunk)] for js in (jobs, plain)
    )
    assert len(made_chunks) == len(jobs) > 1 and len(without) == len(plain)
    names = frozenset(schemas)
    assert merged("# h\n", made_chunks, names) == merged("# h\n", without, names)


def test_stand_ins_keep_the_type_and_have_one_property() -> None:
    found = plan(SCHEMAS, {}).copies
    document = with_stand_ins(SCHEMAS, found)
    assert document["SimpleUser"] is USER
    assert document["IssueUser"] == {
        "type": ["object", "null"],
        "properties": {STAND_IN_PROPERTY: {"type": "string"}},
    }


def test_the_models_are_the_same_text_as_without_stand_ins() -> None:
    whole, _ = _generate_or_fail(_document(SCHEMAS), {}, "# h\n")
    found = plan(SCHEMAS, {}).copies
    made, failure = _generate_or_fail(_document(with_stand_ins(SCHEMAS, found)), {}, "# h\n", found)
    assert failure is None and whole is not None
    assert made == whole
    assert "class IssueClosedBy(BaseModel):" in whole and STAND_IN_PROPERTY not in whole


def test_descriptions_that_look_like_code_do_not_end_a_copied_class() -> None:
    """Classes are found by indentation: datamodel-code-generator indents every line of a
    docstring, so a description's `class …(` or blank lines stay inside its class."""
    evil = {
        "type": "object",
        "description": 'class Evil(BaseModel):\n"""\n\n    x: int\nZ.model_rebuild()\n\\ """',
        "properties": {
            "a": {"type": "string", "description": 'class B(A):\n\n"""\n'},
            "b": {"type": "string", "enum": ["x\ny", "class Q(", '"""']},
        },
    }
    schemas = {"A": evil, "B": dict(evil), "C": {"type": "object", "properties": {"b": _ref("B")}}}
    found = plan(schemas, {}).copies
    assert found == {"B": "A"}
    whole, _ = _generate_or_fail(_document(schemas), {}, "# h\n")
    made, failure = _generate_or_fail(_document(with_stand_ins(schemas, found)), {}, "# h\n", found)
    assert failure is None and made == whole


def test_a_stand_in_that_cannot_be_found_is_a_failure_not_a_wrong_class() -> None:
    found = plan(SCHEMAS, {}).copies
    made, failure = _generate_or_fail(_document(SCHEMAS), {}, "# h\n", found)  # no stand-ins
    assert made is None and failure is not None and failure[0] == "models-failed"
    with pytest.raises(ValueError, match="cannot copy class A to B"):
        with_copies("class A(BaseModel):\n    a: str\n", {"B": "A"})


def test_a_chunk_holds_originals_of_its_copies_and_stand_ins_of_what_it_only_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One schema a chunk: `Repo` names `Owner` (opaque: a plain object), `Base` (named by an
    `allOf`, so read) and `Team` (a plain object that names another: an end). The chunk of
    `Repo` holds stand-ins of `Owner` and `Team`, and not what `Team` names; the chunk of a copy
    holds its original. Merged, the same module as without."""
    monkeypatch.setattr(modelchunks, "CHUNK_SCHEMAS", 1)
    monkeypatch.setattr(modelchunks, "MAX_HELD", 100)
    schemas: dict[str, Any] = {
        **SCHEMAS,
        "Plan": LINK,
        "Owner": {"type": "object", "properties": {"login": {"type": "string"}}},
        "Team": {"type": "object", "properties": {"plan": _ref("Plan")}},
        "Base": {"type": "object", "properties": {"id": {"type": "integer"}}},
        "Sub": {"allOf": [_ref("Base"), {"type": "object", "properties": {"x": {"type": "string"}}}]},
        "Repo": {
            "type": "object",
            "properties": {"owner": _ref("Owner"), "base": _ref("Base"), "team": _ref("Team")},
        },
    }
    stand = plan(schemas, {})
    assert stand.copies["Plan"] == "IssueLinksHtml"
    assert {"Owner", "SimpleUser"} <= stand.opaque and not {"Base", "Team"} & stand.opaque
    assert "Team" in stand.ends and "Base" not in stand.ends
    document = _document(with_stand_ins(schemas, stand.copies))
    chunks = tasks(document, stand)
    by_owner = {name: t for t in chunks for name in t.owned}
    held = by_owner["Repo"].document["components"]["schemas"]
    assert set(held) == {"Repo", "Owner", "Base", "Team"}
    stood_in = {"type": "object", "properties": {STAND_IN_PROPERTY: {"type": "string"}}}
    assert held["Owner"] == held["Team"] == stood_in and held["Base"] == schemas["Base"]
    assert by_owner["IssueUser"].document["components"]["schemas"]["SimpleUser"] == USER
    jobs = [_Job(t.document, {}, "# h\n", t, models._owned(stand, t)) for t in chunks]
    made = [chunk for chunk, _ in map(_answer, jobs) if isinstance(chunk, modelchunks.Chunk)]
    assert len(made) == len(chunks) > 1
    plain = [_Job(t.document, {}, "# h\n", t) for t in tasks(_document(schemas))]
    without = [chunk for chunk, _ in map(_answer, plain) if isinstance(chunk, modelchunks.Chunk)]
    names = frozenset(schemas)
    assert merged("# h\n", made, names) == merged("# h\n", without, names)


@pytest.mark.parametrize("chunked", [False, True])
def test_a_real_spec_renders_the_same_package_with_and_without_copies(
    monkeypatch: pytest.MonkeyPatch, chunked: bool
) -> None:
    """Webflow's 170 schemas hold 47 copies (GitHub's 3,429: 1,252; the slow test below
    compares the package of every corpus spec that has copies)."""
    api = _api(CORPUS / "webflow.json")
    if chunked:
        monkeypatch.setattr(models, "CHUNK_MIN_SCHEMAS", 0)
        monkeypatch.setattr(modelchunks, "CHUNK_SCHEMAS", 40)
        monkeypatch.setattr(modelchunks, "MAX_HELD", 100)
    monkeypatch.setattr(models, "WORKER_MIN_SCHEMAS", 10**9)
    assert len(plan(models._components(api.schemas), models._aliases(api.schemas)).copies) == 47
    with_stand_ins = _render(api)
    monkeypatch.setattr(models, "plan", lambda schemas, aliases: StandIns())
    without = _render(api)
    assert modelcopies.STAND_IN_PROPERTY not in "".join(with_stand_ins.values())
    if not chunked:
        assert without == with_stand_ins
        return
    # In chunks, a stand-in of an end (it names other schemas) sorts earlier in its chunk than
    # the schema would: datamodel-code-generator orders a chunk's classes by the depth of their
    # references. The classes, their text and every other file are the same; two of Webflow's
    # modules have theirs in another order, dependencies first (no `model_rebuild()` needed).
    assert without.keys() == with_stand_ins.keys()
    reordered = [p for p in without if without[p] != with_stand_ins[p]]
    assert reordered == ["pkg/models/_patch_document_id.py", "pkg/models/_post_documents.py"]
    for path in reordered:
        assert _unordered(with_stand_ins[path]) == _unordered(without[path])
        assert ".model_rebuild()" not in with_stand_ins[path]


def _unordered(module: str) -> list[str]:
    """A module's statements but `model_rebuild()` calls, in a fixed order."""
    return sorted(s for _, s in split_statements(module) if not s.endswith(".model_rebuild()\n"))


@pytest.mark.slow
@pytest.mark.parametrize(
    "spec",
    [path.name for path in sorted(CORPUS.glob("*.*"))],
)
def test_every_corpus_package_is_the_same_without_copies(
    monkeypatch: pytest.MonkeyPatch, spec: str
) -> None:
    api = _api(CORPUS / spec)
    if not plan(models._components(api.schemas), models._aliases(api.schemas)).copies:
        pytest.skip("no copies")
    with_stand_ins = _render(api)
    monkeypatch.setattr(models, "plan", lambda schemas, aliases: StandIns())
    assert _render(api) == with_stand_ins
