"""The generated test suite (issue 4): it passes, covers the spec, and catches broken clients.

The Comms spec is generated into a temporary folder once; its own suite runs in a subprocess
(`python -m pytest`, as a user would run it). The mutation checks copy that output, break the
client in one way each — a path literal, a wire name, an HTTP method, the status → exception
table, a character class of a validator pattern — and require the suite to fail, naming the
kind of test that should catch it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator import regex_samples
from generator.build import build_api
from generator.cli import run
from generator.diagnostics import Diagnostics
from generator.load import load_workspace
from generator.render.testliterals import py
from tests.conftest import COMMS
from tests.functional.test_prism import prism_url

__all__ = ["prism_url"]  # the Prism fixture, for the contract-mode test

PACKAGE = "comms_suite"
OPERATIONS = (
    "list",
    "create",
    "list_operations",
    "fetch_operation",
    "fetch",
    "delete",
    "update",
    "list_senders",
    "add_senders",
    "remove_sender",
)
ERRORS = (
    "bad_request_error",
    "not_found_error",
    "conflict_error",
    "too_many_requests_error",
    "internal_server_error",
    "service_unavailable_error",
    "client_error",
)


def pytest_run(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rf", *(args or ["-q"])]
    return subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=600, check=False)


@pytest.fixture(scope="module")
def comms(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("suite") / "out"
    assert run(["generate", str(COMMS), "-o", str(out), "--package", PACKAGE, "-q"]) == 0
    return out


@pytest.fixture(scope="module")
def comms_run(comms: Path) -> subprocess.CompletedProcess[str]:
    return pytest_run(comms, "-v")


def passed(result: subprocess.CompletedProcess[str]) -> set[str]:
    return set(re.findall(r"::(test_\w+).* PASSED", result.stdout))


def test_the_comms_suite_passes(comms_run: subprocess.CompletedProcess[str]) -> None:
    assert comms_run.returncode == 0, comms_run.stdout[-3000:] + comms_run.stderr[-2000:]
    assert " failed" not in comms_run.stdout


@pytest.mark.parametrize("operation", OPERATIONS)
def test_every_operation_has_wire_parse_and_error_tests(
    comms_run: subprocess.CompletedProcess[str], operation: str
) -> None:
    names = passed(comms_run)
    assert f"test_{operation}_sends_wire_request" in names
    assert any(n.startswith(f"test_{operation}_parses_") for n in names)
    assert f"test_{operation}_undeclared_418_raises_client_error" in names


def test_every_declared_error_class_is_tested(comms_run: subprocess.CompletedProcess[str]) -> None:
    names = passed(comms_run)
    for error in ERRORS:
        assert any(n.endswith(f"_raises_{error}") for n in names), error
    assert "test_fetch_404_raises_not_found_error" in names


def test_every_pattern_is_tested_with_its_boundary_strings(comms: Path) -> None:
    api = build_api(load_workspace(COMMS), package=PACKAGE, diagnostics=Diagnostics())
    text = "\n".join(p.read_text(encoding="utf-8") for p in (comms / "tests").glob("test_*.py"))
    assert api.patterns
    for pattern in api.patterns:
        found = regex_samples.samples(pattern.ecma)
        assert found.invalid, pattern.ecma
        for invalid in found.invalid:
            assert py(invalid.value) in text, (pattern.ecma, invalid.why)


def test_runtime_behaviour_is_tested(comms_run: subprocess.CompletedProcess[str]) -> None:
    names = passed(comms_run)
    for name in (
        "test_429_is_retried_after_its_retry_after",
        "test_create_is_not_retried_on_500",
        "test_list_iterates_every_page",
        "test_async_list_iterates_every_page",
        "test_add_senders_and_wait_polls_until_completed",
        "test_async_create_and_wait_polls_until_completed",
        "test_async_list_sends_wire_request",
    ):
        assert name in names


def test_contract_tests_are_skipped_without_a_server(comms_run: subprocess.CompletedProcess[str]) -> None:
    assert "10 skipped" in comms_run.stdout


# --- mutation checks --------------------------------------------------------------------------

MUTATIONS = {
    "path literal": (
        f"{PACKAGE}/resources/sender_pools.py",
        'path="/v1/SenderPools/{senderPoolId}/Senders"',
        'path="/v1/SenderPools/{senderPoolId}/Sender"',
        "test_add_senders_sends_wire_request",
    ),
    "wire name": (
        f"{PACKAGE}/resources/sender_pools.py",
        'wire="pageSize"',
        'wire="page_size"',
        "test_list_sends_wire_request",
    ),
    "HTTP method": (
        f"{PACKAGE}/resources/sender_pools.py",
        'method="DELETE"',
        'method="POST"',
        "test_delete_sends_wire_request",
    ),
    "status to exception table": (
        f"{PACKAGE}/_runtime/errors.py",
        "404: NotFoundError,",
        "404: ConflictError,",
        "test_fetch_404_raises_not_found_error",
    ),
    "validator character class": (
        f"{PACKAGE}/validators.json",
        "[0-7][a-hjkmnpqrstv-z0-9]",
        "[0-8][a-hjkmnpqrstv-z0-9]",
        "rejects_invalid",
    ),
}


@pytest.mark.parametrize("kind", sorted(MUTATIONS))
def test_a_broken_client_fails_its_suite(comms: Path, tmp_path: Path, kind: str) -> None:
    path, old, new, catcher = MUTATIONS[kind]
    broken = tmp_path / "broken"
    shutil.copytree(comms, broken)
    target = broken / path
    text = target.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new), encoding="utf-8")
    result = pytest_run(broken)
    assert result.returncode == 1, result.stdout[-2000:]
    failed = re.findall(r"^FAILED \S+::(\S+)", result.stdout, re.MULTILINE)
    assert any(catcher in name for name in failed), failed


# --- determinism ------------------------------------------------------------------------------


def test_the_tests_are_generated_deterministically(tmp_path: Path) -> None:
    outputs = []
    for seed in ("0", "1"):
        out = tmp_path / f"out{seed}"
        command = [sys.executable, "-m", "generator", "generate", str(COMMS), "-o", str(out), "--package", PACKAGE, "-q"]
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(command, check=True, env=env, timeout=600, capture_output=True)
        outputs.append({p.name: p.read_bytes() for p in sorted((out / "tests").glob("*.py"))})
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) == 5  # conftest, testkit, one group, client runtime, models


# --- contract mode ----------------------------------------------------------------------------


@pytest.mark.prism
def test_contract_mode_runs_against_a_prism_mock_of_the_spec(comms: Path, prism_url: str) -> None:
    env = {**os.environ, "COMMS_SUITE_TEST_BASE_URL": prism_url}
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-k", "live_server"]
    result = subprocess.run(command, cwd=comms, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "10 passed" in result.stdout


# --- constructs of the corpus specs ------------------------------------------------------------

CORPUS_CONSTRUCTS = """
openapi: 3.0.3
info: {title: Constructs, version: '1'}
servers: [{url: 'https://api.example.test'}]
paths:
  /{Account}/#Action=Describe:
    get:
      operationId: describe
      tags: [queues]
      parameters:
        - {name: Account, in: path, required: true, schema: {type: integer}}
        - {name: Action, in: query, required: true, schema: {type: string, enum: [Describe]}}
        - name: Names
          in: query
          schema: {type: array, items: {allOf: [{$ref: '#/components/schemas/Name'}, {xml: {name: Name}}]}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Dbrp'}}}}
  /ports:
    post:
      operationId: open_ports
      tags: [queues]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              properties:
                ports: {type: object, additionalProperties: {type: object, enum: [{}]}, example: {'80/tcp': {}}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/DbrPs'}}}}
  /items:
    get:
      operationId: list_items
      tags: [queues]
      parameters:
        - {name: pageToken, in: query, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Item10'}
              example: {items: [], nextPageToken: null, done: true}
  /search:
    get:
      operationId: search
      tags: [queues]
      parameters:
        - {name: page, in: query, schema: {type: string}}
        - {name: after, in: query, schema: {type: integer}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Item10'}}}}
  /other:
    get:
      operationId: other
      tags: [queues]
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Item2'}}}}
  /media:
    get:
      operationId: media
      tags: [queues]
      parameters:
        - {name: cursor, in: query, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [items, fields]
                properties:
                  items: {type: array, items: {$ref: '#/components/schemas/Medium'}}
                  next_cursor: {type: string}
                  fields: {items: {type: object}, oneOf: [{type: object}, {type: array, items: {}}]}
components:
  schemas:
    Name: {type: string, enum: [All, Policy]}
    Dbrp: {type: object, properties: {id: {type: string}}}
    DbrPs: {type: object, properties: {count: {type: integer}}}
    Item2: {type: object, properties: {note: {type: string}}}
    Item10:
      type: object
      properties:
        items: {type: array, items: {$ref: '#/components/schemas/Item2'}}
        nextPageToken: {type: string, nullable: true}
        done: {type: boolean}
    Medium:
      type: object
      discriminator: {propertyName: type}
      oneOf: [{$ref: '#/components/schemas/Song'}, {$ref: '#/components/schemas/Show'}]
    Song: {type: object, required: [type], properties: {type: {type: string, enum: [song]}}}
    Show: {type: object, required: [type], properties: {type: {type: string, enum: [show]}}}
"""
"""What broke generated suites of real specs (aws-sqs, docker, youtube, influxdata, slack,
spotify, stripe): a `#…` in a path, an `allOf` member of annotations only, an enum of objects,
an item written out as `{}`, model names isort orders naturally and case-insensitively, a string
`page` and an integer `after` (neither is a counter or cursor the client can advance), a `oneOf`
whose `items` make it an array, a discriminator without mapping, singletons compared with `is`."""


def test_constructs_of_the_corpus_render_sound_suites(tmp_path: Path) -> None:
    spec = tmp_path / "constructs.yaml"
    spec.write_text(CORPUS_CONSTRUCTS, encoding="utf-8")
    out = tmp_path / "out"
    assert run(["generate", str(spec), "-o", str(out), "--package", "constructs", "-q"]) == 0
    result = pytest_run(out)
    assert result.returncode == 0, result.stdout[-3000:]
    tools = Path(sys.executable).parent
    for command in ([str(tools / "mypy"), "--strict", "."], [str(tools / "ruff"), "check", "tests"]):
        checked = subprocess.run(command, cwd=out, capture_output=True, text=True, timeout=900, check=False)
        assert checked.returncode == 0, checked.stdout[-3000:]
    tests = (out / "tests" / "test_queues.py").read_text(encoding="utf-8")
    assert "from constructs.models import Dbrp, DbrPs, Item2, Item10, MediaResponse" in tests
    assert "LIST_ITEMS_ITEM: Any = {}" in tests
    assert 'query=[("Action", "Describe"), ("Names", "All")]' in tests
    assert "assert data.done is True" in tests
    assert "def test_search_iterates_every_page" not in tests
    assert "SEARCH_PAGES" not in tests
    assert "def test_media_iterates_every_page" in tests
