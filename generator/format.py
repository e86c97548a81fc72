"""format: {path: text} → {path: text}, black in-process over the `*.py` files that need it.

Black is by far the slowest stage (measured: 2,500 to 4,000 lines a second per core here, and twice
that work when its first pass changes the text), so it runs only where it is needed:

- files the render stage marks as *needing black* (datamodel-code-generator's models, and every
  file when custom templates are in use) are always formatted — but for the model modules of a
  large API, made in chunks: their statements are laid out where the chunks ran
  (`statement_layout`), the modules put together from them (`laid_out_module`), and they pass
  through as they are (`Formatter.laid_out`);
- in those, a statement that only needs double quotes and a blank line after its class docstring
  (most model classes) is laid out by `model_layout`'s rules, without black;
- every other `*.py` file comes from our templates, which write black's layout themselves
  (tests/unit/test_black_layout.py runs black over whole generated packages to hold them to it);
  such a file still goes through black when a cheap look shows that black would change it
  (a line over the limit, a tab, trailing whitespace) — correct output first, speed second —
  but only the logical lines that look wrong do (`line_units`): a call with a long name, not
  the test function of 300 lines around it.

The cache (see cache.py) maps black's version + options + the unformatted text to the formatted
text, so a file whose rendered text did not change since any earlier run is not formatted again.
Large batches are spread over the cores: finding the pieces for black (`plan`, one file at a
time) and black's runs on them.
"""

from __future__ import annotations

import ast
import functools
import io
import keyword
import multiprocessing
import os
import re
import tokenize
from collections.abc import Callable, Container, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from importlib import metadata

import black
from black import mode as black_mode
from black.report import NothingChanged

from .cache import Cache, cache_key
from .collector import in_worker

LINE_LENGTH = 100
_MODE = black_mode.Mode(target_versions={black_mode.TargetVersion.PY311}, line_length=LINE_LENGTH)
_PARALLEL_MIN_LINES = 2_000
"""Below this many lines black runs in this process: starting the workers (each imports black)
costs about what black takes for 1,000 lines here; 4,000 lines took 1.5 s in 2 workers, 2.5 s in one."""
_PARALLEL_MIN_CHARS = 3_000_000
"""From this much Python text on, files are planned (`plan`) in the workers: planning takes
~0.2 s a megabyte here (parsing, tokenizing suspect statements), starting the workers ~0.3 s."""
_BIG_FILE = 1_000_000
"""Characters from which a file is planned only by the format step in this process, not in a
worker nor while the models are generated: parsing it takes ~40 bytes a character for a
moment (60 MB for a 1.5 MB test module), memory a worker keeps and the models' worker needs."""
_BLACK_VERSION = metadata.version("black")
_KIND = "black"


class FormatError(Exception):
    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: black could not format generated code: {message}")
        self.path, self.message = path, message

    def __reduce__(self) -> tuple[type[FormatError], tuple[str, str]]:
        return (FormatError, (self.path, self.message))  # raised in worker processes too


@dataclass(frozen=True, slots=True)
class Formatted:
    files: dict[str, str]
    formatted: int
    """Files black ran on in this run."""
    cached: int
    """Files whose formatted text came from the cache."""
    laid_out: int = 0
    """Files already in black's layout as rendered, or laid out by `model_layout`'s rules (black
    not run on them)."""


def format_source(text: str) -> str:
    try:
        return black.format_str(text, mode=_MODE)
    except NothingChanged:
        return text


def _key(text: str) -> str:
    return cache_key(f"black {_BLACK_VERSION}", repr(_MODE), text)


_STRING = r"""(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')"""
_DOCSTRING = r'"""(?:[^"\\]|\\.|"(?!""))*"""'
_UNSPLITTABLE = re.compile(
    rf"\s*(?:{_STRING}: |\w+=|== )?{_STRING},?|\s*{_STRING}: \w+,|\s*{_DOCSTRING}"
    r"|\s*(?:\w+=)?[\w.]+,|\s*(?:== )?\w+(?:\(\))?(?:\.\w+(?:\(\))?)*"
)
"""A long line black cannot split: one string (an item, a dict entry's value, a keyword
argument, the right side of a split comparison), a dict entry `"key": name,`, a one-line
docstring, one (dotted) name as an item or keyword argument (`type_=Name,`), or alone, or as
the right side of a split comparison (`a.b().c`, `== NAME.json`)."""


_OPENING = re.compile(
    r"(?P<pad> *)(?:(?:async )?def \w+\((?:\) -> \()?|(?:\w+=)?(?:await )?[\w.]+\(\),?"
    r"|(?:(?P<head>return |assert |[\w.]+ = )|\w+=)?(?P<rest>(?:await )?[\w.]+\())"
)


def _unsplittable_opening(line: str) -> bool:
    """A long line black leaves as it is although it is code: the head of a `def` whose
    parameters follow on their own lines, a call's name and opening bracket (the arguments
    follow), a call without arguments as an item. After `return`, `assert` or `x =` only when
    black's other choice, the rest in parentheses on a line of its own, is too long as well
    (see `pylayout.statement`)."""
    found = _OPENING.fullmatch(line)
    if found is None:
        return False
    if found["head"] is None:
        return True
    return len(found["pad"]) + 4 + len(found["rest"]) > LINE_LENGTH


_IMPORT = re.compile(r"from [\w.]+ import \w+(?:, \w+)*|import [\w.]+|#(?: .*)?")
_IMPORT_OPEN = re.compile(r"from [\w.]+ import \(")
_IMPORT_NAME = re.compile(r"    \w+,")


def plain_imports(statement: str) -> bool:
    """`statement` is only comment lines and imports black leaves as they are: on one line, or
    one name a line with a trailing comma (the model modules' import blocks, written by
    render/modelsplit.py: black on each of those small statements costs more than the rest of a
    module)."""
    lines = statement.split("\n")
    if not lines[0] or "\n\n\n" in statement:
        return False
    index = 0
    while index < len(lines):
        line = lines[index]
        if len(line) > LINE_LENGTH or line.endswith(" "):
            return False
        if _IMPORT_OPEN.fullmatch(line):
            end = index + 1
            while end < len(lines) and _IMPORT_NAME.fullmatch(lines[end]):
                end += 1
            if end == index + 1 or end == len(lines) or lines[end] != ")":
                return False
            index = end + 1
            continue
        if line and not _IMPORT.fullmatch(line):
            return False
        index += 1
    return True


_CODE_REJECT = re.compile(r"[^ -~]|[\"\\#;]|\*\*|,[)\]}]| $")
"""What the rules of `model_layout` do not cover in a line of code: anything but printable ASCII
(black measures East Asian wide characters double), a double quote (the line's strings are then
all single-quoted, so each `'` is a delimiter), a backslash (escapes black normalises), a comment,
a semicolon, `**` (black hugs simple power operands), a magic trailing comma, trailing space."""
_NUMBER_SPELLING = re.compile(r"(?<!\w)\d[\d.]*[A-Za-z_]")
"""A number with a letter or underscore (`1e+16`, `0xFF`, `1_000`, `2j`): black respells some."""
_STRINGS = re.compile(r"'[^']*'")
_DOC_REJECT = re.compile(r'[\t\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029\\]|"""|\s$')
"""What they do not cover in a line inside a triple-quoted string: characters that end a line for
`str.splitlines` (black splits docstrings with it), tabs, backslashes, trailing whitespace."""


def model_layout(statement: str) -> str | None:
    """Black's layout of `statement`, a top-level statement as datamodel-code-generator writes
    them (a class of one-line fields, attribute docstrings, an alias, a `model_rebuild()` call),
    when a few rules give it for certain; None when black has to run (long lines to split, a
    multi-line call, a string black would requote with escapes, …).

    Black leaves such a statement as it is but for two things: strings go to double quotes, and a
    blank line follows a class docstring. The rules hold only where each line of code is already
    in canonical form (`ast.unparse` writes it back the same: spacing, parentheses, numbers) and
    fits on a line, and where every triple-quoted string sits on lines of its own with nothing
    black would re-indent. On GitHub's models that is 3,173 statements of 3,486, laid out in 0.5 s
    instead of ~30 s of black on one core. tests/unit/test_black_layout.py compares the result
    with black's on whole packages and on generated classes with awkward strings."""
    pieces = _model_pieces(statement)
    if pieces is None or not all(isinstance(piece, str) for piece in pieces):
        return None
    return "\n".join(piece for piece in pieces if isinstance(piece, str)) + "\n"


def model_units(gap: str, statement: str) -> list[_Unit]:
    """`model_layout`, with the long lines of common shapes laid out by rule (`_long_line`: a
    class line, `name: A | B | None = None`, …), and black on the lines no rule covers when each
    of them is a logical line of its own (a field whose `Literal[…]` is too long even a value a
    line): black lays such a line out alone, in a class of its own, as in its class (tests
    compare files). Else the whole statement goes to black."""
    pieces = _model_pieces(statement)
    if pieces is None:
        return [_Unit(gap, statement, statement)]
    return _units(gap, [p + "\n" if isinstance(p, str) else p for p in pieces])


def _units(gap: str, pieces: list[str | tuple[str, str, str]]) -> list[_Unit]:
    """`pieces` after `gap` as units: runs of text joined, and each `(text, head, tail)` for
    black to lay out as `head + text + tail` (its result without `head` and `tail`)."""
    units: list[_Unit] = []
    plain: list[str] = []
    for piece in pieces:
        if isinstance(piece, str):
            plain.append(piece)
            continue
        if plain:
            units.append(_Unit(gap, "".join(plain)))
            gap, plain = "", []
        text, head, tail = piece
        units.append(_Unit(gap, text, head + text + tail, head, tail))
        gap = ""
    if plain:
        units.append(_Unit(gap, "".join(plain)))
    return units


def _model_pieces(statement: str) -> list[str | tuple[str, str, str]] | None:
    """The lines of `model_layout`, each as laid out by its rules, or as `(line, head, tail)`
    for black to format `head + line + tail` when the rules do not cover a line but it stands
    alone; None when a line is neither."""
    lines = statement.split("\n")
    if len(lines) < 2 or lines[-1] or (lines[0].endswith(":") and len(lines) < 3):
        return None  # not one statement ending in a newline, or a class without a body
    out: list[str | tuple[str, str, str]] = []
    index, end = 0, len(lines) - 1
    while index < end:
        line = lines[index]
        if line.lstrip(" ") == '"""':
            close = _string_end(lines, index)
            if index == 0 or close is None:
                return None  # a module docstring (black re-indents it), or an unclosed string
            docstring = index == 1 and lines[0].startswith("class ")
            if docstring and not _docstring_kept(lines[index + 1 : close]):
                return None
            out.extend(lines[index : close + 1])
            index = close + 1
            if docstring and index < end:
                out.append("")  # black: one blank line after a class docstring
            continue
        laid = None if len(line) <= LINE_LENGTH else _long_line(line, header=index == 0)
        if _canonical(line, header=index == 0):
            out.append(line.replace("'", '"'))
        elif laid is not None:
            out.append(laid)
        elif _stands_alone(line, header=index == 0):
            head, tail = ("", _MODEL_TAIL) if index == 0 else (_MODEL_WRAPPER, "")
            out.append((line + "\n", head, tail))
        else:
            return None
        index += 1
    return out


_MODEL_WRAPPER = "class _:\n"
"""Around a field line: a class of its own, as in its class."""
_MODEL_TAIL = "    pass\n"
"""Below a class line: a body."""


@functools.lru_cache(maxsize=65536)
def _stands_alone(line: str, header: bool) -> bool:
    """`line` is a whole logical line: a one-line class header (`header`), or one simple
    statement indented as a class body's, and no docstring."""
    indent = 0 if header else 4
    code = line[indent:]
    if line[:indent] != " " * indent or not code or code[0].isspace() or code[0] in "\"'#":
        return False
    if header and not (code.startswith("class ") and code.endswith(":")):
        return False
    try:
        tree = ast.parse(code + "\n    pass" if header else code)
    except (SyntaxError, ValueError):
        return False
    if header:
        return isinstance(tree.body[0], ast.ClassDef)
    simple = not code.endswith(":") and not isinstance(tree.body[0], ast.Expr | ast.ClassDef)
    return len(tree.body) == 1 and simple and tree.body[0].end_lineno == 1


@functools.lru_cache(maxsize=65536)
def _long_line(line: str, header: bool) -> str | None:
    """Black's layout of a line of a model class too long for the limit, in the shapes whose
    layout is certain (tests compare them with black's over a sweep of lengths and shapes):
    a class line with one base, the base on a line of its own; a field `name: Type`,
    `name: Type = None` or `name: Type = Field(…)` (see `_long_annotation`). None for others."""
    indent = 0 if header else 4
    code = line[indent:]
    if line[:indent] != " " * indent or code[:1].isspace() or _CODE_REJECT.search(line):
        return None
    if _NUMBER_SPELLING.search(_STRINGS.sub("''", code)):
        return None
    if not _canonical_shape(_SHAPE_TOKEN.sub(_placeholder, code), header):
        return None
    code = code.replace("'", '"')  # canonical: each `'` is a delimiter (no `"` in the line)
    if header:
        if not (code.startswith("class ") and code.endswith(":")):
            return None
        tree = ast.parse(code + "\n    pass").body[0]
        if not isinstance(tree, ast.ClassDef) or len(tree.bases) != 1 or tree.keywords:
            return None
        base = ast.get_source_segment(code, tree.bases[0]) or ""
        return f"class {tree.name}(\n    {base}\n):" if 4 + len(base) <= LINE_LENGTH else None
    node = ast.parse(code).body[0]
    if not isinstance(node, ast.AnnAssign) or not isinstance(node.target, ast.Name):
        return None
    name, annotation = node.target.id, ast.get_source_segment(code, node.annotation) or ""
    value = node.value
    if value is None:
        return _long_annotation(code, name, node.annotation, "")
    if isinstance(value, ast.Constant) and value.value is None:
        head = f"    {name}: {annotation} = ("
        if len(head) <= LINE_LENGTH:  # black splits at the parentheses around the value first
            return f"{head}\n        None\n    )"
        return _long_annotation(code, name, node.annotation, " = None")
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "Field":
        head = f"    {name}: {annotation} = Field("
        arguments = code[value.func.end_col_offset + 1 : value.end_col_offset - 1]  # type: ignore[operator]
        if arguments and len(head) <= LINE_LENGTH and 8 + len(arguments) <= LINE_LENGTH:
            return f"{head}\n        {arguments}\n    )"
    return None


def _long_annotation(code: str, name: str, annotation: ast.expr, tail: str) -> str | None:
    """`    name: annotation` + `tail` split as black splits it: a name or a union in
    parentheses (the union's members a line each, when it does not fit on one), a subscript at
    its own bracket (its items a line each, when they do not fit on one). None for others."""
    text = ast.get_source_segment(code, annotation) or ""
    inner = " " * 8
    if isinstance(annotation, ast.Name | ast.BinOp) and len(inner) + len(text) <= LINE_LENGTH:
        return f"    {name}: (\n{inner}{text}\n    ){tail}"
    if isinstance(annotation, ast.BinOp):
        members: list[ast.expr] = []
        node: ast.expr = annotation
        while isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            members.append(node.right)
            node = node.left
        lines = [ast.get_source_segment(code, m) or "" for m in [node, *reversed(members)]]
        lines = [inner + lines[0], *(f"{inner}| {member}" for member in lines[1:])]
        if isinstance(node, ast.BinOp) or any(len(line) > LINE_LENGTH for line in lines):
            return None
        return f"    {name}: (\n" + "\n".join(lines) + f"\n    ){tail}"
    if isinstance(annotation, ast.Subscript) and isinstance(annotation.value, ast.Name):
        head = f"    {name}: {annotation.value.id}["
        items = annotation.slice.elts if isinstance(annotation.slice, ast.Tuple) else [annotation.slice]
        texts = [ast.get_source_segment(code, item) or "" for item in items]
        if len(head) > LINE_LENGTH:
            return None
        if len(inner) + len(", ".join(texts)) <= LINE_LENGTH:
            body = inner + ", ".join(texts)
        elif len(texts) > 1 and all(len(inner) + len(t) < LINE_LENGTH for t in texts):
            body = ",\n".join(inner + t for t in texts) + ","
        else:
            return None
        return f"{head}\n{body}\n    ]{tail}"
    return None


def _string_end(lines: list[str], start: int) -> int | None:
    """The line closing the triple-quoted string opened alone on `lines[start]`, if every line
    between is one black leaves alone and the closing quotes are alone at the same indent."""
    for index in range(start + 1, len(lines) - 1):
        line = lines[index]
        if line.lstrip(" ") == '"""':
            return index if line == lines[start] else None
        if _DOC_REJECT.search(line):
            return None
    return None


def _docstring_kept(content: list[str]) -> bool:
    """Black re-indents a class docstring to its smallest indent (PEP 257): kept when that is
    the class body's four spaces already, and when there is some text (an empty one changes)."""
    text = [line for line in content if line]
    return (
        bool(text)
        and all(line.startswith("    ") for line in text)
        and any(not line[4].isspace() for line in text)
    )


@functools.lru_cache(maxsize=65536)
def _canonical(line: str, header: bool) -> bool:
    """`line` is code black writes as it is (quotes aside): the top-level statement's first line
    (`header`) or a line of a class body, in canonical form and short enough."""
    indent = 0 if header else 4
    code = line[indent:]
    if len(line) > LINE_LENGTH or line[:indent] != " " * indent or code[:1].isspace():
        return False
    if not code or _CODE_REJECT.search(line) or _NUMBER_SPELLING.search(_STRINGS.sub("''", code)):
        return False
    return _canonical_shape(_SHAPE_TOKEN.sub(_placeholder, code), header)


_SHAPE_TOKEN = re.compile(r"'[^']*'|\b[A-Za-z_]\w*")
"""A string (no quote or backslash inside: `_CODE_REJECT` is passed) or a name."""


def _placeholder(token: re.Match[str]) -> str:
    text = token[0]
    if text[0] == "'":
        return "'S'"
    return text if keyword.iskeyword(text) else "N"


@functools.lru_cache(maxsize=4096)
def _canonical_shape(code: str, header: bool) -> bool:
    """`_canonical` for a line with each name written `N` and each string `'S'`: whether a line
    is canonical depends on its tokens and spaces, not on its names or its (plain) strings, and
    the model modules' lines come in a few hundred shapes (GitHub: 7,949 lines, each parsed
    and unparsed, took 1.4 s)."""
    if header and code.startswith("class ") and code.endswith(":"):
        source = code + "\n    pass"
    elif code.endswith(":"):
        return False  # a compound statement: not one of ours
    else:
        source = code
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return False
    if any(isinstance(node, ast.Slice) for node in ast.walk(tree)):
        return False  # black spaces complex slice bounds (`a[x + 1 :]`), ast.unparse does not
    return ast.unparse(tree).split("\n", 1)[0] == code


def looks_formatted(text: str) -> bool:
    """No sign that black would change `text`: no line over the limit that black could split
    (comments and lone strings it leaves long), no tab, no trailing whitespace. Necessary, not
    sufficient: tests hold the templates to the rest.

    Lines of a multi-line triple-quoted string are not split by black, but it moves the closing
    quotes of a docstring onto their own line when they would end past the limit."""
    if "\t" in text:
        return False
    inside = False
    for line in text.split("\n"):
        if line.endswith(" "):
            return False
        toggles = line.count('"""') % 2 == 1
        closing = inside and toggles
        long = len(line) > LINE_LENGTH and (closing or not (inside or toggles))
        if long and (
            closing
            or not (
                _UNSPLITTABLE.fullmatch(line)
                or line.lstrip().startswith("#")
                or _unsplittable_opening(line)
            )
        ):
            return False
        inside ^= toggles
    return True


def format_files(
    files: Mapping[str, str],
    cache: Cache | None = None,
    needs_black: Container[str] | None = None,
) -> Formatted:
    """Format the `*.py` values that need it; other files pass through unchanged.

    `needs_black`: the paths always formatted; None means every `*.py` file. Black runs on one
    top-level statement at a time (see `split_statements`), or in our templates' files on one
    logical line at a time (see `line_units`): only what needs it, cached one by one, spread
    over the cores even when one file holds most of it. Finding those pieces (`plan`) is spread
    over the cores too for a large package."""
    return Formatter(cache, needs_black).format(files)


class Formatter:
    """`format_files` in two steps: `prefetch` does the work for some files early (while the
    models are being generated in a worker process, in this otherwise idle one), `format`
    does the rest — the same result as `format_files`, sooner."""

    def __init__(self, cache: Cache | None, needs_black: Container[str] | None) -> None:
        self._cache, self._needs_black = cache, needs_black
        self._plans: dict[tuple[str, str], list[_Unit] | None] = {}
        self._done: dict[str, str] = {}
        """Black's output per statement, found or made in this run."""
        self._fresh: set[str] = set()
        """The statements of `_done` black ran on in this run."""

    def _always(self, path: str) -> bool:
        return self._needs_black is None or path in self._needs_black

    def laid_out(self, files: Mapping[str, str]) -> None:
        """Files already in black's layout (the model modules, laid out where the models were
        made): `format` passes them through as they are."""
        for path, text in files.items():
            self._plans[(path, text)] = None

    def prefetch(self, files: Mapping[str, str], more: Callable[[], bool]) -> None:
        """Plan and format `files` (as rendered so far) while `more()` holds — asked before
        each file and each run of black —, in this process. A statement black fails on is left
        to `format` to report."""
        for path, text in files.items():
            if not more():
                return
            if not path.endswith(".py") or len(text) >= _BIG_FILE or (path, text) in self._plans:
                continue
            units = self._plans[(path, text)] = plan(text, self._always(path))
            for unit in units or ():
                if unit.black is None or unit.black in self._done:
                    continue
                hit = self._cached(unit.black)
                if hit is None:
                    if not more():
                        return
                    try:
                        hit = self._store(unit.black, _format_one(path, unit.black))
                    except FormatError:
                        continue
                self._done[unit.black] = hit

    def format(self, files: Mapping[str, str]) -> Formatted:
        result = dict(files)
        python = [path for path in files if path.endswith(".py")]
        unplanned = [path for path in python if (path, files[path]) not in self._plans]
        size = sum(len(files[path]) for path in unplanned)
        with _Workers() as workers:
            pool = workers.pool() if size >= _PARALLEL_MIN_CHARS else None
            texts = [files[path] for path in unplanned]
            always = [self._always(path) for path in unplanned]
            found = _plan_many(texts, always, pool, workers.count)
            self._plans.update(zip(zip(unplanned, texts, strict=True), found, strict=True))
            plans = {path: units for path in python if (units := self._plans[(path, files[path])])}
            laid_out = len(python) - len(plans)
            jobs: dict[str, str] = {}
            for path, units in plans.items():
                for unit in units:
                    if unit.black is not None and unit.black not in self._done:
                        jobs.setdefault(unit.black, path)
            for statement in jobs:
                hit = self._cached(statement)
                if hit is not None:
                    self._done[statement] = hit
            todo = {
                statement: path for statement, path in jobs.items() if statement not in self._done
            }
            for statement, formatted in _format_many(todo, workers).items():
                self._done[statement] = self._store(statement, formatted)
        fresh = cached = 0
        for path, units in plans.items():
            result[path] = "".join(unit.gap + unit.result(self._done) for unit in units)
            if any(unit.black in self._fresh for unit in units):
                fresh += 1
            elif any(unit.black is not None for unit in units):
                cached += 1
            else:
                laid_out += 1
        return Formatted(files=result, formatted=fresh, cached=cached, laid_out=laid_out)

    def _cached(self, statement: str) -> str | None:
        return self._cache.get(_KIND, _key(statement)) if self._cache is not None else None

    def _store(self, statement: str, formatted: str) -> str:
        self._fresh.add(statement)
        if self._cache is not None:
            self._cache.put(_KIND, _key(statement), formatted)
        return formatted


def statement_layout(statement: str) -> str | None:
    """Black's layout of one top-level statement of a file black always formats (`statement`
    ends in a newline), exactly as `format` writes it there: `model_units`' rules, black on what
    they leave. None when black fails on it (`format` then reports it). Run where the models
    are made, so that the format stage has nothing left to do on them (`laid_out_module`)."""
    try:
        units = model_units("", statement)
        done = {u.black: _black_once(u.black) for u in units if u.black is not None}
        return "".join(unit.result(done) for unit in units)
    except Exception:  # black raises several unrelated types for input it cannot format
        return None


@functools.lru_cache(maxsize=4096)
def _black_once(text: str) -> str:
    """`format_source`, once per text in a process: the chunks' workers meet the same long
    fields in several chunks (GitHub: 97 runs of black, 64 texts)."""
    return format_source(text)


def laid_out_module(head: str, gap: str, statements: list[str]) -> str | None:
    """The file `head` + `gap` + `statements` (each in black's layout, as `statement_layout`
    gives it) joined by two blank lines, as `format` writes it when black always formats it;
    None when the head (comments and imports) is not in black's layout already."""
    if any(not plain_imports(piece) for _, piece in split_statements(head)):
        return None
    return head + gap + "\n\n".join(statements)


def plan(text: str, always: bool) -> list[_Unit] | None:
    """The pieces of one file, each kept as it is or given to black; None for a file that
    looks formatted as a whole (`always`: a file that needs black whatever it looks like)."""
    if not always and looks_formatted(text):
        return None
    units: list[_Unit] = []
    for gap, statement in split_statements(text):
        if plain_imports(statement) or not (always or not looks_formatted(statement)):
            units.append(_Unit(gap, statement))
        elif always:
            units.extend(model_units(gap, statement))
        else:
            units.extend(line_units(gap, statement))
    return units


def _plan_many(
    texts: list[str], always: list[bool], pool: ProcessPoolExecutor | None, workers: int
) -> list[list[_Unit] | None]:
    """`plan` of each text, in order: with a pool, the files under `_BIG_FILE` in the workers
    (in batches in file order: a file's size says little of its planning time, which is
    mostly in the statements that do not look formatted) and meanwhile the big ones here."""
    if pool is None:
        return list(map(plan, texts, always))
    small = [i for i, text in enumerate(texts) if len(text) < _BIG_FILE]
    chunk = max(1, len(small) // (workers * 32))
    planned = pool.map(plan, [texts[i] for i in small], [always[i] for i in small], chunksize=chunk)
    found: list[list[_Unit] | None] = [None] * len(texts)
    for i, text in enumerate(texts):
        if len(text) >= _BIG_FILE:
            found[i] = plan(text, always[i])
    for i, units in zip(small, planned, strict=True):
        found[i] = units
    return found


class _Workers:
    """A pool of worker processes, started on first use and shut down on leaving the block."""

    def __init__(self) -> None:
        self.count = min(os.cpu_count() or 1, 8)
        self._pool: ProcessPoolExecutor | None = None

    def pool(self) -> ProcessPoolExecutor | None:
        """The pool, or None on a single core."""
        if self._pool is None and self.count >= 2:
            # forkserver: workers start small instead of inheriting (and being counted with)
            # this process's heap, which holds the whole spec, the IR and the rendered package
            context = multiprocessing.get_context("forkserver")
            self._pool = ProcessPoolExecutor(
                max_workers=self.count, mp_context=context, initializer=in_worker
            )
        return self._pool

    def __enter__(self) -> _Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)


@dataclass(frozen=True, slots=True)
class _Unit:
    """A piece of a file after `gap` (blank lines): `text` as it is, or black's output for
    `black` — without the `head` and `tail` lines put around a logical line to give black a
    whole statement at the right depth (see `line_units`)."""

    gap: str
    text: str
    black: str | None = None
    head: str = ""
    tail: str = ""

    def result(self, done: Mapping[str, str]) -> str:
        if self.black is None:
            return self.text
        formatted = done[self.black]
        if not (formatted.startswith(self.head) and formatted.endswith(self.tail)):
            raise FormatError("(a logical line)", f"black changed the lines around {self.text!r}")
        return formatted[len(self.head) : len(formatted) - len(self.tail)]


_INDENT = "    "
_WRAPPER = "def _():\n"
_HEADERS = frozenset({"def", "class", "if", "for", "while", "with", "async"})
"""Compound statements whose header stands alone with a `pass` body."""


@dataclass(frozen=True, slots=True)
class LogicalLine:
    first: int
    """Its first physical line (0-based)."""
    last: int
    kind: str
    """"simple" (a whole statement, one-line compound statements too), "header" (of a block
    that follows), "decorator", "string" (a statement that is only a string) or "clause"
    (`else:`, `except …:` and the like: no statement of their own)."""


def logical_lines(statement: str) -> list[LogicalLine] | None:
    """The logical lines of `statement` (what black formats one by one), by tokenize; None
    when it does not tokenize."""
    found: list[LogicalLine] = []
    tokens: list[tokenize.TokenInfo] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(statement).readline):
            if token.type in _OUTSIDE_LINES and not tokens:
                continue
            if token.type != tokenize.NEWLINE:
                tokens.append(token)
                continue
            found.append(LogicalLine(tokens[0].start[0] - 1, token.start[0] - 1, _kind(tokens)))
            tokens = []
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return None
    return None if tokens else found


_STRING_STARTS = frozenset({tokenize.STRING, getattr(tokenize, "FSTRING_START", tokenize.STRING)})
"""A statement starting with a string (a docstring, on Python 3.12+ an f-string too)."""
_OUTSIDE_LINES = frozenset(
    {tokenize.NL, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER}
)


def _kind(tokens: list[tokenize.TokenInfo]) -> str:
    words = [t.string for t in tokens if t.type != tokenize.COMMENT]
    if words[0] == "@":
        return "decorator"
    if tokens[0].type in _STRING_STARTS:
        return "string"
    if words[-1] != ":":
        return "simple"
    return "header" if words[0] in _HEADERS else "clause"


def line_units(gap: str, statement: str) -> list[_Unit]:
    """A statement of our templates that black would change: black runs only on the logical
    lines that need it (a call with a long name, a long signature), each alone at its depth —
    inside `def _():` wrappers, a header with a `pass` body, a decorator above a `def` — since
    black lays out a logical line from its own tokens and its depth; the blank lines and
    comments between logical lines are the templates' (tests/unit/test_black_layout.py compares
    files with black's). The whole statement goes to black when a line needing it is of a kind
    that cannot stand alone (a docstring, an `else:`) or is not indented by fours."""
    lines = statement.splitlines(keepends=True)
    found = logical_lines(statement)
    whole = [_Unit(gap, statement, statement)]
    if found is None:
        return whole
    pieces: list[str | tuple[str, str, str]] = []
    done = 0
    for line in found:
        text = "".join(lines[line.first : line.last + 1])
        if looks_formatted(text):
            continue
        indent = len(text) - len(text.lstrip(" "))
        if line.kind in ("string", "clause") or indent % len(_INDENT):
            return whole
        depth = indent // len(_INDENT)
        head = "".join(_INDENT * level + _WRAPPER for level in range(depth))
        inner = _INDENT * (depth + 1)
        tail = {
            "header": f"{inner}pass\n",
            "decorator": f"{_INDENT * depth}{_WRAPPER}{inner}pass\n",
        }.get(line.kind, "")
        pieces.extend(lines[done : line.first])
        pieces.append((text, head, tail))
        done = line.last + 1
    pieces.extend(lines[done:])
    return _units(gap, pieces)


def _pieces(lines: list[str], starts: list[int]) -> list[tuple[str, str]]:
    """`lines` cut at `starts` into (blank lines before, piece) pairs, blank lines at the end of
    a piece going to the next one's gap."""
    pieces: list[tuple[str, str]] = []
    gap = ""
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(lines)
        chunk = lines[start:end]
        blank = len(chunk)
        while blank > 0 and not chunk[blank - 1].strip():
            blank -= 1
        pieces.append((gap, "".join(chunk[:blank])))
        gap = "".join(chunk[blank:])
    return pieces


def split_statements(text: str) -> list[tuple[str, str]]:
    """`text` as (blank lines before, top-level statement) pairs that join back to it.

    A statement keeps the comment lines right above it and its decorators; a lone string after
    an assignment (an attribute docstring) stays with that assignment, since black reads a
    leading string as a module docstring. Black gives a statement the same layout alone as in
    its file (the lines are at column 0, and the blank lines between statements are the
    templates' — tests/unit/test_black_layout.py compares both on whole packages). Text that
    does not parse is one piece, for black to report."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return [("", text)]
    lines = text.splitlines(keepends=True)
    starts: list[int] = []
    previous_end = 0
    for node in tree.body:
        decorators = getattr(node, "decorator_list", [])
        first = min([node.lineno, *(d.lineno for d in decorators)]) - 1
        string = isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        if not (starts and string and isinstance(node.value.value, str)):  # type: ignore[attr-defined]
            while first > previous_end and lines[first - 1].startswith("#"):
                first -= 1
            starts.append(first)
        previous_end = node.end_lineno or node.lineno
    if not starts:
        return [("", text)]
    starts[0] = 0
    return _pieces(lines, starts)


def _format_many(todo: Mapping[str, str], workers: _Workers) -> dict[str, str]:
    """{statement: path} → {statement: formatted}."""
    lines = sum(text.count("\n") for text in todo)
    pool = workers.pool() if lines >= _PARALLEL_MIN_LINES and len(todo) >= 2 else None
    if pool is None:
        return {text: _format_one(path, text) for text, path in todo.items()}
    texts = sorted(todo, key=len, reverse=True)
    batch = max(1, len(texts) // (workers.count * 16))
    formatted = pool.map(_format_one, [todo[t] for t in texts], texts, chunksize=batch)
    return dict(zip(texts, formatted, strict=True))


def _format_one(path: str, text: str) -> str:
    try:
        return format_source(text)
    except Exception as exc:  # black raises several unrelated types for invalid input
        raise FormatError(
            path, str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        ) from None
