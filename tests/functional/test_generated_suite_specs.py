"""Generated suites of specs other than Comms pass, and type-check (issue 4).

An inline spec exercises what Comms does not: no servers, OAuth2 client credentials (the token
endpoint answered by the mock), an apiKey in the query together with a cookie, an operation
without security, form, binary, multipart and text bodies, a binary answer, `deepObject`
parameters, `4XX`/`default` errors and `has_more` pagination. Corpus specs follow (slow).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.cli import run
from tests.conftest import CORPUS
from tests.functional.test_generated_suite import pytest_run

FEATURES = """
openapi: 3.1.0
info: {title: Features, version: '2.0'}
security:
  - oauth: []
  - key: []
    session: []
components:
  securitySchemes:
    oauth:
      type: oauth2
      flows:
        clientCredentials: {tokenUrl: /oauth/token, scopes: {read: read things}}
    key: {type: apiKey, in: query, name: api_key}
    session: {type: apiKey, in: cookie, name: sid}
    bearer: {type: http, scheme: bearer}
  schemas:
    Thing:
      type: object
      required: [id, kind]
      properties:
        id: {type: string, pattern: '^th_[a-z0-9]{4,8}$'}
        kind: {type: string, enum: [small, large]}
        size: {type: number, minimum: 0, exclusiveMaximum: 100}
        when: {type: string, format: date}
        labels: {type: array, items: {type: string, maxLength: 8}, maxItems: 3, uniqueItems: true}
    Page:
      type: object
      required: [items]
      properties:
        items: {type: array, items: {$ref: '#/components/schemas/Thing'}}
        has_more: {type: boolean}
paths:
  /things:
    get:
      operationId: listThings
      tags: [things]
      parameters:
        - {name: starting_after, in: query, schema: {type: string}}
        - {name: filter, in: query, style: deepObject, explode: true, schema: {type: object, properties: {kind: {type: string}, owner: {type: string}}}}
        - {name: tag, in: query, explode: false, schema: {type: array, items: {type: string}}}
        - {name: X-Trace, in: header, schema: {type: string, format: uuid}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Page'}}}}
        '4XX': {description: client error, content: {application/problem+json: {schema: {type: object, properties: {title: {type: string}}}}}}
        default: {description: other, content: {text/plain: {schema: {type: string}}}}
    post:
      operationId: createThing
      tags: [things]
      security: [{bearer: []}]
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema: {$ref: '#/components/schemas/Thing'}
      responses:
        '201': {description: created, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}
        '422': {description: invalid}
  /things/{id}/photo:
    put:
      operationId: uploadPhoto
      tags: [things]
      security: []
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, pattern: '^th_[a-z0-9]{4,8}$'}}
      requestBody:
        required: true
        content:
          image/png: {schema: {type: string, format: binary}}
      responses:
        '204': {description: stored}
    get:
      operationId: getPhoto
      tags: [things]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200': {description: the photo, content: {image/png: {schema: {type: string, format: binary}}}}
  /things/{id}/notes:
    post:
      operationId: addNote
      tags: [notes]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [file, caption]
              properties:
                file: {type: string, format: binary}
                caption: {type: string, minLength: 2}
      responses:
        '200': {description: ok, content: {text/plain: {schema: {type: string}}}}
  /echo:
    post:
      operationId: echo
      tags: [notes]
      requestBody:
        required: true
        content:
          text/plain: {schema: {type: string}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: array, items: {type: integer}}}}}
"""


def generated_suite(spec: Path, out: Path, package: str) -> subprocess.CompletedProcess[str]:
    assert run(["generate", str(spec), "-o", str(out), "--package", package, "-q"]) == 0
    return pytest_run(out, "-v")


def type_check(out: Path) -> None:
    """mypy --strict and ruff on the tests (the client's own typing is checked elsewhere)."""
    tools = Path(sys.executable).parent
    mypy = [str(tools / "mypy"), "--strict", "--follow-imports=silent", "tests"]
    for command in (mypy, [str(tools / "ruff"), "check", "tests"]):
        checked = subprocess.run(command, cwd=out, capture_output=True, text=True, timeout=900, check=False)
        assert checked.returncode == 0, checked.stdout[-3000:]


def test_the_features_suite_passes_and_covers_every_kind_of_request(
    write_spec: Callable[..., Path], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = generated_suite(write_spec(FEATURES), out, "feats")
    assert result.returncode == 0, result.stdout[-3000:]
    for name in (
        "test_list_things_sends_wire_request[oauth]",
        "test_list_things_sends_wire_request[key+session]",
        "test_create_thing_sends_wire_request[bearer]",
        "test_upload_photo_sends_wire_request[anonymous]",
        "test_add_note_sends_wire_request",
        "test_echo_sends_wire_request",
        "test_get_photo_parses_200_response",
        "test_list_things_400_raises_bad_request_error",
        "test_list_things_default_418_raises_client_error",
        "test_list_things_iterates_every_page",
        "test_create_thing_rejects_invalid_arguments",
    ):
        assert name in result.stdout, name
    type_check(out)


def test_the_petstore_suite_passes(tmp_path: Path) -> None:
    result = generated_suite(CORPUS / "petstore.swagger2.yaml", tmp_path / "out", "petstore")
    assert result.returncode == 0, result.stdout[-3000:]


@pytest.mark.slow
@pytest.mark.parametrize("name", ["opc-baseline-3.1.yaml", "zapier-nla.json", "adyen-terminal-v1.oas31.json"])
def test_corpus_suites_pass_and_type_check(tmp_path: Path, name: str) -> None:
    out = tmp_path / "out"
    result = generated_suite(CORPUS / name, out, "corpus_client")
    assert result.returncode == 0, result.stdout[-3000:]
    type_check(out)


BUILTIN_NAMES = """
openapi: 3.1.0
info: {title: Shadows, version: '1'}
servers: [{url: 'https://api.test'}]
paths:
  /things:
    get:
      operationId: list
      tags: [things]
      parameters:
        - {name: kind, in: query, schema: {type: string, enum: ["list[x]", "dict"]}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/Thing'}}}}}
  /things/{id}:
    get:
      operationId: dict
      tags: [things]
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: object, additionalProperties: {type: integer}}}}}
components:
  schemas:
    Thing: {type: object, properties: {id: {type: string}}}
"""


def test_methods_named_after_builtins_keep_their_annotations_sound(
    write_spec: Callable[..., Path], tmp_path: Path
) -> None:
    """A method `list` would stand for the builtin in its class's annotations (mypy reads them in
    class scope): those are written `builtins.list[...]` — never inside a string literal."""
    out = tmp_path / "out"
    result = generated_suite(write_spec(BUILTIN_NAMES), out, "shadows")
    assert result.returncode == 0, result.stdout[-3000:]
    source = (out / "shadows" / "resources" / "things.py").read_text(encoding="utf-8")
    assert "-> builtins.list[Thing]:" in source and "-> builtins.dict[str, int]:" in source
    assert 'Literal["list[x]", "dict"]' in source
    tools = Path(sys.executable).parent
    for command in ([str(tools / "mypy"), "--strict", "."], [str(tools / "ruff"), "check", "."]):
        checked = subprocess.run(command, cwd=out, capture_output=True, text=True, timeout=900, check=False)
        assert checked.returncode == 0, checked.stdout[-3000:]
