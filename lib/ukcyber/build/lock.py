"""One build at a time per reports folder: an OS file lock with the holder's pid beside it.

The lock is ``reports/.build.lock`` (``flock``; released by the operating system when the
holder exits, even if it is killed), and ``reports/.build.pid`` names the holder so a second
build can say which process it is waiting for.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from ukcyber.errors import BuildError

LOCK_NAME = ".build.lock"
PID_NAME = ".build.pid"


def _holder(reports: Path) -> str:
    try:
        text = (reports / PID_NAME).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return "unknown"
    return text if text.isdigit() else "unknown"


@contextmanager
def build_lock(reports: Path, wait: float) -> Iterator[None]:
    """Hold the build lock of ``reports`` for the block; wait up to ``wait`` seconds for it.

    Raises
    ------
    BuildError
        If another build still holds the lock after ``wait`` seconds (its pid named).
    """
    lock = FileLock(reports / LOCK_NAME)
    try:
        lock.acquire(timeout=wait, poll_interval=0.1)
    except Timeout:
        raise BuildError(
            f"another build (pid {_holder(reports)}) is writing {reports}; waited {wait:g} s. "
            "Try again when it has finished, or pass --wait SECONDS to wait for it"
        ) from None
    except OSError as exc:
        raise BuildError(f"cannot lock {reports / LOCK_NAME}: {exc.strerror or exc}") from None
    pid_file = reports / PID_NAME
    try:
        pid_file.write_text(f"{os.getpid()}\n", encoding="utf-8")
    except OSError as exc:
        pid_file.unlink(missing_ok=True)
        lock.release()
        raise BuildError(f"cannot write {pid_file}: {exc.strerror or exc}") from None
    try:
        yield
    finally:
        pid_file.unlink(missing_ok=True)
        lock.release()
