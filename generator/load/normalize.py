"""Detect the spec version and bring Swagger 2.0 into the OpenAPI 3 shape.

OpenAPI 3.0 and 3.1 share one shape; their schema differences (`nullable`, boolean
`exclusiveMinimum`, `example`) are read by the schema builder, so 3.x documents pass unchanged.
Swagger 2.0 documents are converted into a new tree: `definitions`, `parameters`, `responses`,
`securityDefinitions`, `host`/`basePath`/`schemes`, `consumes`/`produces`, `body` and `formData`
parameters, `collectionFormat`, `type: file`, `x-nullable`. A malformed part (a list where a
mapping belongs, say) is passed through unconverted or left out, never a crash: the builder
reports it where it sits.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from ..diagnostics import Origin, fail

Version = Literal["2.0", "3.0", "3.1"]

_REF_PREFIXES = {
    "#/definitions/": "#/components/schemas/",
    "#/parameters/": "#/components/parameters/",
    "#/responses/": "#/components/responses/",
}
POINTER_ALIASES = (
    ("/components/schemas/", "/definitions/"),
    ("/components/parameters/", "/parameters/"),
    ("/components/responses/", "/responses/"),
    ("/components/securitySchemes/", "/securityDefinitions/"),
)
_COLLECTION_STYLE = {
    "csv": ("form", False),
    "ssv": ("spaceDelimited", False),
    "pipes": ("pipeDelimited", False),
    "multi": ("form", True),
    "tsv": ("form", False),
}
_SCHEMA_KEYS = [
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
]


def detect_version(data: Any, origin: Origin) -> Version:
    if not isinstance(data, dict):
        raise fail(
            "not-openapi", "not an OpenAPI description (the top level is not a mapping)", origin
        )
    if "swagger" in data:
        if str(data["swagger"]) == "2.0":
            return "2.0"
        raise fail(
            "unsupported-version",
            f"unsupported Swagger version {data['swagger']!r} (supported: 2.0, OpenAPI 3.0, 3.1)",
            origin.child("swagger"),
        )
    if "openapi" not in data:
        raise fail(
            "not-openapi",
            "not an OpenAPI description (no `openapi` or `swagger` version field)",
            origin,
        )
    version = str(data["openapi"])
    if version.startswith("3.0"):
        return "3.0"
    if version.startswith(("3.1", "3.2")):
        return "3.1"
    raise fail(
        "unsupported-version",
        f"unsupported OpenAPI version {version!r} (supported: 2.0, 3.0.x, 3.1.x)",
        origin.child("openapi"),
    )


def swagger2_to_openapi3(doc: Mapping[str, Any]) -> dict[str, Any]:
    """Convert a Swagger 2.0 document; `$ref`s are rewritten to the new locations."""
    doc = _rewrite_refs(doc)
    consumes = _strings(doc.get("consumes")) or ["application/json"]
    produces = _strings(doc.get("produces")) or ["application/json"]
    body_params = {
        name: p
        for name, p in _map(doc.get("parameters")).items()
        if _map(p).get("in") in ("body", "formData")
    }
    out: dict[str, Any] = {k: v for k, v in doc.items() if k.startswith("x-")}
    out["openapi"] = "3.0.3"
    out["info"] = doc.get("info", {})
    out["servers"] = _servers(doc)
    for key in ("tags", "security", "externalDocs"):
        if key in doc:
            out[key] = doc[key]
    out["paths"] = {
        path: _path_item(item, consumes, produces, body_params)
        for path, item in _map(doc.get("paths")).items()
    }
    components: dict[str, Any] = {
        "schemas": {k: _schema(v) for k, v in _map(doc.get("definitions")).items()},
        "parameters": {
            k: _parameter(v) for k, v in _map(doc.get("parameters")).items() if k not in body_params
        },
        "responses": {k: _response(v, produces) for k, v in _map(doc.get("responses")).items()},
        "securitySchemes": {
            k: _security_scheme(v) for k, v in _map(doc.get("securityDefinitions")).items()
        },
    }
    out["components"] = {k: v for k, v in components.items() if v}
    return out


def _map(value: Any) -> dict[str, Any]:
    """`value` if it is a mapping, else empty: a malformed part is left to the builder."""
    return value if isinstance(value, dict) else {}


def _seq(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _strings(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _rewrite_refs(node: Any) -> Any:
    if isinstance(node, dict):
        result = {k: _rewrite_refs(v) for k, v in node.items()}
        ref = result.get("$ref")
        if isinstance(ref, str):
            for old, new in _REF_PREFIXES.items():
                if ref.startswith(old):
                    result["$ref"] = new + ref[len(old) :]
        return result
    if isinstance(node, list):
        return [_rewrite_refs(v) for v in node]
    return node


def _servers(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    base_path = str(doc.get("basePath") or "")
    host = doc.get("host")
    if not host:
        return [{"url": base_path or "/"}]
    schemes = _strings(doc.get("schemes")) or ["https"]
    scheme = "https" if "https" in schemes else str(schemes[0])
    return [{"url": f"{scheme}://{host}{base_path}"}]


def _schema(schema: Any) -> Any:
    if not isinstance(schema, dict):
        return schema
    result: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "x-nullable":
            result["nullable"] = value
        elif key == "discriminator" and isinstance(value, str):
            result["discriminator"] = {"propertyName": value}
        elif key in ("properties", "patternProperties", "definitions") and isinstance(value, dict):
            result[key] = {k: _schema(v) for k, v in value.items()}
        elif key in ("items", "additionalProperties", "not"):
            result[key] = _schema(value)
        elif key in ("allOf", "anyOf", "oneOf") and isinstance(value, list):
            result[key] = [_schema(v) for v in value]
        else:
            result[key] = value
    if result.get("type") == "file":
        result["type"] = "string"
        result["format"] = "binary"
    return result


def _path_item(
    item: Any, consumes: list[str], produces: list[str], body_params: dict[str, Any]
) -> Any:
    if not isinstance(item, dict):
        return item
    shared = _seq(item.get("parameters"))
    result: dict[str, Any] = {}
    for key, value in item.items():
        if key == "parameters" and isinstance(value, list):
            kept = [p for p in value if _param_in(p, body_params) not in ("body", "formData")]
            result[key] = [_parameter(p) for p in kept]
        elif key in ("get", "put", "post", "delete", "options", "head", "patch"):
            result[key] = _operation(value, shared, consumes, produces, body_params)
        else:
            result[key] = value
    return result


def _param_in(param: Any, body_params: dict[str, Any]) -> str | None:
    if isinstance(param, dict) and "$ref" in param:
        name = str(param["$ref"]).rsplit("/", 1)[-1]
        return str(body_params[name]["in"]) if name in body_params else None
    location = param.get("in") if isinstance(param, dict) else None
    return location if isinstance(location, str) else None


def _param_key(param: Any) -> tuple[str, str] | None:
    if not isinstance(param, dict):
        return None
    return str(param.get("name")), str(param.get("in"))


def _resolve_body_param(param: Any, body_params: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in param:
        return dict(body_params[str(param["$ref"]).rsplit("/", 1)[-1]])
    return dict(param)


def _operation(
    op: Any,
    shared: list[Any],
    consumes: list[str],
    produces: list[str],
    body_params: dict[str, Any],
) -> Any:
    if not isinstance(op, dict):
        return op
    op_consumes = _strings(op.get("consumes")) or consumes
    op_produces = _strings(op.get("produces")) or produces
    own = _seq(op.get("parameters"))
    own_names = {_param_key(p) for p in own}
    every = own + [p for p in shared if _param_key(p) not in own_names]
    body = [
        _resolve_body_param(p, body_params)
        for p in every
        if _param_in(p, body_params) in ("body", "formData")
    ]
    result: dict[str, Any] = {}
    for key, value in op.items():
        if key == "parameters" and isinstance(value, list):
            result[key] = [
                _parameter(p) for p in own if _param_in(p, body_params) not in ("body", "formData")
            ]
        elif key == "responses" and isinstance(value, dict):
            result[key] = {code: _response(r, op_produces) for code, r in value.items()}
        elif key not in ("consumes", "produces"):
            result[key] = value
    if body:
        result["requestBody"] = _request_body(body, op_consumes)
    return result


def _request_body(params: list[dict[str, Any]], consumes: list[str]) -> dict[str, Any]:
    body = next((p for p in params if p.get("in") == "body"), None)
    if body is not None:
        body_schema = _schema(body.get("schema", {}))
        result: dict[str, Any] = {"content": {ct: {"schema": body_schema} for ct in consumes}}
        result["required"] = bool(body.get("required", False))
        if body.get("description"):
            result["description"] = body["description"]
        return result
    form = [p for p in params if p.get("in") == "formData" and isinstance(p.get("name"), str)]
    has_file = any(p.get("type") == "file" for p in form)
    media = (
        "multipart/form-data"
        if has_file or "multipart/form-data" in consumes
        else ("application/x-www-form-urlencoded")
    )
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {p["name"]: _param_schema(p) for p in form},
    }
    required = [p["name"] for p in form if p.get("required")]
    if required:
        schema["required"] = required
    return {"content": {media: {"schema": schema}}, "required": bool(required)}


def _param_schema(param: Mapping[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": param.get("type", "string")}
    for key in _SCHEMA_KEYS:
        if key in param:
            schema[key] = _schema(param[key]) if key == "items" else param[key]
    if param.get("description"):
        schema["description"] = param["description"]
    converted: dict[str, Any] = _schema(schema)
    return converted


def _parameter(param: Any) -> Any:
    if not isinstance(param, dict) or "$ref" in param:
        return param
    result = {
        k: v
        for k, v in param.items()
        if k not in _SCHEMA_KEYS and k not in ("type", "collectionFormat", "allowEmptyValue")
    }
    result["schema"] = _param_schema(param)
    result.pop("description", None)
    if param.get("description"):
        result["description"] = param["description"]
    if param.get("type") == "array":
        style, explode = _COLLECTION_STYLE.get(
            str(param.get("collectionFormat", "csv")), ("form", False)
        )
        if param.get("in") in ("path", "header"):
            style = "simple"
        result["style"] = style
        result["explode"] = explode
    return result


def _response(response: Any, produces: list[str]) -> Any:
    if not isinstance(response, dict) or "$ref" in response:
        return response
    result: dict[str, Any] = {"description": response.get("description", "")}
    if "schema" in response:
        schema = _schema(response["schema"])
        examples = _map(response.get("examples"))
        result["content"] = {
            ct: {"schema": schema, **({"example": examples[ct]} if ct in examples else {})}
            for ct in produces
        }
    if "headers" in response:
        result["headers"] = {
            name: {"schema": _param_schema(h), "description": h.get("description", "")}
            for name, h in _map(response["headers"]).items()
            if isinstance(h, dict)
        }
    result.update({k: v for k, v in response.items() if k.startswith("x-")})
    return result


def _security_scheme(scheme: Any) -> Any:
    if not isinstance(scheme, dict):
        return scheme
    kind = scheme.get("type")
    extensions = {k: v for k, v in scheme.items() if k.startswith("x-")}
    if kind == "basic":
        return {"type": "http", "scheme": "basic", **extensions}
    if kind == "apiKey":
        return {"type": "apiKey", "name": scheme.get("name"), "in": scheme.get("in"), **extensions}
    if kind == "oauth2":
        flow = {
            "implicit": "implicit",
            "password": "password",
            "application": "clientCredentials",
            "accessCode": "authorizationCode",
        }.get(str(scheme.get("flow")), "clientCredentials")
        details = {k: scheme[k] for k in ("authorizationUrl", "tokenUrl") if k in scheme}
        details["scopes"] = scheme.get("scopes", {})
        return {"type": "oauth2", "flows": {flow: details}, **extensions}
    return scheme
