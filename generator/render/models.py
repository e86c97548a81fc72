"""IR named schemas → `models.py` source, by datamodel-code-generator (in this process for a small
API, in a worker process while the rest of the package renders for a large one).

We hand it a components-only document in which every class already has its final name and every
field its final Python name (`aliases`), with value constraints removed: models check types and
required fields; constraints are checked by the validators (requests always, responses with
`strict_responses`). String formats other than `binary` are plain `str`. Afterwards the output is
checked: every object schema the IR names must exist as a class with the fields the IR decided.
If datamodel-code-generator fails (it recurses about five frames per level of a named schema),
that is a diagnostic (`too-deep` or `models-failed`), never a traceback.
"""

from __future__ import annotations

import ast
import json
import multiprocessing
import re
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from ..cache import Cache, cache_key
from ..diagnostics import Diagnostics
from ..inputs import generator_fingerprint, tool_versions
from ..ir import Api, NamedSchema, Schema, SchemaNode, SchemaRef
from .literals import escape_invisible

_PLACEHOLDER = "oagen_package_placeholder"
_REF = "#/components/schemas/"


@dataclass(frozen=True, slots=True)
class Models:
    source: str
    classes: frozenset[str]
    """Model classes (pydantic BaseModel subclasses), not RootModels."""
    tree: ast.Module | None = None
    """`source` parsed (a large API's models take a second to parse: done once)."""


def render_models(
    api: Api,
    schemas: tuple[NamedSchema, ...],
    header: str,
    diagnostics: Diagnostics,
    cache: Cache | None = None,
) -> Models:
    """The model classes of `schemas` (all of `api.schemas`, or those the operations use).
    `cache`: datamodel-code-generator's output by its input, so that a change that leaves every
    schema alone (an operation's, say) does not run it again."""
    with start_models(schemas, header, cache) as pending:
        return pending.result(api, diagnostics)


WORKER_MIN_SCHEMAS = 100
"""From this many schemas datamodel-code-generator runs in a worker process while the rest of
the package renders (measured: ~2.5 s for 300 schemas, 25-30 s for 3,400; starting the worker
and importing it there costs ~0.5 s, which the main process would spend importing it anyway)."""


class PendingModels:
    """datamodel-code-generator's run over `schemas`, started by `start_models`: answered
    from the cache, run by `result()` in this process, or already running in a worker process
    (a context manager: leaving it stops the worker)."""

    def __init__(self, schemas: tuple[NamedSchema, ...], header: str, cache: Cache | None) -> None:
        self.schemas, self.header = schemas, header
        self._cache, self._key = cache, ""
        self._source: str | None = None
        self._worker: BaseProcess | None = None
        self._answer: Connection | None = None
        if not schemas:
            return
        self._document = {
            "openapi": "3.1.0",
            "info": {"title": "models", "version": "0"},
            "paths": {},
            "components": {"schemas": _components(schemas)},
        }
        self._aliases = _aliases(schemas)
        if cache is not None:
            self._key = cache_key(
                f"{generator_fingerprint()} {tool_versions()}",
                json.dumps(self._document, ensure_ascii=False, default=repr),
                json.dumps(self._aliases, sort_keys=True),
                header,
            )
            self._source = cache.get("models", self._key)
        if self._source is None and len(schemas) >= WORKER_MIN_SCHEMAS:
            # forkserver: the worker starts small instead of copying this process's heap
            context = multiprocessing.get_context("forkserver")
            self._answer, answer = context.Pipe(duplex=False)
            args = (answer, self._document, self._aliases, header)
            self._worker = context.Process(target=_answer_from_worker, args=args, daemon=True)
            self._worker.start()
            answer.close()  # the worker's end: closed here so that its death reads as EOF

    def __enter__(self) -> PendingModels:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc_info: object) -> None:
        self._stop(kill=kind is not None)  # an error or Ctrl-C: do not wait for its answer

    def _stop(self, *, kill: bool = False) -> None:
        if self._worker is not None:
            if kill:
                self._worker.terminate()
            self._worker.join()
            self._worker = None
        if self._answer is not None:
            self._answer.close()
            self._answer = None

    def running(self) -> bool:
        """Whether a worker is still generating the models (it has not answered yet)."""
        return self._answer is not None and not self._answer.poll()

    def result(self, api: Api, diagnostics: Diagnostics) -> Models:
        """The models, checked against the IR; a failure is a diagnostic on `api`."""
        if not self.schemas:
            return Models(source=self.header + "\nfrom __future__ import annotations\n", classes=frozenset())
        source, failure = self._source, None
        if source is None:
            if self._answer is not None:
                source, failure = self._received(self._answer)
                self._stop()  # its memory goes before this process parses the output
            else:
                source, failure = _generate_or_fail(self._document, self._aliases, self.header)
            if source is not None and self._cache is not None:
                self._cache.put("models", self._key, source)
        if source is None:
            diagnostics.error(*(failure or ("models-failed", "no output")), api.origin)
            return Models(source=self.header, classes=frozenset())
        return _checked(source, self.schemas, diagnostics)

    def _received(self, answer: Connection) -> tuple[str | None, tuple[str, str] | None]:
        try:
            received: tuple[str | None, tuple[str, str] | None] = answer.recv()
        except EOFError:  # killed (out of memory, say) before it answered
            code = None
            if self._worker is not None:
                self._worker.join()
                code = self._worker.exitcode
            return None, ("models-failed", f"the datamodel-code-generator process ended ({code})")
        return received


def _answer_from_worker(
    answer: Connection, document: Mapping[str, Any], aliases: Mapping[str, str], header: str
) -> None:
    answer.send(_generate_or_fail(document, aliases, header))
    answer.close()


def start_models(schemas: tuple[NamedSchema, ...], header: str, cache: Cache | None) -> PendingModels:
    return PendingModels(schemas, header, cache)


def predicted_classes(schemas: Iterable[NamedSchema]) -> frozenset[str]:
    """The schemas datamodel-code-generator makes a model class (not a RootModel, alias or
    enum) of, without running it: what the rest of the package needs to know while it runs.
    The caller checks the guess against the output (exact on every corpus spec)."""
    return frozenset(s.name for s in schemas if _predicted_class(s.schema))


def _predicted_class(schema: Schema) -> bool:
    if any(not _constraint_only(m) for m in schema.any_of + schema.one_of):
        return False
    if schema.properties or len(schema.all_of) > 1:
        return True
    first = schema.all_of[0] if schema.all_of else None
    if isinstance(first, Schema):
        return bool(first.properties)
    return (
        first is None
        and schema.types == ("object",)
        and not isinstance(schema.additional, Schema | SchemaRef)
    )


def _checked(source: str, schemas: tuple[NamedSchema, ...], diagnostics: Diagnostics) -> Models:
    source = source.replace(
        f"from {_PLACEHOLDER}._runtime.model import", "from ._runtime.model import"
    )
    tree = ast.parse(source)
    repaired = _parametrise_bare_containers(source, tree)
    if repaired is not source:
        source, tree = repaired, ast.parse(repaired)
    classes, fields = _parse(tree)
    _verify(schemas, classes, fields, diagnostics)
    return Models(source=source, classes=frozenset(classes), tree=tree)


def _generate_or_fail(
    document: Mapping[str, Any], aliases: Mapping[str, str], header: str
) -> tuple[str | None, tuple[str, str] | None]:
    """(source, None), or (None, (code, message)) when datamodel-code-generator fails: run in a
    worker process too, so the failure travels as text, never as a third party's exception."""
    try:
        return _generate(document, aliases, header), None
    except Exception as exc:  # a third-party generator: any failure becomes a diagnostic
        return None, _failure(exc)


_BARE = {"list": "list[Any]", "dict": "dict[str, Any]"}


def _parametrise_bare_containers(source: str, tree: ast.Module | None = None) -> str:
    """datamodel-code-generator writes a bare `list` for some recursive schemas (an array of maps
    of itself: `RootModel[list]`, `root: list`); `list[Any]` is what that means to pydantic, and
    what mypy --strict accepts. Same for a bare `dict`. `tree`: `source` parsed, if at hand."""
    tree = tree if tree is not None else ast.parse(source)
    spots: list[tuple[int, int, int, str]] = []
    for node in ast.walk(tree):
        annotations: list[ast.expr] = []
        if isinstance(node, ast.AnnAssign):
            annotations.append(node.annotation)
        elif isinstance(node, ast.ClassDef):
            annotations.extend(b.slice for b in node.bases if isinstance(b, ast.Subscript))
        for annotation in annotations:
            spots.extend(_bare_containers(annotation))
    if not spots:
        return source
    lines = source.split("\n")
    for line, start, end, text in sorted(spots, reverse=True):
        lines[line - 1] = lines[line - 1][:start] + text + lines[line - 1][end:]
    first = next(i for i, text in enumerate(lines) if text.startswith(("from ", "import ")))
    if lines[first] == "from __future__ import annotations":
        first += 1
    return "\n".join([*lines[:first], "from typing import Any", *lines[first:]])


def _bare_containers(annotation: ast.expr) -> list[tuple[int, int, int, str]]:
    subscripted = {id(n.value) for n in ast.walk(annotation) if isinstance(n, ast.Subscript)}
    return [
        (n.lineno, n.col_offset, n.col_offset + len(n.id), _BARE[n.id])
        for n in ast.walk(annotation)
        if isinstance(n, ast.Name) and n.id in _BARE and id(n) not in subscripted
    ]


def _failure(exc: Exception) -> tuple[str, str]:
    """(code, message): `too-deep` when datamodel-code-generator ran out of recursion."""
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
    if isinstance(exc, RecursionError) or "too deep" in first.lower():
        return "too-deep", "the schemas nest too deeply for datamodel-code-generator to write the models"
    return "models-failed", f"datamodel-code-generator cannot write the models: {first}"


def _generate(document: Mapping[str, Any], aliases: Mapping[str, str], header: str) -> str:
    from datamodel_code_generator import generate
    from datamodel_code_generator._format_types import PythonVersion
    from datamodel_code_generator.enums import DataModelType, InputFileType
    from datamodel_code_generator.parser import LiteralType

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = generate(
            dict(document),
            input_file_type=InputFileType.OpenAPI,
            output_model_type=DataModelType.PydanticV2BaseModel,
            target_python_version=PythonVersion.PY_311,
            base_class=f"{_PLACEHOLDER}._runtime.model.BaseModel",
            snake_case_field=True,
            aliases=dict(aliases),
            formatters=[],
            custom_file_header=header.rstrip("\n"),
            disable_timestamp=True,
            collapse_root_models=True,
            enum_field_as_literal=LiteralType.All,
            use_schema_description=True,
            use_field_description=True,
            strict_nullable=True,
            use_double_quotes=True,
        )
    assert isinstance(result, str)
    return result


def _aliases(schemas: Iterable[NamedSchema]) -> dict[str, str]:
    aliases: dict[str, str] = {}
    for named in schemas:
        for prop in _class_properties(named.schema):
            if prop.py_name != prop.wire:
                aliases[f"{named.name}.{prop.wire}"] = prop.py_name
    return aliases


def _class_properties(schema: Schema) -> list[Any]:
    """Properties DCG puts on the class: own ones and those of inline `allOf` members."""
    props = list(schema.properties)
    for member in schema.all_of:
        if isinstance(member, Schema):
            props.extend(_class_properties(member))
    return props


def _components(schemas: tuple[NamedSchema, ...]) -> dict[str, Any]:
    """Every named schema for DCG; in a chain of pure aliases (`A: {$ref: B}`, `B: {$ref: C}`)
    each alias refers to the chain's end, since DCG's time grows fast with inheritance depth."""
    named = {s.name: s.schema for s in schemas}
    ends: dict[str, str] = {}
    result = {}
    for named_schema in schemas:
        schema = named_schema.schema
        if _is_alias(schema) and isinstance(schema.all_of[0], SchemaRef):
            end = _chain_end(schema.all_of[0].name, named, ends)
            schema = Schema(origin=schema.origin, all_of=(SchemaRef(name=end, origin=schema.origin),))
        result[named_schema.name] = _dcg_schema(schema, named)
    return result


def _chain_end(name: str, named: Mapping[str, Schema], ends: dict[str, str]) -> str:
    """The first schema from `name` on that is not a pure alias of another named schema."""
    path: list[str] = []
    current = name
    while current not in ends and current not in path and _is_alias(named.get(current)):
        target = named[current].all_of[0]
        if not isinstance(target, SchemaRef):
            break
        path.append(current)
        current = target.name
    end = ends.get(current, current)
    ends.update(dict.fromkeys(path, end))
    return end


def _is_alias(schema: Schema | None) -> bool:
    return (
        schema is not None
        and len(schema.all_of) == 1
        and schema == Schema(origin=schema.origin, all_of=schema.all_of)
    )


def _dcg_schema(node: SchemaNode | bool | None, named: Mapping[str, Schema] | None = None) -> Any:
    if isinstance(node, SchemaRef):
        return {"$ref": _REF + node.name}
    if node is None or isinstance(node, bool):
        return {}
    schema = node
    if schema.falsy:
        return {}
    out: dict[str, Any] = {}
    if schema.types:
        out["type"] = list(schema.types) if len(schema.types) > 1 else schema.types[0]
    if schema.format == "binary":
        out["format"] = "binary"
    if schema.description:
        # no trailing spaces, no tabs: DCG writes descriptions as attribute docstrings, which
        # black leaves as they are and ruff flags (W291, E101)
        text = "\n".join(line.rstrip().expandtabs() for line in schema.description.splitlines())
        out["description"] = escape_invisible(text)
    if schema.enum is not None:
        out["enum"] = list(schema.enum)
    if schema.has_const:
        out["const"] = schema.const
    if schema.items is not None:
        out["items"] = _dcg_schema(schema.items, named)
    redefined = _redefined_by_every_member(schema, named or {})
    properties = [p for p in schema.properties if p.wire not in redefined]
    if properties:
        out["properties"] = {p.wire: _dcg_schema(p.schema, named) for p in properties}
        required = [p.wire for p in properties if p.required]
        if required:
            out["required"] = required
    if isinstance(schema.additional, Schema | SchemaRef):
        out["additionalProperties"] = _dcg_schema(schema.additional, named)
    for key, members in (
        ("allOf", schema.all_of),
        ("anyOf", schema.any_of),
        ("oneOf", schema.one_of),
    ):
        kept = [m for m in members if key == "allOf" or not _constraint_only(m)]
        if kept:
            out[key] = [_dcg_schema(m, named) for m in kept]
    if schema.discriminator is not None and (schema.one_of or schema.any_of):
        out["discriminator"] = {
            "propertyName": schema.discriminator.property,
            **(
                {"mapping": {k: _REF + v for k, v in schema.discriminator.mapping}}
                if schema.discriminator.mapping
                else {}
            ),
        }
    return out


def _redefined_by_every_member(schema: Schema, named: Mapping[str, Schema]) -> frozenset[str]:
    """Properties that every `anyOf`/`oneOf` member defines again (`type: [A, B]` beside members
    with `type: [A]` and `type: [B]`). DCG makes each member a subclass carrying the outer
    definition, widening the member's own type (mypy rejects the override, and the value must
    satisfy both anyway): the members' definitions are the ones to keep."""
    members = [m for m in schema.any_of + schema.one_of if not _constraint_only(m)]
    if not members or not schema.properties:
        return frozenset()
    common: set[str] | None = None
    for member in members:
        target = named.get(member.name) if isinstance(member, SchemaRef) else member
        wires = {p.wire for p in target.properties} if target is not None else set()
        common = wires if common is None else common & wires
    return frozenset(common or ())


def _constraint_only(node: SchemaNode) -> bool:
    """A union member that only adds validation rules (`{required: [a]}`): no shape of its own."""
    if isinstance(node, SchemaRef):
        return False
    shape = (node.types, node.properties, node.items, node.enum, node.all_of, node.any_of, node.one_of)
    return not any(shape) and not node.has_const and not isinstance(node.additional, Schema | SchemaRef)


def _becomes_class(schema: Schema) -> bool:
    unions = [m for m in schema.any_of + schema.one_of if not _constraint_only(m)]
    return bool(schema.properties) and not unions


def _parse(tree: ast.Module) -> tuple[set[str], dict[str, set[str]]]:
    classes: set[str] = set()
    fields: dict[str, set[str]] = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        if any(re.match(r"RootModel\b|Enum\b", ast.unparse(base)) for base in node.bases):
            continue
        classes.add(node.name)
        fields[node.name] = {
            stmt.target.id
            for stmt in node.body
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)
        }
    return classes, fields


def _verify(
    schemas: Iterable[NamedSchema],
    classes: set[str],
    fields: Mapping[str, set[str]],
    diagnostics: Diagnostics,
) -> None:
    for named in schemas:
        if not _becomes_class(named.schema):
            continue
        if named.name not in classes:
            diagnostics.error(
                "model-missing",
                f"datamodel-code-generator did not produce the model class {named.name}",
                named.origin,
            )
            continue
        for prop in named.schema.properties:
            if prop.py_name not in fields[named.name]:
                diagnostics.error(
                    "model-missing",
                    f"model {named.name} has no field {prop.py_name} (for {prop.wire!r})",
                    prop.origin,
                )
