"""One small inline spec per construct: generate, import, call over MockTransport, round-trip."""

from __future__ import annotations

import json
from collections.abc import Callable
from types import ModuleType
from urllib.parse import parse_qs, unquote

import httpx
import pytest

from tests.functional.conftest import Recorder, client

Make = Callable[..., ModuleType]
HEAD = """
        openapi: 3.1.0
        info: {title: T, version: '1'}
        servers: [{url: 'https://api.test'}]
"""


def ok(body: object, status: int = 200, **headers: str) -> httpx.Response:
    return httpx.Response(status, json=body, headers=headers)


def test_swagger2_body_formdata_and_collection_format(generated: Make) -> None:
    pkg = generated(
        """
        swagger: '2.0'
        info: {title: S, version: '1'}
        host: api.test
        basePath: /v2
        schemes: [https]
        consumes: [application/json]
        produces: [application/json]
        securityDefinitions:
          key: {type: apiKey, in: header, name: X-Key}
        security: [{key: []}]
        paths:
          /pets:
            get:
              operationId: findPets
              parameters:
                - {name: tags, in: query, type: array, items: {type: string}, collectionFormat: pipes}
                - {name: ids, in: query, type: array, items: {type: integer}, collectionFormat: multi}
              responses:
                '200': {description: ok, schema: {type: array, items: {$ref: '#/definitions/Pet'}}}
            post:
              operationId: addPet
              parameters:
                - {name: pet, in: body, required: true, schema: {$ref: '#/definitions/Pet'}}
              responses:
                '201': {description: ok, schema: {$ref: '#/definitions/Pet'}}
          /pets/{id}/photo:
            post:
              operationId: uploadPhoto
              consumes: [multipart/form-data]
              parameters:
                - {name: id, in: path, required: true, type: integer}
                - {name: note, in: formData, type: string}
                - {name: file, in: formData, type: file, required: true}
              responses:
                '204': {description: done}
        definitions:
          Pet:
            type: object
            required: [name]
            properties:
              name: {type: string}
              nickName: {type: string, x-nullable: true}
        """
    )
    recorder = Recorder(
        ok([{"name": "rex", "nickName": None}]), ok({"name": "rex"}, 201), httpx.Response(204)
    )
    api = client(pkg, recorder, key="k1", base_url=None)
    pets = api.default.find_pets(tags=["a", "b"], ids=[1, 2])
    assert pets[0].name == "rex" and pets[0].nick_name is None
    assert recorder.last.url.query == b"tags=a|b&ids=1&ids=2"
    assert recorder.last.headers["x-key"] == "k1"
    api.default.add_pet(name="rex")
    assert json.loads(recorder.last.content) == {"name": "rex"}
    assert api.default.upload_photo(7, note="hi", file=b"\x89PNG") is None
    assert recorder.last.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert b'name="file"' in recorder.last.content and b"\x89PNG" in recorder.last.content


def test_openapi30_nullable_readonly_and_discriminator_without_mapping(generated: Make) -> None:
    pkg = generated(
        """
        openapi: 3.0.3
        info: {title: T, version: '1'}
        servers: [{url: 'https://api.test'}]
        paths:
          /shapes:
            post:
              operationId: addShape
              requestBody:
                required: true
                content: {application/json: {schema: {$ref: '#/components/schemas/Shape'}}}
              responses:
                '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Shape'}}}}
        components:
          schemas:
            Shape:
              oneOf: [{$ref: '#/components/schemas/Circle'}, {$ref: '#/components/schemas/Square'}]
              discriminator: {propertyName: kind}
            Circle:
              type: object
              required: [kind, radius]
              properties:
                kind: {type: string, enum: [Circle]}
                radius: {type: number}
                id: {type: string, readOnly: true}
                label: {type: string, nullable: true}
            Square:
              type: object
              required: [kind, side]
              properties:
                kind: {type: string, enum: [Square]}
                side: {type: number}
        """
    )
    recorder = Recorder(ok({"kind": "Square", "side": 2, "id": "s1"}))
    shape = client(pkg, recorder).default.add_shape(
        body={"kind": "Circle", "radius": 1.5, "label": None}
    )
    assert type(shape).__name__ == "Square" and shape.side == 2
    assert json.loads(recorder.last.content) == {"kind": "Circle", "radius": 1.5, "label": None}


def test_openapi31_type_lists_const_prefix_items_defs_and_boolean_schemas(generated: Make) -> None:
    pkg = generated(
        HEAD
        + """
        paths:
          /things:
            put:
              operationId: putThing
              requestBody:
                required: true
                content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}
              responses:
                '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}
        components:
          schemas:
            Thing:
              type: object
              required: [version, point]
              properties:
                version: {const: 2}
                name: {type: [string, 'null']}
                point: {type: array, prefixItems: [{type: number}, {type: number}], items: false}
                anything: true
                nested: {$ref: '#/components/schemas/Thing/$defs/Inner'}
              $defs:
                Inner: {type: object, properties: {deep: {type: boolean}}}
        """
    )
    recorder = Recorder(
        ok(
            {
                "version": 2,
                "name": None,
                "point": [1, 2],
                "anything": {"x": [1]},
                "nested": {"deep": True},
            }
        )
    )
    thing = client(pkg, recorder).default.put_thing(version=2, point=[1.0, 2.0], name=None)
    assert thing.version == 2 and thing.name is None and thing.nested.deep is True
    assert json.loads(recorder.last.content) == {"version": 2, "point": [1.0, 2.0], "name": None}


def test_webhooks_only_document_generates_and_is_documented(generated: Make) -> None:
    pkg = generated(
        """
        openapi: 3.1.0
        info: {title: Hooks, version: '1'}
        webhooks:
          newPet:
            post:
              requestBody: {content: {application/json: {schema: {type: object, properties: {id: {type: integer}}}}}}
              responses: {'200': {description: ok}}
        """
    )
    assert pkg.Client(base_url="https://x.test") is not None
    readme = (__import__("pathlib").Path(pkg.__file__).parent.parent / "README.md").read_text()
    assert "webhook `newPet`" in readme


def test_all_of_merging_and_recursion(generated: Make) -> None:
    pkg = generated(
        HEAD
        + """
        paths:
          /nodes/{id}:
            get:
              operationId: getNode
              parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
              responses:
                '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Tree'}}}}
        components:
          schemas:
            Base: {type: object, required: [id], properties: {id: {type: integer}}}
            Tree:
              allOf:
                - $ref: '#/components/schemas/Base'
                - type: object
                  properties:
                    children: {type: array, items: {$ref: '#/components/schemas/Tree'}}
                    other: {$ref: '#/components/schemas/Other'}
            Other: {type: object, properties: {tree: {$ref: '#/components/schemas/Tree'}}}
        """
    )
    body = {"id": 1, "children": [{"id": 2, "children": []}], "other": {"tree": {"id": 3}}}
    tree = client(pkg, Recorder(ok(body))).default.get_node(1)
    assert tree.id == 1 and tree.children[0].id == 2 and tree.other.tree.id == 3
    assert tree.model_dump(by_alias=True, exclude_unset=True) == body


def test_maps_free_form_objects_and_pattern_properties(generated: Make) -> None:
    pkg = generated(
        HEAD
        + """
        paths:
          /config:
            patch:
              operationId: patchConfig
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      properties:
                        labels: {type: object, additionalProperties: {type: string, maxLength: 3}}
                        free: {type: object}
                        counters: {type: object, patternProperties: {'^c_': {type: integer}}}
              responses: {'204': {description: ok}}
        """
    )
    recorder = Recorder(httpx.Response(204))
    api = client(pkg, recorder)
    api.default.patch_config(
        labels={"a": "xyz"}, free={"any": [1, {"b": None}]}, counters={"c_1": 1}
    )
    assert json.loads(recorder.last.content) == {
        "labels": {"a": "xyz"},
        "free": {"any": [1, {"b": None}]},
        "counters": {"c_1": 1},
    }
    with pytest.raises(ValueError, match="labels"):
        api.default.patch_config(labels={"a": "long!"})
    assert len(recorder.requests) == 1


def test_enums_of_every_kind(generated: Make) -> None:
    pkg = generated(
        HEAD
        + """
        paths:
          /e:
            get:
              operationId: getE
              parameters:
                - {name: mode, in: query, schema: {enum: [a-b, a_b, A B, '', 'null']}}
                - {name: level, in: query, schema: {type: integer, enum: [1, 2, 3]}}
                - {name: flag, in: query, schema: {enum: [true, false, null]}}
              responses:
                '200':
                  description: ok
                  content:
                    application/json:
                      schema:
                        type: object
                        properties:
                          ratio: {enum: [0.5, 1.5]}
                          mode: {type: [string, 'null'], enum: [a-b, a_b, null]}
        """
    )
    recorder = Recorder(ok({"ratio": 0.5, "mode": None}))
    api = client(pkg, recorder)
    result = api.default.get_e(mode="", level=2, flag=True)
    assert result.ratio == 0.5 and result.mode is None
    assert recorder.last.url.query == b"mode=&level=2&flag=true"
    with pytest.raises(ValueError, match="enum"):
        api.default.get_e(mode="nope")


@pytest.mark.parametrize(
    ("media", "kind", "answer", "expected"),
    [
        (
            "text/plain",
            "text",
            httpx.Response(200, text="héllo", headers={"content-type": "text/plain"}),
            "héllo",
        ),
        (
            "text/xml",
            "text",
            httpx.Response(200, text="<a/>", headers={"content-type": "text/xml"}),
            "<a/>",
        ),
        (
            "application/octet-stream",
            "binary",
            httpx.Response(200, content=b"\x00\x01"),
            b"\x00\x01",
        ),
        (
            "application/problem+json",
            "json",
            httpx.Response(
                200, content=b'{"x": 1}', headers={"content-type": "application/problem+json"}
            ),
            {"x": 1},
        ),
        ("*/*", "json", ok({"x": 1}), {"x": 1}),
    ],
)
def test_response_content_types(
    generated: Make, media: str, kind: str, answer: httpx.Response, expected: object
) -> None:
    schema = (
        "{type: string, format: binary}"
        if kind == "binary"
        else "{type: string}"
        if kind == "text"
        else "{type: object}"
    )
    pkg = generated(
        HEAD
        + f"""
        paths:
          /r:
            get:
              operationId: getR
              responses:
                '200': {{description: ok, content: {{'{media}': {{schema: {schema}}}}}}}
        """
    )
    assert client(pkg, Recorder(answer)).default.get_r() == expected


def test_request_content_types(generated: Make) -> None:
    pkg = generated(
        HEAD
        + """
        paths:
          /upload:
            post:
              operationId: upload
              requestBody: {required: true, content: {application/octet-stream: {schema: {type: string, format: binary}}}}
              responses: {'204': {description: ok}}
          /text:
            post:
              operationId: sendText
              requestBody: {required: true, content: {text/plain: {schema: {type: string}}}}
              responses: {'204': {description: ok}}
          /form:
            post:
              operationId: sendForm
              requestBody:
                content:
                  application/x-www-form-urlencoded:
                    schema: {type: object, properties: {a: {type: string}, n: {type: integer}}}
              responses: {'204': {description: ok}}
        """
    )
    recorder = Recorder(httpx.Response(204))
    api = client(pkg, recorder)
    api.default.upload(body=b"\x00raw")
    assert (recorder.last.content, recorder.last.headers["content-type"]) == (
        b"\x00raw",
        "application/octet-stream",
    )
    api.default.send_text(body="plain text")
    assert recorder.last.content == b"plain text" and recorder.last.headers[
        "content-type"
    ].startswith("text/plain")
    api.default.send_form(a="x y", n=3)
    assert parse_qs(recorder.last.content.decode()) == {"a": ["x y"], "n": ["3"]}


def test_parameters_in_every_location_and_style(generated: Make) -> None:
    pkg = generated(
        HEAD
        + """
        paths:
          /items/{ids}/{label}/{matrix}:
            get:
              operationId: getItems
              parameters:
                - {name: ids, in: path, required: true, style: simple, schema: {type: array, items: {type: integer}}}
                - {name: label, in: path, required: true, style: label, schema: {type: string}}
                - {name: matrix, in: path, required: true, style: matrix, schema: {type: string}}
                - {name: filter, in: query, style: deepObject, explode: true, schema: {type: object, properties: {a: {type: string}, b: {type: integer}}}}
                - {name: spaced, in: query, style: spaceDelimited, explode: false, schema: {type: array, items: {type: string}}}
                - {name: csv, in: query, style: form, explode: false, schema: {type: array, items: {type: string}}}
                - {name: X-Trace-Id, in: header, schema: {type: string}}
                - {name: session, in: cookie, schema: {type: string}}
              responses: {'204': {description: ok}}
        """
    )
    recorder = Recorder(httpx.Response(204))
    client(pkg, recorder).default.get_items(
        [1, 2],
        "a/b",
        "m",
        filter={"a": "x", "b": 2},
        spaced=["p", "q"],
        csv=["c", "d"],
        x_trace_id="t-1",
        session="s1",
    )
    request = recorder.last
    assert request.url.raw_path.decode().split("?")[0] == "/items/1,2/.a%2Fb/;matrix=m"
    assert unquote(request.url.query.decode()) == "filter[a]=x&filter[b]=2&spaced=p q&csv=c,d"
    assert request.headers["x-trace-id"] == "t-1"
    assert request.headers["cookie"] == "session=s1"


def test_server_variables_4xx_and_default_responses(generated: Make) -> None:
    pkg = generated(
        """
        openapi: 3.1.0
        info: {title: T, version: '1'}
        servers:
          - url: 'https://{region}.api.test/{version}'
            variables:
              region: {default: eu, enum: [eu, us]}
              version: {default: v3}
        paths:
          /x:
            get:
              operationId: getX
              responses:
                '200': {description: ok}
                '4XX': {description: client, content: {application/json: {schema: {$ref: '#/components/schemas/E'}}}}
                default: {description: other, content: {application/json: {schema: {$ref: '#/components/schemas/E'}}}}
        components:
          schemas:
            E: {type: object, properties: {reason: {type: string}}}
        """
    )
    recorder = Recorder(ok({"reason": "teapot"}, 418), ok({"reason": "boom"}, 502))
    api = client(pkg, recorder, base_url=None, max_retries=0)
    with pytest.raises(pkg.ApiError) as exc:
        api.default.get_x()
    assert str(recorder.last.url) == "https://eu.api.test/v3/x"
    assert exc.value.status_code == 418 and exc.value.body.reason == "teapot"
    with pytest.raises(pkg.ApiError) as exc:
        api.default.get_x()
    assert exc.value.status_code == 502 and exc.value.body.reason == "boom"


def test_deprecated_operations_and_fields_are_kept(generated: Make) -> None:
    pkg = generated(
        HEAD
        + """
        paths:
          /old:
            get:
              operationId: oldWay
              deprecated: true
              responses:
                '200':
                  description: ok
                  content: {application/json: {schema: {type: object, properties: {legacy: {type: string, deprecated: true}}}}}
        """
    )
    api = client(pkg, Recorder(ok({"legacy": "yes"})))
    assert api.default.old_way().legacy == "yes"
    assert "Deprecated" in (api.default.old_way.__doc__ or "")


def test_callbacks_are_warned_and_strict_refuses(generated: Make, tmp_path: object) -> None:
    text = (
        HEAD
        + """
        paths:
          /subscribe:
            post:
              operationId: subscribe
              callbacks:
                onEvent:
                  '{$request.body#/url}':
                    post: {responses: {'200': {description: ok}}}
              responses: {'204': {description: ok}}
        """
    )
    pkg = generated(text)
    assert client(pkg, Recorder(httpx.Response(204))).default.subscribe() is None
    with pytest.raises(AssertionError, match="exit 2"):
        generated(text, extra=["--strict"])


def test_names_that_collide_after_python_naming(generated: Make) -> None:
    pkg = generated(
        HEAD
        + """
        paths:
          /a:
            get:
              operationId: get-item
              parameters:
                - {name: class, in: query, schema: {type: string}}
                - {name: Class, in: header, schema: {type: string}}
                - {name: timeout, in: query, schema: {type: integer}}
              responses:
                '200':
                  description: ok
                  content:
                    application/json:
                      schema:
                        type: object
                        properties:
                          model_config: {type: string}
                          fooBar: {type: string}
                          foo_bar: {type: integer}
          /b:
            get:
              operationId: get_item
              responses: {'204': {description: ok}}
        """
    )
    recorder = Recorder(ok({"model_config": "m", "fooBar": "s", "foo_bar": 1}), httpx.Response(204))
    api = client(pkg, recorder)
    result = api.default.get_item(class_="c", class_2="C", timeout_2=5)
    assert (result.model_config_, result.foo_bar, result.foo_bar_2) == ("m", "s", 1)
    assert recorder.last.url.query == b"class=c&timeout=5" and recorder.last.headers["class"] == "C"
    assert api.default.get_item_2() is None
