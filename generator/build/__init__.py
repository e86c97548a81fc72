"""build: Workspace → ir.Api, in passes.

    security.py    security schemes and credential argument names
    schemas.py     schemas, named and hoisted (one name per class)
    operations.py  operations, parameters, bodies, responses
    pagination.py  list operations that page
    lro.py         operations that answer 202 with something to poll
    (here)         groups, method names, servers, the Api

Problems are collected in the `Diagnostics` given; the build goes on past them where it can, so
that all problems are reported at once.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from .. import naming
from ..diagnostics import Diagnostics, Severity
from ..ir import Api, Approximation, Group, Operation, Server
from ..load import Workspace
from . import lro, pagination
from .checks import check_values
from .context import At, BuildContext
from .operations import OperationBuilder
from .schemaquery import SchemaQuery
from .schemas import SchemaBuilder
from .security import build_schemes

CLIENT_RESERVED = frozenset(
    {
        "close",
        "with_raw_response",
        "base_url",
        "timeout",
        "max_retries",
        "max_retry_after",
        "sleep",
        "http_client",
        "headers",
        "api",
    }
)


def build_api(
    workspace: Workspace,
    *,
    package: str,
    diagnostics: Diagnostics,
    built: Callable[[Api], None] | None = None,
) -> Api:
    """The IR of `workspace`; `built(api)` is called as soon as it exists, before its values
    (examples, defaults) are checked against their schemas."""
    ctx = BuildContext(workspace, diagnostics)
    root = ctx.root
    schemes = build_schemes(ctx, package)
    schemas = SchemaBuilder(ctx)
    schemas.build_components()
    builder = OperationBuilder(ctx, schemas, {s.name for s in schemes})
    security_at = root.get("security")
    security = builder.requirements(security_at) if security_at is not None else ()
    operations = _with_runtime_features(ctx, SchemaQuery(schemas.named), builder.build_all())
    groups = _groups(operations, schemas.scope)
    _warn_unsupported(ctx, root)
    info = root.get("info")
    api = Api(
        title=(info.str("title") if info else None) or package,
        version=str(info.value.get("version", "")) if info and isinstance(info.value, dict) else "",
        description=info.str("description") if info else None,
        openapi_version=str(root.value.get("openapi", root.value.get("swagger", ""))),
        package=package,
        env_prefix=package.upper() + "_",
        servers=_servers(ctx, root),
        schemes=tuple(schemes),
        security=security,
        groups=groups,
        schemas=tuple(sorted(schemas.named.values(), key=lambda s: s.name)),
        origin=root.origin,
        approximations=tuple(
            Approximation(message=d.message, origin=d.origin)
            for d in diagnostics
            if d.severity is Severity.WARNING
        ),
        webhooks=tuple(name for name, _ in root.items("webhooks")),
        patterns=tuple(schemas.patterns.values()),
    )
    if built is not None:
        built(api)
    check_values(api, workspace, diagnostics)
    return api


def _with_runtime_features(
    ctx: BuildContext, query: SchemaQuery, built: list[tuple[Operation, At]]
) -> list[Operation]:
    operations = [op for op, _ in built]
    return [
        dataclasses.replace(
            op,
            pagination=pagination.detect(ctx, query, op, op_at),
            long_running=lro.detect(ctx, query, op, op_at, operations),
        )
        for op, op_at in built
    ]


def _groups(operations: Sequence[Operation], classes: naming.Scope) -> tuple[Group, ...]:
    """Group operations; class names share one scope with the model classes."""
    by_key: dict[str, list[Operation]] = {}
    for op in operations:
        by_key.setdefault(naming.identifier(op.group, fallback="default"), []).append(op)
    attrs = naming.Scope(CLIENT_RESERVED)
    modules = naming.Scope({"__init__"})
    groups = []
    for key, ops in by_key.items():
        methods = naming.Scope({"with_raw_response"})
        named = [dataclasses.replace(op, name=methods.claim(naming.identifier(op.name))) for op in ops]
        named = [
            dataclasses.replace(
                op,
                long_running=dataclasses.replace(
                    op.long_running, wait_name=methods.claim(f"{op.name}_and_wait")
                ),
            )
            if op.long_running is not None
            else op
            for op in named
        ]
        named = [
            dataclasses.replace(op, raw_name=classes.claim(naming.class_name(f"{op.operation_id} raw response")))
            if any(r.headers for r in op.success)
            else op
            for op in named
        ]
        attr = attrs.claim(key)
        groups.append(
            Group(
                name=attr,
                class_name=_claim_resource(classes, attr),
                module=modules.claim(naming.module_name(attr)),
                operations=tuple(named),
            )
        )
    return tuple(groups)


def _claim_resource(classes: naming.Scope, attr: str) -> str:
    """`X` such that `X`, `AsyncX`, `XWithRawResponse`, `AsyncXWithRawResponse` are all free."""
    base = naming.class_name(attr)
    candidate, counter = base, 2
    while any(v in classes for v in _resource_variants(candidate)):
        candidate, counter = f"{base}{counter}", counter + 1
    for variant in _resource_variants(candidate):
        classes.claim(variant)
    return candidate


def _resource_variants(name: str) -> tuple[str, ...]:
    return (name, f"Async{name}", f"{name}WithRawResponse", f"Async{name}WithRawResponse")


def _servers(ctx: BuildContext, root: At) -> tuple[Server, ...]:
    servers = []
    for at in root.elements("servers"):
        url = at.str("url")
        if url is None:
            ctx.error("invalid-server", "a server needs a `url`", at)
            continue
        variables = []
        for name, var in at.items("variables"):
            default = var.value.get("default") if isinstance(var.value, dict) else None
            if default is None:
                ctx.error("invalid-server", f"server variable {name!r} has no default", var)
                continue
            variables.append((name, str(default)))
        servers.append(Server(url=url, description=at.str("description"), variables=tuple(variables)))
    if not servers:
        ctx.warning("no-servers", "no servers: the client needs base_url=…", root)
    return tuple(servers)


def _warn_unsupported(ctx: BuildContext, root: At) -> None:
    for name, at in root.items("webhooks"):
        ctx.warning("webhooks-not-generated", f"webhook {name!r} is documented only (no receiver code)", at)
