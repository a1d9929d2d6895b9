"""Fingerprints: one hash over every input of a report, so an unchanged report can be skipped.

A report is rebuilt when any named input changes. Bump :data:`BUILD_EPOCH` to force a full
rebuild after a change the inputs cannot see (for example a new manifest layout).

Data: a report depends only on the tables its kernel read (``ukcyber.data.tables_read``, kept
per report in the manifest): each table's CSV bytes and its resource descriptor. When the tables
are unknown (a first build, an old manifest) the whole package counts. Validation still covers
the whole package before anything runs, so an edit that breaks a cross-table check stops the
build instead of passing silently; an edit that validates changes only the edited table's rows,
which only its readers see. A notebook that starts reading another table changes its own source,
which is in its fingerprint too.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path

import ukcyber
from ukcyber.datapackage import descriptor
from ukcyber.paths import REPO_ROOT, data_dir

BUILD_EPOCH = 3
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


def table_digests(path: Path | None = None) -> dict[str, str]:
    """Per table of the data package: a hash of its resource descriptor and its CSV bytes."""
    folder = data_dir(path)
    digests = {}
    for resource in descriptor(folder)["resources"]:
        described = json.dumps(resource, sort_keys=True, ensure_ascii=False).encode()
        try:
            content = (folder / resource["path"]).read_bytes()
        except OSError:
            content = b"<missing>"
        digests[resource["name"]] = _sha(_sha(described).encode() + b"\n" + content)
    return digests


def data_digest(tables: list[str] | None, digests: Mapping[str, str], whole: str) -> str:
    """The data part of a report's fingerprint: the tables it read, or ``whole`` if unknown.

    A table the package no longer has counts as ``<missing>`` (its readers rebuild and fail).
    """
    if tables is None:
        return f"package:{whole}"
    return _sha(
        json.dumps({name: digests.get(name, "<missing>") for name in sorted(tables)}).encode()
    )


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
    meta: Mapping[str, str] | None = None,
    epoch: int = BUILD_EPOCH,
) -> str:
    """Fingerprint of one report over explicit, named inputs.

    ``data`` is a digest of the data the report reads (:func:`data_digest`); ``meta`` is what
    the page shows beside its own content ("Data as of"); ``library`` covers the library source
    and templates; ``lockfile`` the pinned versions.
    """
    parts = {
        "notebook": _sha(notebook),
        "params": json.dumps(params, sort_keys=True, ensure_ascii=False),
        "title": title,
        "description": description,
        "show_code": str(bool(show_code)),
        "kernel": kernel,
        "data": data,
        "meta": json.dumps(dict(meta or {}), sort_keys=True, ensure_ascii=False),
        "library": library,
        "lockfile": lockfile,
        "epoch": str(epoch),
    }
    return _sha(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode())


def site_fingerprint(*, data: str, library: str, epoch: int = BUILD_EPOCH) -> str:
    """Fingerprint of the pages that depend only on the data and the library (the dictionary)."""
    return _sha(f"{data}\n{library}\n{epoch}".encode())
