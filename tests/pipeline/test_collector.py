"""The cycle collector while oagen works: fewer collections, the spec and IR frozen during
render, everything left as it was afterwards (a library caller's process is not changed), and
the `oagen` command's exit without one more walk of the heap."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

import pytest

from generator.collector import YOUNG, fewer_collections, frozen, in_worker
from generator.config import Target
from generator.pipeline import Options, generate
from tests.conftest import ROOT
from tests.pipeline.pipeline_helpers import SMALL


def test_fewer_collections_for_the_block_only() -> None:
    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold() == (max(before[0], YOUNG), *before[1:])
    assert gc.get_threshold() == before


def test_a_rarer_threshold_set_by_the_caller_is_kept() -> None:
    before = gc.get_threshold()
    gc.set_threshold(YOUNG * 4, *before[1:])
    try:
        with fewer_collections():
            assert gc.get_threshold()[0] == YOUNG * 4
        in_worker()
        assert gc.get_threshold()[0] == YOUNG * 4
    finally:
        gc.set_threshold(*before)


def test_frozen_unfreezes_and_leaves_a_callers_freeze_alone() -> None:
    assert gc.get_freeze_count() == 0
    with frozen():
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0
    gc.freeze()  # a pre-forking server, say, froze its own objects
    try:
        count = gc.get_freeze_count()
        with frozen():
            assert gc.get_freeze_count() == count
        assert gc.get_freeze_count() == count
    finally:
        gc.unfreeze()


BROKEN = SMALL.replace("#/components/schemas/Thing", "#/components/schemas/Nothing")


@pytest.mark.parametrize("spec_text", [SMALL, BROKEN], ids=["valid", "broken-ref"])
def test_generate_leaves_the_collector_as_it_found_it(tmp_path: Path, spec_text: str) -> None:
    spec = tmp_path / "small.yaml"
    spec.write_text(spec_text, encoding="utf-8")
    target = Target(spec=spec, output=tmp_path / "out", package="small")
    before, seen = gc.get_threshold(), []

    def progress(line: str) -> None:
        seen.append((line, gc.get_threshold()[0], gc.get_freeze_count()))

    outcome = generate(target, Options(cache_dir=tmp_path / "cache"), progress=progress)
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
    assert outcome.failed == (spec_text != SMALL)
    assert seen and all(young == max(before[0], YOUNG) for _, young, _ in seen)
    if not outcome.failed:
        render = next(frozen for line, _, frozen in seen if line.startswith("render"))
        assert render > 0  # the spec and the IR were out of the collector's walks


def test_the_command_freezes_the_heap_at_exit() -> None:
    """atexit runs last-registered first: `quick_exit`'s freeze runs before the probe."""
    code = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: print(gc.get_freeze_count() > 0))\n"
        "from generator.cli import main\n"
        "sys.argv = ['oagen', 'validate', '--help']\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip().endswith("True")
