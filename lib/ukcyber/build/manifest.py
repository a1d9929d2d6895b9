"""``reports/manifest.json``: a typed, versioned record of every report of the last builds.

Read tolerantly (a missing, corrupt or wrong-shaped manifest is treated as absent: every report
is rebuilt) and written atomically under the build lock, so overlapping builds never lose
entries.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from ukcyber import __version__
from ukcyber.build.files import atomic_write, check_relative
from ukcyber.build.fingerprint import BUILD_EPOCH
from ukcyber.errors import BuildError

MANIFEST = "manifest.json"
SCHEMA_VERSION = 1

Status = Literal["ok", "skipped", "failed"]


def _relative(name: str) -> str:
    """A path inside ``reports/`` (an empty string for none); anything else is not a manifest."""
    if name:
        try:
            check_relative(name)
        except BuildError as exc:
            raise ValueError(str(exc)) from None
    return name


RelativePath = Annotated[str, AfterValidator(_relative)]


class Entry(BaseModel):
    """One report: what was asked for, what happened, and the files it publishes."""

    model_config = ConfigDict(extra="ignore")

    key: str
    notebook: str
    slug: str
    title: str
    description: str = ""
    params: dict[str, str | bool | int | float] = Field(default_factory=dict)
    status: Status
    seconds: float = 0.0
    fingerprint: str = ""
    built_at: str = ""
    html: RelativePath = ""
    ipynb: RelativePath = ""
    pdf: RelativePath = ""
    files: list[RelativePath] = Field(default_factory=list)
    charts: int = 0
    error: str = ""
    last_good: bool = False
    ad_hoc: bool = False
    """Built with ``--only NOTEBOOK -p ...`` for parameters not in reports.toml; kept (and
    rebuilt when out of date) by later builds while it has a page and its notebook exists."""
    stale: bool = False
    """Its recorded fingerprint differs from what the current inputs give (not rebuilt)."""
    stale_because: list[str] = Field(default_factory=list)
    """Why it is out of date, in words (``the data changed on 3 March 2026``)."""
    inputs: dict[str, str] = Field(default_factory=dict)
    """Digests of the inputs it was built from (data, notebook, library, lockfile), so a
    later build can say which of them changed."""
    tables: list[str] | None = None
    """The data tables the report read when last built (``None``: unknown, all of them count)."""


class Manifest(BaseModel):
    """The whole site: build facts, the data's fingerprint and age, and every report."""

    model_config = ConfigDict(extra="ignore")

    schema_version: Literal[1] = 1
    generated_at: str = ""
    ukcyber_version: str = __version__
    python: str = Field(default_factory=lambda: sys.version.split()[0])
    build_epoch: int = BUILD_EPOCH
    data_fingerprint: str = ""
    data_changed_at: str = ""
    table_digests: dict[str, str] = Field(default_factory=dict)
    """Each table's digest (CSV and resource descriptor) at this build."""
    tables_changed_at: dict[str, str] = Field(default_factory=dict)
    """When each table's current content was first seen: a page's "Data as of" is the latest
    of these over the tables it read."""
    site_fingerprint: str = ""
    ran: list[str] = Field(default_factory=list)
    """Keys of the reports this build ran (rebuilt or failed); the others were not run."""
    reports: dict[str, Entry] = Field(default_factory=dict)


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
