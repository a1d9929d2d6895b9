"""Load and validate the curated tables in ``data/`` against ``data/datapackage.json``.

Validation has two layers: the Frictionless Table Schema of each resource (types, constraints,
primary and foreign keys) and the cross-table checks in :mod:`ukcyber.checks`. Both report every
problem at once, each as ``file:row:field — found X, expected Y`` (row = CSV line, header = 1).

A successful validation is remembered in a small cache keyed by the hash of every data file, so
notebook kernels that load tables after a build has validated them skip the Frictionless pass.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
from dataclasses import replace
from pathlib import Path

import pandas as pd

from ukcyber.checks import run_checks
from ukcyber.errors import DataError, Problem
from ukcyber.paths import cache_dir, data_dir

FK_NOTE = re.compile(
    r'for "([^"]+)": values "([^"]*)" not found in the lookup table "([^"]+)" as "([^"]+)"'
)
PANDAS_TYPES = {
    "string": "string",
    "integer": "Int64",
    "number": "float64",
    "boolean": "boolean",
    "year": "Int64",
}


def descriptor(path: str | os.PathLike | None = None) -> dict:
    """The parsed ``datapackage.json``; a missing or malformed one raises :class:`DataError`."""
    folder = data_dir(path)
    file = folder / "datapackage.json"
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(
            [Problem(str(file), "-", "-", "no such file", "a datapackage.json")]
        ) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        found = f"invalid JSON ({exc})"
        raise DataError([Problem(str(file), "-", "-", found, "a JSON data package")]) from None


def resource(name: str, path: str | os.PathLike | None = None) -> dict:
    """The descriptor of one resource; an unknown name lists the valid ones."""
    resources = {r["name"]: r for r in descriptor(path)["resources"]}
    if name not in resources:
        valid = ", ".join(sorted(resources))
        raise KeyError(f"unknown table {name!r}; valid tables: {valid}")
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


def _frictionless_problems(folder: Path) -> list[Problem]:
    from frictionless import Package, system

    problems: list[Problem] = []
    keys = {r["name"]: r["schema"].get("primaryKey", []) for r in descriptor(folder)["resources"]}
    with system.use_context(trusted=True):
        report = Package(str(folder / "datapackage.json")).validate()
    for task in report.tasks:
        file = Path(task.place).name if task.place else task.name
        for error in task.errors:
            problem = _problem_from_error(file, error)
            if error.type == "primary-key":
                key = keys.get(task.name, [])
                problem = replace(problem, field=",".join(key if isinstance(key, list) else [key]))
            problems.append(problem)
    for error in report.errors:
        problems.append(Problem("datapackage.json", "-", "-", error.note or error.message, "valid"))
    return problems


def _problem_from_error(file: str, error) -> Problem:
    row = getattr(error, "row_number", None) or 1
    field = getattr(error, "field_name", None) or "-"
    cell = getattr(error, "cell", None)
    found = repr(cell) if cell is not None else ""
    kind = error.type
    if kind == "type-error":
        expected = error.note.replace('type is "', "type ").replace('/default"', "").rstrip('"')
    elif kind == "constraint-error":
        expected = error.note.replace('constraint "', "").replace('" is "', " = ").rstrip('"')
    elif kind == "primary-key":
        found, expected = "a duplicate primary key", f"unique key ({error.note})"
    elif kind == "foreign-key":
        match = FK_NOTE.search(error.note or "")
        if match:
            field, values, table, target = match.groups()
            found = ", ".join(repr(v) for v in values.split(", "))
            expected = f"a {target} present in {table}.csv"
        else:
            found, expected = "a dangling reference", error.note
    elif kind in {"extra-cell", "missing-cell"}:
        found = "an extra value" if kind == "extra-cell" else "a missing value"
        expected = "one value per header field"
    elif kind in {
        "incorrect-label",
        "missing-label",
        "extra-label",
        "blank-label",
        "duplicate-label",
    }:
        row = 1
        label = getattr(error, "label", "") or ""
        found = f"header {label!r}" if label else "no header"
        if kind == "extra-label":
            field, expected = label or "-", "only the fields in datapackage.json"
        else:
            expected = f"header {field!r} (datapackage.json)"
    elif kind in {"encoding-error", "scheme-error", "format-error", "source-error", "blank-row"}:
        row = row if kind == "blank-row" else "-"
        found = error.note or kind
        expected = "a non-empty UTF-8 CSV file" if kind != "blank-row" else "no blank rows"
    else:
        found = found or kind
        expected = error.note or error.description
    return Problem(file, row, field, found or "''", expected)


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
    stamp = cache_dir() / f"valid-{digest}"
    if use_cache and stamp.exists():
        return digest
    unreadable = [p for r in meta["resources"] if (p := _unreadable(folder / r["path"]))]
    if unreadable:
        raise DataError(unreadable)
    problems = _frictionless_problems(folder)
    if not problems:
        problems = run_checks(*typed_tables(folder))
    if problems:
        raise DataError(problems)
    if use_cache:
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.touch()
    return digest


def typed_tables(
    path: str | os.PathLike[str] | None = None,
) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """Every table read with its schema's types, and each table's file name.

    No validation: the cross-table checks run on these after the schema pass.
    """
    folder = data_dir(path)
    resources = descriptor(folder)["resources"]
    return {r["name"]: _read(folder, r) for r in resources}, {
        r["name"]: r["path"] for r in resources
    }


def _unreadable(file: Path) -> Problem | None:
    """An empty file, or the first byte that is not UTF-8, located by line."""
    raw = file.read_bytes()
    if not raw.strip():
        return Problem(file.name, "-", "-", "an empty file", "a header row and data rows")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        found = f"byte 0x{raw[exc.start]:02x}, which is not UTF-8"
        return Problem(file.name, line, "-", found, "UTF-8 text")
    return None


def _read(folder: Path, meta: dict) -> pd.DataFrame:
    fields = meta["schema"]["fields"]
    dtypes = {f["name"]: PANDAS_TYPES.get(f["type"], "string") for f in fields}
    frame = pd.read_csv(
        folder / meta["path"],
        dtype=dtypes,
        keep_default_na=False,
        na_values=[""],
        encoding="utf-8",
    )
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
