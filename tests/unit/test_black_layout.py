"""The templates write black's layout, so the format stage may skip black on their files.

format.py runs black only on datamodel-code-generator's models and on files where a cheap look
shows black would change something. That is only sound while every other rendered Python file is
exactly what black would make of it: these tests render whole packages — the Comms API, the
composition spec, hostile strings, and corpus specs with long names and documentation — and
run black over every file the format stage would skip.
"""

from __future__ import annotations

from collections.abc import Container
from pathlib import Path

import pytest

from generator.config import Target
from generator.diagnostics import Diagnostics
from generator.format import (
    format_files,
    format_source,
    looks_formatted,
    plain_imports,
    split_statements,
)
from generator.pipeline import Options, analyse
from generator.render import RenderOptions, needs_black, render_package
from tests.conftest import COMMS, CORPUS, ROOT

SPECS = {
    "twilio_comms": COMMS,
    "composition": ROOT / "tests" / "snapshot" / "specs" / "composition.yaml",
    "hostile_strings": ROOT / "tests" / "hostile" / "specs" / "hostile-strings.json",
    "petstore": CORPUS / "petstore.swagger2.yaml",
    "opc_baseline": CORPUS / "opc-baseline-3.1.yaml",
    "spotify": CORPUS / "spotify.json",
}


ALLOWED_TO_FLAG = {"hostile_strings": 3, "opc_baseline": 1, "spotify": 1}


def rendered(spec: Path, package: str) -> tuple[dict[str, str], Container[str] | None]:
    if not spec.is_file():
        pytest.skip(f"{spec} is not on this machine")
    target = Target(spec=spec, output=spec.parent / "unused", package=package)
    _, api, diagnostics = analyse(target, Options())
    assert api is not None, [d.message for d in diagnostics]
    options = RenderOptions(package=package, spec_name=spec.name, spec_sha256="0" * 64)
    return render_package(api, options, Diagnostics()), needs_black(options)


@pytest.mark.parametrize("name", sorted(SPECS))
def test_the_format_stage_gives_what_black_gives_on_every_file(name: str) -> None:
    files, always = rendered(SPECS[name], name)
    modules = [p for p in files if p.startswith(f"{name}/models/") and not p.endswith("__init__.py")]
    assert always is not None and modules and all(p in always for p in modules)
    assert f"{name}/models/__init__.py" not in always
    result = format_files(files, None, always)
    python = sorted(p for p in files if p.endswith(".py"))
    differ = [p for p in python if result.files[p] != format_source(files[p])]
    assert differ == [], "the format stage's output differs from black's on these files"
    assert result.laid_out > 10
    # A file black formats after all is correct but slower: the templates avoid that for most
    # shapes, not all (very long unions in a return annotation, hostile enum strings).
    flagged = [p for p in python if p not in always and not looks_formatted(files[p])]
    assert len(flagged) <= ALLOWED_TO_FLAG.get(name, 0), flagged


def test_statements_split_and_join_back() -> None:
    text = (
        "# header\n\"\"\"Doc.\"\"\"\n\nimport os\n\nX = 1\n\"\"\"About X.\"\"\"\n\n\n"
        "# about f\n@decorator\ndef f(\n    a,\n):\n    # inside\n    return a\n\n\nclass C:\n    y = 2\n"
    )
    pieces = split_statements(text)
    assert "".join(gap + statement for gap, statement in pieces) == text
    assert [statement.splitlines()[0] for _, statement in pieces] == [
        "# header",
        "import os",
        "X = 1",
        "# about f",
        "class C:",
    ]
    assert pieces[2] == ("\n", "X = 1\n\"\"\"About X.\"\"\"\n")
    assert split_statements("def broken(:\n") == [("", "def broken(:\n")]


def test_looks_formatted_flags_what_black_would_split() -> None:
    long = "x" * 120
    assert looks_formatted(f'    "key": "{long}",\n    name="{long}",\n        == "{long}"\n')
    assert looks_formatted(f'    """{long}"""\n')
    assert looks_formatted(f'    """Doc\n    {long}\n    """\n')
    assert not looks_formatted(f'    """Doc\n    {long}"""\n'), "black moves these closing quotes"
    assert not looks_formatted(f'x = call("{long}")\n')
    assert not looks_formatted(f'x = "{long}" + y\n')
    assert not looks_formatted("x = 1 \n")
    assert not looks_formatted("if x:\n\ty = 1\n")


def test_format_files_runs_black_only_where_needed() -> None:
    laid_out = "x = {'a': 1}\n"  # not black's layout, yet passes the cheap look: trusted as is
    long = "y = f(" + ", ".join(f"argument_{i}" for i in range(20)) + ")\n"
    files = {"pkg/models.py": "z  =  1\n", "pkg/a.py": laid_out, "pkg/b.py": long, "README.md": "z  =  1\n"}
    result = format_files(files, None, frozenset({"pkg/models.py"}))
    assert result.files["pkg/models.py"] == "z = 1\n"
    assert result.files["pkg/a.py"] == laid_out
    assert result.files["pkg/b.py"] == format_source(long) != long
    assert result.files["README.md"] == files["README.md"]
    assert (result.formatted, result.laid_out) == (2, 1)
    again = format_files(files, None, frozenset({"pkg/models.py"}))
    assert again.files == result.files
    everything = format_files(files, None, None)
    assert everything.files["pkg/a.py"] == 'x = {"a": 1}\n' and everything.laid_out == 0


def test_the_parallel_path_gives_the_serial_result(monkeypatch: pytest.MonkeyPatch) -> None:
    """Statements go to forkserver workers when there are many lines; same bytes either way."""
    source = "".join(f"def f{i}( a,b ):\n  return {{'a':a,'b':b}}\n\n\n" for i in range(40))
    files = {"pkg/models.py": source, "pkg/other.py": source.replace("def f", "def g")}
    serial = format_files(files, None, None)
    monkeypatch.setattr("generator.format._PARALLEL_MIN_LINES", 0)
    parallel = format_files(files, None, None)
    assert parallel.files == serial.files
    assert parallel.files["pkg/models.py"] == format_source(source)


PLAIN = [
    "# header\n# more\n\nfrom __future__ import annotations",
    "from .._runtime.model import BaseModel",
    "import os",
    "from typing import Any, Literal",
]
NOT_PLAIN = [
    "from x import a,b",
    "from x import (a)",
    "from x import a as b",
    "#comment\nimport os",
    "import os  # why",
    "from m import " + ", ".join(f"name{i}" for i in range(20)),
]


def test_plain_imports_are_ones_black_leaves_alone() -> None:
    """format_files skips black for them even in the model modules: only when that is safe."""
    assert [s for s in PLAIN if not plain_imports(s)] == []
    assert [s for s in PLAIN if format_source(s + "\n") != s + "\n"] == []
    assert [s for s in NOT_PLAIN if plain_imports(s)] == []
