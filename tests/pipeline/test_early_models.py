"""The models started early for a large spec: datamodel-code-generator's first worker before
the spec loads, its jobs as soon as the IR is built. The output is the same; a run that fails
or never renders leaves no worker behind."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from generator import build, pipeline
from generator.config import Target
from generator.diagnostics import Diagnostics
from generator.load import load_workspace
from generator.pipeline import Options, generate
from generator.render import modelchunks, models
from tests.conftest import COMMS
from tests.pipeline.pipeline_helpers import SMALL, tree

BROKEN = SMALL.replace("#/components/schemas/Thing", "#/components/schemas/Nothing")


def _generate(spec: Path, output: Path, cache: Path) -> pipeline.Outcome:
    target = Target(spec=spec, output=output, package="pkg")
    return generate(target, Options(force=True, cache_dir=cache))


def test_models_started_early_give_the_same_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(models, "WORKER_MIN_SCHEMAS", 0)
    monkeypatch.setattr(pipeline, "PRESTART_BYTES", 10**12)
    late = _generate(COMMS, tmp_path / "late", tmp_path / "cache-late")
    started: list[bool] = []
    real = models.Workers.__init__

    def spy(self: models.Workers, count: int) -> None:
        started.append(True)
        real(self, count)

    monkeypatch.setattr(models.Workers, "__init__", spy)
    monkeypatch.setattr(pipeline, "PRESTART_BYTES", 0)
    early = _generate(COMMS, tmp_path / "early", tmp_path / "cache-early")
    assert not late.failed and not early.failed
    assert started == [True], "one worker, started before the spec loaded, did the models"
    assert tree(tmp_path / "early") == tree(tmp_path / "late")
    assert multiprocessing.active_children() == []


def test_a_failed_run_leaves_no_early_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(models, "WORKER_MIN_SCHEMAS", 0)
    monkeypatch.setattr(pipeline, "PRESTART_BYTES", 0)
    spec = tmp_path / "broken.yaml"
    spec.write_text(BROKEN, encoding="utf-8")
    outcome = _generate(spec, tmp_path / "out", tmp_path / "cache")
    assert outcome.failed and not (tmp_path / "out").exists()
    assert multiprocessing.active_children() == []


def test_build_calls_built_with_the_ir_before_the_value_checks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = tmp_path / "small.yaml"
    spec.write_text(SMALL, encoding="utf-8")
    calls: list[str] = []
    check = build.check_values
    monkeypatch.setattr(build, "check_values", lambda *a: (calls.append("checks"), check(*a)))
    api = build.build_api(
        load_workspace(spec),
        package="small",
        diagnostics=Diagnostics(),
        built=lambda api: calls.append(f"built {len(api.schemas)} schemas"),
    )
    assert calls == [f"built {len(api.schemas)} schemas", "checks"] and api.schemas


def test_a_spec_likely_to_be_chunked_starts_each_worker_while_it_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As many objects with `properties` as the chunks need schemas: the second worker starts
    once the spec is loaded (before the IR is built), and warms up after the first; the
    package is the one the workers started late make."""
    monkeypatch.setattr(models, "WORKER_MIN_SCHEMAS", 0)
    monkeypatch.setattr(models, "CHUNK_MIN_SCHEMAS", 0)
    monkeypatch.setattr(modelchunks, "CHUNK_SCHEMAS", 1)
    monkeypatch.setattr(modelchunks, "MAX_HELD", 100)
    monkeypatch.setattr(pipeline, "PRESTART_BYTES", 10**12)
    late = _generate(COMMS, tmp_path / "late", tmp_path / "cache-late")
    monkeypatch.setattr(modelchunks, "CHUNK_MIN_SCHEMAS", 1)  # the guess, at load
    monkeypatch.setattr(pipeline, "PRESTART_BYTES", 0)
    added: list[tuple[int, bool]] = []
    real_add, real_build = models.Workers.add, build.build_api
    built: list[bool] = []

    def add(self: models.Workers, count: int) -> None:
        added.append((count, bool(built)))
        real_add(self, count)

    def build_api(*args: object, **kwargs: object) -> object:
        built.append(True)
        return real_build(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(models.Workers, "add", add)
    monkeypatch.setattr(build, "build_api", build_api)
    early = _generate(COMMS, tmp_path / "early", tmp_path / "cache-early")
    assert not late.failed and not early.failed
    assert added[:2] == [(1, False), (1, False)], "both workers started before the build"
    assert tree(tmp_path / "early") == tree(tmp_path / "late")
    assert multiprocessing.active_children() == []


def test_a_worker_started_early_but_not_needed_is_stopped_when_the_jobs_are_given_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The guess at load says chunks, the models run whole after all (Stripe's): the second
    worker is stopped then, not left to warm up beside the one that makes the models."""
    monkeypatch.setattr(models, "WORKER_MIN_SCHEMAS", 0)
    monkeypatch.setattr(modelchunks, "CHUNK_MIN_SCHEMAS", 1)  # the guess, at load
    monkeypatch.setattr(pipeline, "PRESTART_BYTES", 0)
    crews: list[models.Workers] = []
    real = models.Workers.run

    def run(self: models.Workers, jobs: list[models._Job], count: int) -> None:
        crews.append(self)
        real(self, jobs, count)

    monkeypatch.setattr(models.Workers, "run", run)
    outcome = _generate(COMMS, tmp_path / "out", tmp_path / "cache")
    assert not outcome.failed
    [crew] = crews
    assert len(crew.workers) == 1 and len(crew._spare) == 1
    assert crew._spare[0].exitcode is not None and crew._spare[0].exitcode < 0, "terminated"
    assert multiprocessing.active_children() == []
