"""A hand-made mini API in the exact shape of generated code (docs/generated-shape.md).

It stands for what the generator writes: models deriving from the runtime's BaseModel, the
``API`` description, constraint schemas, operation descriptors, resources with their raw views,
and ``Client``/``AsyncClient``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from enum import Enum
from functools import cached_property
from typing import Any

import httpx
from fakepkg._runtime.client import AsyncBaseClient, SyncBaseClient
from fakepkg._runtime.model import BaseModel
from fakepkg._runtime.pagination import AsyncPager, SyncPage
from fakepkg._runtime.raw import RawResponse
from fakepkg._runtime.resource import AsyncRawResource, AsyncResource, SyncRawResource, SyncResource
from fakepkg._runtime.spec import (
    Api,
    Body,
    BodyField,
    ErrorResponse,
    Header,
    HttpBasic,
    LongRunning,
    Operation,
    Pagination,
    Param,
    Response,
)
from fakepkg._runtime.types import NOT_GIVEN, NotGiven
from pydantic import Field

# --- models (datamodel-code-generator style) --------------------------------------------------


class SenderRef(BaseModel):
    sender_id: str = Field(alias="senderId")


class SenderPool(BaseModel):
    id: str
    name: str
    tags: dict[str, str] | None = None
    created_at: datetime | None = Field(None, alias="createdAt")


class PageInfo(BaseModel):
    next: str | None = None
    self_: str | None = Field(None, alias="self")


class ListSenderPoolsResponse(BaseModel):
    sender_pools: list[SenderPool] = Field(alias="senderPools")
    pagination: PageInfo


class CreateSenderPoolRequest(BaseModel):
    name: str | None = None
    senders: list[SenderRef] | None = None
    tags: dict[str, str] | None = None
    description: str | None = None


class OperationRef(BaseModel):
    operation_id: str = Field(alias="operationId")
    operation_location: str | None = Field(None, alias="operationLocation")


class OperationStatus(Enum):
    PROCESSING = "PROCESSING"
    COMPLETED = "COMPLETED"
    CANCELED = "CANCELED"


class SenderPoolOperation(BaseModel):
    id: str
    status: OperationStatus


class Error(BaseModel):
    code: int
    message: str


# --- API description and constraint schemas ---------------------------------------------------

POOL_ID = r"^comms_senderpool_[0-7][a-hjkmnpqrstv-z0-9]{25,34}"
SENDER_ID = r"^comms_sender_[0-7][a-hjkmnpqrstv-z0-9]{25,34}"
TAG = r"^[a-zA-Z0-9._~-]+$"

SCHEMAS: dict[str, Any] = {
    "SenderRef": {
        "type": "object",
        "required": ["senderId"],
        "properties": {"senderId": {"type": "string", "pattern": SENDER_ID}},
    },
    "Tags": {
        "type": "object",
        "maxProperties": 10,
        "propertyNames": {"maxLength": 128, "pattern": TAG},
        "additionalProperties": {"type": "string", "maxLength": 256, "pattern": TAG},
    },
    "CreateSenderPoolRequest": {
        "type": "object",
        "properties": {
            "name": {"type": "string", "minLength": 1, "maxLength": 64},
            "senders": {"type": "array", "maxItems": 10000, "items": {"$ref": "SenderRef"}},
            "tags": {"$ref": "Tags"},
            "description": {"type": ["string", "null"]},
        },
    },
}

API = Api(
    package="mini_comms",
    title="Mini Comms API",
    version="1.0.0",
    base_url="https://comms.example.com",
    schemes=(
        HttpBasic(name="accountAuth", username="account_id", password="auth_token"),
        HttpBasic(name="apiKeyAuth", username="api_key", password="api_key_secret"),
    ),
    security=(("accountAuth",), ("apiKeyAuth",)),
    schemas=SCHEMAS,
    client_version="0.1.0",
)

_ERRORS = (
    ErrorResponse(status="400", kind="json", type_=Error),
    ErrorResponse(status="404", kind="json", type_=Error),
    ErrorResponse(status="5XX", kind="json", type_=Error),
)

_LIST: Operation[ListSenderPoolsResponse] = Operation(
    name="list",
    method="GET",
    path="/v1/SenderPools",
    params=(
        Param(name="start_date", wire="startDate", location="query", style="form", explode=True,
              schema={"type": "string", "format": "date-time"}),
        Param(name="page_token", wire="pageToken", location="query", style="form", explode=True),
        Param(name="page_size", wire="pageSize", location="query", style="form", explode=True,
              schema={"type": "integer", "minimum": 1, "maximum": 1000}),
    ),
    responses=(Response(status="200", kind="json", content_type="application/json",
                        type_=ListSenderPoolsResponse),),
    errors=_ERRORS,
    pagination=Pagination(style="cursor", items="sender_pools", param="page_token",
                          next="pagination.next"),
)  # fmt: skip

_FETCH: Operation[SenderPool] = Operation(
    name="fetch",
    method="GET",
    path="/v1/SenderPools/{senderPoolId}",
    params=(
        Param(name="sender_pool_id", wire="senderPoolId", location="path", style="simple",
              explode=False, required=True, schema={"type": "string", "pattern": POOL_ID}),
    ),
    responses=(Response(status="200", kind="json", content_type="application/json",
                        type_=SenderPool, headers=(Header(name="etag", wire="ETag"),)),),
    errors=_ERRORS,
)  # fmt: skip

_CREATE: Operation[OperationRef] = Operation(
    name="create",
    method="POST",
    path="/v1/SenderPools",
    body=Body(
        content_type="application/json",
        encoding="json",
        fields=(
            BodyField(name="name", wire="name"),
            BodyField(name="senders", wire="senders"),
            BodyField(name="tags", wire="tags"),
            BodyField(name="description", wire="description", nullable=True),
        ),
        type_=CreateSenderPoolRequest,
        schema={"$ref": "CreateSenderPoolRequest"},
    ),
    responses=(Response(status="202", kind="json", content_type="application/json",
                        type_=OperationRef, headers=(Header(name="location", wire="Location"),)),),
    errors=_ERRORS,
    idempotency_header="Idempotency-Key",
)  # fmt: skip

_LRO = LongRunning(
    poll_type=SenderPoolOperation,
    status="status",
    pending=("PROCESSING",),
    header="Location",
    field="operation_location",
)

_ADD_SENDERS: Operation[OperationRef] = Operation(
    name="add_senders",
    method="POST",
    path="/v1/SenderPools/{senderPoolId}/Senders",
    params=(
        Param(name="sender_pool_id", wire="senderPoolId", location="path", style="simple",
              explode=False, required=True, schema={"type": "string", "pattern": POOL_ID}),
    ),
    body=Body(content_type="application/json", encoding="json", required=True,
              type_=list[SenderRef], schema={"type": "array", "items": {"$ref": "SenderRef"}}),
    responses=(Response(status="202", kind="json", content_type="application/json",
                        type_=OperationRef, headers=(Header(name="location", wire="Location"),)),),
    errors=_ERRORS,
    long_running=_LRO,
)  # fmt: skip

_DELETE: Operation[None] = Operation(
    name="delete",
    method="DELETE",
    path="/v1/SenderPools/{senderPoolId}",
    params=(
        Param(name="sender_pool_id", wire="senderPoolId", location="path", style="simple",
              explode=False, required=True),
    ),
    responses=(Response(status="204", kind="none"),),
    errors=_ERRORS,
)  # fmt: skip

_PING: Operation[None] = Operation(
    name="ping", method="GET", path="/v1/ping", responses=(Response(status="204", kind="none"),),
    security=(),
)  # fmt: skip


class AddSendersRawResponse(RawResponse[OperationRef]):
    location: str | None


class FetchRawResponse(RawResponse[SenderPool]):
    etag: str | None


# --- resources --------------------------------------------------------------------------------


class SenderPools(SyncResource):
    """Operations of the `SenderPools` tag."""

    def list(
        self, *, start_date: datetime | str | None = None, page_token: str | None = None,
        page_size: int | None = None,
    ) -> SyncPage[SenderPool, ListSenderPoolsResponse]:  # fmt: skip
        """List SenderPools."""
        args = {"start_date": start_date, "page_token": page_token, "page_size": page_size}
        return self._paginate(_LIST, args)

    def fetch(self, sender_pool_id: str) -> SenderPool:
        return self._call(_FETCH, {"sender_pool_id": sender_pool_id})

    def create(
        self, *, name: str | None = None,
        senders: Sequence[SenderRef | dict[str, Any]] | None = None,
        tags: dict[str, str] | None = None, description: str | NotGiven | None = NOT_GIVEN,
    ) -> OperationRef:  # fmt: skip
        args = {"name": name, "senders": senders, "tags": tags, "description": description}
        return self._call(_CREATE, args)

    def add_senders(
        self, sender_pool_id: str, *, body: Sequence[SenderRef | dict[str, Any]]
    ) -> OperationRef:
        return self._call(_ADD_SENDERS, {"sender_pool_id": sender_pool_id, "body": body})

    def add_senders_and_wait(
        self, sender_pool_id: str, *, body: Sequence[SenderRef | dict[str, Any]],
        poll_interval: float = 1.0, timeout: float = 300.0,
    ) -> SenderPoolOperation:  # fmt: skip
        result: SenderPoolOperation = self._call_and_wait(
            _ADD_SENDERS, {"sender_pool_id": sender_pool_id, "body": body},
            poll_interval=poll_interval, timeout=timeout,
        )  # fmt: skip
        return result

    def delete(self, sender_pool_id: str) -> None:
        return self._call(_DELETE, {"sender_pool_id": sender_pool_id})

    def ping(self) -> None:
        return self._call(_PING, {})

    @cached_property
    def with_raw_response(self) -> SenderPoolsWithRawResponse:
        return SenderPoolsWithRawResponse(self)


class SenderPoolsWithRawResponse(SyncRawResource):
    def __init__(self, resource: SenderPools) -> None:
        super().__init__(resource)
        self.list = self._wrap(resource.list, RawResponse[ListSenderPoolsResponse])
        self.fetch = self._wrap(resource.fetch, FetchRawResponse)
        self.add_senders = self._wrap(resource.add_senders, AddSendersRawResponse)


class AsyncSenderPools(AsyncResource):
    def list(
        self, *, start_date: datetime | str | None = None, page_token: str | None = None,
        page_size: int | None = None,
    ) -> AsyncPager[SenderPool, ListSenderPoolsResponse]:  # fmt: skip
        args = {"start_date": start_date, "page_token": page_token, "page_size": page_size}
        return self._paginate(_LIST, args)

    async def fetch(self, sender_pool_id: str) -> SenderPool:
        return await self._call(_FETCH, {"sender_pool_id": sender_pool_id})

    async def create(
        self, *, name: str | None = None,
        senders: Sequence[SenderRef | dict[str, Any]] | None = None,
        tags: dict[str, str] | None = None, description: str | NotGiven | None = NOT_GIVEN,
    ) -> OperationRef:  # fmt: skip
        args = {"name": name, "senders": senders, "tags": tags, "description": description}
        return await self._call(_CREATE, args)

    async def add_senders(
        self, sender_pool_id: str, *, body: Sequence[SenderRef | dict[str, Any]]
    ) -> OperationRef:
        return await self._call(_ADD_SENDERS, {"sender_pool_id": sender_pool_id, "body": body})

    async def add_senders_and_wait(
        self, sender_pool_id: str, *, body: Sequence[SenderRef | dict[str, Any]],
        poll_interval: float = 1.0, timeout: float = 300.0,
    ) -> SenderPoolOperation:  # fmt: skip
        result: SenderPoolOperation = await self._call_and_wait(
            _ADD_SENDERS, {"sender_pool_id": sender_pool_id, "body": body},
            poll_interval=poll_interval, timeout=timeout,
        )  # fmt: skip
        return result

    @cached_property
    def with_raw_response(self) -> AsyncSenderPoolsWithRawResponse:
        return AsyncSenderPoolsWithRawResponse(self)


class AsyncSenderPoolsWithRawResponse(AsyncRawResource):
    def __init__(self, resource: AsyncSenderPools) -> None:
        super().__init__(resource)
        self.list = self._wrap(resource.list, RawResponse[ListSenderPoolsResponse])
        self.add_senders = self._wrap(resource.add_senders, AddSendersRawResponse)


# --- clients ----------------------------------------------------------------------------------


class Client(SyncBaseClient):
    """Synchronous client for the Mini Comms API."""

    def __init__(
        self, *, account_id: str | None = None, auth_token: str | None = None,
        api_key: str | None = None, api_key_secret: str | None = None,
        base_url: str | None = None, timeout: float | httpx.Timeout | None = 30.0,
        max_retries: int = 2, http_client: httpx.Client | None = None,
        headers: Mapping[str, str] | None = None, validate: bool = True,
        strict_responses: bool = False,
    ) -> None:  # fmt: skip
        super().__init__(
            API,
            credentials={"account_id": account_id, "auth_token": auth_token,
                         "api_key": api_key, "api_key_secret": api_key_secret},
            base_url=base_url, timeout=timeout, max_retries=max_retries,
            http_client=http_client, headers=headers, validate=validate,
            strict_responses=strict_responses,
        )  # fmt: skip

    @cached_property
    def sender_pools(self) -> SenderPools:
        return SenderPools(self)


class AsyncClient(AsyncBaseClient):
    """Asynchronous client for the Mini Comms API."""

    def __init__(
        self, *, account_id: str | None = None, auth_token: str | None = None,
        api_key: str | None = None, api_key_secret: str | None = None,
        base_url: str | None = None, timeout: float | httpx.Timeout | None = 30.0,
        max_retries: int = 2, http_client: httpx.AsyncClient | None = None,
        headers: Mapping[str, str] | None = None, validate: bool = True,
        strict_responses: bool = False,
    ) -> None:  # fmt: skip
        super().__init__(
            API,
            credentials={"account_id": account_id, "auth_token": auth_token,
                         "api_key": api_key, "api_key_secret": api_key_secret},
            base_url=base_url, timeout=timeout, max_retries=max_retries,
            http_client=http_client, headers=headers, validate=validate,
            strict_responses=strict_responses,
        )  # fmt: skip

    @cached_property
    def sender_pools(self) -> AsyncSenderPools:
        return AsyncSenderPools(self)


POOL = "comms_senderpool_01h9krwprkeee8fzqspvwy6nq8"
SENDER = "comms_sender_01h9krwprkeee8fzqspvwy6nq8"
OPERATION = "comms_operation_01h9krwprkeee8fzqspvwy6nq8"
CREDS = {"account_id": "AC123", "auth_token": "s3cr3t-token"}
