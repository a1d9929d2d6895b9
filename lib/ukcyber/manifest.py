"""The typed record of the reports site: every report, its state, and the build's facts.

``reports/manifest.json`` is this model as JSON. The build writes it; every page writer
(:mod:`ukcyber.site`) takes it typed, so a page never guesses at a missing key. A report's state
(:attr:`Entry.state`) is decided here, once; the site says it in words.
"""

from __future__ import annotations

import sys
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from ukcyber import __version__
from ukcyber.atomic import check_relative
from ukcyber.errors import BuildError

SCHEMA_VERSION: Literal[1] = 1

Status = Literal["ok", "skipped", "failed"]
"""What the last build did with a report: built it, found it unchanged, or failed it."""
State = Literal["current", "stale", "failed"]
"""What a reader should know about a report: up to date, out of date, or failed."""


def _relative(name: str) -> str:
    """Check a path inside ``reports/`` (empty for none); anything else is not a manifest."""
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
    """Why it is out of date, in words (``the data changed``)."""
    inputs: dict[str, str] = Field(default_factory=dict)
    """Digests of the inputs it was built from, so a later build can say which changed."""
    tables: list[str] | None = None
    """The data tables the report read when last built (``None``: unknown, all of them count)."""

    @property
    def state(self) -> State:
        """Whether the report is ``current``, ``stale`` (out of date) or ``failed``."""
        if self.status == "failed":
            return "failed"
        return "stale" if self.stale else "current"


class Manifest(BaseModel):
    """The whole site: build facts, the data's fingerprint and age, and every report."""

    model_config = ConfigDict(extra="ignore")

    schema_version: Literal[1] = SCHEMA_VERSION
    generated_at: str = ""
    ukcyber_version: str = __version__
    python: str = Field(default_factory=lambda: sys.version.split()[0])
    build_epoch: int = 0
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
