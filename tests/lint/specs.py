"""Small spec documents for the lint tests, built as dicts (written out as YAML)."""

from __future__ import annotations

import copy
from typing import Any

OBJECT = {"type": "object", "properties": {"id": {"type": "string"}}}
ERROR = {"type": "object", "properties": {"message": {"type": "string"}}}


def ok(schema: Any = None, status: str = "200") -> dict[str, Any]:
    """A responses object: one JSON success response."""
    body = {"schema": copy.deepcopy(schema if schema is not None else OBJECT)}
    return {status: {"description": "ok", "content": {"application/json": body}}}


def op(op_id: str | None = "getThing", responses: Any = None, **extra: Any) -> dict[str, Any]:
    operation: dict[str, Any] = {"responses": responses if responses is not None else ok()}
    if op_id is not None:
        operation["operationId"] = op_id
    operation.update(extra)
    return operation


def api(paths: Any = None, schemas: Any = None, **top: Any) -> dict[str, Any]:
    """An OpenAPI 3.1 document; `top` adds or replaces top-level keys (None removes one)."""
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "servers": [{"url": "https://api.test"}],
        "paths": paths if paths is not None else {"/things": {"get": op()}},
    }
    if schemas is not None:
        document["components"] = {"schemas": schemas}
    for key, value in top.items():
        if value is None:
            document.pop(key, None)
        else:
            document[key] = value
    return document


def with_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """A document whose only component schema `Thing` is `schema`, returned by GET /things."""
    return api(
        paths={"/things": {"get": op(responses=ok({"$ref": "#/components/schemas/Thing"}))}},
        schemas={"Thing": schema},
    )
