"""The loader's sandbox and limits: symlinks, remote references (refused, then allowed for one
host of a local server), YAML alias bombs, deep nesting in every stage, long `$ref` chains, file
size and file kind. `../`, `file://`, absolute, remote and `ftp:` refs are in the diagnostics
table (`specs/sandbox/spec/escape.yaml`); plain symlinked files in tests/unit/test_refs.py.
"""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.diagnostics import SpecError
from generator.load import load_workspace
from tests.conftest import ROOT
from tests.hostile.hostile_helpers import cli, diagnostics

HEAD = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\nservers: [{url: 'https://t.test'}]\n"


def one_schema(ref: str) -> str:
    return HEAD + f"paths: {{}}\ncomponents:\n  schemas:\n    S: {{$ref: '{ref}'}}\n"


def codes(err: str) -> list[str]:
    return [line.split(" [")[-2].strip("[]") for line in diagnostics(err)]


# --- symlinks ----------------------------------------------------------------------------------


def test_a_symlinked_folder_leading_outside_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text("S: {type: string, description: SECRET}\n")
    spec_dir = tmp_path / "spec"
    spec_dir.mkdir()
    os.symlink(outside, spec_dir / "shared")
    os.symlink(spec_dir / "inside.yaml", spec_dir / "alias.yaml")
    (spec_dir / "inside.yaml").write_text("S: {type: string}\n")
    (spec_dir / "api.yaml").write_text(
        HEAD + "paths: {}\ncomponents:\n  schemas:\n"
        "    A: {$ref: 'shared/secret.yaml#/S'}\n    B: {$ref: 'alias.yaml#/S'}\n"
    )
    assert cli("validate", spec_dir / "api.yaml") == 2
    err = capsys.readouterr().err
    assert codes(err) == ["ref-outside-root"]  # B: a symlink that stays inside is fine
    assert "api.yaml:7:" in err and "[#/components/schemas/A/$ref]" in err
    assert "SECRET" not in err


# --- remote references -------------------------------------------------------------------------


class _Server:
    """A local HTTP server in a thread that records every path asked for."""

    def __init__(self, files: dict[str, str]) -> None:
        self.files = files
        self.requests: list[str] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append(self.path)
                if self.path == "/redirect":
                    self.send_response(302)
                    self.send_header("Location", f"http://localhost:{server.port}/models.yaml")
                    self.end_headers()
                    return
                body = server.files.get(self.path)
                self.send_response(200 if body is not None else 404)
                self.end_headers()
                self.wfile.write((body or "").encode())

            def log_message(self, *args: Any) -> None:
                return None

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@pytest.fixture
def server() -> Iterator[_Server]:
    files = {
        "/models.yaml": "Pet:\n  type: object\n  properties:\n"
        "    name: {type: string}\n    owner: {$ref: 'people.yaml#/Person'}\n",
        "/people.yaml": "Person: {type: object, properties: {email: {type: string}}}\n",
        "/escape.yaml": "Pet: {$ref: 'file:///etc/passwd'}\n",
    }
    running = _Server(files)
    running.thread.start()
    yield running
    running.httpd.shutdown()
    running.httpd.server_close()


def test_remote_refs_are_refused_without_asking_the_network(
    server: _Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text(one_schema(server.url("/models.yaml#/Pet")))
    assert cli("generate", spec, "-o", tmp_path / "out", "-q") == 2
    (line,) = diagnostics(capsys.readouterr().err)
    assert line.endswith(
        f"api.yaml:7:15: error: $ref '{server.url('/models.yaml')}': remote references are "
        "refused (allow this host with --allow-remote-refs 127.0.0.1) [ref-remote] "
        "[#/components/schemas/S/$ref]"
    )
    assert server.requests == []
    assert not (tmp_path / "out").exists()


def test_an_allowed_host_is_fetched_with_its_relative_refs(
    server: _Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text(one_schema(server.url("/models.yaml#/Pet")))
    out = tmp_path / "out"
    assert cli("generate", spec, "-o", out, "-q", "--allow-remote-refs", "127.0.0.1") == 0
    assert server.requests == ["/models.yaml", "/people.yaml"]
    models = out / "api" / "models"
    assert "class Pet(" in (models / "_pet.py").read_text(encoding="utf-8")
    assert "class Person(" in (models / "_person.py").read_text(encoding="utf-8")


def test_a_redirect_to_a_host_not_allowed_is_refused(
    server: _Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text(one_schema(server.url("/redirect#/Pet")))
    assert cli("validate", spec, "--allow-remote-refs", "127.0.0.1") == 2
    (line,) = diagnostics(capsys.readouterr().err)
    assert "[ref-remote]" in line and "which is not allowed" in line
    assert server.requests == ["/redirect"]


def test_a_remote_document_cannot_reach_local_files(
    server: _Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text(one_schema(server.url("/escape.yaml#/Pet")))
    assert cli("validate", spec, "--allow-remote-refs", "127.0.0.1") == 2
    err = capsys.readouterr().err
    assert codes(err) == ["ref-outside-root"]
    assert f"{server.url('/escape.yaml')}:1:" in err and "root:" not in err


# --- YAML aliases -------------------------------------------------------------------------------


def billion_laughs(levels: int = 9) -> str:
    lines = ["openapi: 3.1.0", "info: {title: lol, version: '1'}", "paths: {}"]
    lines.append("x-l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]")
    for i in range(1, levels + 1):
        lines.append(f"x-l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_quickly_in_little_memory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "lol.yaml"
    spec.write_text(billion_laughs())  # 10**10 nodes once expanded
    tracemalloc.start()  # memory, not time: a bomb that expanded would need gigabytes
    try:
        with pytest.raises(SpecError) as exc:
            load_workspace(spec, display="lol.yaml")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    (problem,) = exc.value.diagnostics
    assert problem.format() == (
        "lol.yaml:7:7: error: YAML aliases expand the document by more than 100000 nodes "
        "[alias-bomb] [#/x-l4/7]"
    )
    assert peak < 20 * 1024 * 1024, peak


def test_aliases_cannot_nest_past_the_depth_limit(tmp_path: Path) -> None:
    deep = "[" * 150 + "x" + "]" * 150
    text = HEAD + f"paths: {{}}\nx-a: &a {deep}\nx-b: &b [{'[' * 100}*a{']' * 100}]\n"
    spec = tmp_path / "api.yaml"
    spec.write_text(text)
    with pytest.raises(SpecError) as exc:
        load_workspace(spec)
    (problem,) = exc.value.diagnostics
    assert problem.code == "too-deep"
    assert problem.origin.pointer == "/x-b" + "/0" * 101  # where the alias is used
    assert problem.line == 5  # an alias has the position of the content it names


# --- depth --------------------------------------------------------------------------------------


def deep_documents() -> dict[str, str]:
    head = "openapi: 3.1.0\ninfo: {title: deep, version: '1'}\npaths: {}\n"
    block = "".join("  " * (i + 1) + "- \n" for i in range(300))
    return {
        "flow.yaml": head + "x-deep: " + "[" * 100_000 + "]" * 100_000 + "\n",
        "block.yaml": head + "x-deep:\n" + block,
        "deep.json": '{"openapi": "3.1.0", "x-deep": ' + "[" * 100_000 + "]" * 100_000 + "}",
    }


@pytest.mark.parametrize(
    ("name", "where"),
    [
        ("flow.yaml", "flow.yaml:4:208:"),
        ("block.yaml", "block.yaml:204:401:"),
        ("deep.json", "deep.json:1:231:"),
    ],
)
def test_deep_nesting_is_a_located_error_never_a_crash(
    name: str, where: str, tmp_path: Path
) -> None:
    """In a child process: a regression here used to be a segmentation fault (libyaml)."""
    (tmp_path / name).write_text(deep_documents()[name])
    done = subprocess.run(
        [sys.executable, "-m", "generator", "validate", name],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert done.returncode == 2, done.stderr
    (line,) = diagnostics(done.stderr)
    assert line.startswith(f"{where} error: the document nests deeper than 200 levels [too-deep]")
    assert "Traceback" not in done.stderr


def nested_schema(kind: str, levels: int) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    for i in range(levels):
        if kind == "items":
            schema = {"type": "array", "items": schema}
        elif kind == "properties":
            schema = {"type": "object", "properties": {f"p{i}": schema}}
        else:
            schema = {"anyOf": [schema, {"type": "integer"}]}
    return schema


def body_spec(schema: dict[str, Any], components: dict[str, Any] | None = None) -> str:
    media = {"application/json": {"schema": schema}}
    operation = {
        "operationId": "send",
        "requestBody": {"content": media},
        "responses": {"200": {"description": "ok", "content": media}},
    }
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "servers": [{"url": "https://t.test"}],
        "paths": {"/a": {"post": operation}},
        "components": components or {},
    }
    return json.dumps(spec)


@pytest.mark.parametrize(("kind", "levels"), [("items", 190), ("properties", 95), ("anyOf", 95)])
def test_deep_inline_schemas_within_the_limit_generate(
    kind: str, levels: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """~190 document levels below `schema` (the limit is 200): every stage copes."""
    spec = tmp_path / "deep.json"
    spec.write_text(body_spec(nested_schema(kind, levels)))
    assert cli("generate", spec, "-o", tmp_path / "out", "-q") == 0, capsys.readouterr().err
    assert (tmp_path / "out" / "deep" / "models" / "__init__.py").is_file()


def too_deep_for_the_models(spec: Path) -> Path:
    """A spec whose one named schema nests 196 levels deep: datamodel-code-generator fails."""
    spec.write_text(
        body_spec(
            {"$ref": "#/components/schemas/Deep"},
            {"schemas": {"Deep": nested_schema("items", 196)}},
        )
    )
    return spec


def test_named_schemas_too_deep_for_the_models_are_a_diagnostic(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """datamodel-code-generator recurses about five frames per level of a named schema."""
    spec = too_deep_for_the_models(tmp_path / "deep.json")
    assert cli("generate", spec, "-o", tmp_path / "out", "-q") == 2
    (line,) = diagnostics(capsys.readouterr().err)
    assert line.endswith(
        "deep.json:1:1: error: the schemas nest too deeply for datamodel-code-generator to write "
        "the models [too-deep] [#]"
    )
    assert not (tmp_path / "out").exists()


def test_a_long_chain_of_named_aliases_generates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    count = 400
    schemas: dict[str, Any] = {
        f"S{i}": {"$ref": f"#/components/schemas/S{i + 1}"} for i in range(count)
    }
    schemas[f"S{count}"] = {"type": "object", "properties": {"x": {"type": "string"}}}
    spec = tmp_path / "chain.json"
    spec.write_text(body_spec({"$ref": "#/components/schemas/S0"}, {"schemas": schemas}))
    assert cli("generate", spec, "-o", tmp_path / "out", "-q") == 0, capsys.readouterr().err
    models = (tmp_path / "out" / "chain" / "models" / "_s0.py").read_text(encoding="utf-8")
    assert f"class S0(S{count}):" in models


def test_a_very_long_ref_chain_resolves_without_recursion(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hops = 20_000
    defs: dict[str, Any] = {f"d{i}": {"$ref": f"#/x-defs/d{i + 1}"} for i in range(hops)}
    defs[f"d{hops}"] = {"type": "string", "maxLength": 3}
    spec = json.loads(body_spec({"$ref": "#/x-defs/d0"}))
    spec["x-defs"] = defs
    path = tmp_path / "hops.json"
    path.write_text(json.dumps(spec))
    assert cli("validate", path) == 0, capsys.readouterr().err


# --- file size and kind -------------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_refused_before_reading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as handle:
        handle.truncate(65 * 1024 * 1024)  # sparse: nothing is really written
    (tmp_path / "api.yaml").write_text(one_schema("huge.yaml#/S"))
    assert cli("validate", huge) == 2
    assert diagnostics(capsys.readouterr().err)[0].endswith(
        "huge.yaml: error: the file is too large: 68157440 bytes, more than the limit of "
        "67108864 bytes [file-too-large] [#]"
    )
    assert cli("validate", tmp_path / "api.yaml") == 2
    (line,) = diagnostics(capsys.readouterr().err)
    assert (
        "api.yaml:7:15: error: $ref 'huge.yaml': the file is too large" in line
        and "[file-too-large] [#/components/schemas/S/$ref]" in line
    )


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_a_ref_to_something_not_a_file_is_refused_without_blocking(
    kind: str, tmp_path: Path
) -> None:
    target = tmp_path / "target.yaml"
    if kind == "fifo":
        os.mkfifo(target)  # opening it would block until a writer comes
    else:
        target.mkdir()
    (tmp_path / "api.yaml").write_text(one_schema("target.yaml#/S"))
    done = subprocess.run(
        [sys.executable, "-m", "generator", "validate", "api.yaml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert done.returncode == 2
    (line,) = diagnostics(done.stderr)
    assert line.startswith("api.yaml:7:15: error: $ref 'target.yaml': ")
    assert line.endswith("[file-unreadable] [#/components/schemas/S/$ref]")
