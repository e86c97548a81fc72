"""Every rule: one small spec that triggers it (message, pointer, default severity) and one that
does not. `test_every_rule_has_a_case` keeps this table complete."""

from __future__ import annotations

from typing import Any, NamedTuple

import pytest

from generator.lint import BY_ID, RULES
from tests.lint.conftest import LintDoc
from tests.lint.specs import ERROR, OBJECT, api, ok, op, with_schema

STRING = {"type": "string"}


class Case(NamedTuple):
    rule: str
    trigger: dict[str, Any]
    clean: dict[str, Any]
    message: str
    pointer: str


def _lro(operation_location: bool, poll: bool) -> dict[str, Any]:
    accepted_body = {"type": "object", "properties": {"operationLocation": STRING}}
    accepted = {
        "202": {
            "description": "accepted",
            "content": {
                "application/json": {"schema": accepted_body if operation_location else OBJECT}
            },
        }
    }
    paths: dict[str, Any] = {"/things": {"post": op("createThing", responses=accepted)}}
    if poll:
        paths["/operations/{id}"] = {
            "get": op(
                "getOperation",
                responses=ok({"$ref": "#/components/schemas/Operation"}),
                parameters=[{"name": "id", "in": "path", "required": True, "schema": STRING}],
            )
        }
    status = {"type": "string", "enum": ["PENDING", "SUCCEEDED", "FAILED"]}
    return api(
        paths=paths, schemas={"Operation": {"type": "object", "properties": {"status": status}}}
    )


def _accepted_with_location() -> dict[str, Any]:
    """`POST /things` answering 202 with a `Location` header and nothing to poll."""
    accepted = {"202": {"description": "accepted", "headers": {"Location": {"schema": STRING}}}}
    return api(paths={"/things": {"post": op("createThing", responses=accepted)}})


def _paged(param: str | None, next_field: str = "next_cursor") -> dict[str, Any]:
    page = {
        "type": "object",
        "properties": {"data": {"type": "array", "items": OBJECT}, next_field: STRING},
    }
    params = [{"name": param, "in": "query", "schema": STRING}] if param else []
    return api(paths={"/things": {"get": op(responses=ok(page), parameters=params)}})


def _errors(declared: int, undeclared: int) -> dict[str, Any]:
    with_error = {
        **ok(),
        "400": {"description": "bad", "content": {"application/json": {"schema": ERROR}}},
    }
    paths = {f"/a{i}": {"get": op(f"a{i}", responses=with_error)} for i in range(declared)}
    paths |= {f"/b{i}": {"get": op(f"b{i}")} for i in range(undeclared)}
    return api(paths=paths)


def _security(third: dict[str, Any]) -> dict[str, Any]:
    secured = {"security": [{"key": []}]}
    paths = {
        "/a": {"get": op("a", **secured)},
        "/b": {"get": op("b", **secured)},
        "/c": {"get": op("c", **third)},
    }
    schemes = {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}}
    return api(paths=paths, components={"securitySchemes": schemes})


def _body(schema: dict[str, Any], example: Any) -> dict[str, Any]:
    media = {"schema": schema, "example": example}
    body = {"required": True, "content": {"application/json": media}}
    return api(paths={"/things": {"post": op("createThing", requestBody=body)}})


def _param(schema: dict[str, Any]) -> dict[str, Any]:
    return api(
        paths={"/things": {"get": op(parameters=[{"name": "q", "in": "query", "schema": schema}])}}
    )


def _args(*params: tuple[str, str]) -> dict[str, Any]:
    declared = [{"name": n, "in": where, "schema": STRING} for n, where in params]
    return api(paths={"/things": {"get": op(parameters=declared)}})


PATTERN = "#/components/schemas/Thing/pattern"
ID_PATTERN = "^comms_sender_[0-7][a-hjkmnpqrstv-z0-9]{25,34}"
CASES = [
    Case(
        "pattern-unanchored-bound",
        with_schema({"type": "string", "pattern": ID_PATTERN}),
        with_schema({"type": "string", "pattern": ID_PATTERN + "$"}),
        "has no end anchor `$` for the bound `{25,34}`",
        PATTERN,
    ),
    Case(
        "pattern-invalid",
        with_schema({"type": "string", "pattern": "^(ab$"}),
        with_schema({"type": "string", "pattern": "^(ab)$"}),
        "invalid ECMA-262 pattern",
        PATTERN,
    ),
    Case(
        "pattern-ecma-only",
        with_schema({"type": "string", "pattern": "^\\p{L}+$"}),
        with_schema({"type": "string", "pattern": "^[A-Za-z]+$"}),
        "depends on the `regress` package",
        PATTERN,
    ),
    Case(
        "operation-id-missing",
        api(paths={"/things": {"get": op(None)}}),
        api(),
        "`GET /things` has no operationId: oagen names the method `default.things`",
        "#/paths/~1things/get",
    ),
    Case(
        "operation-id-duplicate",
        api(paths={"/a": {"get": op("same")}, "/b": {"get": op("same")}}),
        api(paths={"/a": {"get": op("first")}, "/b": {"get": op("second")}}),
        "operationId 'same' of `GET /b` is also used by `GET /a`",
        "#/paths/~1b/get/operationId",
    ),
    Case(
        "name-collision-operation",
        api(paths={"/a": {"get": op("getThing")}, "/b": {"get": op("get_thing")}}),
        api(
            paths={
                "/a": {"get": op("getThing")},
                "/b": {"get": op("get_thing", **{"x-oagen-name": "get_other"})},
            }
        ),
        "would be `default.get_thing`, which is taken by `GET /a`: it becomes `default.get_thing_2`",
        "#/paths/~1b/get",
    ),
    Case(
        "name-collision-schema",
        with_schema({"type": "object", "properties": {"a": {"$ref": "#/components/schemas/thing"}}})
        | {"components": {"schemas": {"Thing": OBJECT, "thing": OBJECT}}},
        with_schema(OBJECT) | {"components": {"schemas": {"Thing": OBJECT, "Other": OBJECT}}},
        "schema 'thing' would be class `Thing`, which is taken by schema 'Thing': it becomes `Thing2`",
        "#/components/schemas/thing",
    ),
    Case(
        "name-collision-property",
        with_schema({"type": "object", "properties": {"fooBar": STRING, "foo_bar": STRING}}),
        with_schema({"type": "object", "properties": {"fooBar": STRING, "baz": STRING}}),
        "property 'foo_bar' would be field `foo_bar`, which is taken by property 'fooBar': it becomes `foo_bar_2`",
        "#/components/schemas/Thing/properties/foo_bar",
    ),
    Case(
        "name-collision-argument",
        _args(("timeout", "query")),
        _args(("limit", "query")),
        "query parameter 'timeout' of `GET /things` would be argument `timeout`, which is taken by the client",
        "#/paths/~1things/get/parameters/0",
    ),
    Case(
        "enum-value-collision",
        with_schema({"type": "string", "enum": ["active", "ACTIVE"]}),
        with_schema(
            {"type": "string", "enum": ["active", "inactive", "+1", "-1", "name", "-name"]}
        ),
        "enum value 'ACTIVE' differs only by case from 'active'",
        "#/components/schemas/Thing/enum/1",
    ),
    Case(
        "response-schema-missing",
        api(
            paths={
                "/things": {
                    "get": op(
                        responses={
                            "200": {"description": "ok", "content": {"application/json": {}}}
                        }
                    )
                }
            }
        ),
        api(
            paths={
                "/things": {"delete": op("deleteThing", responses={"204": {"description": "gone"}})}
            }
        ),
        "declares a JSON body (200) without a schema: the method returns untyped JSON",
        "#/paths/~1things/get/responses/200",
    ),
    Case(
        "error-model-inconsistent",
        _errors(2, 1),
        _errors(3, 0),
        "`GET /b0` declares no error body while 2 of 3 operations do (e.g. 'a0')",
        "#/paths/~1b0/get/responses",
    ),
    Case(
        "lro-no-reference",
        _lro(operation_location=False, poll=True),
        _accepted_with_location(),
        "`POST /things` answers 202 with no `Location` header or `…Location` body field",
        "#/paths/~1things/post/responses/202",
    ),
    Case(
        "lro-unfollowable",
        _lro(operation_location=True, poll=False),
        _lro(operation_location=True, poll=True),
        "answers 202 with the body field `operationLocation` to follow, but no GET operation returns an operation resource",
        "#/paths/~1things/post/responses/202",
    ),
    Case(
        "pagination-unmatched",
        _paged(None),
        _paged("cursor"),
        "response field `next_cursor` looks like a next-page token, but no query parameter takes it",
        "#/paths/~1things/get",
    ),
    Case(
        "security-scheme-unused",
        api(
            components={
                "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}}
            }
        ),
        api(
            security=[{"key": []}],
            components={
                "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}}
            },
        ),
        "security scheme 'key' is declared but no operation uses it",
        "#/components/securitySchemes/key",
    ),
    Case(
        "security-inconsistent",
        _security({}),
        _security({"security": []}),
        "`GET /c` has no security requirement while 2 of 3 operations have one",
        "#/paths/~1c/get",
    ),
    Case(
        "servers-missing",
        api(servers=None),
        api(),
        "no `servers`: the client has no default base URL",
        "",
    ),
    Case(
        "server-variable-unresolved",
        api(servers=[{"url": "https://{region}.api.test"}]),
        api(
            servers=[
                {
                    "url": "https://{region}.api.test",
                    "variables": {"region": {"default": "eu", "enum": ["eu", "us"]}},
                }
            ]
        ),
        "server URL variable {region} is not declared in `variables`",
        "#/servers/0/url",
    ),
    Case(
        "example-invalid",
        with_schema({"type": "string", "pattern": "^[a-z]+$", "examples": ["ok", "NOT OK"]}),
        with_schema({"type": "string", "pattern": "^[a-z]+$", "examples": ["ok"]}),
        "the example does not satisfy its schema: example: does not match the pattern",
        "#/components/schemas/Thing/examples/1",
    ),
    Case(
        "default-invalid",
        _param({"type": "string", "format": "uuid", "default": "not-a-uuid"}),
        _param(
            {"type": "string", "format": "uuid", "default": "7f1d1c2e-8c4b-4f0e-9a51-2b8f6f3c2d10"}
        ),
        "the default does not satisfy its schema: default: is not a valid uuid",
        "#/paths/~1things/get/parameters/0/schema/default",
    ),
    Case(
        "default-type-mismatch",
        _param({"type": "boolean", "default": "true"}),
        _param({"type": "boolean", "default": True}),
        "the default does not satisfy its schema: default: expected boolean, got string",
        "#/paths/~1things/get/parameters/0/schema/default",
    ),
    Case(
        "spec-invalid",
        api(paths={"/things/{id}": {"get": op()}}),
        api(
            paths={
                "/things/{id}": {
                    "get": op(
                        parameters=[
                            {"name": "id", "in": "path", "required": True, "schema": STRING}
                        ]
                    )
                }
            }
        ),
        "path variable {id} has no path parameter (path-param-undeclared)",
        "#/paths/~1things~1{id}/get",
    ),
    Case(
        "generator-approximation",
        api(webhooks={"thingCreated": {"post": op("thingCreated")}}),
        api(),
        "webhook 'thingCreated' is documented only (no receiver code) (webhooks-not-generated)",
        "#/webhooks/thingCreated",
    ),
]


def test_every_rule_has_a_case() -> None:
    assert [c.rule for c in CASES] == [r.id for r in RULES]


@pytest.mark.parametrize("case", CASES, ids=[c.rule for c in CASES])
def test_rule_triggers(case: Case, lint_doc: LintDoc) -> None:
    findings = lint_doc(case.trigger, case.rule)
    assert findings, f"{case.rule} did not trigger"
    first = findings[0]
    assert case.message in first.message
    assert first.origin.pointer == case.pointer.lstrip("#")
    assert first.severity is BY_ID[case.rule].severity
    assert first.line is not None and first.column is not None


@pytest.mark.parametrize("case", CASES, ids=[c.rule for c in CASES])
def test_rule_stays_quiet_on_a_clean_spec(case: Case, lint_doc: LintDoc) -> None:
    assert lint_doc(case.clean, case.rule) == []


REQUIRED = {"type": "object", "required": ["id"], "properties": {"id": STRING}}
VARIANTS = [
    ("servers-missing", api(servers=[{"url": "/v1"}]), "the server URL '/v1' is relative"),
    (
        "server-variable-unresolved",
        api(
            servers=[
                {"url": "https://{region}.api.test", "variables": {"region": {"enum": ["eu"]}}}
            ]
        ),
        "server variable 'region' has no default",
    ),
    (
        "server-variable-unresolved",
        api(
            servers=[
                {
                    "url": "https://{region}.api.test",
                    "variables": {"region": {"default": "us", "enum": ["eu"]}},
                }
            ]
        ),
        "server variable 'region': the default 'us' is not in its enum",
    ),
    (
        "response-schema-missing",
        api(paths={"/things": {"get": op(responses={"200": {"description": "ok"}})}}),
        "answers 200 with no content declared: the method returns None",
    ),
    (
        "enum-value-collision",
        with_schema({"type": "string", "enum": ["in-progress", "in_progress"]}),
        "enum values 'in-progress' and 'in_progress' both become the constant `IN_PROGRESS`",
    ),
    (
        "enum-value-collision",
        with_schema({"type": "string", "enum": ["a", "b", "a"]}),
        "enum value 'a' is listed twice",
    ),
    (
        "name-collision-argument",
        _args(("page_size", "query"), ("Page-Size", "header")),
        "header parameter 'Page-Size' of `GET /things` would be argument `page_size`, which is "
        "taken by query parameter 'page_size': it becomes `page_size_2`",
    ),
    (
        "pagination-unmatched",
        _paged("cursor", next_field="total"),
        "query parameter `cursor` looks like a page token, but no response field carries the next one",
    ),
    (
        "example-invalid",
        _body(REQUIRED, {"name": "x"}),
        "the example does not satisfy its schema: example.id: is required",
    ),
    (
        "lro-unfollowable",
        _accepted_with_location(),
        "answers 202 with a `Location` header to follow, but no GET operation returns",
    ),
]


@pytest.mark.parametrize(("rule", "document", "message"), VARIANTS)
def test_rule_variants(
    rule: str, document: dict[str, Any], message: str, lint_doc: LintDoc
) -> None:
    assert any(message in f.message for f in lint_doc(document, rule)), lint_doc(document, rule)


def test_examples_maps_are_checked(lint_doc: LintDoc) -> None:
    media = {"schema": REQUIRED, "examples": {"good": {"value": {"id": "1"}}, "bad": {"value": {}}}}
    body = {"content": {"application/json": media}}
    (finding,) = lint_doc(
        api(paths={"/things": {"post": op("create", requestBody=body)}}), "example-invalid"
    )
    assert finding.origin.pointer.endswith("/content/application~1json/examples/bad/value")
