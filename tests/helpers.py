"""Helpers for tests: paths, and reading and editing copies of the data tables.

Tests never touch the project's own ``data/``, ``reports/`` or ``.cache/``: :data:`DATA` is a
copy of the data made once per test process in a temporary folder (the only read of the
project's ``data/``), and ``$UKCYBER_DATA`` and ``$UKCYBER_CACHE`` point at temporary folders
before any test runs, so a test that forgets to set them still cannot reach the project's.
"""

from __future__ import annotations

import atexit
import csv
import os
import shutil
import tempfile
from pathlib import Path

from ukcyber.site.pdf import CHROMIUM_ARGS as CHROMIUM_ARGS  # the flags the build prints with

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
PROTECTED = tuple(REPO / name for name in ("data", "reports", ".cache"))
"""The project's folders no test may read or write (``conftest.py`` enforces it)."""


def _session_folders() -> tuple[Path, Path]:
    """A private copy of the project's data and a private cache, removed at exit."""
    root = Path(tempfile.mkdtemp(prefix="ukcyber-tests-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    shutil.copytree(REPO / "data", root / "data")
    (root / "cache").mkdir()
    return root / "data", root / "cache"


DATA, CACHE = _session_folders()
"""The session's copy of the data (read it; edit a ``data_copy`` instead) and its cache."""
os.environ["UKCYBER_DATA"] = str(DATA)
os.environ["UKCYBER_CACHE"] = str(CACHE)

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def read_rows(path: Path) -> tuple[list[str], list[dict]]:
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def write_rows(path: Path, header: list[str], rows: list[dict]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def edit_cell(folder: Path, table: str, row_index: int, field: str, value: str) -> int:
    """Set one cell of ``table``; return the CSV line it is on (header = line 1)."""
    path = folder / f"{table}.csv"
    header, rows = read_rows(path)
    rows[row_index][field] = value
    write_rows(path, header, rows)
    return row_index + 2


def find_row(folder: Path, table: str, **match) -> int:
    """Index of the first row of ``table`` whose columns equal ``match``."""
    _, rows = read_rows(folder / f"{table}.csv")
    for i, row in enumerate(rows):
        if all(row[k] == v for k, v in match.items()):
            return i
    raise LookupError(f"no row of {table} matches {match}")


def add_geography(folder: Path, name: str, type_: str = "itl1_region", parent: str = "England"):
    """Append a geography to a data copy, so a test can use a new place name in a figure table."""
    path = folder / "geographies.csv"
    header, rows = read_rows(path)
    row = dict.fromkeys(header, "")
    row.update(name=name, type=type_, parent=parent, description="Added by a test.")
    write_rows(path, header, rows + [row])
