"""No-op and incremental `oagen generate` / `oagen check` timings against a full generation.

For each spec, in a temporary folder with its own empty cache, each step a fresh `oagen`
process (wall clock, as a pipeline sees it):

    full generate        empty output, empty cache
    no-op generate       nothing changed: the manifest's fast path (median of --repeat runs)
    no-op check          the same, for `oagen generate --check` (median)
    check --force        render everything and compare byte for byte (warm cache)
    1 operation edited   one optional query parameter added to one operation, regenerated

and writes a section into bench/RESULTS.md (replacing its previous version; other sections of
that file are left alone). Used by `make bench`; standalone:

    python bench/noop.py [SPEC ...] [--repeat N] [--no-write]

Default specs: the Comms spec and the largest corpus spec that generates (GitHub's REST API).
"""

from __future__ import annotations

import argparse
import copy
import datetime
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "specs"
DEFAULT_SPECS = (ROOT / "specs" / "twilio_comms.yaml", CORPUS / "github-rest-api.json")
RESULTS = ROOT / "bench" / "RESULTS.md"
TITLE = "## No-op and incremental runs (bench/noop.py)"
METHODS = ("get", "put", "post", "delete", "patch")


@dataclass
class Row:
    spec: str
    operations: int
    files: int
    timings: dict[str, Timing]
    note: str = ""


Timing = tuple[float, float]
"""(wall-clock seconds, CPU seconds of the process and its children)."""


def oagen(*args: str | Path, cache: Path, timeout: float = 3600) -> Timing:
    """Run `oagen ARGS` in a fresh interpreter; its wall and CPU seconds (fails loudly)."""
    wall, cpu, _ = run_oagen(*args, cache=cache, timeout=timeout)
    return wall, cpu


def run_oagen(*args: str | Path, cache: Path, timeout: float = 3600) -> tuple[float, float, str]:
    env = {**os.environ, "OAGEN_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "generator", *map(str, args)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        raise RuntimeError(f"oagen {' '.join(map(str, args))}: exit {done.returncode}\n{done.stderr[-2000:]}")
    return wall, cpu, done.stderr


def noop(generate: tuple[str | Path, ...], extra: tuple[str, ...], cache: Path, repeat: int) -> Timing:
    """Median no-op time. oagen's own code is an input: if it changed meanwhile (a checkout
    being edited), the fast path misses — then refresh the output and measure again."""
    verbose = [arg for arg in generate if arg != "-q"]
    for _ in range(3):
        runs = [run_oagen(*verbose, *extra, "-v", cache=cache) for _ in range(repeat)]
        if all("nothing rendered" in err for *_, err in runs):
            break
        oagen(*generate, cache=cache)
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def load(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)


def dump(data: Any, path: Path) -> None:
    text = json.dumps(data, indent=1) if path.suffix == ".json" else yaml.safe_dump(data, sort_keys=False)
    path.write_text(text, encoding="utf-8")


def operations(data: Any) -> list[dict[str, Any]]:
    return [
        op
        for item in (data.get("paths") or {}).values()
        if isinstance(item, dict)
        for method, op in item.items()
        if method in METHODS and isinstance(op, dict)
    ]


def edit_one_operation(data: Any) -> Any:
    changed = copy.deepcopy(data)
    ops = operations(changed)
    ops[len(ops) // 2].setdefault("parameters", []).append(
        {"name": "oagenBench", "in": "query", "required": False, "schema": {"type": "string"}}
    )
    return changed


def measure(spec: Path, repeat: int) -> Row:
    with tempfile.TemporaryDirectory(prefix="oagen-bench-") as tmp:
        work = Path(tmp)
        cache, out = work / "cache", work / "out"
        data = load(spec)
        base, edited = work / "base" / spec.name, work / "edited" / spec.name
        for path, content in ((base, data), (edited, edit_one_operation(data))):
            path.parent.mkdir()
            dump(content, path)
        generate = ("generate", base, "-o", out, "--package", "bench", "-q")
        timings = {"full generate": oagen(*generate, cache=cache)}
        timings["no-op generate"] = noop(generate, (), cache, repeat)
        timings["no-op check"] = noop(generate, ("--check",), cache, repeat)
        timings["check --force"] = oagen(*generate, "--check", "--force", cache=cache)
        timings["1 operation edited"] = oagen("generate", edited, "-o", out, "--package", "bench", "-q", cache=cache)
        manifest = json.loads((out / ".oagen-manifest.json").read_text(encoding="utf-8"))
        return Row(spec.name, len(operations(data)), len(manifest["files"]) + 1, timings)


def machine(load_before: str) -> str:
    uname = " ".join(platform.uname())
    return (
        f"Machine: `{uname}`, {os.cpu_count()} CPUs (nproc), Python {platform.python_version()}; "
        f"{datetime.date.today().isoformat()}; load average {load_before} at the start, "
        f"{load_average()} at the end."
    )


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def section(rows: list[Row], load_before: str) -> str:
    names = list(rows[0].timings) if rows else []
    lines = [
        TITLE,
        "",
        "Seconds of a fresh `oagen` process each, as *wall (CPU)*: wall clock, and the CPU time of",
        "the process and its workers (less sensitive to a busy machine). Interpreter start-up is",
        "included (most of the no-op figures). *full generate*: empty output and cache; *no-op*: nothing",
        "changed, answered from the manifest without rendering; *check --force*: render everything and",
        "compare byte for byte (warm cache); *1 operation edited*: one optional query parameter added to",
        "one operation, regenerated (its resource module and tests reformatted, the rest from the cache).",
        machine(load_before),
        "",
        "| spec | operations | files | " + " | ".join(names) + " |",
        "| --- | ---: | ---: | " + " | ".join("---:" for _ in names) + " |",
    ]
    for row in rows:
        cells = " | ".join(f"{row.timings[name][0]:.2f} ({row.timings[name][1]:.2f})" for name in names)
        lines.append(f"| {row.spec} | {row.operations} | {row.files} | {cells} |")
    return "\n".join(lines) + "\n"


def write_section(text: str, path: Path = RESULTS) -> None:
    """Replace this script's section of RESULTS.md (or append it), leaving the rest alone."""
    current = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(TITLE)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(current):
        updated = pattern.sub(lambda _: text + "\n", current, count=1)
    else:
        updated = current.rstrip("\n") + "\n\n" + text
    path.write_text(updated.rstrip("\n") + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("specs", nargs="*", type=Path, default=list(DEFAULT_SPECS))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md alone")
    args = parser.parse_args(argv)
    rows, load_before = [], load_average()
    for spec in args.specs:
        if not spec.is_file():
            print(f"skipped {spec}: not found", file=sys.stderr)
            continue
        print(f"measuring {spec.name} …", file=sys.stderr)
        rows.append(measure(spec, args.repeat))
    text = section(rows, load_before)
    print(text)
    if not args.no_write:
        write_section(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
