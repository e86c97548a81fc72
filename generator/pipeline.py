"""The pipeline, end to end: load → build → render → format → write (or compare).

Pure orchestration; no terminal output (the CLI reports what this returns).
"""

from __future__ import annotations

import difflib
import hashlib
import os
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from . import __version__
from .build import build_api
from .config import Target
from .diagnostics import Diagnostic, Diagnostics, Origin, Severity, SpecError, sorted_located
from .format import format_files
from .ir import Api
from .load import LoadOptions, Workspace, load_workspace
from .render import RenderOptions, render_package
from .render.env import template_files
from .write import MANIFEST, Manifest, WriteResult, locked, read_manifest, sha256, write_output

PINNED = ("datamodel-code-generator", "black", "jinja2", "pyyaml", "hypothesis")


@dataclass(slots=True)
class Outcome:
    target: Target
    diagnostics: list[Diagnostic] = field(default_factory=list)
    api: Api | None = None
    written: WriteResult | None = None
    drift: list[str] = field(default_factory=list)
    fast_path: bool = False

    @property
    def failed(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.diagnostics)


@dataclass(frozen=True, slots=True, kw_only=True)
class Options:
    strict: bool = False
    force: bool = False
    allow_remote_hosts: frozenset[str] = frozenset()
    cache_dir: Path | None = None


def display_path(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def analyse(
    target: Target, options: Options
) -> tuple[Workspace | None, Api | None, list[Diagnostic]]:
    """load + build; every problem found, located and sorted."""
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
    locate = workspace.locate if workspace is not None else (lambda origin: None)
    return workspace, api, sorted_located(items, locate)


def generate(target: Target, options: Options, *, check: bool = False) -> Outcome:
    outcome = Outcome(target=target)
    if not check and not options.force and _fast_path_current(target):
        outcome.fast_path = True
        outcome.written = WriteResult(written=(), removed=(), unchanged=("*",))
        return outcome
    workspace, api, diagnostics = analyse(target, options)
    outcome.diagnostics, outcome.api = diagnostics, api
    if outcome.failed or workspace is None or api is None:
        return outcome
    inputs = inputs_hash(sources(workspace), target)
    if check and _manifest_current(target.output, inputs):
        outcome.fast_path = True
        return outcome
    render_diagnostics = Diagnostics()
    files = render_files(api, workspace, target, options, render_diagnostics)
    if render_diagnostics.has_errors:
        outcome.diagnostics += sorted_located(render_diagnostics, workspace.locate)
        return outcome
    manifest = Manifest(
        generator=f"oagen {__version__}",
        spec=target.spec.name,
        inputs=inputs,
        sources=tuple(rel for rel, _ in sources(workspace)),
        files={path: sha256(data) for path, data in files.items()},
    )
    if check:
        outcome.drift = drift(target.output, files, manifest)
    else:
        with locked(target.output):
            outcome.written = write_output(target.output, files, manifest)
    return outcome


def render_files(
    api: Api, workspace: Workspace, target: Target, options: Options, diagnostics: Diagnostics
) -> dict[str, bytes]:
    render_options = RenderOptions(
        package=target.package,
        spec_name=target.spec.name,
        spec_sha256=spec_hash(workspace),
        templates=target.templates,
    )
    texts = render_package(api, render_options, diagnostics)
    formatted = format_files(texts, options.cache_dir or default_cache_dir())
    return {path: text.encode("utf-8") for path, text in formatted.items()}


def sources(workspace: Workspace) -> list[tuple[str, bytes]]:
    """The spec documents, as paths relative to the root spec's folder, with their bytes."""
    result = []
    for key, document in sorted(workspace.documents.items()):
        rel = (
            os.path.relpath(key, workspace.root_dir)
            if not key.startswith(("http:", "https:"))
            else key
        )
        result.append((Path(rel).as_posix(), document.text.encode("utf-8")))
    return result


def spec_hash(workspace: Workspace) -> str:
    digest = hashlib.sha256()
    for _, data in sources(workspace):
        digest.update(data)
    return digest.hexdigest()


def inputs_hash(documents: list[tuple[str, bytes]], target: Target) -> str:
    """Everything that shapes the output: specs, options, templates, tool versions."""
    digest = hashlib.sha256()
    digest.update(
        f"oagen {__version__}\npackage {target.package}\nspec {target.spec.name}\n".encode()
    )
    for name in PINNED:
        digest.update(f"{name} {_version(name)}\n".encode())
    for rel, data in documents:
        digest.update(f"document {rel} {sha256(data)}\n".encode())
    for path, data in template_files(target.templates).items():
        digest.update(f"template {path} {sha256(data)}\n".encode())
    return "sha256:" + digest.hexdigest()


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


def _manifest_current(output: Path, inputs: str) -> bool:
    manifest = read_manifest(output)
    if manifest is None or manifest.inputs != inputs:
        return False
    return _files_match(output, manifest)


def _fast_path_current(target: Target) -> bool:
    """Without loading or rendering: the inputs hash and every file hash still match."""
    manifest = read_manifest(target.output)
    if manifest is None or not manifest.sources:
        return False
    folder = target.spec.resolve().parent
    documents = []
    for rel in manifest.sources:
        if rel.startswith("/") or ".." in Path(rel).parts:
            return False
        path = folder / rel
        try:
            documents.append((rel, path.read_text(encoding="utf-8").encode("utf-8")))
        except (OSError, UnicodeDecodeError):
            return False
    return manifest.inputs == inputs_hash(documents, target) and _files_match(
        target.output, manifest
    )


def _files_match(output: Path, manifest: Manifest) -> bool:
    for path, digest in manifest.files.items():
        target = output / path
        if target.is_symlink() or not target.is_file() or sha256(target.read_bytes()) != digest:
            return False
    return True


def drift(output: Path, files: dict[str, bytes], manifest: Manifest) -> list[str]:
    """Human-readable report of every managed file that differs from what would be written."""
    previous = read_manifest(output)
    expected = dict(files)
    expected[MANIFEST] = manifest.to_json().encode()
    report: list[str] = []
    for path in sorted(expected):
        target = output / path
        if not target.is_file():
            report.append(f"{display_path(target)}: missing")
            continue
        current = target.read_bytes()
        if current == expected[path]:
            continue
        edited = (
            previous is not None
            and path in previous.files
            and sha256(current) != previous.files[path]
        )
        report.append(f"{display_path(target)}: {'hand-edited' if edited else 'stale'}")
        report.extend(_diff(path, current, expected[path]))
    if previous is not None:
        for path in sorted(set(previous.files) - set(expected)):
            if (output / path).exists():
                report.append(f"{display_path(output / path)}: no longer generated (extra)")
    return report


def _diff(path: str, current: bytes, expected: bytes, limit: int = 40) -> list[str]:
    lines = list(
        difflib.unified_diff(
            current.decode("utf-8", "replace").splitlines(),
            expected.decode("utf-8", "replace").splitlines(),
            f"{path} (committed)",
            f"{path} (generated now)",
            lineterm="",
            n=1,
        )
    )
    if len(lines) > limit:
        lines = [*lines[:limit], f"... ({len(lines) - limit} more diff lines)"]
    return ["    " + line for line in lines]


def default_cache_dir() -> Path:
    base = os.environ.get("OAGEN_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "oagen"
    )
    return Path(base)


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
