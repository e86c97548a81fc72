"""Nothing lost: a failure in a later stage leaves the output folder exactly as it was, and no
managed path can leave the output folder. (Failures while loading and building are covered for
every broken spec in test_hostile_diagnostics.py; crashes and kills while writing in
tests/pipeline/test_safe_write.py and test_kill.py.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator import write
from generator.render import models
from tests.hostile.hostile_helpers import GOOD, cli, diagnostics, snapshot


def test_a_models_failure_is_a_diagnostic_and_writes_nothing(
    output: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def broken(*args: Any, **kwargs: Any) -> str:
        raise ValueError("unexpected input\nmore detail")

    monkeypatch.setattr(models, "_generate", broken)
    spec = tmp_path / "good.yaml"
    spec.write_text(GOOD.replace("Good", "Changed"), encoding="utf-8")
    before = snapshot(output.parent)
    assert cli("generate", spec, "-o", output, "--package", "good", "-q", "--force") == 2
    (line,) = diagnostics(capsys.readouterr().err)
    assert line.endswith(
        "good.yaml:1:1: error: datamodel-code-generator cannot write the models: unexpected "
        "input [models-failed] [#]"
    )
    assert snapshot(output.parent) == before


@pytest.mark.parametrize(
    "path",
    [
        "../escape.py",
        "/etc/cron.d/x",
        "pkg/../../x",
        "pkg//x",
        "./x",
        "pkg\\x.py",
        "x\x00.py",
        "",
        "a/" + "b" * 300,
    ],
)
def test_managed_paths_must_stay_inside_the_output(path: str) -> None:
    with pytest.raises(write.WriteError, match="outside the output folder"):
        write.check_relative(path)


def test_a_bad_path_refuses_the_whole_write(tmp_path: Path, output: Path) -> None:
    before = snapshot(output.parent)
    manifest = write.Manifest(generator="oagen", spec="x", inputs="x", files={})
    with pytest.raises(write.WriteError):
        write.write_output(output, {"good/ok.py": b"", "../evil.py": b"x"}, manifest)
    assert snapshot(output.parent) == before
