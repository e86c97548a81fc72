"""Corpus runner (`make corpus`): every spec in a folder, generated, imported, tested, counted.

For each spec: `oagen generate` into a temporary folder (fresh process), import every generated
module in a fresh interpreter, run the generated test suite, run `mypy --strict` and `ruff check`
on the generated package, and compare the number of operations in the spec with the number of
operation descriptors in the client (each built, which imports its models). Prints a table
and writes it to bench/CORPUS.md. Invalid documents (a folder named `invalid`) must be rejected
with a located error instead.

    python bench/corpus.py [FOLDER] [--only NAME] [--timeout SECONDS] [--no-tests]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "corpus" / "specs"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
IMPORT_ALL = """
import importlib, pkgutil, sys
sys.path.insert(0, sys.argv[1])
package = importlib.import_module(sys.argv[2])
count = 0
for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
    module = importlib.import_module(info.name)
    if ".resources." in info.name:
        from importlib import import_module
        spec = import_module(sys.argv[2] + "._runtime.spec")
        builders = [v for k, v in vars(module).items() if k.startswith("_") and k.endswith("_operation")]
        count += sum(isinstance(build(), spec.Operation) for build in builders)
print(count)
"""


@dataclass
class Row:
    spec: str
    result: str
    operations: str
    seconds: float
    detail: str = ""
    mypy: str = "-"
    ruff: str = "-"


def spec_operations(path: Path) -> int:
    text = path.read_text(encoding="utf-8")
    data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    return sum(
        1
        for item in (data.get("paths") or {}).values()
        if isinstance(item, dict)
        for method in METHODS
        if isinstance(item.get(method), dict)
    )


def package_name(path: Path) -> str:
    return "c_" + re.sub(r"[^a-z0-9]+", "_", path.stem.lower()).strip("_")


def run(cmd: list[str], timeout: float, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=cwd, check=False)


def check_spec(path: Path, work: Path, timeout: float, tests: bool) -> Row:
    started = time.perf_counter()
    package = package_name(path)
    out = work / package
    oagen = [sys.executable, "-m", "generator", "generate", str(path), "-o", str(out), "--package", package, "-q"]
    try:
        generated = run(oagen, timeout)
        if generated.returncode != 0:
            return Row(path.name, "generate failed", "-", time.perf_counter() - started, _last(generated.stderr))
        imported = run([sys.executable, "-c", IMPORT_ALL, str(out), package], timeout)
        if imported.returncode != 0:
            return Row(path.name, "import failed", "-", time.perf_counter() - started, _last(imported.stderr))
        kept, total = int(imported.stdout.strip() or 0), spec_operations(path)
        operations = f"{kept}/{total}" + ("" if kept == total else " (!)")
        if tests and (out / "tests").is_dir():
            suite = run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", str(out / "tests")], timeout, cwd=out)
            if suite.returncode != 0:
                return Row(path.name, "tests failed", operations, time.perf_counter() - started, _last(suite.stdout))
            result = "ok (" + _last(suite.stdout).split(" in ")[0] + ")"
        else:
            result = "ok (no tests)" if tests else "ok"
        row = Row(path.name, result, operations, time.perf_counter() - started)
        row.mypy, row.ruff = static_checks(out, package, timeout)
        return row
    except subprocess.TimeoutExpired:
        return Row(path.name, f"timeout {timeout:.0f}s", "-", time.perf_counter() - started)


def static_checks(out: Path, package: str, timeout: float) -> tuple[str, str]:
    """`mypy --strict` and `ruff check` on the generated package (its own configuration)."""
    bin_dir = Path(sys.executable).parent
    typed = run([str(bin_dir / "mypy"), "--strict", package, "tests"], timeout, cwd=out)
    linted = run([str(bin_dir / "ruff"), "check", "--output-format", "concise", "."], timeout, cwd=out)
    mypy = "clean" if typed.returncode == 0 else _last(typed.stdout)
    ruff = "clean" if linted.returncode == 0 else _last(linted.stdout)
    return mypy, ruff


def check_invalid(path: Path, work: Path, timeout: float) -> Row:
    started = time.perf_counter()
    out = work / "invalid_out"
    done = run([sys.executable, "-m", "generator", "generate", str(path), "-o", str(out), "-q"], timeout)
    located = re.search(r":\d+:\d+: error: .*\[#", done.stderr)
    ok = done.returncode == 2 and located is not None and not out.exists()
    detail = _last(done.stderr)
    return Row(f"invalid/{path.name}", "rejected, located" if ok else f"NOT rejected (exit {done.returncode})", "-", time.perf_counter() - started, detail)


def _last(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:160] if lines else ""


def table(rows: list[Row]) -> str:
    lines = [
        "| spec | result | operations kept | mypy --strict | ruff | seconds |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {r.spec} | {r.result} | {r.operations} | {r.mypy} | {r.ruff} | {r.seconds:.1f} |"
        for r in rows
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--only", action="append", default=[])
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--no-tests", action="store_true")
    parser.add_argument("--write", type=Path, default=ROOT / "bench" / "CORPUS.md")
    args = parser.parse_args()
    specs = sorted(p for p in args.folder.glob("*") if p.suffix in (".json", ".yaml", ".yml"))
    invalid = sorted((args.folder / "invalid").glob("*")) if (args.folder / "invalid").is_dir() else []
    if args.only:
        specs = [p for p in specs if any(o in p.name for o in args.only)]
        invalid = [p for p in invalid if any(o in p.name for o in args.only)]
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="oagen-corpus-") as tmp:
        for path in specs:
            rows.append(check_spec(path, Path(tmp), args.timeout, not args.no_tests))
            row = rows[-1]
            print(f"{row.spec}: {row.result} {row.operations} mypy {row.mypy} ruff {row.ruff} {row.seconds:.1f}s {row.detail}", flush=True)
        for path in invalid:
            rows.append(check_invalid(path, Path(tmp), args.timeout))
            print(f"{rows[-1].spec}: {rows[-1].result} {rows[-1].detail}", flush=True)
    good = sum(r.result.startswith(("ok", "rejected")) for r in rows)
    generated = [r for r in rows if not r.spec.startswith("invalid/")]
    summary = (
        f"{good}/{len(rows)} as expected; of {len(generated)} generated packages, "
        f"mypy --strict clean: {sum(r.mypy == 'clean' for r in generated)}, "
        f"ruff clean: {sum(r.ruff == 'clean' for r in generated)}"
    )
    print(table(rows))
    print(summary)
    if not args.only:
        machine = f"{platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        args.write.write_text(
            f"# Corpus run\n\n{time.strftime('%Y-%m-%d')} on {machine}; `make corpus`.\n\n{table(rows)}\n\n{summary}\n",
            encoding="utf-8",
        )
    return 0 if good == len(rows) else 1


if __name__ == "__main__":
    sys.exit(main())
