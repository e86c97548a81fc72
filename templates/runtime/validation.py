"""Client-side validation of arguments against the spec's constraint schemas.

The dialect is a subset of JSON Schema over wire names (see ``spec.py``): ``type``, ``enum``,
``const``, ``pattern`` (a Python ``re`` pattern with the ECMA-262 meaning, used with
``search``; ``x-regress`` carries an original ECMA pattern to run with the ``regress`` package
instead), ``format``, string/number/array/object bounds, ``items``/``prefixItems``,
``properties``/``required``/``additionalProperties``/``patternProperties``/``propertyNames``,
``allOf``/``anyOf``/``oneOf``/``not`` and ``$ref`` (a name looked up in a registry; recursive
schemas work). Booleans are not numbers.

Each schema object is compiled once into a chain of small closures (cached by object id), so
that checking a value costs a few function calls. A failure raises ``ValidationError`` with a
readable path (``body.senders[0].senderId``) and the broken rule; the value is never quoted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from .errors import ValidationError
from .scalars import (
    Check,
    Invalid,
    const_check,
    enum_check,
    freeze,
    number_check,
    string_check,
    type_check,
)

__all__ = ["Registry", "compile_schema", "path_of", "validate"]

Registry = Mapping[str, Any] | None


def validate(value: Any, schema: Any, path: str, registry: Registry = None) -> None:
    """Check ``value`` (JSON-like, wire names) against ``schema``; raise ``ValidationError``."""
    try:
        compile_schema(schema, registry)(value)
    except Invalid as exc:
        raise ValidationError(path + "".join(reversed(exc.trail)), exc.rule, exc.message) from None


CACHE_LIMIT = 10_000
_CACHE: dict[tuple[int, int], tuple[Any, Any, Check]] = {}


def compile_schema(schema: Any, registry: Registry = None) -> Check:
    """The check function for ``schema``, built once per (schema, registry) object pair."""
    key = (id(schema), id(registry))
    hit = _CACHE.get(key)
    if hit is not None:
        return hit[2]
    check = _build(schema, registry)
    if len(_CACHE) >= CACHE_LIMIT:  # callers that build schemas on the fly: stay bounded
        _CACHE.clear()
    _CACHE[key] = (schema, registry, check)  # holding the objects keeps their ids unique
    return check


def _ok(value: Any) -> None:
    return None


def _never(value: Any) -> None:
    raise Invalid("false", "is not allowed")


def _build(schema: Any, reg: Registry) -> Check:
    if schema is True or not isinstance(schema, Mapping) or not schema:
        return _never if schema is False else _ok
    scalar = (type_check(schema), enum_check(schema), const_check(schema))
    typed = (string_check(schema), number_check(schema))
    structural = (_array(schema, reg), _object(schema, reg), _combined(schema, reg))
    checks = [c for c in (*scalar, *typed, *structural, _ref(schema, reg)) if c is not None]
    check = _chain(checks)
    if schema.get("nullable") is True:  # OpenAPI 3.0 spelling of "or null"
        inner = check

        def check(value: Any) -> None:
            if value is not None:
                inner(value)

    return check


def _chain(checks: Sequence[Check]) -> Check:
    if not checks:
        return _ok
    if len(checks) == 1:
        return checks[0]

    def run(value: Any) -> None:
        for check in checks:
            check(value)

    return run


# --- arrays -----------------------------------------------------------------------------------


def _sub(schema: Any, reg: Registry) -> Check:
    return compile_schema(schema, reg)


def _descend(check: Check, value: Any, segment: str) -> None:
    try:
        check(value)
    except Invalid as exc:
        exc.trail.append(segment)
        raise


def _array(schema: Mapping[str, Any], reg: Registry) -> Check | None:
    items = schema.get("items")
    prefix_schemas = schema.get("prefixItems")
    if isinstance(items, list):  # draft-4 style tuple validation
        prefix_schemas, items = items, schema.get("additionalItems")
    prefix = [_sub(s, reg) for s in prefix_schemas or ()]
    rest = _sub(items, reg) if items is not None else None
    low, high, unique = schema.get("minItems"), schema.get("maxItems"), schema.get("uniqueItems")
    if not prefix and rest is None and low is None and high is None and not unique:
        return None

    def check(value: Any) -> None:
        if not isinstance(value, list | tuple):
            return
        if low is not None and len(value) < low:
            raise Invalid("minItems", f"must have at least {low} items")
        if high is not None and len(value) > high:
            raise Invalid("maxItems", f"must have at most {high} items")
        for index, (item, item_check) in enumerate(zip(value, prefix, strict=False)):
            _descend(item_check, item, f"[{index}]")
        if rest is not None:
            for index in range(len(prefix), len(value)):
                _descend(rest, value[index], f"[{index}]")
        if unique and len({freeze(item) for item in value}) != len(value):
            raise Invalid("uniqueItems", "must not contain duplicate items")

    return check


# --- objects ----------------------------------------------------------------------------------


def _key_segment(key: str) -> str:
    return f".{key}" if key.isidentifier() else f"[{key!r}]"


def _object(schema: Mapping[str, Any], reg: Registry) -> Check | None:
    props = {name: _sub(s, reg) for name, s in (schema.get("properties") or {}).items()}
    by_pattern = (schema.get("patternProperties") or {}).items()
    patterns = [(re.compile(p), _sub(s, reg)) for p, s in by_pattern]
    extra_schema = schema.get("additionalProperties")
    extra = _sub(extra_schema, reg) if extra_schema not in (None, True) else None
    names = _sub(schema["propertyNames"], reg) if "propertyNames" in schema else None
    required = tuple(schema.get("required") or ())
    low, high = schema.get("minProperties"), schema.get("maxProperties")
    if not (props or patterns or extra or names or required) and low is None and high is None:
        return None

    def check(value: Any) -> None:
        if not isinstance(value, Mapping):
            return
        for name in required:
            if name not in value:
                error = Invalid("required", "is required")
                error.trail.append(_key_segment(name))
                raise error
        if low is not None and len(value) < low:
            raise Invalid("minProperties", f"must have at least {low} properties")
        if high is not None and len(value) > high:
            raise Invalid("maxProperties", f"must have at most {high} properties")
        for key, item in value.items():
            _check_property(key, item)

    def _check_property(key: str, item: Any) -> None:
        if names is not None:
            _descend(names, key, _key_segment(key))
        prop = props.get(key)
        if prop is not None:
            _descend(prop, item, _key_segment(key))
        matched = False
        for pattern, pattern_check in patterns:
            if pattern.search(key):
                matched = True
                _descend(pattern_check, item, _key_segment(key))
        if extra is not None and prop is None and not matched:
            if extra is _never:
                error = Invalid("additionalProperties", "is not an allowed property")
                error.trail.append(_key_segment(key))
                raise error
            _descend(extra, item, _key_segment(key))

    return check


# --- combinators and references ---------------------------------------------------------------


def _passes(check: Check, value: Any) -> bool:
    try:
        check(value)
    except Invalid:
        return False
    return True


def _combined(schema: Mapping[str, Any], reg: Registry) -> Check | None:
    checks: list[Check] = [_sub(s, reg) for s in schema.get("allOf") or ()]
    if "anyOf" in schema:
        any_of = [_sub(s, reg) for s in schema["anyOf"]]

        def any_check(value: Any) -> None:
            if not any(_passes(c, value) for c in any_of):
                raise Invalid("anyOf", "does not match any of the allowed schemas")

        checks.append(any_check)
    if "oneOf" in schema:
        one_of = [_sub(s, reg) for s in schema["oneOf"]]

        def one_check(value: Any) -> None:
            matched = sum(1 for c in one_of if _passes(c, value))
            if matched != 1:
                raise Invalid("oneOf", f"must match exactly one schema, matches {matched}")

        checks.append(one_check)
    if "not" in schema:
        negated = _sub(schema["not"], reg)

        def not_check(value: Any) -> None:
            if _passes(negated, value):
                raise Invalid("not", "matches a schema it must not match")

        checks.append(not_check)
    return _chain(checks) if checks else None


def _ref(schema: Mapping[str, Any], reg: Registry) -> Check | None:
    ref = schema.get("$ref")
    if not isinstance(ref, str):
        return None
    name = ref.rsplit("/", 1)[-1]
    target: list[Check] = []

    def check(value: Any) -> None:
        if not target:  # resolved on first use: recursive schemas compile lazily
            if reg is None or name not in reg:
                raise KeyError(f"unknown schema reference {ref!r}")
            target.append(compile_schema(reg[name], reg))
        target[0](value)

    return check


def path_of(root: str, loc: Sequence[str | int]) -> str:
    """A readable path from a root name and location parts
    (``body`` + ``("a", 0)`` → ``body.a[0]``)."""
    return root + "".join(
        f"[{part}]" if isinstance(part, int) else _key_segment(part) for part in loc
    )
