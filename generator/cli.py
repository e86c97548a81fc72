"""The `oagen` command line: the only module that prints.

Exit codes: 0 success; 1 drift (`check`, `generate --check`) or a breaking change (`diff`);
2 invalid spec, configuration or usage. Problems go to stderr as
`FILE:LINE:COL: error: MESSAGE [code] [#/pointer]`.

Keep the imports here light (no Jinja2, black, datamodel-code-generator, IR at module level):
a no-op `oagen generate` or `oagen check` must answer in well under a second, and most of that
budget is interpreter start-up. Import heavy modules inside the command that needs them.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from . import __version__
from .collector import quick_exit
from .config import MODELS, ConfigError, Target, load_targets, target_for
from .diagnostics import Diagnostic, Severity
from .pipeline import Options, Outcome, analyse, display_path, generate
from .write import WriteError

EXIT_OK, EXIT_DRIFT, EXIT_INVALID = 0, 1, 2


class Reporter:
    """stderr: progress per target and stage (a TTY or --verbose; never with --quiet), and a
    one-line summary at the end (unless --quiet). Problems and drift are always shown."""

    def __init__(self, quiet: bool, verbose: bool) -> None:
        self.show = not quiet and (verbose or sys.stderr.isatty())
        self.quiet = quiet
        self.verbose = verbose

    def progress(self, message: str) -> None:
        if self.show:
            click.echo(message, err=True)

    def stage(self, message: str) -> None:
        self.progress(f"  {message}")

    def summary(self, message: str) -> None:
        if not self.quiet:
            click.echo(f"oagen: {message}", err=True)

    def diagnostics(self, items: Sequence[Diagnostic]) -> None:
        for item in items:
            if item.severity is Severity.INFO and not self.verbose:
                continue
            click.echo(item.format(), err=True)


def _options(strict: bool, force: bool, allow: Sequence[str]) -> Options:
    return Options(strict=strict, force=force, allow_remote_hosts=frozenset(allow))


def _targets(
    spec: Path | None,
    output: Path | None,
    package: str | None,
    templates: Path | None,
    models: str | None = None,
) -> list[Target]:
    if spec is not None:
        return [target_for(spec, output, package, templates, models or "all")]
    if output is not None or package is not None:
        raise ConfigError("-o/--package need a SPEC (configured targets have their own)")
    _, targets = load_targets(Path.cwd())
    if templates is not None:
        targets = [replace(t, templates=templates) for t in targets]
    if models is not None:
        targets = [replace(t, models=models) for t in targets]
    return targets


def _guard(action: Callable[[], int]) -> None:
    try:
        code = action()
    except Exception as exc:
        if not isinstance(exc, _expected_errors()):
            raise
        click.echo(f"error: {exc}", err=True)
        code = EXIT_INVALID
    click.get_current_context().exit(code)


def _expected_errors() -> tuple[type[Exception], ...]:
    """Errors reported as `error: …` (exit 2). Those of heavy modules count only once the
    module is loaded — it cannot have raised otherwise — so that start-up stays light."""
    errors: list[type[Exception]] = [ConfigError, WriteError]
    for module, name in (("generator.format", "FormatError"), ("generator.diff", "DiffError")):
        loaded = sys.modules.get(module)
        if loaded is not None:
            errors.append(getattr(loaded, name))
    return tuple(errors)


common_strict = click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 2).")
common_remote = click.option(
    "--allow-remote-refs",
    "allow",
    multiple=True,
    metavar="HOST",
    help="Allow $ref to fetch from HOST (repeatable). Default: no network at all.",
)
common_force = click.option(
    "--force",
    is_flag=True,
    help="Ignore the manifest's fast path: render everything (generate: without caches, "
    "writing every file).",
)
common_quiet = click.option("-q", "--quiet", is_flag=True, help="No progress or summary output.")
common_verbose = click.option(
    "-v", "--verbose", is_flag=True, help="Progress output even when not a TTY."
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="oagen")
def main() -> None:
    """Generate typed, tested Python clients from OpenAPI descriptions."""
    quick_exit()


@main.command("generate")
@click.argument("spec", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "-o", "--output", type=click.Path(path_type=Path, file_okay=False), help="Output folder."
)
@click.option("--package", help="Python package name (default: from the spec's file name).")
@click.option(
    "--templates",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="Template overrides.",
)
@click.option(
    "--models",
    type=click.Choice(MODELS),
    help='Models for "all" schemas (default) or only those the operations "used".',
)
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if the output is not current.")
@common_force
@common_strict
@common_remote
@common_quiet
@common_verbose
def generate_command(
    spec: Path | None,
    output: Path | None,
    package: str | None,
    templates: Path | None,
    models: str | None,
    check: bool,
    force: bool,
    strict: bool,
    allow: tuple[str, ...],
    quiet: bool,
    verbose: bool,
) -> None:
    """Generate the client for SPEC, or for every target in [tool.oagen]."""
    reporter = Reporter(quiet, verbose)
    _guard(
        lambda: _run(
            _targets(spec, output, package, templates, models),
            _options(strict, force, allow),
            reporter,
            check,
        )
    )


@main.command("check")
@common_force
@common_strict
@common_remote
@common_quiet
@common_verbose
def check_command(
    force: bool, strict: bool, allow: tuple[str, ...], quiet: bool, verbose: bool
) -> None:
    """Check that every configured target's spec is valid and its output is current.

    Writes nothing. Exit 1 when a managed file is missing, stale, hand-edited or extra."""
    reporter = Reporter(quiet, verbose)
    _guard(
        lambda: _run(
            _targets(None, None, None, None), _options(strict, force, allow), reporter, True
        )
    )


def _run(targets: list[Target], options: Options, reporter: Reporter, check: bool) -> int:
    started = time.perf_counter()
    totals = Totals()
    code = EXIT_OK
    for target in targets:
        reporter.progress(f"oagen: {display_path(target.spec)} → {display_path(target.output)}")
        outcome = generate(target, options, check=check, progress=reporter.stage)
        reporter.diagnostics(outcome.diagnostics)
        code = max(code, _report(outcome, check))
        totals.add(outcome)
    reporter.summary(totals.line(check, time.perf_counter() - started))
    return code


def _report(outcome: Outcome, check: bool) -> int:
    if outcome.failed:
        what = "nothing checked" if check else "nothing written"
        click.echo(f"error: {display_path(outcome.target.spec)}: invalid spec; {what}", err=True)
        return EXIT_INVALID
    if not outcome.drift:
        return EXIT_OK
    out = outcome.target.output
    click.echo(f"{display_path(out)} is not current ({len(outcome.drift)} files):", err=True)
    for item in outcome.drift:
        click.echo(f"{display_path(out / item.path)}: {item.describe()}", err=True)
        for line in item.diff:
            click.echo(f"    {line}", err=True)
    click.echo("run `oagen generate` to update it", err=True)
    return EXIT_DRIFT


class Totals:
    """Counts over every target, for the one-line summary."""

    def __init__(self) -> None:
        self.targets = self.invalid = self.drifted = 0
        self.written = self.removed = self.unchanged = self.skipped = 0

    def add(self, outcome: Outcome) -> None:
        self.targets += 1
        self.invalid += outcome.failed
        self.drifted += bool(outcome.drift)
        self.skipped += outcome.skipped
        if outcome.written is not None:
            self.written += len(outcome.written.written)
            self.removed += len(outcome.written.removed)
            self.unchanged += len(outcome.written.unchanged)

    def line(self, check: bool, seconds: float) -> str:
        targets = f"{self.targets} target{'s' if self.targets != 1 else ''}"
        invalid = f", {self.invalid} invalid" if self.invalid else ""
        if check:
            current = self.targets - self.invalid - self.drifted
            return f"{targets}: {current} current, {self.drifted} not current{invalid} ({seconds:.2f} s)"
        return (
            f"{targets}: {self.written} files written, {self.removed} removed, "
            f"{self.unchanged} unchanged, {self.skipped} skipped (up to date){invalid} "
            f"({seconds:.2f} s)"
        )


@main.command("validate")
@click.argument("spec", type=click.Path(path_type=Path, dir_okay=False))
@common_strict
@common_remote
def validate_command(spec: Path, strict: bool, allow: tuple[str, ...]) -> None:
    """Load and check SPEC; report every problem."""

    def action() -> int:
        _, api, diagnostics = analyse(
            target_for(spec, None, None, None), _options(strict, False, allow)
        )
        Reporter(False, True).diagnostics(diagnostics)
        if any(d.severity is Severity.ERROR for d in diagnostics) or api is None:
            return EXIT_INVALID
        click.echo(
            f"{display_path(spec)}: valid ({len(api.operations)} operations, {len(api.schemas)} schemas)"
        )
        return EXIT_OK

    _guard(action)


@main.command("ir")
@click.argument("spec", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--package", help="Package name used for naming (default: from the file name).")
@common_remote
def ir_command(spec: Path, package: str | None, allow: tuple[str, ...]) -> None:
    """Print the intermediate representation of SPEC as JSON."""

    def action() -> int:
        from . import irjson

        _, api, diagnostics = analyse(
            target_for(spec, None, package, None), _options(False, False, allow)
        )
        Reporter(False, True).diagnostics(diagnostics)
        if api is None or any(d.severity is Severity.ERROR for d in diagnostics):
            return EXIT_INVALID
        click.echo(irjson.dumps(api), nl=False)
        return EXIT_OK

    _guard(action)


@main.command("diff")
@click.argument("specs", nargs=-1, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--against",
    "ref",
    metavar="GIT_REF",
    help="Compare SPEC (default: every configured target's) with its version at GIT_REF.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["human", "json"]), default="human", show_default=True
)
@common_remote
def diff_command(
    specs: tuple[Path, ...], ref: str | None, fmt: str, allow: tuple[str, ...]
) -> None:
    """Classify the changes from OLD to NEW as breaking or not, for generated clients.

    `oagen diff OLD NEW`, or `oagen diff --against HEAD [SPEC]`. Exit 1 when a change breaks."""
    _guard(lambda: _diff(_diff_pairs(specs, ref), ref, fmt, _options(False, False, allow)))


def _diff_pairs(specs: tuple[Path, ...], ref: str | None) -> list[tuple[Path, Path | None]]:
    """(new spec, old spec or None to read it from `ref`) pairs."""
    if ref is None:
        if len(specs) != 2:
            raise ConfigError("diff needs OLD and NEW (or --against GIT_REF [SPEC])")
        return [(specs[1], specs[0])]
    if len(specs) > 1:
        raise ConfigError("with --against, give at most one SPEC")
    if specs:
        return [(specs[0], None)]
    return [(target.spec, None) for target in _targets(None, None, None, None)]


def _diff(pairs: list[tuple[Path, Path | None]], ref: str | None, fmt: str, options: Options) -> int:
    from contextlib import ExitStack

    from .diff import committed_spec

    code = EXIT_OK
    for new, old in pairs:
        with ExitStack() as stack:
            if old is None:
                assert ref is not None
                old = stack.enter_context(committed_spec(new, ref))
                if old is None:
                    click.echo(f"{display_path(new)}: not in {ref}; nothing to compare", err=True)
                    continue
            label = f"{display_path(new)}@{ref}" if ref else display_path(old)
            code = max(code, _diff_one(old, new, label, fmt, options))
    return code


def _diff_one(old: Path, new: Path, old_label: str, fmt: str, options: Options) -> int:
    from .diff import compare, render_human, render_json

    package = target_for(new, None, None, None).package
    apis = []
    for spec in (old, new):
        _, api, diagnostics = analyse(target_for(spec, None, package, None), options)
        Reporter(False, False).diagnostics(diagnostics)
        if api is None or any(d.severity is Severity.ERROR for d in diagnostics):
            click.echo(f"error: {old_label if spec is old else display_path(spec)}: invalid spec", err=True)
            return EXIT_INVALID
        apis.append(api)
    changes = compare(apis[0], apis[1])
    render = render_json if fmt == "json" else render_human
    click.echo(render(changes, old_label, display_path(new)), nl=False)
    return EXIT_DRIFT if any(c.breaking for c in changes) else EXIT_OK


@main.command("lint")
@click.argument("specs", nargs=-1, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too (not only on errors).")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option("--explain", metavar="RULE", help="Explain RULE (id, default severity, why) and exit.")
@common_remote
def lint_command(
    specs: tuple[Path, ...], strict: bool, fmt: str, explain: str | None, allow: tuple[str, ...]
) -> None:
    """Check SPECs (default: every configured target's) for what makes a poor client.

    Findings: `FILE:LINE:COL: severity: MESSAGE [rule-id] [#/pointer]`. Configure rules in
    [tool.oagen.lint]. Exit 1 on an error-level finding (--strict: also a warning), 2 when a
    spec cannot be read."""
    from . import lint

    def action() -> int:
        if explain is not None:
            click.echo(lint.explain(explain), nl=False)
            return EXIT_OK
        config = lint.load_config(Path.cwd())
        targets = lint.lint_targets(specs, Path.cwd())
        result = lint.lint(targets, config, _options(False, False, allow))
        for line in lint.unreadable_lines(result):
            click.echo(line, err=True)
        if fmt == "json":
            click.echo(lint.to_json(result))
        else:
            for line in lint.text_lines(result):
                click.echo(line)
            click.echo(lint.summary_line(result), err=True)
        return result.exit_code(strict)

    _guard(action)


def run(argv: list[str] | None = None) -> int:
    """Entry point for tests: `main` without sys.exit; returns the exit code."""
    result: Any = main.main(args=argv, standalone_mode=False)
    return int(result or 0)
