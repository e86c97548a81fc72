"""Keyword checks for scalar values, used by ``validation.py``: types, enums, strings, numbers.

Each ``*_check(schema)`` builds one closure for a family of keywords (``None`` when the schema
has none of them) that raises ``Invalid`` on failure and ignores values of other JSON types.
``STRING_FORMATS`` maps a ``format`` name to a predicate over strings; ``INTEGER_RANGES`` gives
the bounds of ``int32``/``int64``; other formats are not checked.
"""

from __future__ import annotations

import ipaddress
import math
import re
from collections.abc import Callable, Mapping
from datetime import date, time
from decimal import Decimal, InvalidOperation
from typing import Any

__all__ = [
    "INTEGER_RANGES",
    "STRING_FORMATS",
    "Check",
    "Invalid",
    "const_check",
    "enum_check",
    "freeze",
    "is_integer",
    "is_number",
    "number_check",
    "string_check",
    "type_check",
]

Check = Callable[[Any], None]


class Invalid(Exception):
    """Internal failure signal; containers append path segments on the way up."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message
        self.trail: list[str] = []


# --- formats ----------------------------------------------------------------------------------

_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_TIME = re.compile(r"(\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))")
_TIME_NO_OFFSET = re.compile(r"(\d{2}):(\d{2}):(\d{2})(\.\d+)?")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s]*")
_URI_REFERENCE = re.compile(r"[^\s]*")
_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")


def _is_date(value: str) -> bool:
    match = _DATE.fullmatch(value)
    if match is None:
        return False
    try:
        date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return False
    return True


def _valid_time(hour: str, minute: str, second: str) -> bool:
    try:
        time(int(hour), int(minute), min(int(second), 59))  # 60: leap second
    except ValueError:
        return False
    return True


def _valid_offset(match: re.Match[str]) -> bool:
    return match[6] is None or (int(match[6]) < 24 and int(match[7]) < 60)


def _is_time(value: str) -> bool:
    """RFC 3339 ``full-time``; a missing offset is tolerated (local time)."""
    match = _TIME.fullmatch(value)
    if match is not None:
        return _valid_time(match[1], match[2], match[3]) and _valid_offset(match)
    plain = _TIME_NO_OFFSET.fullmatch(value)
    return plain is not None and _valid_time(plain[1], plain[2], plain[3])


def _is_date_time(value: str) -> bool:
    """RFC 3339 ``date-time``: date, ``T`` (or space), time with a mandatory offset."""
    if len(value) < 20 or value[10] not in "Tt ":
        return False
    match = _TIME.fullmatch(value, 11)
    return (
        _is_date(value[:10])
        and match is not None
        and _valid_time(match[1], match[2], match[3])
        and _valid_offset(match)
    )


def _is_ipv4(value: str) -> bool:
    try:
        ipaddress.IPv4Address(value)
    except ValueError:
        return False
    return True


def _is_ipv6(value: str) -> bool:
    try:
        ipaddress.IPv6Address(value)
    except ValueError:
        return False
    return True


def _is_hostname(value: str) -> bool:
    name = value[:-1] if value.endswith(".") else value
    return 0 < len(name) <= 253 and all(_LABEL.fullmatch(label) for label in name.split("."))


def _matches(pattern: re.Pattern[str]) -> Callable[[str], bool]:
    return lambda value: pattern.fullmatch(value) is not None


STRING_FORMATS: dict[str, Callable[[str], bool]] = {
    "date-time": _is_date_time,
    "date": _is_date,
    "time": _is_time,
    "uuid": _matches(_UUID),
    "email": _matches(_EMAIL),
    "idn-email": _matches(_EMAIL),
    "uri": _matches(_URI),
    "iri": _matches(_URI),
    "uri-reference": _matches(_URI_REFERENCE),
    "ipv4": _is_ipv4,
    "ipv6": _is_ipv6,
    "hostname": _is_hostname,
}

INTEGER_RANGES: dict[str, tuple[int, int]] = {
    "int32": (-(2**31), 2**31 - 1),
    "int64": (-(2**63), 2**63 - 1),
}


# --- type, enum, const ------------------------------------------------------------------------


def is_number(value: Any) -> bool:
    """Whether ``value`` is a JSON number (booleans are not)."""
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def is_integer(value: Any) -> bool:
    """Whether ``value`` is a JSON integer (``3``, ``3.0``; not ``True``)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    if isinstance(value, float):
        return value.is_integer()
    return isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value()


_TYPES: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: isinstance(v, str),
    "integer": is_integer,
    "number": is_number,
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "array": lambda v: isinstance(v, list | tuple),
    "object": lambda v: isinstance(v, Mapping),
}


def json_type(value: Any) -> str:
    """The JSON type name of ``value``, for messages."""
    for name in ("null", "boolean", "integer", "number", "string", "array", "object"):
        if _TYPES[name](value):
            return name
    return type(value).__name__


def type_check(schema: Mapping[str, Any]) -> Check | None:
    """``type`` (a name or a list of names, ``"null"`` included)."""
    declared = schema.get("type")
    if declared is None:
        return None
    names = [declared] if isinstance(declared, str) else list(declared)
    tests = [_TYPES[name] for name in names if name in _TYPES]
    expected = " or ".join(names)

    def check(value: Any) -> None:
        for test in tests:
            if test(value):
                return
        raise Invalid("type", f"expected {expected}, got {json_type(value)}")

    return check


def freeze(value: Any) -> Any:
    """A hashable key with JSON equality: ``1 == 1.0``, but ``True != 1``."""
    if isinstance(value, bool):
        return ("bool", value)
    if is_number(value):
        return ("number", value)
    if isinstance(value, list | tuple):
        return ("array", tuple(freeze(item) for item in value))
    if isinstance(value, Mapping):
        return ("object", frozenset((k, freeze(v)) for k, v in value.items()))
    return value


def enum_check(schema: Mapping[str, Any]) -> Check | None:
    """``enum``, with JSON equality (see ``freeze``)."""
    if "enum" not in schema:
        return None
    allowed = frozenset(freeze(item) for item in schema["enum"])
    shown = ", ".join(repr(item) for item in list(schema["enum"])[:10])

    def check(value: Any) -> None:
        if freeze(value) not in allowed:
            raise Invalid("enum", f"must be one of {shown}")

    return check


def const_check(schema: Mapping[str, Any]) -> Check | None:
    """``const``, with JSON equality (see ``freeze``)."""
    if "const" not in schema:
        return None
    expected = freeze(schema["const"])
    shown = repr(schema["const"])

    def check(value: Any) -> None:
        if freeze(value) != expected:
            raise Invalid("const", f"must be {shown}")

    return check


# --- strings ----------------------------------------------------------------------------------


def _regress_search(ecma: str) -> Callable[[str], bool]:
    """A search function running the ECMA-262 pattern ``ecma`` with the ``regress`` engine."""
    compiled: list[Any] = []

    def search(value: str) -> bool:
        if not compiled:
            import regress  # only specs with patterns that `re` cannot express need it

            compiled.append(regress.Regex(ecma, "u"))  # unicode mode, as oagen checked it
        return compiled[0].find(value) is not None

    return search


def _pattern_search(schema: Mapping[str, Any]) -> Callable[[str], bool] | None:
    if "x-regress" in schema:
        return _regress_search(schema["x-regress"])
    if "pattern" not in schema:
        return None
    compiled = re.compile(schema["pattern"])
    return lambda value: compiled.search(value) is not None


def string_check(schema: Mapping[str, Any]) -> Check | None:
    """``minLength``/``maxLength`` (code points), ``pattern``/``x-regress``, ``format``."""
    low, high = schema.get("minLength"), schema.get("maxLength")
    search = _pattern_search(schema)
    fmt = schema.get("format")
    fmt_check = STRING_FORMATS.get(fmt) if isinstance(fmt, str) else None
    if low is None and high is None and search is None and fmt_check is None:
        return None
    shown = schema.get("x-regress", schema.get("pattern"))

    def check(value: Any) -> None:
        if not isinstance(value, str):
            return
        if low is not None and len(value) < low:
            raise Invalid("minLength", f"must be at least {low} characters long")
        if high is not None and len(value) > high:
            raise Invalid("maxLength", f"must be at most {high} characters long")
        if search is not None and not search(value):
            raise Invalid("pattern", f"does not match the pattern {shown!r}")
        if fmt_check is not None and not fmt_check(value):
            raise Invalid("format", f"is not a valid {fmt}")

    return check


# --- numbers ----------------------------------------------------------------------------------


def _is_multiple(value: Any, step: Any) -> bool:
    if isinstance(value, int) and isinstance(step, int):
        return value % step == 0
    try:
        if Decimal(str(value)) % Decimal(str(step)) == 0:
            return True
    except (InvalidOperation, ArithmeticError):
        pass
    if isinstance(value, Decimal) and isinstance(step, Decimal | int):
        return False
    quotient = float(value) / float(step)
    if not math.isfinite(quotient):
        return False
    return abs(quotient - round(quotient)) <= 1e-9 * max(1.0, abs(quotient))


def _bounds(schema: Mapping[str, Any]) -> list[tuple[str, Callable[[Any], bool], str]]:
    """(rule, passes, message) for each numeric bound of ``schema``."""
    found: list[tuple[str, Callable[[Any], bool], str]] = []
    low, high = schema.get("minimum"), schema.get("maximum")
    xlow, xhigh = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    if xlow is True:  # OpenAPI 3.0 boolean form
        low, xlow = None, low
    if xhigh is True:
        high, xhigh = None, high
    if is_number(low):
        found.append(("minimum", lambda v: v >= low, f"must be >= {low}"))
    if is_number(high):
        found.append(("maximum", lambda v: v <= high, f"must be <= {high}"))
    if is_number(xlow):
        found.append(("exclusiveMinimum", lambda v: v > xlow, f"must be > {xlow}"))
    if is_number(xhigh):
        found.append(("exclusiveMaximum", lambda v: v < xhigh, f"must be < {xhigh}"))
    step = schema.get("multipleOf")
    if is_number(step):
        multiple = f"must be a multiple of {step}"
        found.append(("multipleOf", lambda v: _is_multiple(v, step), multiple))
    fmt = schema.get("format")
    span = INTEGER_RANGES.get(fmt) if isinstance(fmt, str) else None
    if span is not None:
        low_int, high_int = span
        fits = lambda v: not is_integer(v) or low_int <= v <= high_int  # noqa: E731
        found.append(("format", fits, f"is out of the {fmt} range"))
    return found


def number_check(schema: Mapping[str, Any]) -> Check | None:
    """Bounds, ``multipleOf`` and the ``int32``/``int64`` formats."""
    bounds = _bounds(schema)
    if not bounds:
        return None

    def check(value: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            return
        for rule, passes, message in bounds:
            if not passes(value):
                raise Invalid(rule, message)

    return check
