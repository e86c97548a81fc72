"""The pipeline, end to end: load → build → render → format → write (or compare).

Pure orchestration; no terminal output (the CLI reports what this returns, and what it passes
to `progress`). Light to import: the stages (Jinja2, black, datamodel-code-generator) are
imported only when a target has to be rendered, so that the no-op fast path — the manifest's
inputs hash and every managed file's hash still match — answers in a fraction of a second.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .cache import Cache, default_cache_dir
from .collector import fewer_collections, frozen
from .config import Target
from .diagnostics import Diagnostic, Diagnostics, Origin, Severity, SpecError, sorted_located
from .drift import Drift, drift, files_match
from .inputs import inputs_hash, recorded_sources, sources, spec_hash
from .write import (
    Manifest,
    WriteError,
    WriteResult,
    has_leftovers,
    locked,
    read_manifest,
    recover,
    sha256,
    write_output,
)

if TYPE_CHECKING:
    from .ir import Api
    from .load import Workspace
    from .render import RenderOptions, Workers
    from .render.models import PendingModels

Progress = Callable[[str], None]
"""Receives one human-readable line per stage (e.g. `format: 3 files, 27 cached (0.81 s)`)."""


def _silent(message: str) -> None:
    return None


@dataclass(frozen=True, slots=True, kw_only=True)
class Options:
    strict: bool = False
    force: bool = False
    """Skip the fast path; `generate` also skips every cache read and writes every file afresh."""
    allow_remote_hosts: frozenset[str] = frozenset()
    cache_dir: Path | None = None
    """Default: `default_cache_dir()` ($OAGEN_CACHE_DIR, else ~/.cache/oagen)."""


@dataclass(slots=True)
class Outcome:
    target: Target
    diagnostics: list[Diagnostic] = field(default_factory=list)
    api: Api | None = None
    written: WriteResult | None = None
    drift: list[Drift] = field(default_factory=list)
    fast_path: bool = False
    """Nothing was rendered: the manifest proved the output current."""
    skipped: int = 0
    """Managed files not rendered at all (fast path)."""

    @property
    def failed(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.diagnostics)


def display_path(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


Built = Callable[["Workspace", "Api", Diagnostics], None]
"""Called with the IR as soon as it is built, before its values are checked."""


def analyse(
    target: Target,
    options: Options,
    built: Built | None = None,
    loaded: Callable[[Workspace], None] | None = None,
) -> tuple[Workspace | None, Api | None, list[Diagnostic]]:
    """load + build; every problem found, located and sorted. `loaded(workspace)` is called
    as soon as the spec is loaded, `built` as soon as the IR is built."""
    from .build import build_api
    from .load import LoadOptions, load_workspace

    diagnostics = Diagnostics()
    workspace: Workspace | None = None
    api: Api | None = None
    try:
        workspace = load_workspace(
            target.spec,
            LoadOptions(allow_remote_hosts=options.allow_remote_hosts),
            display=display_path(target.spec),
        )
        if loaded is not None:
            loaded(workspace)
        found = workspace
        api = build_api(
            workspace,
            package=target.package,
            diagnostics=diagnostics,
            built=None if built is None else lambda api: built(found, api, diagnostics),
        )
    except SpecError as exc:
        diagnostics.extend(exc.diagnostics)
    except RecursionError:
        diagnostics.error("too-deep", "the spec nests too deeply to process", _origin(target))
    items = list(diagnostics)
    if options.strict:
        items = [_as_error(d) for d in items]
    locate = workspace.locate_all if workspace is not None else (lambda found: [None] * len(found))
    return workspace, api, sorted_located(items, locate)


def generate(
    target: Target, options: Options, *, check: bool = False, progress: Progress = _silent
) -> Outcome:
    """Generate `target` (or with `check`, compare it with its output folder; never write)."""
    outcome = Outcome(target=target)
    if not options.force and not (check and options.strict):
        current = current_manifest(target)
        if current is not None:
            return _fast(outcome, current, check, progress)
    with fewer_collections(), _EarlyModels(target, _rendering(options, check)) as early:
        with _stage(progress, "load + build") as note:
            workspace, api, outcome.diagnostics = analyse(
                target, options, early.built, early.loaded
            )
            if api is not None:
                note(f"{len(api.operations)} operations, {len(api.schemas)} schemas")
        outcome.api = api
        if outcome.failed or workspace is None or api is None:
            return outcome
        with frozen():  # the spec and the IR live on to the end: no need to walk them again
            return _produce(outcome, workspace, api, options, check, progress, early.pending)


PRESTART_BYTES = 512 * 1024
"""From this size of the spec's file on, datamodel-code-generator's first worker process starts
before the spec loads (such specs have the hundred schemas or more that `WORKER_MIN_SCHEMAS`
sends to a worker): it imports datamodel-code-generator on the core that load + build leave
idle, ~0.75 s off the critical path. Output never depends on it."""


class _EarlyModels:
    """The models started early for a large spec: a worker before the spec loads, the jobs as
    soon as the IR is built (before the value checks, locating the warnings and the inputs
    hash); whatever render does not take is stopped on the way out."""

    def __init__(self, target: Target, options: Options) -> None:
        self._target, self._options = target, options
        self.pending: PendingModels | None = None
        self._workers: Workers | None = None
        try:
            large = target.spec.stat().st_size >= PRESTART_BYTES
        except OSError:  # reported by load
            large = False
        if large:
            from .render import Workers

            self._workers = Workers(1)

    def loaded(self, workspace: Workspace) -> None:
        """The spec is loaded: when its models are likely to be made in chunks, the other
        workers start too, to warm up on the core that build leaves idle rather than beside the
        first chunks (~0.4 s of CPU each). Likely: as many objects with `properties` as the
        chunks need schemas (each becomes a named schema, hoisted if inline: GitHub's 3,416
        give 3,429 schemas, Kubernetes' 535 give 547). A wrong guess costs that idle core."""
        from .render.modelchunks import CHUNK_MIN_SCHEMAS
        from .render.models import MODEL_WORKERS

        text = workspace.root.text
        objects = text.count('"properties"') + text.count("properties:")
        more = min(os.cpu_count() or 1, MODEL_WORKERS) - 1
        if self._workers is not None and objects >= CHUNK_MIN_SCHEMAS and more > 0:
            self._workers.add(more)

    def built(self, workspace: Workspace, api: Api, diagnostics: Diagnostics) -> None:
        if diagnostics.has_errors or (self._options.strict and len(diagnostics)):
            return  # it fails: no models needed
        from .render import start_package_models

        options = _render_options(self._target, workspace, self._options)
        self.pending = start_package_models(api, options, self._workers)
        self._workers = None

    def __enter__(self) -> _EarlyModels:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.pending is not None:  # render took them unless it never ran: do not wait
            self.pending.cancel()
        if self._workers is not None:
            self._workers.stop(kill=True)


def _rendering(options: Options, check: bool) -> Options:
    """`check --force` skips the fast path but still reads the caches: they are keyed by content."""
    return replace(options, force=False) if check else options


def _produce(
    outcome: Outcome,
    workspace: Workspace,
    api: Api,
    options: Options,
    check: bool,
    progress: Progress,
    models: PendingModels | None = None,
) -> Outcome:
    """render + format, then compare (check) or write — unless the output is already current."""
    target = outcome.target
    documents = sources(workspace)
    inputs = inputs_hash(documents, target)
    previous = read_manifest(target.output)
    if previous is not None and not options.force and _is_current(target.output, previous, inputs):
        return _fast(outcome, previous, check, progress)
    render_diagnostics = Diagnostics()
    files = render_files(
        api, workspace, target, _rendering(options, check), render_diagnostics, progress, models
    )
    if render_diagnostics.has_errors:
        outcome.diagnostics += sorted_located(render_diagnostics, workspace.locate_all)
        return outcome
    manifest = _manifest(target, inputs, documents, files)
    if check:
        with _stage(progress, "compare"):
            outcome.drift = drift(target.output, files, manifest)
        return outcome
    with _stage(progress, "write") as note, locked(target.output):
        outcome.written = write_output(target.output, files, manifest, force=options.force)
        note(f"{len(outcome.written.written)} written, {len(outcome.written.unchanged)} unchanged")
    return outcome


def current_manifest(target: Target) -> Manifest | None:
    """The output's manifest if it proves, without loading the spec, that nothing changed."""
    manifest = read_manifest(target.output)
    if manifest is None:
        return None
    documents = recorded_sources(target, manifest)
    if documents is None or inputs_hash(documents, target) != manifest.inputs:
        return None
    return manifest if files_match(target.output, manifest) else None


def render_files(
    api: Api,
    workspace: Workspace,
    target: Target,
    options: Options,
    diagnostics: Diagnostics,
    progress: Progress = _silent,
    models: PendingModels | None = None,
) -> dict[str, bytes]:
    """render + format: `{relative path: bytes}` of every managed file but the manifest.
    `models`: the package's models, if they were started already (`_EarlyModels`)."""
    from .format import Formatter
    from .render import needs_black, render_package

    render_options = _render_options(target, workspace, options)
    assert render_options.cache is not None
    formatter = Formatter(render_options.cache, needs_black(render_options))
    with _stage(progress, "render") as note:
        # while datamodel-code-generator runs in its worker, the rest is formatted already
        texts = render_package(
            api, render_options, diagnostics, formatter.prefetch, models, formatter.laid_out
        )
        note(f"{len(texts)} files")
    with _stage(progress, "format") as note:
        formatted = formatter.format(texts)
        note(
            f"{formatted.formatted} formatted, {formatted.cached} from cache, "
            f"{formatted.laid_out} already in black's layout"
        )
    return {path: text.encode("utf-8") for path, text in formatted.files.items()}


def _render_options(target: Target, workspace: Workspace, options: Options) -> RenderOptions:
    from .render import RenderOptions

    return RenderOptions(
        package=target.package,
        spec_name=target.spec.name,
        spec_sha256=spec_hash(sources(workspace)),
        templates=target.templates,
        cache=Cache(options.cache_dir or default_cache_dir(), read=not options.force),
        models=target.models,
    )


def _manifest(
    target: Target, inputs: str, documents: list[tuple[str, bytes]], files: dict[str, bytes]
) -> Manifest:
    return Manifest(
        generator=f"oagen {__version__}",
        spec=target.spec.name,
        spec_sha256=spec_hash(documents),
        inputs=inputs,
        sources=tuple(rel for rel, _ in documents),
        files={path: sha256(data) for path, data in files.items()},
    )


def _fast(outcome: Outcome, manifest: Manifest, check: bool, progress: Progress) -> Outcome:
    outcome.fast_path = True
    outcome.skipped = len(manifest.files) + 1
    progress("up to date: inputs and files match the manifest; nothing rendered")
    if not check and has_leftovers(outcome.target.output):
        _clean_leftovers(outcome.target.output)
    return outcome


def _clean_leftovers(output: Path) -> None:
    """What a killed run left beside the output; skipped while another run holds the lock."""
    try:
        with locked(output):
            recover(Path(os.path.abspath(output)))
    except WriteError:
        pass


def _is_current(output: Path, manifest: Manifest, inputs: str) -> bool:
    return manifest.inputs == inputs and files_match(output, manifest)


@contextmanager
def _stage(progress: Progress, name: str) -> Iterator[Callable[[str], None]]:
    """Time a stage and report `name: details (seconds)` when it ends."""
    details: list[str] = []
    started = time.perf_counter()
    yield details.append
    extra = f"{', '.join(details)} " if details else ""
    progress(f"{name}: {extra}({time.perf_counter() - started:.2f} s)")


def _as_error(diagnostic: Diagnostic) -> Diagnostic:
    if diagnostic.severity is not Severity.WARNING:
        return diagnostic
    return Diagnostic(
        code=diagnostic.code,
        severity=Severity.ERROR,
        message=diagnostic.message,
        origin=diagnostic.origin,
        line=diagnostic.line,
        column=diagnostic.column,
    )


def _origin(target: Target) -> Origin:
    return Origin(file=display_path(target.spec))


__all__ = ["Options", "Outcome", "analyse", "default_cache_dir", "generate", "render_files"]
