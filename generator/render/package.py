"""The generated package's file list: which template renders which file, with which view."""

from __future__ import annotations

import json
from collections.abc import Callable, Container, Mapping
from dataclasses import dataclass
from typing import Any, TypeAlias

from ..diagnostics import Diagnostics
from ..ir import Api, NamedSchema, SecurityKind, SecurityScheme
from .constraints import ConstraintPrinter
from .descriptors import DescriptorPrinter
from .env import environment, runtime_files
from .imports import module_key
from .literals import docstring, literal, toml_string
from .models import PendingModels, predicted_classes
from .options import RenderOptions, header, start_package_models
from .pylayout import import_from, layout
from .readme import readme_context
from .testsuite import render_tests
from .types import TypePrinter
from .views import GroupView, ViewBuilder

ERROR_NAMES = (
    "ApiConnectionError",
    "ApiError",
    "ApiTimeoutError",
    "BadRequestError",
    "ClientError",
    "ConflictError",
    "ForbiddenError",
    "InternalServerError",
    "NotFoundError",
    "ResponseValidationError",
    "ServerError",
    "ServiceUnavailableError",
    "TooManyRequestsError",
    "UnauthorizedError",
    "UnprocessableEntityError",
    "ValidationError",
)


Meanwhile: TypeAlias = Callable[[Mapping[str, str], Callable[[], bool]], None]
"""Work on files already rendered, done while `more()` holds (see `render_package`)."""


def render_package(
    api: Api,
    options: RenderOptions,
    diagnostics: Diagnostics,
    meanwhile: Meanwhile | None = None,
    models: PendingModels | None = None,
    laid_out: Callable[[Mapping[str, str]], None] | None = None,
) -> dict[str, str]:
    """Every file of the package. datamodel-code-generator (the slowest part) runs meanwhile in
    a worker process for a large API: the rest renders with the model classes predicted from
    the IR, and again with the real ones should the prediction be wrong. While the worker is
    still busy after that, `meanwhile(files, more)` gets the files rendered so far (the format
    stage's `Formatter.prefetch`), to use this process until `more()` turns false. `models`:
    `start_package_models(api, options)`, if the caller started them already. `laid_out`
    (the format stage's `Formatter.laid_out`) gets the files already in black's layout."""
    named = {s.name: s for s in api.schemas}
    with models or start_package_models(api, options) as pending:
        schemas = pending.schemas
        guess = predicted_classes(schemas)
        parts = _Parts(api, options, named, guess, models=bool(schemas))
        if meanwhile is not None and pending.running():
            meanwhile(
                {path: _ended(path, text) for path, text in parts.files.items()}, pending.running
            )
        made_classes, split = pending.split(api, diagnostics)
    classes = frozenset(made_classes & named.keys())
    if classes != guess or bool(split.exports) != bool(schemas):
        parts = _Parts(api, options, named, classes, models=bool(split.exports))
    pkg = options.package
    files = parts.files
    files[f"{pkg}/models/__init__.py"] = parts.render(
        "package/models/__init__.py.jinja",
        imports=[import_from(4, f".{m}", names) for m, names in split.imports().items()],
        modules=split.sorted_exports(),
    )
    files["README.md"] = parts.render(
        "package/README.md.jinja",
        md_header="<!--\n" + header(options, mark="  ") + "-->",
        model_example=next(iter(split.sorted_exports()), None),
        **readme_context(api, pkg, parts.groups, parts.types),
    )
    for module, text in split.modules.items():
        files[f"{pkg}/models/{module}.py"] = text
    result = dict(sorted((path, _ended(path, text)) for path, text in files.items()))
    if laid_out is not None:
        laid_out({path: result[path] for path in (f"{pkg}/models/{m}.py" for m in split.laid_out)})
    return result


def _ended(path: str, text: str) -> str:
    """Black's end of file, whatever a macro left."""
    return text.rstrip("\n") + "\n" if path.endswith(".py") and text else text


class _Parts:
    """The files that do not need the models' source, for the model classes `classes`."""

    def __init__(
        self,
        api: Api,
        options: RenderOptions,
        named: dict[str, NamedSchema],
        classes: frozenset[str],
        *,
        models: bool,
    ) -> None:
        pkg, py_header = options.package, header(options)
        self.types = TypePrinter(named, classes)
        constraints = ConstraintPrinter(named)
        views = ViewBuilder(api, self.types, DescriptorPrinter(self.types, constraints))
        self.groups = groups = [views.group(g) for g in api.groups]
        self._env = environment(options.templates)
        self._common: dict[str, Any] = {
            "header": py_header.rstrip("\n"),
            "package": pkg,
            "api_doc_name": docstring(api_name(" ".join(api.title.split()))),
            "error_names": ERROR_NAMES,
        }
        render = self.render
        files: dict[str, str] = {
            f"{pkg}/__init__.py": render(
                "package/__init__.py.jinja",
                doc=docstring(f"Python client for {api_name(api.title)} (generated by oagen)."),
                version=literal(api.version),
                exports=sorted([*ERROR_NAMES, "AsyncClient", "Client"]),
            ),
            f"{pkg}/py.typed": "",
            f"{pkg}/errors.py": render("package/errors.py.jinja"),
            f"{pkg}/validators.json": schema_file(constraints.schemas()),
            f"{pkg}/_api.py": render(
                "package/_api.py.jinja", api=layout(_api_expression(api), prefix=len("API = "))
            ),
            f"{pkg}/_client.py": render(
                "package/_client.py.jinja",
                credentials=[c for s in api.schemes for c in s.credentials],
                groups=groups,
                type_imports=[
                    g.client_import for g in sorted(groups, key=lambda g: module_key(g.module))
                ],
                client_doc=docstring(_client_doc(api, "Synchronous"), indent=4),
                async_client_doc=docstring(_client_doc(api, "Asynchronous"), indent=4),
            ),
            f"{pkg}/resources/__init__.py": render("package/resources/__init__.py.jinja"),
            "pyproject.toml": render(
                "package/pyproject.toml.jinja",
                distribution=toml_string(pkg.replace("_", "-")),
                version=toml_string(_pep440(api.version)),
                description=toml_string(f"Python client for {api_name(api.title)}"),
                needs_regress=any(p.engine == "regress" for p in api.patterns),
            ),
        }
        for group in groups:
            files[f"{pkg}/resources/{group.module}.py"] = render(
                "package/resources/group.py.jinja", group=group
            )
        files.update(render_tests(api, pkg, groups, self.types, constraints, render, models=models))
        for name, text in runtime_files(options.templates).items():
            files[f"{pkg}/_runtime/{name}"] = py_header + text
        self.files = files

    def render(self, template: str, **context: Any) -> str:
        return self._env.get_template(template).render(**self._common, **context)


def needs_black(options: RenderOptions) -> Container[str] | None:
    """The Python files black must always format: the model modules (datamodel-code-generator
    writes its own layout), not `models/__init__.py`. Our templates write black's layout; custom
    templates may not, so with them every file is formatted (None)."""
    if options.templates is not None:
        return None
    return _ModelModules(f"{options.package}/models/")


@dataclass(frozen=True, slots=True)
class _ModelModules:
    folder: str

    def __contains__(self, path: object) -> bool:
        return (
            isinstance(path, str)
            and path.startswith(self.folder)
            and path.endswith(".py")
            and path != self.folder + "__init__.py"
        )


def schema_file(schemas: dict[str, Any]) -> str:
    """`validators.json`: one named schema per line (small diffs), ASCII-only, deterministic."""
    lines = [
        f"{json.dumps(name)}: {json.dumps(schema, ensure_ascii=True, separators=(',', ':'))}"
        for name, schema in schemas.items()
    ]
    return "{\n" + ",\n".join(lines) + ("\n}\n" if lines else "}\n")


def _client_doc(api: Api, kind: str) -> str:
    lines = [f"{kind} client for {api_name(api.title)}."]
    if api.schemes:
        lines.append("")
        lines.append(
            "Credentials (any one complete set; each falls back to its environment variable):"
        )
        for scheme in api.schemes:
            pairs = ", ".join(f"`{c.arg}` (${c.env})" for c in scheme.credentials)
            lines.append(f"- {scheme.name}: {pairs}")
    return "\n".join(lines)


def api_name(title: str) -> str:
    """`the Twilio Comms API` — without doubling a trailing "API"."""
    return f"the {title}" if title.rstrip().lower().endswith("api") else f"the {title} API"


def _api_expression(api: Api) -> str:
    schemes = ", ".join(_scheme_expression(s) for s in api.schemes)
    return (
        f"_s.Api(package={literal(api.package)}, title={literal(api.title)}, "
        f"version={literal(api.version)}, base_url={literal(api.base_url)}, "
        f"schemes=({schemes}{',' if len(api.schemes) == 1 else ''}), "
        f"security={literal(tuple(tuple(r) for r in api.security))}, schemas=SCHEMAS)"
    )


def _scheme_expression(scheme: SecurityScheme) -> str:
    args = [c.arg for c in scheme.credentials]
    name = literal(scheme.name)
    match scheme.kind:
        case SecurityKind.BASIC:
            return f"_s.HttpBasic(name={name}, username={literal(args[0])}, password={literal(args[1])})"
        case SecurityKind.BEARER:
            return f"_s.HttpBearer(name={name}, token={literal(args[0])})"
        case SecurityKind.API_KEY:
            return (
                f"_s.ApiKey(name={name}, arg={literal(args[0])}, "
                f"location={literal(scheme.location)}, wire={literal(scheme.wire)})"
            )
        case SecurityKind.OAUTH2_CLIENT_CREDENTIALS:
            return (
                f"_s.OAuth2ClientCredentials(name={name}, client_id={literal(args[0])}, "
                f"client_secret={literal(args[1])}, token_url={literal(scheme.token_url)}, "
                f"scopes={literal(scheme.scopes)})"
            )


def _pep440(version: str) -> str:
    import re

    return version if re.fullmatch(r"\d+(\.\d+)*", version) else "0.0.0"


__all__ = [
    "GroupView",
    "RenderOptions",
    "header",
    "needs_black",
    "render_package",
    "start_package_models",
]
