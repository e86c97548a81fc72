"""Typed-error cases of one operation, and the canned answers (`Reply(...)` sources) of all tests.

Input: an operation's declared error responses. Output: one `ErrorTest` per declared status
(`4XX`/`5XX`/`default` become a concrete status no other response of the operation claims) plus
one undeclared status that must raise the fallback class (`ClientError` for a 4xx); each names the exception class the
status → class table of DESIGN §4 gives (`views.STATUS_ERRORS`), and the type its parsed body must
have. Error answers are module-level constants shared by the operations of a test module.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..ir import Operation, Response, ResponseKind
from .pylayout import layout
from .testlayout import define
from .testliterals import Constants, py, snake
from .testvalues import Values
from .types import TypeNames, TypePrinter
from .views import error_class

if TYPE_CHECKING:
    from .testcases import Imports

UNDECLARED = (418, 402, 451, 410, 499, 599)
_FAMILY = {"4XX": (400, 404, 409, 422, 403, 401, 418), "5XX": (500, 503, 502, 599)}


@dataclass(frozen=True, slots=True)
class ErrorTest:
    name: str
    statement: str
    """`mock.expect_error(call, ERROR_<status>, ErrorClass, body type)`, laid out."""

    @property
    def define(self) -> str:
        return define(self.name, "mock: Mock")


def status_code(status: str) -> int:
    """The status a canned success answer uses (`2XX`, `default` → 200)."""
    return int(status) if status.isdigit() else 200


def json_type(content_type: str | None) -> str | None:
    """The declared JSON media type to answer with (None: plain `application/json`)."""
    if content_type is None:
        return None
    mime = content_type.split(";", 1)[0].strip().lower()
    json_like = mime in ("application/json", "text/json") or mime.endswith("+json")
    return content_type if json_like and mime != "application/json" else None


def json_reply(status: int, value: Any, content_type: str | None = None, headers: Any = None) -> str:
    extra = f", headers={py(headers)}" if headers else ""
    if json_type(content_type):
        extra += f", content_type={py(content_type)}"
    return f"Reply({status}, json={py(value)}{extra})"


def reply_source(status: int, kind: ResponseKind, content_type: str | None, value: Any) -> str:
    """A `Reply(...)` for a success answer of `kind` with body `value`."""
    if kind is ResponseKind.NONE or status == 204:
        return f"Reply({status})"
    if kind is ResponseKind.JSON:
        return json_reply(status, value, content_type)
    default = "text/plain" if kind is ResponseKind.TEXT else "application/octet-stream"
    ctype = content_type if content_type and "*" not in content_type else default
    content = value.encode() if isinstance(value, str) else value
    return f"Reply({status}, content={py(content)}, content_type={py(ctype)})"


class ErrorTests:
    """Error cases per operation; `constants` collects the shared answers of one module."""

    def __init__(self, values: Values, types: TypePrinter) -> None:
        self.values = values
        self.types = types

    def operation(
        self, op: Operation, shared: Constants, imports: Imports, validate: bool
    ) -> tuple[ErrorTest, ...]:
        """`validate=False`: the call breaks a constraint, so the client must not check it."""
        options = "" if validate else ", validate=False"

        def test(name: str, reply: str, error: str, body_type: str) -> ErrorTest:
            call = f"mock.expect_error(call_{op.name}, {reply}, {error}, {body_type}{options})"
            return ErrorTest(name, layout(call, indent=4))

        explicit = {int(r.status) for r in op.errors if r.status.isdigit()}
        used: set[int] = set()
        tests = []
        for response in op.errors:
            status = _status(response.status, explicit | used)
            if status is None:
                continue
            used.add(status)
            error = error_class(str(status))
            default = "default_" if response.status.lower() == "default" else ""
            name = f"test_{op.name}_{default}{status}_raises_{snake(error)}"
            reply = shared.add(f"ERROR_{status}", self._reply(status, response))
            tests.append(test(name, reply, error, self._body_type(response, imports)))
            imports.errors.add(error)
        undeclared = next(s for s in UNDECLARED if s not in explicit | used)
        reply = shared.add(f"ERROR_{undeclared}", json_reply(undeclared, {"message": "undeclared"}))
        error = error_class(str(undeclared))
        name = f"test_{op.name}_undeclared_{undeclared}_raises_{snake(error)}"
        tests.append(test(name, reply, error, "object"))
        imports.errors.add(error)
        return tuple(tests)

    def _reply(self, status: int, response: Response) -> str:
        if response.kind is ResponseKind.JSON:
            example = response.example if response.has_example else None
            return json_reply(status, self.values.json(response.schema, example), response.content_type)
        if response.kind is ResponseKind.NONE:
            return f"Reply({status})"
        return f'Reply({status}, content=b"error text", content_type="text/plain")'

    def _body_type(self, response: Response, imports: Imports) -> str:
        if response.kind is ResponseKind.JSON and response.schema is not None:
            hint = self.types.hint(response.schema, TypeNames())
            if hint in self.types.classes:
                return imports.model(hint)
        if response.kind in (ResponseKind.TEXT, ResponseKind.BINARY):
            return "str"
        return "object"


def _status(status: str, taken: set[int]) -> int | None:
    if status.isdigit():
        code = int(status)
        return code if 300 <= code < 600 else None
    options = _FAMILY.get(status.upper(), UNDECLARED)
    return next((s for s in options if s not in taken), None)
