"""Hostile strings everywhere in a spec → code that parses, imports without side effects, carries
every string verbatim as data, names everything with valid non-reserved identifiers, and passes
`mypy --strict` and ruff.

`specs/hostile-strings.json` puts quotes, triple quotes, backslashes, NUL and control characters,
bidi controls, Jinja syntax, code fragments, line separators and emoji into the title,
descriptions, summaries, operationId, tag, parameter, property, header and security scheme names,
enum values, examples, defaults, the server URL and the path template; property names also
include `__class__`, `model_config`, `self`, `None`, Python keywords, names differing only in case,
the empty string and a 10,000-character name.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.hostile.hostile_helpers import SPECS, cli

SPEC = SPECS / "hostile-strings.json"
PACKAGE = "hostile"
PATH = next(iter(json.loads(SPEC.read_text(encoding="utf-8"))["paths"]))

# Runs in a fresh interpreter (`python -B`: no bytecode written): imports every generated module
# under an audit hook, then reports what the modules hold and what a call puts on the wire.
PROBE = r"""
import importlib, json, os, pkgutil, sys, typing

out, package = os.path.realpath(sys.argv[1]), sys.argv[2]
readable = [os.path.realpath(p) for p in (out, sys.prefix, sys.base_prefix, sys.exec_prefix)]
WRITES = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
BANNED = ("socket.", "subprocess.", "os.system", "os.exec", "os.spawn", "os.posix_spawn",
          "os.fork", "os.remove", "os.rename", "os.mkdir", "os.rmdir", "os.symlink", "os.link",
          "shutil.", "urllib.", "http.client.", "ctypes.dlopen", "webbrowser.")
violations = []

def hook(event, args):
    if event.startswith(BANNED):
        violations.append(f"{event} {args!r}"[:300])
    elif event == "open" and isinstance(args[0], str):
        path, mode, flags = os.path.realpath(args[0]), args[1] or "", args[2] or 0
        writing = any(c in mode for c in "wax+") or flags & WRITES
        if writing or not any(path == r or path.startswith(r + os.sep) for r in readable):
            violations.append(f"open {args!r}"[:300])

sys.addaudithook(hook)
sys.path.insert(0, out)
root = importlib.import_module(package)
modules = {m.name: importlib.import_module(m.name) for m in pkgutil.walk_packages(root.__path__, package + ".")}
imported = list(violations)

import httpx
from pydantic import BaseModel
spec = importlib.import_module(package + "._runtime.spec")
api = importlib.import_module(package + "._api").API
ops = [v() for m in modules.values() for k, v in vars(m).items()
       if k.startswith("_") and k.endswith("_operation")]  # descriptors are built on first use
assert ops and all(isinstance(op, spec.Operation) for op in ops)
models = modules[package + ".models"]
thing = next(c for c in (getattr(models, name) for name in models.__all__)
             if isinstance(c, type) and issubclass(c, BaseModel) and "kind" in c.model_fields)
kind = thing.model_fields["kind"].annotation
sent = []

def answer(request):
    sent.append({"path": request.url.raw_path.decode().split("?")[0], "params": sorted(request.url.params.multi_items())})
    return httpx.Response(200, json={"kind": "a\"b'c", "\"; import os; \"": "v"})

client = root.Client(key_import_os="k", http_client=httpx.Client(transport=httpx.MockTransport(answer)))
group = next(v for k, v in vars(type(client)).items() if not k.startswith("_") and hasattr(v, "func"))
resource = getattr(client, group.func.__name__)
result = resource.import_os_get("../id/%2F", "a b", q_import_os="nul\x00 esc\x1b[31m bell\x07 del\x7f")
print(json.dumps({
    "import_violations": imported,
    "violations": violations,
    "title": api.title, "version": api.version, "base_url": api.base_url,
    "schemes": [s.name for s in api.schemes], "scheme_wires": [getattr(s, "wire", None) for s in api.schemes],
    "paths": sorted({op.path for op in ops}),
    "params": sorted({p.wire for op in ops for p in op.params}),
    "body_fields": sorted({f.wire for op in ops if op.body and op.body.fields for f in op.body.fields}),
    "headers": sorted({h.wire for op in ops for r in op.responses for h in r.headers}),
    "aliases": sorted(n if f.alias is None else f.alias for n, f in thing.model_fields.items()),
    "shadowing": sorted(n for n in thing.model_fields if n in dir(BaseModel)),
    "enum": list(typing.get_args(typing.get_args(kind)[0])),
    "client_doc": root.Client.__doc__, "method_doc": type(resource).import_os_get.__doc__,
    "sent": sent, "result": [result.kind, result.import_os],
}))
"""


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hostile") / "out"
    assert cli("generate", SPEC, "-o", out, "--package", PACKAGE, "-q") == 0
    return out


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SPEC.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def probe(generated: Path) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOSTILE_")}
    done = subprocess.run(
        [sys.executable, "-B", "-c", PROBE, str(generated), PACKAGE],
        capture_output=True,
        text=True,
        env=env,
        cwd=generated,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def python_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.py"))


def test_every_generated_module_parses(generated: Path) -> None:
    files = python_files(generated)
    assert len(files) > 20
    for path in files:
        ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def test_file_names_are_plain_and_inside_the_output(generated: Path) -> None:
    for path in generated.rglob("*"):
        rel = path.relative_to(generated).as_posix()
        assert re.fullmatch(r"[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*", rel), rel
        assert ".." not in rel.split("/") and not path.is_symlink()
        if path.suffix == ".py":
            assert path.stem.isidentifier(), rel


def test_generated_source_is_ascii_safe(generated: Path) -> None:
    """No raw control or bidi character from the spec ever reaches a source file."""
    for path in [*python_files(generated), generated / "README.md", generated / "pyproject.toml"]:
        text = path.read_text(encoding="utf-8")
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069\u2028]", text), path


def test_jinja_syntax_appears_literally(generated: Path) -> None:
    resources = next((generated / PACKAGE / "resources").glob("ta_*.py")).read_text(
        encoding="utf-8"
    )
    for text in (resources, (generated / "README.md").read_text(encoding="utf-8")):
        assert "{{ 7*7 }} {% if true %}x{% endif %} {# c #}" in text


def test_pyproject_is_valid_toml_and_keeps_the_title(generated: Path, spec: dict[str, Any]) -> None:
    import tomllib

    project = tomllib.loads((generated / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["description"] == f"Python client for the {spec['info']['title']} API"


def test_imports_without_side_effects(probe: dict[str, Any]) -> None:
    assert probe["import_violations"] == []
    assert probe["violations"] == []


def test_strings_are_carried_verbatim_as_data(probe: dict[str, Any], spec: dict[str, Any]) -> None:
    (item,) = spec["paths"].values()
    thing = next(iter(spec["components"]["schemas"].values()))
    ((scheme, definition),) = spec["components"]["securitySchemes"].items()
    get, post = item["get"], item["post"]
    assert probe["title"] == spec["info"]["title"]
    assert probe["version"] == spec["info"]["version"]
    assert probe["base_url"] == spec["servers"][0]["url"]
    assert (probe["schemes"], probe["scheme_wires"]) == ([scheme], [definition["name"]])
    assert probe["paths"] == [PATH]
    wires = {p["name"] for p in item["parameters"] + get["parameters"]}
    assert set(probe["params"]) == wires
    body = post["requestBody"]["content"]["application/json"]["schema"]["properties"]
    assert probe["body_fields"] == sorted(body)
    assert probe["headers"] == sorted(get["responses"]["200"]["headers"])
    assert probe["aliases"] == sorted(thing["properties"])
    assert probe["enum"] == thing["properties"]["kind"]["enum"]


def test_names_never_shadow_the_runtime(probe: dict[str, Any]) -> None:
    assert probe["shadowing"] == []


def test_docstrings_hold_the_text(probe: dict[str, Any], spec: dict[str, Any]) -> None:
    """Docstrings are escaped source whose value is the spec's text (line breaks normalised)."""
    title = " ".join(spec["info"]["title"].replace("\r\n", "\n").split("\n"))
    for fragment in title.split(" | ")[:8]:
        assert fragment in probe["client_doc"]
    for fragment in spec["paths"][PATH]["get"]["summary"].split(" | ")[:8]:
        assert fragment in probe["method_doc"]


def test_a_call_puts_the_wire_names_on_the_wire(
    probe: dict[str, Any], spec: dict[str, Any]
) -> None:
    (request,) = probe["sent"]
    # the server URL's path as httpx writes it; path values percent-encoded, `/` included
    assert request["path"] == "/base'%22\\%7B%7B%207*7%20%7D%7D/things/..%2Fid%2F%252F/a%20b"
    query = dict(request["params"])
    assert query['q"; import os; "'] == "nul\x00 esc\x1b[31m bell\x07 del\x7f"
    assert query['api"key'] == "k"
    assert probe["result"] == ["a\"b'c", "v"]


def test_mypy_strict_and_ruff_pass(generated: Path) -> None:
    bin_dir = Path(sys.executable).parent
    for command in (
        [str(bin_dir / "mypy"), "--strict", "--no-incremental", PACKAGE],
        [str(bin_dir / "ruff"), "check", "--no-cache", PACKAGE],
    ):
        done = subprocess.run(command, cwd=generated, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stdout + done.stderr
