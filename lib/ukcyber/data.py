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

import csv
import functools
import hashlib
import json
import os
import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

from ukcyber.checks import run_checks
from ukcyber.errors import DataError, Problem
from ukcyber.paths import cache_dir, data_dir

FK_NOTE = re.compile(
    r'for "([^"]+)": values "([^"]*)" not found in the lookup table "([^"]+)" as "([^"]+)"'
)
LIBRARY = Path(__file__).parent
STAMP_SOURCES = ("data.py", "units.py", "checks/*.py")
"""Library files (glob patterns) whose source is part of the validation stamp's key: the loader,
the units it checks and every check, so a new check module is covered without listing it."""
PLAIN_NUMBER = {
    "number": re.compile(r"-?[0-9]+(?:\.[0-9]+)?"),
    "integer": re.compile(r"-?[0-9]+"),
    "year": re.compile(r"-?[0-9]+"),
}
EXAMPLE = {"number": "1979 or -0.5", "integer": "1979", "year": "2024"}
MAX_DIGITS = {"number": 15, "integer": 18, "year": 4}
"""Significant digits a value may have and still be stored exactly (float64, Int64, a year)."""
PANDAS_TYPES = {
    "string": "string",
    "integer": "Int64",
    "number": "float64",
    "boolean": "boolean",
    "year": "Int64",
}


_READ: set[str] = set()
"""Names of the tables this process has read (see :func:`tables_read`)."""


def note_read(*names: str) -> None:
    """Record that tables were read: a report's page depends on them (see :func:`tables_read`)."""
    _READ.update(names)


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


def descriptor(path: str | os.PathLike | None = None) -> dict:
    """The parsed ``datapackage.json``; a missing, malformed or wrongly shaped one raises
    :class:`DataError` naming where (``resources[3].schema``), never a ``KeyError`` later."""
    folder = data_dir(path)
    file = folder / "datapackage.json"
    try:
        text = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DataError(
            [Problem(str(file), "-", "-", "no such file", "a datapackage.json")]
        ) from None
    except UnicodeDecodeError as exc:
        found = f"byte 0x{exc.object[exc.start]:02x}, which is not UTF-8"
        raise DataError([Problem(str(file), "-", "-", found, "UTF-8 JSON")]) from None
    return _parse_descriptor(text, str(file))


@functools.lru_cache(maxsize=8)
def _parse_descriptor(text: str, file: str) -> dict:
    """Parse and shape-check a data package descriptor (once per content and process)."""
    from pydantic import ValidationError

    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        found = f"invalid JSON ({exc})"
        raise DataError([Problem(file, "-", "-", found, "a JSON data package")]) from None
    try:
        _package_model().model_validate(raw)
    except ValidationError as exc:
        problems = [_shape_problem(file, error) for error in exc.errors()]
        raise DataError(problems) from None
    names = [r["name"] for r in raw["resources"]]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        found = f"resources named {', '.join(map(repr, twice))} twice"
        raise DataError([Problem(file, "-", "resources", found, "one resource per name")])
    return raw


SHAPE_WORDS = {
    "missing": "a value (required)",
    "model_type": "a JSON object",
    "dict_type": "a JSON object",
    "list_type": "a JSON list",
    "string_type": "text",
    "too_short": "at least one entry",
}
PATTERN_WORDS = {
    "path": "a CSV file name in the data folder (like regional.csv)",
    "name": "a table name in lower case (like sector_statistics)",
}


def _shape_problem(file: str, error: Mapping[str, Any]) -> Problem:
    """One pydantic error as a Problem: where in the descriptor, what was there, what is wanted."""
    loc = error["loc"]
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
    value = error.get("input")
    found = "nothing" if error["type"] == "missing" else f"{type(value).__name__} {value!r}"[:80]
    if error["type"] == "string_pattern_mismatch" and loc and loc[-1] in PATTERN_WORDS:
        expected = PATTERN_WORDS[str(loc[-1])]
    else:
        expected = SHAPE_WORDS.get(error["type"], error["msg"])
    return Problem(file, "-", where or "-", found, expected)


@functools.cache
def _package_model():  # noqa: ANN202  (the model class, built once on first use)
    """The shape this library relies on: resources with a name, a plain CSV file name in the
    data folder, and a schema of named, typed fields (Frictionless checks the rest)."""
    from pydantic import BaseModel, ConfigDict, Field

    class Spec(BaseModel):
        model_config = ConfigDict(extra="allow")

    class FieldSpec(Spec):
        name: str
        type: str

    class SchemaSpec(Spec):
        fields: list[FieldSpec] = Field(min_length=1)

    class ResourceSpec(Spec):
        name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
        path: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*\.csv$")
        table_schema: SchemaSpec = Field(alias="schema")

    class PackageSpec(Spec):
        resources: list[ResourceSpec] = Field(min_length=1)

    return PackageSpec


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

    A change to the checks (``checks/``), the loader (``data.py``), the units it checks
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


def record_lines(file: Path) -> list[int]:
    """The CSV line each record starts on (index 0 = header = line 1).

    Differs from the record number after a quoted field with embedded newlines.
    """
    starts, line = [], 1
    with open(file, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        for _ in reader:
            starts.append(line)
            line = reader.line_num + 1
    return starts


def _trailing_blank_record(file: Path) -> int | None:
    """Record number (header = 1) of exactly one blank line ending the file, else ``None``."""
    raw = file.read_bytes()
    body = raw.rstrip(b"\r\n")
    ending = raw[len(body) :]
    if ending.replace(b"\r\n", b"\n").count(b"\n") != 2:
        return None
    return len(record_lines(file))


def _at_lines(problems: list[Problem], folder: Path, paths: dict[str, str]) -> list[Problem]:
    """Turn record numbers (what Frictionless and the checks count) into CSV line numbers."""
    maps: dict[str, list[int]] = {}
    located = []
    for problem in problems:
        name = problem.file
        if isinstance(problem.row, int) and name in paths.values():
            if name not in maps:
                try:
                    maps[name] = record_lines(folder / name)
                except (OSError, UnicodeDecodeError, csv.Error):
                    maps[name] = []
            starts = maps[name]
            if 1 <= problem.row <= len(starts):
                problem = replace(problem, row=starts[problem.row - 1])
        located.append(problem)
    return located


def _plain_number_problems(folder: Path, meta: dict) -> list[Problem]:
    """Numbers Frictionless accepts but that are not plain decimals: ``NaN``, ``inf``,
    ``1_979``, ``1e3``, non-ASCII digits, spaces. Located by CSV line."""
    fields = {
        f["name"]: f["type"]
        for f in meta["schema"]["fields"]
        if f.get("type") in PLAIN_NUMBER and f.get("name")
    }
    if not fields:
        return []
    problems = []
    with open(folder / meta["path"], newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        reader.fieldnames  # noqa: B018  (reads the header, so line_num counts it)
        line = reader.line_num + 1
        for row in reader:
            for name, kind in fields.items():
                value = row.get(name)
                if not value:
                    continue
                expected = "a plain whole number" if kind == "integer" else "a plain decimal number"
                digits = len(value.lstrip("-").replace(".", "").lstrip("0"))
                if not PLAIN_NUMBER[kind].fullmatch(value):
                    found, expected = repr(value), f"{expected} (like {EXAMPLE[kind]})"
                elif digits > MAX_DIGITS[kind]:
                    shown = value if len(value) <= 24 else f"{value[:20]}…"
                    found = f"{shown!r} ({digits} significant digits)"
                    expected = f"{expected} of at most {MAX_DIGITS[kind]} digits, stored exactly"
                else:
                    continue
                problems.append(Problem(meta["path"], line, name, found, expected))
            line = reader.line_num + 1
    return problems


def _frictionless_problems(folder: Path, meta: dict) -> list[Problem]:
    """Schema, type and key problems, located by CSV line; one trailing blank line ignored."""
    from frictionless import Package, system

    problems: list[Problem] = []
    keys = {r["name"]: r["schema"].get("primaryKey", []) for r in meta["resources"]}
    paths = {r["name"]: r["path"] for r in meta["resources"]}
    blank = {r["path"]: _trailing_blank_record(folder / r["path"]) for r in meta["resources"]}
    with system.use_context(trusted=True):
        report = Package(str(folder / "datapackage.json")).validate()
    for task in report.tasks:
        file = Path(task.place).name if task.place else task.name
        for error in task.errors:
            if getattr(error, "row_number", None) and error.row_number == blank.get(file):
                continue  # one blank line at the end of a file is harmless
            problem = _problem_from_error(file, error)
            if error.type == "primary-key":
                key = keys.get(task.name, [])
                problem = replace(problem, field=",".join(key if isinstance(key, list) else [key]))
            problems.append(problem)
    for error in report.errors:
        problems.append(Problem("datapackage.json", "-", "-", error.note or error.message, "valid"))
    return _at_lines(problems, folder, paths)


def _problem_from_error(file: str, error) -> Problem:
    row = getattr(error, "row_number", None) or 1
    field = getattr(error, "field_name", None) or "-"
    cell = getattr(error, "cell", None)
    found = repr(cell) if cell is not None else ""
    kind = error.type
    if kind == "type-error":
        expected = error.note.replace('type is "', "type ").replace('/default"', "").rstrip('"')
    elif kind == "constraint-error" and 'constraint "required"' in (error.note or ""):
        found, expected = "an empty cell", "a value (this field is required)"
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
    unreadable = [p for r in meta["resources"] if (p := _unreadable(folder / r["path"]))]
    if unreadable:
        raise DataError(unreadable)
    unlabelled = [p for r in meta["resources"] for p in _header_problems(folder, r)]
    if unlabelled:
        raise DataError(unlabelled)
    paths = {r["name"]: r["path"] for r in meta["resources"]}
    problems = _frictionless_problems(folder, meta)
    seen = {(p.file, p.row, p.field) for p in problems}
    for resource_meta in meta["resources"]:
        for problem in _plain_number_problems(folder, resource_meta):
            if (problem.file, problem.row, problem.field) not in seen:
                problems.append(problem)
    if not problems:
        problems = _at_lines(run_checks(*_typed_tables(folder)), folder, paths)
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


def _header_problems(folder: Path, meta: dict) -> list[Problem]:
    """Header labels that differ from the schema's field names, even by a space or a BOM.

    Frictionless forgives ``' id'`` for ``id``; pandas does not, so the two must agree exactly.
    """
    with open(folder / meta["path"], newline="", encoding="utf-8-sig") as fh:
        header = next(csv.reader(fh), [])
    expected = [f["name"] for f in meta["schema"]["fields"]]
    problems = []
    for label, name in zip(header, expected, strict=False):
        if label != name and label.strip() == name:
            found = f"header {label!r} (spaces around the name)"
            problems.append(Problem(meta["path"], 1, name, found, f"header {name!r}"))
    return problems


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
