"""Generation in-process under `sys.addaudithook`: no socket, no process, and no file touched
outside the spec folder, the output's folder, the temp and cache folders (reading Python's and
oagen's own installed files aside). In a child process, since an audit hook cannot be removed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import generator
from generator.render.env import builtin_templates
from tests.conftest import ROOT
from tests.hostile.hostile_helpers import SPECS

WATCHED = r"""
import json, os, sys
config = json.loads(sys.argv[1])
readable = [os.path.realpath(p) for p in config["readable"]]
writable = [os.path.realpath(p) for p in config["writable"]]
BANNED = ("socket.", "subprocess.", "os.system", "os.exec", "os.spawn", "os.posix_spawn",
          "os.fork", "urllib.Request", "http.client.", "ftplib.", "smtplib.", "webbrowser.")
WRITES = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
events, opened = [], []

def inside(path, roots):
    return any(path == root or path.startswith(root + os.sep) for root in roots)

def hook(event, args):
    if event.startswith(BANNED):
        events.append(f"{event} {args!r}"[:300])
    elif event == "open" and isinstance(args[0], (str, bytes)):
        mode, flags = args[1] or "", args[2] or 0
        writing = bool(any(c in mode for c in "wax+") or flags & WRITES)
        opened.append((os.path.realpath(os.fsdecode(args[0])), writing))
    elif event in ("os.remove", "os.rename", "os.rmdir", "os.mkdir", "os.symlink", "os.link",
                   "shutil.rmtree", "shutil.copyfile", "os.chmod", "os.utime", "os.truncate"):
        path = args[0] if not isinstance(args[0], int) else None
        if path is not None:
            opened.append((os.path.realpath(os.fsdecode(path)), True))

sys.addaudithook(hook)
sys.path.insert(0, config["root"])
from generator.cli import run

codes = [run(argv) for argv in config["runs"]]
outside = sorted({
    f"{'write' if writing else 'read'} {path}"
    for path, writing in opened
    if not inside(path, writable) and (writing or (not inside(path, readable) and os.path.exists(path)))
})
print(json.dumps({"codes": codes, "events": events, "outside": outside,
                  "opened": sorted({path for path, _ in opened})}))
"""


def watched_run(tmp_path: Path, runs: list[list[str]], spec_dir: Path) -> dict[str, Any]:
    work, cache, temp = tmp_path / "work", tmp_path / "cache", tmp_path / "temp"
    for folder in (work, cache, temp):
        folder.mkdir()
    prefixes = {sys.prefix, sys.base_prefix, sys.exec_prefix}
    config = {
        "root": str(ROOT),
        "runs": runs,
        "readable": [
            str(spec_dir),
            str(Path(generator.__file__).parent),
            str(builtin_templates()),
            *(str(p) for p in ROOT.glob("*.egg-info")),
            *prefixes,
        ],
        "writable": [str(work), str(cache), str(temp)],
    }
    env = {**os.environ, "OAGEN_CACHE_DIR": str(cache), "TMPDIR": str(temp)}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    done = subprocess.run(
        [sys.executable, "-c", WATCHED, json.dumps(config)],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    result["stderr"] = done.stderr
    return result


def test_generation_touches_nothing_outside_its_folders(tmp_path: Path) -> None:
    spec_dir = tmp_path / "spec"
    spec_dir.mkdir()
    spec = spec_dir / "hostile.json"
    shutil.copy(SPECS / "hostile-strings.json", spec)
    out = tmp_path / "work" / "out"
    result = watched_run(
        tmp_path,
        [["generate", str(spec), "-o", str(out), "--package", "hostile", "-q"]],
        spec_dir,
    )
    assert result["codes"] == [0], result["stderr"]
    assert result["events"] == []
    assert result["outside"] == []
    assert (out / "hostile" / "__init__.py").is_file()


def test_refused_references_are_never_opened_or_fetched(tmp_path: Path) -> None:
    spec_dir = SPECS / "sandbox" / "spec"
    result = watched_run(
        tmp_path,
        [["validate", str(spec_dir / "escape.yaml")]],
        spec_dir,
    )
    assert result["codes"] == [2]
    assert "[ref-remote]" in result["stderr"] and "[ref-outside-root]" in result["stderr"]
    assert result["events"] == []  # the remote reference did not even resolve a host name
    assert result["outside"] == []
    for path in ("/etc/passwd", "/etc/hostname", str(SPECS / "sandbox" / "secret.yaml")):
        assert path not in result["opened"]


@pytest.mark.parametrize("event", ["socket", "file"])
def test_the_watch_itself_sees_violations(event: str, tmp_path: Path) -> None:
    """The watch is not vacuous: an allowed remote reference opens a socket (to a closed port),
    and a spec read from outside the folders declared readable is reported."""
    spec_dir = tmp_path / "spec"
    spec_dir.mkdir()
    (spec_dir / "api.yaml").write_text(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n"
        "components:\n  schemas:\n    S: {$ref: 'http://127.0.0.1:9/x.yaml#/S'}\n"
    )
    argv = ["validate", str(spec_dir / "api.yaml")]
    if event == "socket":
        result = watched_run(tmp_path, [[*argv, "--allow-remote-refs", "127.0.0.1"]], spec_dir)
        assert any(e.startswith("socket.") for e in result["events"])
    else:
        result = watched_run(tmp_path, [argv], spec_dir / "elsewhere")
        assert result["outside"] == [f"read {spec_dir / 'api.yaml'}"]
