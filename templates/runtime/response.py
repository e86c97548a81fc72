"""Reading answers: the declared success body per content type, and typed errors for the rest.

Success: the ``Response`` declared for the status (exact, ``2XX``, else the first declared)
says what to parse: JSON into ``type_`` through a cached ``TypeAdapter`` (types and required
fields enforced, value constraints not — unless ``strict`` asks for the constraint schema too),
``bytes`` for binary, ``str`` for text, ``None`` for 204 or no content. A JSON answer that is
empty, not JSON, of a non-JSON content type (none at all counts as JSON; so do
``application/*+json`` types) or of the wrong shape raises ``ResponseValidationError``.

Errors: the class for the status, ``.body`` parsed into the declared ``ErrorResponse`` type
(exact status, then ``4XX``/``5XX``, then ``default``), else JSON, else text.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from functools import cache
from typing import TYPE_CHECKING, Any

import httpx

from .errors import (
    ApiError,
    ResponseValidationError,
    ValidationError,
    error_for_status,
    redact_url,
)
from .retry import retry_after
from .spec import ErrorResponse, Operation, Response
from .validation import Registry, validate

if TYPE_CHECKING:
    import pydantic

__all__ = ["build_error", "is_json", "match_response", "parse_json", "parse_success"]


def is_json(content_type: str) -> bool:
    """``application/json``, ``application/*+json`` and ``text/json`` (parameters ignored)."""
    mime = content_type.split(";", 1)[0].strip().lower()
    return mime in ("application/json", "text/json") or mime.endswith("+json")


def match_response(op: Operation[Any], status: int) -> Response | None:
    """The declared success response for ``status``."""
    code = str(status)
    family = f"{code[0]}XX"
    for candidate in op.responses:
        if candidate.status == code:
            return candidate
    for candidate in op.responses:
        if candidate.status.upper() in (family, "DEFAULT"):
            return candidate
    return op.responses[0] if op.responses else None


def parse_success(
    op: Operation[Any],
    response: httpx.Response,
    *,
    strict: bool,
    registry: Registry,
    hidden: Iterable[str] = (),
) -> Any:
    """The parsed body of a 2xx answer to ``op`` (``hidden``: query names to redact)."""
    declared = match_response(op, response.status_code)
    if declared is None or declared.kind == "none" or response.status_code == 204:
        return None
    if declared.kind == "binary":
        return response.content
    if declared.kind == "text":
        return response.text
    schema = declared.schema if strict else None
    return parse_json(
        response, declared.type_, op.name, schema=schema, registry=registry, hidden=hidden
    )


def parse_json(
    response: httpx.Response,
    type_: Any,
    operation: str,
    *,
    schema: Any = None,
    registry: Registry = None,
    hidden: Iterable[str] = (),
) -> Any:
    """Parse a JSON body into ``type_`` (plain JSON when ``None``) or raise
    ``ResponseValidationError``."""
    content_type = response.headers.get("content-type")
    if content_type is not None and not is_json(content_type):
        message = f"has content type {content_type!r}, expected JSON"
        raise _invalid(response, operation, hidden, message)
    content = response.content
    if not content.strip():
        raise _invalid(response, operation, hidden, "is empty, expected JSON")
    try:
        types = _adapter()(type_) if type_ is not None else None
        data = types.validate_json(content) if types is not None else json.loads(content)
        if schema is not None:
            validate(json.loads(content), schema, "response", registry)
    except ValidationError as exc:
        message = f"breaks the documented constraints: {exc}"
        raise _invalid(response, operation, hidden, message) from None
    except ValueError as exc:  # pydantic.ValidationError is a ValueError too
        raise _invalid(response, operation, hidden, _describe(exc)) from None
    return data


@cache
def _adapter() -> Callable[[Any], pydantic.TypeAdapter[Any]]:
    """``model.adapter``, imported on the first parse: pydantic loads with the first model,
    not with the package (an import statement in ``parse_json`` would cost ~2 µs a call)."""
    from .model import adapter

    return adapter


def _invalid(
    response: httpx.Response, operation: str, hidden: Iterable[str], message: str
) -> ResponseValidationError:
    request = response.request
    url = redact_url(request.url, hidden)
    return ResponseValidationError(
        message, operation=operation, response=response, method=request.method, url=url
    )


def _describe(exc: ValueError) -> str:
    import pydantic

    if not isinstance(exc, pydantic.ValidationError):
        return "is not valid JSON"
    errors = exc.errors(include_url=False, include_input=False)
    if any(error["type"] == "json_invalid" for error in errors):
        return "is not valid JSON"
    shown = "; ".join(
        f"{'.'.join(str(part) for part in error['loc']) or '(root)'}: {error['msg']}"
        for error in errors[:3]
    )
    more = f" (+{len(errors) - 3} more)" if len(errors) > 3 else ""
    return f"does not match the declared type: {shown}{more}"


def _match_error(errors: tuple[ErrorResponse, ...], status: int) -> ErrorResponse | None:
    code, family = str(status), f"{str(status)[0]}XX"
    for wanted in (code, family, "DEFAULT"):
        for candidate in errors:
            if candidate.status.upper() == wanted:
                return candidate
    return None


def _error_body(declared: ErrorResponse | None, response: httpx.Response) -> Any:
    content = response.content
    if not content.strip():
        return None
    if declared is not None and declared.kind == "json" and declared.type_ is not None:
        try:
            return _adapter()(declared.type_).validate_json(content)
        except ValueError:  # pydantic.ValidationError too
            pass
    try:
        return json.loads(content)
    except ValueError:
        return response.text


def build_error(op: Operation[Any] | None, response: httpx.Response, url: str) -> ApiError:
    """The typed error for a non-2xx answer (``url`` already redacted)."""
    declared = _match_error(op.errors, response.status_code) if op is not None else None
    return error_for_status(
        response.status_code,
        method=response.request.method,
        url=url,
        headers=response.headers,
        body=_error_body(declared, response),
        retry_after=retry_after(response.headers),
    )
