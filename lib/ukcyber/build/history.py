"""What changed, build by build: the data compared with the previous build's snapshot.

Each build reads ``reports/_data/snapshot.json`` (every row of every table as the CSV text, from
:func:`ukcyber.changes.snapshot`), compares the current data with it, and puts a record at the
top of ``reports/_data/changes.json``: when, the rows added, removed and changed (table, row,
field, old, new), and the reports rebuilt, failed and left out of date. Only builds that changed
the data or a report are recorded, and only the newest :data:`KEEP_BUILDS`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ukcyber.build.files import atomic_write
from ukcyber.changes import Snapshot, diff, snapshot, summary

DATA_DIR = "_data"
SNAPSHOT = f"{DATA_DIR}/snapshot.json"
LOG = f"{DATA_DIR}/changes.json"
KEEP_BUILDS = 20
"""Builds kept in the log (the changes page lists them all)."""
KEEP_CHANGES = 500
"""Changes kept per build; the rest are counted (``more_changes``)."""


def _read_json(path: Path, warn: Callable[[str], None]) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        warn(f"warning: cannot read {path} ({exc}); starting it afresh")
        return None


def read_log(reports: Path, warn: Callable[[str], None]) -> list[dict[str, Any]]:
    """The recorded builds, newest first (``[]`` when absent or unreadable)."""
    log = _read_json(reports / LOG, warn)
    return [r for r in log if isinstance(r, dict)] if isinstance(log, list) else []


def _is_snapshot(value: object) -> bool:
    return isinstance(value, dict) and all(isinstance(t, dict) for t in value.values())


def compare(reports: Path, warn: Callable[[str], None]) -> tuple[Snapshot, dict[str, Any]]:
    """The current data's snapshot, and its comparison with the previous build's."""
    current = snapshot()
    previous = _read_json(reports / SNAPSHOT, warn)
    if not _is_snapshot(previous):
        return current, {"first": True, "data_changed": False, "summary": {}, "changes": []}
    changes = diff(previous, current)
    return current, {
        "first": False,
        "data_changed": bool(changes),
        "summary": summary(changes),
        "changes": [c.to_dict() for c in changes[:KEEP_CHANGES]],
        "more_changes": max(0, len(changes) - KEEP_CHANGES),
    }


def record(
    reports: Path,
    current: Snapshot,
    comparison: dict[str, Any],
    *,
    built_at: str,
    rebuilt: Sequence[str],
    failed: Sequence[str],
    stale: Sequence[str],
    warn: Callable[[str], None],
) -> list[dict[str, Any]]:
    """Save the snapshot and, when the data or a report changed, a record; return the log."""
    log = read_log(reports, warn)
    if comparison["first"] or comparison["data_changed"] or rebuilt or failed:
        entry = {**comparison, "built_at": built_at, "rebuilt": list(rebuilt)}
        entry |= {"failed": list(failed), "stale": list(stale)}
        log = [entry, *log][:KEEP_BUILDS]
        atomic_write(reports / LOG, json.dumps(log, indent=1, ensure_ascii=False) + "\n")
    atomic_write(reports / SNAPSHOT, json.dumps(current, ensure_ascii=False))
    return log
