"""Broken specs → every problem at once, sorted, as `FILE:LINE:COL: severity: MESSAGE [code] [#/ptr]`.

One small spec per case in `specs/`. Each case is run twice: `oagen validate` (exact stderr) and
`oagen generate` into an output folder that holds a previous generation and the user's files,
which must come out byte for byte unchanged.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.diagnostics import INVISIBLE
from tests.hostile.hostile_helpers import SPECS, Snapshot, cli, diagnostics, snapshot

CASES: dict[str, list[str]] = {
    "empty.yaml": ["empty.yaml:1:1: error: the file is empty [empty-file] [#]"],
    "not-openapi.yaml": [
        "not-openapi.yaml:1:1: error: not an OpenAPI description (no `openapi` or `swagger` "
        "version field) [not-openapi] [#]"
    ],
    "not-a-mapping.json": [
        "not-a-mapping.json:1:1: error: not an OpenAPI description (the top level is not a "
        "mapping) [not-openapi] [#]"
    ],
    "unsupported-version.yaml": [
        "unsupported-version.yaml:1:10: error: unsupported OpenAPI version '4.0.0' (supported: "
        "2.0, 3.0.x, 3.1.x) [unsupported-version] [#/openapi]"
    ],
    "unsupported-swagger.json": [
        "unsupported-swagger.json:1:13: error: unsupported Swagger version '1.2' (supported: "
        "2.0, OpenAPI 3.0, 3.1) [unsupported-version] [#/swagger]"
    ],
    "yaml-syntax.yaml": [
        "yaml-syntax.yaml:4:11: error: invalid YAML: mapping values are not allowed in this "
        "context [syntax-error] [#]"
    ],
    "json-syntax.json": [
        "json-syntax.json:3:46: error: invalid JSON: Expecting property name enclosed in double "
        "quotes [syntax-error] [#]"
    ],
    "duplicate-keys.yaml": [
        "duplicate-keys.yaml:8:5: error: duplicate key 'get' [duplicate-key] [#/paths/~1a/get]",
        "duplicate-keys.yaml:11:1: error: duplicate key 'info' [duplicate-key] [#/info]",
    ],
    "duplicate-keys.json": [
        "duplicate-keys.json:5:40: error: duplicate key 'operationId' [duplicate-key] "
        "[#/paths/~1a/get/operationId]",
        "duplicate-keys.json:7:3: error: duplicate key 'info' [duplicate-key] [#/info]",
    ],
    "lone-surrogate.json": [
        "lone-surrogate.json:3:21: error: a lone surrogate (\\ud83d) is not Unicode text "
        "[invalid-unicode] [#/info/title]"
    ],
    "yaml-tags.yaml": [
        "yaml-tags.yaml:3:10: error: YAML tag !!python/object/apply:os.system is not allowed "
        "(it constructs objects) [yaml-tag] [#/info/title]",
        "yaml-tags.yaml:4:12: error: YAML tag !!binary is not allowed (it constructs objects) "
        "[yaml-tag] [#/info/version]",
        "yaml-tags.yaml:5:8: error: YAML tag !custom is not allowed (it constructs objects) "
        "[yaml-tag] [#/paths]",
        "yaml-tags.yaml:6:8: error: YAML tag !!set is not allowed (it constructs objects) "
        "[yaml-tag] [#/x-set]",
    ],
    "ref-missing.yaml": [
        "ref-missing.yaml:9:17: error: $ref 'parameters.yaml': no such file [file-not-found] "
        "[#/paths/~1pets/get/parameters/0/$ref]",
        "ref-missing.yaml:15:30: error: $ref '#/components/schemas/Pets': ref-missing.yaml has "
        "nothing at #/components/schemas/Pets [ref-unresolved] "
        "[#/paths/~1pets/get/responses/200/content/application~1json/schema/$ref]",
    ],
    "ref-cycles.yaml": [
        "ref-cycles.yaml:6:11: error: $ref cycle with no content: #/paths/~1loop → "
        "#/paths/~1loop [ref-cycle] [#/paths/~1loop/$ref]",
        "ref-cycles.yaml:24:15: error: $ref cycle with no content: #/components/schemas/A → "
        "#/components/schemas/B → #/components/schemas/A [ref-cycle] "
        "[#/components/schemas/A/$ref]",
        "ref-cycles.yaml:27:18: error: $ref cycle with no content: #/components/parameters/Self "
        "→ #/components/parameters/Self [ref-cycle] [#/components/parameters/Self/$ref]",
        "ref-cycles.yaml:29:18: error: $ref cycle with no content: "
        "#/components/requestBodies/Ping → #/components/requestBodies/Pong → "
        "#/components/requestBodies/Ping [ref-cycle] [#/components/requestBodies/Ping/$ref]",
        "ref-cycles.yaml:32:18: error: $ref cycle with no content: #/components/responses/Ping "
        "→ #/components/responses/Ping [ref-cycle] [#/components/responses/Ping/$ref]",
    ],
    "ref-cycle-inline.yaml": [  # reached from a parameter's schema and a property: one error
        "ref-cycle-inline.yaml:21:16: error: $ref cycle with no content: #/x-defs/next → "
        "#/x-defs/previous → #/x-defs/next [ref-cycle] [#/x-defs/next/$ref]"
    ],
    "duplicate-operation-id.yaml": [
        "duplicate-operation-id.yaml:11:20: error: operationId 'fetch' is also used at "
        "duplicate-operation-id.yaml#/paths/~1a/get [duplicate-operation-id] "
        "[#/paths/~1b/get/operationId]"
    ],
    "path-params.yaml": [
        "path-params.yaml:7:7: error: path variable {postId} has no path parameter "
        "[path-param-undeclared] [#/paths/~1users~1{userId}~1posts~1{postId}/get]",
        "path-params.yaml:10:11: error: path parameter 'post_id' is not in the path "
        "'/users/{userId}/posts/{postId}' [path-param-unused] "
        "[#/paths/~1users~1{userId}~1posts~1{postId}/get/parameters/1]",
    ],
    "invalid-pattern.yaml": [
        "invalid-pattern.yaml:10:39: error: invalid ECMA-262 pattern: Unterminated character "
        "class at offset 0 [invalid-pattern] [#/components/schemas/Code/properties/open/pattern]",
        "invalid-pattern.yaml:11:40: error: invalid ECMA-262 pattern: Invalid named capture "
        "referenced at offset 7 [invalid-pattern] "
        "[#/components/schemas/Code/properties/group/pattern]",
    ],
    "invalid-default.yaml": [
        "invalid-default.yaml:10:60: error: the default does not satisfy its schema: default: "
        "must be one of 'red', 'green' (enum) [invalid-default] "
        "[#/components/schemas/Settings/properties/color/default]",
        "invalid-default.yaml:11:52: error: the default does not satisfy its schema: default: "
        "must be >= 1 (minimum) [invalid-default] "
        "[#/components/schemas/Settings/properties/size/default]",
        "invalid-default.yaml:12:43: warning: the default does not satisfy its schema: default: "
        "expected boolean, got string (type) [invalid-default] "
        "[#/components/schemas/Settings/properties/verbose/default]",
    ],
    "unknown-security.yaml": [
        "unknown-security.yaml:4:26: error: unknown security scheme 'oauth' "
        "[unknown-security-scheme] [#/security/1]",
        "unknown-security.yaml:9:18: error: unknown security scheme 'bearer' "
        "[unknown-security-scheme] [#/paths/~1me/get/security/0]",
    ],
    "terminal-escapes.json": [
        "terminal-escapes.json:14:14: error: path variable {id} has no path parameter "
        "[path-param-undeclared] [#/paths/~1clear\\u001b[2J~1{id}/get]",
        "terminal-escapes.json:24:14: error: path variable {x} has no path parameter "
        "[path-param-undeclared] [#/paths/~1bidi\\u202e~1{x}/get]",
        "terminal-escapes.json:25:24: error: operationId 'wipe\\x1b]0;pwned\\x07' is also used "
        "at terminal-escapes.json#/paths/~1clear\\u001b[2J~1{id}/get [duplicate-operation-id] "
        "[#/paths/~1bidi\\u202e~1{x}/get/operationId]",
    ],
    "many-problems.yaml": [
        "many-problems.yaml:4:12: error: unknown security scheme 'nope' "
        "[unknown-security-scheme] [#/security/0]",
        "many-problems.yaml:8:7: error: path variable {id} has no path parameter "
        "[path-param-undeclared] [#/paths/~1a~1{id}/get]",
        "many-problems.yaml:14:30: error: $ref '#/components/schemas/Missing': "
        "many-problems.yaml has nothing at #/components/schemas/Missing [ref-unresolved] "
        "[#/paths/~1a~1{id}/get/responses/200/content/application~1json/schema/$ref]",
        "many-problems.yaml:17:20: error: operationId 'same' is also used at "
        "many-problems.yaml#/paths/~1a~1{id}/get [duplicate-operation-id] "
        "[#/paths/~1b/get/operationId]",
        "many-problems.yaml:19:64: error: invalid ECMA-262 pattern: Unterminated group at "
        "offset 0 [invalid-pattern] [#/paths/~1b/get/parameters/0/schema/pattern]",
        "many-problems.yaml:23:56: error: the default does not satisfy its schema: default: "
        "must be one of 'light', 'dark' (enum) [invalid-default] "
        "[#/components/schemas/Flag/default]",
    ],
    "sandbox/spec/escape.yaml": [
        "sandbox/spec/escape.yaml:7:16: error: $ref '../secret.yaml' leaves the spec's folder "
        "sandbox/spec (sandbox) [ref-outside-root] [#/components/schemas/Up/$ref]",
        "sandbox/spec/escape.yaml:9:21: error: $ref 'file:///etc/passwd' leaves the spec's "
        "folder sandbox/spec (sandbox) [ref-outside-root] [#/components/schemas/FileUrl/$ref]",
        "sandbox/spec/escape.yaml:10:22: error: $ref '/etc/hostname' leaves the spec's folder "
        "sandbox/spec (sandbox) [ref-outside-root] [#/components/schemas/Absolute/$ref]",
        "sandbox/spec/escape.yaml:11:20: error: $ref 'https://example.com/schemas.yaml': remote "
        "references are refused (allow this host with --allow-remote-refs example.com) "
        "[ref-remote] [#/components/schemas/Remote/$ref]",
        "sandbox/spec/escape.yaml:12:17: error: $ref 'ftp://example.com/schemas.yaml': "
        "unsupported URL scheme [ref-scheme] [#/components/schemas/Ftp/$ref]",
        "sandbox/spec/models/pet.yaml:5:19: error: $ref '../../secret.yaml' leaves the spec's "
        "folder sandbox/spec (sandbox) [ref-outside-root] [#/Pet/properties/owner/$ref]",
    ],
}
WARNINGS_ONLY = {
    "invalid-example.yaml": [
        "invalid-example.yaml:9:84: warning: the example does not satisfy its schema: example: "
        "must be <= 100 (maximum) [invalid-example] [#/paths/~1items/get/parameters/0/example]",
        "invalid-example.yaml:16:24: warning: the example does not satisfy its schema: "
        "example.id: expected integer, got string (type) [invalid-example] "
        "[#/paths/~1items/get/responses/200/content/application~1json/example]",
        "invalid-example.yaml:23:38: warning: the example does not satisfy its schema: example: "
        "expected integer, got string (type) [invalid-example] "
        "[#/components/schemas/Item/properties/id/example]",
        "invalid-example.yaml:24:68: warning: the example does not satisfy its schema: "
        "example[0]: expected string, got integer (type) [invalid-example] "
        "[#/components/schemas/Item/properties/tags/examples/1]",
    ],
}


@pytest.fixture(autouse=True)
def _from_the_specs_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(SPECS)


def test_every_spec_file_is_a_case() -> None:
    files = {p.relative_to(SPECS).as_posix() for p in SPECS.rglob("*.*")}
    used = set(CASES) | set(WARNINGS_ONLY) | {"hostile-strings.json"}
    helpers = {"sandbox/secret.yaml", "sandbox/spec/models/pet.yaml"}
    assert files - helpers == used


@pytest.mark.parametrize("spec", sorted(CASES))
def test_validate_reports_every_problem_sorted(
    spec: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli("validate", spec) == 2
    err = capsys.readouterr().err
    assert diagnostics(err) == CASES[spec]
    assert err.splitlines() == CASES[spec]  # nothing else
    assert INVISIBLE.search(err) is None  # no raw control or bidi character from the spec


@pytest.mark.parametrize("spec", sorted(CASES))
def test_generate_fails_and_leaves_the_output_untouched(
    spec: str, output: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before: Snapshot = snapshot(output.parent)
    assert cli("generate", spec, "-o", output, "--package", "good", "-q") == 2
    err = capsys.readouterr().err
    assert diagnostics(err) == CASES[spec]
    assert "nothing written" in err
    assert snapshot(output.parent) == before


def test_warnings_pass_and_strict_makes_them_errors(
    output: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = "invalid-example.yaml"
    assert cli("validate", spec) == 0
    assert diagnostics(capsys.readouterr().err) == WARNINGS_ONLY[spec]
    before = snapshot(output.parent)
    assert cli("generate", spec, "-o", output, "--package", "good", "-q", "--strict") == 2
    strict = [line.replace(": warning: ", ": error: ") for line in WARNINGS_ONLY[spec]]
    assert diagnostics(capsys.readouterr().err) == strict
    assert snapshot(output.parent) == before


def test_invalid_utf8_is_located(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "latin1.yaml"
    spec.write_bytes(b"openapi: 3.1.0\ninfo:\n  title: Caf\xe9\n  version: '1'\npaths: {}\n")
    assert cli("validate", spec) == 2
    (line,) = diagnostics(capsys.readouterr().err)
    assert line.endswith(
        "latin1.yaml:3:13: error: invalid UTF-8 (byte 0xe9 at offset 33) [invalid-utf8] [#]"
    )


def test_codes_are_stable() -> None:
    """The codes are an interface (CI filters on them): the README lists exactly these."""
    used = {line.split(" [")[-2].strip("[]") for lines in CASES.values() for line in lines}
    readme = (SPECS.parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Sandbox and diagnostics", 1)[1].split("\n## ", 1)[0]
    assert all(f"`{code}`" in section for code in used | {"invalid-example", "too-deep"})
