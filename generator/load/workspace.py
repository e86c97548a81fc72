"""The loaded documents of one spec and `$ref` resolution inside the sandbox.

Input: the root spec path. Output: a Workspace whose root document is in OpenAPI 3 shape.
Referenced files are loaded on first use. The sandbox: a `$ref` may reach only files inside the
root spec's folder tree (symlinks resolved before the check), and only regular files; remote
references are refused unless their host is explicitly allowed (a fetched document's own
references resolve against its URL under the same rule; redirects only to allowed hosts).
Chains of references are followed iteratively, remembered, and refused when they loop.
"""

from __future__ import annotations

import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import Origin, SpecError, fail, split_pointer
from .locate import positions_of
from .normalize import POINTER_ALIASES, Version, detect_version, swagger2_to_openapi3
from .source import (
    Format,
    Limits,
    detect_format,
    located,
    parse_text,
    read_bounded,
    read_source,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class LoadOptions:
    limits: Limits = field(default_factory=Limits)
    allow_remote_hosts: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True, kw_only=True)
class Document:
    key: str
    display: str
    text: str
    format: Format
    data: Any
    version: Version | None = None

    def origin(self, pointer: str = "") -> Origin:
        return Origin(file=self.display, pointer=pointer)


@dataclass(frozen=True, slots=True, kw_only=True)
class Resolved:
    """A value found by following references, with where it was found."""

    document: Document
    pointer: str
    value: Any

    @property
    def origin(self) -> Origin:
        return self.document.origin(self.pointer)


class Workspace:
    def __init__(self, root: Document, root_dir: Path, options: LoadOptions) -> None:
        self.root = root
        self.root_dir = root_dir
        self.options = options
        self.documents: dict[str, Document] = {root.key: root}
        self._ends: dict[tuple[str, str], Resolved] = {}

    # --- references ------------------------------------------------------------------------

    def resolve_ref(self, ref: str, base: Document, origin: Origin) -> Resolved:
        """Resolve one `$ref` string written in `base` at `origin`."""
        target, _, fragment = ref.partition("#")
        document = self._document_for(target, base, origin) if target else base
        pointer = urllib.parse.unquote(fragment)
        if pointer and not pointer.startswith("/"):
            raise fail(
                "ref-unresolved", f"$ref {ref!r}: the fragment is not a JSON pointer", origin
            )
        found, value = _walk(document.data, pointer)
        if not found:
            raise fail(
                "ref-unresolved",
                f"$ref {ref!r}: {document.display} has nothing at #{pointer}",
                origin,
            )
        return Resolved(document=document, pointer=pointer, value=value)

    def value_at(self, origin: Origin) -> Any:
        """The value an origin names in a loaded document, or None."""
        document = next((d for d in self.documents.values() if d.display == origin.file), None)
        return _walk(document.data, origin.pointer)[1] if document is not None else None

    def follow(self, resolved: Resolved) -> Resolved:
        """Follow `$ref` chains until a value that is not a reference; refuse pure cycles.

        Where each reference leads is remembered, so that following every link of a long
        chain costs linear, not quadratic, time.
        """
        chain: dict[tuple[str, str], Resolved] = {}
        while isinstance(resolved.value, dict) and isinstance(resolved.value.get("$ref"), str):
            here = (resolved.document.key, resolved.pointer)
            if here in self._ends:
                resolved = self._ends[here]
                break
            if here in chain:
                members = list(chain.values())
                raise _cycle_error(members[list(chain).index(here) :])
            chain[here] = resolved
            ref = resolved.value["$ref"]
            resolved = self.resolve_ref(ref, resolved.document, resolved.origin.child("$ref"))
        for here in chain:
            self._ends[here] = resolved
        return resolved

    def _document_for(self, target: str, base: Document, origin: Origin) -> Document:
        if _is_remote(base.key):
            target = urllib.parse.urljoin(base.key, target)
        parsed = urllib.parse.urlsplit(target)
        if parsed.scheme in ("http", "https"):
            return self._remote(target, parsed.hostname or "", origin)
        if parsed.scheme == "file":
            path = Path(urllib.parse.unquote(parsed.path))
        elif parsed.scheme:
            raise fail("ref-scheme", f"$ref {target!r}: unsupported URL scheme", origin)
        else:
            relative = Path(urllib.parse.unquote(target))
            path = relative if relative.is_absolute() else Path(base.key).parent / relative
        resolved = Path(os.path.realpath(path))
        if not resolved.is_relative_to(self.root_dir):
            raise fail(
                "ref-outside-root",
                f"$ref {target!r} leaves the spec's folder {self._shown(self.root_dir)} (sandbox)",
                origin,
            )
        key = str(resolved)
        if key not in self.documents:
            display = self._shown(resolved)
            try:
                source = read_source(resolved, display, self.options.limits)
            except SpecError as exc:
                first = exc.diagnostics[0]
                if first.code in ("file-not-found", "file-unreadable", "file-too-large"):
                    raise fail(first.code, f"$ref {target!r}: {first.message}", origin) from None
                raise
            self.documents[key] = Document(
                key=key, display=display, text=source.text, format=source.format, data=source.data
            )
        return self.documents[key]

    def _shown(self, path: Path) -> str:
        """A path as the user named the root spec: relative to the current folder, or not."""
        if os.path.isabs(self.root.display):
            return str(path)
        try:
            return os.path.relpath(path)
        except ValueError:
            return str(path)

    def _remote(self, url: str, host: str, origin: Origin) -> Document:
        if not _allowed(host, self.options.allow_remote_hosts):
            raise fail(
                "ref-remote",
                f"$ref {url!r}: remote references are refused "
                f"(allow this host with --allow-remote-refs {host})",
                origin,
            )
        if url not in self.documents:
            self.documents[url] = _fetch(url, self.options, origin)
        return self.documents[url]

    # --- positions -------------------------------------------------------------------------

    def locate(self, origin: Origin) -> tuple[int, int] | None:
        return self.locate_all([origin])[0]

    def locate_all(self, origins: Sequence[Origin]) -> list[tuple[int, int] | None]:
        """Each origin's (line, column), None for a file the workspace does not hold; the
        pointers into one document are looked up together (`positions_of`)."""
        by_name = {d.display: d for d in reversed(self.documents.values())}  # the first
        pointers = [
            _source_pointer(by_name[o.file], o.pointer) if o.file in by_name else "" for o in origins
        ]
        wanted: dict[str, set[str]] = {}
        for origin, pointer in zip(origins, pointers, strict=True):
            if origin.file in by_name:
                wanted.setdefault(origin.file, set()).add(pointer)
        found = {
            name: positions_of(by_name[name].text, by_name[name].format, group)
            for name, group in wanted.items()
        }
        return [
            found[o.file][pointer] if o.file in found else None
            for o, pointer in zip(origins, pointers, strict=True)
        ]


def _source_pointer(document: Document, pointer: str) -> str:
    """`pointer` in the document as written (Swagger 2.0 is read as OpenAPI 3)."""
    if document.version == "2.0":
        for new, old in POINTER_ALIASES:
            if pointer.startswith(new):
                pointer = old + pointer[len(new) :]
    return pointer


def load_workspace(
    path: Path, options: LoadOptions | None = None, display: str | None = None
) -> Workspace:
    """Read the root spec, detect its version and normalise it. Raises SpecError."""
    options = options or LoadOptions()
    shown = display or str(path)
    source = read_source(path, shown, options.limits)
    try:
        version = detect_version(source.data, Origin(file=shown))
    except SpecError as exc:
        raise SpecError(located(d, source.text, source.format) for d in exc.diagnostics) from None
    data = swagger2_to_openapi3(source.data) if version == "2.0" else source.data
    real = Path(os.path.realpath(path))
    root = Document(
        key=str(real),
        display=shown,
        text=source.text,
        format=source.format,
        data=data,
        version=version,
    )
    return Workspace(root, real.parent, options)


def _walk(value: Any, pointer: str) -> tuple[bool, Any]:
    """(found, value) at a JSON pointer inside `value`."""
    for token in split_pointer(pointer):
        if isinstance(value, dict) and token in value:
            value = value[token]
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            return False, None
    return True, value


def _is_remote(key: str) -> bool:
    return key.startswith(("http:", "https:"))


def _allowed(host: str, allowed: frozenset[str]) -> bool:
    return bool(host) and host.lower() in {h.lower() for h in allowed}


def _cycle_error(cycle: list[Resolved]) -> SpecError:
    """One error per cycle, however it was entered: told from its first member in key order."""
    start = min(range(len(cycle)), key=lambda i: (cycle[i].document.key, cycle[i].pointer))
    members = [*cycle[start:], *cycle[:start]]
    first = members[0].document
    steps = " → ".join(
        ("" if r.document is first else r.document.display) + "#" + r.pointer
        for r in [*members, members[0]]
    )
    return fail(
        "ref-cycle", f"$ref cycle with no content: {steps}", members[0].origin.child("$ref")
    )


class _AllowedRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to an allowed host (the allow list is not a springboard)."""

    def __init__(self, allowed: frozenset[str]) -> None:
        self.allowed = allowed

    def redirect_request(
        self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> Any:
        parsed = urllib.parse.urlsplit(newurl)
        if parsed.scheme not in ("http", "https") or not _allowed(
            parsed.hostname or "", self.allowed
        ):
            raise urllib.error.HTTPError(
                newurl, code, f"redirected to {newurl}, which is not allowed", headers, fp
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _fetch(url: str, options: LoadOptions, origin: Origin) -> Document:
    limits = options.limits
    opener = urllib.request.build_opener(_AllowedRedirects(options.allow_remote_hosts))
    try:
        with opener.open(url, timeout=20) as answer:
            raw = read_bounded(answer, limits.max_bytes, origin)
    except (OSError, ValueError) as exc:
        raise fail("ref-remote", f"$ref {url!r}: cannot fetch: {exc}", origin) from None
    except SpecError as exc:
        raise fail(
            exc.diagnostics[0].code, f"$ref {url!r}: {exc.diagnostics[0].message}", origin
        ) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise fail("invalid-utf8", f"{url}: invalid UTF-8", origin) from None
    fmt = detect_format(Path(urllib.parse.urlsplit(url).path), text)
    data = parse_text(text, fmt, Origin(file=url), limits)
    return Document(key=url, display=url, text=text, format=fmt, data=data)
