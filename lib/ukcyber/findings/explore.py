"""The explorer's published copy: its starting selection as main points, a chart and a table.

Examples
--------
>>> from ukcyber.findings import explore
>>> view = explore.overview("sector_statistics", "revenue")
>>> view.title
'Sector revenue'
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from ukcyber import dashboard, evidence, params
from ukcyber.briefing import MainPoints
from ukcyber.data import load
from ukcyber.findings import Chart
from ukcyber.formatting import format_row, plain_title, plural
from ukcyber.tables import Table

CAPTION = (
    "Each line joins one place's preferred figures, one per year; other sources' figures for the "
    "same year, which give way to them, are marked beside it (see the key)."
)


@dataclass(frozen=True)
class Overview:
    """The starting selection: one metric of one table, every dated figure."""

    dataset: str
    metric: str
    title: str
    figure: go.Figure
    rows: pd.DataFrame
    sources: pd.DataFrame


def overview(dataset: object, metric: object) -> Overview:
    """Validate the table and metric (one with dated figures in it) and draw the selection.

    Raises
    ------
    ParameterError
        If ``dataset`` is not a figure table, or ``metric`` has no dated figure in it.
    """
    dataset = params.choice("dataset", dataset, evidence.FIGURE_TABLES)
    table, metrics = load(dataset), load("metrics")
    metric = params.choice(
        "metric", metric, [m for _, m in dashboard.metric_options(table, metrics)]
    )
    title = plain_title(metrics.set_index("metric").at[metric, "title"])
    fig, rows = dashboard.static_figure(dataset, metric)
    return Overview(dataset, metric, title, fig, rows, load("sources"))


def _lowered(title: str) -> str:
    """A title inside a sentence: lower case, unless it starts with an abbreviation (GVA)."""
    return title if title[:2].isupper() else title.lower()


def main_points(view: Overview) -> MainPoints:
    """How many dated figures, from how many sources; the earliest and the latest.

    The earliest and latest come from the preferred rows only: a rounded or second-hand figure
    of the same year ("about 43,000") never stands in for the preferred one (42,855).
    """
    rows, points = view.rows, MainPoints()
    points.add(
        "{n} for {t} in these sources, from {k}.",
        rows=rows,
        sources=view.sources,
        n=plural(len(rows), "dated figure"),
        t=_lowered(view.title),
        k=plural(rows["source_id"].nunique(), "source"),
    )
    preferred = rows[rows["preferred"].astype(bool)] if "preferred" in rows.columns else rows
    preferred = preferred.sort_values("year", kind="stable")
    for word, row in (("Earliest", preferred.iloc[0]), ("Latest", preferred.iloc[-1])):
        points.add(
            word + ": {v} in {y} ({g}).",
            rows=row,
            sources=view.sources,
            v=format_row(row),
            y=int(row["year"]),
            g=row["geography"],
        )
    return points


def chart(view: Overview) -> Chart:
    """The starting selection as a report chart."""
    return Chart(view.figure, CAPTION)


def table(view: Overview) -> Table:
    """Every dated figure of the selection, as printed, with its source."""
    rows = view.rows
    return Table(
        rows.assign(figure=[format_row(r) for _, r in rows.iterrows()]),
        {"geography": "Where", "period": "Period", "figure": "Figure", "as_printed": "As printed"},
        caption=f"Every dated figure for {view.title}",
        sources=view.sources,
    )
