"""What every build pass shares: the workspace, the problem collector and a located cursor."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..diagnostics import Diagnostics, Origin, Severity, SpecError, join_pointer
from ..load import Document, Resolved, Workspace


@dataclass(frozen=True, slots=True)
class At:
    """A value together with the document and JSON pointer it was read from."""

    document: Document
    pointer: str
    value: Any

    @property
    def origin(self) -> Origin:
        return self.document.origin(self.pointer)

    def child(self, *tokens: str | int) -> At:
        value = self.value
        for token in tokens:
            value = value[token]
        return At(self.document, join_pointer(self.pointer, *tokens), value)

    def get(self, key: str) -> At | None:
        if isinstance(self.value, dict) and key in self.value:
            return self.child(key)
        return None

    def items(self, key: str) -> list[tuple[str, At]]:
        """The members of mapping `key` (empty when absent or not a mapping)."""
        node = self.get(key)
        if node is None or not isinstance(node.value, dict):
            return []
        return [(str(name), node.child(name)) for name in node.value]

    def elements(self, key: str) -> list[At]:
        node = self.get(key)
        if node is None or not isinstance(node.value, list):
            return []
        return [node.child(i) for i in range(len(node.value))]

    def str(self, key: str) -> str | None:
        value = self.value.get(key) if isinstance(self.value, dict) else None
        return value if isinstance(value, str) else None


class BuildContext:
    def __init__(self, workspace: Workspace, diagnostics: Diagnostics) -> None:
        self.workspace = workspace
        self.diagnostics = diagnostics

    @property
    def root(self) -> At:
        return At(self.workspace.root, "", self.workspace.root.data)

    def deref(self, at: At) -> At | None:
        """Follow `$ref`s from `at`; report and return None when they cannot be followed."""
        if not (isinstance(at.value, dict) and isinstance(at.value.get("$ref"), str)):
            return at
        try:
            resolved: Resolved = self.workspace.follow(Resolved(document=at.document, pointer=at.pointer, value=at.value))
        except SpecError as exc:
            self.diagnostics.extend(exc.diagnostics)
            return None
        return At(resolved.document, resolved.pointer, resolved.value)

    def resolve_ref(self, at: At) -> At | None:
        """Resolve exactly one `$ref` (no chain following)."""
        try:
            resolved = self.workspace.resolve_ref(at.value["$ref"], at.document, at.origin.child("$ref"))
        except SpecError as exc:
            self.diagnostics.extend(exc.diagnostics)
            return None
        return At(resolved.document, resolved.pointer, resolved.value)

    def error(self, code: str, message: str, at: At | Origin) -> None:
        self.diagnostics.error(code, message, at.origin if isinstance(at, At) else at)

    def warning(self, code: str, message: str, at: At | Origin) -> None:
        self.diagnostics.add(code, message, at.origin if isinstance(at, At) else at, Severity.WARNING)
