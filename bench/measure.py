"""Measuring one command: wall time, peak memory of its whole process tree, and its output's imports.

Peak RSS is the larger of two figures, both taken without extra dependencies:
- the highest *sum* of RSS over the command's process tree (the process, its children, theirs …),
  sampled every 50 ms from /proc (`task/*/children` and `statm`) — this is what the machine has
  to hold when worker processes run at once, but a spike shorter than 50 ms can be missed;
- `ru_maxrss` from `wait4()` — exact, but only the largest *single* process of the tree.

`import_all()` imports every module of a generated package in a fresh interpreter (with a
timeout) and says how many imported.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")
SAMPLE = 0.05
SKIP_DIRS = {"test", "tests", "docs", "doc", "__pycache__"}


@dataclass(frozen=True, slots=True)
class Run:
    seconds: float
    peak_mb: float
    returncode: int
    """-9 after a timeout."""
    output: str
    """stderr and stdout, interleaved, without `: warning: ` lines (the last 20,000 characters)."""

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    @property
    def tail(self) -> str:
        """The last non-empty line: the failure's message, usually."""
        lines = [line.strip() for line in self.output.splitlines() if _meaningful(line)]
        if not lines:
            return ""
        last = lines[-1] if ":" in lines[-1] or len(lines) == 1 else f"{lines[-2]} {lines[-1]}"
        return last[:240]


BOILERPLATE = ("If you believe this was a mistake", "│", "╭", "╰", "#")


def _meaningful(line: str) -> bool:
    """Not blank, not a peer's sign-off banner, not a frame of a boxed (rich) traceback."""
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith(BOILERPLATE)


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as handle:
                found += [int(child) for child in handle.read().split()]
    except OSError:
        pass
    return found


def tree_rss(pid: int) -> int:
    """Bytes of RSS summed over `pid` and all its descendants (0 for what has gone)."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/statm", encoding="ascii") as handle:
                total += int(handle.read().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            continue
        stack += _children(current)
    return total


def run(
    cmd: list[str],
    *,
    env: dict[str, str] | None = None,
    timeout: float = 3600.0,
    cwd: Path | None = None,
) -> Run:
    """Run `cmd` to completion (or until `timeout`), sampling its process tree's memory."""
    log = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-{os.getpid()}-{time.monotonic_ns()}.log"
    with open(log, "w+b") as output:
        started = time.perf_counter()
        proc = subprocess.Popen(
            cmd, stdout=output, stderr=output, env=env, cwd=cwd, start_new_session=True
        )
        peak, maxrss_kb, status = 0, 0, None
        while status is None:
            waited, wait_status, usage = os.wait4(proc.pid, os.WNOHANG)
            if waited:
                status, maxrss_kb = os.waitstatus_to_exitcode(wait_status), usage.ru_maxrss
                break
            peak = max(peak, tree_rss(proc.pid))
            if time.perf_counter() - started > timeout:
                os.killpg(proc.pid, 9)
            time.sleep(SAMPLE)
        seconds = time.perf_counter() - started
        proc.returncode = status
        output.seek(0)
        text = output.read().decode("utf-8", "replace")
    log.unlink(missing_ok=True)
    kept = "\n".join(line for line in text.splitlines() if ": warning: " not in line)
    return Run(seconds, max(peak, maxrss_kb * 1024) / 2**20, status, kept[-20000:])


STAGE_LINE = re.compile(r"^\s+(?P<stage>[a-z +]+): .*\((?P<seconds>[\d.]+) s\)\s*$")


SUMMARY = re.compile(r"(\d+) files? written, (\d+) removed, (\d+) unchanged, (\d+) skipped")


def fast_path(text: str) -> bool:
    """oagen's summary says that it rendered nothing: every file skipped as up to date."""
    match = SUMMARY.search(text)
    return bool(match) and match.group(1, 2, 3) == ("0", "0", "0") and match[4] != "0"


def stage_times(text: str) -> dict[str, float]:
    """oagen's `-v` stage lines (`  render: 61 files (12.3 s)`) as {stage: seconds}."""
    return {m["stage"]: float(m["seconds"]) for m in map(STAGE_LINE.match, text.splitlines()) if m}


IMPORT_ALL = """
import importlib, pkgutil, sys, time
sys.path.insert(0, sys.argv[1])
started = time.perf_counter()
names, failed = [sys.argv[2]], []
try:
    package = importlib.import_module(sys.argv[2])
    names += [i.name for i in pkgutil.walk_packages(package.__path__, sys.argv[2] + ".")]
except BaseException as exc:
    failed.append((sys.argv[2], exc))
for name in names[1:]:
    try:
        importlib.import_module(name)
    except BaseException as exc:
        failed.append((name, exc))
print(len(names), len(failed), round(time.perf_counter() - started, 2))
for name, exc in failed[:1]:
    print(f"{name}: {type(exc).__name__}: {str(exc)[:160]}")
"""


def find_package(out: Path) -> Path | None:
    """The generated package folder: `out` itself, or its first child with an `__init__.py`."""
    if (out / "__init__.py").is_file():
        return out
    if not out.is_dir():
        return None
    for child in sorted(out.iterdir()):
        if child.name not in SKIP_DIRS and (child / "__init__.py").is_file():
            return child
    return None


def import_all(python: Path, out: Path, timeout: float = 900.0) -> str:
    """`ok (N modules, S s)`, `FAIL k/N: first error`, `timeout` or `no package`."""
    package = find_package(out)
    if package is None:
        return "no package"
    cmd = [str(python), "-c", IMPORT_ALL, str(package.parent), package.name]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return f"timeout (> {timeout:.0f} s)"
    lines = done.stdout.splitlines()
    if done.returncode != 0 or not lines:
        return "FAIL: " + (done.stderr.strip().splitlines() or ["crashed"])[-1][:160]
    total, failed, seconds = lines[0].split()
    if failed == "0":
        return f"ok ({total} modules, {seconds} s)"
    return f"FAIL {failed}/{total}: {lines[1] if len(lines) > 1 else ''}"
