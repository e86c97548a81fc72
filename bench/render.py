"""The bench/run.py results as the Markdown of its RESULTS.md section (tables, targets, profile)."""

from __future__ import annotations

from typing import Any

import measure
import report
from report import median, ratio, seconds, table

STAGES = ("load + build", "render", "format", "write")
NAMES = {
    "oagen": "oagen",
    "openapi-python-client": "openapi-python-client",
    "openapi-generator": "OpenAPI Generator",
}
METHOD = """Method: wall time of the whole command (median of the rounds; a ✗ marks a tool that exited
non-zero; the time shown is then the median of its successful runs, or of the failed ones if
none succeeded). oagen's modules are byte-compiled first, as pip compiles the peers'.
oagen *cold* = `oagen generate --force` into an empty
folder with a new, empty `OAGEN_CACHE_DIR`; *warm* = the same cache, another empty folder, no
`--force`; *no-op* = that command once more on the warm output — timed only when oagen took its
fast path (rendered nothing); runs that re-rendered are counted apart: oagen's inputs hash
includes its own source, so an edit to generator/ between the two commands (other work in the
same checkout) turns the second one into a regeneration. Tools alternate: the order rotates
each round and each spec. Peak RSS = the larger of the highest sum of RSS over the process tree
(sampled every 50 ms from /proc) and `ru_maxrss` of `wait4` (largest single process); maximum over
the rounds. *Imports* = every module of the last output imported in a fresh interpreter (oagen's:
the last successful warm run's, in the main venv; the peers': the last round's, in bench/.peers
with their runtime libraries). Ratios use the medians of successful runs only."""


def markdown(results: Any) -> str:
    args = results.args
    models = getattr(args, "models", "all")
    flags = (" --quick" if args.quick else "") + (f" --models {models}" if models != "all" else "")
    out = [
        "## Generation speed, memory and run-time overhead (bench/run.py)"
        + (" — quick" if args.quick else "")
        + (f" — oagen with `--models {models}`" if models != "all" else ""),
        "",
        f"Written by `python bench/run.py{flags}`; rounds done: "
        f"{results.rounds_done} of {args.rounds}.",
        "",
        *report.machine(),
        f"- load average (1/5/15 min) at start: {results.load_start}; when written: {report.load()}",
        "- versions: " + ", ".join(f"{NAMES[k]} {v}" for k, v in results.versions.items()),
        "",
    ]
    out += (
        _generation(results)
        + _runtime(results)
        + _profile(results)
        + _targets(results)
        + _raw(results)
    )
    return "\n".join(out) + "\n"


def _samples(results: Any, spec: str, tool: str, mode: str = "cold") -> list[Any]:
    return [s for s in results.samples if s.spec == spec and s.tool == tool and s.mode == mode]


def _time(samples: list[Any]) -> float | None:
    good = [s.run.seconds for s in samples if s.run.ok]
    return median(good) if good else median([s.run.seconds for s in samples])


def _cell(samples: list[Any]) -> str:
    if not samples:
        return "—"
    failed = sum(not s.run.ok for s in samples)
    text = seconds(_time(samples))
    return text if not failed else f"✗ {text} ({failed}/{len(samples)} failed)"


def _noops(results: Any, spec: str) -> tuple[list[Any], int]:
    """No-op runs that took the fast path, and how many rendered instead.

    oagen's inputs hash covers its own source files, so an edit to generator/ between the warm
    run and the no-op run (other work going on in the same checkout) makes the second run a
    regeneration; so would output that is not reproducible. Those are counted, not timed.
    """
    samples = _samples(results, spec, "oagen", "no-op")
    fast = [s for s in samples if measure.fast_path(s.run.output)]
    return fast, len(samples) - len(fast)


def _noop_cell(results: Any, spec: str) -> str:
    fast, rendered = _noops(results, spec)
    if not rendered:
        return _cell(fast)
    return f"{_cell(fast)} ({rendered} of {rendered + len(fast)} re-rendered, see below)"


def _specs(results: Any) -> list[str]:
    return [p.name for p in results.args.specs]


def _working_peer_time(results: Any, spec: str) -> tuple[str, float] | None:
    """The fastest peer whose runs succeeded and whose output imports."""
    best = None
    for tool in ("openapi-python-client", "openapi-generator"):
        samples = _samples(results, spec, tool)
        good = samples and all(s.run.ok for s in samples)
        if good and results.imports.get((spec, tool), "").startswith("ok"):
            time = _time(samples)
            if time is not None and (best is None or time < best[1]):
                best = (tool, time)
    return best


def _generation(results: Any) -> list[str]:
    tools = results.args.tools
    peers = [t for t in tools if t != "oagen"]
    header = ["spec", "MB", "oagen cold", "oagen warm", "oagen no-op", *(NAMES[p] for p in peers)]
    header += [f"oagen/{NAMES[p]}" for p in peers]
    rows = []
    for spec_path in results.args.specs:
        spec = spec_path.name
        oagen = _time(_samples(results, spec, "oagen"))
        ok = any(s.run.ok for s in _samples(results, spec, "oagen"))
        row = [spec, f"{spec_path.stat().st_size / 1e6:.2f}"]
        row += [_cell(_samples(results, spec, "oagen", mode)) for mode in ("cold", "warm")]
        row.append(_noop_cell(results, spec))
        row += [_cell(_samples(results, spec, p)) for p in peers]
        row += [ratio(oagen, _time(_samples(results, spec, p))) if ok else "✗" for p in peers]
        rows.append(row)
    out = ["### Generation (median wall time)", "", METHOD, "", *table(header, rows), ""]
    header = [
        "spec",
        *(f"peak RSS {NAMES[t]}" for t in tools),
        *(f"imports: {NAMES[t]}" for t in tools),
    ]
    rows = []
    for spec in _specs(results):
        peaks = [
            max((s.run.peak_mb for s in _samples(results, spec, t)), default=None) for t in tools
        ]
        rows.append(
            [spec, *(f"{p:.0f} MB" if p is not None else "—" for p in peaks)]
            + [results.imports.get((spec, t), "—") for t in tools]
        )
    out += [
        "### Peak memory (MB, max over rounds) and whether the output imports",
        "",
        *table(header, rows),
        "",
    ]
    found = {stage for s in results.samples if s.tool == "oagen" for stage in s.stages}
    stages = [s for s in STAGES if s in found] + sorted(found - set(STAGES))
    if stages:
        rows = [
            [
                spec,
                *(
                    seconds(
                        median(
                            [
                                s.stages[st]
                                for s in _samples(results, spec, "oagen")
                                if st in s.stages
                            ]
                        )
                    )
                    for st in stages
                ),
            ]
            for spec in _specs(results)
        ]
        out += [
            "### oagen cold run by stage (median, from `oagen generate -v`)",
            "",
            *table(["spec", *stages], rows),
            "",
        ]
    failures = [s for s in results.samples if not s.run.ok]
    if failures:
        out += ["### Failures (last line of output)", ""]
        seen = set()
        for s in failures:
            key = (s.spec, s.tool, s.mode)
            if key not in seen:
                seen.add(key)
                tail = s.run.tail.replace("`", "'")
                out.append(
                    f"- {s.spec}, {NAMES[s.tool]} {s.mode}, round {s.round}: "
                    f"exit {s.run.returncode}: `{tail}`"
                )
        out.append("")
    return out


def _runtime(results: Any) -> list[str]:
    rt = results.runtime
    if not rt:
        return []
    out = ["### Generated client at run time", ""]
    calls = rt.get("calls", {})
    if "error" in calls:
        out += [f"- per-call overhead: not measured: {calls['error']}", ""]
    elif calls:
        out += [
            f"Per-call overhead, Comms client `sender_pools.fetch(id)` (validation on) vs raw httpx "
            f"`client.get(url).json()` over the same `httpx.MockTransport` handler: {calls['iterations']} "
            f"calls per repeat, median of {calls['repeats']} alternating repeats (one fresh process).",
            "",
            *table(["generated", "raw httpx + json()", "ratio", "paired ratio", "target"], [[
                f"{calls['generated_us']:.0f} µs/call", f"{calls['raw_us']:.0f} µs/call",
                f"{calls['ratio']:.2f}x", f"{calls['paired_ratio']:.2f}x", "≤ 1.10x"]]),
            "",
            "The paired ratio is the median of each repeat's generated / raw (run back to back).",
            "",
        ]  # fmt: skip
    startup, spec = rt.get("startup", {}), rt.get("startup_spec", "")
    if "error" in startup:
        out += [f"- startup: not measured: {startup['error']}", ""]
    elif startup:
        first = rt.get("first_call", {})
        wall, bare = rt.get("process_wall_s"), rt.get("interpreter_wall_s")
        rows = [
            ["`import pkg` (in process)", seconds(startup["import_s"]), ""],
            ["`pkg.Client()`", seconds(startup["construct_s"]), ""],
            ["import + construct", seconds(startup["total_s"]), "≤ 0.15 s"],
            [
                "whole process `python -c 'import pkg; pkg.Client()'`",
                seconds(wall),
                f"bare interpreter {seconds(bare)}",
            ],
        ]
        if first and "error" not in first:
            rows += [
                ["first call `issues.get_label(…)` alone", seconds(first["call_s"]), ""],
                [
                    "import + construct + first call",
                    seconds(first["total_s"]),
                    "≤ 0.3 s (first call)",
                ],
            ]
        elif first:
            rows.append(["first call", f"error: {first['error']}", ""])
        out += [
            f"Start-up of the {spec} client (median of 5 fresh processes):",
            "",
            *table(["what", "time", "note"], rows),
            "",
        ]
        imp = rt.get("importtime", {})
        if imp.get("top_self"):
            out += [
                f"`-X importtime`: the package's cumulative import {seconds(imp.get('cumulative_s'))}; costliest modules by self time:",
                "",
            ]
            out += [
                *table(["module", "self"], [[f"`{n}`", seconds(s)] for n, s in imp["top_self"]]),
                "",
            ]
    return out


def _profile(results: Any) -> list[str]:
    prof = results.profile
    if not prof:
        return []
    out = [
        f"### Profile of oagen's slowest stage ({prof['spec']}, pyinstrument, cold, main process)",
        "",
    ]
    if "error" in prof or "slowest" not in prof:
        return [*out, f"Profile failed: `{str(prof.get('error', ''))[-300:]}`", ""]
    stages = ", ".join(f"{k} {seconds(v)}" for k, v in prof["stages"].items())
    if prof.get("note"):
        out += [prof["note"], ""]
    out += [
        f"Stages: {stages}. Slowest: **{prof['slowest']}** ({seconds(prof.get('stage_profiled_s'))} profiled). "
        "black is mypyc-compiled, so time inside it counts as self time of its caller; black's "
        "worker processes are not sampled; datamodel-code-generator is kept in the main process "
        "for the profile (normally a worker runs it beside the rest of the render stage).",
        "",
        "Hot path:",
        "",
        "```",
        *prof.get("hot_path", []),
        "```",
        "",
        *table(
            ["function (self time)", "s"],
            [[f"`{w}`", f"{t:.2f}"] for w, t in prof.get("top_self", [])],
        ),
        "",
    ]
    if prof.get("format_files"):
        rows = [
            [f"`{path}`", f"{lines:,}", seconds(spent), f"{lines / spent:,.0f}" if spent else "—"]
            for path, lines, spent in prof["format_files"]
        ]
        out += [
            "black per generated file (serial, one process, on the generated output; slowest first):",
            "",
            *table(["file", "lines", "black", "lines/s"], rows),
            "",
        ]
    return out


def _targets(results: Any) -> list[str]:
    rows = []
    for spec in _specs(results):
        oagen = _samples(results, spec, "oagen")
        if not oagen:
            continue
        failed = sum(not s.run.ok for s in oagen)
        imports = results.imports.get((spec, "oagen"), "ok")
        time = _time([s for s in oagen if s.run.ok])
        peer = _working_peer_time(results, spec)
        note = f" (failed in {failed} of {len(oagen)} rounds)" if failed else ""
        goal = "≤ 1.0x fastest peer with an importable client"
        if time is None or not imports.startswith("ok"):
            rows.append([f"generation {spec}", f"oagen failed{note}", goal, "**missed**"])
        elif peer is None:
            status = "met (no peer produced an importable client)"
            rows.append([f"generation {spec}", seconds(time) + note, goal, status])
        else:
            value = time / peer[1]
            measured = f"{value:.2f}x {NAMES[peer[0]]}{note}"
            rows.append([f"generation {spec}", measured, goal, _met(value <= 1.0)])
        noop = _time(_noops(results, spec)[0])
        if spec.startswith("github") and noop is not None:
            rows.append([f"no-op {spec}", seconds(noop), "≤ 1 s", _met(noop <= 1.0)])
        peak = max(s.run.peak_mb for s in oagen)
        rows.append([f"peak RSS {spec}", f"{peak:.0f} MB", "≤ 500 MB", _met(peak <= 500)])
    rt = results.runtime
    if "ratio" in rt.get("calls", {}):
        rows.append(
            [
                "per-call overhead (Comms)",
                f"{rt['calls']['ratio']:.2f}x",
                "≤ 1.10x",
                _met(rt["calls"]["ratio"] <= 1.10),
            ]
        )
    if "total_s" in rt.get("startup", {}):
        value = rt["startup"]["total_s"]
        rows.append(
            [
                f"import + Client() ({rt['startup_spec']})",
                seconds(value),
                "≤ 0.15 s",
                _met(value <= 0.15),
            ]
        )
    if "call_s" in rt.get("first_call", {}):
        # the call alone: import + Client() has a target of its own (the row above)
        value = rt["first_call"]["call_s"]
        rows.append(
            [
                "first call (GitHub, fresh process, after import + Client())",
                seconds(value),
                "≤ 0.3 s",
                _met(value <= 0.3),
            ]
        )
    if not rows:
        return []
    return ["### Targets (issue 8)", "", *table(["target", "measured", "goal", "status"], rows), ""]


def _met(flag: bool) -> str:
    return "met" if flag else "**missed**"


def _summary(sample: Any) -> str:
    match = measure.SUMMARY.search(sample.run.output) if sample.tool == "oagen" else None
    return f"{match[1]} / {match[3]} / {match[4]}" if match else ""


def _raw(results: Any) -> list[str]:
    rows = [
        [
            s.round,
            s.spec,
            NAMES[s.tool],
            s.mode,
            f"{s.run.seconds:.2f}",
            f"{s.run.peak_mb:.0f}",
            s.run.returncode,
            s.load,
            _summary(s),
        ]
        for s in results.samples
    ]
    header = ["round", "spec", "tool", "mode", "wall s", "peak MB", "exit", "load 1/5/15 at start"]
    header.append("oagen: files written / unchanged / skipped")
    return ["<details><summary>Every run</summary>", "", *table(header, rows), "", "</details>"]
