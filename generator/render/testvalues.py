"""Values for the generated tests: call arguments and canned answers, checked against the spec.

Input: IR operations. Output: JSON-like values (wire names; `bytes` for file content). Values
come from `ExampleMaker` (spec examples, enums, defaults, synthesised values); an argument value
is kept only when the runtime's own constraint validator — the one every generated client runs,
imported through `runtime_bridge` — accepts it, so a success test never trips a validator. What
cannot be built is reported as a `problem` that the test file shows as a comment.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..build.schemaquery import SchemaQuery
from ..ir import (
    BodyEncoding,
    NamedSchema,
    Operation,
    Parameter,
    ParamLocation,
    Property,
    RequestBody,
    Response,
    ResponseKind,
    Schema,
    SchemaNode,
)
from ..runtime_bridge import runtime_module
from .constraints import ConstraintPrinter
from .examples import ExampleMaker

TEXT_BODY = "text content"
BINARY_BODY = b"binary-content"
_MAX_EXAMPLE_CHARS = 1_200
"""Media examples larger than this (as JSON) give way to values made from the schema: those
are the same for every use of a schema, so test modules share them (smaller files)."""


@dataclass(frozen=True, slots=True)
class Arg:
    """One argument of a call: Python name, value, whether it is a path parameter."""

    name: str
    value: Any
    positional: bool = False
    param: Parameter | None = None


@dataclass(frozen=True, slots=True)
class CallArgs:
    args: tuple[Arg, ...]
    problems: tuple[str, ...] = ()
    """Why the arguments would not pass the client's validation (empty: they do)."""

    @property
    def valid(self) -> bool:
        return not self.problems

    def get(self, name: str) -> Arg | None:
        return next((a for a in self.args if a.name == name), None)


def jsonish(value: Any) -> Any:
    """`value` as the client sends it in JSON (file content as text)."""
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, dict):
        return {k: jsonish(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonish(v) for v in value]
    return value


def body_of(body: RequestBody, call: CallArgs) -> Any:
    """The body `call` sends, by wire name (None: no body)."""
    if body.fields is None:
        arg = call.get("body")
        return arg.value if arg is not None else None
    by_name = {f.property.py_name: f.property.wire for f in body.fields}
    return {by_name[a.name]: a.value for a in call.args if a.name in by_name}


class Checker:
    """The runtime's validator, asked at generation time.

    `shapes=True` asks what the models accept instead: unions as pydantic reads them (any member
    will do — `oneOf` exclusivity is the validator's rule, not the models'), without the
    shapeless members (`{}`) the models leave out, without `not`, and with the type that
    `items` or `properties` imply.
    """

    def __init__(self, constraints: ConstraintPrinter, *, shapes: bool = False) -> None:
        self.printer = _ShapePrinter(constraints.named) if shapes else constraints
        self.shapes = shapes
        self.registry: Mapping[str, Any] = (
            _Shapes(self.printer) if shapes else constraints.schemas()
        )
        self._validate = runtime_module("validation").validate
        self._error = runtime_module("errors").ValidationError
        self._schemas: dict[int, tuple[SchemaNode, Any]] = {}

    def __call__(self, node: SchemaNode | None, value: Any) -> bool:
        if node is None:
            return True
        return self.schema_ok(self.schema(node), value)

    def schema(self, node: SchemaNode) -> Any:
        """The constraint schema of `node`, made once (the validator caches by identity)."""
        found = self._schemas.get(id(node))
        if found is None:
            made = self.printer.schema(node)
            found = self._schemas[id(node)] = (node, relax(made) if self.shapes else made)
        return found[1]

    def schema_ok(self, schema: Mapping[str, Any], value: Any) -> bool:
        try:
            self._validate(jsonish(value), schema, "value", self.registry)
        except self._error:
            return False
        except (RecursionError, KeyError, TypeError, ValueError):
            return False
        return True


class _Shapes(Mapping[str, Any]):
    """The shapes' registry (`Checker`), each named schema printed and relaxed when the
    validator first looks it up: GitHub's test values reach a few hundred of its 3,429 (all of
    them, printed up front, took ~0.3 s)."""

    def __init__(self, printer: ConstraintPrinter) -> None:
        self._printer, self._named = printer, printer.named
        self._made: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        found = self._made.get(name)
        if found is None:
            found = self._made[name] = relax(self._printer.schema(self._named[name].schema))
        return found

    def __contains__(self, name: object) -> bool:
        return name in self._named

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._named))

    def __len__(self) -> int:
        return len(self._named)


class _ShapePrinter(ConstraintPrinter):
    """Constraint schemas with `required` as the models read it: readOnly properties too (the
    validator lets requests leave them out; the models do not)."""

    def _object_keywords(self, schema: Schema, out: dict[str, Any]) -> None:
        super()._object_keywords(schema, out)
        required = [p.wire for p in schema.properties if p.required]
        if required:
            out["required"] = required


class BothChecks:
    """A value the client sends must pass its validator and its models."""

    def __init__(self, constraints: ConstraintPrinter) -> None:
        self.rules = Checker(constraints)
        self.shapes = Checker(constraints, shapes=True)

    def __call__(self, node: SchemaNode | None, value: Any) -> bool:
        return self.rules(node, value) and self.shapes(node, value)


_SHAPE_KEYS = frozenset(
    "type properties items prefixItems enum const $ref allOf anyOf oneOf additionalProperties".split()
)


def relax(schema: Any) -> Any:
    """A constraint schema read as the models read it (see `Checker`)."""
    if isinstance(schema, list):
        return [relax(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: relax(v) for k, v in schema.items() if k not in ("oneOf", "anyOf", "not")}
    if "type" not in out and ("items" in out or "properties" in out):
        out["type"] = "array" if "items" in out else "object"  # the models read them so
    members = [relax(m) for m in [*schema.get("oneOf", ()), *schema.get("anyOf", ())]]
    shaped = [m for m in members if not isinstance(m, dict) or _SHAPE_KEYS & m.keys()]
    if shaped:
        out["anyOf"] = shaped
    return out


class Values:
    """Argument values and canned answers for the operations of one API."""

    def __init__(self, named: Mapping[str, NamedSchema], constraints: ConstraintPrinter) -> None:
        self.check = BothChecks(constraints)
        """For what the client sends."""
        self.shape_check = self.check.shapes
        """For what it receives (answers are parsed by the models, constraints unchecked)."""
        self.maker = ExampleMaker(named, check=self.check)
        self.answers = ExampleMaker(named, check=self.shape_check)
        self.query = SchemaQuery(named)
        self._responses: dict[int, tuple[Response, Any]] = {}

    def value(self, node: SchemaNode | None, *, full: bool = False) -> Any:
        return self.maker.value(node, full=full)

    # --- arguments ------------------------------------------------------------------------

    def call(self, op: Operation, *, optional: bool = True) -> CallArgs:
        """Arguments for a call of `op`: every required one, and (by default) the optional ones
        whose values the tests know how to put on the wire."""
        args: list[Arg] = []
        problems: list[str] = []
        for param in op.parameters:
            arg, problem = self._param(param, optional)
            if arg is not None:
                args.append(arg)
            if problem:
                problems.append(problem)
        if op.body is not None:
            body_args, body_problems = self._body(op.body, optional)
            args.extend(body_args)
            problems.extend(body_problems)
        return CallArgs(args=tuple(args), problems=tuple(problems))

    def _param(self, param: Parameter, optional: bool) -> tuple[Arg | None, str]:
        if not param.required and not optional:
            return None, ""
        candidates = [param.example] if param.has_example else []
        candidates.append(self.value(param.schema, full=True))
        for value in candidates:
            if self._usable_param(param, value):
                return Arg(param.py_name, value, param.location is ParamLocation.PATH, param), ""
        if not param.required:
            return None, ""
        value = candidates[-1]
        arg = Arg(param.py_name, value, param.location is ParamLocation.PATH, param)
        return arg, f"no value of parameter `{param.wire}` satisfies its schema"

    def _usable_param(self, param: Parameter, value: Any) -> bool:
        if value is None or not self.check(param.schema, value):
            return False
        if param.location is ParamLocation.PATH and value in ("", [], {}):
            return False
        if param.location in (ParamLocation.HEADER, ParamLocation.COOKIE):
            text = json.dumps(value) if not isinstance(value, str) else value
            return text.isascii() and text.isprintable()
        return True

    def _body(self, body: RequestBody, optional: bool) -> tuple[list[Arg], list[str]]:
        if body.encoding is BodyEncoding.BINARY:
            return [Arg("body", BINARY_BODY)], []
        if body.encoding is BodyEncoding.TEXT:
            return [Arg("body", TEXT_BODY)], []
        if body.fields is None:
            return self._whole_body(body)
        if not body.required and not optional:
            return [], []
        wanted = [f for f in body.fields if f.property.required or optional]
        example = body.example if body.has_example and isinstance(body.example, dict) else {}
        values = {f.property.wire: self._field(f.property, example) for f in wanted}
        kept = {
            wire: value
            for wire, value in values.items()
            if self._required_field(body, wire) or self._field_ok(body, wire, value)
        }
        problems = [] if self.check(body.schema, kept) else ["no body satisfying its schema"]
        if problems:
            required = {w: v for w, v in kept.items() if self._required_field(body, w)}
            if self.check(body.schema, required):
                kept, problems = required, []
        by_wire = {f.property.wire: f.property.py_name for f in body.fields}
        return [Arg(by_wire[wire], value) for wire, value in kept.items()], problems

    def _field(self, prop: Property, example: Mapping[str, Any]) -> Any:
        """The body example's value of `prop` when it is valid, else one made from its schema."""
        given = example.get(prop.wire)
        if given is not None and _small(given) and self.check(prop.schema, given):
            return given
        return self.value(prop.schema)

    def _required_field(self, body: RequestBody, wire: str) -> bool:
        assert body.fields is not None
        return any(f.property.wire == wire and f.property.required for f in body.fields)

    def _field_ok(self, body: RequestBody, wire: str, value: Any) -> bool:
        prop = self.query.property(body.schema, wire)
        return value is not None and (prop is None or self.check(prop.schema, value))

    def _whole_body(self, body: RequestBody) -> tuple[list[Arg], list[str]]:
        candidates = [body.example] if body.has_example and _small(body.example) else []
        candidates.append(self.value(body.schema))
        for value in candidates:
            if body.encoding is BodyEncoding.MULTIPART and not isinstance(value, dict):
                return [Arg("body", value)], ["a multipart body that is not an object"]
            if value is not None and self.check(body.schema, value):
                return [Arg("body", value)], []
        if not body.required:
            return [], []
        return [Arg("body", candidates[-1])], ["no body satisfying its schema"]

    def shapes_ok(self, op: Operation, call: CallArgs) -> bool:
        """Whether the client's models accept `call` (so it can be sent with `validate=False`)."""
        for param in op.parameters:
            arg = call.get(param.py_name)
            if arg is not None and not self.shape_check(param.schema, arg.value):
                return False
        body = op.body
        if body is None or body.encoding in (BodyEncoding.BINARY, BodyEncoding.TEXT):
            return True
        value = body_of(body, call)
        if body.encoding is BodyEncoding.MULTIPART and not isinstance(value, dict | None):
            return False
        return value is None or self.shape_check(body.schema, value)

    # --- answers --------------------------------------------------------------------------

    def response(self, response: Response) -> Any:
        """The canned body of `response` (JSON value, text or bytes; None for no content)."""
        found = self._responses.get(id(response))
        if found is None:
            found = self._responses[id(response)] = (response, self._response(response))
        return found[1]

    def _response(self, response: Response) -> Any:
        if response.kind is ResponseKind.NONE:
            return None
        if response.kind is ResponseKind.TEXT:
            return response.example if isinstance(response.example, str) else "response text"
        if response.kind is ResponseKind.BINARY:
            return b"response-bytes"
        return self.json(response.schema, response.example if response.has_example else None)

    def json(self, node: SchemaNode | None, example: Any = None) -> Any:
        """An answer's JSON value for `node`: the spec's example when the models accept it, else
        one made from the schema."""
        if example is not None and _small(example) and self.shape_check(node, example):
            return example
        return jsonish(self.answers.value(node))


def _small(value: Any) -> bool:
    try:
        return len(json.dumps(value, default=str)) <= _MAX_EXAMPLE_CHARS
    except (TypeError, ValueError):
        return False
