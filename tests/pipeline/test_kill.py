"""A real `oagen generate`, killed with `timeout -s KILL` at several delays: old or new, never a mix.

Generation 1 of the Comms spec is in place; generation 2 (one operation renamed) is written by a
subprocess that is SIGKILLed after a delay. Right after the kill the output must hold exactly
the files of one generation's manifest (plus the user's file); the next run must finish the
job and leave no staging folder or lock behind.
"""

from __future__ import annotations

import functools
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import COMMS, ROOT
from tests.pipeline.pipeline_helpers import manifest_files, oagen, tree

DELAYS = {"quick": (0.6, 1.5), "thorough": (0.3, 0.7, 1.1, 1.5, 2.0, 3.0, 4.0)}
"""Seconds after the start: interpreter start-up, load, build, render, format, write."""
AFTER_FORMAT = {"quick": (0.0, 0.01, 0.05), "thorough": (0.0, 0.002, 0.005, 0.01, 0.02, 0.05)}
"""Seconds after the `format:` progress line: inside the write stage."""


def complete(out: Path) -> dict[str, bytes]:
    """The tree, checked to be exactly one manifest's files plus the user's file.

    The manifest's inputs hash is blanked: it covers oagen's own code, which may be edited
    while the test runs; the files it lists are what matters."""
    state = tree(out)
    assert set(state) == manifest_files(out) | {"NOTES.txt"}
    manifest = state[".oagen-manifest.json"]
    state[".oagen-manifest.json"] = re.sub(rb'"inputs": "[^"]*"', b'"inputs": ""', manifest)
    return state


@pytest.fixture(scope="module")
def generations(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, bytes], dict[str, bytes]]:
    work = tmp_path_factory.mktemp("kill")
    old_spec, new_spec = work / "v1" / "comms.yaml", work / "v2" / "comms.yaml"
    renamed = COMMS.read_text().replace("operationId: listSenderPools", "operationId: listAllSenderPools")
    for path, text in ((old_spec, COMMS.read_text()), (new_spec, renamed)):
        path.parent.mkdir()
        path.write_text(text)
    trees = []
    for spec in (old_spec, new_spec):
        out = work / f"golden-{spec.parent.name}"
        assert oagen("generate", spec, "-o", out, "--package", "comms").returncode == 0
        (out / "NOTES.txt").write_text("the user's")
        trees.append(complete(out))
    assert trees[0] != trees[1]
    return work / "golden-v1", new_spec, trees[0], trees[1]


def command(spec: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "generator", "generate", str(spec), "-o", str(out), "--package", "comms", *extra]


def kill_after(seconds: float, spec: Path, out: Path) -> int:
    """`timeout -s KILL SECONDS oagen generate …`; returns its exit code."""
    argv = ["timeout", "-s", "KILL", f"{seconds:.2f}", *command(spec, out, "-q")]
    return subprocess.run(argv, cwd=ROOT, capture_output=True, check=False, timeout=300).returncode


def kill_after_format(seconds: float, spec: Path, out: Path) -> None:
    """SIGKILL `oagen generate -v` `seconds` after it reports the format stage done."""
    with subprocess.Popen(command(spec, out, "-v"), cwd=ROOT, stderr=subprocess.PIPE, text=True) as process:
        assert process.stderr is not None
        for line in process.stderr:
            if line.lstrip().startswith("format:"):
                break
        time.sleep(seconds)
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=300)


def verify(out: Path, old: dict[str, bytes], new: dict[str, bytes], spec: Path, when: str) -> str:
    """Old or new, never a mix; leftovers (staging folders, lock) go with the next run."""
    state = complete(out)
    assert state in (old, new), f"mixed tree after a kill {when}"
    if len(list(out.parent.iterdir())) > 1:
        again = oagen("generate", spec, "-o", out, "--package", "comms")
        assert again.returncode == 0, again.stderr
        assert complete(out) == new
        assert [p.name for p in out.parent.iterdir()] == [out.name], "leftovers not cleaned"
    return "new" if state == new else "old"


@pytest.mark.parametrize("plan", ["quick", pytest.param("thorough", marks=pytest.mark.slow)])
def test_kill_at_several_delays(plan: str, generations: tuple[Path, Path, dict[str, bytes], dict[str, bytes]], tmp_path: Path) -> None:
    golden_old, new_spec, old, new = generations
    out = tmp_path / "out"
    seen = []
    kills: list[tuple[str, Callable[[], object]]] = [
        (f"after {d} s", functools.partial(kill_after, d, new_spec, out)) for d in DELAYS[plan]
    ]
    kills += [
        (f"{d} s after formatting", functools.partial(kill_after_format, d, new_spec, out))
        for d in AFTER_FORMAT[plan]
    ]
    for when, kill in kills:
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree(golden_old, out)
        kill()
        seen.append(verify(out, old, new, new_spec, when))
    assert "old" in seen, seen
    again = oagen("generate", new_spec, "-o", out, "--package", "comms")
    assert again.returncode == 0 and complete(out) == new
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
