"""Helpers for the pipeline tests: small specs, tree snapshots, oagen in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.conftest import ROOT

SMALL = textwrap.dedent(
    """
    openapi: 3.1.0
    info: {title: Small, version: '1'}
    servers: [{url: 'https://small.test'}]
    paths:
      /things/{id}:
        get:
          operationId: getThing
          tags: [things]
          parameters: [{name: id, in: path, required: true, schema: {type: string}}]
          responses:
            '200':
              description: ok
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/Thing'}
      /widgets:
        get:
          operationId: listWidgets
          tags: [widgets]
          parameters: [{name: colour, in: query, schema: {type: string, enum: [red, blue]}}]
          responses:
            '200':
              description: ok
              content:
                application/json:
                  schema: {type: array, items: {type: string}}
    components:
      schemas:
        Thing:
          type: object
          required: [id]
          properties:
            id: {type: string}
            size: {type: integer, minimum: 0}
    """
).lstrip()


def tree(folder: Path) -> dict[str, bytes]:
    """Every regular file under `folder` (relative POSIX path → bytes)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def stat_tree(folder: Path) -> dict[str, tuple[int, int, bytes]]:
    """Every entry under `folder` with its inode, mtime and (for files) bytes: proves no write."""
    result: dict[str, tuple[int, int, bytes]] = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        data = path.read_bytes() if path.is_file() and not path.is_symlink() else b""
        result[path.relative_to(folder).as_posix()] = (info.st_ino, info.st_mtime_ns, data)
    return result


def manifest_files(out: Path) -> set[str]:
    manifest = json.loads((out / ".oagen-manifest.json").read_text(encoding="utf-8"))
    return {*manifest["files"], ".oagen-manifest.json"}


def oagen(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None,
          timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """`oagen ARGS` in a fresh interpreter (the real CLI, as pipelines run it)."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *map(str, args)],
        cwd=cwd or ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def write_project(folder: Path, spec_text: str = SMALL, package: str = "small") -> Path:
    """A project folder with pyproject.toml targets (for `oagen check` / `generate`)."""
    (folder / "specs").mkdir(parents=True, exist_ok=True)
    (folder / "specs" / "api.yaml").write_text(spec_text, encoding="utf-8")
    (folder / "pyproject.toml").write_text(
        "[[tool.oagen.targets]]\n"
        'spec = "specs/api.yaml"\n'
        f'output = "generated/{package}"\n'
        f'package = "{package}"\n',
        encoding="utf-8",
    )
    return folder
