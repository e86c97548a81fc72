"""IR operation → the Python expression of its runtime descriptor (`_s.Operation(...)`).

The generated resource module holds one descriptor per operation; the runtime does the rest.
Every spec string is printed with `literal`; every type with the TypePrinter.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..ir import (
    BodyEncoding,
    LongRunning,
    Operation,
    Pagination,
    Parameter,
    RequestBody,
    Response,
    ResponseKind,
)
from .constraints import ConstraintPrinter
from .literals import literal
from .types import TypeNames, TypePrinter


class DescriptorPrinter:
    def __init__(self, types: TypePrinter, constraints: ConstraintPrinter) -> None:
        self.types = types
        self.constraints = constraints

    def operation(self, op: Operation, names: TypeNames) -> str:
        fields = [
            ("name", literal(op.name)),
            ("method", literal(op.method)),
            # a `#…` some specs use to tell operations apart is a URL fragment: never sent
            ("path", literal(op.path.split("#", 1)[0])),
        ]
        if op.parameters:
            fields.append(("params", _tuple(self._param(p) for p in op.parameters)))
        if op.body is not None:
            fields.append(("body", self._body(op.body, names)))
        if op.success:
            fields.append(("responses", _tuple(self._response(r, names) for r in op.success)))
        if op.errors:
            fields.append(("errors", _tuple(self._error(r, names) for r in op.errors)))
        if op.security is not None:
            fields.append(("security", literal(tuple(tuple(r) for r in op.security))))
        if op.idempotency_header:
            fields.append(("idempotency_header", literal(op.idempotency_header)))
        if op.pagination is not None:
            fields.append(("pagination", _pagination(op.pagination)))
        if op.long_running is not None:
            fields.append(("long_running", self._long_running(op.long_running, names)))
        if op.deprecated:
            fields.append(("deprecated", "True"))
        return _call("_s.Operation", fields)

    def _param(self, param: Parameter) -> str:
        fields = [
            ("name", literal(param.py_name)),
            ("wire", literal(param.wire)),
            ("location", literal(param.location.value)),
            ("style", literal(param.style)),
            ("explode", literal(param.explode)),
        ]
        if param.required:
            fields.append(("required", "True"))
        if self.constraints.constrains(param.schema):
            fields.append(("schema", data(self.constraints.schema(param.schema))))
        if param.allow_reserved:
            fields.append(("allow_reserved", "True"))
        if param.content_type:
            fields.append(("content_type", literal(param.content_type)))
        return _call("_s.Param", fields)

    def _body(self, body: RequestBody, names: TypeNames) -> str:
        fields = [
            ("content_type", literal(body.content_type)),
            ("encoding", literal(body.encoding.value)),
        ]
        if body.required:
            fields.append(("required", "True"))
        if body.fields is not None:
            fields.append(
                (
                    "fields",
                    _tuple(
                        _call(
                            "_s.BodyField",
                            [
                                ("name", literal(f.property.py_name)),
                                ("wire", literal(f.property.wire)),
                                *([("required", "True")] if f.property.required else []),
                                *([("nullable", "True")] if f.nullable else []),
                            ],
                        )
                        for f in body.fields
                    ),
                )
            )
        if body.schema is not None and body.encoding in (
            BodyEncoding.JSON,
            BodyEncoding.FORM,
            BodyEncoding.MULTIPART,
        ):
            hint = self.types.hint(body.schema, names)
            if hint != "Any":
                fields.append(("type_", hint))
            if self.constraints.constrains(body.schema):
                fields.append(("schema", data(self.constraints.schema(body.schema))))
        return _call("_s.Body", fields)

    def _response(self, response: Response, names: TypeNames) -> str:
        fields = [("status", literal(response.status)), ("kind", literal(response.kind.value))]
        if response.content_type:
            fields.append(("content_type", literal(response.content_type)))
        if response.kind is ResponseKind.JSON:
            fields.append(("type_", self.types.hint(response.schema, names)))
            if self.constraints.constrains(response.schema):
                fields.append(("schema", data(self.constraints.schema(response.schema))))
        if response.headers:
            headers = (
                _call("_s.Header", [("name", literal(h.py_name)), ("wire", literal(h.wire))])
                for h in response.headers
            )
            fields.append(("headers", _tuple(headers)))
        return _call("_s.Response", fields)

    def _error(self, response: Response, names: TypeNames) -> str:
        fields = [("status", literal(response.status)), ("kind", literal(response.kind.value))]
        if response.kind is ResponseKind.JSON and response.schema is not None:
            fields.append(("type_", self.types.hint(response.schema, names)))
        return _call("_s.ErrorResponse", fields)

    def _long_running(self, lro: LongRunning, names: TypeNames) -> str:
        fields = [
            ("poll_type", self.types.hint(lro.poll_schema, names)),
            ("status", literal(lro.status)),
            ("pending", literal(lro.pending)),
        ]
        if lro.header:
            fields.append(("header", literal(lro.header)))
        if lro.field:
            fields.append(("field", literal(".".join(lro.field))))
        return _call("_s.LongRunning", fields)


def _pagination(pagination: Pagination) -> str:
    fields = [
        ("style", literal(pagination.style.value)),
        ("items", literal(".".join(pagination.items))),
    ]
    for attr in ("param", "last_item"):
        value = getattr(pagination, attr)
        if value:
            fields.append((attr, literal(value)))
    for attr in ("next", "has_more"):
        path = getattr(pagination, attr)
        if path:
            fields.append((attr, literal(".".join(path))))
    return _call("_s.Pagination", fields)


class Expr(str):
    """A call or tuple expression: its own one-line text (so it nests as a plain string), laid
    out where it is used (`pylayout.statement`)."""

    opening: str
    items: tuple[tuple[str, str], ...]
    closing: str

    def __new__(cls, opening: str, items: Iterable[tuple[str, str]], closing: str) -> Expr:
        listed = tuple(items)
        single = "," if opening == "(" and len(listed) == 1 else ""
        flat = opening + ", ".join(p + v for p, v in listed) + single + closing
        self = super().__new__(cls, flat)
        self.opening, self.items, self.closing = opening, listed, closing
        return self


def data(value: object) -> str:
    """A JSON value as a Python literal that lays out like `Expr` (dicts and lists nest)."""
    if isinstance(value, dict):
        return Expr("{", ((f"{literal(str(k))}: ", data(v)) for k, v in value.items()), "}")
    if isinstance(value, list):
        return Expr("[", (("", data(v)) for v in value), "]")
    return literal(value)


def _call(function: str, fields: Iterable[tuple[str, str]]) -> Expr:
    return Expr(f"{function}(", ((f"{k}=", v) for k, v in fields), ")")


def _tuple(items: Iterable[str]) -> Expr:
    return Expr("(", (("", v) for v in items), ")")
