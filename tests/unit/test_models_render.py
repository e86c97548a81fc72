"""render/models.py: repairs of datamodel-code-generator's output, and running it in a worker
process while the rest of the package renders."""

from __future__ import annotations

import json
import signal
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from generator.cache import Cache
from generator.config import Target
from generator.diagnostics import Diagnostics
from generator.ir import Api
from generator.pipeline import Options, analyse
from generator.render import RenderOptions, models, package, render_package
from generator.render import options as render_options
from generator.render.models import (
    PendingModels,
    _parametrise_bare_containers,
    predicted_classes,
    render_models,
)
from tests.conftest import COMMS, CORPUS, ROOT
from tests.hostile.test_hostile_sandbox import too_deep_for_the_models

HEAD = "# header\n\nfrom __future__ import annotations\n\nfrom pydantic import RootModel\n\n\n"


def test_bare_list_and_dict_get_their_type_arguments() -> None:
    """opc-baseline's self-referencing array of maps came out as `RootModel[list]`, which mypy
    --strict rejects; list[int] and a field named `list` stay as they are."""
    source = HEAD + (
        "class Tree(RootModel[list]):\n"
        "    root: list\n\n\n"
        "class Other(BaseModel):\n"
        "    items: list[int] | dict | None = None\n"
        "    list: int = 0\n"
    )
    assert _parametrise_bare_containers(source) == (
        "# header\n\nfrom __future__ import annotations\nfrom typing import Any\n\n"
        "from pydantic import RootModel\n\n\n"
        "class Tree(RootModel[list[Any]]):\n"
        "    root: list[Any]\n\n\n"
        "class Other(BaseModel):\n"
        "    items: list[int] | dict[str, Any] | None = None\n"
        "    list: int = 0\n"
    )


def test_bare_containers_in_blocks_and_annotations_over_several_lines() -> None:
    source = HEAD + (
        "if TYPE_CHECKING:\n"
        "    class Inner(BaseModel):\n"
        "        x: Annotated[\n"
        "            dict | None, Field(description='a list of things')\n"
        "        ] = None\n"
        "try:\n"
        "    y: list\n"
        "finally:\n"
        "    pass\n"
    )
    repaired = _parametrise_bare_containers(source)
    assert "            dict[str, Any] | None, Field(description='a list of things')\n" in repaired
    assert "    y: list[Any]\n" in repaired


def test_source_without_bare_containers_is_unchanged() -> None:
    source = HEAD + "class Tree(RootModel[list[int]]):\n    root: list[int]\n"
    assert _parametrise_bare_containers(source) is source


# --- datamodel-code-generator in a worker process, while the rest renders ----------------------

SPECS = [
    COMMS,
    ROOT / "tests" / "snapshot" / "specs" / "composition.yaml",
    ROOT / "tests" / "hostile" / "specs" / "hostile-strings.json",
    CORPUS / "petstore.swagger2.yaml",
    CORPUS / "spotify.json",
]


def _api(spec: Path) -> Api:
    if not spec.is_file():
        pytest.skip(f"{spec} is not on this machine")
    target = Target(spec=spec, output=spec.parent / "unused", package="pkg")
    _, api, diagnostics = analyse(target, Options())
    assert api is not None, [d.message for d in diagnostics]
    return api


def _render(api: Api) -> tuple[dict[str, str], Diagnostics]:
    diagnostics = Diagnostics()
    options = RenderOptions(package="pkg", spec_name="spec", spec_sha256="0" * 64)
    return render_package(api, options, diagnostics), diagnostics


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.name)
def test_the_predicted_model_classes_are_the_ones_made(spec: Path) -> None:
    api = _api(spec)
    made = render_models(api, api.schemas, "# h\n", Diagnostics())
    assert predicted_classes(api.schemas) == made.classes & {s.name for s in api.schemas}


def test_models_made_in_a_worker_process_give_the_same_package(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    api = _api(SPECS[1])
    monkeypatch.setattr(models, "WORKER_MIN_SCHEMAS", 10**9)
    here, _ = _render(api)
    monkeypatch.setattr(models, "WORKER_MIN_SCHEMAS", 0)
    in_worker: list[bool] = []
    start = models.start_models

    def spy(*args: Any) -> PendingModels:
        pending = start(*args)
        in_worker.append(pending._crew is not None)
        return pending

    monkeypatch.setattr(render_options, "start_models", spy)
    there, diagnostics = _render(api)
    assert in_worker == [True], "datamodel-code-generator ran in a worker"
    assert there == here and not list(diagnostics)


def test_an_error_or_interrupt_stops_the_worker_without_waiting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    api = _api(SPECS[1])
    monkeypatch.setattr(models, "WORKER_MIN_SCHEMAS", 0)
    pending = models.start_models(api.schemas, "# h\n", None)
    assert pending._crew is not None
    [worker] = pending._crew.workers
    with pytest.raises(KeyboardInterrupt), pending:
        raise KeyboardInterrupt
    assert worker.exitcode == -signal.SIGTERM and pending._crew is None


def test_a_wrong_prediction_renders_the_package_again(monkeypatch: pytest.MonkeyPatch) -> None:
    api = _api(SPECS[1])
    right, _ = _render(api)
    monkeypatch.setattr(package, "predicted_classes", lambda schemas: frozenset())
    assert _render(api)[0] == right


def test_a_failure_in_the_worker_process_is_a_diagnostic(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(models, "WORKER_MIN_SCHEMAS", 0)
    _, diagnostics = _render(_api(too_deep_for_the_models(tmp_path / "deep.json")))
    assert [d.code for d in diagnostics] == ["too-deep"]


def test_a_worker_that_dies_without_an_answer_is_a_diagnostic(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Killed from outside (the kernel's out-of-memory killer, say) before it answered."""
    api = _api(SPECS[1])
    monkeypatch.setattr(models, "WORKER_MIN_SCHEMAS", 0)
    diagnostics = Diagnostics()
    with models.start_models(api.schemas, "# h\n", None) as pending:
        assert pending._crew is not None
        pending._crew.workers[0].kill()
        made = pending.result(api, diagnostics)
    assert made.classes == frozenset()
    assert [(d.code, d.message) for d in diagnostics] == [
        ("models-failed", f"the datamodel-code-generator process ended ({-signal.SIGKILL})")
    ]


def test_while_the_worker_runs_the_rest_is_handed_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """`render_package(…, meanwhile)` gives the files rendered so far, as the package will
    have them, to `meanwhile` while the worker is busy, with `more()` saying whether it still
    is; the package is the same."""
    api = _api(SPECS[1])
    right, _ = _render(api)
    monkeypatch.setattr(models, "WORKER_MIN_SCHEMAS", 0)
    with models.start_models(api.schemas, "# h\n", None) as pending:
        assert pending.running()
        pending.result(api, Diagnostics())
        assert not pending.running()
    answers = iter([True, True, False])  # running() before the call, then more() twice
    monkeypatch.setattr(PendingModels, "running", lambda self: next(answers, False))
    seen: list[dict[str, str]] = []

    def meanwhile(files: Mapping[str, str], more: Callable[[], bool]) -> None:
        seen.append(dict(files))
        assert more() and not more()

    options = RenderOptions(package="pkg", spec_name="spec", spec_sha256="0" * 64)
    assert render_package(api, options, Diagnostics(), meanwhile) == right
    assert len(seen) == 1 and seen[0].items() <= right.items()
    assert "pkg/client.py" in seen[0] or "pkg/_client.py" in seen[0]
    assert not any(path.startswith("pkg/models/") for path in seen[0])


def test_workers_started_early_make_the_same_models(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers started before the schemas were known (`Workers(1)`, what the pipeline does
    for a large spec) take the jobs, a second one started for a second job; same models."""
    api = _api(SPECS[1])
    here = render_models(api, api.schemas, "# h\n", Diagnostics())
    monkeypatch.setattr(models, "WORKER_MIN_SCHEMAS", 0)
    early = models.Workers(1)
    with models.start_models(api.schemas, "# h\n", None, early) as pending:
        assert pending._crew is early and len(early.workers) == 1
        there = pending.result(api, Diagnostics())
    assert there.source == here.source and there.classes == here.classes
    assert all(worker.exitcode == 0 for worker in early.workers)


def test_workers_started_early_but_not_needed_are_stopped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No job for them (a small API runs in this process, or the cache answers): stopped at
    once, not left running."""
    api = _api(SPECS[1])
    monkeypatch.setattr(models, "WORKER_MIN_SCHEMAS", 10**9)
    early = models.Workers(1)
    with models.start_models(api.schemas, "# h\n", None, early) as pending:
        assert pending._crew is None
        assert all(worker.exitcode is not None for worker in early.workers)
        assert pending.result(api, Diagnostics()).classes


def test_cancel_stops_the_workers_without_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    api = _api(SPECS[1])
    monkeypatch.setattr(models, "WORKER_MIN_SCHEMAS", 0)
    pending = models.start_models(api.schemas, "# h\n", None)
    assert pending._crew is not None
    [worker] = pending._crew.workers
    pending.cancel()
    assert worker.exitcode == -signal.SIGTERM and pending._crew is None
    pending.cancel()  # a second time: nothing to do


def _options(cache: Path) -> RenderOptions:
    return RenderOptions(package="pkg", spec_name="spec", spec_sha256="0" * 64, cache=Cache(cache))


def _cached_render(api: Api, cache: Path) -> tuple[dict[str, str], Diagnostics]:
    diagnostics = Diagnostics()
    return render_package(api, _options(cache), diagnostics), diagnostics


def _split_entries(cache: Path) -> list[Path]:
    return [path for path in (cache / "models-split").rglob("*") if path.is_file()]


def test_unchanged_schemas_take_their_classes_and_modules_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run that leaves every schema alone (an operation edited) neither parses the models nor
    splits them again (GitHub's: ~1 s of a warm run); the package is the same."""
    api = _api(SPECS[4])
    first, _ = _cached_render(api, tmp_path)
    assert len(_split_entries(tmp_path)) == 1

    def unused(*args: object, **kwargs: object) -> None:
        raise AssertionError("the models were parsed or split again")

    monkeypatch.setattr(models, "_checked", unused)
    monkeypatch.setattr(models, "split_parsed", unused)
    again, diagnostics = _cached_render(api, tmp_path)
    assert again == first and not diagnostics.has_errors


def test_a_split_entry_that_cannot_be_read_is_a_miss(tmp_path: Path) -> None:
    api = _api(SPECS[4])
    first, _ = _cached_render(api, tmp_path)
    [entry] = _split_entries(tmp_path)
    good = json.loads(entry.read_text(encoding="utf-8"))
    some_class = good["classes"][0]
    for broken in (
        "{",
        "[]",
        "[" * 100_000,
        '{"classes": 1}',
        '{"classes": [], "fields": {}}',
        json.dumps({**good, "modules": dict.fromkeys(good["modules"], 1)}),
        json.dumps({**good, "fields": {k: v for k, v in good["fields"].items() if k != some_class}}),
        json.dumps({**good, "classes": [*good["classes"], 7]}),
        json.dumps({**good, "laid_out": ["_no_such_module"]}),
        json.dumps({**good, "laid_out": 1}),
    ):
        [entry] = _split_entries(tmp_path)
        entry.write_text(broken, encoding="utf-8")
        assert _cached_render(api, tmp_path)[0] == first


def test_classes_from_the_cache_are_checked_against_the_schemas(tmp_path: Path) -> None:
    """The cache holds each class's fields, so that a schema's property without a field is
    reported as when the models were made (here: an entry edited by hand)."""
    api = _api(SPECS[4])
    _cached_render(api, tmp_path)
    [entry] = _split_entries(tmp_path)
    found = json.loads(entry.read_text(encoding="utf-8"))
    name = next(s.name for s in api.schemas if s.schema.properties and s.name in found["fields"])
    found["fields"][name] = []
    entry.write_text(json.dumps(found), encoding="utf-8")
    _, diagnostics = _cached_render(api, tmp_path)
    assert any(
        d.code == "model-missing" and d.message.startswith(f"model {name} has no field")
        for d in diagnostics
    )


def test_the_models_source_is_still_read_from_the_cache_beside_the_split(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`result()` (the one module, for `render_models`) where `split` would take the modules
    from the cache: the source comes from the cache too, datamodel-code-generator never runs."""
    api = _api(SPECS[4])
    _cached_render(api, tmp_path)

    def unused(*args: object, **kwargs: object) -> None:
        raise AssertionError("datamodel-code-generator ran again")

    monkeypatch.setattr(models, "_answer", unused)
    made = render_models(api, api.schemas, package.header(_options(tmp_path)), Diagnostics(), Cache(tmp_path))
    assert made.classes


def test_model_metadata_without_the_fields_changes_no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """datamodel-code-generator's metadata is made without its fields' entries (they cost ~6 %
    of its time, and nothing reads them): the models and the classes the metadata names are
    those of the full metadata."""
    from datamodel_code_generator.parser.base import Parser

    api = _api(SPECS[4])
    document = {
        "openapi": "3.1.0",
        "info": {"title": "models", "version": "0"},
        "paths": {},
        "components": {"schemas": models._components(api.schemas)},
    }
    full = models._lean_metadata()
    assert isinstance(full, staticmethod), "the pinned datamodel-code-generator has the hook"
    lean = models._generate(document, models._aliases(api.schemas), "# h\n")
    assert Parser._field_metadata(None) == {}
    monkeypatch.setattr(Parser, "_field_metadata", full)
    assert models._generate(document, models._aliases(api.schemas), "# h\n") == lean
    assert lean[1] and lean[0].count("\nclass ") >= len(lean[1]) // 2
