"""The peer generators, installed once into their own venv (`bench/.peers/`), and each tool's command.

`ensure_peers()` creates the venv on first use and installs openapi-python-client and
openapi-generator-cli (a PyPI wrapper that ships OpenAPI Generator's jar; Java comes from the
machine), plus the runtime libraries their generated clients import, so that the import check
of a peer's output runs in the peer's own interpreter. A stamp file names what was installed;
later runs reuse the venv as long as the stamp matches.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PEERS = BENCH / ".peers"
MAIN_BIN = Path(sys.executable).parent
REQUIREMENTS = (
    "openapi-python-client",
    "openapi-generator-cli",
    # what their generated clients import (openapi-python-client: httpx, attrs, dateutil;
    # OpenAPI Generator's `python` generator: pydantic v2, urllib3, dateutil, typing-extensions)
    "httpx",
    "attrs",
    "python-dateutil",
    "pydantic>=2",
    "urllib3",
    "typing-extensions",
)
TOOLS = ("oagen", "openapi-python-client", "openapi-generator")
OAGEN_ARGS: list[str] = []
"""Extra `oagen generate` options for every oagen run (bench/run.py --models)."""
SHORT = {"oagen": "oagen", "openapi-python-client": "opc", "openapi-generator": "oag"}


@dataclass(frozen=True, slots=True)
class Tool:
    name: str
    python: Path
    """The interpreter that imports this tool's output."""

    def command(self, spec: Path, out: Path, package: str, *, force: bool = True) -> list[str]:
        if self.name == "oagen":
            cmd = [str(MAIN_BIN / "oagen"), "generate", str(spec), "-o", str(out)]
            cmd += [*OAGEN_ARGS, "--package", package, "-q"]
            return [*cmd, *(["--force"] if force else [])]
        if self.name == "openapi-python-client":
            return [
                str(PEERS / "bin" / "openapi-python-client"), "generate", "--path", str(spec),
                "--output-path", str(out), "--overwrite", "--meta", "none",
            ]  # fmt: skip
        return [
            str(PEERS / "bin" / "openapi-generator-cli"), "generate", "-g", "python",
            "-i", str(spec), "-o", str(out),
        ]  # fmt: skip

    def env(self) -> dict[str, str]:
        """Peers find their helpers (ruff, java) on PATH; oagen runs from the main venv."""
        bin_dir = MAIN_BIN if self.name == "oagen" else PEERS / "bin"
        return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}


def tool(name: str) -> Tool:
    python = Path(sys.executable) if name == "oagen" else PEERS / "bin" / "python"
    return Tool(name=name, python=python)


def ensure_peers(log: object = print) -> None:
    """Create bench/.peers and install the peers into it, unless the stamp says it is done."""
    stamp = PEERS / ".installed"
    wanted = "\n".join(REQUIREMENTS) + "\n"
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == wanted:
        return
    assert callable(log)
    log(f"installing peers into {PEERS.relative_to(ROOT)} (once) …")
    if not (PEERS / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEERS)], check=True)
    pip = [str(PEERS / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, *REQUIREMENTS], check=True)
    stamp.write_text(wanted, encoding="utf-8")


def versions() -> dict[str, str]:
    """Installed version of each tool (for the results header)."""
    from importlib.metadata import version

    found = {"oagen": version("oagen")}
    script = (
        "from importlib.metadata import version as v;"
        "print(v('openapi-python-client'), v('openapi-generator-cli'))"
    )
    python = PEERS / "bin" / "python"
    if python.exists():
        done = subprocess.run(
            [str(python), "-c", script], capture_output=True, text=True, check=False
        )
        if done.returncode == 0:
            opc, oag = done.stdout.split()
            found |= {"openapi-python-client": opc, "openapi-generator": oag}
    return found
