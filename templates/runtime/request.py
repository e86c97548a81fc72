"""Building a request from an operation and the caller's arguments (no I/O, no credentials).

``prepare(op, args, …)`` validates every parameter and the body against the spec (unless
validation is off), serialises them per ``serialize.py`` and returns a ``Prepared`` request:
method, URL with query string, headers, cookie pairs and body bytes. Credentials are added
later, per hop, by the client (only for the ``base_url`` origin).

Body rules: a flattened body (``Body.fields``) is built from the named arguments — ``None``
means "not given" unless the field is nullable (nullable fields default to ``NOT_GIVEN``),
``NOT_GIVEN`` is always left out — then validated with ``TypeAdapter(Body.type_)`` (models or
dicts with wire or Python names, at any depth) and dumped by alias without unset fields.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import ValidationError
from .serialize import (
    cookie_pairs,
    encode_binary,
    encode_form,
    encode_json,
    encode_multipart,
    header_value,
    is_file,
    is_model,
    jsonable,
    path_value,
    query_pairs,
)
from .spec import Body, Operation, Param
from .types import NOT_GIVEN
from .validation import Registry, path_of, validate

__all__ = ["IDEMPOTENT_METHODS", "Prepared", "build_body", "prepare"]

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})


@dataclass(slots=True)
class Prepared:
    """A request ready to send, without credentials."""

    method: str
    url: str
    headers: dict[str, str]
    cookies: list[tuple[str, str]] = field(default_factory=list)
    content: bytes | None = None
    idempotent: bool = False


def prepare(
    op: Operation[Any],
    args: Mapping[str, Any],
    *,
    base_url: str,
    headers: Mapping[str, str],
    validate_args: bool,
    registry: Registry,
) -> Prepared:
    """Validate and serialise ``args`` for ``op``; raise ``ValidationError`` on bad input."""
    method = op.method.upper()
    prepared = Prepared(method, "", dict(headers), idempotent=method in IDEMPOTENT_METHODS)
    path, query = op.path, []
    for param in op.params:
        value = _param_value(param, args, validate_args, registry)
        if value is None:
            continue
        if param.location == "path":
            path = path.replace("{" + param.wire + "}", path_value(param, value))
        elif param.location == "query":
            query.extend(query_pairs(param, value))
        elif param.location == "header":
            prepared.headers[param.wire] = header_value(param, value)
        else:
            prepared.cookies.extend(cookie_pairs(param, value))
    prepared.url = base_url + path + ("?" + "&".join(f"{k}={v}" for k, v in query) if query else "")
    if op.body is not None:
        content, content_type = build_body(op.body, args, validate_args, registry)
        if content is not None:
            prepared.content = content
            prepared.headers["Content-Type"] = content_type
    if op.responses and op.responses[0].kind == "json" and not _has(headers, "accept"):
        prepared.headers["Accept"] = "application/json"
    if op.idempotency_header:
        _add_idempotency_key(prepared, op.idempotency_header)
    return prepared


def _param_value(param: Param, args: Mapping[str, Any], check: bool, registry: Registry) -> Any:
    value = args.get(param.name)
    if value is None or value is NOT_GIVEN:
        if param.required:
            raise ValidationError(param.name, "required", "is required")
        return None
    data = jsonable(value)
    if param.location == "path" and data == "":
        raise ValidationError(param.name, "required", "must not be empty")
    if check and param.schema is not None:
        validate(data, param.schema, param.name, registry)
    return data


def _has(headers: Mapping[str, str], lowered: str) -> bool:
    return any(key.lower() == lowered for key in headers)


def _add_idempotency_key(prepared: Prepared, name: str) -> None:
    """Send ``name`` with a key made once per call (reused on every attempt) unless given."""
    if not _has(prepared.headers, name.lower()):
        prepared.headers[name] = str(uuid.uuid4())
    prepared.idempotent = True


# --- bodies -----------------------------------------------------------------------------------


def build_body(
    body: Body, args: Mapping[str, Any], check: bool, registry: Registry
) -> tuple[bytes | None, str]:
    """The encoded body and its content type; ``(None, "")`` when there is no body to send."""
    value = _body_value(body, args)
    if value is None:
        if body.required:
            raise ValidationError("body", "required", "is required")
        return None, ""
    if body.encoding == "binary":
        ctype = body.content_type if "*" not in body.content_type else "application/octet-stream"
        return encode_binary(value), ctype
    if body.encoding == "text":
        return encode_binary(value), body.content_type
    if body.encoding == "multipart":
        parts = _wire_parts(body, value)
        if check and body.schema is not None:
            placeholders = {k: "" if is_file(v) else jsonable(v) for k, v in parts.items()}
            validate(placeholders, body.schema, "body", registry)
        return encode_multipart(parts)
    data = _dump(body, value)
    if check and body.schema is not None:
        validate(data, body.schema, "body", registry)
    if body.encoding == "form":
        return encode_form(data), body.content_type
    return encode_json(data), body.content_type


def _body_value(body: Body, args: Mapping[str, Any]) -> Any:
    if body.fields is None:
        value = args.get("body")
        return None if value is NOT_GIVEN else value
    values: dict[str, Any] = {}
    for item in body.fields:
        value = args.get(item.name, NOT_GIVEN)
        if value is NOT_GIVEN or (value is None and not item.nullable):
            continue
        values[item.wire] = value  # by wire name: the argument may have been renamed
    return values


def _dump(body: Body, value: Any) -> Any:
    """Validate with the body's type (when known) and dump by alias, unset fields left out."""
    if body.type_ is None:
        return jsonable(value)
    # imported here: pydantic loads with the first model, not with the package
    import pydantic

    from .model import adapter

    types = adapter(body.type_)
    try:
        parsed = types.validate_python(value)
    except pydantic.ValidationError as exc:
        first = exc.errors(include_url=False, include_input=False)[0]
        raise ValidationError(path_of("body", first["loc"]), first["type"], first["msg"]) from None
    return types.dump_python(parsed, by_alias=True, exclude_unset=True, mode="json")


def _wire_parts(body: Body, value: Any) -> dict[str, Any]:
    """Multipart parts by wire name; file values are left as they are."""
    if body.fields is not None:
        return dict(value)
    if is_model(value):
        return dict(value.model_dump(by_alias=True, exclude_unset=True))
    fields = getattr(body.type_, "model_fields", None) or {}
    aliases: dict[str, str] = {name: info.alias or name for name, info in fields.items()}
    parts: dict[str, Any] = dict(value)
    return {aliases.get(key, key): item for key, item in parts.items()}
