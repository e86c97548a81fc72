"""The Jinja2 environment and where templates and runtime files come from.

Built-in templates live in `templates/` (shipped in the wheel as `generator.templates`). A user
folder given with `--templates DIR` overrides any file of the same relative path, templates and
runtime files alike.
"""

from __future__ import annotations

from pathlib import Path

import jinja2


def builtin_templates() -> Path:
    """The templates folder: the repository's in a checkout, the packaged copy in a wheel."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package.parent / "templates", package / "templates"):
        if (candidate / "runtime" / "spec.py").is_file():
            return candidate
    raise FileNotFoundError(f"oagen's templates are missing (looked in {package})")


def template_dirs(override: Path | None) -> list[Path]:
    return ([override] if override is not None else []) + [builtin_templates()]


def environment(override: Path | None) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(p) for p in template_dirs(override)]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    return env


def runtime_files(override: Path | None) -> dict[str, str]:
    """`runtime/*.py` by file name, the override folder winning."""
    files: dict[str, str] = {}
    for folder in reversed(template_dirs(override)):
        runtime = folder / "runtime"
        if runtime.is_dir():
            for path in sorted(runtime.glob("*.py")):
                files[path.name] = path.read_text(encoding="utf-8")
    return dict(sorted(files.items()))


def template_files(override: Path | None) -> dict[str, bytes]:
    """Every template and runtime file's bytes (for the inputs hash)."""
    files: dict[str, bytes] = {}
    for folder in reversed(template_dirs(override)):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                files[path.relative_to(folder).as_posix()] = path.read_bytes()
    return dict(sorted(files.items()))
