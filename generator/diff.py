"""`oagen diff OLD NEW`: how a spec change affects the generated client — breaking or not.

Input: two `ir.Api` (built with the same package name, so names are comparable). Output: a list
of `Change`s. Operations are matched by what callers write, `client.<group>.<method>`; one that
is gone but whose method and path live on under another name is reported as renamed. Schemas
are compared by diffschema.py, as requests (parameters, bodies) or responses.

Breaking: an operation removed or renamed, its path or method changed, a parameter removed,
made required or added as required (body fields alike), a type changed, an enum value removed
from a request or added to a response without an open fallback, a pattern, format or range
narrowed, a response field removed or made optional, the security requirements changed, the
return shape changed (body, pagination). Everything else is reported as non-breaking.

`committed_spec` reads a spec (and the files next to it that it may reference) from a git
revision into a temporary folder, for `--against REF`.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path, PurePosixPath

from .diagnostics import Origin
from .diffschema import Change, Direction, Report, SchemaDiff
from .ir import Api, NamedSchema, Operation, ParamLocation, SecurityRequirement, SecurityScheme

__all__ = ["Change", "DiffError", "committed_spec", "compare", "render_human", "render_json"]

SPEC_SUFFIXES = (".yaml", ".yml", ".json")


class DiffError(Exception):
    """The comparison could not be made (exit 2)."""


class _Collector:
    """Collects Changes for one operation (or the API), with its label filled in."""

    def __init__(self, changes: list[Change], op: Operation | None) -> None:
        self.changes, self.op = changes, op

    def __call__(
        self, breaking: bool, code: str, at: str, message: str, origin: Origin | None = None
    ) -> None:
        op = self.op
        self.changes.append(
            Change(
                breaking=breaking,
                code=code,
                message=message,
                at=at,
                origin=origin or (op.origin if op else None),
                operation=f"{op.group}.{op.name}" if op else "",
                method=op.method if op else "",
                path=op.path if op else "",
            )
        )


def compare(old: Api, new: Api) -> list[Change]:
    """Every change between two versions of an API, breaking ones first."""
    changes: list[Change] = []
    api = _Collector(changes, None)
    _security(api, "", old, new, old.security, new.security)
    _servers(api, old, new)
    _models(api, old, new)
    _operations(changes, old, new)
    return sorted(changes, key=lambda c: (not c.breaking, c.operation, c.at, c.code))


# --- operations ------------------------------------------------------------------------------


def _by_call(api: Api) -> dict[str, Operation]:
    """`group.method` → the operation, its `group` set to the client attribute (`sender_pools`)."""
    return {
        f"{group.name}.{op.name}": replace(op, group=group.name)
        for group in api.groups
        for op in group.operations
    }


def _operations(changes: list[Change], old: Api, new: Api) -> None:
    old_ops, new_ops = _by_call(old), _by_call(new)
    old_routes = {(op.method, op.path) for op in old_ops.values()}
    by_route = {(op.method, op.path): key for key, op in new_ops.items()}
    for key in sorted(old_ops.keys() - new_ops.keys()):
        op = old_ops[key]
        moved = by_route.get((op.method, op.path))
        report = _Collector(changes, op)
        if moved is not None and moved not in old_ops:
            report(True, "operation-renamed", "", f"now client.{moved}(…)")
        else:
            report(True, "operation-removed", "", "operation removed")
    for key in sorted(new_ops.keys() - old_ops.keys()):
        if (new_ops[key].method, new_ops[key].path) not in old_routes:
            _Collector(changes, new_ops[key])(False, "operation-added", "", "new operation")
    schemas = SchemaDiff(_names(old), _names(new), _Collector(changes, None))
    for key in sorted(old_ops.keys() & new_ops.keys()):
        schemas.report = _Collector(changes, new_ops[key])
        _operation(schemas, old, new, old_ops[key], new_ops[key])


def _operation(schemas: SchemaDiff, old_api: Api, new_api: Api, old: Operation, new: Operation) -> None:
    report = schemas.report
    if (old.method, old.path) != (new.method, new.path):
        report(True, "route-changed", "", f"{old.method} {old.path} → {new.method} {new.path}")
    if new.deprecated and not old.deprecated:
        report(False, "operation-deprecated", "", "operation deprecated")
    _parameters(report, schemas, old, new)
    _body(report, schemas, old, new)
    _responses(report, schemas, old, new)
    if old.security is not None or new.security is not None:
        old_req = old.security if old.security is not None else old_api.security
        new_req = new.security if new.security is not None else new_api.security
        _security(report, "security", old_api, new_api, old_req, new_req)


def _names(api: Api) -> dict[str, NamedSchema]:
    return {s.name: s for s in api.schemas}


def _parameters(report: Report, schemas: SchemaDiff, old: Operation, new: Operation) -> None:
    before = {p.py_name: p for p in old.parameters}
    after = {p.py_name: p for p in new.parameters}
    for name in sorted(before.keys() - after.keys()):
        report(True, "parameter-removed", f"parameter {name}", "parameter removed")
    for name in sorted(after.keys() - before.keys()):
        required = after[name].required
        code = "parameter-added-required" if required else "parameter-added"
        text = "new required parameter" if required else "new optional parameter"
        report(required, code, f"parameter {name}", text, after[name].origin)
    for name in sorted(before.keys() & after.keys()):
        a, b = before[name], after[name]
        at = f"parameter {name}"
        if a.required != b.required:
            text = "made required" if b.required else "made optional"
            report(b.required, "parameter-" + text.replace(" ", "-"), at, text, b.origin)
        if a.location != b.location:
            positional = ParamLocation.PATH in (a.location, b.location)
            text = f"moved from {a.location.value} to {b.location.value}"
            report(positional, "parameter-moved", at, text, b.origin)
        schemas.compare(a.schema, b.schema, at, Direction.REQUEST)
    old_path = [p.py_name for p in old.parameters if p.location is ParamLocation.PATH]
    new_path = [p.py_name for p in new.parameters if p.location is ParamLocation.PATH]
    if set(old_path) == set(new_path) and old_path != new_path:
        report(True, "path-parameters-reordered", "", f"positional order {old_path} → {new_path}")


def _body(report: Report, schemas: SchemaDiff, old: Operation, new: Operation) -> None:
    a, b = old.body, new.body
    if a is None and b is None:
        return
    if a is None or b is None:
        added = a is None
        breaking = not added or (b is not None and b.required)
        text = "request body added" if added else "request body removed"
        report(breaking, "body-added" if added else "body-removed", "body", text)
        return
    if a.required != b.required:
        what = "made required" if b.required else "made optional"
        report(b.required, "body-" + what.replace(" ", "-"), "body", what)
    if a.content_type != b.content_type:
        report(False, "body-content-type-changed", "body", f"{a.content_type} → {b.content_type}")
    if (a.fields is None) != (b.fields is None):
        report(True, "body-shape-changed", "body", "keyword arguments ↔ a single `body` argument")
        return
    schemas.compare(a.schema, b.schema, "body", Direction.REQUEST)


def _responses(report: Report, schemas: SchemaDiff, old: Operation, new: Operation) -> None:
    a = next(iter(old.success), None)
    b = next(iter(new.success), None)
    if a is not None and b is not None:
        if a.kind != b.kind:
            report(True, "response-type-changed", "response", f"{a.kind.value} → {b.kind.value}")
        else:
            schemas.compare(a.schema, b.schema, "response", Direction.RESPONSE)
        gone = {h.py_name for h in a.headers} - {h.py_name for h in b.headers}
        for name in sorted(gone):
            report(True, "response-header-removed", f"response header {name}", "no longer documented")
    elif a is not None or b is not None:
        report(True, "response-type-changed", "response", "success response added or removed")
    if (old.pagination is None) != (new.pagination is None):
        report(True, "pagination-changed", "", "now paginated" if new.pagination else "no longer paginated")
    if old.long_running is not None and new.long_running is None:
        report(True, "long-running-removed", "", f"{old.long_running.wait_name}(…) removed")
    elif old.long_running is None and new.long_running is not None:
        report(False, "long-running-added", "", f"new {new.long_running.wait_name}(…)")


# --- API-wide --------------------------------------------------------------------------------


def _security(
    report: Report,
    at: str,
    old_api: Api,
    new_api: Api,
    old: Sequence[SecurityRequirement],
    new: Sequence[SecurityRequirement],
) -> None:
    before = {_requirement(old_api, r) for r in old}
    after = {_requirement(new_api, r) for r in new}
    if before == after:
        return
    lost = before - after
    text = "a credential set that worked before no longer does" if lost else "new credential options"
    report(bool(lost), "security-changed", at, text)


def _requirement(api: Api, requirement: SecurityRequirement) -> tuple[tuple[object, ...], ...]:
    schemes = {s.name: s for s in api.schemes}
    return tuple(sorted(_scheme(schemes.get(name)) for name in requirement))


def _scheme(scheme: SecurityScheme | None) -> tuple[object, ...]:
    if scheme is None:
        return ("unknown",)
    args = tuple(c.arg for c in scheme.credentials)
    return (scheme.kind.value, args, scheme.location or "", scheme.wire or "", scheme.token_url or "")


def _servers(report: _Collector, old: Api, new: Api) -> None:
    if old.base_url != new.base_url:
        report(False, "server-changed", "", f"default base URL {old.base_url} → {new.base_url}")


def _models(report: _Collector, old: Api, new: Api) -> None:
    kept = {s.name for s in new.schemas}
    for named in old.schemas:
        if not named.hoisted and named.name not in kept:
            report(True, "model-removed", f"models.{named.name}", "model class removed", named.origin)


# --- output ----------------------------------------------------------------------------------


def render_human(changes: Sequence[Change], old: str, new: str) -> str:
    """One line per change; a change to a shared schema is listed once, with the operations
    it reaches (JSON output keeps one entry per operation)."""
    lines = [f"{old} → {new}"]
    for change, others in _grouped(changes):
        label = "BREAKING    " if change.breaking else "non-breaking"
        detail = f": {change.message}" if change.message else ""
        more = f"{len(others)} more operation{'s' if len(others) > 1 else ''}"
        also = f" (and {more}: {_operation_list(others)})" if others else ""
        lines.append(f"  {label} {_where(change)}{detail}{also} [{change.code}]")
    breaking = sum(c.breaking for c in changes)
    lines.append(f"{len(changes)} changes: {breaking} breaking, {len(changes) - breaking} non-breaking")
    return "\n".join(lines) + "\n"


def _grouped(changes: Sequence[Change]) -> list[tuple[Change, list[Change]]]:
    groups: dict[object, tuple[Change, list[Change]]] = {}
    for change in changes:
        shared = change.origin is not None and change.origin.pointer.startswith("/components/")
        key = (change.breaking, change.code, change.message, change.origin) if shared else id(change)
        if key in groups:
            groups[key][1].append(change)
        else:
            groups[key] = (change, [])
    return list(groups.values())


def _operation_list(changes: Sequence[Change], limit: int = 5) -> str:
    names = sorted({c.operation for c in changes})
    return ", ".join(names[:limit]) + (", …" if len(names) > limit else "")


def _where(change: Change) -> str:
    parts = []
    if change.operation:
        parts.append(f"{change.operation} ({change.method} {change.path})")
    if change.at:
        parts.append(change.at)
    return " ".join(parts) or "API"


def render_json(changes: Sequence[Change], old: str, new: str) -> str:
    breaking = sum(c.breaking for c in changes)
    data = {
        "old": old,
        "new": new,
        "breaking": breaking > 0,
        "summary": {"breaking": breaking, "non_breaking": len(changes) - breaking},
        "changes": [_change_json(c) for c in changes],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _change_json(change: Change) -> dict[str, object]:
    return {
        "breaking": change.breaking,
        "code": change.code,
        "operation": change.operation or None,
        "method": change.method or None,
        "path": change.path or None,
        "at": change.at or None,
        "message": change.message,
        "origin": f"{change.origin.file}#{change.origin.pointer}" if change.origin else None,
    }


# --- git -------------------------------------------------------------------------------------


@contextlib.contextmanager
def committed_spec(spec: Path, ref: str) -> Iterator[Path | None]:
    """The spec as committed at `ref`, in a temporary folder (None: not in that revision).

    Every `.yaml`/`.yml`/`.json` file under the spec's folder comes along, so relative `$ref`s
    resolve as they did in that revision.
    """
    folder = Path(os.path.realpath(spec)).parent
    top = Path(_git(folder, "rev-parse", "--show-toplevel").decode().strip())
    _git(top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    rel_dir = folder.relative_to(top).as_posix()
    rel_spec = (PurePosixPath(rel_dir) / spec.name).as_posix() if rel_dir != "." else spec.name
    files = _listing(top, ref, rel_dir)
    if rel_spec not in files:
        yield None
        return
    wanted = [p for p in files if p == rel_spec or p.lower().endswith(SPEC_SUFFIXES)]
    with tempfile.TemporaryDirectory(prefix="oagen-diff-") as tmp:
        for path, data in zip(wanted, _blobs(top, ref, wanted), strict=True):
            target = Path(tmp) / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        yield Path(tmp) / rel_spec


def _git(cwd: Path, *args: str, stdin: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, input=stdin, capture_output=True, check=False, timeout=120
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise DiffError(f"git {args[0]}: {exc}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip() or f"exit {done.returncode}"
        if args[:1] == ("rev-parse",) and "--verify" in args:
            message = f"{args[-1].removesuffix('^{commit}')!r} is not a commit in this repository"
        raise DiffError(f"git {args[0]}: {message}")
    return done.stdout


def _listing(top: Path, ref: str, rel_dir: str) -> list[str]:
    """Regular files (blobs, not links or submodules) under `rel_dir` at `ref`."""
    raw = _git(top, "ls-tree", "-r", "-z", ref, "--", rel_dir if rel_dir != "." else ".")
    files = []
    for entry in raw.split(b"\0"):
        if not entry:
            continue
        meta, _, name = entry.partition(b"\t")
        mode, kind = meta.split(b" ")[:2]
        path = name.decode("utf-8", "surrogateescape")
        if kind == b"blob" and mode in (b"100644", b"100755") and ".." not in path.split("/"):
            files.append(path)
    return files


def _blobs(top: Path, ref: str, paths: Sequence[str]) -> list[bytes]:
    """Contents of `paths` at `ref`, read in one `git cat-file --batch`."""
    request = "".join(f"{ref}:{p}\n" for p in paths).encode("utf-8", "surrogateescape")
    raw = _git(top, "cat-file", "--batch", stdin=request)
    blobs, offset = [], 0
    for path in paths:
        end = raw.index(b"\n", offset)
        header = raw[offset:end].split(b" ")
        if len(header) != 3:
            raise DiffError(f"git cat-file: cannot read {path} at {ref}")
        size = int(header[2])
        blobs.append(raw[end + 1 : end + 1 + size])
        offset = end + 1 + size + 1
    return blobs
