"""Markdown for bench/RESULTS.md: the machine, the tables, and the one section this script owns.

`write_section()` replaces only the text between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->`
(appending the section when the markers are absent), so sections written by other scripts —
bench/noop.py's "No-op regeneration and check" — stay as they are.
"""

from __future__ import annotations

import os
import platform
import re
import statistics
import subprocess
import sys
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

TITLE = "# oagen benchmarks\n"


def _first(path: str, key: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if line.startswith(key):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "?"


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def machine() -> list[str]:
    memory = _first("/proc/meminfo", "MemTotal")
    gib = f"{int(memory.split()[0]) / 2**20:.1f} GiB" if memory != "?" else "?"
    java = subprocess.run(["java", "-version"], capture_output=True, text=True, check=False)
    return [
        f"- date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- machine: `{' '.join(platform.uname())}`",
        f"- CPU: {_first('/proc/cpuinfo', 'model name')}, nproc {os.cpu_count()}; RAM {gib}",
        f"- Python {platform.python_version()} ({sys.executable}); "
        f"Java: {(java.stderr.splitlines() or ['absent'])[0]}",
    ]


def table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def seconds(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.2f} s" if value < 10 else f"{value:.1f} s"


def ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}x" if a is not None and b else "—"


def write_section(path: Path, name: str, body: str) -> None:
    """Put `body` between this section's markers in `path`, leaving the rest of the file alone."""
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    block = f"{start}\n{body.rstrip()}\n{end}"
    text = path.read_text(encoding="utf-8") if path.exists() else TITLE
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text, count=1)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
