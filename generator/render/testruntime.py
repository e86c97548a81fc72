"""Client-wide behaviour tests (`tests/test_client_runtime.py`): retries and async variants.

Input: every operation with its prepared tests. Output: `RuntimeTests` — a representative
operation (the first one whose success call is valid) for 429 + `Retry-After` retries and the
async success call; the first non-idempotent POST/PATCH (no idempotency key) for "no retry on
500"; the first idempotent method for "retried on 500"; the first operation sending an
idempotency key for "retried with the same key". Missing candidates become notes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..ir import Operation
from .testcases import Constant, OperationTests, call_source
from .testlayout import define, returning
from .testliterals import constant

IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})
RETRY_AFTER = 3


@dataclass(frozen=True, slots=True)
class Subject:
    """An operation a runtime test calls: its constants and call expression."""

    name: str
    upper: str
    wire: str
    reply: str
    call_expr: str
    call_name: str
    async_call_name: str
    header: str | None = None
    returns_none: bool = False

    @property
    def defs(self) -> dict[str, str]:
        """The `def` lines of the runtime tests about this operation, laid out."""
        name = self.name
        return {
            "not_retried": define(f"test_{name}_is_not_retried_on_500", "mock: Mock"),
            "retried": define(f"test_{name}_is_retried_on_500", "mock: Mock"),
            "keyed": define(f"test_{name}_is_retried_on_500_with_the_same_idempotency_key", "mock: Mock"),
            "async_wire": define(f"test_async_{name}_sends_wire_request", "mock: Mock", is_async=True),
        }

    @property
    def sync_body(self) -> str:
        return returning(self.call_expr, returns_none=self.returns_none)

    @property
    def async_body(self) -> str:
        return returning(self.call_expr, returns_none=self.returns_none, awaited=True)


@dataclass(frozen=True, slots=True)
class RuntimeTests:
    representative: Subject | None
    post: Subject | None
    get: Subject | None
    keyed: Subject | None
    retry_after: int
    notes: tuple[str, ...]

    @property
    def subjects(self) -> tuple[Subject, ...]:
        """Each operation the tests call, once."""
        found: dict[str, Subject] = {}
        for subject in (self.representative, self.post, self.get, self.keyed):
            if subject is not None:
                found.setdefault(subject.call_name, subject)
        return tuple(found.values())


def runtime_tests(ops: Sequence[tuple[str, Operation, OperationTests]]) -> RuntimeTests:
    """`ops`: (group attribute, IR operation, its tests) for every operation, in order."""
    callable_ops = [(g, op, t) for g, op, t in ops if t.wire_test]
    representative = _subject(callable_ops[0]) if callable_ops else None
    post = _first(callable_ops, lambda op: op.method.upper() in ("POST", "PATCH") and not op.idempotency_header)
    get = _first(callable_ops, lambda op: op.method.upper() in IDEMPOTENT and not op.idempotency_header)
    keyed = _first(callable_ops, lambda op: bool(op.idempotency_header))
    notes = []
    if representative is None:
        notes.append("no operation can be called with valid arguments: retries are not tested")
    if post is None:
        notes.append("no POST or PATCH operation without an idempotency key: the no-retry test is left out")
    if get is None:
        notes.append("no idempotent operation: the retry-on-500 test is left out")
    return RuntimeTests(
        representative=representative,
        post=post,
        get=get,
        keyed=keyed,
        retry_after=RETRY_AFTER,
        notes=tuple(notes),
    )


def _first(
    ops: Sequence[tuple[str, Operation, OperationTests]], wanted: Callable[[Operation], bool]
) -> Subject | None:
    found = next(((g, op, t) for g, op, t in ops if wanted(op)), None)
    return _subject(found) if found is not None else None


def _subject(found: tuple[str, Operation, OperationTests]) -> Subject:
    group, op, tests = found
    return Subject(
        name=op.name,
        upper=constant(group, op.name),
        wire=Constant(f"{constant(group, op.name)}_WIRE", next(c.value for c in tests.constants if c.name == tests.wire)).text,
        reply=Constant(f"{constant(group, op.name)}_REPLY", tests.reply_source).text,
        call_expr=call_source("client", group, op.name, tests.call),
        call_name=f"call_{group}_{op.name}",
        async_call_name=f"acall_{group}_{op.name}",
        header=op.idempotency_header,
        returns_none=tests.returns_none,
    )
