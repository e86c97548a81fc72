"""bench/run.py end to end on the Comms spec alone (oagen only): it writes its section and tables.

Benchmarks are not timed tests: nothing here asserts a duration, only that the script runs and
its results file gets the generation table, the run-time table and the targets.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OTHER_SECTION = "<!-- bench:noop -->\nkept as it was\n<!-- /bench:noop -->\n"


def test_quick_run_writes_its_section_and_keeps_the_others(tmp_path: Path) -> None:
    results = tmp_path / "RESULTS.md"
    results.write_text("# oagen benchmarks\n\n" + OTHER_SECTION, encoding="utf-8")
    cmd = [
        sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--skip-peers",
        "--specs", "twilio_comms", "--iterations", "20", "--no-profile", "--results", str(results),
    ]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    text = results.read_text(encoding="utf-8")
    assert OTHER_SECTION in text
    assert text.count("<!-- bench:quick -->") == 1 and "<!-- /bench:quick -->" in text
    assert "| spec | MB | oagen cold | oagen warm | oagen no-op |" in text
    row = next(line for line in text.splitlines() if line.startswith("| twilio_comms.yaml |"))
    assert "✗" not in row and " s |" in row
    assert "| generated | raw httpx + json() | ratio | paired ratio | target |" in text
    assert "### Targets (issue 8)" in text
