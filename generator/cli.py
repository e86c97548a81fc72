"""The `oagen` command line: the only module that prints.

Exit codes: 0 success; 1 drift (`check`, `generate --check`); 2 invalid spec, configuration
or usage. Problems go to stderr as `FILE:LINE:COL: error: MESSAGE [code] [#/pointer]`.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

from . import __version__, irjson
from .config import ConfigError, Target, load_targets, target_for
from .diagnostics import Diagnostic, Severity
from .format import FormatError
from .pipeline import Options, Outcome, analyse, display_path, generate
from .write import WriteError

EXIT_OK, EXIT_DRIFT, EXIT_INVALID = 0, 1, 2


class Reporter:
    """Progress on stderr: quiet in a non-TTY unless --verbose; --quiet silences it."""

    def __init__(self, quiet: bool, verbose: bool) -> None:
        self.show = not quiet and (verbose or sys.stderr.isatty())
        self.verbose = verbose

    def progress(self, message: str) -> None:
        if self.show:
            click.echo(message, err=True)

    def diagnostics(self, items: Sequence[Diagnostic]) -> None:
        for item in items:
            if item.severity is Severity.INFO and not self.verbose:
                continue
            click.echo(item.format(), err=True)


def _options(strict: bool, force: bool, allow: Sequence[str]) -> Options:
    return Options(strict=strict, force=force, allow_remote_hosts=frozenset(allow))


def _targets(
    spec: Path | None, output: Path | None, package: str | None, templates: Path | None
) -> list[Target]:
    if spec is not None:
        return [target_for(spec, output, package, templates)]
    if output is not None or package is not None:
        raise ConfigError("-o/--package need a SPEC (configured targets have their own)")
    _, targets = load_targets(Path.cwd())
    if templates is not None:
        targets = [
            Target(spec=t.spec, output=t.output, package=t.package, templates=templates)
            for t in targets
        ]
    return targets


def _guard(action: Callable[[], int]) -> None:
    try:
        code = action()
    except ConfigError as exc:
        click.echo(f"error: {exc}", err=True)
        code = EXIT_INVALID
    except (WriteError, FormatError) as exc:
        click.echo(f"error: {exc}", err=True)
        code = EXIT_INVALID
    click.get_current_context().exit(code)


common_strict = click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 2).")
common_remote = click.option(
    "--allow-remote-refs",
    "allow",
    multiple=True,
    metavar="HOST",
    help="Allow $ref to fetch from HOST (repeatable). Default: no network at all.",
)
common_quiet = click.option("-q", "--quiet", is_flag=True, help="No progress output.")
common_verbose = click.option(
    "-v", "--verbose", is_flag=True, help="Progress output even when not a TTY."
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="oagen")
def main() -> None:
    """Generate typed, tested Python clients from OpenAPI descriptions."""


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
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if the output is not current.")
@click.option("--force", is_flag=True, help="Regenerate even if nothing changed.")
@common_strict
@common_remote
@common_quiet
@common_verbose
def generate_command(
    spec: Path | None,
    output: Path | None,
    package: str | None,
    templates: Path | None,
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
            _targets(spec, output, package, templates),
            _options(strict, force, allow),
            reporter,
            check,
        )
    )


@main.command("check")
@common_strict
@common_remote
@common_quiet
@common_verbose
def check_command(strict: bool, allow: tuple[str, ...], quiet: bool, verbose: bool) -> None:
    """Check that every configured target's spec is valid and its output is current."""
    reporter = Reporter(quiet, verbose)
    _guard(
        lambda: _run(
            _targets(None, None, None, None), _options(strict, False, allow), reporter, True
        )
    )


def _run(targets: list[Target], options: Options, reporter: Reporter, check: bool) -> int:
    code = EXIT_OK
    for target in targets:
        started = time.perf_counter()
        reporter.progress(f"oagen: {display_path(target.spec)} → {display_path(target.output)}")
        outcome = generate(target, options, check=check)
        reporter.diagnostics(outcome.diagnostics)
        if outcome.failed:
            code = EXIT_INVALID
            click.echo(
                f"error: {display_path(target.spec)}: invalid spec; nothing written", err=True
            )
            continue
        if check and outcome.drift:
            code = max(code, EXIT_DRIFT)
            click.echo(f"{display_path(target.output)} is not current:", err=True)
            for line in outcome.drift:
                click.echo(line, err=True)
            continue
        reporter.progress(_summary(outcome, check, time.perf_counter() - started))
    return code


def _summary(outcome: Outcome, check: bool, seconds: float) -> str:
    out = display_path(outcome.target.output)
    if check:
        return f"oagen: {out} is current ({seconds:.2f} s)"
    written = outcome.written
    if outcome.fast_path or (written is not None and written.unchanged):
        return f"oagen: {out} unchanged ({seconds:.2f} s)"
    assert written is not None
    return f"oagen: {out}: {len(written.written)} files written, {len(written.removed)} removed ({seconds:.2f} s)"


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
        _, api, diagnostics = analyse(
            target_for(spec, None, package, None), _options(False, False, allow)
        )
        Reporter(False, True).diagnostics(diagnostics)
        if api is None or any(d.severity is Severity.ERROR for d in diagnostics):
            return EXIT_INVALID
        click.echo(irjson.dumps(api), nl=False)
        return EXIT_OK

    _guard(action)


def run(argv: list[str] | None = None) -> int:
    """Entry point for tests: `main` without sys.exit; returns the exit code."""
    result: Any = main.main(args=argv, standalone_mode=False)
    return int(result or 0)
