"""Writing into ``reports/``: all-or-nothing groups of files, removals, leftover clean-up.

Built on :mod:`ukcyber.atomic` (temporary name unique to the process, then a rename); a failure
removes the temporaries and raises :class:`BuildError` naming the path and the reason.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path

from ukcyber.atomic import atomic_write, cannot_write, check_relative, write_temp
from ukcyber.errors import BuildError

__all__ = ["atomic_write", "check_relative", "clear_leftovers", "remove_files", "write_group"]

SCRATCH = ".scratch"
"""Folder under ``reports/`` where workers keep executing notebooks (removed after each build)."""


def is_temp_name(name: str) -> bool:
    """Whether ``name`` is a temporary left by an atomic write or an older build's scratch."""
    return name.startswith(".") and (name.endswith(".tmp") or name.endswith(".run.ipynb"))


def write_group(root: Path, files: Mapping[str, bytes]) -> None:
    """Write several files under ``root`` all or nothing: every temporary first, then renames.

    Raises
    ------
    BuildError
        If any file cannot be written; then no file of the group has been replaced.
    """
    temps: list[tuple[Path, Path]] = []
    try:
        for name, data in files.items():
            target = root.joinpath(*check_relative(name).parts)
            temps.append((write_temp(target, data), target))
        for tmp, target in temps:
            try:
                os.replace(tmp, target)
            except OSError as exc:
                raise cannot_write(target, exc) from None
    finally:
        for tmp, _ in temps:
            tmp.unlink(missing_ok=True)


def remove_files(root: Path, names: list[str]) -> None:
    """Remove published files ``names`` (relative to ``root``) and folders left empty."""
    for name in names:
        target = root.joinpath(*check_relative(name).parts)
        try:
            target.unlink(missing_ok=True)
            parent = target.parent
            while parent != root and parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent
        except OSError as exc:
            raise BuildError(f"cannot remove {target}: {exc.strerror or exc}") from None


def clear_leftovers(reports: Path) -> int:
    """Remove what an interrupted or killed build left: scratch folder and temporary files.

    Call only while holding the build lock: then no other build is writing here.
    Returns the number of files and folders removed.
    """
    removed = 0
    scratch = reports / SCRATCH
    if scratch.exists():
        shutil.rmtree(scratch, ignore_errors=True)
        removed += 1
    for folder, dirs, names in os.walk(reports):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            if is_temp_name(name) or name in {"plotly.min.tmp", "report.tmp"}:
                try:
                    (Path(folder) / name).unlink(missing_ok=True)
                except OSError:
                    continue  # an unremovable leftover is harmless; it is retried next time
                removed += 1
    return removed
