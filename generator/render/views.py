"""IR → the prepared values the package templates lay out.

Templates only loop over these lists and test these booleans; every decision (signatures,
defaults, imports, docstrings, return types) is made here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..ir import (
    Api,
    BodyEncoding,
    Group,
    Operation,
    ParamLocation,
    Response,
    ResponseKind,
    SchemaNode,
    SchemaRef,
)
from .descriptors import DescriptorPrinter
from .imports import name_key
from .literals import docstring, literal
from .pylayout import WIDTH, Param, class_header, define, import_from, statement
from .types import TypeNames, TypePrinter

SELF: Param = ("self", None, None)
STATUS_ERRORS = {
    "400": "BadRequestError",
    "401": "UnauthorizedError",
    "403": "ForbiddenError",
    "404": "NotFoundError",
    "409": "ConflictError",
    "422": "UnprocessableEntityError",
    "429": "TooManyRequestsError",
    "500": "InternalServerError",
    "503": "ServiceUnavailableError",
}


def error_class(status: str) -> str:
    """The exception a status raises (`404`, `4XX`, `default`): its own class, else `ClientError`
    for 4xx, `ServerError` for 5xx, `ApiError` for anything else (the runtime's `fallback_error`)."""
    if status in STATUS_ERRORS:
        return STATUS_ERRORS[status]
    if status[:1] == "4" and (status.isdigit() or status.upper() == "4XX"):
        return "ClientError"
    if status[:1] == "5" and (status.isdigit() or status.upper() == "5XX"):
        return "ServerError"
    return "ApiError"


@dataclass(frozen=True, slots=True)
class Arg:
    name: str
    hint: str
    default: str | None
    doc: str


@dataclass(frozen=True, slots=True)
class RawClass:
    name: str
    type_arg: str
    attrs: tuple[tuple[str, str], ...]
    header: str
    """`class Name(RawResponse[T]):`, laid out."""


@dataclass(frozen=True, slots=True)
class OperationView:
    name: str
    type_arg: str
    declaration: str
    """`def _name_operation() -> _s.Operation[T]:`, cached: the descriptor is built (and the
    models it names imported) on the operation's first call, not with the module."""
    sync_def: str
    """The `def` line(s), indented, laid out; likewise the other `*_def` and statements."""
    async_def: str
    sync_body: str
    async_body: str
    doc: str
    paginated: bool
    raw_type: str
    wrap: str
    """`self.<name> = self._wrap(…)` in the raw-response class."""
    wait_name: str | None
    wait_return: str | None
    wait_sync_def: str
    wait_async_def: str
    wait_sync_call: str
    wait_async_call: str
    wait_import: str
    """The wait method's import of the models in `wait_return` ("" if none)."""
    raw_models: frozenset[str]
    """Models `wrap` names at run time (in `RawResponse[T]`)."""


@dataclass(frozen=True, slots=True)
class GroupView:
    module: str
    attr: str
    class_name: str
    doc: str
    operations: tuple[OperationView, ...]
    raw_classes: tuple[RawClass, ...]
    imports: tuple[str, ...]
    raw_import: str
    """The `…WithRawResponse.__init__` import of the models its `wrap` lines name ("" if none)."""
    client_import: str
    """The `_client.py` line (under `if TYPE_CHECKING:`) importing both resource classes."""
    client_def: dict[str, str]
    """By class prefix ("" or "Async"): the client's property `def` line, laid out."""
    raw_def: dict[str, str]
    """By class prefix: the resource's `with_raw_response` `def` line, laid out."""
    client_lazy_import: dict[str, str]
    """By class prefix: the property's import of its resource class, laid out."""


class ViewBuilder:
    def __init__(self, api: Api, types: TypePrinter, descriptors: DescriptorPrinter) -> None:
        self.api = api
        self.types = types
        self.descriptors = descriptors

    def group(self, group: Group) -> GroupView:
        names = TypeNames()
        shadowed = frozenset(op.name for op in group.operations) & SHADOWABLE
        operations = tuple(self._operation(op, names, shadowed) for op in group.operations)
        header_names = TypeNames()
        raw_classes = tuple(
            self._raw_class(op, header_names) for op in group.operations if op.raw_name
        )
        names.models |= header_names.models
        wrapped = set().union(*(op.raw_models for op in operations)) - header_names.models
        return GroupView(
            module=group.name,
            attr=group.name,
            class_name=group.class_name,
            doc=docstring(f"Operations of the `{group.name}` group."),
            operations=operations,
            raw_classes=raw_classes,
            imports=_group_imports(
                names,
                operations,
                raw_classes,
                builtins=bool(shadowed),
                runtime_models=header_names.models,
            ),
            raw_import=import_from(8, "..models", sorted(wrapped, key=name_key)) if wrapped else "",
            client_import=import_from(
                4,
                f".resources.{group.name}",
                sorted([f"Async{group.class_name}", group.class_name], key=name_key),
            ),
            client_def={
                prefix: define(4, f"def {group.name}", [SELF], f" -> {prefix}{group.class_name}:")
                for prefix in ("", "Async")
            },
            raw_def={
                prefix: define(
                    4, "def with_raw_response", [SELF], f" -> {prefix}{group.class_name}WithRawResponse:"
                )
                for prefix in ("", "Async")
            },
            client_lazy_import={
                prefix: import_from(8, f".resources.{group.name}", [prefix + group.class_name])
                for prefix in ("", "Async")
            },
        )

    def _operation(
        self, op: Operation, names: TypeNames, shadowed: frozenset[str] = frozenset()
    ) -> OperationView:
        """`shadowed`: builtins that methods of the class shadow in its annotations."""
        result_names = TypeNames()
        type_arg = self._result_hint(op, result_names)
        args = self._args(op, names)
        positional = [a for a in args if a.default is None and a.name in self._path_names(op)]
        keyword = [a for a in args if a not in positional]
        keyword.sort(key=lambda a: a.default is not None)
        params: list[Param] = [SELF, *(_param(a, shadowed) for a in positional)]
        if keyword:
            params += [("*", None, None), *(_param(a, shadowed) for a in keyword)]
        arg_map = "{" + ", ".join(f"{literal(a.name)}: {a.name}" for a in args) + "}"
        sync_return, async_return = type_arg, type_arg
        if op.pagination is not None:
            item = self.types.hint(op.pagination.item_schema, names)
            sync_return = f"SyncPage[{item}, {type_arg}]"
            async_return = f"AsyncPager[{item}, {type_arg}]"
        lro = op.long_running
        function = f"_{op.name}_operation"
        get_descriptor = f"{function}()"
        descriptor_names = TypeNames()
        descriptor = self.descriptors.operation(op, descriptor_names)
        paginated = op.pagination is not None
        if paginated:
            sync_body = async_body = statement(8, "return ", f"self._paginate({get_descriptor}, {arg_map})")
        else:
            sync_body = statement(8, "return ", f"self._call({get_descriptor}, {arg_map})")
            async_body = statement(8, "return await ", f"self._call({get_descriptor}, {arg_map})")
        async_keyword = "def" if paginated else "async def"
        raw_type = op.raw_name or f"RawResponse[{type_arg}]"
        wait_names = TypeNames()
        wait_return = self.types.hint(lro.poll_schema, wait_names) if lro else None
        for part in (result_names, wait_names):  # annotations: imported for type checking
            names.models |= part.models
            names.typing |= part.typing
        names.typing |= descriptor_names.typing  # the descriptor's models: in its function
        wait_params = [*params, *([] if keyword else [("*", None, None)])]
        wait_params += [("poll_interval", "float", "1.0"), ("timeout", "float", "300.0")]
        wait_call = f"self._call_and_wait({get_descriptor}, {arg_map}, poll_interval=poll_interval, timeout=timeout)"
        wait_name = lro.wait_name if lro else ""
        return OperationView(
            name=op.name,
            type_arg=type_arg,
            declaration=_descriptor_function(function, type_arg, descriptor, descriptor_names),
            sync_def=define(4, f"def {op.name}", params, f" -> {qualify(sync_return, shadowed)}:"),
            async_def=define(
                4, f"{async_keyword} {op.name}", params, f" -> {qualify(async_return, shadowed)}:"
            ),
            sync_body=sync_body,
            async_body=async_body,
            doc=self._doc(op, positional + keyword),
            paginated=paginated,
            raw_type=raw_type,
            wrap=statement(8, f"self.{op.name} = ", f"self._wrap(resource.{op.name}, {raw_type})"),
            wait_name=lro.wait_name if lro else None,
            wait_return=wait_return,
            wait_sync_def=define(
                4, f"def {wait_name}", wait_params, f" -> {qualify(wait_return or '', shadowed)}:"
            ),
            wait_async_def=define(
                4, f"async def {wait_name}", wait_params, f" -> {qualify(wait_return or '', shadowed)}:"
            ),
            wait_sync_call=statement(8, "result = ", wait_call),
            wait_async_call=statement(8, "result = await ", wait_call),
            wait_import=(
                import_from(8, "..models", sorted(wait_names.models, key=name_key))
                if wait_names.models
                else ""
            ),
            raw_models=frozenset() if op.raw_name else frozenset(result_names.models),
        )

    def _describe(self, node: SchemaNode) -> str:
        if isinstance(node, SchemaRef):
            named = self.types.named.get(node.name)
            return (named.schema.description or "") if named else ""
        return node.description or ""

    def _path_names(self, op: Operation) -> set[str]:
        return {p.py_name for p in op.parameters if p.location is ParamLocation.PATH}

    def _args(self, op: Operation, names: TypeNames) -> list[Arg]:
        args = []
        for param in op.parameters:
            hint = self.types.hint(param.schema, names, mode="input")
            args.append(
                Arg(
                    name=param.py_name,
                    hint=hint if param.required else _optional(hint),
                    default=None if param.required else "None",
                    doc=param.description or "",
                )
            )
        body = op.body
        if body is None:
            return args
        if body.fields is not None:
            for body_field in body.fields:
                prop = body_field.property
                hint = self.types.hint(prop.schema, names, mode="input")
                required = body.required and prop.required
                if required:
                    default = None
                elif body_field.nullable:
                    names.typing.add("NotGiven")
                    hint, default = _not_given(hint), "NOT_GIVEN"
                else:
                    hint, default = _optional(hint), "None"
                args.append(
                    Arg(
                        name=prop.py_name,
                        hint=hint,
                        default=default,
                        doc=self._describe(prop.schema),
                    )
                )
            return args
        hint = self._body_hint(op, names)
        args.append(
            Arg(
                name="body",
                hint=hint if body.required else _optional(hint),
                default=None if body.required else "None",
                doc=body.description or "",
            )
        )
        return args

    def _body_hint(self, op: Operation, names: TypeNames) -> str:
        assert op.body is not None
        if op.body.encoding is BodyEncoding.BINARY:
            names.typing.add("IO")
            return "bytes | IO[bytes]"
        if op.body.encoding is BodyEncoding.TEXT:
            return "str"
        return self.types.hint(op.body.schema, names, mode="input")

    def _result_hint(self, op: Operation, names: TypeNames) -> str:
        hints: list[str] = []
        for response in op.success:
            hint = self._response_hint(response, names)
            if hint not in hints:
                hints.append(hint)
        if not hints:
            return "None"
        if "None" in hints and len(hints) > 1:
            hints = [h for h in hints if h != "None"] + ["None"]
        return " | ".join(hints)

    def _response_hint(self, response: Response, names: TypeNames) -> str:
        if response.kind is ResponseKind.JSON:
            return self.types.hint(response.schema, names)
        if response.kind is ResponseKind.TEXT:
            return "str"
        if response.kind is ResponseKind.BINARY:
            return "bytes"
        return "None"

    def _raw_class(self, op: Operation, names: TypeNames) -> RawClass:
        """The raw-response class of `op`. Its base names the result type in quotes (a forward
        reference: the module does not import models at run time) unless the type holds quotes
        of its own; then `names` (the module's run-time imports) gets its models."""
        assert op.raw_name is not None
        attrs: dict[str, str] = {}
        for response in op.success:
            for header in response.headers:
                attrs.setdefault(header.py_name, "str | None")
        used = TypeNames()
        type_arg = self._result_hint(op, used)  # the same as the method's return annotation
        if re.search(r"[\"'\\]", type_arg):
            names.models |= used.models
            base = f"RawResponse[{type_arg}]"
        else:
            base = f'RawResponse["{type_arg}"]'
        return RawClass(
            name=op.raw_name,
            type_arg=type_arg,
            attrs=tuple(attrs.items()),
            header=class_header(op.raw_name, base),
        )

    def _doc(self, op: Operation, args: list[Arg]) -> str:
        parts = [op.summary or f"{op.method} {op.path}"]
        if op.description and op.description != op.summary:
            parts.append(op.description)
        if op.deprecated:
            parts.append("Deprecated.")
        documented = [a for a in args if a.doc]
        if documented:
            parts.append(
                "Args:\n"
                + "\n".join(f"    {a.name}: {' '.join(a.doc.split())}" for a in documented)
            )
        errors = sorted({error_class(r.status) for r in op.errors})
        if errors:
            parts.append("Raises:\n" + "\n".join(f"    {e}" for e in errors))
        return docstring("\n\n".join(parts), indent=8)


def _group_imports(
    names: TypeNames,
    operations: tuple[OperationView, ...],
    raw: tuple[RawClass, ...],
    *,
    builtins: bool = False,
    runtime_models: set[str] | frozenset[str] = frozenset(),
) -> tuple[str, ...]:
    """The import lines of a resource module: exactly what it uses, isort-ordered. Models are
    imported for type checking only, but for `runtime_models` (raw response class bases): each
    operation imports its own on first use."""
    abc = sorted(names.typing & {"Sequence", "Mapping"})
    typing = sorted(
        (names.typing & {"Any", "IO", "Literal"}) | ({"cast"} if any(op.wait_name for op in operations) else set()),
        key=name_key,
    )
    used = builtins and any("builtins." in op.sync_def + op.async_def + op.wait_sync_def for op in operations)
    lines = ["import builtins"] if used else []
    if abc:
        lines.append(f"from collections.abc import {', '.join(abc)}")
    lines.append("from functools import cache, cached_property")
    checked = sorted(names.models - set(runtime_models), key=name_key)
    if checked:
        typing = sorted({*typing, "TYPE_CHECKING"}, key=name_key)
    if typing:
        lines.append(f"from typing import {', '.join(typing)}")
    lines += ["", "from .._runtime import spec as _s"]
    if any(op.paginated for op in operations):
        lines.append("from .._runtime.pagination import AsyncPager, SyncPage")
    if any(op.raw_type.startswith("RawResponse[") for op in operations) or raw:
        lines.append("from .._runtime.raw import RawResponse")
    lines.append(
        "from .._runtime.resource import AsyncRawResource, AsyncResource, SyncRawResource, SyncResource"
    )
    if "NotGiven" in names.typing:
        lines.append("from .._runtime.types import NOT_GIVEN, NotGiven")
    if runtime_models:
        lines.append(import_from(0, "..models", sorted(runtime_models, key=name_key)))
    if checked:
        lines += ["", "if TYPE_CHECKING:", import_from(4, "..models", checked)]
    return tuple(lines)


def _descriptor_function(function: str, type_arg: str, descriptor: str, names: TypeNames) -> str:
    """The cached function that builds an operation's descriptor, importing its models then."""
    returns = f"_s.Operation[{type_arg}]"
    head = f"def {function}() -> {returns}:"
    if len(head) > WIDTH and len(returns) + 4 <= WIDTH:  # black's parenthesised return type
        head = f"def {function}() -> (\n    {returns}\n):"
    lines = ["@cache", head]
    if names.models:
        lines.append(import_from(4, "..models", sorted(names.models, key=name_key)))
        lines.append("")
    lines.append(statement(4, "return ", descriptor))
    return "\n".join(lines)


def _not_given(hint: str) -> str:
    """`T | NotGiven | None` (None last, as ruff's RUF036 wants)."""
    if hint == "Any":
        return "Any | NotGiven"
    base = hint.removesuffix(" | None") if hint != "None" else ""
    return f"{base} | NotGiven | None" if base else "NotGiven | None"


def _optional(hint: str) -> str:
    return hint if hint == "Any" or hint.endswith("| None") or hint == "None" else f"{hint} | None"


def _param(arg: Arg, shadowed: frozenset[str] = frozenset()) -> Param:
    return (arg.name, qualify(arg.hint, shadowed), arg.default)


SHADOWABLE = frozenset(
    {"bool", "bytes", "dict", "float", "frozenset", "int", "list", "object", "set", "str", "tuple", "type"}
)
"""Builtins a resource method may be named after (`list`): in the class's annotations the
method would stand for the builtin, so these are written `builtins.list[...]` there."""
_STRING_LITERAL = re.compile(r"(\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')")


def qualify(hint: str, shadowed: frozenset[str]) -> str:
    """`hint` with the `shadowed` builtins written `builtins.<name>` (outside string literals)."""
    if not shadowed:
        return hint
    name = re.compile(r"(?<![\w.])(" + "|".join(sorted(shadowed)) + r")\b")
    parts = _STRING_LITERAL.split(hint)
    return "".join(p if i % 2 else name.sub(r"builtins.\1", p) for i, p in enumerate(parts))


@dataclass(frozen=True, slots=True)
class Credential:
    arg: str
    env: str
    doc: str


@dataclass(frozen=True, slots=True)
class ClientView:
    title: str
    doc: str
    credentials: tuple[Credential, ...]
    groups: tuple[tuple[str, str], ...]
    """(attribute, class name) pairs."""
    api: str
    has_schemas: bool = field(default=True)
