"""What changed in the data between two builds: rows added, removed and edited, field by field.

A build keeps a snapshot of the data it used (every table's rows as printed in the CSV, keyed by
primary key); the next build compares its own snapshot with it. Values are compared as the text
in the file, so a change is reported exactly as an editor made it (``52,200`` → ``53,200``),
and reformatting that does not change a cell's text is not a change.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from ukcyber.data import descriptor, note_read
from ukcyber.paths import data_dir

Snapshot = dict[str, dict[str, dict[str, str]]]
"""table name → row key → field → cell text."""

KEY_SEPARATOR = " | "


@dataclass(frozen=True)
class Change:
    """One difference: a row ``added`` or ``removed``, or one field ``changed``."""

    table: str
    row: str
    kind: str
    field: str = ""
    old: str = ""
    new: str = ""

    def to_dict(self) -> dict[str, str]:
        """The change as a plain dict, for the build's JSON record."""
        return asdict(self)


def _as_list(value: Any) -> list[str]:
    return list(value) if isinstance(value, list) else [str(value)]


def snapshot(path: str | os.PathLike[str] | None = None) -> Snapshot:
    """Every row of every table of the data package, keyed by its primary key.

    Read as text straight from the CSV files (call after the package validated, so keys are
    unique and present).
    """
    folder = data_dir(path)
    tables: Snapshot = {}
    for resource in descriptor(folder)["resources"]:
        key = _as_list(resource["schema"].get("primaryKey", []))
        with open(folder / resource["path"], newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            rows: dict[str, dict[str, str]] = {}
            for number, row in enumerate(reader, start=2):
                name = (
                    KEY_SEPARATOR.join(row.get(k) or "" for k in key) if key else f"line {number}"
                )
                rows[name] = {k: v or "" for k, v in row.items() if k is not None}
        tables[resource["name"]] = rows
        note_read(resource["name"])
    return tables


def diff(old: Snapshot, new: Snapshot) -> list[Change]:
    """Differences from ``old`` to ``new``: tables, then rows in file order, then fields."""
    changes: list[Change] = []
    for table in _ordered(old, new):
        before, after = old.get(table, {}), new.get(table, {})
        for row in _ordered(before, after):
            if row not in before:
                changes.append(Change(table, row, "added"))
            elif row not in after:
                changes.append(Change(table, row, "removed"))
            else:
                for field in _ordered(before[row], after[row]):
                    was, now = before[row].get(field, ""), after[row].get(field, "")
                    if was != now:
                        changes.append(Change(table, row, "changed", field, was, now))
    return changes


def _ordered(first: dict[str, Any], second: dict[str, Any]) -> list[str]:
    """Keys of ``second`` in its order, then keys only ``first`` has, in theirs."""
    return list(second) + [k for k in first if k not in second]


def summary(changes: Iterable[Change]) -> dict[str, dict[str, int]]:
    """Counts per table: rows added, removed and changed (a row with several edits counts once)."""
    counts: dict[str, dict[str, int]] = {}
    changed_rows: set[tuple[str, str]] = set()
    for change in changes:
        table = counts.setdefault(change.table, {"added": 0, "removed": 0, "changed": 0})
        if change.kind != "changed":
            table[change.kind] += 1
        elif (change.table, change.row) not in changed_rows:
            changed_rows.add((change.table, change.row))
            table["changed"] += 1
    return counts


def changed_tables(changes: Iterable[Change]) -> set[str]:
    """Names of the tables with at least one change."""
    return {change.table for change in changes}
