"""Shared fixtures: a private copy of the data package, and helpers to break it."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
SHARED = REPO.parent / "shared"


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    """Validation stamps go to a temp folder, never the developer's cache."""
    monkeypatch.setenv("UKCYBER_CACHE", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture
def data_copy(tmp_path, monkeypatch) -> Path:
    """A writable copy of data/, made the active data folder for the test."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    monkeypatch.setenv("UKCYBER_DATA", str(target))
    return target


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
