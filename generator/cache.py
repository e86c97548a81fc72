"""A content-addressed text cache on disk: `key(parts…) → text`, shared by the slow stages.

Used by format.py (black output by unformatted text) and render/models.py (models.py by the
document handed to datamodel-code-generator, and beside it the model classes, their fields and
the modules they are split into). Entries are immutable (a key names its content),
written atomically, and the folder is safe to delete at any time. A cache that cannot be read
or written is simply a miss: caching never makes a run fail. Nothing is written outside the
cache folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path


def cache_key(*parts: str) -> str:
    """sha256 over the parts, each length-prefixed so that no two part lists collide."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass")
        digest.update(f"{len(data)}:".encode())
        digest.update(data)
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class Cache:
    folder: Path
    read: bool = True
    """False for `--force`: recompute everything, but still store the results."""

    def get(self, kind: str, key: str) -> str | None:
        if not self.read:
            return None
        try:
            return self._path(kind, key).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def put(self, kind: str, key: str, text: str) -> None:
        path = self._path(kind, key)
        temporary: str | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(
                "w", dir=path.parent, prefix=".tmp-", delete=False, encoding="utf-8"
            ) as handle:
                temporary = handle.name
                handle.write(text)
            os.replace(temporary, path)
        except OSError:
            if temporary is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)

    def _path(self, kind: str, key: str) -> Path:
        return self.folder / kind / key[:2] / key


def default_cache_dir() -> Path:
    """`$OAGEN_CACHE_DIR`, else `$XDG_CACHE_HOME/oagen`, else `~/.cache/oagen`."""
    base = os.environ.get("OAGEN_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "oagen"
    )
    return Path(base)
