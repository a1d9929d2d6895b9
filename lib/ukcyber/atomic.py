"""Atomic file writes: a temporary name unique to this process, then a rename.

Readers never see half a file, two processes never share a temporary, and a failed write (a
full disk, a permission) leaves no temporary behind and raises :class:`BuildError` naming the
path and the reason.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path, PurePosixPath

from ukcyber.errors import BuildError


def temp_path(path: Path) -> Path:
    """A temporary name beside ``path``: ``.{name}.{pid}.{random}.tmp``."""
    return path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")


def cannot_write(path: Path, exc: OSError) -> BuildError:
    """The one message for a failed write: the path and the operating system's reason."""
    return BuildError(f"cannot write {path}: {exc.strerror or exc}")


def write_temp(path: Path, data: bytes) -> Path:
    """Write ``data`` to a new temporary beside ``path`` and return it (removed on failure)."""
    tmp = temp_path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "xb") as fh:
            fh.write(data)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise cannot_write(path, exc) from None
    return tmp


def atomic_write(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file and a rename (never half-written).

    Raises
    ------
    BuildError
        Naming ``path`` when it cannot be written (no temporary file remains).
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    tmp = write_temp(path, raw)
    try:
        os.replace(tmp, path)
    except OSError as exc:
        raise cannot_write(path, exc) from None
    finally:
        tmp.unlink(missing_ok=True)


def check_relative(name: str) -> PurePosixPath:
    """Check a published file's relative path: no absolute path, ``..``, empty or hidden part.

    Raises
    ------
    BuildError
        Naming ``name`` when it is not a plain relative path or has a hidden part.
    """
    path = PurePosixPath(name)
    if path.is_absolute() or not path.parts or any(p in {"", ".", ".."} for p in path.parts):
        raise BuildError(f"refusing to publish {name!r}: not a plain relative path")
    if any(part.startswith(".") for part in path.parts):
        raise BuildError(f"refusing to publish {name!r}: hidden file names are reserved")
    return path
