"""The dates a report page can show, computed by the build after the report ran.

One typed value, :class:`PageDates`, travels from the build to the report page writer
(:func:`ukcyber.site.report.report_files`): the tables the report read, each with the moment its
current content was first recorded; the data years its charts and tables cover; the sources it
cites with their publication dates; and when the page was built. The build computes it where
the page is written, from what the report actually read and showed; the site decides how the
page words it.

Timestamps are ISO 8601 UTC (``2026-11-24T10:04:05Z``); publication dates are as
``sources.csv`` gives them (``2023``, ``2023-09`` or ``2023-09-14``; empty when not dated).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
"""A publication date the build can compare: ``2023``, ``2023-09`` or ``2023-09-14``."""


@dataclass(frozen=True)
class TableDate:
    """One data table a report read, and when its current content was first recorded."""

    name: str
    """The table's name in ``datapackage.json`` (not for readers: use :attr:`title`)."""
    title: str
    """The table's title for readers (its resource's ``title``)."""
    changed_at: str
    """When this content of the table was first recorded (ISO 8601 UTC)."""


@dataclass(frozen=True)
class SourceDate:
    """One source a report cites, and when it was published."""

    key: str
    """The source's id in ``sources.csv`` (not for readers: use :attr:`title`)."""
    title: str
    """The source's short title, as the page's citations name it."""
    published: str
    """Its publication date as ``sources.csv`` gives it; empty when not dated."""


@dataclass(frozen=True)
class PageDates:
    """Everything dated about one report page; see the module docstring for the formats."""

    built_at: str
    """When the page was written (ISO 8601 UTC)."""
    tables: tuple[TableDate, ...] = ()
    """The tables the report read, by name."""
    years: tuple[int, ...] = ()
    """The data years the rows its charts and tables show cover, ascending (empty: none)."""
    sources: tuple[SourceDate, ...] = ()
    """The sources it cites, by key."""

    @property
    def data_changed_at(self) -> str:
        """Give the latest change of any table it read (empty when it read none)."""
        return max((t.changed_at for t in self.tables), default="")

    @property
    def latest_source(self) -> SourceDate | None:
        """Give the most recently published source it cites (``None`` when none has an ISO date)."""
        dated = [s for s in self.sources if ISO_DATE.fullmatch(s.published)]
        return max(dated, key=lambda s: s.published) if dated else None
