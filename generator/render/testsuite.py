"""The generated package's pytest suite (`OUT/tests/`), see issue 4.

Input: the IR and the type/constraint printers. Output: `{relative path: text}` of
`tests/conftest.py`, `tests/<package>_testkit.py` (recording mock transport, expected wire
requests, credentials), one `tests/test_<group>.py` per group (per operation: wire request for
each security alternative, parsed answers, typed errors, validators, pagination, waiting, and
the contract run against a live server), `tests/test_client_runtime.py` (retries, async) and
`tests/test_models.py` (every model resolves and builds).
Every value, expected request and expected result is computed in the `test*.py` modules beside
this one; the templates under `templates/package/tests/` only lay them out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

import httpx

from ..ir import Api, Group, Operation
from .constraints import ConstraintPrinter
from .imports import name_key
from .pylayout import import_from, layout
from .testauth import ACCESS_TOKEN, AuthPlanner, AuthView
from .testcases import Constant, Imports, OperationTestBuilder, OperationTests
from .testliterals import Code, Constants, py
from .testruntime import RuntimeTests, runtime_tests
from .testvalues import Values
from .types import TypePrinter
from .views import GroupView

FALLBACK_BASE_URL = "https://api.example.test"


@dataclass(frozen=True, slots=True)
class GroupTests:
    module: str
    attr: str
    doc: str
    imports: tuple[str, ...]
    constants: tuple[Constant, ...]
    """Module-level constants the operations share (samples, error answers)."""
    operations: tuple[OperationTests, ...]
    contract: tuple[str, ...]
    """`pytest.param(call, parsed_type, id=...)` rows of the live-server test."""


def base_urls(api: Api) -> tuple[str, str]:
    """(URL the tests expect, `base_url` literal they pass: `None` for the spec's default)."""
    parts = urlsplit(api.base_url)
    if parts.scheme in ("http", "https") and parts.netloc:
        return api.base_url, "None"
    return FALLBACK_BASE_URL, py(FALLBACK_BASE_URL)


def render_tests(
    api: Api,
    package: str,
    groups: Sequence[GroupView],
    types: TypePrinter,
    constraints: ConstraintPrinter,
    render: Callable[..., str],
    *,
    models: bool = True,
) -> dict[str, str]:
    """{relative path: text} of the test files; `models`: the package has model classes."""
    values = Values(types.named, constraints)
    auth = AuthPlanner(api)
    builder = OperationTestBuilder(values, auth, types, base_urls(api)[0])
    testkit = f"{package}_testkit"
    files: dict[str, str] = {}
    built: list[tuple[str, Operation, OperationTests]] = []
    for group in api.groups:
        view = _group_tests(group, builder, package, testkit)
        built.extend((group.name, op, t) for op, t in zip(group.operations, view.operations, strict=True))
        files[f"tests/test_{group.module}.py"] = render("package/tests/test_group.py.jinja", group=view)
    runtime = runtime_tests(built)
    name = "test_client_runtime"
    while f"tests/{name}.py" in files:
        name += "_"
    files[f"tests/{name}.py"] = render(
        "package/tests/test_client_runtime.py.jinja",
        runtime=runtime,
        r=runtime.representative,
        subjects=runtime.subjects,
        imports=_runtime_imports(runtime, package, testkit),
    )
    name = "test_models"
    while f"tests/{name}.py" in files:
        name += "_"
    if models:
        files[f"tests/{name}.py"] = render("package/tests/test_models.py.jinja")
    files["tests/conftest.py"] = render("package/tests/conftest.py.jinja", **_conftest(api, testkit))
    files[f"tests/{testkit}.py"] = render("package/tests/testkit.py.jinja", **_testkit(api, auth))
    return files


def _group_tests(group: Group, builder: OperationTestBuilder, package: str, testkit: str) -> GroupTests:
    imports = Imports()
    shared = Constants()
    operations = tuple(builder.build(group, op, imports, shared) for op in group.operations)
    operations = _inline_single_use(shared, operations)
    operations = _typed_empties(shared, operations, imports)
    contract = tuple(
        layout(f"pytest.param({t.call_name}, {t.contract_type}, id={py(t.name)})", indent=8, suffix=1)
        for t in operations
        if t.wire_test
    )
    return GroupTests(
        module=group.module,
        attr=group.name,
        doc=f"Tests of `client.{group.name}`, generated from the spec: wire requests, parsed\n"
        "answers, typed errors, validators, pagination and waiting, and contract runs.\n",
        imports=_imports(imports, package, testkit, bool(contract)),
        constants=tuple(Constant(name, value) for name, value in shared.items.items()),
        operations=operations,
        contract=contract,
    )


def _inline_single_use(
    shared: Constants, operations: tuple[OperationTests, ...]
) -> tuple[OperationTests, ...]:
    """Samples used by one constant only are written where they are used (easier to read)."""
    sources = [c.value for op in operations for c in op.constants] + list(shared.items.values())
    for name in [n for n in shared.items if n.startswith("SAMPLE_")]:
        pattern = re.compile(rf"\b{name}\b")
        if sum(len(pattern.findall(text)) for text in sources) != 1:
            continue
        operations = _substitute(operations, pattern, shared.items.pop(name))
    return operations


def _typed_empties(
    shared: Constants, operations: tuple[OperationTests, ...], imports: Imports
) -> tuple[OperationTests, ...]:
    """`NAME: Any = {...}`: mypy cannot infer the type of an empty dict or list, nor of a
    literal holding one beside other values (`{"a": "x", "b": []}`)."""
    items = list(shared.items.items())
    shared.items.clear()
    for name, value in items:  # in order: later constants may use earlier ones
        empty = _untypable(value) and ":" not in name
        shared.items[f"{name}: Any" if empty else name] = value
        imports.any |= empty
    typed = []
    for op in operations:
        constants = []
        for c in op.constants:
            if _untypable(c.value) and ":" not in c.name:
                c = replace(c, name=f"{c.name}: Any")
                imports.any = True
            constants.append(c)
        typed.append(replace(op, constants=tuple(constants)))
    return tuple(typed)


def _untypable(value: str) -> bool:
    return value.startswith(("{", "[")) and ("[]" in value or "{}" in value)


def _substitute(
    operations: tuple[OperationTests, ...], pattern: re.Pattern[str], value: str
) -> tuple[OperationTests, ...]:
    def written(text: str) -> str:
        return pattern.sub(lambda _: value, text)

    return tuple(
        replace(op, constants=tuple(replace(c, value=written(c.value)) for c in op.constants))
        for op in operations
    )


def _imports(imports: Imports, package: str, testkit: str, contract: bool) -> tuple[str, ...]:
    lines = []
    if contract:
        lines.append("from collections.abc import Callable")
    if imports.any:
        lines.append("from typing import Any")
    if lines:
        lines.append("")
    lines.append("import pytest")
    lines.append(import_from(0, testkit, sorted(imports.kit, key=name_key)))
    lines += ["", f"from {package} import Client"]
    if imports.sync_page:
        lines.append(f"from {package}._runtime.pagination import SyncPage")
    if imports.errors:
        lines.append(import_from(0, f"{package}.errors", sorted(imports.errors, key=name_key)))
    plain = sorted((n for n, local in imports.models.items() if n == local), key=name_key)
    if plain:
        lines.append(import_from(0, f"{package}.models", plain))
    for name, local in sorted(imports.models.items(), key=lambda item: name_key(item[0])):
        if name != local:  # ruff's isort keeps `as` imports in statements of their own
            lines.append(f"from {package}.models import {name} as {local}")
    return tuple(lines)


def _runtime_imports(runtime: RuntimeTests, package: str, testkit: str) -> tuple[str, ...]:
    if runtime.representative is None:
        return (
            f"from {testkit} import ALL_CREDENTIALS, CLIENT_BASE_URL",
            "",
            f"from {package} import Client",
        )
    errors = ["TooManyRequestsError"] + (["InternalServerError"] if runtime.post else [])
    return (
        "import pytest",
        f"from {testkit} import ALL_CREDENTIALS, CLIENT_BASE_URL, Mock, Reply, Wire",
        "",
        f"from {package} import AsyncClient, Client",
        f"from {package}.errors import {', '.join(sorted(errors))}",
    )


def _conftest(api: Api, testkit: str) -> dict[str, Any]:
    env = {c.arg: c.env for s in api.schemes for c in s.credentials}
    live = f"{api.env_prefix}TEST_BASE_URL"
    return {
        "testkit": testkit,
        "live_env": live,
        "live_env_literal": py(live),
        "credential_env": _assign("CREDENTIAL_ENV: dict[str, str]", py(env)),
    }


def _testkit(api: Api, auth: AuthPlanner) -> dict[str, Any]:
    expected, passed = base_urls(api)
    views = auth.views
    token_urls = sorted({_join(expected, url) for v in views.views.values() for url in v.token_urls})
    return {
        "base_url": py(expected),
        "client_base_url": passed,
        "access_token": py(ACCESS_TOKEN),
        "token_urls": py(token_urls),
        "secret_headers": py(views.secret_headers),
        "secret_query": py(views.secret_query),
        "all_credentials": _assign("ALL_CREDENTIALS: dict[str, Any]", py(dict(auth.all_credentials()))),
        "auths": [_auth_entry(view) for view in views.views.values()],
        "default_auths": _assign(
            "DEFAULT_AUTHS: list[Auth]", py([Code(f"AUTHS[{py(k)}]") for k in views.default.keys])
        ),
    }


def _assign(target: str, value: str) -> str:
    return f"{target} = {layout(value, prefix=len(target) + 3)}"


def _auth_entry(view: AuthView) -> str:
    """`"name": Auth("name", credentials=..., ...)`, empty fields left out, laid out."""
    fields = [py(view.key)]
    for name, value in (
        ("credentials", dict(view.credentials)),
        ("headers", dict(view.headers)),
        ("query", list(view.query)),
        ("cookies", dict(view.cookies)),
    ):
        if value:
            fields.append(f"{name}={py(value)}")
    head = f"{py(view.key)}: "
    return head + layout(f"Auth({', '.join(fields)})", indent=4, prefix=len(head), suffix=1)


def _join(base: str, url: str) -> str:
    """`url` resolved against `base` as the client does (`httpx.URL(base + "/").join(url)`)."""
    return str(httpx.URL(base.rstrip("/") + "/").join(url))
