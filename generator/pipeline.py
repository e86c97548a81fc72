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


def analyse(
    target: Target, options: Options
) -> tuple[Workspace | None, Api | None, list[Diagnostic]]:
    """load + build; every problem found, located and sorted."""
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
        api = build_api(workspace, package=target.package, diagnostics=diagnostics)
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
    with fewer_collections():
        with _stage(progress, "load + build") as note:
            workspace, api, outcome.diagnostics = analyse(target, options)
            if api is not None:
                note(f"{len(api.operations)} operations, {len(api.schemas)} schemas")
        outcome.api = api
        if outcome.failed or workspace is None or api is None:
            return outcome
        with frozen():  # the spec and the IR live on to the end: no need to walk them again
            return _produce(outcome, workspace, api, options, check, progress)


def _produce(
    outcome: Outcome,
    workspace: Workspace,
    api: Api,
    options: Options,
    check: bool,
    progress: Progress,
) -> Outcome:
    """render + format, then compare (check) or write — unless the output is already current."""
    target = outcome.target
    documents = sources(workspace)
    inputs = inputs_hash(documents, target)
    previous = read_manifest(target.output)
    if previous is not None and not options.force and _is_current(target.output, previous, inputs):
        return _fast(outcome, previous, check, progress)
    render_diagnostics = Diagnostics()
    # `check --force` skips the fast path but still reads the caches: they are keyed by content
    render_options = replace(options, force=False) if check else options
    files = render_files(api, workspace, target, render_options, render_diagnostics, progress)
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
) -> dict[str, bytes]:
    """render + format: `{relative path: bytes}` of every managed file but the manifest."""
    from .format import Formatter
    from .render import RenderOptions, needs_black, render_package

    cache = Cache(options.cache_dir or default_cache_dir(), read=not options.force)
    render_options = RenderOptions(
        package=target.package,
        spec_name=target.spec.name,
        spec_sha256=spec_hash(sources(workspace)),
        templates=target.templates,
        cache=cache,
        models=target.models,
    )
    formatter = Formatter(cache, needs_black(render_options))
    with _stage(progress, "render") as note:
        # while datamodel-code-generator runs in its worker, the rest is formatted already
        texts = render_package(api, render_options, diagnostics, formatter.prefetch)
        note(f"{len(texts)} files")
    with _stage(progress, "format") as note:
        formatted = formatter.format(texts)
        note(
            f"{formatted.formatted} formatted, {formatted.cached} from cache, "
            f"{formatted.laid_out} already in black's layout"
        )
    return {path: text.encode("utf-8") for path, text in formatted.files.items()}


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
