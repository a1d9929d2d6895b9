"""Load and validate the curated tables in ``data/`` against ``data/datapackage.json``.

Validation has two layers: the Frictionless Table Schema of each resource (types, constraints,
primary and foreign keys) and the cross-table checks in :mod:`ukcyber.checks`. Both report every
problem at once, each as ``file:row:field — found X, expected Y`` (row = CSV line, header = 1).

A successful validation is remembered in a small cache keyed by the hash of every data file, of
the validating code and of the frictionless and pandas versions, so notebook kernels that load
tables after a build has validated them skip the Frictionless pass, and a new check re-validates.
Numbers must be plain decimals (Frictionless also accepts ``NaN``, ``inf``, ``1_979`` and
non-ASCII digits, which pandas then rejects or mis-reads).
"""

from __future__ import annotations

import functools
import hashlib
import os
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from ukcyber import csv_problems
from ukcyber.checks import provenance, run_checks
from ukcyber.datapackage import descriptor
from ukcyber.errors import DataError, Problem
from ukcyber.paths import cache_dir, data_dir, shared_dir

LIBRARY = Path(__file__).parent
STAMP_SOURCES = ("data.py", "datapackage.py", "csv_problems.py", "units.py", "checks/*.py")
"""Library files (glob patterns) whose source is part of the validation stamp's key: the loader,
the units it checks and every check, so a new check module is covered without listing it."""
PANDAS_TYPES = {
    "string": "string",
    "integer": "Int64",
    "number": "float64",
    "boolean": "boolean",
    "year": "Int64",
}


_READ: set[str] = set()
"""Names of the tables this process has read (see :func:`tables_read`)."""
READ_EVENT = "ukcyber.data.read"
"""Audit event raised with the names of the tables read (the report build's kernels record it)."""


def note_read(*names: str) -> None:
    """Record that tables were read: a report's page depends on them (see :func:`tables_read`)."""
    _READ.update(names)
    sys.audit(READ_EVENT, *names)


def tables_read() -> list[str]:
    """The tables this process has read through :func:`load` (and friends), sorted.

    A report build asks its kernel for this list after the notebook ran, so the report's
    fingerprint covers only the tables it read (see ``ukcyber.build.fingerprint``). Recorded:
    :func:`load`, :func:`resource`, :func:`typed_tables`, :func:`catalog` and
    ``changes.snapshot``; not :func:`descriptor` and :func:`validate`, which every load uses
    internally (a notebook reading ``datapackage.json`` itself must go through these).
    """
    return sorted(_READ)


def forget_tables_read() -> None:
    """Start a new record of tables read (the record otherwise lasts as long as the process)."""
    _READ.clear()


def resource(name: str, path: str | os.PathLike | None = None) -> dict:
    """The descriptor of one resource; an unknown name lists the valid ones.

    Recorded as a read of that table (:func:`tables_read`): a page showing a table's title or
    field descriptions depends on its resource, which is part of the table's fingerprint.
    """
    resources = {r["name"]: r for r in descriptor(path)["resources"]}
    if name not in resources:
        valid = ", ".join(sorted(resources))
        raise KeyError(f"unknown table {name!r}; valid tables: {valid}")
    note_read(name)
    return resources[name]


def fingerprint(path: str | os.PathLike | None = None) -> str:
    """SHA-256 over ``datapackage.json`` and every file it names, in a stable order."""
    folder = data_dir(path)
    digest = hashlib.sha256()
    names = ["datapackage.json"] + sorted(r["path"] for r in descriptor(folder)["resources"])
    for name in names:
        file = folder / name
        digest.update(name.encode())
        digest.update(file.read_bytes() if file.exists() else b"<missing>")
    return digest.hexdigest()


def stamp_key(data_digest: str) -> str:
    """Key of the validation stamp: the data, the validating code and the library versions.

    A change to the checks (``checks/``), the loader (``data.py``, ``datapackage.py``, ``csv_problems.py``), the units it checks
    against, or the frictionless or pandas version re-validates the data.
    """
    digest = hashlib.sha256(data_digest.encode())
    for pattern in STAMP_SOURCES:
        for file in sorted(LIBRARY.glob(pattern)):
            digest.update(file.relative_to(LIBRARY).as_posix().encode())
            digest.update(file.read_bytes())
    digest.update(_versions().encode())
    return digest.hexdigest()


@functools.cache
def _versions() -> str:
    """``frictionless==x pandas==y`` (looked up once per process: it costs milliseconds)."""
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for package in ("frictionless", "pandas"):
        try:
            found.append(f"{package}=={version(package)}")
        except PackageNotFoundError:
            found.append(f"{package}==?")
    return " ".join(found)


def is_validated(path: str | os.PathLike | None = None) -> bool:
    """Whether the data as it is now has a validation stamp (:func:`validate` is then quick)."""
    try:
        return (cache_dir() / f"valid-{stamp_key(fingerprint(path))}").exists()
    except (DataError, OSError):
        return False


def validate(path: str | os.PathLike | None = None, *, use_cache: bool = True) -> str:
    """Validate the whole package; return its fingerprint or raise :class:`DataError`.

    Raises
    ------
    DataError
        Listing every schema, key and cross-table problem found.
    """
    folder = data_dir(path)
    meta = descriptor(folder)
    missing = [
        Problem(r["path"], "-", "-", "no such file", "the CSV named in datapackage.json")
        for r in meta["resources"]
        if not (folder / r["path"]).is_file()
    ]
    if missing:
        raise DataError(missing)
    digest = fingerprint(folder)
    stamp = cache_dir() / f"valid-{stamp_key(digest)}"
    if use_cache and stamp.exists():
        return digest
    problems = _content_problems(folder, meta)
    if problems:
        raise DataError(problems)
    if use_cache:
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.touch()
    return digest


def check_provenance(
    path: str | os.PathLike[str] | None = None, shared: str | os.PathLike[str] | None = None
) -> int | None:
    """Check every row's printed words against the source it cites; ``None`` when unavailable.

    The source texts are outside the project (``../shared`` or ``$UKCYBER_SHARED``), so this is
    run by ``ukcyber validate`` and the tests, not by :func:`load`.

    Returns
    -------
    int or None
        How many rows were checked, or None when the source texts are not there.

    Raises
    ------
    DataError
        One problem per row whose printed words are not where its locator says.
    """
    folder = shared_dir() if shared is None else Path(shared)
    if not provenance.available(folder):
        return None
    tables, files = _typed_tables(path)
    problems, checked = provenance.provenance_problems(tables, files, folder)
    if problems:
        raise DataError(problems, context="provenance")
    return checked


def _content_problems(folder: Path, meta: dict[str, Any]) -> list[Problem]:
    """The first kind of problem the files have, checked in order; ``[]`` when they are valid.

    First bytes that cannot be read, then headers, then schema, type, key and plain-number
    problems, and only when there are none of those, the cross-table checks.
    """
    unreadable = [
        p for r in meta["resources"] if (p := csv_problems.unreadable(folder / r["path"]))
    ]
    if unreadable:
        return unreadable
    unlabelled = [p for r in meta["resources"] for p in csv_problems.header_problems(folder, r)]
    if unlabelled:
        return unlabelled
    paths = {r["name"]: r["path"] for r in meta["resources"]}
    problems = csv_problems.with_suggestions(
        csv_problems.frictionless_problems(folder, meta), folder, meta
    )
    seen = {(p.file, p.row, p.field) for p in problems}
    for resource_meta in meta["resources"]:
        for problem in csv_problems.plain_number_problems(folder, resource_meta):
            if (problem.file, problem.row, problem.field) not in seen:
                problems.append(problem)
    if not problems:
        problems = csv_problems.at_lines(run_checks(*_typed_tables(folder)), folder, paths)
    return problems


def typed_tables(
    path: str | os.PathLike[str] | None = None,
) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """Every table read with its schema's types, and each table's file name.

    No validation: the cross-table checks run on these after the schema pass. Every table is
    recorded as read (:func:`tables_read`).
    """
    tables, files = _typed_tables(path)
    note_read(*tables)
    return tables, files


def _typed_tables(
    path: str | os.PathLike[str] | None = None,
) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """:func:`typed_tables` without the record: validation reads every table, reports do not."""
    folder = data_dir(path)
    resources = descriptor(folder)["resources"]
    return {r["name"]: _read(folder, r) for r in resources}, {
        r["name"]: r["path"] for r in resources
    }


def _read(folder: Path, meta: dict) -> pd.DataFrame:
    fields = meta["schema"]["fields"]
    dtypes = {f["name"]: PANDAS_TYPES.get(f["type"], "string") for f in fields}
    try:
        frame = pd.read_csv(
            folder / meta["path"],
            dtype=dtypes,
            keep_default_na=False,
            na_values=[""],
            encoding="utf-8",
        )
    except (ValueError, OSError, pd.errors.ParserError) as exc:
        found = f"content pandas cannot read ({str(exc).splitlines()[0][:200]})"
        raise DataError([Problem(meta["path"], "-", "-", found, "valid, typed CSV")]) from None
    for column, dtype in dtypes.items():
        if dtype == "string":
            frame[column] = frame[column].fillna("")
    frame.attrs["name"] = meta["name"]
    frame.attrs["title"] = meta.get("title", meta["name"])
    return frame


@functools.lru_cache(maxsize=64)
def _load_cached(name: str, folder: str, digest: str) -> pd.DataFrame:
    return _read(Path(folder), resource(name, folder))


def load(name: str, path: str | os.PathLike | None = None) -> pd.DataFrame:
    """Return table ``name`` as a DataFrame, after validating the whole package.

    Parameters
    ----------
    name : the resource name in ``datapackage.json`` (e.g. ``"sector_statistics"``).
    path : the data folder; defaults to ``$UKCYBER_DATA`` or the repo's ``data/``.

    Raises
    ------
    DataError
        If any table fails validation (every problem listed).
    KeyError
        If ``name`` is not a table of the package (the valid names are listed).
    """
    folder = data_dir(path)
    resource(name, folder)
    digest = validate(folder)
    note_read(name)
    return _load_cached(name, str(folder.resolve()), digest).copy()


def split_list(cell: object) -> list[str]:
    """Split a semicolon-separated cell (``"United States; Japan"``) into clean names."""
    return [part.strip() for part in str(cell).split(";") if part.strip()]


def catalog(path: str | os.PathLike | None = None) -> pd.DataFrame:
    """One row per table: name, title, description, row count and file."""
    folder = data_dir(path)
    validate(folder)
    rows = []
    for meta in descriptor(folder)["resources"]:
        rows.append(
            {
                "name": meta["name"],
                "title": meta.get("title", ""),
                "rows": len(load(meta["name"], folder)),
                "file": meta["path"],
                "description": meta.get("description", ""),
            }
        )
    return pd.DataFrame(rows)
