"""`paths` → IR operations: parameters, request bodies, responses, security, names.

Group of an operation: `x-oagen-group`, `x-fern-sdk-group-name`, its first tag, else `default`.
Method name: `x-oagen-name`, `x-fern-sdk-method-name`, else snake_case of the operationId's last
`/`-separated segment, else method + path. Names are made unique inside the group in document
order; parameter and body-field names inside the method.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from .. import naming
from ..diagnostics import Origin
from ..ir import (
    BodyEncoding,
    BodyField,
    Operation,
    Parameter,
    ParamLocation,
    RequestBody,
    Response,
    ResponseHeader,
    ResponseKind,
    Schema,
    SchemaNode,
    SecurityRequirement,
)
from .context import At, BuildContext
from .schemaquery import SchemaQuery
from .schemas import SchemaBuilder

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_STATUS = re.compile(r"^([1-5][0-9][0-9]|[1-5]XX|default)$")
_TEMPLATE_VAR = re.compile(r"\{([^{}]+)\}")
RESERVED_ARGS = frozenset({"self", "poll_interval", "timeout"})
IDEMPOTENCY_HEADERS = frozenset({"idempotency-key", "x-idempotency-key"})


class OperationBuilder:
    def __init__(self, ctx: BuildContext, schemas: SchemaBuilder, scheme_names: set[str]) -> None:
        self.ctx = ctx
        self.schemas = schemas
        self.scheme_names = scheme_names
        self.operation_ids: dict[str, Origin] = {}
        self.query = SchemaQuery(schemas.named)

    def build_all(self) -> list[tuple[Operation, At]]:
        operations: list[tuple[Operation, At]] = []
        for path, item in self.ctx.root.items("paths"):
            resolved = self.ctx.deref(item)
            if resolved is None or not isinstance(resolved.value, dict):
                continue
            for method in METHODS:
                op = resolved.get(method)
                if op is not None and isinstance(op.value, dict):
                    operations.append((self._operation(path, method, resolved, op), op))
        return operations

    # --- one operation -------------------------------------------------------------------------

    def _operation(self, path: str, method: str, item: At, op: At) -> Operation:
        operation_id = self._operation_id(path, method, op)
        value: dict[str, Any] = op.value
        hint = naming.class_name(operation_id)
        parameters = self._parameters(item, op, hint)
        self._check_path_variables(path, parameters, op)
        body = self._body(op, hint)
        args = naming.Scope(RESERVED_ARGS | ({"body"} if body and body.fields is None else set()))
        parameters = [_rename(p, args.claim(p.py_name)) for p in parameters]
        if body is not None and body.fields is not None:
            body = _rename_fields(body, args)
        raw_tags = value.get("tags")
        tags = tuple(t for t in raw_tags if isinstance(t, str)) if isinstance(raw_tags, list) else ()
        if op.get("callbacks") is not None:
            self.ctx.warning("callbacks-not-generated", "callbacks are documented only (no receiver code)", op)
        return Operation(
            operation_id=operation_id,
            group=_first_string(value, "x-oagen-group", "x-fern-sdk-group-name") or (tags[0] if tags else "default"),
            name=_first_string(value, "x-oagen-name", "x-fern-sdk-method-name")
            or naming.identifier(operation_id.rsplit("/", 1)[-1]),
            method=method.upper(),
            path=path,
            origin=op.origin,
            summary=op.str("summary"),
            description=op.str("description"),
            deprecated=value.get("deprecated") is True,
            tags=tags,
            parameters=tuple(parameters),
            body=body,
            responses=self._responses(op, hint),
            security=self._security(op),
            idempotency_header=next(
                (p.wire for p in parameters if p.location is ParamLocation.HEADER and p.wire.lower() in IDEMPOTENCY_HEADERS),
                _first_string(value, "x-oagen-idempotency-header"),
            ),
        )

    def _operation_id(self, path: str, method: str, op: At) -> str:
        operation_id = op.str("operationId") or f"{method} {path}"
        if operation_id in self.operation_ids:
            first = self.operation_ids[operation_id]
            self.ctx.error(
                "duplicate-operation-id",
                f"operationId {operation_id!r} is also used at {first.file}#{first.pointer}",
                op.child("operationId") if op.str("operationId") else op,
            )
            operation_id = f"{operation_id} {method} {path}"
        self.operation_ids[operation_id] = op.origin
        return operation_id

    def _check_path_variables(self, path: str, parameters: list[Parameter], op: At) -> None:
        declared = {p.wire for p in parameters if p.location is ParamLocation.PATH}
        used = set(_TEMPLATE_VAR.findall(path))
        for name in sorted(used - declared):
            self.ctx.error("path-param-undeclared", f"path variable {{{name}}} has no path parameter", op)
        for param in parameters:
            if param.location is ParamLocation.PATH and param.wire not in used:
                message = f"path parameter {param.wire!r} is not in the path {path!r}"
                self.ctx.error("path-param-unused", message, param.origin)

    # --- parameters ----------------------------------------------------------------------------

    def _parameters(self, item: At, op: At, hint: str) -> list[Parameter]:
        merged: dict[tuple[str, str], At] = {}
        for source in (item, op):
            for raw in source.elements("parameters"):
                param = self.ctx.deref(raw)
                if param is None or not isinstance(param.value, dict):
                    continue
                name, location = param.str("name"), param.str("in")
                if name is None or location not in ("path", "query", "header", "cookie"):
                    self.ctx.error("invalid-parameter", "a parameter needs `name` and a valid `in`", param)
                    continue
                merged[(location, name)] = param
        built = [self._parameter(param, hint) for param in merged.values()]
        order = {loc: i for i, loc in enumerate(ParamLocation)}
        built.sort(key=lambda p: (order[p.location], not p.required))
        return built

    def _parameter(self, at: At, hint: str) -> Parameter:
        wire = at.value["name"]
        location = ParamLocation(at.value["in"])
        required = at.value.get("required") is True
        if location is ParamLocation.PATH and not required:
            self.ctx.error("optional-path-param", f"path parameter {wire!r} must be required", at)
            required = True
        schema_at, content_type = at.get("schema"), None
        if schema_at is None:
            for media, media_at in at.items("content"):
                schema_at, content_type = media_at.get("schema"), media
                break
        schema: SchemaNode = (
            self.schemas.node(schema_at, f"{hint} {wire}") if schema_at is not None else Schema(origin=at.origin)
        )
        style = at.str("style") or ("form" if location in (ParamLocation.QUERY, ParamLocation.COOKIE) else "simple")
        explode = at.value.get("explode")
        example_at = at.get("example")
        return Parameter(
            wire=wire,
            py_name=naming.identifier(wire),
            location=location,
            schema=schema,
            required=required,
            style=style,
            explode=explode if isinstance(explode, bool) else style == "form",
            origin=at.origin,
            description=at.str("description"),
            deprecated=at.value.get("deprecated") is True,
            allow_reserved=at.value.get("allowReserved") is True,
            content_type=content_type,
            example=example_at.value if example_at is not None else None,
            has_example=example_at is not None,
        )

    # --- request body --------------------------------------------------------------------------

    def _body(self, op: At, hint: str) -> RequestBody | None:
        raw = op.get("requestBody")
        if raw is None:
            return None
        at = self.ctx.deref(raw)
        if at is None or not isinstance(at.value, dict):
            return None
        content = at.items("content")
        if not content:
            self.ctx.error("invalid-request-body", "requestBody has no content", at)
            return None
        media, media_at = min(content, key=lambda entry: _media_rank(entry[0]))
        schema_at = media_at.get("schema")
        encoding = _encoding(media)
        schema = self.schemas.node(schema_at, f"{hint} request") if schema_at is not None else None
        if schema is None and encoding is BodyEncoding.JSON:
            schema = Schema(origin=media_at.origin)
        example_at = self._media_example(media_at)
        return RequestBody(
            content_type=media,
            encoding=encoding,
            schema=schema,
            required=at.value.get("required") is True,
            origin=at.origin,
            fields=self._fields(schema) if encoding in (BodyEncoding.JSON, BodyEncoding.FORM, BodyEncoding.MULTIPART) else None,
            other_content_types=tuple(m for m, _ in content if m != media),
            description=at.str("description"),
            example=example_at.value if example_at is not None else None,
            has_example=example_at is not None,
        )

    def _fields(self, schema: SchemaNode | None) -> tuple[BodyField, ...] | None:
        """The body's properties as keyword arguments, when it is a plain object."""
        resolved = self.query.resolve(schema)
        if resolved is None or not _is_object(resolved) or _has_union(self.query, resolved):
            return None
        properties = self.query.properties(resolved)
        if not properties:
            return None
        return tuple(
            BodyField(property=p, nullable="null" in self.query.types(p.schema)) for p in properties
        )

    # --- responses -----------------------------------------------------------------------------

    def _responses(self, op: At, hint: str) -> tuple[Response, ...]:
        responses: list[Response] = []
        entries = op.items("responses")
        if not entries:
            self.ctx.warning("no-responses", "the operation declares no responses", op)
        for status, raw in entries:
            if not _STATUS.match(status):
                self.ctx.error("invalid-status", f"invalid response status {status!r}", raw)
                continue
            at = self.ctx.deref(raw)
            if at is None or not isinstance(at.value, dict):
                continue
            responses.append(self._response(status, at, f"{hint} response {status}" if status not in ("200", "201") else f"{hint} response"))
        return tuple(responses)

    def _response(self, status: str, at: At, hint: str) -> Response:
        content = at.items("content")
        media, media_at = min(content, key=lambda entry: _media_rank(entry[0])) if content else (None, None)
        schema_at = media_at.get("schema") if media_at is not None else None
        kind = _response_kind(media)
        schema = self.schemas.node(schema_at, hint) if schema_at is not None else None
        example_at = self._media_example(media_at) if media_at is not None else None
        headers = []
        scope = naming.Scope({"status_code", "headers", "data", "http_response"})
        for wire, header in at.items("headers"):
            resolved = self.ctx.deref(header)
            if resolved is None or not isinstance(resolved.value, dict):
                continue
            schema_node = resolved.get("schema")
            headers.append(
                ResponseHeader(
                    wire=wire,
                    py_name=scope.claim(naming.identifier(wire)),
                    schema=self.schemas.node(schema_node, f"{hint} {wire}") if schema_node else None,
                    description=resolved.str("description"),
                )
            )
        return Response(
            status=status,
            kind=kind,
            content_type=media,
            schema=schema if kind is not ResponseKind.NONE else None,
            origin=at.origin,
            description=at.str("description"),
            headers=tuple(headers),
            example=example_at.value if example_at is not None else None,
            has_example=example_at is not None,
        )

    def _media_example(self, media_at: At) -> At | None:
        """`example`, else the value of the first of `examples` (Example objects may be $refs)."""
        example = media_at.get("example")
        if example is not None:
            return example
        for _, raw in media_at.items("examples"):
            resolved = self.ctx.deref(raw)
            if resolved is not None and isinstance(resolved.value, dict):
                return resolved.get("value")
        return None

    # --- security ------------------------------------------------------------------------------

    def _security(self, op: At) -> tuple[SecurityRequirement, ...] | None:
        if op.get("security") is None:
            return None
        return self.requirements(op.child("security"))

    def requirements(self, at: At) -> tuple[SecurityRequirement, ...]:
        result: list[SecurityRequirement] = []
        if not isinstance(at.value, list):
            self.ctx.error("invalid-security", "security must be a list", at)
            return ()
        for index, requirement in enumerate(at.value):
            if not isinstance(requirement, dict):
                continue
            for name in requirement:
                if name not in self.scheme_names:
                    self.ctx.error("unknown-security-scheme", f"unknown security scheme {name!r}", at.child(index))
            result.append(tuple(n for n in requirement if n in self.scheme_names))
        return tuple(result)


def _rename(param: Parameter, name: str) -> Parameter:
    return param if name == param.py_name else dataclasses.replace(param, py_name=name)


def _rename_fields(body: RequestBody, scope: naming.Scope) -> RequestBody:
    assert body.fields is not None
    fields = []
    for field in body.fields:
        name = scope.claim(field.property.py_name)
        prop = field.property
        if name != prop.py_name:
            prop = dataclasses.replace(prop, py_name=name)
        fields.append(BodyField(property=prop, nullable=field.nullable))
    return dataclasses.replace(body, fields=tuple(fields))


def _first_string(value: dict[str, Any], *keys: str) -> str | None:
    for key in keys:
        if isinstance(value.get(key), str) and value[key]:
            return str(value[key])
    return None


def _has_union(query: SchemaQuery, schema: Schema, depth: int = 0) -> bool:
    if schema.any_of or schema.one_of or depth > 32:
        return True
    members = (query.resolve(m) for m in schema.all_of)
    return any(_has_union(query, m, depth + 1) for m in members if m is not None)


def _is_object(schema: Schema) -> bool:
    return bool(schema.properties) or "object" in schema.types or bool(schema.all_of)


def _media_rank(media: str) -> tuple[int, str]:
    base = media.split(";", 1)[0].strip().lower()
    if base == "application/json":
        rank = 0
    elif base.endswith("+json") or base == "*/*":
        rank = 1
    elif base == "application/x-www-form-urlencoded":
        rank = 2
    elif base == "multipart/form-data":
        rank = 3
    elif base.startswith("text/"):
        rank = 5
    else:
        rank = 4
    return rank, media


def _encoding(media: str) -> BodyEncoding:
    base = media.split(";", 1)[0].strip().lower()
    if base == "application/json" or base.endswith("+json"):
        return BodyEncoding.JSON
    if base == "application/x-www-form-urlencoded":
        return BodyEncoding.FORM
    if base.startswith("multipart/"):
        return BodyEncoding.MULTIPART
    if base.startswith("text/"):
        return BodyEncoding.TEXT
    return BodyEncoding.BINARY


def _response_kind(media: str | None) -> ResponseKind:
    if media is None:
        return ResponseKind.NONE
    base = media.split(";", 1)[0].strip().lower()
    if base in ("application/json", "*/*") or base.endswith("+json"):
        return ResponseKind.JSON
    if base.startswith("text/") or base in ("application/xml", "application/x-www-form-urlencoded"):
        return ResponseKind.TEXT
    return ResponseKind.BINARY
