"""One metric for one place: the starting point of a new notebook (``ukcyber new``).

Takes the rows of :func:`ukcyber.evidence.series` and makes what a page shows from them: main
points (the latest figure with its caveat, the earliest, how many sources), a chart (preferred
figures joined, other figures as marked points, bounds as bounds) and a table.

Examples
--------
>>> from ukcyber import evidence
>>> from ukcyber.findings import series
>>> rows = evidence.series("employment")
>>> series.main_points(rows).points[0][0].text  # doctest: +ELLIPSIS
'Cyber security sector employment, UK: 67,300 people in 2024 (the latest preferred figure...'
"""

from __future__ import annotations

import pandas as pd

from ukcyber import charts
from ukcyber.briefing import MainPoints
from ukcyber.citations import row_words
from ukcyber.data import load
from ukcyber.findings import Chart
from ukcyber.formatting import plural
from ukcyber.tables import Table
from ukcyber.units import unit_label

CAPTION = (
    "The line joins the preferred figure of each year; hollow diamonds are other figures for the "
    "same year, which give way to it. Triangles are bounds (“more than”, “less than”)."
)


def _dated(rows: pd.DataFrame) -> pd.DataFrame:
    return rows[rows["year"].notna()].sort_values(["year", "id"])


def _subject(rows: pd.DataFrame) -> str:
    return str(rows.attrs.get("caption") or f"{rows['title'].iloc[0]}, {rows['geography'].iloc[0]}")


def main_points(rows: pd.DataFrame) -> MainPoints:
    """The latest preferred figure (with its caveat), the earliest, and the sources counted."""
    points = MainPoints()
    subject = _subject(rows) if len(rows) else "This selection"
    dated = _dated(rows[rows["preferred"]])
    if dated.empty:
        return points.add("{s}: the sources give no dated figure.", s=subject)
    sources = load("sources")
    last, first = dated.iloc[-1], dated.iloc[0]
    caveat = f" Caveat: {row_words(last['caveat'], sources=sources)}" if last["caveat"] else ""
    points.add(
        "{s}: {figure} in {year} (the latest preferred figure).{caveat}",
        rows=last,
        sources=sources,
        s=subject,
        figure=last["figure"],
        year=int(last["year"]),
        caveat=caveat,
    )
    if len(dated) > 1:
        points.add(
            "The earliest is {figure} in {year}.",
            rows=first,
            sources=sources,
            figure=first["figure"],
            year=int(first["year"]),
        )
    preferred = int(rows["preferred"].sum())
    points.add(
        "{n} in all, from {k}; {p} {verb} preferred.",
        rows=rows,
        sources=sources,
        n=plural(len(rows), "figure"),
        k=plural(rows["source_id"].nunique(), "source"),
        p=preferred,
        verb="is" if preferred == 1 else "are",
    )
    return points


def chart(rows: pd.DataFrame) -> Chart | None:
    """Preferred figures as a line, the others as hollow diamonds (None without dated rows)."""
    dated = _dated(rows)
    if dated.empty:
        return None
    sources = load("sources")
    y_title = unit_label(str(dated["unit"].iloc[0]), str(dated["scale"].iloc[0]))
    fig = charts.figure(_subject(rows))
    for preferred, part in ((True, dated[dated["preferred"]]), (False, dated[~dated["preferred"]])):
        if part.empty:
            continue
        charts.line_chart(
            part,
            "",
            sources,
            y_title=y_title,
            name="preferred figures" if preferred else "other figures",
            fig=fig,
            points_only=not preferred,
        )
    return Chart(fig, CAPTION)


def table(rows: pd.DataFrame) -> Table:
    """Every figure with its period, the words printed, whether preferred, and its source."""
    shown = rows.assign(preferred=rows["preferred"].map({True: "yes", False: "no"}))
    return Table(
        shown,
        {
            "period": "Period",
            "figure": "Figure",
            "as_printed": "As printed",
            "preferred": "Preferred",
            "caveat": "Caveat",
        },
        caption=f"Every figure: {_subject(rows)}",
        sources=load("sources"),
    )
