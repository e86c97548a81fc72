"""The request a call must put on the wire, computed from the spec (not from the client).

Input: an IR operation and the argument values of a call (`testvalues.CallArgs`). Output:
`Expected` — method, percent-encoded path, decoded query pairs, headers, cookies and body —
following OpenAPI's serialisation rules (style/explode, RFC 6570 expansion, form and multipart
bodies) written out here independently of the runtime, so that a client that disagrees with the
spec fails its tests. `expressible` says which argument values these rules cover; optional
arguments outside them are left out of the calls.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from ..ir import BodyEncoding, Operation, Parameter, ParamLocation, RequestBody
from .testliterals import py
from .testvalues import Arg, CallArgs, body_of, jsonish

_PATH_SAFE = "/:@!$&'()*+,;=-._~%"
IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})
"""Header parameters OpenAPI says to ignore (the request's own headers decide them)."""
_GLUE = {"spaceDelimited": " ", "pipeDelimited": "|"}


@dataclass(frozen=True, slots=True)
class Body:
    content_type: str
    kind: str
    """`json`, `form`, `multipart` or `content`."""
    value: Any


@dataclass(frozen=True, slots=True)
class Expected:
    method: str
    path: str
    query: tuple[tuple[str, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    cookies: tuple[tuple[str, str], ...] = ()
    body: Body | None = None


def text(value: Any) -> str:
    """One value as parameter text: `true`/`false`, numbers, strings, JSON for the rest."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return str(value)


def _scalar(value: Any) -> bool:
    return isinstance(value, str | int | float | bool) and not (
        isinstance(value, float) and not value.is_integer() and len(repr(value)) > 12
    )


def expressible(param: Parameter, value: Any) -> bool:
    """Whether the rules here cover `value` of `param` (else the tests leave it out)."""
    if param.content_type is not None:
        return True
    if _scalar(value):
        return True
    if isinstance(value, list):
        return all(_scalar(item) for item in value)
    if isinstance(value, dict):
        flat = all(_scalar(item) for item in value.values())
        return flat and (param.location is not ParamLocation.COOKIE or param.explode)
    return False


def expected_request(op: Operation, call: CallArgs) -> Expected:
    path = _path_literal(op.path)
    query: list[tuple[str, str]] = []
    headers: list[tuple[str, str]] = []
    cookies: list[tuple[str, str]] = []
    for param in op.parameters:
        arg = call.get(param.py_name)
        if arg is None or arg.value is None:
            continue
        value = jsonish(arg.value)
        if param.location is ParamLocation.PATH:
            path = path.replace("{" + param.wire + "}", _path_value(param, value))
        elif param.location is ParamLocation.QUERY:
            query.extend(_query_pairs(param, value))
        elif param.location is ParamLocation.HEADER:
            if not _ignored(param):
                headers.append((param.wire, _header_value(param, value)))
        else:
            cookies.extend(_cookie_pairs(param, value))
    body = _body(op.body, call) if op.body is not None else None
    return Expected(
        method=op.method.upper(),
        path=path,
        query=tuple(query),
        headers=tuple(headers),
        cookies=tuple(cookies),
        body=body,
    )


def _path_literal(path: str) -> str:
    """The path template with characters outside RFC 3986 `pchar` percent-encoded; a `#…`
    (some specs tell operations apart that way) is a URL fragment, never sent."""
    parts = path.split("#", 1)[0].split("{")
    out = [quote(parts[0], safe=_PATH_SAFE)]
    for part in parts[1:]:
        name, brace, rest = part.partition("}")
        out.append("{" + name + brace + quote(rest, safe=_PATH_SAFE))
    return "".join(out)


def _enc(value: Any) -> str:
    return quote(text(value), safe="")


def _path_value(param: Parameter, value: Any) -> str:
    """RFC 6570 simple, label and matrix expansion (OpenAPI path styles)."""
    name = param.wire
    if isinstance(value, list):
        parts: list[str] | None = [_enc(item) for item in value]
    elif isinstance(value, dict):
        if param.explode:
            parts = [f"{_enc(k)}={_enc(v)}" for k, v in value.items()]
        else:
            parts = [_enc(x) for k, v in value.items() for x in (k, v)]
    else:
        parts = None
    if param.style == "label":
        joined = _enc(value) if parts is None else ("." if param.explode else ",").join(parts)
        return "." + joined
    if param.style == "matrix":
        if parts is None:
            return f";{name}={_enc(value)}"
        if param.explode and isinstance(value, dict):
            return "".join(f";{part}" for part in parts)
        if param.explode:
            return "".join(f";{name}={part}" for part in parts)
        return f";{name}=" + ",".join(parts)
    return _enc(value) if parts is None else ",".join(parts)


def _query_pairs(param: Parameter, value: Any) -> list[tuple[str, str]]:
    """Decoded (name, value) pairs of one query parameter."""
    name = param.wire
    if param.content_type is not None:
        return [(name, json.dumps(value, separators=(",", ":")))]
    if isinstance(value, dict):
        if param.style == "deepObject":
            return _deep(name, value)
        if param.explode:
            return [(k, text(v)) for k, v in value.items() if v is not None]
        return [(name, ",".join(text(x) for k, v in value.items() for x in (k, v)))]
    if isinstance(value, list):
        if not value:
            return []
        if param.explode:
            return [(name, text(item)) for item in value]
        return [(name, _GLUE.get(param.style, ",").join(text(item) for item in value))]
    return [(name, text(value))]


def _deep(prefix: str, value: dict[str, Any]) -> list[tuple[str, str]]:
    """`deepObject`: `name[key]=value`, nested objects as `name[a][b]`, arrays repeated."""
    pairs: list[tuple[str, str]] = []
    for key, item in value.items():
        name = f"{prefix}[{key}]"
        if isinstance(item, dict):
            pairs.extend(_deep(name, item))
        elif isinstance(item, list):
            pairs.extend((name, text(part)) for part in item)
        elif item is not None:
            pairs.append((name, text(item)))
    return pairs


def _header_value(param: Parameter, value: Any) -> str:
    if param.content_type is not None:
        return json.dumps(value, separators=(",", ":"))
    if isinstance(value, list):
        return ",".join(text(item) for item in value)
    if isinstance(value, dict):
        if param.explode:
            return ",".join(f"{k}={text(v)}" for k, v in value.items())
        return ",".join(text(x) for k, v in value.items() for x in (k, v))
    return text(value)


def _cookie_pairs(param: Parameter, value: Any) -> list[tuple[str, str]]:
    if param.content_type is not None:
        return [(param.wire, json.dumps(value, separators=(",", ":")))]
    if isinstance(value, list):
        if param.explode:
            return [(param.wire, text(item)) for item in value]
        return [(param.wire, ",".join(text(item) for item in value))]
    if isinstance(value, dict):
        return [(k, text(v)) for k, v in value.items()]
    return [(param.wire, text(value))]


def _body(body: RequestBody, call: CallArgs) -> Body | None:
    value = body_of(body, call)
    if value is None or (body.fields is not None and not value and not body.required):
        return None
    match body.encoding:
        case BodyEncoding.JSON:
            return Body(body.content_type, "json", jsonish(value))
        case BodyEncoding.FORM:
            return Body(body.content_type, "form", tuple(_form_pairs(jsonish(value))))
        case BodyEncoding.MULTIPART:
            parts = value.items() if isinstance(value, dict) else ()
            names = tuple(k for k, v in parts if _has_part(v))
            return Body("multipart/form-data", "multipart", names)
        case BodyEncoding.BINARY:
            ctype = body.content_type if "*" not in body.content_type else "application/octet-stream"
            return Body(ctype, "content", value)
        case BodyEncoding.TEXT:
            return Body(body.content_type, "content", str(value).encode())


def _has_part(value: Any) -> bool:
    """Whether a multipart field sends a part (`None` items send nothing)."""
    if isinstance(value, list):
        return any(item is not None for item in value)
    return value is not None


def _form_pairs(data: Any) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for key, value in (data or {}).items():
        items = value if isinstance(value, list) else [value]
        pairs.extend((key, text(item)) for item in items if item is not None)
    return pairs


def without(call: CallArgs, names: set[str]) -> CallArgs:
    return CallArgs(
        args=tuple(a for a in call.args if a.name not in names), problems=call.problems
    )


def keep_expressible(op: Operation, call: CallArgs) -> CallArgs:
    """`call` without the optional parameters whose wire form the rules here do not cover, and
    without optional header parameters OpenAPI says to ignore (nothing to test there)."""
    dropped = {
        p.py_name
        for p in op.parameters
        if not p.required
        and (arg := call.get(p.py_name)) is not None
        and (not expressible(p, jsonish(arg.value)) or _ignored(p))
    }
    return without(call, dropped)


def _ignored(param: Parameter) -> bool:
    return param.location is ParamLocation.HEADER and param.wire.lower() in IGNORED_HEADERS


def wire_source(expected: Expected) -> str:
    fields = [py(expected.method), py(expected.path)]
    if expected.query:
        fields.append(f"query={py(list(expected.query))}")
    if expected.headers:
        fields.append(f"headers={py(dict(expected.headers))}")
    if expected.cookies:
        fields.append(f"cookies={py(dict(expected.cookies))}")
    body = expected.body
    if body is not None:
        fields.append(f"content_type={py(body.content_type)}")
        value = list(body.value) if body.kind in ("form", "multipart") else body.value
        fields.append(f"{body.kind}={py(value)}")
    return f"Wire({', '.join(fields)})"


__all__ = ["Arg", "Body", "Expected", "expected_request", "keep_expressible", "text", "wire_source"]
