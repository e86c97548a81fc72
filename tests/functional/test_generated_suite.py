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
    "api_error",
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
    assert f"test_{operation}_undeclared_418_raises_api_error" in names


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
    assert len(outputs[0]) == 4


# --- contract mode ----------------------------------------------------------------------------


@pytest.mark.prism
def test_contract_mode_runs_against_a_prism_mock_of_the_spec(comms: Path, prism_url: str) -> None:
    env = {**os.environ, "COMMS_SUITE_TEST_BASE_URL": prism_url}
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-k", "live_server"]
    result = subprocess.run(command, cwd=comms, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "10 passed" in result.stdout
