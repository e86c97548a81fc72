"""The naming authority: snake/pascal, keywords, reserved names, collisions, file names."""

from __future__ import annotations

import pytest

from generator import naming


@pytest.mark.parametrize(
    ("text", "snake", "pascal"),
    [
        ("senderPoolId", "sender_pool_id", "SenderPoolId"),
        ("HTTPServer", "http_server", "HttpServer"),
        ("getV2Users", "get_v2_users", "GetV2Users"),
        ("userID", "user_id", "UserId"),
        ("x-rate-limit", "x_rate_limit", "XRateLimit"),
        ("repos/get-content", "repos_get_content", "ReposGetContent"),
        ("naïve café", "naive_cafe", "NaiveCafe"),
        ("SenderPools", "sender_pools", "SenderPools"),
    ],
)
def test_words(text: str, snake: str, pascal: str) -> None:
    assert naming.snake(text) == snake
    assert naming.pascal(text) == pascal


def test_keywords_digits_and_empty() -> None:
    assert naming.identifier("class") == "class_"
    assert naming.identifier("2fa") == "n_2fa"
    assert naming.identifier("") == "value"
    assert naming.identifier("id") == "id"  # builtins are fine
    assert naming.identifier("type") == "type"


def test_field_names_avoid_pydantic_attributes() -> None:
    assert naming.field_name("model_config") == "model_config_"
    assert naming.field_name("json") == "json_"
    assert naming.field_name("1x") == "field_1x"
    assert naming.field_name("from") == "from_"


def test_class_names_avoid_module_names() -> None:
    assert naming.class_name("field") == "FieldSchema"
    assert naming.class_name("base-model") == "BaseModelSchema"
    assert naming.class_name("404 error") == "Model404Error"


def test_scope_resolves_collisions_in_claim_order() -> None:
    scope = naming.Scope({"taken"})
    assert [scope.claim(n) for n in ("a", "a", "taken", "a")] == ["a", "a_2", "taken_2", "a_3"]


def test_module_names_are_bounded_and_plain() -> None:
    long = naming.module_name("x" * 300)
    assert len(long) <= naming.MAX_MODULE_LENGTH
    assert naming.module_name("../../etc/passwd") == "etc_passwd"
    assert naming.module_name("x" * 300) == long  # stable


def test_env_var() -> None:
    assert naming.env_var("twilio_comms", "account_id") == "TWILIO_COMMS_ACCOUNT_ID"
