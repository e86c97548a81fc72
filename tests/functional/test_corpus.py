"""Every corpus spec generates a client that imports and keeps every operation (slow: run with
`pytest -m slow tests/functional/test_corpus.py`; `make corpus` does this and more — the
generated suites, mypy and ruff — and writes bench/CORPUS.md)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.cli import run
from tests.conftest import CORPUS

SPECS = sorted(p.name for p in CORPUS.glob("*") if p.suffix in (".json", ".yaml")) if CORPUS.is_dir() else []
INVALID = sorted(p.name for p in (CORPUS / "invalid").glob("*")) if CORPUS.is_dir() else []
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
COUNT_OPERATIONS = """
import importlib, pkgutil, sys
sys.path.insert(0, sys.argv[1])
package = importlib.import_module(sys.argv[2])
spec = importlib.import_module(sys.argv[2] + "._runtime.spec")
count = 0
for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
    module = importlib.import_module(info.name)
    builders = [v for k, v in vars(module).items() if k.startswith("_") and k.endswith("_operation")]
    count += sum(isinstance(build(), spec.Operation) for build in builders)  # imports its models
print(count)
"""


def operations_in(path: Path) -> int:
    text = path.read_text(encoding="utf-8")
    data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    return sum(
        1
        for item in (data.get("paths") or {}).values()
        if isinstance(item, dict)
        for method in METHODS
        if isinstance(item.get(method), dict)
    )


@pytest.mark.slow
@pytest.mark.parametrize("name", SPECS)
def test_a_corpus_spec_generates_a_client_that_imports_with_every_operation(name: str, tmp_path: Path) -> None:
    package = "c_" + re.sub(r"[^a-z0-9]+", "_", Path(name).stem.lower()).strip("_")
    out = tmp_path / "out"
    assert run(["generate", str(CORPUS / name), "-o", str(out), "--package", package, "-q"]) == 0
    counted = subprocess.run(
        [sys.executable, "-c", COUNT_OPERATIONS, str(out), package],
        capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    assert counted.returncode == 0, counted.stderr[-2000:]
    assert int(counted.stdout) == operations_in(CORPUS / name)


@pytest.mark.slow
@pytest.mark.parametrize("name", INVALID)
def test_an_invalid_corpus_document_is_rejected_with_a_located_error(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert run(["generate", str(CORPUS / "invalid" / name), "-o", str(out), "-q"]) == 2
    assert re.search(r":\d+:\d+: error: .*\[#", capsys.readouterr().err)
    assert not out.exists()
