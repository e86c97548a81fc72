"""YAML text → plain data with the safe loader (libyaml when present).

Differences from `yaml.safe_load`, all because the data is an API description:
mapping keys are kept as their source text (`200:` is the key "200", `on:` is "on");
timestamps stay strings; duplicate keys are errors (all of them reported); any tag that would
construct an object is an error with its position; alias expansion and depth are bounded.
"""

from __future__ import annotations

from typing import Any, ClassVar

import yaml

from ..diagnostics import Diagnostic, Origin, Severity, SpecError, fail
from .shape import check_shape

_BaseLoader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc]
    yaml_implicit_resolvers: ClassVar[dict[Any, Any]] = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.problems: list[tuple[str, str, yaml.Mark]] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[str, Any]:
        if not isinstance(node, yaml.MappingNode):
            raise yaml.constructor.ConstructorError(
                None, None, f"expected a mapping, found {node.id}", node.start_mark
            )
        self.flatten_mapping(node)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(
                    ("yaml-key", "mapping keys must be scalars", key_node.start_mark)
                )
                continue
            key = str(key_node.value)
            if key in result:
                self.problems.append(
                    ("duplicate-key", f"duplicate key {key!r}", key_node.start_mark)
                )
            result[key] = self.construct_object(value_node, deep=deep)
        return result


def _construct_map(loader: _Loader, node: yaml.MappingNode) -> Any:
    data: dict[str, Any] = {}
    yield data
    data.update(loader.construct_mapping(node))


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)


def parse(text: str, origin: Origin, *, max_depth: int, max_alias_expansion: int) -> Any:
    loader = _Loader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        raise _marked_error(exc, origin) from None
    except yaml.YAMLError as exc:
        raise fail("syntax-error", f"invalid YAML: {exc}", origin) from None
    except RecursionError:
        raise fail(
            "too-deep", f"the document nests deeper than {max_depth} levels", origin
        ) from None
    finally:
        loader.dispose()
    if loader.problems:
        raise SpecError(
            Diagnostic(
                code=code,
                severity=Severity.ERROR,
                message=message,
                origin=origin,
                line=mark.line + 1,
                column=mark.column + 1,
            )
            for code, message, mark in loader.problems
        )
    check_shape(data, origin, max_depth=max_depth, max_alias_expansion=max_alias_expansion)
    return data


def _marked_error(exc: yaml.MarkedYAMLError, origin: Origin) -> SpecError:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "syntax error"
    if isinstance(exc, yaml.constructor.ConstructorError) and "tag" in problem:
        code, message = "yaml-tag", f"YAML tag not allowed: {problem}"
    else:
        code, message = "syntax-error", f"invalid YAML: {problem}"
    if mark is None:
        return fail(code, message, origin)
    return fail(code, message, origin, line=mark.line + 1, column=mark.column + 1)
