"""The Jinja2 environment and where templates and runtime files come from.

Built-in templates live in `templates/` (shipped in the wheel as `generator.templates`). A user
folder given with `--templates DIR` overrides any file of the same relative path, templates and
runtime files alike.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from ..inputs import builtin_templates, template_dirs, template_files

__all__ = ["builtin_templates", "environment", "runtime_files", "template_dirs", "template_files"]


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
