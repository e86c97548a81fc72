"""Profile one cold oagen generation with pyinstrument and summarise its slowest stage.

    python bench/stageprofile.py SPEC OUT PACKAGE [--html FILE]

Runs `oagen generate SPEC -o OUT --package PACKAGE --force -v` in this process (a fresh
OAGEN_CACHE_DIR is the caller's business) under pyinstrument's sampling profiler, reads the
stage timings oagen prints (`render: 61 files (123.4 s)`), and prints one JSON object: the stage
times, the slowest stage, the functions with the most *self* time inside that stage, and its
hottest call path; when that stage is `format`, also black's time per generated file. Only the
main process is sampled: datamodel-code-generator is kept in it (it normally runs in a worker
process for a large API, beside the rest of the render stage, so the stage times here are the
serial ones); black's workers (parallel formatting) show up as waiting in `concurrent.futures`.
black is compiled with mypyc, so its own functions are invisible: time in black is self time of
oagen's function calling it.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from measure import stage_times
from pyinstrument import Profiler

STAGE_FUNCTIONS = {
    "load + build": "analyse",
    "render": "render_package",
    "format": "format_files",
    "write": "write_output",
    "compare": "drift",
}
"""The function (in generator/) that runs each stage."""


def find(frame: Any, function: str) -> Any | None:
    """The outermost frame of `function` in the tree under `frame` (breadth first)."""
    queue = [frame]
    while queue:
        current = queue.pop(0)
        if current.function == function and "generator" in (current.file_path or ""):
            return current
        queue += current.children
    return None


def self_times(frame: Any) -> Counter[str]:
    totals: Counter[str] = Counter()
    stack = [frame]
    while stack:
        current = stack.pop()
        if current.total_self_time and not current.is_synthetic:
            where = f"{current.function} ({current.file_path_short}:{current.line_no})"
            totals[where] += current.total_self_time
        stack += current.children
    return totals


def hot_path(frame: Any, depth: int = 14) -> list[str]:
    """Follow the most expensive child from `frame` while it keeps ≥ 5 % of the stage."""
    path, current, floor = [], frame, frame.time * 0.05
    while current is not None and len(path) < depth:
        path.append(f"{current.time:.1f} s  {current.function} ({current.file_path_short})")
        children = [c for c in current.children if c.time >= floor and not c.is_synthetic]
        current = max(children, key=lambda child: child.time, default=None)
    return path


def format_breakdown(out: Path, top: int = 8) -> list[tuple[str, int, float]]:
    """black's time on each generated `.py` file, serially in this process (slowest first):
    the format stage's work seen per file, which the sampling profile cannot show (black is
    compiled, and oagen runs it in worker processes). Formatting already formatted text costs
    black about as much as the first time: it parses and re-emits the whole file either way."""
    from generator.format import format_source

    timed = []
    for path in sorted(out.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        started = time.perf_counter()
        format_source(text)
        timed.append((str(path.relative_to(out)), text.count("\n"), time.perf_counter() - started))
    return sorted(timed, key=lambda row: -row[2])[:top]


def profile(spec: str, out: str, package: str, html: str | None = None) -> dict[str, Any]:
    from generator.cli import run
    from generator.render import models

    # datamodel-code-generator runs in this process here (a large API's normally runs in a
    # worker process, which a sampling profiler does not see), so that its time is sampled
    models.WORKER_MIN_SCHEMAS = 10**9

    argv = ["generate", spec, "-o", out, "--package", package, "--force", "-v"]
    stderr = io.StringIO()
    profiler = Profiler(interval=0.005)
    with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(stderr):
        profiler.start()
        code = run(argv)
        profiler.stop()
    if html:
        with open(html, "w", encoding="utf-8") as handle:
            handle.write(profiler.output_html())
    root = profiler.last_session.root_frame() if profiler.last_session else None
    times = stage_times(stderr.getvalue())
    result: dict[str, Any] = {
        "exit_code": code,
        "stages": times,
        "total_s": root.time if root else 0,
    }
    if not times or root is None:
        result["error"] = stderr.getvalue()[-500:]
        return result
    slowest = max(times, key=times.__getitem__)
    result["slowest"] = slowest
    frame = find(root, STAGE_FUNCTIONS.get(slowest, slowest))
    if frame is None:
        result["error"] = f"no frame for stage {slowest}"
        return result
    result["stage_profiled_s"] = frame.time
    result["top_self"] = [(where, round(t, 2)) for where, t in self_times(frame).most_common(15)]
    result["hot_path"] = hot_path(frame)
    if slowest == "format" and code == 0:
        result["format_files"] = format_breakdown(Path(out))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("spec")
    parser.add_argument("out")
    parser.add_argument("package")
    parser.add_argument("--html")
    args = parser.parse_args(argv)
    print(json.dumps(profile(args.spec, args.out, args.package, args.html)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
