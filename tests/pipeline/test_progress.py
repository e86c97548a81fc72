"""Progress and summary on stderr; a light CLI start-up, so that no-op runs stay fast."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import run
from tests.conftest import COMMS, ROOT
from tests.pipeline.pipeline_helpers import SMALL, oagen

SUMMARY = re.compile(
    r"^oagen: 1 target: (\d+) files written, (\d+) removed, (\d+) unchanged, (\d+) skipped \(up to date\) \((\d+\.\d\d) s\)$"
)


def generate(spec: Path, out: Path, *extra: str) -> None:
    assert run(["generate", str(spec), "-o", str(out), "--package", "small", *extra]) == 0


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    path = tmp_path / "api.yaml"
    path.write_text(SMALL)
    return path


def err_lines(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return capsys.readouterr().err.splitlines()


def test_non_tty_default_prints_only_the_summary(spec: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    generate(spec, tmp_path / "out")
    lines = err_lines(capsys)
    assert len(lines) == 1 and SUMMARY.match(lines[0]), lines
    generate(spec, tmp_path / "out")
    match = SUMMARY.match(err_lines(capsys)[0])
    assert match is not None and match.group(1) == "0" and int(match.group(4)) > 10


def test_quiet_prints_nothing(spec: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    generate(spec, tmp_path / "out", "-q")
    assert capsys.readouterr().err == ""


def test_verbose_shows_each_stage(spec: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    generate(spec, tmp_path / "out", "-v")
    lines = err_lines(capsys)
    assert lines[0].startswith("oagen: ") and " → " in lines[0]
    stages = [line.split(":")[0].strip() for line in lines[1:-1]]
    assert stages == ["load + build", "render", "format", "write"]
    assert SUMMARY.match(lines[-1])


def test_a_tty_gets_progress_without_verbose(spec: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    generate(spec, tmp_path / "out")
    assert any(line.strip().startswith("format:") for line in err_lines(capsys))


HEAVY = ("black", "jinja2", "datamodel_code_generator", "generator.render", "generator.build", "generator.load", "generator.ir")


def loaded_modules(code: str) -> list[str]:
    script = f"import sys\n{code}\nprint(' '.join(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    return done.stdout.split()


def test_cli_import_stays_light() -> None:
    assert not [m for m in loaded_modules("import generator.cli") if m.startswith(HEAVY)]


def test_a_noop_run_never_imports_the_heavy_stages(spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    generate(spec, out, "-q")
    for extra in ("", ", '--check'"):
        code = f"from generator.cli import run\nrun(['generate', {str(spec)!r}, '-o', {str(out)!r}, '--package', 'small', '-q'{extra}])"
        assert not [m for m in loaded_modules(code) if m.startswith(HEAVY)]


def test_noop_generate_and_check_of_the_comms_spec_take_the_fast_path(tmp_path: Path) -> None:
    """Nothing rendered, nothing written: the answer comes from the manifest. (How long that
    takes is measured by bench/noop.py, not asserted here.)"""
    out = tmp_path / "out"
    assert oagen("generate", COMMS, "-o", out, "--package", "comms", "-q").returncode == 0
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    for extra in (["-v"], ["-v", "--check"]):
        result = oagen("generate", COMMS, "-o", out, "--package", "comms", *extra)
        assert result.returncode == 0, result.stderr
        assert "nothing rendered" in result.stderr
        assert "render:" not in result.stderr and "format:" not in result.stderr
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == before
