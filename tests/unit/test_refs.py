"""`$ref` resolution: local, relative files, the sandbox, cycles, missing targets."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.build import build_api
from generator.diagnostics import Diagnostics, SpecError
from generator.load import Resolved, load_workspace

HEAD = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\nservers: [{url: 'https://api.test'}]\n"


def spec(body: str) -> str:
    return HEAD + textwrap.dedent(body).lstrip("\n")


def build(path: Path) -> tuple[object, list[str]]:
    diagnostics = Diagnostics()
    api = build_api(load_workspace(path), package="x", diagnostics=diagnostics)
    return api, [f"{d.code} {d.origin.pointer}" for d in diagnostics]


def test_relative_file_refs_are_followed(write_spec: Callable[..., Path]) -> None:
    write_spec(
        """
        Pet:
          type: object
          properties:
            owner: {$ref: 'people.yaml#/Person'}
        """,
        "models/pets.yaml",
    )
    write_spec("Person: {type: object, properties: {name: {type: string}}}\n", "models/people.yaml")
    path = write_spec(
        spec(
            """
        paths:
          /pets:
            get:
              operationId: listPets
              responses:
                '200':
                  description: ok
                  content:
                    application/json:
                      schema: {$ref: 'models/pets.yaml#/Pet'}
        """
        )
    )
    api, problems = build(path)
    assert problems == []
    assert {s.name for s in api.schemas} >= {"Pet", "Person"}  # type: ignore[attr-defined]


def test_ref_outside_the_spec_folder_is_refused(
    tmp_path: Path, write_spec: Callable[..., Path]
) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("Secret: {type: string}\n")
    path = write_spec(
        spec("paths: {}\ncomponents:\n  schemas:\n    S: {$ref: '../secret.yaml#/Secret'}\n"),
        "spec/api.yaml",
    )
    _, problems = build(path)
    assert problems == ["ref-outside-root /components/schemas/S/$ref"]


def test_symlink_escaping_the_folder_is_refused(
    tmp_path: Path, write_spec: Callable[..., Path]
) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text("S: {type: string}\n")
    path = write_spec(
        spec("paths: {}\ncomponents:\n  schemas:\n    S: {$ref: 'link.yaml#/S'}\n"), "spec/api.yaml"
    )
    os.symlink(outside, path.parent / "link.yaml")
    _, problems = build(path)
    assert problems == ["ref-outside-root /components/schemas/S/$ref"]


@pytest.mark.parametrize("ref", ["https://example.com/x.yaml#/S", "file:///etc/passwd"])
def test_remote_and_absolute_refs_are_refused(write_spec: Callable[..., Path], ref: str) -> None:
    path = write_spec(spec(f"paths: {{}}\ncomponents:\n  schemas:\n    S: {{$ref: '{ref}'}}\n"))
    _, problems = build(path)
    assert problems[0].split()[0] in ("ref-remote", "ref-outside-root")


def test_missing_file_and_pointer_are_reported_together(write_spec: Callable[..., Path]) -> None:
    path = write_spec(
        spec(
            """
        paths: {}
        components:
          schemas:
            A: {$ref: 'missing.yaml#/A'}
            B: {$ref: '#/components/schemas/Nope'}
        """
        )
    )
    _, problems = build(path)
    assert sorted(problems) == [
        "file-not-found /components/schemas/A/$ref",
        "ref-unresolved /components/schemas/B/$ref",
    ]


def test_pure_ref_cycle_is_an_error(write_spec: Callable[..., Path]) -> None:
    path = write_spec(
        spec(
            """
        paths:
          /a:
            $ref: '#/paths/~1b'
          /b:
            $ref: '#/paths/~1a'
        """
        )
    )
    workspace = load_workspace(path)
    with pytest.raises(SpecError) as exc:
        workspace.follow(
            Resolved(
                document=workspace.root,
                pointer="/paths/~1a",
                value=workspace.root.data["paths"]["/a"],
            )
        )
    assert exc.value.diagnostics[0].code == "ref-cycle"


def test_recursive_schemas_are_named_not_expanded(write_spec: Callable[..., Path]) -> None:
    path = write_spec(
        spec(
            """
        paths: {}
        components:
          schemas:
            Node:
              type: object
              properties:
                children: {type: array, items: {$ref: '#/components/schemas/Node'}}
                parent: {$ref: '#/components/schemas/Other'}
            Other:
              type: object
              properties:
                node: {$ref: '#/components/schemas/Node'}
        """
        )
    )
    api, problems = build(path)
    assert problems == []
    assert [s.name for s in api.schemas] == ["Node", "Other"]  # type: ignore[attr-defined]
