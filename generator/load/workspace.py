"""The loaded documents of one spec and `$ref` resolution inside the sandbox.

Input: the root spec path. Output: a Workspace whose root document is in OpenAPI 3 shape.
Referenced files are loaded on first use. The sandbox: a `$ref` may reach only files inside the
root spec's folder tree (symlinks resolved before the check); remote references are refused
unless their host is explicitly allowed.
"""

from __future__ import annotations

import os
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import Origin, SpecError, fail, split_pointer
from .locate import position_of
from .normalize import POINTER_ALIASES, Version, detect_version, swagger2_to_openapi3
from .source import Format, Limits, detect_format, parse_text, read_source


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
        value = document.data
        for token in split_pointer(pointer):
            if isinstance(value, dict) and token in value:
                value = value[token]
            elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
                value = value[int(token)]
            else:
                raise fail(
                    "ref-unresolved",
                    f"$ref {ref!r}: {document.display} has nothing at #{pointer}",
                    origin,
                )
        return Resolved(document=document, pointer=pointer, value=value)

    def follow(self, resolved: Resolved) -> Resolved:
        """Follow `$ref` chains until a value that is not a reference; refuse pure cycles."""
        seen: list[str] = []
        while isinstance(resolved.value, dict) and isinstance(resolved.value.get("$ref"), str):
            here = f"{resolved.document.display}#{resolved.pointer}"
            if here in seen:
                chain = " → ".join([*seen, here])
                raise fail("ref-cycle", f"$ref cycle with no content: {chain}", resolved.origin)
            seen.append(here)
            ref = resolved.value["$ref"]
            resolved = self.resolve_ref(ref, resolved.document, resolved.origin.child("$ref"))
        return resolved

    def _document_for(self, target: str, base: Document, origin: Origin) -> Document:
        parsed = urllib.parse.urlsplit(target)
        if parsed.scheme in ("http", "https"):
            return self._remote(target, parsed.hostname or "", origin)
        if parsed.scheme == "file":
            path = Path(urllib.parse.unquote(parsed.path))
        elif parsed.scheme:
            raise fail("ref-scheme", f"$ref {target!r}: unsupported URL scheme", origin)
        else:
            relative = Path(urllib.parse.unquote(target))
            base_dir = (
                Path(base.key).parent if not base.key.startswith(("http:", "https:")) else None
            )
            if base_dir is None:
                raise fail("ref-remote", f"$ref {target!r}: relative to a remote document", origin)
            path = relative if relative.is_absolute() else base_dir / relative
        resolved = Path(os.path.realpath(path))
        if not resolved.is_relative_to(self.root_dir):
            raise fail(
                "ref-outside-root",
                f"$ref {target!r} leaves the spec's folder {self.root_dir} (sandbox)",
                origin,
            )
        key = str(resolved)
        if key not in self.documents:
            display = os.path.relpath(resolved) if not os.path.isabs(self.root.display) else key
            try:
                source = read_source(resolved, display, self.options.limits)
            except SpecError as exc:
                first = exc.diagnostics[0]
                if first.code in ("file-not-found", "file-unreadable"):
                    raise fail(first.code, f"$ref {target!r}: {first.message}", origin) from None
                raise
            self.documents[key] = Document(
                key=key, display=display, text=source.text, format=source.format, data=source.data
            )
        return self.documents[key]

    def _remote(self, url: str, host: str, origin: Origin) -> Document:
        if host not in self.options.allow_remote_hosts:
            raise fail(
                "ref-remote",
                f"$ref {url!r}: remote references are refused "
                f"(allow this host with --allow-remote-refs {host})",
                origin,
            )
        if url not in self.documents:
            self.documents[url] = _fetch(url, self.options.limits, origin)
        return self.documents[url]

    # --- positions -------------------------------------------------------------------------

    def locate(self, origin: Origin) -> tuple[int, int] | None:
        document = next((d for d in self.documents.values() if d.display == origin.file), None)
        if document is None:
            return None
        pointer = origin.pointer
        if document.version == "2.0":
            for new, old in POINTER_ALIASES:
                if pointer.startswith(new):
                    pointer = old + pointer[len(new) :]
        return position_of(document.text, document.format, pointer)


def load_workspace(
    path: Path, options: LoadOptions | None = None, display: str | None = None
) -> Workspace:
    """Read the root spec, detect its version and normalise it. Raises SpecError."""
    options = options or LoadOptions()
    shown = display or str(path)
    source = read_source(path, shown, options.limits)
    version = detect_version(source.data, Origin(file=shown))
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


def _fetch(url: str, limits: Limits, origin: Origin) -> Document:
    try:
        with urllib.request.urlopen(url, timeout=20) as answer:
            raw = answer.read(limits.max_bytes + 1)
    except OSError as exc:
        raise fail("ref-remote", f"$ref {url!r}: cannot fetch: {exc}", origin) from None
    if len(raw) > limits.max_bytes:
        raise fail("file-too-large", f"{url}: larger than {limits.max_bytes} bytes", origin)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise fail("invalid-utf8", f"{url}: invalid UTF-8", origin) from None
    fmt = detect_format(Path(urllib.parse.urlsplit(url).path), text)
    data = parse_text(text, fmt, Origin(file=url), limits)
    return Document(key=url, display=url, text=text, format=fmt, data=data)
