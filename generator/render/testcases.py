"""One operation → the prepared pieces of its tests.

Input: an IR operation and its group, with the shared helpers (`Values`, `AuthPlanner`,
`ErrorTests`, `ConstraintCases`, `FlowBuilder`). Output: `OperationTests` — the call, the
module-level constants (expected wire request, canned answers, pages, poll states), the checks on
the parsed answer, error, validator, pagination and waiting tests, and notes on what cannot be
tested — plus the names the module must import (`Imports`). The test-module template lays these
out; nothing here formats a whole file.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from ..ir import Group, Operation, Response, ResponseKind, SchemaRef
from .pylayout import layout
from .testauth import AuthPlanner, OperationAuth
from .testconstraints import ConstraintCases
from .testerrors import ErrorTest, ErrorTests, json_reply, reply_source, status_code
from .testflows import POLL_INTERVAL, FlowBuilder, PagesTest, WaitTest
from .testlayout import assert_equal, assignment, define, line, returning
from .testliterals import Code, Constants, constant, py, test_id
from .testvalues import CallArgs, Values
from .testwire import Expected, expected_request, keep_expressible, wire_source
from .types import TypeNames, TypePrinter
from .views import STATUS_ERRORS

ERROR_NAMES = frozenset(
    {*STATUS_ERRORS.values(), "ApiError", "ClientError", "ServerError", "ValidationError"}
)

_SCALAR_HINTS = {"str": (str,), "int": (int,), "float": (int, float), "bool": (bool,)}
_BUILTIN_TYPES = ("list", "dict", "str", "int", "float", "bool")
_MAX_FIELD_CHECKS = 3
_SHARED_SAMPLE_CHARS = 160
"""JSON answers of a named schema longer than this become a module constant `SAMPLE_<NAME>`."""


@dataclass(frozen=True, slots=True)
class Constant:
    name: str
    value: str

    @property
    def text(self) -> str:
        """`NAME = value`, laid out as black would."""
        return assignment(self.name, self.value)


@dataclass(frozen=True, slots=True)
class ParseTest:
    name: str
    reply: str
    checks: tuple[str, ...]
    """Assert statements about `data`, the parsed answer."""

    @property
    def define(self) -> str:
        return define(self.name, "mock: Mock")

    @property
    def reply_call(self) -> str:
        return line("", f"mock.reply({self.reply})")


@dataclass(frozen=True, slots=True)
class ValidatorTests:
    accepted: tuple[str, ...]
    """`pytest.param(arg, value, id=...)` sources."""
    rejected: tuple[str, ...]
    body: str
    """The arguments that are body fields (their errors are reported under `body`), source."""


_RESERVED = frozenset(
    {"Any", "AsyncClient", "Auth", "Callable", "Client", "Mock", "Reply", "SyncPage", "Wire"}
)


@dataclass
class Imports:
    """Names a test module imports."""

    models: dict[str, str] = field(default_factory=dict)
    """Model class → the name the module uses for it."""
    errors: set[str] = field(default_factory=set)
    kit: set[str] = field(default_factory=lambda: {"Mock", "Reply", "Wire"})
    sync_page: bool = False
    any: bool = False

    def model(self, name: str) -> str:
        """The local name of model class `name` (aliased when pytest would collect it as a test
        class, or when it clashes with a name the tests use)."""
        clash = name.startswith("Test") or name in _RESERVED or name in ERROR_NAMES
        return self.models.setdefault(name, f"_{name}" if clash else name)


@dataclass(frozen=True, slots=True)
class OperationTests:
    name: str
    title: str
    notes: tuple[str, ...]
    constants: tuple[Constant, ...]
    call_name: str
    call_expr: str
    method_ref: str
    paginated: bool
    call: CallArgs
    expected: Expected
    wire_test: bool
    auths: str
    wire: str
    reply: str
    reply_source: str
    """The first canned answer, written out (for modules that do not share its constants)."""
    parse_tests: tuple[ParseTest, ...]
    errors: tuple[ErrorTest, ...]
    contract_type: str
    args: str
    """The `<OP>_ARGS` constant (keyword arguments of the call) the validator tests use."""
    validators: ValidatorTests
    pages: PagesTest | None
    wait: WaitTest | None
    async_pages: bool
    async_wait: bool
    upper: str
    returns_none: bool
    """The method is typed to return `None`."""

    @property
    def defs(self) -> dict[str, str]:
        """The `def` line of each of the operation's tests, laid out."""
        name = self.name
        found = {
            "wire": define(f"test_{name}_sends_wire_request", "mock: Mock, auth: Auth"),
            "accepts": define(f"test_{name}_accepts_valid_arguments", "mock: Mock, arg: str, value: Any"),
            "rejects": define(f"test_{name}_rejects_invalid_arguments", "mock: Mock, arg: str, value: Any"),
        }
        if self.pages is not None:
            found["pages"] = define(self.pages.name, "mock: Mock")
            found["async_pages"] = define(f"test_async_{name}_iterates_every_page", "mock: Mock", is_async=True)
        if self.wait is not None:
            found["wait"] = define(self.wait.name, "mock: Mock")
            found["async_wait"] = define(self.wait.async_name, "mock: Mock", is_async=True)
        found["call"] = define(self.call_name, "client: Client", returns="object")
        return found

    @property
    def lines(self) -> dict[str, str]:
        """Statements of its tests' bodies that hold the operation's names, laid out."""
        upper, call = self.upper, self.call_name
        return {
            "reply": line("", f"mock.reply({self.reply})"),
            "wire_call": line("", f"{call}(mock.client(auth))"),
            "assert_sent": line("", f"mock.assert_sent({self.wire}, auth)"),
            "data": line("data = ", f"{call}(mock.client())"),
            "page": line("page = ", f"{call}(mock.client())"),
            "method": line("method = ", f"mock.client().{self.method_ref}"),
            "pages_reply": line("", f"mock.reply(*{upper}_PAGES)"),
            "wait_reply": line("", f"mock.reply({upper}_ACCEPTED, {upper}_PENDING, {upper}_DONE)"),
            "wait_done": assert_equal("wire(result)", f"{upper}_DONE.json"),
        }

    @property
    def call_body(self) -> str:
        return returning(self.call_expr, returns_none=self.returns_none)

    @property
    def pager(self) -> str:
        return layout(self.call_expr, indent=4, prefix=len("pager = "))

    @property
    def accepts(self) -> str:
        check = f"mock.expect_accepted(method, {self.args}, arg, value, {self.reply})"
        return layout(check, indent=4)

    @property
    def rejects(self) -> str:
        check = f"mock.expect_rejected(method, {self.args}, arg, value, body={self.validators.body})"
        return layout(check, indent=4)


def call_source(client: str, attr: str, method: str, call: CallArgs, extra: str = "") -> str:
    """`client.group.method("path-value", name=value)` for `call`'s arguments."""
    positional = [py(a.value) for a in call.args if a.positional]
    keywords = [f"{a.name}={py(a.value)}" for a in call.args if not a.positional]
    args = ", ".join(positional + keywords + ([extra] if extra else []))
    return f"{client}.{attr}.{method}({args})"


class OperationTestBuilder:
    def __init__(
        self, values: Values, auth: AuthPlanner, types: TypePrinter, base_url: str
    ) -> None:
        self.values = values
        self.auth = auth
        self.types = types
        self.errors = ErrorTests(values, types)
        self.constraints = ConstraintCases(types.named, values.check)
        self.flows = FlowBuilder(values, base_url)
        self.async_pages_done = False
        self.async_wait_done = False

    def build(
        self, group: Group, op: Operation, imports: Imports, shared: Constants
    ) -> OperationTests:
        call = keep_expressible(op, self.values.call(op))
        auth = self.auth.for_operation(op)
        notes = [f"success, validator and flow tests: {p}" for p in call.problems]
        notes.extend(auth.notes)
        wire_test = call.valid and bool(auth.keys)
        error_tests = call.valid or self.values.shapes_ok(op, call)
        if not error_tests:
            notes.append("error tests: the client's models reject every call that can be built")
        upper = constant(op.name)
        replies = {r.status: f"{upper}_REPLY" + ("" if i == 0 else f"_{r.status}") for i, r in enumerate(op.success)}
        expected = expected_request(op, call)
        constants: list[Constant] = []
        if not op.success:
            replies[""] = f"{upper}_REPLY"
        if wire_test:
            constants.append(Constant(f"{upper}_WIRE", wire_source(expected)))
            constants += [Constant(replies[r.status], self._reply(r, shared)) for r in op.success]
            if not op.success:
                constants.append(Constant(replies[""], "Reply(200)"))
        reply = next(iter(replies.values()))
        validators = self._validators(op, call, notes) if wire_test else ValidatorTests((), (), "()")
        if validators.accepted or validators.rejected:
            imports.any = True
            constants.append(Constant(f"{upper}_ARGS: dict[str, Any]", py({a.name: a.value for a in call.args})))
        call_expr = call_source("client", group.name, op.name, call)
        pages = self.flows.pages(op, call, replies, f"{upper}_WIRE", notes) if wire_test else None
        if pages is not None:
            # an item written out (not taken from the canned answer) may be `{}`: mypy needs a type
            made = ".json[" not in pages.item
            imports.any |= made
            item = Constant(f"{upper}_ITEM" + (": Any" if made else ""), pages.item)
            constants += [item, Constant(f"{upper}_PAGES", pages.pages)]
        wait = self._wait(group, op, call, replies, shared, notes) if wire_test else None
        if wait is not None:
            constants += [
                Constant(f"{upper}_ACCEPTED", wait.accepted),
                Constant(f"{upper}_PENDING", wait.pending),
                Constant(f"{upper}_DONE", wait.done),
            ]
            wait = replace(wait, poll_type=imports.model(wait.poll_type))
        self._note_imports(imports, auth, wire_test, pages, wait)
        return OperationTests(
            name=op.name,
            title=f"{op.name}: {op.method.upper()} {op.path}",
            notes=tuple(notes),
            constants=tuple(constants),
            call_name=f"call_{op.name}",
            call_expr=call_expr,
            method_ref=f"{group.name}.{op.name}",
            paginated=op.pagination is not None,
            call=call,
            expected=expected,
            wire_test=wire_test,
            auths=self._auth_list(auth),
            wire=f"{upper}_WIRE",
            reply=reply,
            reply_source=self._reply(op.success[0], None) if op.success else "Reply(200)",
            parse_tests=self._parse_tests(op, replies, imports) if wire_test else (),
            errors=self.errors.operation(op, shared, imports, call.valid) if error_tests else (),
            contract_type=self._contract_type(op, imports),
            args=f"{upper}_ARGS",
            validators=validators,
            pages=pages,
            wait=wait,
            async_pages=self._first_pages(pages),
            async_wait=self._first_wait(wait),
            upper=upper,
            returns_none=op.pagination is None and all(r.kind is ResponseKind.NONE for r in op.success),
        )

    def _note_imports(
        self,
        imports: Imports,
        auth: OperationAuth,
        wire_test: bool,
        pages: PagesTest | None,
        wait: WaitTest | None,
    ) -> None:
        if wire_test:
            imports.kit.add("Auth")
            imports.kit.add("AUTHS" if "AUTHS[" in self._auth_list(auth) else "DEFAULT_AUTHS")
        if pages is not None:
            imports.sync_page = True
            imports.kit.update(pages.kit)
        if wait is not None:
            imports.kit.add("patched")
        if pages is not None or wait is not None:
            imports.kit.add("wire")

    def _first_pages(self, pages: PagesTest | None) -> bool:
        if pages is None or self.async_pages_done:
            return False
        self.async_pages_done = True
        return True

    def _first_wait(self, wait: WaitTest | None) -> bool:
        if wait is None or self.async_wait_done:
            return False
        self.async_wait_done = True
        return True

    def _wait(
        self,
        group: Group,
        op: Operation,
        call: CallArgs,
        replies: dict[str, str],
        shared: Constants,
        notes: list[str],
    ) -> WaitTest | None:
        lro = op.long_running
        if lro is None:
            return None
        if lro.poll_schema.name not in self.types.classes:
            notes.append(f"`{lro.wait_name}`: its operation type is not a model")
            return None
        extra = f"poll_interval={POLL_INTERVAL}, timeout=60.0"
        expr = call_source("client", group.name, lro.wait_name, call, extra)
        wait = self.flows.wait(op, expr, replies, shared)
        if isinstance(wait, str):
            notes.append(wait)
            return None
        return wait

    # --- answers ------------------------------------------------------------------------------

    def _reply(self, response: Response, shared: Constants | None) -> str:
        """A `Reply(...)`; a long JSON body of a named schema goes to `shared` (if given)."""
        value = self.values.response(response)
        status = status_code(response.status)
        source = py(value)
        schema = response.schema
        shareable = response.kind is ResponseKind.JSON and status != 204
        long = len(source) > _SHARED_SAMPLE_CHARS
        if shared is not None and shareable and long and isinstance(schema, SchemaRef):
            sample = Code(shared.add("SAMPLE_" + constant(schema.name), source))
            return json_reply(status, sample, response.content_type)
        return reply_source(status, response.kind, response.content_type, value)

    def _parse_tests(
        self, op: Operation, replies: dict[str, str], imports: Imports
    ) -> tuple[ParseTest, ...]:
        if not op.success:
            return (ParseTest(f"test_{op.name}_parses_empty_response", replies[""], ("assert data is None",)),)
        tests = []
        for response in op.success:
            name = f"test_{op.name}_parses_{status_code(response.status)}_response"
            reply = replies[response.status]
            tests.append(ParseTest(name, reply, self._checks(response, reply, imports)))
        return tuple(tests)

    def _checks(self, response: Response, reply: str, imports: Imports) -> tuple[str, ...]:
        if response.kind is ResponseKind.NONE or status_code(response.status) == 204:
            return ("assert data is None",)
        value = self.values.response(response)
        if response.kind is not ResponseKind.JSON:
            return (f"assert data == {py(value)}",)
        hint = self.types.hint(response.schema, TypeNames())
        checks = []
        if hint in self.types.classes:
            checks.append(line("assert ", f"isinstance(data, {imports.model(hint)})"))
            checks.extend(self._field_checks(response, value))
        elif hint.split("[")[0] in _BUILTIN_TYPES:
            checks.append(line("assert ", f"isinstance(data, {hint.split('[')[0]})"))
        checks.append(assert_equal("wire(data)", f"{reply}.json"))
        imports.kit.add("wire")
        return tuple(checks)

    def _field_checks(self, response: Response, value: Any) -> list[str]:
        if not isinstance(value, dict):
            return []
        checks: list[str] = []
        for prop in self.values.query.properties(response.schema):
            if prop.wire not in value or len(checks) >= _MAX_FIELD_CHECKS:
                continue
            hint = self.types.hint(prop.schema, TypeNames())
            found = value[prop.wire]
            if not _comparable(hint, found):
                continue
            if found is None or isinstance(found, bool):  # `is` for singletons, as E711/E712 want
                checks.append(f"assert data.{prop.py_name} is {py(found)}")
            else:
                checks.append(assert_equal(f"data.{prop.py_name}", py(found)))
        return checks

    def _contract_type(self, op: Operation, imports: Imports) -> str:
        if op.pagination is not None:
            imports.sync_page = True
            return "SyncPage"
        response = op.success[0] if op.success else None
        if response is None or response.kind is ResponseKind.NONE:
            return "object"
        if response.kind is not ResponseKind.JSON:
            return "str" if response.kind is ResponseKind.TEXT else "bytes"
        hint = self.types.hint(response.schema, TypeNames())
        if hint in self.types.classes:
            return imports.model(hint)
        base = hint.split("[")[0]
        return base if base in _BUILTIN_TYPES else "object"

    # --- validators ---------------------------------------------------------------------------

    def _validators(self, op: Operation, call: CallArgs, notes: list[str]) -> ValidatorTests:
        known = len(self.constraints.notes)
        found = self.constraints.operation(op, call)
        notes.extend(self.constraints.notes[known:])
        accepted = [_row(cases.arg, c.value, c.why) for cases in found for c in cases.accepted]
        rejected = [_row(cases.arg, c.value, c.why) for cases in found for c in cases.rejected]
        body = sorted({cases.arg for cases in found for c in cases.rejected if c.path == "body"})
        return ValidatorTests(tuple(accepted), tuple(rejected), py(tuple(body)))

    def _auth_list(self, auth: OperationAuth) -> str:
        if auth.keys == self.auth.views.default.keys:
            return "DEFAULT_AUTHS"
        return "[" + ", ".join(f"AUTHS[{py(k)}]" for k in auth.keys) + "]"


def _row(arg: str, value: Any, why: str) -> str:
    """`pytest.param("arg", value, id="arg: why")`, laid out as a list item."""
    row = f"pytest.param({py(arg)}, {py(value)}, id={py(test_id(why))})"
    return layout(row, indent=8, suffix=1)


def _comparable(hint: str, value: Any) -> bool:
    """Whether `data.field == value` is a sound comparison for mypy and at run time (scalars
    only: a model field holding models does not equal the JSON it was parsed from)."""
    if isinstance(value, dict | list):
        return False
    if hint == "Any":
        return True
    for part in (p.strip() for p in hint.split("|")):
        if part == "None" and value is None:
            return True
        kinds = _SCALAR_HINTS.get(part)
        if kinds and isinstance(value, kinds) and not (isinstance(value, bool) and bool not in kinds):
            return True
        if part.startswith("Literal[") and isinstance(value, str | int) and py(value) in part:
            return True
    return False
