"""`[tool.oagen]` of the nearest pyproject.toml → generation targets.

    [[tool.oagen.targets]]
    spec = "specs/twilio_comms.yaml"
    output = "generated/twilio_comms"
    package = "twilio_comms"
    templates = "my-templates"        # optional
    models = "used"                   # optional: only the schemas the operations use ("all")

Paths are relative to the pyproject.toml's folder. With a SPEC on the command line instead:
`--package` defaults to the snake_case of the spec's file stem and `-o` to `generated/<package>`.
"""

from __future__ import annotations

import keyword
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import naming


class ConfigError(Exception):
    """Invalid configuration or usage (exit 2)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Target:
    spec: Path
    output: Path
    package: str
    templates: Path | None = None
    lint: dict[str, Any] | None = None
    models: str = "all"
    """"all": a model for every schema; "used": only for those an operation reaches."""


MODELS = ("all", "used")


def find_pyproject(start: Path) -> Path | None:
    for folder in [start, *start.parents]:
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_targets(start: Path) -> tuple[Path, list[Target]]:
    pyproject = find_pyproject(start.resolve())
    if pyproject is None:
        raise ConfigError("no SPEC given and no pyproject.toml with [tool.oagen] targets found")
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{pyproject}: {exc}") from None
    tool = data.get("tool", {}).get("oagen")
    if (
        not isinstance(tool, dict)
        or not isinstance(tool.get("targets"), list)
        or not tool["targets"]
    ):
        raise ConfigError(f"{pyproject}: no [[tool.oagen.targets]] entries")
    root = pyproject.parent
    lint = tool.get("lint") if isinstance(tool.get("lint"), dict) else None
    targets = [
        _target(pyproject, root, entry, index, lint) for index, entry in enumerate(tool["targets"])
    ]
    return pyproject, targets


def _target(
    pyproject: Path, root: Path, entry: Any, index: int, lint: dict[str, Any] | None
) -> Target:
    where = f"{pyproject}: tool.oagen.targets[{index}]"
    if not isinstance(entry, dict) or not isinstance(entry.get("spec"), str):
        raise ConfigError(f'{where}: needs `spec = "path"`')
    spec = root / entry["spec"]
    package = entry.get("package") or default_package(spec)
    check_package(str(package), where)
    output = (
        root / entry["output"]
        if isinstance(entry.get("output"), str)
        else root / "generated" / package
    )
    templates = root / entry["templates"] if isinstance(entry.get("templates"), str) else None
    models = entry.get("models", "all")
    if models not in MODELS:
        raise ConfigError(f'{where}: models = {models!r}: expected "all" or "used"')
    return Target(
        spec=spec,
        output=output,
        package=str(package),
        templates=templates,
        lint=lint,
        models=models,
    )


def default_package(spec: Path) -> str:
    stem = spec.name.split(".", 1)[0]
    return naming.identifier(stem, digit_prefix="api_", fallback="api_client")


def check_package(package: str, where: str = "--package") -> None:
    if not package.isidentifier() or keyword.iskeyword(package) or not package.isascii():
        raise ConfigError(f"{where}: {package!r} is not a valid Python package name")


def target_for(
    spec: Path,
    output: Path | None,
    package: str | None,
    templates: Path | None,
    models: str = "all",
) -> Target:
    package = package or default_package(spec)
    check_package(package)
    return Target(
        spec=spec,
        output=output if output is not None else Path("generated") / package,
        package=package,
        templates=templates,
        models=models,
    )
