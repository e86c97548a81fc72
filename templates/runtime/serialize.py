"""Turning Python values into wire text: parameters by style/explode, and request bodies.

- ``jsonable``: models (by alias, unset fields left out), enums, dates, UUIDs … → JSON values.
- Path parameters (``simple``/``label``/``matrix``), percent-encoded with ``safe=""``.
- Query parameters (``form``, ``spaceDelimited``, ``pipeDelimited``, ``deepObject``), as
  already-encoded ``(name, value)`` pairs; ``None`` is left out, booleans are ``true``/``false``.
- Header and cookie parameters (``simple``/``form``); ``content_type`` parameters are JSON text.
- Bodies: JSON, ``application/x-www-form-urlencoded``, ``multipart/form-data`` (files as bytes,
  binary file objects or ``(filename, content[, content_type])`` tuples), binary and text.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any
from urllib.parse import quote

from .spec import Param

__all__ = [
    "cookie_pairs",
    "encode_binary",
    "encode_form",
    "encode_json",
    "encode_multipart",
    "header_value",
    "is_file",
    "is_model",
    "jsonable",
    "path_value",
    "query_pairs",
    "text",
]

RESERVED = ":/?#[]@!$&'()*+,;="


_PLAIN = frozenset({str, int, float, bool, type(None)})


def jsonable(value: Any) -> Any:
    """``value`` as plain JSON data (dicts, lists, str, numbers, bools, None)."""
    if type(value) in _PLAIN:
        return value
    if isinstance(value, Enum):
        return jsonable(value.value)
    if value is None or isinstance(value, str | bool | int | float | Decimal):
        return value
    if is_model(value):
        return value.model_dump(by_alias=True, exclude_unset=True, mode="json")
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(item) for item in value]
    if isinstance(value, bytes):
        return value.decode()
    return str(value)


def is_model(value: Any) -> bool:
    """A pydantic model; pydantic is imported with the first model, not with the package, so
    when it is not imported yet nothing is one."""
    pydantic = sys.modules.get("pydantic")
    return pydantic is not None and isinstance(value, pydantic.BaseModel)


def text(value: Any) -> str:
    """One JSON scalar as parameter text: ``true``/``false``, numbers, strings."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return str(value)


def _flat(value: dict[str, Any]) -> list[str]:
    return [part for key, item in value.items() for part in (key, text(item))]


# --- path -------------------------------------------------------------------------------------


def path_value(param: Param, value: Any) -> str:
    """The text that replaces ``{wire}`` in the path, per ``style``/``explode``."""
    if param.style == "simple" and type(value) is str:
        return quote(value, safe="")

    def enc(item: Any) -> str:
        return quote(text(item), safe="")

    name, explode = param.wire, param.explode
    if isinstance(value, list):
        parts = [enc(item) for item in value]
    elif isinstance(value, dict):
        items = value.items()
        parts = (
            [f"{enc(k)}={enc(v)}" for k, v in items]
            if explode
            else [enc(part) for part in _flat(value)]
        )
    else:
        parts = None
    if param.style == "label":
        return "." + (enc(value) if parts is None else ("." if explode else ",").join(parts))
    if param.style == "matrix":
        if parts is None:
            return f";{name}={enc(value)}"
        if explode and isinstance(value, dict):
            return "".join(f";{part}" for part in parts)
        if explode:
            return "".join(f";{name}={part}" for part in parts)
        return f";{name}=" + ",".join(parts)
    return enc(value) if parts is None else ",".join(parts)


# --- query ------------------------------------------------------------------------------------


def query_pairs(param: Param, value: Any) -> list[tuple[str, str]]:
    """Encoded ``(name, value)`` pairs for one query parameter."""
    safe = RESERVED if param.allow_reserved else ""

    def enc(item: Any) -> str:
        return quote(text(item), safe=safe)

    name = quote(param.wire, safe="[]")
    if param.content_type is not None:
        return [(name, quote(json.dumps(value, separators=(",", ":")), safe=safe))]
    if param.style == "deepObject" and isinstance(value, dict):
        return _deep(name, value, enc)
    if isinstance(value, list):
        if not value:
            return []
        if param.explode:
            return [(name, enc(item)) for item in value]
        glue = {"spaceDelimited": "%20", "pipeDelimited": "|"}.get(param.style, ",")
        return [(name, glue.join(enc(item) for item in value))]
    if isinstance(value, dict):
        if param.explode:
            return [(quote(k, safe=""), enc(v)) for k, v in value.items() if v is not None]
        return [(name, ",".join(enc(part) for part in _flat(value)))]
    return [(name, enc(value))]


def _deep(prefix: str, value: dict[str, Any], enc: Any) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for key, item in value.items():
        name = f"{prefix}[{quote(str(key), safe='')}]"
        if isinstance(item, dict):
            pairs.extend(_deep(name, item, enc))
        elif isinstance(item, list):
            pairs.extend((name, enc(part)) for part in item)
        elif item is not None:
            pairs.append((name, enc(item)))
    return pairs


# --- headers and cookies ----------------------------------------------------------------------


def header_value(param: Param, value: Any) -> str:
    """A header parameter (style ``simple``)."""
    if param.content_type is not None:
        return json.dumps(value, separators=(",", ":"))
    if isinstance(value, list):
        return ",".join(text(item) for item in value)
    if isinstance(value, dict):
        if param.explode:
            return ",".join(f"{k}={text(v)}" for k, v in value.items())
        return ",".join(_flat(value))
    return text(value)


def cookie_pairs(param: Param, value: Any) -> list[tuple[str, str]]:
    """``(name, value)`` pairs for one cookie parameter (style ``form``)."""
    if param.content_type is not None:
        return [(param.wire, quote(json.dumps(value, separators=(",", ":")), safe=""))]
    if isinstance(value, list):
        if param.explode:
            return [(param.wire, quote(text(item), safe="")) for item in value]
        return [(param.wire, ",".join(quote(text(item), safe="") for item in value))]
    if isinstance(value, dict):
        if param.explode:
            return [(k, quote(text(v), safe="")) for k, v in value.items()]
        return [(param.wire, ",".join(quote(part, safe="") for part in _flat(value)))]
    return [(param.wire, quote(text(value), safe=""))]


# --- bodies -----------------------------------------------------------------------------------


def encode_json(data: Any) -> bytes:
    """Compact UTF-8 JSON."""
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()


def encode_form(data: Mapping[str, Any]) -> bytes:
    """``application/x-www-form-urlencoded``: arrays repeat the key, objects are JSON text."""
    pairs: list[str] = []
    for key, value in data.items():
        items = value if isinstance(value, list) else [value]
        pairs.extend(
            f"{quote(key, safe='')}={quote(text(item), safe='')}"
            for item in items
            if item is not None
        )
    return "&".join(pairs).encode()


def is_file(value: Any) -> bool:
    """Whether ``value`` is a file upload (bytes, a file object or a filename tuple)."""
    if isinstance(value, bytes | bytearray | memoryview) or hasattr(value, "read"):
        return True
    return (
        isinstance(value, tuple)
        and len(value) in (2, 3)
        and isinstance(value[0], str)
        and (isinstance(value[1], bytes | bytearray) or hasattr(value[1], "read"))
    )


def encode_binary(value: Any) -> bytes:
    """Bytes from bytes-like values, binary file objects (read whole) and strings."""
    if isinstance(value, str):
        return value.encode()
    if hasattr(value, "read"):
        content = value.read()
        return content.encode() if isinstance(content, str) else bytes(content)
    return bytes(value)


def _file_part(name: str, value: Any) -> tuple[str, bytes, str]:
    if isinstance(value, tuple):
        filename, content = value[0], value[1]
        ctype = value[2] if len(value) == 3 else "application/octet-stream"
        return filename, encode_binary(content), ctype
    filename = os.path.basename(str(getattr(value, "name", "") or name))
    return filename, encode_binary(value), "application/octet-stream"


def _quote_header(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")


def encode_multipart(data: Mapping[str, Any]) -> tuple[bytes, str]:
    """``multipart/form-data``: files as file parts, objects as JSON parts, scalars as text."""
    boundary = os.urandom(16).hex()
    chunks: list[bytes] = []
    for key, value in data.items():
        for item in value if isinstance(value, list) and not is_file(value) else [value]:
            if item is None:
                continue
            disposition = f'form-data; name="{_quote_header(key)}"'
            if is_file(item):
                filename, content, ctype = _file_part(key, item)
                disposition += f'; filename="{_quote_header(filename)}"'
            elif isinstance(plain := jsonable(item), dict | list):
                content, ctype = encode_json(plain), "application/json"
            else:
                content, ctype = text(plain).encode(), "text/plain; charset=utf-8"
            head = f"--{boundary}\r\nContent-Disposition: {disposition}\r\n"
            chunks.append(f"{head}Content-Type: {ctype}\r\n\r\n".encode() + content + b"\r\n")
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"
