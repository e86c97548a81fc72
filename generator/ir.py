"""The intermediate representation: what the API is, independent of how it is rendered.

Plain frozen dataclasses (tuples, not lists), built once by `build/` and read by `render/`,
`lint`, `diff` and `oagen ir`. Every node carries its `origin` (file + JSON pointer). Every
Python name in here (`name`, `py_name`, class names) was decided by `naming.py`; nothing later
invents names.

Schemas: every schema that becomes a class (objects with properties, unions of objects) is
*named* and listed once in `Api.schemas`; everywhere else a schema is either inline (`Schema`)
or a reference to a named one (`SchemaRef`). Recursion goes through `SchemaRef`, so the IR is a
tree plus a name table.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, TypeAlias

from .diagnostics import Origin

JsonValue: TypeAlias = Any
"""A JSON value from the spec (examples, defaults, enum members): never mutated."""


class ParamLocation(enum.Enum):
    PATH = "path"
    QUERY = "query"
    HEADER = "header"
    COOKIE = "cookie"


class BodyEncoding(enum.Enum):
    JSON = "json"
    FORM = "form"
    MULTIPART = "multipart"
    BINARY = "binary"
    TEXT = "text"


@dataclass(frozen=True, slots=True, kw_only=True)
class Pattern:
    """A `pattern` keyword: the ECMA-262 source and how Python runs it."""

    ecma: str
    python: str | None
    engine: str
    """`re` (python is a faithful translation), `regress` (ECMA engine at run time), `invalid`."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SchemaRef:
    """A reference to a named schema (`Api.schemas[name]`)."""

    name: str
    origin: Origin


@dataclass(frozen=True, slots=True, kw_only=True)
class Property:
    wire: str
    py_name: str
    schema: SchemaNode
    required: bool = False
    origin: Origin


@dataclass(frozen=True, slots=True, kw_only=True)
class Discriminator:
    property: str
    mapping: tuple[tuple[str, str], ...] = ()
    """(wire value, schema name) pairs."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Schema:
    """A JSON Schema, normalised across OpenAPI 3.0 and 3.1.

    `types` is the set of JSON types allowed (empty: any); `"null"` in it means nullable.
    Numeric bounds use the 3.1 form (exclusive bounds are numbers).
    """

    origin: Origin
    types: tuple[str, ...] = ()
    format: str | None = None
    title: str | None = None
    description: str | None = None
    deprecated: bool = False
    read_only: bool = False
    write_only: bool = False
    default: JsonValue = None
    has_default: bool = False
    examples: tuple[JsonValue, ...] = ()
    enum: tuple[JsonValue, ...] | None = None
    const: JsonValue = None
    has_const: bool = False
    pattern: Pattern | None = None
    min_length: int | None = None
    max_length: int | None = None
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: float | None = None
    exclusive_maximum: float | None = None
    multiple_of: float | None = None
    items: SchemaNode | None = None
    prefix_items: tuple[SchemaNode, ...] = ()
    min_items: int | None = None
    max_items: int | None = None
    unique_items: bool = False
    properties: tuple[Property, ...] = ()
    additional: SchemaNode | bool | None = None
    pattern_properties: tuple[tuple[Pattern, SchemaNode], ...] = ()
    property_names: SchemaNode | None = None
    min_properties: int | None = None
    max_properties: int | None = None
    all_of: tuple[SchemaNode, ...] = ()
    any_of: tuple[SchemaNode, ...] = ()
    one_of: tuple[SchemaNode, ...] = ()
    not_: SchemaNode | None = None
    discriminator: Discriminator | None = None
    content_media_type: str | None = None
    falsy: bool = False
    """The boolean schema `false` (nothing is valid)."""

    @property
    def nullable(self) -> bool:
        return "null" in self.types

    @property
    def is_object(self) -> bool:
        return (
            bool(self.properties) or self.types == ("object",) or self.types == ("null", "object")
        )


SchemaNode: TypeAlias = Schema | SchemaRef


@dataclass(frozen=True, slots=True, kw_only=True)
class NamedSchema:
    """A schema that becomes a model class (or a type alias) named `name`."""

    name: str
    schema: Schema
    origin: Origin
    hoisted: bool = False
    """True for inline schemas given a name derived from their location."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Server:
    url: str
    description: str | None = None
    variables: tuple[tuple[str, str], ...] = ()
    """(name, default) pairs."""

    @property
    def resolved_url(self) -> str:
        url = self.url
        for name, default in self.variables:
            url = url.replace("{" + name + "}", default)
        return url


class SecurityKind(enum.Enum):
    BASIC = "basic"
    BEARER = "bearer"
    API_KEY = "apiKey"
    OAUTH2_CLIENT_CREDENTIALS = "oauth2ClientCredentials"


@dataclass(frozen=True, slots=True, kw_only=True)
class Credential:
    """One credential argument of the client constructor, e.g. `account_id`."""

    arg: str
    env: str
    description: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SecurityScheme:
    name: str
    kind: SecurityKind
    credentials: tuple[Credential, ...]
    origin: Origin
    description: str | None = None
    location: str | None = None
    """apiKey: header, query or cookie."""
    wire: str | None = None
    """apiKey: the header, query parameter or cookie name."""
    token_url: str | None = None
    scopes: tuple[str, ...] = ()


SecurityRequirement: TypeAlias = tuple[str, ...]
"""Scheme names that must all be applied together; a list of these is a set of alternatives."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Parameter:
    wire: str
    py_name: str
    location: ParamLocation
    schema: SchemaNode
    required: bool
    style: str
    explode: bool
    origin: Origin
    description: str | None = None
    deprecated: bool = False
    allow_reserved: bool = False
    content_type: str | None = None
    example: JsonValue = None
    has_example: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class BodyField:
    """An object body's property, taken by the method as a keyword argument."""

    property: Property
    nullable: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestBody:
    content_type: str
    encoding: BodyEncoding
    schema: SchemaNode | None
    required: bool
    origin: Origin
    fields: tuple[BodyField, ...] | None = None
    """Set when the body is an object whose properties become keyword arguments."""
    other_content_types: tuple[str, ...] = ()
    description: str | None = None
    example: JsonValue = None
    has_example: bool = False


class ResponseKind(enum.Enum):
    JSON = "json"
    TEXT = "text"
    BINARY = "binary"
    NONE = "none"


@dataclass(frozen=True, slots=True, kw_only=True)
class ResponseHeader:
    wire: str
    py_name: str
    schema: SchemaNode | None
    description: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Response:
    status: str
    """"200", "2XX", "default"."""
    kind: ResponseKind
    content_type: str | None
    schema: SchemaNode | None
    origin: Origin
    description: str | None = None
    headers: tuple[ResponseHeader, ...] = ()
    example: JsonValue = None
    has_example: bool = False

    @property
    def is_success(self) -> bool:
        return self.status.startswith("2")


class PaginationStyle(enum.Enum):
    CURSOR = "cursor"
    OFFSET = "offset"
    PAGE = "page"
    LINK = "link"


@dataclass(frozen=True, slots=True, kw_only=True)
class Pagination:
    style: PaginationStyle
    items: tuple[str, ...]
    """Python attribute path to the list of items in the parsed response."""
    item_schema: SchemaNode | None
    param: str | None = None
    """Python name of the request parameter that carries the token/offset/page."""
    next: tuple[str, ...] | None = None
    has_more: tuple[str, ...] | None = None
    last_item: str | None = None
    source: str = "detected"
    """`detected` or `x-oagen-pagination`."""


@dataclass(frozen=True, slots=True, kw_only=True)
class LongRunning:
    poll_operation: str
    """operation_id of the GET that reads the operation resource."""
    poll_schema: SchemaRef
    status: str
    """Python attribute name of the status field in the poll model."""
    pending: tuple[str, ...]
    header: str | None = None
    field: tuple[str, ...] | None = None
    source: str = "detected"
    wait_name: str = ""
    """The companion method, `<name>_and_wait` unless that name was taken."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Operation:
    operation_id: str
    """The spec's operationId, or one derived from method and path."""
    group: str
    name: str
    """Python method name within the group."""
    method: str
    path: str
    origin: Origin
    summary: str | None = None
    description: str | None = None
    deprecated: bool = False
    tags: tuple[str, ...] = ()
    parameters: tuple[Parameter, ...] = ()
    body: RequestBody | None = None
    responses: tuple[Response, ...] = ()
    security: tuple[SecurityRequirement, ...] | None = None
    """None: the API's default security applies; () means no auth."""
    idempotency_header: str | None = None
    pagination: Pagination | None = None
    long_running: LongRunning | None = None
    raw_name: str | None = None
    """Class of the raw response when success responses document headers."""

    @property
    def success(self) -> tuple[Response, ...]:
        return tuple(r for r in self.responses if r.is_success)

    @property
    def errors(self) -> tuple[Response, ...]:
        return tuple(r for r in self.responses if not r.is_success)


@dataclass(frozen=True, slots=True, kw_only=True)
class Group:
    name: str
    """snake_case attribute name on the client (`sender_pools`)."""
    class_name: str
    """Resource class name (`SenderPools`)."""
    module: str
    """Module (file) name under `resources/`."""
    operations: tuple[Operation, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Approximation:
    """Something the generated client does not represent exactly (listed in its README)."""

    message: str
    origin: Origin


@dataclass(frozen=True, slots=True, kw_only=True)
class Api:
    title: str
    version: str
    description: str | None
    openapi_version: str
    package: str
    env_prefix: str
    servers: tuple[Server, ...]
    schemes: tuple[SecurityScheme, ...]
    security: tuple[SecurityRequirement, ...]
    groups: tuple[Group, ...]
    schemas: tuple[NamedSchema, ...]
    origin: Origin
    approximations: tuple[Approximation, ...] = ()
    webhooks: tuple[str, ...] = ()
    patterns: tuple[Pattern, ...] = ()
    """Every distinct `pattern` in the spec, in first-seen order."""

    @property
    def operations(self) -> tuple[Operation, ...]:
        return tuple(op for group in self.groups for op in group.operations)

    @property
    def base_url(self) -> str:
        return self.servers[0].resolved_url if self.servers else ""

    def schema(self, name: str) -> NamedSchema:
        for named in self.schemas:
            if named.name == name:
                return named
        raise KeyError(name)
