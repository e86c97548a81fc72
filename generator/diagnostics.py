"""Problems found in a spec, collected and reported together.

Every problem has a stable code, a severity, a message and an origin (file + JSON pointer).
Line and column are looked up only when a problem is printed (see `load.locate`), so that the
happy path never pays for positions. Messages never carry raw terminal control or bidi
characters from the spec: `escape_text` makes them visible.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeAlias


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True, kw_only=True)
class Origin:
    """Where something comes from: a file (as given to the user) and a JSON pointer in it."""

    file: str
    pointer: str = ""

    def child(self, *tokens: str | int) -> Origin:
        return Origin(file=self.file, pointer=join_pointer(self.pointer, *tokens))


@dataclass(frozen=True, slots=True, kw_only=True)
class Diagnostic:
    code: str
    severity: Severity
    message: str
    origin: Origin
    line: int | None = None
    column: int | None = None

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.origin.file, self.line or 0, self.column or 0, self.origin.pointer, self.code)

    def format(self) -> str:
        """`FILE:LINE:COL: error: MESSAGE [code] [#/pointer]`, on one line.

        Everything that may come from the spec (the file name of a `$ref`, the message, the
        pointer's keys) has its control, bidi and invisible characters escaped.
        """
        where = self.origin.file
        if self.line is not None:
            where += f":{self.line}:{self.column or 1}"
        line = (
            f"{where}: {self.severity.value}: {self.message} [{self.code}] [#{self.origin.pointer}]"
        )
        return escape_text(line)


@dataclass(slots=True)
class Diagnostics:
    """A collector: stages add problems and go on where they can."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(
        self,
        code: str,
        message: str,
        origin: Origin,
        severity: Severity = Severity.ERROR,
        *,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.items.append(
            Diagnostic(
                code=code,
                severity=severity,
                message=message,
                origin=origin,
                line=line,
                column=column,
            )
        )

    def error(self, code: str, message: str, origin: Origin) -> None:
        self.add(code, message, origin, Severity.ERROR)

    def warning(self, code: str, message: str, origin: Origin) -> None:
        self.add(code, message, origin, Severity.WARNING)

    def extend(self, other: Iterable[Diagnostic]) -> None:
        self.items.extend(other)

    @property
    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.items)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


class SpecError(Exception):
    """Raised when a stage cannot go on; carries every problem found so far."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(d.format() for d in self.diagnostics))


def fail(code: str, message: str, origin: Origin, **position: int) -> SpecError:
    """One-problem SpecError, for stages that cannot continue at all."""
    return SpecError(
        [
            Diagnostic(
                code=code,
                severity=Severity.ERROR,
                message=message,
                origin=origin,
                line=position.get("line"),
                column=position.get("column"),
            )
        ]
    )


Locate: TypeAlias = Callable[[Sequence[Origin]], Sequence[tuple[int, int] | None]]
"""(line, column) of each origin, or None (`Workspace.locate_all`)."""


def sorted_located(diagnostics: Iterable[Diagnostic], locate: Locate) -> list[Diagnostic]:
    """Fill in line and column where missing, then sort and drop exact duplicates."""
    seen: set[str] = set()
    result: list[Diagnostic] = []
    items = list(diagnostics)
    unplaced = [d.origin for d in items if d.line is None]
    positions = iter(locate(unplaced) if unplaced else [])
    for diagnostic in items:
        if diagnostic.line is None:
            position = next(positions)
            if position is not None:
                diagnostic = Diagnostic(
                    code=diagnostic.code,
                    severity=diagnostic.severity,
                    message=diagnostic.message,
                    origin=diagnostic.origin,
                    line=position[0],
                    column=position[1],
                )
        text = diagnostic.format()
        if text not in seen:
            seen.add(text)
            result.append(diagnostic)
    result.sort(key=Diagnostic.sort_key)
    return result


# --- JSON pointers -------------------------------------------------------------------------


def escape_token(token: str | int) -> str:
    text = str(token)
    return text.replace("~", "~0").replace("/", "~1") if "~" in text or "/" in text else text


def unescape_token(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def join_pointer(pointer: str, *tokens: str | int) -> str:
    if len(tokens) == 1:  # most calls: a step to one child
        return f"{pointer}/{escape_token(tokens[0])}"
    return pointer + "".join("/" + escape_token(t) for t in tokens)


def split_pointer(pointer: str) -> list[str]:
    if pointer in ("", "/"):
        return [] if pointer == "" else [""]
    return [unescape_token(t) for t in pointer.lstrip("/").split("/")]


# --- escaping of spec text in terminal output ----------------------------------------------

INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e"
    "\u2060-\u2069\ud800-\udfff\ufeff\ufff9-\ufffb]"
)
"""Control characters but newline and tab, bidi controls, invisible and separator characters,
and lone surrogates (JSON can spell them; UTF-8 cannot encode them)."""


def escape_text(text: str) -> str:
    """Make control, bidi and invisible characters visible as `\\uXXXX` escapes."""
    return INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text.replace("\n", "\\n"))
