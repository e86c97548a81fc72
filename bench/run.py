"""Benchmarks (`make bench`): oagen against its peers on the largest specs, and generated-client speed.

    python bench/run.py [--specs A,B] [--tools oagen,openapi-python-client,openapi-generator]
                        [--rounds N] [--skip-peers] [--quick] [--results FILE] [--keep DIR]
                        [--models all|used]

1. Generation: each spec with each tool, N rounds, the tools' order rotating from round to round
   (and from spec to spec) so that a burst of load from elsewhere does not always hit the same
   tool. oagen runs cold (`--force`, a fresh empty OAGEN_CACHE_DIR, a fresh output folder), then
   warm (same cache, another fresh output folder, no `--force`), then no-op (the same command
   again on that output). Peers (installed by bench/peers.py into bench/.peers/) run into fresh
   folders. Reported: median wall time, oagen/peer ratios, peak RSS of the process tree (see
   bench/measure.py), and whether every module of the last round's output imports.
2. Run time of generated clients (bench/overhead.py): per-call overhead of a Comms GET against
   raw httpx; import + construction of the GitHub client (`-X importtime` breakdown, and the
   median of 5 fresh processes); first call of one GitHub operation (median of 5).
3. A pyinstrument profile (bench/stageprofile.py) of oagen's slowest stage on the largest spec.

Results go to bench/RESULTS.md, between `<!-- bench:run -->` markers (`bench:quick` for
`--quick`, `bench:run-used` for `--models used`: oagen generating only the models in use), rewritten after every round so that a long run that is stopped still leaves numbers.
A full run then runs bench/noop.py (when present), which writes its own section of that file.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import measure
import peers
import report

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "specs"
COMMS = ROOT / "specs" / "twilio_comms.yaml"
LARGEST = (
    "github-rest-api.json", "kubernetes.json", "stripe.json",
    "jira-cloud-platform.json", "twilio-api-v2010.yaml",
)  # fmt: skip
RESULTS = BENCH / "RESULTS.md"
NOOP = BENCH / "noop.py"
"""Another script's section of RESULTS.md ("No-op regeneration and check"), run after ours."""
QUICK = ("twilio_comms.yaml", "petstore.swagger2.yaml")
PEERS = ("openapi-python-client", "openapi-generator")
TARGETS = {
    "generation": 1.0,
    "noop_s": 1.0,
    "rss_mb": 500,
    "overhead": 1.10,
    "startup_s": 0.15,
    "first_call_s": 0.3,
}


@dataclass
class Sample:
    round: int
    spec: str
    tool: str
    mode: str
    """cold / warm / no-op for oagen; cold for peers."""
    run: measure.Run
    load: str
    stages: dict[str, float] = field(default_factory=dict)


@dataclass
class Results:
    args: argparse.Namespace
    versions: dict[str, str]
    load_start: str
    samples: list[Sample] = field(default_factory=list)
    imports: dict[tuple[str, str], str] = field(default_factory=dict)
    runtime: dict[str, Any] = field(default_factory=dict)
    profile: dict[str, Any] = field(default_factory=dict)
    rounds_done: int = 0
    notes: list[str] = field(default_factory=list)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')} load {report.load()}] {message}", flush=True)


def spec_path(name: str) -> Path:
    if name in ("twilio_comms", "twilio_comms.yaml"):
        return COMMS
    path = Path(name)
    if path.is_file():
        return path.resolve()
    matches = [p for p in sorted(CORPUS.iterdir()) if p.name == name or p.stem == name]
    if not matches:
        raise SystemExit(f"bench: no spec {name!r} in {CORPUS}")
    return matches[0]


def package_name(spec: Path) -> str:
    return "c_" + re.sub(r"[^a-z0-9]+", "_", spec.stem.lower()).strip("_")


def fresh(folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.parent.mkdir(parents=True, exist_ok=True)
    return folder


def output_dir(work: Path, tool: str, spec: Path, mode: str = "cold") -> Path:
    package = package_name(spec)
    if tool == "openapi-python-client":
        return work / f"opc-{spec.stem}" / package  # `--meta none`: the folder is the package
    return work / f"{peers.SHORT[tool]}-{mode}-{spec.stem}"


def run_oagen(results: Results, work: Path, spec: Path, round_: int, timeout: float) -> None:
    tool = peers.tool("oagen")
    cache = Path(tempfile.mkdtemp(prefix="oagen-cache-", dir=work))
    env = {**tool.env(), "OAGEN_CACHE_DIR": str(cache)}
    package = package_name(spec)
    for mode, force in (("cold", True), ("warm", False), ("no-op", False)):
        out = output_dir(work, "oagen", spec, "warm" if mode == "no-op" else mode)
        if mode != "no-op":
            fresh(out)
        cmd = [*tool.command(spec, out, package, force=force)]
        cmd[cmd.index("-q")] = "-v"
        load = report.load()
        run = measure.run(cmd, env=env, timeout=timeout)
        results.samples.append(
            Sample(round_, spec.name, "oagen", mode, run, load, measure.stage_times(run.output))
        )
        log(
            f"oagen {mode} {spec.name}: {run.seconds:.1f} s, {run.peak_mb:.0f} MB, rc {run.returncode}"
        )
        if not run.ok:
            break
    shutil.rmtree(cache, ignore_errors=True)


def run_peer(
    results: Results, work: Path, spec: Path, name: str, round_: int, timeout: float
) -> None:
    tool = peers.tool(name)
    out = fresh(output_dir(work, name, spec))
    load = report.load()
    run = measure.run(
        tool.command(spec, out, package_name(spec)), env=tool.env(), timeout=timeout, cwd=work
    )
    results.samples.append(Sample(round_, spec.name, name, "cold", run, load))
    log(f"{name} {spec.name}: {run.seconds:.1f} s, {run.peak_mb:.0f} MB, rc {run.returncode}")


def generation(
    results: Results, work: Path, specs: list[Path], tools: list[str], write: Any
) -> None:
    for round_ in range(results.args.rounds):
        for index, spec in enumerate(specs):
            shift = (round_ + index) % len(tools)
            for name in tools[shift:] + tools[:shift]:
                if name == "oagen":
                    run_oagen(results, work, spec, round_ + 1, results.args.timeout)
                else:
                    run_peer(results, work, spec, name, round_ + 1, results.args.timeout)
        results.rounds_done = round_ + 1
        write()
    check_imports(results, work, specs, tools)
    write()


def check_imports(results: Results, work: Path, specs: list[Path], tools: list[str]) -> None:
    """Import every module of each tool's last output (oagen: the last warm run's, which is
    also the last *successful* generation: a failed cold run leaves its folder empty)."""
    for spec in specs:
        for name in tools:
            out = output_dir(work, name, spec, "warm" if name == "oagen" else "cold")
            if name == "openapi-python-client":
                out = out.parent
            results.imports[(spec.name, name)] = measure.import_all(peers.tool(name).python, out)
            log(f"imports {name} {spec.name}: {results.imports[(spec.name, name)]}")


def overhead(mode: str, parent: Path, package: str, *extra: str) -> dict[str, Any]:
    cmd = [sys.executable, str(BENCH / "overhead.py"), mode, str(parent), package, *extra]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=900, check=False)
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1][:300]}
    return dict(json.loads(done.stdout.splitlines()[-1]))


def generated(work: Path, spec: Path, package: str) -> Path | None:
    """An oagen output of `spec` for run-time measurements: this run's, or a new one."""
    existing = output_dir(work, "oagen", spec, "warm")
    if (existing / package / "__init__.py").is_file():
        return existing
    out = fresh(work / f"runtime-{spec.stem}")
    env = {**os.environ, "OAGEN_CACHE_DIR": str(work / "runtime-cache")}
    done = measure.run(peers.tool("oagen").command(spec, out, package), env=env, timeout=3600)
    return out if done.ok else None


def importtime(parent: Path, package: str) -> dict[str, Any]:
    """`python -X importtime -c "import pkg; pkg.Client()"`: the package's cumulative import time
    and its costliest modules by self time."""
    code = f"import {package}; {package}.Client()"
    env = {**os.environ, "PYTHONPATH": str(parent)}
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    rows = []
    for line in done.stderr.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) == 3 and parts[0].strip().isdigit():
            rows.append((int(parts[0]), int(parts[1]), parts[2].rstrip()))
    top = next(
        (cum for _, cum, name in rows if name.strip() == package and not name.startswith("  ")),
        None,
    )
    start = next((i for i, (_, _, name) in enumerate(rows) if name.strip() == package), len(rows))
    previous = max(
        (i for i, (_, _, name) in enumerate(rows[:start]) if not name.startswith("  ")), default=-1
    )
    inside = sorted(rows[previous + 1 : start + 1], key=lambda row: -row[0])[:8]
    return {
        "cumulative_s": top / 1e6 if top else None,
        "top_self": [(n.strip(), s / 1e6) for s, _, n in inside],
        "error": done.stderr[-300:] if done.returncode else None,
    }


def fresh_process_wall(parent: Path, code: str, repeats: int = 5) -> float | None:
    env = {**os.environ, "PYTHONPATH": str(parent)}
    walls = []
    for _ in range(repeats):
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, env=env, check=False
        )
        walls.append(time.perf_counter() - started)
        if done.returncode != 0:
            return None
    return report.median(walls)


def runtime(results: Results, work: Path) -> None:
    """Per-call overhead (Comms), startup and first call (GitHub, or Comms in --quick)."""
    comms = generated(work, COMMS, package_name(COMMS))
    iterations = ["--iterations", str(results.args.iterations), "--repeats", "101"]
    if comms is None:
        results.runtime["calls"] = {"error": "oagen failed to generate the Comms spec"}
    else:
        results.runtime["calls"] = overhead("calls", comms, package_name(COMMS), *iterations)
    log(f"per-call overhead: {results.runtime['calls']}")
    github = spec_path("github-rest-api.json")
    target = (
        (COMMS, comms)
        if results.args.quick
        else (github, generated(work, github, package_name(github)))
    )
    spec, parent = target
    package = package_name(spec)
    results.runtime["startup_spec"] = spec.name
    if parent is None:
        results.runtime["startup"] = {"error": f"oagen failed to generate {spec.name}"}
        return
    startups = [overhead("startup", parent, package) for _ in range(5)]
    results.runtime["startup"] = _medians(startups)
    results.runtime["importtime"] = importtime(parent, package)
    results.runtime["process_wall_s"] = fresh_process_wall(
        parent, f"import {package}; {package}.Client()"
    )
    results.runtime["interpreter_wall_s"] = fresh_process_wall(parent, "pass")
    if not results.args.quick:
        results.runtime["first_call"] = _medians(
            [overhead("first-call", parent, package) for _ in range(5)]
        )
    log(f"startup {results.runtime['startup']}, first call {results.runtime.get('first_call')}")


def _medians(samples: list[dict[str, Any]]) -> dict[str, Any]:
    good = [s for s in samples if "error" not in s]
    if not good:
        return samples[0]
    return {key: report.median([s[key] for s in good]) for key in good[0]}


def profile(results: Results, work: Path, specs: list[Path]) -> None:
    spec = max(specs, key=lambda p: p.stat().st_size)
    cache = Path(tempfile.mkdtemp(prefix="oagen-cache-", dir=work))
    cmd = [
        sys.executable,
        str(BENCH / "stageprofile.py"),
        str(spec),
        str(work / "profile-out"),
        package_name(spec),
        "--html",
        str(work / "profile.html"),
    ]
    env = {**os.environ, "OAGEN_CACHE_DIR": str(cache)}
    log(f"profiling oagen on {spec.name} …")
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=7200, check=False)
    try:
        results.profile = {"spec": spec.name, **json.loads(done.stdout.splitlines()[-1])}
    except (IndexError, json.JSONDecodeError):
        results.profile = {"spec": spec.name, "error": done.stderr[-500:]}
    log(f"profile: slowest stage {results.profile.get('slowest')}")


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--specs", help="comma-separated spec names (corpus file names or stems)")
    parser.add_argument(
        "--tools", default=",".join(peers.TOOLS), help="comma-separated: " + ", ".join(peers.TOOLS)
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--skip-peers", action="store_true", help="oagen only")
    parser.add_argument("--quick", action="store_true", help="Comms + one small spec, 1 round")
    parser.add_argument("--no-runtime", action="store_true", help="skip generated-client timings")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument(
        "--models",
        choices=("all", "used"),
        default="all",
        help="oagen's --models; 'used' writes its own section of RESULTS.md (bench:run-used)",
    )
    parser.add_argument("--no-noop", action="store_true", help="skip bench/noop.py (full runs)")
    parser.add_argument("--iterations", type=int, default=200, help="calls per repeat (overhead)")
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds per generation")
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep the outputs")
    parser.add_argument("--rerender", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.rounds = 1
        args.specs = args.specs or ",".join(QUICK)
    args.specs = [spec_path(name.strip()) for name in (args.specs or ",".join(LARGEST)).split(",")]
    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    unknown = set(tools) - set(peers.TOOLS)
    if unknown:
        parser.error(f"unknown tools: {', '.join(sorted(unknown))}")
    args.tools = [t for t in tools if t == "oagen" or not args.skip_peers]
    return args


def rerender(path: Path) -> int:
    """Write RESULTS.md again from a kept run's results.pickle (after a change to render.py)."""
    import render

    with open(path, "rb") as handle:
        results = pickle.load(handle)  # our own file, written by write() below
    models = getattr(results.args, "models", "all")
    section = "quick" if results.args.quick else "run" if models == "all" else f"run-{models}"
    report.write_section(results.args.results, section, render.markdown(results))
    return 0


def compiled_oagen() -> None:
    """oagen's modules byte-compiled before the first run, as pip compiles the peers' at
    install: an editable install compiles them on import, and not at all where
    PYTHONDONTWRITEBYTECODE is set (as on the machine these numbers come from), which cost
    every oagen run ~0.2 s in this process and more in its workers."""
    import compileall

    import generator

    compileall.compile_dir(Path(generator.__file__).parent, quiet=1)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if args.rerender:
        return rerender(args.rerender)
    if any(t in PEERS for t in args.tools):
        peers.ensure_peers(log)
    results = Results(args=args, versions=peers.versions(), load_start=report.load())
    section = "quick" if args.quick else "run" if args.models == "all" else f"run-{args.models}"
    peers.OAGEN_ARGS[:] = ["--models", args.models] if args.models != "all" else []
    import render

    def write() -> None:
        report.write_section(args.results, section, render.markdown(results))
        with open(work / "results.pickle", "wb") as handle:
            pickle.dump(results, handle)

    work = args.keep.resolve() if args.keep else Path(tempfile.mkdtemp(prefix="oagen-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    log(
        f"work folder {work}; specs {', '.join(p.name for p in args.specs)}; tools {', '.join(args.tools)}"
    )
    if "oagen" in args.tools:
        compiled_oagen()
    try:
        generation(results, work, args.specs, args.tools, write)
        if not args.no_runtime:
            runtime(results, work)
            write()
        if not args.no_profile and "oagen" in args.tools:
            profile(results, work, args.specs)
        write()
        if NOOP.is_file() and not (args.quick or args.no_noop) and args.results == RESULTS:
            log("bench/noop.py (its own section of RESULTS.md) …")
            subprocess.run([sys.executable, str(NOOP)], check=False)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    log(f"wrote {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
