"""IR named schemas → `models.py` source, by datamodel-code-generator (in this process for a small
API, in a worker process while the rest of the package renders for a large one, and in chunks
in two worker processes for the largest: see `modelchunks`).

We hand it a components-only document in which every class already has its final name and every
field its final Python name (`aliases`), with value constraints removed: models check types and
required fields; constraints are checked by the validators (requests always, responses with
`strict_responses`). String formats other than `binary` are plain `str`. Afterwards the output is
checked: every object schema the IR names must exist as a class with the fields the IR decided,
and is named after its schema even where datamodel-code-generator gave the name to a class it
made up (its model metadata says which class comes from which schema). A schema that is a copy
of an earlier one is handed over as a stand-in, its class copied afterwards; so is a schema a
chunk holds only because its own schemas name it (`modelcopies`).
If datamodel-code-generator fails (it recurses about five frames per level of a named schema),
that is a diagnostic (`too-deep` or `models-failed`), never a traceback.
"""

from __future__ import annotations

import ast
import functools
import json
import multiprocessing
import os
import re
import tempfile
import threading
import warnings
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from multiprocessing.synchronize import Event as EventType
from pathlib import Path
from typing import Any, TypeAlias

from ..cache import Cache, cache_key
from ..diagnostics import Diagnostics
from ..inputs import generator_fingerprint, tool_versions
from ..ir import Api, NamedSchema, Schema, SchemaNode, SchemaRef
from .literals import escape_invisible
from .modelchunks import (
    CHUNK_MIN_SCHEMAS,
    Chunk,
    Task,
    joined,
    kept,
    merged,
    module_text,
    numbered,
    renamed,
    tasks,
)
from .modelcopies import StandIns, plan, with_copies, with_stand_ins
from .modelsplit import Parsed, Piece, SplitModels, parsed, split_parsed

_PLACEHOLDER = "oagen_package_placeholder"
_BASE_MODULE = f"{_PLACEHOLDER}._runtime.model"
_REF = "#/components/schemas/"


@dataclass(frozen=True, slots=True)
class Models:
    source: str
    classes: frozenset[str]
    """Model classes (pydantic BaseModel subclasses), not RootModels."""
    parsed: Parsed | None = None
    """`source` as the split reads it (a large API's models take a second to parse: done once)."""
    fields: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Model class → its fields' Python names."""


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


MODEL_WORKERS = 2
"""At most this many datamodel-code-generator processes at once (each holds its chunk's whole
parse: ~105 MB for a chunk of `CHUNK_SCHEMAS`); fewer on fewer cores. The output does not
depend on it."""

_Answer: TypeAlias = "tuple[str | Chunk | None, tuple[str, str] | None]"


@dataclass(frozen=True, slots=True)
class _Job:
    """One run of datamodel-code-generator: over the whole document, or over a chunk's."""

    document: Mapping[str, Any]
    aliases: Mapping[str, str]
    header: str
    chunk: Task | None = None
    copies: Mapping[str, str] | None = None
    """Copy → original, of the copies whose classes this job writes (see `modelcopies`)."""


def _answer(job: _Job) -> _Answer:
    """(source or the chunk's statements, None), or (None, failure): run in a worker process
    too, so the failure travels as text, never as a third party's exception."""
    source, failure = _generate_or_fail(job.document, job.aliases, job.header, job.copies)
    if source is None or job.chunk is None:
        return source, failure
    try:
        source, tree = _repaired(source)
        chunk = kept(source, job.chunk, tree)
        return replace(chunk, pieces=tuple(_laid_out(chunk.pieces))), None
    except Exception as exc:  # output it cannot read: a diagnostic like any other failure
        return None, _failure(exc)


def _laid_out(pieces: Iterable[Piece]) -> list[Piece]:
    """`pieces`, each with its black layout (made where it has none). A chunk's are laid out
    in its worker, beside datamodel-code-generator: the format stage then has nothing to do on
    the models (GitHub's: ~0.6 s after the last chunk), and their split needs no parse of the
    merged module (~0.7 s); the few the merge renames are laid out again in this process."""
    from ..format import statement_layout

    return [
        p if p.layout is not None else replace(p, layout=statement_layout(p.text + "\n"))
        for p in pieces
    ]


class PendingModels:
    """datamodel-code-generator's runs over `schemas`, started by `start_models`: answered
    from the cache, run by `result()` in this process, or already running in worker processes
    (a context manager: leaving it stops the workers)."""

    def __init__(
        self,
        schemas: tuple[NamedSchema, ...],
        header: str,
        cache: Cache | None,
        workers: Workers | None = None,
    ) -> None:
        self.schemas, self.header = schemas, header
        self._cache, self._key = cache, ""
        self._source: str | None = None
        self._split: tuple[frozenset[str], dict[str, frozenset[str]], SplitModels] | None = None
        """From the cache: the model classes, their fields and the modules (see `split`)."""
        self._crew: Workers | None = None
        try:
            self._start(workers)
        except BaseException:
            for crew in (workers, self._crew):
                if crew is not None:
                    crew.stop(kill=True)
            self._crew = None
            raise
        if workers is not None and self._crew is not workers:  # not needed after all
            workers.stop(kill=True)

    def _start(self, workers: Workers | None) -> None:
        schemas, header, cache = self.schemas, self.header, self._cache
        if not schemas:
            return
        components = _components(schemas)
        self._aliases = _aliases(schemas)
        self._stand_ins = plan(components, self._aliases)
        self._document = {
            "openapi": "3.1.0",
            "info": {"title": "models", "version": "0"},
            "paths": {},
            "components": {"schemas": with_stand_ins(components, self._stand_ins.copies)},
        }
        if cache is not None:
            self._key = cache_key(
                f"{generator_fingerprint()} {tool_versions()}",
                json.dumps(self._document, ensure_ascii=False, default=repr),
                json.dumps(self._aliases, sort_keys=True),
                json.dumps(self._stand_ins.copies, sort_keys=True),
                json.dumps(sorted(self._stand_ins.opaque)),
                header,
            )
            self._split = _split_from(cache.get("models-split", self._split_key()))
            if self._split is None:
                self._source = cache.get("models", self._key)
        if self._split is None and self._source is None and len(schemas) >= WORKER_MIN_SCHEMAS:
            jobs = self._jobs()
            self._crew = workers or Workers(1)
            self._crew.run(jobs, min(os.cpu_count() or 1, MODEL_WORKERS, len(jobs)))

    def _jobs(self) -> list[_Job]:
        stand_ins, many = self._stand_ins, len(self.schemas) >= CHUNK_MIN_SCHEMAS
        chunks = tasks(self._document, stand_ins) if many else []
        if not chunks:
            return [_Job(self._document, self._aliases, self.header, None, stand_ins.copies)]
        return [
            _Job(task.document, self._aliases, self.header, task, _owned(stand_ins, task))
            for task in chunks
        ]

    def __enter__(self) -> PendingModels:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc_info: object) -> None:
        self._stop(kill=kind is not None)  # an error or Ctrl-C: do not wait for their answers

    def cancel(self) -> None:
        """Stop the workers without waiting for their answers (nothing if they answered)."""
        self._stop(kill=True)

    def _stop(self, *, kill: bool) -> None:
        if self._crew is not None:
            self._crew.stop(kill=kill)
            self._crew = None

    def running(self) -> bool:
        """Whether workers are still generating the models (not all have answered yet)."""
        return self._crew is not None and self._crew.running()

    def result(self, api: Api, diagnostics: Diagnostics) -> Models:
        """The models, checked against the IR; a failure is a diagnostic on `api`."""
        if not self.schemas:
            return Models(source=self.header + "\nfrom __future__ import annotations\n", classes=frozenset())
        source, failure = self._source, None
        if source is None and self._split is not None and self._cache is not None:
            source = self._cache.get("models", self._key)  # `split` took its modules instead
        if source is None:
            answers = self._answers()
            chunks = [made for made, _ in answers if isinstance(made, Chunk)]
            if chunks and len(chunks) == len(answers):
                return self._from_chunks(chunks, diagnostics)
            source, failure = self._joined(answers)
            if source is not None and self._cache is not None:
                self._cache.put("models", self._key, source)
        if source is None:
            diagnostics.error(*(failure or ("models-failed", "no output")), api.origin)
            return Models(source=self.header, classes=frozenset())
        return _checked(source, self.schemas, diagnostics)

    def _answers(self) -> list[_Answer]:
        if self._crew is None:
            return [_answer(job) for job in self._jobs()]
        answers = self._crew.answers()
        self._crew.stop()  # their memory goes before this process reads the output
        self._crew = None
        return answers

    def _from_chunks(self, chunks: list[Chunk], diagnostics: Diagnostics) -> Models:
        """The models from the chunks' statements as the workers read and laid them out: no
        parse of the merged module (GitHub's: ~0.5 s); the few statements the merge renames are
        read and laid out again here. The merged module is what the cache keeps."""
        names = frozenset(s.name for s in self.schemas)
        models = joined(chunks, names)
        source = module_text(self.header, models)
        if self._cache is not None:
            self._cache.put("models", self._key, source)
        imports = {name: _placed_import(line) for name, line in models.imports.items()}
        pieces = _laid_out(models.pieces)
        return _read(_placed(source), Parsed(imports, pieces), self.schemas, diagnostics)

    def split(self, api: Api, diagnostics: Diagnostics) -> tuple[frozenset[str], SplitModels]:
        """The model classes, and the models split into modules (`modelsplit`; each spec's
        named schema heads a module of its own), those whose statements all have their layout
        in black's layout. With a cache, both are kept beside the models' source: a run that
        leaves every schema alone (an operation edited) neither parses nor splits them again
        (GitHub's: ~1 s)."""
        if self._split is not None:
            classes, fields, split = self._split
            _verify(self.schemas, classes, fields, diagnostics)
            return classes, split
        made = self.result(api, diagnostics)
        if made.parsed is None:
            return made.classes, SplitModels(modules={}, exports={})
        from ..format import laid_out_module

        split = split_parsed(made.parsed, self.header, self._standalone(), laid_out_module)
        if self._cache is not None and self._key:
            self._cache.put("models-split", self._split_key(), _split_text(made, split))
        return made.classes, split

    def _standalone(self) -> list[str]:
        return [s.name for s in self.schemas if not s.hoisted]

    def _split_key(self) -> str:
        return cache_key(self._key, "split", json.dumps(self._standalone()))

    def _joined(self, answers: list[_Answer]) -> tuple[str | None, tuple[str, str] | None]:
        """The one module, or the first failure (in chunk order, whichever finished first)."""
        failure = next((f for _, f in answers if f is not None), None)
        if failure is not None:
            return None, failure
        made = [made for made, _ in answers]
        if len(made) == 1 and isinstance(made[0], str):
            return made[0], None
        chunks = [c for c in made if isinstance(c, Chunk)]
        names = frozenset(s.name for s in self.schemas)
        return merged(self.header, chunks, names), None


def _split_text(made: Models, split: SplitModels) -> str:
    return json.dumps(
        {
            "classes": sorted(made.classes),
            "fields": {name: sorted(names) for name, names in sorted(made.fields.items())},
            "modules": split.modules,
            "exports": split.exports,
            "laid_out": sorted(split.laid_out),
        },
        ensure_ascii=False,
    )


def _split_from(
    text: str | None,
) -> tuple[frozenset[str], dict[str, frozenset[str]], SplitModels] | None:
    """What `_split_text` wrote; None for no entry, or one that cannot be read (a miss)."""
    if text is None:
        return None
    try:
        found = json.loads(text)
        classes, fields = found["classes"], found["fields"]
        modules, exports, laid_out = found["modules"], found["exports"], found["laid_out"]
        shaped = (
            _strings(classes)
            and all(_strings(names) for names in fields.values())
            and set(classes) <= fields.keys()
            and _strings([*modules.values(), *exports.values()])
            and _strings(laid_out)
            and set(laid_out) <= modules.keys()
        )
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None
    if not shaped:
        return None
    split = SplitModels(modules=dict(modules), exports=dict(exports), laid_out=frozenset(laid_out))
    return frozenset(classes), {name: frozenset(names) for name, names in fields.items()}, split


def _strings(values: Any) -> bool:
    return isinstance(values, list) and all(isinstance(value, str) for value in values)


class Workers:
    """Worker processes for datamodel-code-generator's jobs. They start before the jobs are
    known (`Workers(count)`: for a large spec, while this process still loads and builds it,
    so that they have imported datamodel-code-generator by the time the schemas are ready);
    `run(jobs, count)` gives the jobs out, the next to whichever worker is free, from a thread
    of this process (it waits on the pipes, so it costs this process nothing). Workers that
    are never given a job are stopped by `stop`."""

    def __init__(self, count: int) -> None:
        self.workers: list[BaseProcess] = []
        self._pipes: list[Connection] = []
        self._answers: list[_Answer | None] = []
        self._ended: tuple[str, str] | None = None
        self._told = 0
        """Workers told there is no more (the others are stopped by `stop`)."""
        self._thread: threading.Thread | None = None
        self._spare: list[BaseProcess] = []
        """Workers `run` did not need (stopped there, joined by `stop`)."""
        self._events: list[EventType] = []
        """Each set by its worker once it has warmed up (the next one waits for it)."""
        self.add(count)

    def add(self, count: int) -> None:
        """Start `count` more workers (each warms up after the one before it)."""
        # forkserver: workers start small instead of copying this process's heap
        context = multiprocessing.get_context("forkserver")
        try:
            for _ in range(count):
                mine, theirs = context.Pipe()
                ready = context.Event()
                after = self._events[-1] if self._events else None
                self._events.append(ready)  # each lives here until the workers end: a worker
                # started by the forkserver finds it by name some time after `start` returns
                worker = context.Process(target=_serve, args=(theirs, after, ready), daemon=True)
                worker.start()
                theirs.close()  # the worker's end: closed here so that its death reads as EOF
                self.workers.append(worker)
                self._pipes.append(mine)
        except BaseException:
            self._terminate()
            raise

    def run(self, jobs: list[_Job], count: int) -> None:
        """Give out `jobs`, to `count` workers: more are started if need be, and those started
        early but not needed (a spec guessed to be chunked that is not: Stripe's) are stopped
        at once, warmed up or not, so as not to take a core from the models."""
        self.add(max(0, count - len(self.workers)))
        self._spare = self.workers[count:]
        for worker, pipe in zip(self._spare, self._pipes[count:], strict=True):
            worker.terminate()
            pipe.close()
        del self.workers[count:], self._pipes[count:]
        self._answers = [None] * len(jobs)
        self._thread = threading.Thread(target=self._hand_out, args=(jobs,), daemon=True)
        self._thread.start()

    def _hand_out(self, jobs: list[_Job]) -> None:
        try:
            self._serve_all(jobs)
        except BaseException as exc:  # a job that cannot travel (too deep to pickle), say
            message = f"the datamodel-code-generator processes stopped: {exc}"
            self._ended = ("models-failed", message)

    def _serve_all(self, jobs: list[_Job]) -> None:
        # the largest first, so that the last to finish are small (GitHub's chunks take 0.5 to
        # 1.3 s, about in proportion to their JSON): the workers end closer together
        todo = sorted(enumerate(jobs), key=lambda job: _size(job[1]))
        busy: dict[Connection, tuple[int, BaseProcess]] = {}
        workers = list(zip(self._pipes, self.workers, strict=True))
        while workers or busy:
            for pipe, worker in workers:
                try:
                    if todo:
                        index, job = todo.pop()
                        pipe.send(job)
                        busy[pipe] = (index, worker)
                    else:
                        pipe.send(None)  # no more: the worker ends
                        self._told += 1
                except OSError:  # it died before it was given the job
                    return self._died(worker)
            workers = []
            for ready in wait(list(busy)) if busy else ():
                pipe = next(p for p in busy if p is ready)
                index, worker = busy.pop(pipe)
                try:
                    self._answers[index] = pipe.recv()
                except (EOFError, OSError):  # killed (out of memory, say) before it answered
                    return self._died(worker)
                workers.append((pipe, worker))
        return None

    def _died(self, worker: BaseProcess) -> None:
        worker.join()
        message = f"the datamodel-code-generator process ended ({worker.exitcode})"
        self._ended = ("models-failed", message)

    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def answers(self) -> list[_Answer]:
        assert self._thread is not None, "answers() before run()"
        self._thread.join()
        if self._ended is not None:
            return [(None, self._ended)]
        return [answer or (None, ("models-failed", "no answer")) for answer in self._answers]

    def stop(self, *, kill: bool = False) -> None:
        if kill:
            self._terminate()
        if self._thread is not None:
            self._thread.join()
        if self._told < len(self.workers):  # one died or a job could not travel: the rest wait
            self._terminate()
        for worker in [*self._spare, *self.workers]:
            worker.join()
        for pipe in self._pipes:
            pipe.close()

    def _terminate(self) -> None:
        for worker in self.workers:
            worker.terminate()


def _size(job: _Job) -> int:
    return len(json.dumps(job.document, ensure_ascii=False, default=repr))


def _serve(pipe: Connection, after: EventType | None = None, ready: EventType | None = None) -> None:
    """A worker: answers jobs until told there are no more. It warms up once the worker
    started before it has (`after`; workers started together while the spec loads would take
    turns on the core that load leaves idle, and slow the load), then sets `ready`. (With
    `collector.in_worker` its collector would save ~3 % of datamodel-code-generator's time, but
    GitHub's two chunk workers would hold ~5 MB more each, at the moment the process tree
    peaks.)"""
    if after is not None:
        after.wait(_WARM_UP_WAIT)
    _warm_up()
    if ready is not None:
        ready.set()
    while (job := pipe.recv()) is not None:
        pipe.send(_answer(job))
    pipe.close()


_WARM_UP_WAIT = 5.0
"""Seconds a worker waits for the one before it to warm up (should that one have died)."""

_WARM_UP = {
    "openapi": "3.1.0",
    "info": {"title": "warm-up", "version": "0"},
    "paths": {},
    "components": {"schemas": {"A": {"type": "object", "properties": {"a": {"type": "string"}}}}},
}


def _warm_up() -> None:
    """datamodel-code-generator imports most of itself on its first run (~0.4 s): a worker
    makes a one-class document first, before its first job can have come; and imports black,
    which lays out the chunks' statements (`_laid_out`)."""
    _generate_or_fail(_WARM_UP, {}, "")
    from .. import format  # noqa: F401


def start_models(
    schemas: tuple[NamedSchema, ...],
    header: str,
    cache: Cache | None,
    workers: Workers | None = None,
) -> PendingModels:
    """The models of `schemas`, started; `workers` started earlier are used if workers are
    needed, else stopped."""
    return PendingModels(schemas, header, cache, workers)


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
    source, tree = _repaired(_placed(source))
    return _read(source, parsed(source, tree), schemas, diagnostics)


def _repaired(source: str) -> tuple[str, ast.Module]:
    """`source` with its bare containers parametrised (`_parametrise_bare_containers`), parsed."""
    tree = ast.parse(source)
    repaired = _parametrise_bare_containers(source, tree)
    return (source, tree) if repaired is source else (repaired, ast.parse(repaired))


def _placed(source: str) -> str:
    """The models' source with the runtime's base class imported from the package
    (datamodel-code-generator wrote a placeholder)."""
    return source.replace(f"from {_BASE_MODULE} import", "from ._runtime.model import")


def _placed_import(line: str) -> str:
    """`_placed` for a line of `Parsed.imports` (`module name`)."""
    module, name = line.split(" ", 1)
    return f"._runtime.model {name}" if module == _BASE_MODULE else line


def _read(
    source: str, models: Parsed, schemas: tuple[NamedSchema, ...], diagnostics: Diagnostics
) -> Models:
    """The models, their classes and fields checked against the IR."""
    fields = {p.defines[0]: frozenset(p.fields) for p in models.pieces if p.fields is not None}
    _verify(schemas, fields.keys(), fields, diagnostics)
    return Models(source=source, classes=frozenset(fields), parsed=models, fields=fields)


def _owned(stand_ins: StandIns, task: Task) -> dict[str, str]:
    """The copies a chunk keeps the classes of (it holds their originals)."""
    return {copy: stand_ins.copies[copy] for copy in task.owned if copy in stand_ins.copies}


def _generate_or_fail(
    document: Mapping[str, Any],
    aliases: Mapping[str, str],
    header: str,
    found: Mapping[str, str] | None = None,
) -> tuple[str | None, tuple[str, str] | None]:
    """(source, None), or (None, (code, message)) when datamodel-code-generator fails.
    `found`: copy → original, of the copies whose classes are to be copied."""
    try:
        source, classes = _generate(document, aliases, header)
        if found and _named_apart(classes, {*found, *found.values()}):
            # field aliases are scoped by the names datamodel-code-generator gives: a copy's
            # class written apart from its original's may not be the same text
            document, found = _written_out(document, found), None
            source, classes = _generate(document, aliases, header)
        scoped = _scoped(aliases, classes)
        if scoped is not aliases:  # rarely: a schema's class named apart, and it has aliases
            again, named = _generate(document, scoped, header)
            if named == classes:  # the same classes, each with its schema's aliases
                source = again
        source = _named_as_schemas(source, classes, document["components"]["schemas"].keys())
        return with_copies(source, found or {}), None
    except Exception as exc:  # a third-party generator: any failure becomes a diagnostic
        return None, _failure(exc)


def _named_apart(made: Sequence[tuple[str, str]], schemas: Collection[str]) -> bool:
    """Whether datamodel-code-generator named the class of one of `schemas` apart from it."""
    own = _own_classes(made)
    return any(own.get(schema) != schema for schema in schemas)


def _written_out(document: Mapping[str, Any], found: Mapping[str, str]) -> dict[str, Any]:
    """`document` with each copy's stand-in replaced by its original (the same schema)."""
    schemas = document["components"]["schemas"]
    written = {name: schemas[found[name]] if name in found else s for name, s in schemas.items()}
    return {**document, "components": {**document["components"], "schemas": written}}


_BARE = {"list": "list[Any]", "dict": "dict[str, Any]"}
_BARE_WORD = re.compile(r"\b(?:list|dict)\b(?!\[)")


def _parametrise_bare_containers(source: str, tree: ast.Module | None = None) -> str:
    """datamodel-code-generator writes a bare `list` for some recursive schemas (an array of maps
    of itself: `RootModel[list]`, `root: list`); `list[Any]` is what that means to pydantic, and
    what mypy --strict accepts. Same for a bare `dict`. `tree`: `source` parsed, if at hand."""
    tree = tree if tree is not None else ast.parse(source)
    lines = source.split("\n")
    spots: list[tuple[int, int, int, str]] = []
    for node in _statements(tree.body):
        annotations: list[ast.expr] = []
        if isinstance(node, ast.AnnAssign):
            annotations.append(node.annotation)
        elif isinstance(node, ast.ClassDef):
            annotations.extend(b.slice for b in node.bases if isinstance(b, ast.Subscript))
        for annotation in annotations:
            spanned = lines[annotation.lineno - 1 : annotation.end_lineno or annotation.lineno]
            if any(_BARE_WORD.search(line) for line in spanned):  # else: no bare list or dict
                spots.extend(_bare_containers(annotation))
    if not spots:
        return source
    for line, start, end, text in sorted(spots, reverse=True):
        lines[line - 1] = lines[line - 1][:start] + text + lines[line - 1][end:]
    first = next(i for i, text in enumerate(lines) if text.startswith(("from ", "import ")))
    if lines[first] == "from __future__ import annotations":
        first += 1
    return "\n".join([*lines[:first], "from typing import Any", *lines[first:]])


def _statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Every statement of `body` and of the blocks in it, but none of their expressions: an
    annotation or a class's bases are all `_parametrise_bare_containers` looks at, and walking
    every node of GitHub's models (`ast.walk`) took a second."""
    todo = list(reversed(body))
    while todo:
        node = todo.pop()
        yield node
        if isinstance(node, _SIMPLE):
            continue
        for block in ("cases", "handlers", "finalbody", "orelse", "body"):
            inner = getattr(node, block, None)
            if isinstance(inner, list):
                todo.extend(reversed(inner))


_SIMPLE = (ast.AnnAssign, ast.Assign, ast.Expr, ast.Import, ast.ImportFrom, ast.Pass)
"""Statements without blocks: most of what datamodel-code-generator writes."""


def _bare_containers(annotation: ast.expr) -> list[tuple[int, int, int, str]]:
    nodes = list(ast.walk(annotation))
    subscripted = {id(n.value) for n in nodes if isinstance(n, ast.Subscript)}
    return [
        (n.lineno, n.col_offset, n.col_offset + len(n.id), _BARE[n.id])
        for n in nodes
        if isinstance(n, ast.Name) and n.id in _BARE and id(n) not in subscripted
    ]


def _failure(exc: Exception) -> tuple[str, str]:
    """(code, message): `too-deep` when datamodel-code-generator ran out of recursion."""
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
    if isinstance(exc, RecursionError) or "too deep" in first.lower():
        return "too-deep", "the schemas nest too deeply for datamodel-code-generator to write the models"
    return "models-failed", f"datamodel-code-generator cannot write the models: {first}"


def _named_as_schemas(
    source: str, made: Sequence[tuple[str, str]], schemas: Collection[str]
) -> str:
    """`source` with each schema's class named after the schema, and no other class named after
    a schema. datamodel-code-generator may give a schema's name to a class it made up first (an
    inline `label` object becomes `Label`, and the `Label` schema `Label1` — or no class at all,
    when it is a root model it collapses): the made-up class then takes the next free number.
    `made`: (where from, class name) of every class, from datamodel-code-generator's metadata.
    Several classes may come from one schema (an `allOf` of a union and properties: the
    properties' class, a subclass for each member — one of them said to come from the schema
    itself — and the union, unless it collapses): the schema's class is then the one named
    after it, if any; a class is renamed only when it alone comes from its schema (renaming
    the first would make `Check: {allOf: [CheckUnion]}` an empty class, where the union is
    what the schema means; its classes keep their numbered names)."""
    own = _own_classes(made)
    renames = {name: schema for schema, name in own.items() if name != schema}
    classes = {name for _, name in made}
    names = classes | set(schemas)
    for name in sorted(classes - renames.keys()):
        if name in schemas and own.get(name) != name:  # a made-up class holds a schema's name
            free = numbered(name, names)
            names.add(free)
            renames[name] = free
    return renamed(source, renames) if renames else source


def _own_classes(made: Sequence[tuple[str, str]]) -> dict[str, str]:
    """Schema → its class, of those whose class is known (see `_named_as_schemas`)."""
    origins: dict[str, list[str]] = {}
    """Schema → the classes said to come from it."""
    for ref, name in made:
        schema = ref[len(_REF) :]
        if ref.startswith(_REF) and "/" not in schema:
            origins.setdefault(schema, []).append(name)
    return {
        schema: schema if schema in names else names[0]
        for schema, names in origins.items()
        if schema in names or len(names) == 1
    }


def _scoped(aliases: Mapping[str, str], made: Sequence[tuple[str, str]]) -> Mapping[str, str]:
    """`aliases` (`Schema.wire` → Python name) scoped by the names datamodel-code-generator gave
    the schemas' classes, which is how it reads them: where it named the `Label` schema's class
    `Label1` (a class it made up took `Label`), `Label.fooBar` becomes `Label1.fooBar`, and the
    made-up class gets none. `aliases` itself when no schema named apart has an alias other
    than the snake_case name datamodel-code-generator gives a field anyway (InfluxDB's
    `envReferences` → `env_references`: the same text, without running it again)."""
    from datamodel_code_generator.util import camel_to_snake

    own = _own_classes(made)
    owners = {key.split(".", 1)[0] for key in aliases}
    apart = {owner for owner in owners if own.get(owner, owner) != owner}
    if not any(
        python != camel_to_snake(key.split(".", 1)[1])
        for key, python in aliases.items()
        if key.split(".", 1)[0] in apart
    ):
        return aliases
    return {
        f"{own[owner]}.{wire}" if owner in apart else key: python
        for key, python in aliases.items()
        for owner, wire in [key.split(".", 1)]
    }


def _generate(
    document: Mapping[str, Any], aliases: Mapping[str, str], header: str
) -> tuple[str, list[tuple[str, str]]]:
    """The models' source and (where from, class name) of each class it defines, from
    datamodel-code-generator's model metadata (`#/components/schemas/Label`, `Label`)."""
    _lean_metadata()
    from datamodel_code_generator import generate
    from datamodel_code_generator._format_types import PythonVersion
    from datamodel_code_generator.enums import DataModelType, InputFileType
    from datamodel_code_generator.parser import LiteralType

    with warnings.catch_warnings(), tempfile.TemporaryDirectory(prefix="oagen-models-") as folder:
        warnings.simplefilter("ignore")
        metadata = Path(folder) / "models.json"
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
            emit_model_metadata=metadata,
        )
        found = json.loads(metadata.read_text(encoding="utf-8"))
    assert isinstance(result, str)
    return result, [(m["source_ref"], m["class_name"]) for m in found["models"]]


@functools.cache
def _lean_metadata() -> staticmethod[..., Any] | None:
    """datamodel-code-generator's model metadata without its fields' entries, of which
    `_generate` reads nothing: each writes the field's type hint again (GitHub's chunks: 11.5
    CPU-s instead of 12.2, three runs each). The pinned version builds a field's entry in
    `Parser._field_metadata` and uses it for the metadata alone, so the models do not change
    (tested); another version without it is left alone. Once per process; returns what it
    replaced."""
    from datamodel_code_generator.parser.base import Parser

    full = Parser.__dict__.get("_field_metadata")
    if not isinstance(full, staticmethod):
        return None
    setattr(Parser, "_field_metadata", staticmethod(_no_field_metadata))  # noqa: B010
    return full


def _no_field_metadata(field: object, *, is_root_model: bool = False) -> dict[str, Any]:
    return {}


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
        kept = [m for m in members if key == "allOf" or not _constraint_only(m)] if members else []
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
    if not schema.properties or not (schema.any_of or schema.one_of):
        return frozenset()
    members = [m for m in schema.any_of + schema.one_of if not _constraint_only(m)]
    if not members:
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


def _verify(
    schemas: Iterable[NamedSchema],
    classes: Collection[str],
    fields: Mapping[str, Collection[str]],
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
