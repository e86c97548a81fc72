"""Declarative descriptions of an API and its operations.

Generated code builds these objects once, at import time, and hands them to the runtime
(`client.py`, `resource.py`): per-operation code is a short declarative call, and all behaviour
(serialisation, auth, retries, parsing, pagination, waiting) lives in one place.

Names in these descriptors are of two kinds: ``name`` is the Python name the caller uses,
``wire`` is the name the spec uses on the wire. Attribute paths (``items``, ``next`` …) are
dotted Python attribute names into the parsed response model.

Constraint schemas (``schema`` fields) are the validator dialect of ``validation.py``: a subset of
JSON Schema over wire names, with patterns already translated to Python ``re`` syntax.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any, Generic, Literal, TypeVar

T = TypeVar("T")

JsonSchema = Mapping[str, Any]
ParamLocation = Literal["path", "query", "header", "cookie"]
BodyEncoding = Literal["json", "form", "multipart", "binary", "text"]
ResponseKind = Literal["json", "text", "binary", "none"]


@dataclass(frozen=True, slots=True)
class Param:
    """One path, query, header or cookie parameter."""

    name: str
    wire: str
    location: ParamLocation
    style: str
    explode: bool
    required: bool = False
    schema: JsonSchema | None = None
    allow_reserved: bool = False
    content_type: str | None = None


@dataclass(frozen=True, slots=True)
class BodyField:
    """One property of an object body that the method takes as a keyword argument."""

    name: str
    wire: str
    required: bool = False
    nullable: bool = False


@dataclass(frozen=True, slots=True)
class Body:
    """The request body: either flattened ``fields`` or the single ``body`` argument."""

    content_type: str
    encoding: BodyEncoding
    required: bool = False
    fields: tuple[BodyField, ...] | None = None
    type_: Any = None
    schema: JsonSchema | None = None


@dataclass(frozen=True, slots=True)
class Header:
    """A documented response header, exposed as a typed attribute of the raw response."""

    name: str
    wire: str


@dataclass(frozen=True, slots=True)
class Response:
    """A success response: what to parse the body into."""

    status: str
    kind: ResponseKind
    content_type: str | None = None
    type_: Any = None
    schema: JsonSchema | None = None
    headers: tuple[Header, ...] = ()


@dataclass(frozen=True, slots=True)
class ErrorResponse:
    """A declared error response (``"404"``, ``"4XX"``, ``"default"``) and its body type."""

    status: str
    kind: ResponseKind
    type_: Any = None


@dataclass(frozen=True, slots=True)
class Pagination:
    """How to fetch the next page of a list operation.

    ``cursor``: ``next`` is the attribute path of the next token in the response, passed back
    as the request parameter ``param``; or, with ``has_more``, the token is attribute
    ``last_item`` of the last item. ``offset``: ``param`` is advanced by the number of items
    received. ``page``: ``param`` is advanced by one. ``link``: the next URL comes from the
    ``Link: <…>; rel="next"`` response header.
    """

    style: Literal["cursor", "offset", "page", "link"]
    items: str
    param: str | None = None
    next: str | None = None
    has_more: str | None = None
    last_item: str | None = None
    first_page: int = 1
    """``page`` style: the number of the page a call without ``param`` returns."""


@dataclass(frozen=True, slots=True)
class LongRunning:
    """How to follow an operation that answers 202 with a reference to an operation resource.

    The URL comes from the response header ``header`` or the body attribute path ``field``
    (the first that is present, header first). Each poll is parsed into ``poll_type``; waiting
    stops when the attribute ``status`` is no longer one of ``pending``.
    """

    poll_type: Any
    status: str
    pending: tuple[str, ...]
    header: str | None = None
    field: str | None = None


@dataclass(frozen=True, slots=True)
class Operation(Generic[T]):
    """One operation of the API. ``T`` is what the plain method returns."""

    name: str
    method: str
    path: str
    params: tuple[Param, ...] = ()
    body: Body | None = None
    responses: tuple[Response, ...] = ()
    errors: tuple[ErrorResponse, ...] = ()
    security: tuple[tuple[str, ...], ...] | None = None
    idempotency_header: str | None = None
    pagination: Pagination | None = None
    long_running: LongRunning | None = None
    deprecated: bool = False


@dataclass(frozen=True, slots=True)
class HttpBasic:
    """HTTP Basic: ``username`` and ``password`` are the credential argument names."""

    name: str
    username: str
    password: str


@dataclass(frozen=True, slots=True)
class HttpBearer:
    """HTTP Bearer (also used for OAuth2 flows other than client credentials, and OpenID)."""

    name: str
    token: str


@dataclass(frozen=True, slots=True)
class ApiKey:
    """An API key sent as header, query parameter or cookie ``wire``."""

    name: str
    arg: str
    location: Literal["header", "query", "cookie"]
    wire: str


@dataclass(frozen=True, slots=True)
class OAuth2ClientCredentials:
    """OAuth2 client credentials: a token fetched from ``token_url``, cached, refreshed."""

    name: str
    client_id: str
    client_secret: str
    token_url: str
    scopes: tuple[str, ...] = ()


SecurityScheme = HttpBasic | HttpBearer | ApiKey | OAuth2ClientCredentials


class SchemaFile(Mapping[str, JsonSchema]):
    """The package's named constraint schemas, read from its ``validators.json`` on first use.

    Kept as data, not code: importing the client costs nothing for them, and a large API's
    schemas are parsed once, by ``json``, only when something is validated.
    """

    def __init__(self, package: str, name: str = "validators.json") -> None:
        self._package = package
        self._name = name
        self._data: dict[str, JsonSchema] | None = None

    def _load(self) -> dict[str, JsonSchema]:
        if self._data is None:
            text = resources.files(self._package).joinpath(self._name).read_text(encoding="utf-8")
            self._data = json.loads(text)
        return self._data

    def __getitem__(self, key: str) -> JsonSchema:
        return self._load()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())


@dataclass(frozen=True, slots=True)
class Api:
    """What the client needs to know about the API as a whole."""

    package: str
    title: str
    version: str
    base_url: str
    schemes: tuple[SecurityScheme, ...] = ()
    security: tuple[tuple[str, ...], ...] = ()
    schemas: Mapping[str, JsonSchema] | None = None
    client_version: str | None = None
    """Version of the generated package, for the User-Agent (default: ``version``)."""
