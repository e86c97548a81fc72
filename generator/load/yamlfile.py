"""YAML text → plain data, built iteratively from the parser's events (libyaml when present).

Differences from `yaml.safe_load`, all because the data is an API description written by
someone else: mapping keys are kept as their source text (`200:` is the key "200", `on:` is
"on"); timestamps stay strings; only the JSON-compatible core tags are accepted (`!!str`,
`!!int`, `!!float`, `!!bool`, `!!null`, `!!map`, `!!seq`) — any other tag, which would construct
an object (`!!python/…`, `!!binary`, `!!set`, custom tags), is an error with its position;
duplicate keys are errors (every one reported; keys merged in with `<<` may be overridden).
The tree is built with an explicit stack, never by recursion, so nesting deeper than the limit
is a located `too-deep` error, never a RecursionError or a crash of the C composer. Aliases
become shared objects; how far they expand is bounded afterwards by `shape.check_shape`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import yaml

from ..diagnostics import Diagnostic, Origin, Severity, SpecError, fail, join_pointer

_BaseLoader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS = frozenset(_CORE + t for t in ("str", "int", "float", "bool", "null"))
_COLLECTION_TAGS = frozenset({_CORE + "map", _CORE + "seq"})
_NO_TAG = frozenset({None, "!"})


class _Loader(_BaseLoader):  # type: ignore[misc]
    """The safe loader's parser, resolver and scalar constructors; timestamps stay text."""

    yaml_implicit_resolvers: ClassVar[dict[Any, Any]] = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != _CORE + "timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


@dataclass(slots=True)
class _Open:
    """A collection being filled: its value, the name it has in its parent, the pending key."""

    value: dict[str, Any] | list[Any]
    name: str | int | None
    key: str | None = None
    skip: bool = False
    merging: bool = False
    merges: list[tuple[Any, yaml.Event]] = field(default_factory=list)


def parse(text: str, origin: Origin, *, max_depth: int) -> Any:
    """Parse one YAML document; raise SpecError with every problem found."""
    builder = _Builder(_Loader(text), origin, max_depth)
    try:
        data = builder.run()
    except yaml.MarkedYAMLError as exc:
        raise _marked_error(exc, origin) from None
    except yaml.YAMLError as exc:
        raise fail("syntax-error", f"invalid YAML: {exc}", origin) from None
    finally:
        builder.loader.dispose()
    if builder.problems:
        raise SpecError(builder.problems)
    return data


class _Builder:
    def __init__(self, loader: Any, origin: Origin, max_depth: int) -> None:
        self.loader = loader
        self.origin = origin
        self.max_depth = max_depth
        self.stack: list[_Open] = []
        self.anchors: dict[str, tuple[Any, str | None]] = {}
        self.problems: list[Diagnostic] = []
        self.documents = 0
        self.result: Any = None

    def run(self) -> Any:
        loader = self.loader
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.ScalarEvent):
                self._scalar(event)
            elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                self._open(event)
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                self._close()
            elif isinstance(event, yaml.AliasEvent):
                self._alias(event)
            elif isinstance(event, yaml.DocumentStartEvent):
                self.documents += 1
                if self.documents > 1:
                    self._problem("syntax-error", "expected one YAML document, found more", event)
                    raise SpecError(self.problems)
        return self.result

    # --- events -------------------------------------------------------------------------------

    def _scalar(self, event: yaml.ScalarEvent) -> None:
        top = self.stack[-1] if self.stack else None
        if top is not None and isinstance(top.value, dict) and top.key is None and not top.skip:
            self._check_tag(event.tag, event, _SCALAR_TAGS)
            self._set_key(top, event.value, event)
            if event.anchor:
                self.anchors[event.anchor] = (event.value, event.value)
            return
        value = self._construct(event)
        if event.anchor:
            self.anchors[event.anchor] = (value, event.value)
        self._add(value, event)

    def _open(self, event: yaml.MappingStartEvent | yaml.SequenceStartEvent) -> None:
        self._check_tag(event.tag, event, _COLLECTION_TAGS)
        if len(self.stack) >= self.max_depth:
            self._problem(
                "too-deep", f"the document nests deeper than {self.max_depth} levels", event
            )
            raise SpecError(self.problems)
        value: dict[str, Any] | list[Any] = {} if isinstance(event, yaml.MappingStartEvent) else []
        if event.anchor:
            self.anchors[event.anchor] = (value, None)
        name = self._child_name()
        self._add(value, event)
        self.stack.append(_Open(value, name))

    def _close(self) -> None:
        done = self.stack.pop()
        if done.merges and isinstance(done.value, dict):
            sources = self._merge_sources(done.merges)
            merged: dict[str, Any] = {}
            for source in reversed(sources):
                merged.update(source)
            own = dict(done.value)
            done.value.clear()
            done.value.update({**merged, **own})

    def _alias(self, event: yaml.AliasEvent) -> None:
        if event.anchor not in self.anchors:
            self._problem("syntax-error", f"invalid YAML: unknown alias *{event.anchor}", event)
            raise SpecError(self.problems)
        value, text = self.anchors[event.anchor]
        top = self.stack[-1] if self.stack else None
        if top is not None and isinstance(top.value, dict) and top.key is None and not top.skip:
            if text is None:
                self._add(value, event)
            else:
                self._set_key(top, text, event)
            return
        self._add(value, event)

    # --- building -----------------------------------------------------------------------------

    def _add(self, value: Any, event: yaml.Event) -> None:
        if not self.stack:
            self.result = value
            return
        top = self.stack[-1]
        if isinstance(top.value, list):
            top.value.append(value)
        elif top.skip:
            top.skip = False
        elif top.key is None:
            self._problem("yaml-key", "mapping keys must be scalars", event)
            top.skip = True
        elif top.merging:
            top.merging, top.key = False, None
            top.merges.append((value, event))
        else:
            top.value[top.key] = value
            top.key = None

    def _child_name(self) -> str | int | None:
        if not self.stack:
            return None
        top = self.stack[-1]
        return len(top.value) if isinstance(top.value, list) else top.key

    def _set_key(self, mapping: _Open, key: str, event: yaml.Event) -> None:
        mapping.key = key
        if key == "<<" and getattr(event, "implicit", (True,))[0]:
            mapping.merging = True
        elif key in mapping.value:
            self._problem("duplicate-key", f"duplicate key {key!r}", event)

    def _merge_sources(self, merges: list[tuple[Any, yaml.Event]]) -> list[dict[str, Any]]:
        """The mappings that `<<` values name (earlier ones win), in order."""
        sources: list[dict[str, Any]] = []
        for value, event in merges:
            items = value if isinstance(value, list) else [value]
            if not all(isinstance(item, dict) for item in items):
                self._problem("syntax-error", "invalid YAML: `<<` merges only mappings", event)
                continue
            sources.extend(items)
        return sources

    def _construct(self, event: yaml.ScalarEvent) -> Any:
        tag = event.tag
        if tag == "!":
            return event.value
        if tag is None:
            tag = self.loader.resolve(yaml.ScalarNode, event.value, event.implicit)
        if not self._check_tag(tag, event, _SCALAR_TAGS | {_CORE + "merge"}):
            return event.value
        if tag in (_CORE + "str", _CORE + "merge"):
            return event.value
        try:
            node = yaml.ScalarNode(tag, event.value)
            return self.loader.yaml_constructors[tag](self.loader, node)
        except (yaml.YAMLError, ValueError):
            self._problem(
                "syntax-error",
                f"invalid YAML: {_short(event.value)!r} is not a valid {_tag_name(tag)}",
                event,
            )
            return event.value

    # --- problems -----------------------------------------------------------------------------

    def _check_tag(self, tag: str | None, event: yaml.Event, allowed: frozenset[str]) -> bool:
        if tag in _NO_TAG or tag in allowed:
            return True
        self._problem(
            "yaml-tag",
            f"YAML tag {_tag_name(str(tag))} is not allowed (it constructs objects)",
            event,
        )
        return False

    def _pointer(self) -> str:
        names = [entry.name for entry in self.stack[1:]]
        top = self.stack[-1] if self.stack else None
        if top is not None:
            names.append(len(top.value) if isinstance(top.value, list) else top.key)
        return join_pointer("", *(n for n in names if n is not None))

    def _problem(self, code: str, message: str, event: yaml.Event) -> None:
        mark = event.start_mark
        self.problems.append(
            Diagnostic(
                code=code,
                severity=Severity.ERROR,
                message=message,
                origin=Origin(file=self.origin.file, pointer=self._pointer()),
                line=mark.line + 1 if mark is not None else None,
                column=mark.column + 1 if mark is not None else None,
            )
        )


def _tag_name(tag: str) -> str:
    return "!!" + tag[len(_CORE) :] if tag.startswith(_CORE) else tag


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _marked_error(exc: yaml.MarkedYAMLError, origin: Origin) -> SpecError:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "syntax error"
    message = f"invalid YAML: {problem}"
    if mark is None:
        return fail("syntax-error", message, origin)
    return fail("syntax-error", message, origin, line=mark.line + 1, column=mark.column + 1)
