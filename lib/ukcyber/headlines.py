"""The headline figures of the front page: the latest preferred figure of each key measure.

Each figure comes from :func:`ukcyber.analysis.headline_series` (preferred, observed, single
years), is formatted with its qualifier in words ("more than £10.5 billion"), and carries its
data year, its caveat and a reader-facing citation, so the front page never shows a number
without saying where it comes from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from ukcyber.analysis import headline_series
from ukcyber.citations import cite
from ukcyber.data import load
from ukcyber.formatting import format_row

HEADLINES = [
    ("sector_statistics", "active_firms", "Active cyber security firms"),
    ("sector_statistics", "employment", "People employed in the sector"),
    ("sector_statistics", "revenue", "Sector revenue"),
    ("sector_statistics", "gva", "Gross value added"),
    ("exports_and_market", "cyber_exports", "UK cyber security exports"),
]
"""(table, metric, label) of each headline figure, in the order the front page shows them."""


@dataclass(frozen=True)
class Headline:
    """One headline figure as the front page prints it."""

    label: str
    value: str
    year: int
    period: str
    caveat: str
    citation: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """The headline as a plain dict, for the front page's template."""
        return {
            "label": self.label,
            "value": self.value,
            "year": self.year,
            "period": self.period,
            "caveat": self.caveat,
            "citation": self.citation,
        }


def _text(value: object) -> str:
    return "" if value is None or pd.isna(value) else str(value).strip()


def latest(table: pd.DataFrame, metric: str, sources: pd.DataFrame, label: str) -> Headline | None:
    """The newest preferred UK figure of ``metric`` in ``table``, or ``None`` if it has none."""
    series = headline_series(table, metric, sources)
    if series.empty:
        return None
    row = series.iloc[-1].to_dict()
    return Headline(
        label=label,
        value=format_row(row),
        year=int(row["year"]),
        period=_text(row.get("period")),
        caveat=_text(row.get("caveat")),
        citation=cite(row, sources).to_json(),
    )


def headline_figures() -> list[Headline]:
    """The front page's headline figures from the validated data (missing measures left out)."""
    sources = load("sources")
    tables: dict[str, pd.DataFrame] = {}
    figures = []
    for table_name, metric, label in HEADLINES:
        table = tables.setdefault(table_name, load(table_name))
        figure = latest(table, metric, sources, label)
        if figure is not None:
            figures.append(figure)
    return figures
