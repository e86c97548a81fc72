"""The constraint-schema validator: every keyword, paths, rules, references, caching."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
import rt_api as m
from fakepkg._runtime.errors import ValidationError
from fakepkg._runtime.validation import compile_schema, validate
from hypothesis import given
from hypothesis import strategies as st


def ok(value: Any, schema: Any, registry: Any = None) -> None:
    validate(value, schema, "v", registry)


def bad(value: Any, schema: Any, rule: str, path: str = "v", registry: Any = None) -> None:
    with pytest.raises(ValidationError) as info:
        validate(value, schema, "v", registry)
    assert info.value.rule == rule, str(info.value)
    assert info.value.path == path, str(info.value)


def test_type() -> None:
    ok("s", {"type": "string"})
    bad(1, {"type": "string"}, "type")
    ok(3, {"type": "integer"})
    ok(3.0, {"type": "integer"})
    ok(Decimal("4"), {"type": "integer"})
    bad(True, {"type": "integer"}, "type")
    bad(3.5, {"type": "integer"}, "type")
    bad(False, {"type": "number"}, "type")
    ok(2.5, {"type": "number"})
    ok(None, {"type": ["string", "null"]})
    bad(1, {"type": ["string", "null"]}, "type")
    ok(True, {"type": "boolean"})
    bad(0, {"type": "boolean"}, "type")
    ok([1], {"type": "array"})
    ok((1,), {"type": "array"})
    ok({}, {"type": "object"})
    bad([], {"type": "object"}, "type")
    ok(None, {"type": "string", "nullable": True})


def test_enum_and_const_distinguish_booleans_from_numbers() -> None:
    ok("A", {"enum": ["A", "B"]})
    bad("C", {"enum": ["A", "B"]}, "enum")
    bad(True, {"enum": [1, 2]}, "enum")
    bad(1, {"enum": [True]}, "enum")
    ok(1.0, {"enum": [1]})
    ok({"a": [1]}, {"enum": [{"a": [1]}]})
    ok(None, {"enum": [None, "x"]})
    ok("x", {"const": "x"})
    bad("y", {"const": "x"}, "const")
    bad(0, {"const": False}, "const")


def test_pattern_is_an_unanchored_search() -> None:
    schema = {"pattern": m.SENDER_ID}
    ok(m.SENDER, schema)
    ok(m.SENDER + "-and-trailing-text", schema)  # no $ anchor: a prefix match is enough
    bad("x" + m.SENDER, schema, "pattern")
    bad("comms_sender_8h9krwprkeee8fzqspvwy6nq8", schema, "pattern")  # [0-7]
    bad("comms_sender_01h9krwprkeee8fzqspvwy6nq", schema, "pattern")  # 24 < 25 chars
    ok("abc123", {"pattern": "[0-9]"})
    ok(5, {"pattern": "^x"})  # non-strings are left to `type`
    with pytest.raises(ValidationError) as info:
        validate("bad id", {"pattern": "^ok"}, "sender_id")
    assert "bad id" not in str(info.value) and "'^ok'" in str(info.value)


def test_x_regress_runs_the_ecma_pattern_with_regress() -> None:
    schema = {"pattern": "unused", "x-regress": r"^\p{Lu}\w+$"}
    ok("Hello", schema)
    bad("hello", schema, "pattern")
    bad("Héllo", schema, "pattern")  # ECMA \w is ASCII-only, even with /u
    ok("Ab", {"x-regress": r"(?<first>A)\k<first>?b"})


@pytest.mark.parametrize(
    ("fmt", "good", "wrong"),
    [
        ("date-time", ["2024-02-29T23:59:60Z", "2024-01-01t00:00:00.123+05:30"],
         ["2023-02-29T00:00:00Z", "2024-01-01T00:00:00", "2024-01-01", "2024-13-01T00:00:00Z",
          "2024-01-01T25:00:00Z", "2024-01-01T00:00:00+24:00"]),
        ("date", ["2024-02-29"], ["2023-02-29", "2024-1-1", "20240101"]),
        ("time", ["12:30:00Z", "12:30:00.5+01:00", "12:30:00"], ["24:00:00", "12:60:00", "1230"]),
        ("uuid", ["123e4567-e89b-12d3-a456-426614174000"], ["123e4567e89b12d3a456426614174000"]),
        ("email", ["a.b@example.com"], ["no-at-sign", "a@b@c", "a b@c.d"]),
        ("uri", ["https://x.example/p?q=1", "urn:isbn:123"], ["/relative/path", "no scheme"]),
        ("uri-reference", ["/relative/path", "https://x"], ["has space"]),
        ("ipv4", ["192.168.0.1"], ["256.1.1.1", "1.2.3", "01.2.3.4"]),
        ("ipv6", ["::1", "2001:db8::8a2e:370:7334"], ["1:2:3", "::g"]),
        ("hostname", ["api.example.com", "localhost"], ["-bad.example", "a..b", "x" * 64]),
    ],
)  # fmt: skip
def test_string_formats(fmt: str, good: list[str], wrong: list[str]) -> None:
    for value in good:
        ok(value, {"type": "string", "format": fmt})
    for value in wrong:
        bad(value, {"type": "string", "format": fmt}, "format")


def test_integer_formats_and_unknown_formats() -> None:
    ok(2**31 - 1, {"format": "int32"})
    bad(2**31, {"format": "int32"}, "format")
    bad(-(2**63) - 1, {"format": "int64"}, "format")
    ok("anything", {"format": "made-up"})
    ok(1.5, {"format": "int32"})


@given(st.datetimes(timezones=st.just(UTC)))
def test_every_aware_isoformat_is_a_valid_date_time(when: datetime) -> None:
    ok(when.isoformat(), {"format": "date-time"})


def test_date_time_with_offsets() -> None:
    when = datetime(2024, 5, 6, 7, 8, 9, tzinfo=timezone(timedelta(hours=-3, minutes=-30)))
    ok(when.isoformat(), {"format": "date-time"})


def test_lengths_count_code_points() -> None:
    ok("😀😀", {"maxLength": 2})
    bad("😀😀😀", {"maxLength": 2}, "maxLength")
    bad("", {"minLength": 1}, "minLength")
    ok("é", {"minLength": 1, "maxLength": 1})


def test_numeric_bounds() -> None:
    ok(1, {"minimum": 1, "maximum": 1000})
    bad(0, {"minimum": 1}, "minimum")
    bad(1001, {"maximum": 1000}, "maximum")
    bad(1, {"exclusiveMinimum": 1}, "exclusiveMinimum")
    ok(1.0001, {"exclusiveMinimum": 1})
    bad(5, {"exclusiveMaximum": 5}, "exclusiveMaximum")
    bad(5, {"maximum": 5, "exclusiveMaximum": True}, "exclusiveMaximum")  # OpenAPI 3.0 form
    ok(Decimal("0.5"), {"minimum": 0.5})
    ok(True, {"minimum": 5})  # booleans are not numbers: bounds do not apply


def test_multiple_of() -> None:
    ok(10, {"multipleOf": 5})
    bad(11, {"multipleOf": 5}, "multipleOf")
    ok(0.3, {"multipleOf": 0.1})
    ok(0.1 + 0.2, {"multipleOf": 0.1})  # floats: tolerant
    bad(0.35, {"multipleOf": 0.1}, "multipleOf")
    ok(Decimal("19.99"), {"multipleOf": Decimal("0.01")})
    bad(Decimal("19.999"), {"multipleOf": Decimal("0.01")}, "multipleOf")
    ok(10**30, {"multipleOf": 10**10})
    bad(float("inf"), {"multipleOf": 2}, "multipleOf")


def test_arrays() -> None:
    ok([1, 2], {"items": {"type": "integer"}})
    bad([1, "x"], {"items": {"type": "integer"}}, "type", "v[1]")
    schema = {"prefixItems": [{"type": "string"}, {"type": "integer"}], "items": {"type": "null"}}
    ok(["a", 1, None], schema)
    bad(["a", "b"], schema, "type", "v[1]")
    bad(["a", 1, 2], schema, "type", "v[2]")
    bad(["a", 1, 2], {"prefixItems": [{}, {}], "items": False}, "false", "v[2]")
    bad([], {"minItems": 1}, "minItems")
    bad([1, 2, 3], {"maxItems": 2}, "maxItems")
    bad([1, 1.0], {"uniqueItems": True}, "uniqueItems")
    ok([1, True], {"uniqueItems": True})
    bad([{"a": [1]}, {"a": [1]}], {"uniqueItems": True}, "uniqueItems")


def test_objects() -> None:
    schema = {
        "required": ["id"],
        "properties": {"id": {"type": "string"}, "n": {"type": "integer"}},
        "patternProperties": {"^x-": {"type": "string"}},
        "additionalProperties": False,
    }
    ok({"id": "a", "n": 1, "x-tag": "t"}, schema)
    bad({"n": 1}, schema, "required", "v.id")
    bad({"id": 1}, schema, "type", "v.id")
    bad({"id": "a", "x-tag": 1}, schema, "type", "v['x-tag']")
    bad({"id": "a", "other": 1}, schema, "additionalProperties", "v.other")
    extra = {"additionalProperties": {"type": "integer"}}
    bad({"a": "x"}, extra, "type", "v.a")
    bad({}, {"minProperties": 1}, "minProperties")
    bad({"a": 1, "b": 2}, {"maxProperties": 1}, "maxProperties")
    bad({"toolong": 1}, {"propertyNames": {"maxLength": 3}}, "maxLength", "v.toolong")
    ok({"a": 1}, {"propertyNames": {"pattern": "^[a-z]+$"}})


def test_combinators() -> None:
    ok(5, {"allOf": [{"minimum": 1}, {"maximum": 10}]})
    bad(11, {"allOf": [{"minimum": 1}, {"maximum": 10}]}, "maximum")
    any_of = {"anyOf": [{"type": "string"}, {"type": "integer"}]}
    ok("a", any_of)
    bad(1.5, any_of, "anyOf")
    one_of = {"oneOf": [{"type": "integer"}, {"type": "number"}]}
    ok(1.5, one_of)
    bad(1, one_of, "oneOf")  # matches both
    bad("x", one_of, "oneOf")
    ok("a", {"not": {"type": "integer"}})
    bad(1, {"not": {"type": "integer"}}, "not")


def test_refs_resolve_through_the_registry_and_may_recurse() -> None:
    registry = {
        "Node": {
            "type": "object",
            "required": ["name"],
            "properties": {
                "name": {"type": "string", "minLength": 1},
                "children": {"type": "array", "items": {"$ref": "Node"}},
            },
        }
    }
    tree = {"name": "a", "children": [{"name": "b", "children": [{"name": "c"}]}]}
    ok(tree, {"$ref": "Node"}, registry)
    broken = {"name": "a", "children": [{"name": "b", "children": [{"name": ""}]}]}
    bad(broken, {"$ref": "#/components/schemas/Node"}, "minLength", "v.children[0].children[0].name",
        registry)  # fmt: skip
    with pytest.raises(KeyError):
        ok({}, {"$ref": "Missing"}, registry)


def test_comms_schemas_with_real_paths() -> None:
    schema = {"$ref": "CreateSenderPoolRequest"}
    ok({"name": "n", "senders": [{"senderId": m.SENDER}], "tags": {"a.b": "c~d"}}, schema,
       m.SCHEMAS)  # fmt: skip
    with pytest.raises(ValidationError) as info:
        validate({"senders": [{"senderId": m.SENDER}, {"senderId": "x"}]}, schema, "body",
                 m.SCHEMAS)  # fmt: skip
    assert info.value.path == "body.senders[1].senderId"
    assert str(info.value).startswith("body.senders[1].senderId: does not match")
    assert str(info.value).endswith("(pattern)")


def test_boolean_and_empty_schemas() -> None:
    ok(object(), True)
    ok(object(), {})
    bad(1, False, "false")


def test_compiled_checks_are_cached_per_schema_object() -> None:
    schema = {"type": "integer", "minimum": 1}
    assert compile_schema(schema) is compile_schema(schema)
    assert compile_schema(schema) is not compile_schema(dict(schema))
