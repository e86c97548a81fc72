"""Safe writes: all or nothing under a kill at any step, user files, symlinks, the lock."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator import write
from generator.cli import run
from generator.write import MANIFEST, Manifest, locked, sha256, write_output
from tests.conftest import ROOT
from tests.pipeline.pipeline_helpers import SMALL, oagen, tree

HOOKED = ("_write_file", "_link_or_copy", "_exchange", "_rescue_user_entries", "_copy_user_entries")


def files_v(version: int) -> dict[str, bytes]:
    """Two generations of a managed tree: some files changed, one gone, one new."""
    common = {"pkg/__init__.py": b"init\n", "pkg/same.py": b"same\n", "README.md": b"readme\n"}
    if version == 1:
        return {**common, "pkg/changed.py": b"one\n", "pkg/gone.py": b"gone\n"}
    return {**common, "pkg/changed.py": b"two\n", "pkg/sub/new.py": b"new\n"}


def manifest(files: dict[str, bytes]) -> Manifest:
    return Manifest(
        generator="oagen test",
        spec="api.yaml",
        inputs="sha256:x",
        files={p: sha256(d) for p, d in files.items()},
    )


def expected_tree(files: dict[str, bytes], user: dict[str, bytes]) -> dict[str, bytes]:
    return {**files, **user, MANIFEST: manifest(files).to_json().encode()}


USER = {"notes.txt": b"mine\n", "pkg/custom.py": b"# my code\n"}


def prepare(out: Path) -> None:
    with locked(out):
        write_output(out, files_v(1), manifest(files_v(1)))
    for path, data in USER.items():
        (out / path).write_bytes(data)


def write_killed_at(out: Path, step: int, exchange: bool = True) -> int:
    """Fork; in the child, write generation 2 and SIGKILL itself before hooked call `step`.

    Returns how many hooked calls the child reached (a number above the total means it ran
    to the end)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        os.close(read_end)
        _child(out, step, exchange, write_end)
    os.close(write_end)
    _, status = os.waitpid(pid, 0)
    with os.fdopen(read_end) as reader:
        calls = len(reader.read())
    killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    assert killed or (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0)
    return calls


def _child(out: Path, step: int, exchange: bool, pipe: int) -> None:  # pragma: no cover
    count = [0]

    def hook(function: Callable[..., Any]) -> Callable[..., Any]:
        def hooked(*args: Any, **kwargs: Any) -> Any:
            count[0] += 1
            os.write(pipe, b".")
            if count[0] == step:
                os.kill(os.getpid(), signal.SIGKILL)
            return function(*args, **kwargs)

        return hooked

    try:
        for name in HOOKED:
            setattr(write, name, hook(getattr(write, name)))
        write.os.rename = hook(os.rename)  # type: ignore[attr-defined]
        write.shutil.rmtree = hook(shutil.rmtree)  # type: ignore[attr-defined]
        if not exchange:
            write._exchange = lambda a, b: False  # type: ignore[assignment]
        with locked(out):
            write_output(out, files_v(2), manifest(files_v(2)))
    finally:
        os._exit(0)


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "two-renames"])
def test_a_kill_at_any_step_leaves_old_or_new_and_the_next_run_recovers(tmp_path: Path, exchange: bool) -> None:
    old, new = expected_tree(files_v(1), USER), expected_tree(files_v(2), USER)
    step, seen_old, seen_new = 1, 0, 0
    while True:
        out = tmp_path / f"out{step}"
        prepare(out)
        reached = write_killed_at(out, step, exchange)
        if out.exists() or exchange:
            state = tree(out)
            assert state in (old, new), f"mixed tree after a kill before hooked call {step}"
            seen_old += state == old
            seen_new += state == new
        with locked(out):  # the next run: recover, then write generation 2 again
            write_output(out, files_v(2), manifest(files_v(2)))
        assert tree(out) == new
        assert not [p for p in tmp_path.iterdir() if p.name.startswith(".oagen-")]
        if reached < step:
            break
        step += 1
    assert step > 8 and seen_old and seen_new


def test_user_files_survive_and_managed_leftovers_go(tmp_path: Path) -> None:
    out = tmp_path / "out"
    prepare(out)
    os.symlink("notes.txt", out / "pkg" / "link-to-notes")
    with locked(out):
        result = write_output(out, files_v(2), manifest(files_v(2)))
    assert result.removed == ("pkg/gone.py",)
    assert set(result.written) == {"pkg/changed.py", "pkg/sub/new.py", MANIFEST}
    assert tree(out) == expected_tree(files_v(2), USER)
    assert os.readlink(out / "pkg" / "link-to-notes") == "notes.txt"


def test_a_user_file_created_during_the_run_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    prepare(out)
    original = write._copy_user_entries

    def copy_then_user_writes(*args: Any) -> None:
        original(*args)
        (out / "late.txt").write_text("written while oagen staged")

    monkeypatch.setattr(write, "_copy_user_entries", copy_then_user_writes)
    with locked(out):
        write_output(out, files_v(2), manifest(files_v(2)))
    assert (out / "late.txt").read_text() == "written while oagen staged"


def test_a_clash_with_a_user_file_is_an_error_naming_it(tmp_path: Path) -> None:
    out = tmp_path / "out"
    prepare(out)
    (out / "pkg" / "sub").mkdir()
    (out / "pkg" / "sub" / "new.py").write_text("the user's")
    before = tree(out)
    with pytest.raises(write.WriteError, match=r"pkg/sub/new.py exists and was not written by oagen"), locked(out):
        write_output(out, files_v(2), manifest(files_v(2)))
    assert tree(out) == before


@pytest.mark.parametrize("link", ["pkg/changed.py", "pkg"])
def test_symlinks_in_the_output_are_never_written_through(tmp_path: Path, link: str) -> None:
    out, victim = tmp_path / "out", tmp_path / "victim"
    prepare(out)
    victim.mkdir()
    (victim / "changed.py").write_text("victim")
    target = out / link
    shutil.rmtree(target) if target.is_dir() else target.unlink()
    os.symlink(victim / "changed.py" if link.endswith(".py") else victim, target)
    with pytest.raises(write.WriteError, match="symlink"), locked(out):
        write_output(out, files_v(2), manifest(files_v(2)))
    assert [p.name for p in victim.iterdir()] == ["changed.py"]
    assert (victim / "changed.py").read_text() == "victim"


def test_a_second_run_on_the_same_output_fails_clearly(tmp_path: Path) -> None:
    spec, out = tmp_path / "api.yaml", tmp_path / "out"
    spec.write_text(SMALL)
    with locked(out):
        result = oagen("generate", spec, "-o", out, "--package", "small")
    assert result.returncode == 2
    assert f"another oagen run (pid {os.getpid()}) is writing {out}" in result.stderr
    assert not out.exists()
    assert oagen("generate", spec, "-o", out, "--package", "small").returncode == 0
    assert not (tmp_path / ".oagen-out.lock").exists()


def test_concurrent_runs_never_interleave(tmp_path: Path) -> None:
    spec, out = tmp_path / "api.yaml", tmp_path / "out"
    spec.write_text(SMALL)
    command = [sys.executable, "-m", "generator", "generate", str(spec), "-o", str(out), "--package", "small", "--force", "-q"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    runs = [subprocess.Popen(command, env=env, cwd=ROOT, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    errors = [p.communicate(timeout=300)[1] for p in runs]
    results = [(p.returncode, err) for p, err in zip(runs, errors, strict=True)]
    for code, err in results:
        assert code == 0 or (code == 2 and "another oagen run" in err), err
    assert any(code == 0 for code, _ in results)
    assert run(["generate", str(spec), "-o", str(out), "--package", "small", "--check", "--force"]) == 0


def test_leftovers_of_a_killed_run_are_cleaned_even_on_the_fast_path(tmp_path: Path) -> None:
    spec, out = tmp_path / "api.yaml", tmp_path / "out"
    spec.write_text(SMALL)
    assert run(["generate", str(spec), "-o", str(out), "--package", "small", "-q"]) == 0
    (tmp_path / ".oagen-staging-out-0123456789ab" / "pkg").mkdir(parents=True)
    (tmp_path / ".oagen-out.lock").write_text("99999\n")
    assert run(["generate", str(spec), "-o", str(out), "--package", "small", "-q"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["api.yaml", "out"]


def test_a_stale_lock_alone_is_cleaned_on_the_fast_path(tmp_path: Path) -> None:
    """A run killed after its swap leaves only its lock file: the next run removes it."""
    spec, out = tmp_path / "api.yaml", tmp_path / "out"
    spec.write_text(SMALL)
    assert run(["generate", str(spec), "-o", str(out), "--package", "small", "-q"]) == 0
    (tmp_path / ".oagen-out.lock").write_text("99999\n")
    assert run(["generate", str(spec), "-o", str(out), "--package", "small", "-q"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["api.yaml", "out"]


def test_a_moved_away_output_is_restored(tmp_path: Path) -> None:
    out = tmp_path / "out"
    prepare(out)
    before = tree(out)
    os.rename(out, tmp_path / ".oagen-old-out-0123456789ab")  # killed between two renames
    write.recover(out)
    assert tree(out) == before


def test_an_output_that_is_a_symlink_is_refused(tmp_path: Path) -> None:
    real, out = tmp_path / "real", tmp_path / "out"
    prepare(real)
    before = tree(real)
    os.symlink(real, out)
    with pytest.raises(write.WriteError, match="is a symlink"), locked(out):
        write_output(out, files_v(2), manifest(files_v(2)))
    assert tree(real) == before and out.is_symlink()
