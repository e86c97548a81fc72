"""Does the format stage give what black gives? Checked on whole corpus specs.

The format stage (generator/format.py) skips black on statements the templates already wrote in
black's layout and runs it one logical line or statement at a time elsewhere. This renders each spec,
runs the format stage, and compares every Python file with black run on the whole rendered file
(the slow, obviously right way), reporting the time each way.

    python bench/blackcheck.py SPEC [SPEC ...]
"""

from __future__ import annotations

import difflib
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.config import Target  # noqa: E402
from generator.diagnostics import Diagnostics  # noqa: E402
from generator.format import format_files, format_source  # noqa: E402
from generator.pipeline import Options, analyse  # noqa: E402
from generator.render import RenderOptions, needs_black, render_package  # noqa: E402


def check(spec: Path) -> bool:
    package = re.sub(r"\W", "_", spec.stem).lower()
    _, api, diagnostics = analyse(Target(spec=spec, output=spec.parent, package=package), Options())
    if api is None:
        print(f"{spec.name}: does not load ({len(diagnostics)} diagnostics)")
        return False
    options = RenderOptions(package=package, spec_name=spec.name, spec_sha256="0" * 64)
    files = render_package(api, options, Diagnostics())
    start = time.perf_counter()
    staged = format_files(files, None, needs_black(options))
    stage_seconds = time.perf_counter() - start
    start = time.perf_counter()
    python = sorted(p for p in files if p.endswith(".py"))
    differ = []
    for path in python:
        whole = format_source(files[path])
        if whole != staged.files[path]:
            differ.append(path)
            diff = difflib.unified_diff(
                whole.splitlines(), staged.files[path].splitlines(), "black", "stage", lineterm="", n=1
            )
            print("\n".join(list(diff)[:20]))
    black_seconds = time.perf_counter() - start
    lines = sum(files[p].count("\n") for p in python)
    print(
        f"{spec.name}: {len(python)} files, {lines} lines; differ: {len(differ)}; "
        f"format stage {stage_seconds:.1f} s ({staged.laid_out} files skipped), "
        f"black on every whole file {black_seconds:.1f} s (one core)"
    )
    return not differ


def main() -> int:
    ok = [check(Path(arg)) for arg in sys.argv[1:]]
    return 0 if all(ok) else 1


if __name__ == "__main__":
    raise SystemExit(main())
