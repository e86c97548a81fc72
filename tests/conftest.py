"""Shared helpers for the tool's tests."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "specs"
COMMS = ROOT / "specs" / "twilio_comms.yaml"

_ONE_OPERATION = """\
openapi: 3.1.0
info: {title: TITLE, version: '1'}
servers: [{url: 'https://HOST.test'}]
paths:
  /things/{id}:
    get:
      operationId: getThing
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {id: {type: string}}}
"""


def one_operation_spec(title: str) -> str:
    """A valid spec with one operation (`getThing`, `GET /things/{id}`) titled `title`."""
    return _ONE_OPERATION.replace("TITLE", title).replace("HOST", title.lower())


@pytest.fixture
def write_spec(tmp_path: Path) -> Callable[..., Path]:
    """Write a spec (YAML/JSON text, dedented) into tmp_path and return its path."""

    def write(text: str, name: str = "api.yaml") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write
