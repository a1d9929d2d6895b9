"""Fingerprints: one hash over every input of a report, so an unchanged report can be skipped.

A report is rebuilt when any named input changes. Bump :data:`BUILD_EPOCH` to force a full
rebuild after a change the inputs cannot see (for example a new manifest layout).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path

import ukcyber
from ukcyber.paths import REPO_ROOT

BUILD_EPOCH = 2
"""Part of every fingerprint; bumping it rebuilds every report once."""

LIBRARY_SUFFIXES = {".py", ".j2", ".css", ".html", ".js"}


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def library_digest() -> str:
    """Hash of the library's version, source and templates: a code change rebuilds reports."""
    digest = hashlib.sha256(ukcyber.__version__.encode())
    package = Path(ukcyber.__file__).parent
    for file in sorted(package.rglob("*")):
        if file.is_file() and file.suffix in LIBRARY_SUFFIXES and "__pycache__" not in file.parts:
            digest.update(file.relative_to(package).as_posix().encode())
            digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()


def lockfile_digest(path: Path = REPO_ROOT / "requirements.lock") -> str:
    """Hash of the pinned dependency versions (a re-pin rebuilds reports); ``-`` if absent."""
    try:
        return _sha(path.read_bytes())
    except OSError:
        return "-"


def report_fingerprint(
    *,
    notebook: bytes,
    params: Mapping[str, object],
    title: str,
    description: str,
    show_code: bool,
    kernel: str,
    data: str,
    library: str,
    lockfile: str,
    epoch: int = BUILD_EPOCH,
) -> str:
    """Fingerprint of one report over explicit, named inputs.

    ``data`` is a digest of the data the report reads (today the whole validated package);
    ``library`` covers the library source and templates; ``lockfile`` the pinned versions.
    """
    parts = {
        "notebook": _sha(notebook),
        "params": json.dumps(params, sort_keys=True, ensure_ascii=False),
        "title": title,
        "description": description,
        "show_code": str(bool(show_code)),
        "kernel": kernel,
        "data": data,
        "library": library,
        "lockfile": lockfile,
        "epoch": str(epoch),
    }
    return _sha(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode())


def site_fingerprint(*, data: str, library: str, epoch: int = BUILD_EPOCH) -> str:
    """Fingerprint of the pages that depend only on the data and the library (the dictionary)."""
    return _sha(f"{data}\n{library}\n{epoch}".encode())
