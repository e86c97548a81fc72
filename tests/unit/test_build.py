"""Building the IR: names, parameters, bodies, responses, security, pagination, LRO, problems."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.build import build_api
from generator.diagnostics import Diagnostics
from generator.ir import Api, BodyEncoding, PaginationStyle, ParamLocation, SchemaRef, SecurityKind
from generator.load import load_workspace
from tests.conftest import COMMS, CORPUS


def build(path: Path, package: str = "x") -> tuple[Api, list[str]]:
    diagnostics = Diagnostics()
    api = build_api(load_workspace(path), package=package, diagnostics=diagnostics)
    return api, sorted(f"{d.code} {d.origin.pointer}" for d in diagnostics)


def spec(body: str) -> str:
    head = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\nservers: [{url: 'https://api.test'}]\n"
    return head + textwrap.dedent(body).lstrip("\n")


@pytest.fixture(scope="module")
def comms() -> Api:
    api, problems = build(COMMS, "twilio_comms")
    assert problems == []
    return api


def test_comms_operations_read_like_the_sdk(comms: Api) -> None:
    (group,) = comms.groups
    assert (group.name, group.class_name, group.module) == ("sender_pools", "SenderPools", "sender_pools")
    assert [op.name for op in group.operations] == [
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
    ]


def test_comms_credentials(comms: Api) -> None:
    assert [(s.name, s.kind, [c.arg for c in s.credentials]) for s in comms.schemes] == [
        ("accountIdAuthToken", SecurityKind.BASIC, ["account_id", "auth_token"]),
        ("apiKeySecret", SecurityKind.BASIC, ["api_key", "api_key_secret"]),
    ]
    assert comms.schemes[0].credentials[0].env == "TWILIO_COMMS_ACCOUNT_ID"
    assert comms.security == (("accountIdAuthToken",), ("apiKeySecret",))
    assert comms.base_url == "https://comms.twilio.com"


def test_comms_parameters_and_bodies(comms: Api) -> None:
    ops = {op.name: op for op in comms.operations}
    add = ops["add_senders"]
    assert [(p.py_name, p.wire, p.location, p.style, p.explode) for p in add.parameters] == [
        ("sender_pool_id", "senderPoolId", ParamLocation.PATH, "simple", False)
    ]
    assert add.body is not None and add.body.fields is None and add.body.encoding is BodyEncoding.JSON
    create = ops["create"]
    assert create.body is not None and create.body.fields is not None
    assert [f.property.py_name for f in create.body.fields] == ["name", "senders", "tags"]
    page_size = next(p for p in ops["list"].parameters if p.wire == "pageSize")
    assert (page_size.py_name, page_size.location) == ("page_size", ParamLocation.QUERY)


def test_comms_patterns_are_kept_as_published(comms: Api) -> None:
    ecma = {p.ecma for p in comms.patterns}
    assert "^comms_senderpool_[0-7][a-hjkmnpqrstv-z0-9]{25,34}" in ecma
    assert all(p.engine == "re" for p in comms.patterns)


def test_comms_pagination_and_long_running(comms: Api) -> None:
    ops = {op.name: op for op in comms.operations}
    pages = ops["list_senders"].pagination
    assert pages is not None
    assert (pages.style, pages.items, pages.param, pages.next) == (
        PaginationStyle.CURSOR,
        ("senders",),
        "page_token",
        ("pagination", "next"),
    )
    lro = ops["add_senders"].long_running
    assert lro is not None
    assert (lro.poll_operation, lro.status, lro.pending, lro.header, lro.field, lro.wait_name) == (
        "fetchSenderPoolOperation",
        "status",
        ("PROCESSING",),
        "Location",
        ("operation_location",),
        "add_senders_and_wait",
    )
    assert ops["update"].long_running is None  # answers with the resource, not an operation
    assert ops["fetch"].pagination is None


def test_comms_errors_and_headers(comms: Api) -> None:
    ops = {op.name: op for op in comms.operations}
    assert [r.status for r in ops["add_senders"].errors] == ["400", "404", "409", "429", "500", "503"]
    (accepted,) = ops["add_senders"].success
    assert [(h.wire, h.py_name) for h in accepted.headers] == [("Location", "location")]
    assert ops["add_senders"].raw_name == "AddSendersToSenderPoolRawResponse"


def test_inline_schemas_are_hoisted_with_location_names(write_spec: Callable[..., Path]) -> None:
    api, problems = build(
        write_spec(
            spec(
                """
                paths:
                  /pets:
                    post:
                      operationId: createPet
                      requestBody:
                        content:
                          application/json:
                            schema:
                              type: object
                              properties:
                                owner: {type: object, properties: {name: {type: string}}}
                                tags: {type: array, items: {type: object, properties: {k: {type: string}}}}
                      responses:
                        '201':
                          description: ok
                          content:
                            application/json:
                              schema: {type: object, properties: {id: {type: integer}}}
                """
            )
        )
    )
    assert problems == []
    assert [s.name for s in api.schemas] == [
        "CreatePetRequest",
        "CreatePetRequestOwner",
        "CreatePetRequestTagsItem",
        "CreatePetResponse",
    ]
    (op,) = api.operations
    assert isinstance(op.success[0].schema, SchemaRef)


def test_openapi_30_forms_are_normalised(write_spec: Callable[..., Path]) -> None:
    text = """
    openapi: 3.0.3
    info: {title: t, version: '1'}
    servers: [{url: 'https://api.test'}]
    paths: {}
    components:
      schemas:
        N:
          type: object
          properties:
            a: {type: string, nullable: true, example: x}
            b: {type: integer, minimum: 0, exclusiveMinimum: true}
    """
    api, _ = build(write_spec(textwrap.dedent(text)))
    props = {p.wire: p.schema for p in api.schema("N").schema.properties}
    a, b = props["a"], props["b"]
    assert not isinstance(a, SchemaRef) and a.types == ("string", "null") and a.examples == ("x",)
    assert not isinstance(b, SchemaRef) and (b.minimum, b.exclusive_minimum) == (None, 0)


def test_swagger2_is_converted() -> None:
    api, _ = build(CORPUS / "petstore.swagger2.yaml")
    assert api.base_url == "http://petstore.swagger.io/v1"
    ops = {op.operation_id: op for op in api.operations}
    limit = ops["listPets"].parameters[0]
    assert (limit.wire, limit.location) == ("limit", ParamLocation.QUERY)
    assert ops["createPets"].body is None or ops["createPets"].body.encoding is BodyEncoding.JSON


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            """
            paths:
              /a: {get: {operationId: same, responses: {'200': {description: ok}}}}
              /b: {get: {operationId: same, responses: {'200': {description: ok}}}}
            """,
            ["duplicate-operation-id /paths/~1b/get/operationId"],
        ),
        (
            """
            paths:
              /a/{id}: {get: {operationId: a, responses: {'200': {description: ok}}}}
            """,
            ["path-param-undeclared /paths/~1a~1{id}/get"],
        ),
        (
            """
            paths:
              /a:
                get:
                  operationId: a
                  parameters: [{name: id, in: path, required: true, schema: {type: string}}]
                  responses: {'200': {description: ok}}
            """,
            ["path-param-unused /paths/~1a/get/parameters/0"],
        ),
        (
            """
            paths:
              /a: {get: {operationId: a, security: [{nope: []}], responses: {'200': {description: ok}}}}
            """,
            ["unknown-security-scheme /paths/~1a/get/security/0"],
        ),
        (
            """
            paths:
              /a: {get: {operationId: a, responses: {'2X0': {description: ok}}}}
            """,
            ["invalid-status /paths/~1a/get/responses/2X0", "no-responses /paths/~1a/get"][:1],
        ),
    ],
)
def test_problems_are_reported_with_pointers(write_spec: Callable[..., Path], body: str, expected: list[str]) -> None:
    _, problems = build(write_spec(spec(body)))
    assert problems == expected


def test_corpus_invalid_documents_are_rejected() -> None:
    expected = {
        "opc-err-bad-status-code.yaml": "invalid-status",
        "opc-err-missing-body-ref.yaml": "ref-unresolved",
        "opc-err-optional-path-param.yaml": "optional-path-param",
        "opc-err-circular-body-ref.yaml": "ref-cycle",
        "opc-err-invalid-uuid-defaults.yaml": "invalid-default",
    }
    for name, code in expected.items():
        _, problems = build(CORPUS / "invalid" / name)
        assert any(p.startswith(code) for p in problems), (name, problems)


def test_group_classes_never_take_a_runtime_name(write_spec: Callable[..., Path]) -> None:
    """A `resource` tag would give `AsyncResource`, the runtime's base class (Kubernetes)."""
    api, problems = build(
        write_spec(
            spec(
                """
                paths:
                  /a:
                    get:
                      operationId: getA
                      tags: [resource]
                      responses: {'204': {description: ok}}
                  /b:
                    get:
                      operationId: getB
                      tags: [raw resource]
                      responses: {'204': {description: ok}}
                """
            )
        )
    )
    assert problems == []
    assert [g.class_name for g in api.groups] == ["Resource2", "RawResource2"]  # AsyncRawResource
