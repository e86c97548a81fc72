"""Loading: YAML and JSON, positions on demand, duplicate keys, limits, versions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.diagnostics import Origin, SpecError
from generator.load import LoadOptions, load_workspace, shape
from generator.load.locate import json_position, yaml_position, yaml_positions
from generator.load.source import Limits
from tests.conftest import CORPUS


def codes(exc: pytest.ExceptionInfo[SpecError]) -> list[str]:
    return [d.code for d in exc.value.diagnostics]


def test_yaml_keys_stay_text_and_timestamps_stay_strings(write_spec: Callable[..., Path]) -> None:
    path = write_spec(
        """
        openapi: 3.1.0
        info: {title: t, version: '1'}
        paths: {}
        x-when: 2024-01-02
        x-codes: {200: ok, on: yes}
        """
    )
    data = load_workspace(path).root.data
    assert data["x-when"] == "2024-01-02"
    assert data["x-codes"] == {"200": "ok", "on": True}


def test_json_and_yaml_versions_are_detected(write_spec: Callable[..., Path]) -> None:
    assert (
        load_workspace(
            write_spec('{"openapi": "3.0.3", "info": {}, "paths": {}}', "a.json")
        ).root.version
        == "3.0"
    )
    assert load_workspace(write_spec("swagger: '2.0'\ninfo: {}\npaths: {}\n")).root.version == "2.0"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("openapi: 4.0.0\ninfo: {}\n", "unsupported-version"),
        ("just: data\n", "not-openapi"),
        ("- a\n- b\n", "not-openapi"),
        ("   \n", "empty-file"),
    ],
)
def test_not_openapi(write_spec: Callable[..., Path], text: str, code: str) -> None:
    with pytest.raises(SpecError) as exc:
        load_workspace(write_spec(text))
    assert codes(exc) == [code]


def test_yaml_syntax_error_has_line_and_column(write_spec: Callable[..., Path]) -> None:
    path = write_spec("openapi: 3.1.0\ninfo:\n  title: [unclosed\n")
    with pytest.raises(SpecError) as exc:
        load_workspace(path)
    (diagnostic,) = exc.value.diagnostics
    assert diagnostic.code == "syntax-error"
    assert diagnostic.line is not None and diagnostic.line >= 3


def test_json_syntax_error_has_line_and_column(write_spec: Callable[..., Path]) -> None:
    path = write_spec('{\n  "openapi": "3.1.0",\n  "info": {,}\n}', "api.json")
    with pytest.raises(SpecError) as exc:
        load_workspace(path)
    (diagnostic,) = exc.value.diagnostics
    assert (diagnostic.code, diagnostic.line, diagnostic.column) == ("syntax-error", 3, 12)


def test_every_duplicate_key_is_reported_yaml(write_spec: Callable[..., Path]) -> None:
    path = write_spec("openapi: 3.1.0\ninfo: {}\npaths: {}\ninfo: {}\npaths: {}\n")
    with pytest.raises(SpecError) as exc:
        load_workspace(path)
    assert [(d.code, d.line) for d in exc.value.diagnostics] == [
        ("duplicate-key", 4),
        ("duplicate-key", 5),
    ]


def test_duplicate_key_json_is_located(write_spec: Callable[..., Path]) -> None:
    path = write_spec(
        '{"openapi": "3.1.0",\n "info": {"a": 1,\n  "a": 2}, "paths": {}}', "api.json"
    )
    with pytest.raises(SpecError) as exc:
        load_workspace(path)
    (diagnostic,) = exc.value.diagnostics
    assert (diagnostic.code, diagnostic.origin.pointer, diagnostic.line, diagnostic.column) == (
        "duplicate-key",
        "/info/a",
        3,
        3,
    )


def test_yaml_object_tags_are_refused(write_spec: Callable[..., Path]) -> None:
    path = write_spec("openapi: 3.1.0\ninfo: !!python/object/apply:os.system ['echo hi']\n")
    with pytest.raises(SpecError) as exc:
        load_workspace(path)
    (diagnostic,) = exc.value.diagnostics
    assert (diagnostic.code, diagnostic.line) == ("yaml-tag", 2)


def test_alias_bomb_is_refused(write_spec: Callable[..., Path]) -> None:
    lines = ["openapi: 3.1.0", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [
        f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]"
        for i in range(1, 9)
    ]
    with pytest.raises(SpecError) as exc:
        load_workspace(write_spec("\n".join(lines) + "\n"))
    assert codes(exc) == ["alias-bomb"]


def test_depth_limit(write_spec: Callable[..., Path]) -> None:
    path = write_spec('{"openapi": "3.1.0", "x": ' + "[" * 300 + "]" * 300 + "}", "deep.json")
    with pytest.raises(SpecError) as exc:
        load_workspace(path)
    assert codes(exc) == ["too-deep"]


def _nested(levels: int, kind: str) -> Any:
    """`levels` containers, one in another, beside a sibling scalar at each level."""
    data: Any = "leaf"
    for i in range(levels):
        dict_here = kind == "dict" or (kind == "mixed" and i % 2 == 0)
        data = {"a": 1, "b": data} if dict_here else [1, data]
    return data


@pytest.mark.parametrize("kind", ["dict", "list", "mixed"])
@pytest.mark.parametrize("levels", [0, 1, 9, 10, 11])
def test_the_depth_check_without_paths_agrees_with_the_walk_that_keeps_them(
    levels: int, kind: str
) -> None:
    """A JSON document without surrogate escapes is checked without keeping the path; the
    limit and the pointer of the error are the same as the full walk's."""
    data = _nested(levels, kind)
    full = shape._Walker(Origin(file="f"), 10, 0, check_text=False)
    try:
        full._size(data, 0)
        expected = None
    except SpecError as exc:
        expected = [(d.code, d.origin.pointer) for d in exc.diagnostics]
    assert (expected is not None) == (levels > 10) == shape._deeper_than(data, 9)
    try:
        shape.check_shape(data, Origin(file="f"), max_depth=10, max_alias_expansion=0)
        found = None
    except SpecError as exc:
        found = [(d.code, d.origin.pointer) for d in exc.diagnostics]
    assert found == expected


def test_size_limit(write_spec: Callable[..., Path]) -> None:
    path = write_spec("openapi: 3.1.0\ninfo: {}\npaths: {}\n" + "#" * 200 + "\n")
    with pytest.raises(SpecError) as exc:
        load_workspace(path, LoadOptions(limits=Limits(max_bytes=100)))
    assert codes(exc) == ["file-too-large"]


def test_invalid_utf8_is_located(tmp_path: Path) -> None:
    path = tmp_path / "api.yaml"
    path.write_bytes(b"openapi: 3.1.0\ninfo:\n  title: caf\xe9\n")
    with pytest.raises(SpecError) as exc:
        load_workspace(path)
    (diagnostic,) = exc.value.diagnostics
    assert (diagnostic.code, diagnostic.line, diagnostic.column) == ("invalid-utf8", 3, 13)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as exc:
        load_workspace(tmp_path / "nope.yaml")
    assert codes(exc) == ["file-not-found"]


def test_positions_json() -> None:
    text = '{\n  "paths": {\n    "/a~b/{id}": {"get": {"x": [1, {"y": 2}]}}\n  }\n}'
    assert json_position(text, "/paths/~1a~0b~1{id}/get/x/1/y") == (3, 42)
    assert json_position(text, "/paths/missing") == (2, 12)


def test_positions_json_duplicates_arrays_and_repeated_lookups() -> None:
    """The members of the objects and arrays passed through are cached: the second lookup of
    each pointer must give what the first gave, and duplicate keys still resolve to the first
    (or, for a key lookup with `last`, the last) occurrence."""
    text = '{"a": {"k": 1, "k": [10, 20, 30]},\n "b": [{"z": 0}, {"z": 1}]}'
    for _ in range(2):
        assert json_position(text, "/a/k") == (1, 13)
        assert json_position(text, "/a", "k") == (1, 8)
        assert json_position(text, "/a", "k", last=True) == (1, 16)
        assert json_position(text, "/b/1/z") == (2, 24)
        assert json_position(text, "/b/2") == (2, 7)  # no item 2: the array's position
        assert json_position(text, "/a/k/0") == (1, 13)  # the first "k" is a number


def test_positions_yaml() -> None:
    text = "paths:\n  /a:\n    get:\n      tags: [x, y]\n"
    assert yaml_position(text, "/paths/~1a/get/tags/1") == (4, 17)
    assert yaml_position(text, "/paths/~1a/post") == (3, 5)


YAML_SHAPES = """\
openapi: 3.1.0
base: &base {type: object, properties: {id: {type: string}}}
paths:
  /a:
    get: {tags: [x, "y"], responses: {'200': {description: ok}}}
    put:
      parameters:
        - name: q
          schema: *base
        - {name: r, in: query}
  /a: {dup: true}
? [complex, key]
: value
"200": quoted
list:
  - - nested
    - [deep, er]
  - last
"""


def _pointers(node: Any, prefix: str = "") -> list[str]:
    """Every pointer into `node` (composed), plus one that goes on past each."""
    found = [prefix, prefix + "/missing/deeper"]
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                token = str(key.value).replace("~", "~0").replace("/", "~1")
                found += _pointers(value, f"{prefix}/{token}")
    elif isinstance(node, yaml.SequenceNode):
        for index, value in enumerate(node.value):
            found += _pointers(value, f"{prefix}/{index}")
        found.append(f"{prefix}/{len(node.value)}")
    return found


@pytest.mark.parametrize("text", [YAML_SHAPES, "a: 1\n", "", "a: [1, 2\n"])
def test_yaml_positions_in_one_pass_are_yaml_position(text: str) -> None:
    """Aliases (and pointers through them), duplicate and complex keys, quoted keys, nested
    sequences, pointers past the end, an empty and a broken document."""
    try:
        pointers = _pointers(yaml.compose(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError:
        pointers = ["", "/a", "/a/0"]
    pointers += ["/base/properties/id/type", "/paths/~1a/put/parameters/0/schema/type"]
    assert yaml_positions(text, pointers) == {p: yaml_position(text, p) for p in pointers}


def test_yaml_positions_on_a_large_spec() -> None:
    spec = CORPUS / "twilio-api-v2010.yaml"
    if not spec.is_file():
        pytest.skip("the corpus is not beside the checkout")
    text = spec.read_text(encoding="utf-8")
    pointers = _pointers(yaml.compose(text, Loader=yaml.CSafeLoader))[::47]
    assert len(pointers) > 1000
    assert yaml_positions(text, pointers) == {p: yaml_position(text, p) for p in pointers}


def test_workspace_locates_origins(write_spec: Callable[..., Path]) -> None:
    path = write_spec("openapi: 3.1.0\ninfo:\n  title: t\npaths: {}\n")
    workspace = load_workspace(path, display="api.yaml")
    assert workspace.locate(Origin(file="api.yaml", pointer="/info/title")) == (3, 10)
