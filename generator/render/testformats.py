"""Values on either side of each `format` the generated clients check (JSON Schema 2020-12's
meaning: RFC 3339 dates and times, RFC 4122 UUIDs, RFC 3986 URIs, RFC 5321-ish emails, IP
addresses, RFC 1123 host names) and the integer ranges of `int32`/`int64`.

Chosen by hand, independently of the runtime's checks, so that a client that stops checking a
format (or checks it wrongly) fails its tests. Formats not listed here are not checked by the
clients (JSON Schema leaves them to applications); the test files say so.
"""

from __future__ import annotations

FORMAT_CASES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "date-time": (
        ("2024-01-02T03:04:05Z", "2024-02-29T23:59:59.5+01:00"),
        ("2024-01-02", "2024-13-02T03:04:05Z", "2024-01-02T03:04:05", "not a date-time"),
    ),
    "date": (("2024-02-29",), ("2023-02-29", "2024/01/02", "2024-01-02T03:04:05Z")),
    "time": (("03:04:05Z", "23:59:59.25+02:00"), ("24:00:00Z", "3:04:05", "noon")),
    "uuid": (
        ("7f1d1c2e-8c4b-4f0e-9a51-2b8f6f3c2d10",),
        ("7f1d1c2e-8c4b-4f0e-9a51-2b8f6f3c2d1", "7f1d1c2e8c4b4f0e9a512b8f6f3c2d10", "not-a-uuid"),
    ),
    "email": (("user@example.com",), ("user.example.com", "user@", "two words@example.com")),
    "idn-email": (("user@example.com",), ("user.example.com", "user@")),
    "uri": (("https://example.com/a?b=c",), ("/relative/path", "not a uri")),
    "iri": (("https://example.com/a",), ("/relative/path", "not an iri")),
    "uri-reference": (("/relative/path?x=1",), ("has space",)),
    "ipv4": (("192.0.2.1",), ("256.0.0.1", "192.0.2", "2001:db8::1")),
    "ipv6": (("2001:db8::1",), ("2001:db8::g", "192.0.2.1")),
    "hostname": (("api.example.com",), ("-example.com", "exa mple.com", "a" * 64 + ".com")),
}

INTEGER_RANGES: dict[str, tuple[int, int]] = {
    "int32": (-(2**31), 2**31 - 1),
    "int64": (-(2**63), 2**63 - 1),
}
