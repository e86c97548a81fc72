"""Write a generated tree into its output folder: all or nothing, user files untouched.

How: under a lock, build the complete new folder beside the old one (`.oagen-staging-…`):
the new managed files, plus hard links (or copies) of every entry that the previous manifest
does not list — those belong to the user. Then swap the two folders in one atomic step
(`renameat2(RENAME_EXCHANGE)` on Linux; elsewhere two renames, with recovery on the next run)
and delete the old one. A crash or kill at any moment leaves the old or the new complete
folder; leftover staging folders are removed by the next run. A managed path that collides with
a user file is an error; symlinks in the output are never followed for writing.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO

MANIFEST = ".oagen-manifest.json"
_STAGING = ".oagen-staging-"
_OLD = ".oagen-old-"


class WriteError(Exception):
    """Writing was refused or failed; the output folder is unchanged."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Manifest:
    generator: str
    spec: str
    inputs: str
    """Hash of everything that shapes the output (see inputs.py): a cache key, not content."""
    spec_sha256: str = ""
    sources: tuple[str, ...] = ()
    """Spec documents, relative to the root spec's folder (for the no-op fast path)."""
    files: Mapping[str, str] = field(default_factory=dict)

    def to_json(self) -> str:
        data = {
            "generator": self.generator,
            "spec": self.spec,
            "spec_sha256": self.spec_sha256,
            "inputs": self.inputs,
            "sources": list(self.sources),
            "files": dict(sorted(self.files.items())),
        }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    @staticmethod
    def from_json(text: str) -> Manifest:
        data = json.loads(text)
        files, sources = data.get("files", {}), data.get("sources", [])
        if not isinstance(files, dict) or not isinstance(sources, list):
            raise ValueError("files must be an object and sources a list")
        return Manifest(
            generator=str(data.get("generator", "")),
            spec=str(data.get("spec", "")),
            inputs=str(data.get("inputs", "")),
            spec_sha256=str(data.get("spec_sha256", "")),
            sources=tuple(str(s) for s in sources),
            files={str(k): str(v) for k, v in files.items()},
        )


@dataclass(frozen=True, slots=True)
class WriteResult:
    written: tuple[str, ...]
    removed: tuple[str, ...]
    unchanged: tuple[str, ...]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_manifest(out: Path) -> Manifest | None:
    path = out / MANIFEST
    if path.is_symlink() or not path.is_file():
        return None
    try:
        return Manifest.from_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def check_relative(path: str) -> str:
    """A managed path must be a plain relative POSIX path that stays inside the output."""
    pure = PurePosixPath(path)
    bad = (
        not path
        or pure.is_absolute()
        or "\\" in path
        or "\x00" in path
        or any(part in ("", ".", "..") for part in path.split("/"))
        or any(len(part.encode()) > 255 for part in pure.parts)
    )
    if bad:
        raise WriteError(f"refusing to write outside the output folder: {path!r}")
    return path


@contextlib.contextmanager
def locked(out: Path) -> Iterator[None]:
    """One oagen run per output folder at a time; a second one fails at once, saying why.

    The lock file sits beside the output (`.oagen-NAME.lock`, holding the owner's pid) and is
    removed when the run ends; after a kill it stays behind, unlocked, and is reused.
    """
    out = Path(os.path.abspath(out))
    out.parent.mkdir(parents=True, exist_ok=True)
    lock_path = _lock_path(out)
    handle = _acquire(lock_path, out)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(lock_path)
        handle.close()


def _acquire(lock_path: Path, out: Path) -> IO[str]:
    while True:
        try:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
        except OSError as exc:
            raise WriteError(f"cannot open the lock file {lock_path}: {exc.strerror}") from None
        handle = os.fdopen(fd, "r+", encoding="utf-8")
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            owner = handle.read().strip()
            handle.close()
            who = f"pid {owner}" if owner.isdigit() else "another process"
            raise WriteError(
                f"another oagen run ({who}) is writing {out}; try again when it ends "
                f"(lock file {lock_path})"
            ) from None
        if _same_file(fd, lock_path):
            handle.truncate(0)
            handle.write(f"{os.getpid()}\n")
            handle.flush()
            return handle
        handle.close()  # the previous owner removed it meanwhile: lock the new one


def _same_file(fd: int, path: Path) -> bool:
    try:
        current = os.stat(path, follow_symlinks=False)
    except FileNotFoundError:
        return False
    mine = os.fstat(fd)
    return (mine.st_dev, mine.st_ino) == (current.st_dev, current.st_ino)


def _lock_path(out: Path) -> Path:
    return out.parent / f".oagen-{out.name}.lock"


def has_leftovers(out: Path) -> bool:
    """A killed run left a staging or moved-away folder, or its lock file, beside `out`."""
    out = Path(os.path.abspath(out))
    parent = out.parent
    if not parent.is_dir():
        return False
    return (
        any(parent.glob(f"{_STAGING}{out.name}-*"))
        or any(parent.glob(f"{_OLD}{out.name}-*"))
        or _lock_path(out).exists()
    )


def write_output(
    out: Path, files: Mapping[str, bytes], manifest: Manifest, *, force: bool = False
) -> WriteResult:
    """Replace the managed files of `out` with `files` (+ the manifest). Caller holds `locked`.

    Unchanged managed files are hard-linked from the old tree (their timestamps stay), unless
    `force` asks to write every file afresh.
    """
    out = Path(os.path.abspath(out))
    recover(out)
    previous = read_manifest(out)
    managed_before = set(previous.files) | {MANIFEST} if previous else set()
    new = {check_relative(p): data for p, data in files.items()}
    new[MANIFEST] = manifest.to_json().encode()
    _check_clashes(out, new, managed_before)
    same = set() if force or previous is None else _unchanged(out, new, managed_before)
    removed = tuple(sorted(managed_before - set(new)))
    if same == set(new) and not removed:
        return WriteResult(written=(), removed=(), unchanged=tuple(sorted(new)))
    staging = out.parent / f"{_STAGING}{out.name}-{uuid.uuid4().hex[:12]}"
    try:
        _build_staging(out, staging, new, same, managed_before)
        _swap(staging, out, set(new) | managed_before)
    finally:
        if staging.exists() or staging.is_symlink():
            shutil.rmtree(staging, ignore_errors=True)
    written = tuple(sorted(set(new) - same))
    return WriteResult(written=written, removed=removed, unchanged=tuple(sorted(same)))


def _build_staging(
    out: Path, staging: Path, new: Mapping[str, bytes], same: set[str], managed_before: set[str]
) -> None:
    """The complete new folder: user entries, unchanged files linked, the others written."""
    staging.mkdir()
    _copy_user_entries(out, staging, managed_before, set(new))
    for path, data in sorted(new.items()):
        if path in same:
            (staging / path).parent.mkdir(parents=True, exist_ok=True)
            _link_or_copy(out / path, staging / path)
        else:
            _write_file(staging / path, data)
    if out.exists():
        os.chmod(staging, os.stat(out).st_mode & 0o7777)


def recover(out: Path) -> None:
    """Undo what a killed run left behind: restore a moved-away folder, drop staging folders."""
    parent = out.parent
    if not parent.is_dir():
        return
    olds = sorted(parent.glob(f"{_OLD}{out.name}-*"))
    if not out.exists() and olds:
        os.rename(olds[-1], out)
        olds = olds[:-1]
    for leftover in [*olds, *parent.glob(f"{_STAGING}{out.name}-*")]:
        shutil.rmtree(leftover, ignore_errors=True)


def _unchanged(out: Path, new: Mapping[str, bytes], managed_before: set[str]) -> set[str]:
    """Managed paths whose file in `out` already holds exactly the new bytes."""
    same = set()
    for path, data in new.items():
        target = out / path
        if path not in managed_before or target.is_symlink() or not target.is_file():
            continue
        if target.stat().st_size == len(data) and target.read_bytes() == data:
            same.add(path)
    return same


def _check_clashes(out: Path, new: Mapping[str, bytes], managed_before: set[str]) -> None:
    """A new managed path (or one of its folders) must not be a user's file or symlink."""
    if not out.exists():
        return
    if out.is_symlink():
        raise WriteError(f"the output {out} is a symlink; give its real folder instead")
    if not out.is_dir():
        raise WriteError(f"the output {out} exists and is not a folder")
    managed_dirs = {str(PurePosixPath(p).parent) for p in managed_before}
    for path in new:
        parts = PurePosixPath(path).parts
        for depth in range(1, len(parts) + 1):
            rel = "/".join(parts[:depth])
            target = out / rel
            if not (target.exists() or target.is_symlink()):
                break
            is_last = depth == len(parts)
            if target.is_symlink():
                raise WriteError(f"{target} is a symlink; oagen never writes through symlinks")
            if is_last and rel not in managed_before:
                raise WriteError(
                    f"{target} exists and was not written by oagen (not in {MANIFEST}); "
                    "move it away or choose another output folder"
                )
            if not is_last and not target.is_dir() and rel not in managed_dirs:
                raise WriteError(f"{target} is a file, but oagen needs a folder there")


def _copy_user_entries(out: Path, staging: Path, managed_before: set[str], new: set[str]) -> None:
    """Recreate every entry that is not managed: folders, hard-linked files, symlinks."""
    if not out.is_dir():
        return
    for root, dirs, names in os.walk(out, followlinks=False):
        rel_root = Path(root).relative_to(out)
        for name in sorted(names + [d for d in dirs if (Path(root) / d).is_symlink()]):
            rel = (rel_root / name).as_posix()
            if rel in managed_before or rel in new:
                continue
            source, target = Path(root) / name, staging / rel_root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            _link_or_copy(source, target)
        for name in dirs:
            source = Path(root) / name
            if not source.is_symlink():
                (staging / rel_root / name).mkdir(parents=True, exist_ok=True)
                os.chmod(staging / rel_root / name, os.stat(source).st_mode & 0o7777)


def _link_or_copy(source: Path, target: Path) -> None:
    if source.is_symlink():
        os.symlink(os.readlink(source), target)
        return
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:
        shutil.copy2(source, target, follow_symlinks=False)


def _write_file(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _swap(staging: Path, out: Path, managed: set[str]) -> None:
    """Put the staged tree in place of `out` in one step, then drop the old tree."""
    if not out.exists():
        os.rename(staging, out)
        return
    if _exchange(staging, out):
        old = staging
    else:
        old = out.parent / f"{_OLD}{out.name}-{uuid.uuid4().hex[:12]}"
        os.rename(out, old)
        os.rename(staging, out)
    _rescue_user_entries(old, out, managed)
    shutil.rmtree(old, ignore_errors=True)


def _rescue_user_entries(old: Path, out: Path, managed: set[str]) -> None:
    """Move over user files created in the old tree while this run was staging."""
    for root, dirs, names in os.walk(old, followlinks=False):
        rel_root = Path(root).relative_to(old)
        for name in sorted(names + [d for d in dirs if (Path(root) / d).is_symlink()]):
            rel = (rel_root / name).as_posix()
            target = out / rel
            if rel in managed or target.exists() or target.is_symlink():
                continue
            try:
                if not target.parent.is_symlink():
                    target.parent.mkdir(parents=True, exist_ok=True)
                    os.rename(Path(root) / name, target)
            except OSError:
                continue  # the new tree holds something else there


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2); False when unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))
