"""Reading and writing ``reports/manifest.json`` (the model is :mod:`ukcyber.manifest`).

Read tolerantly (a missing, corrupt or wrong-shaped manifest is treated as absent: every report
is rebuilt) and written atomically under the build lock, so overlapping builds never lose
entries.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError

from ukcyber.atomic import atomic_write
from ukcyber.manifest import SCHEMA_VERSION, Entry, Manifest

MANIFEST = "manifest.json"

__all__ = ["MANIFEST", "Entry", "Manifest", "read_manifest", "write_manifest"]


def utc_now() -> str:
    """The current UTC time as ``YYYY-MM-DDTHH:MM:SSZ``."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def read_manifest(reports: Path, warn: Callable[[str], None]) -> Manifest | None:
    """The previous build's manifest, or ``None`` if there is none usable.

    A manifest that is not JSON, or not of this schema (``[]``, ``null``, an older layout), is
    treated as absent with a one-line warning, so a hand-edited file never blocks builds.
    """
    path = reports / MANIFEST
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        warn(f"warning: cannot read {path} ({exc}); treating it as absent, rebuilding every report")
        return None
    try:
        return Manifest.model_validate(json.loads(text))
    except (json.JSONDecodeError, ValidationError, RecursionError) as exc:
        reason = "invalid JSON" if isinstance(exc, json.JSONDecodeError) else "not a manifest"
        warn(
            f"warning: {path} is {reason} of schema version {SCHEMA_VERSION}; "
            "treating it as absent, rebuilding every report"
        )
        return None


def data_changed_at(previous: Manifest | None, data_fingerprint: str, now: str) -> str:
    """When the current data fingerprint was first seen: kept while the data is unchanged."""
    if previous and previous.data_fingerprint == data_fingerprint and previous.data_changed_at:
        return previous.data_changed_at
    return now


def tables_changed_at(
    previous: Manifest | None, digests: dict[str, str], now: str
) -> dict[str, str]:
    """When each table's current digest was first seen: kept while that table is unchanged."""
    seen = previous.table_digests if previous else {}
    dates = previous.tables_changed_at if previous else {}
    return {
        name: dates[name] if seen.get(name) == digest and dates.get(name) else now
        for name, digest in digests.items()
    }


def write_manifest(reports: Path, manifest: Manifest) -> None:
    """Write the manifest atomically (call under the build lock)."""
    text = json.dumps(manifest.model_dump(mode="json"), indent=2, ensure_ascii=False)
    atomic_write(reports / MANIFEST, text + "\n")
