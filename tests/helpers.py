"""Helpers for tests: paths, and reading and editing copies of the data tables."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from ukcyber.site.pdf import CHROMIUM_ARGS as CHROMIUM_ARGS  # the flags the build prints with

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
SHARED = REPO.parent / "shared"

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
