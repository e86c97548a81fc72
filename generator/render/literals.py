"""Spec text → safe Python source: literals and docstrings.

Every string from the spec reaches generated code through one of these functions, never raw:
`literal` prints any JSON value as a Python expression (control, bidi and invisible characters
escaped by `repr`); `docstring` makes text safe inside a triple-quoted docstring (backslashes,
quotes, control and bidi characters escaped); `comment` makes one line of text safe after `#`;
`toml_string` quotes text for `pyproject.toml`.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from ..diagnostics import INVISIBLE

_SURROGATES = re.compile("[\ud800-\udfff]")


def escape_invisible(text: str) -> str:
    """Control, bidi and invisible characters as visible `\\uXXXX` text."""
    return INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def literal(value: Any) -> str:
    """A Python expression equal to the JSON value `value`."""
    if value is None or isinstance(value, bool | int):
        return repr(value)
    if isinstance(value, float):
        if math.isnan(value):
            return 'float("nan")'
        if math.isinf(value):
            return 'float("inf")' if value > 0 else 'float("-inf")'
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list | tuple):
        inner = ", ".join(literal(v) for v in value)
        return (
            f"[{inner}]"
            if isinstance(value, list)
            else f"({inner}{',' if len(value) == 1 else ''})"
        )
    if isinstance(value, dict):
        return "{" + ", ".join(f"{literal(str(k))}: {literal(v)}" for k, v in value.items()) + "}"
    return _string(str(value))


def _string(value: str) -> str:
    if value.isascii() and value.isprintable() and '"' not in value and "\\" not in value:
        return f'"{value}"'  # most strings: nothing to escape
    return _quoted(value)


def _quoted(value: str) -> str:
    """`repr`, with black's choice of quotes: double unless they need more escapes."""
    text = repr(value)
    if text.startswith("'") and value.count('"') <= value.count("'"):
        # In repr's body every `'` is escaped (so no `\\'` here is half of a `\\\\`).
        text = '"' + text[1:-1].replace("\\'", "'").replace('"', '\\"') + '"'
    return escape_invisible(text)


def docstring(text: str | None, indent: int = 0) -> str:
    """Text for the inside of a `\"\"\"…\"\"\"` docstring (no surrounding quotes).

    Lines after the first are indented by `indent` spaces; a multi-line docstring ends with a
    newline and the indentation, so that the closing quotes sit on their own line.
    """
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\\", "\\\\")
    # a lone surrogate cannot be in a class's __doc__ (CPython stores it as UTF-8): as text
    text = _SURROGATES.sub(lambda m: f"\\\\u{ord(m.group()):04x}", text)
    text = text.replace('"""', '\\"\\"\\"')
    text = escape_invisible(text.replace("\t", "    "))
    lines = [line.rstrip() for line in text.strip().split("\n")]
    pad = " " * indent
    text = "\n".join([lines[0], *[pad + line if line else "" for line in lines[1:]]])
    if text.endswith('"') and _unescaped_end(text):
        text = text[:-1] + '\\"'
    return text + ("\n" + pad if len(lines) > 1 else "")


def _unescaped_end(text: str) -> bool:
    """Whether the last character is not already escaped (an even run of backslashes before)."""
    body = text[:-1]
    return (len(body) - len(body.rstrip("\\"))) % 2 == 0


def toml_string(text: str) -> str:
    """A TOML basic string equal to `text` (lone surrogates, which TOML cannot hold, as U+FFFD)."""
    quoted = json.dumps(_SURROGATES.sub("\ufffd", text), ensure_ascii=False)
    return INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def comment(text: str | None) -> str:
    """One line of text, safe after `#`."""
    if not text:
        return ""
    return escape_invisible(" ".join(text.split()))
