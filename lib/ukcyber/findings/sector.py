"""The sector overview: the official headline series, honest growth, concentration.

Examples
--------
>>> from ukcyber.findings import sector
>>> view = sector.overview(2020, 2024)
>>> print(view.growth["revenue"].words())
10.4%
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ukcyber import analysis, panels, params
from ukcyber.briefing import Brief, MainPoints
from ukcyber.citations import row_words
from ukcyber.data import load
from ukcyber.findings import Chart
from ukcyber.formatting import format_row, plain_title
from ukcyber.tables import Table
from ukcyber.units import unit_label

HEADLINE = ("active_firms", "employment", "revenue", "gva")
"""The headline measures of the Cyber Security Sectoral Analysis, in chart order."""

MAIN_POINT_ORDER = ("revenue", "employment", "gva", "active_firms")
"""The order the main points take them in (money first)."""

SHARES = (
    "large_firms_share_of_firms",
    "large_firms_share_of_revenue",
    "large_firms_share_of_employment",
)
"""Large firms' shares of the sector: its concentration."""

CLAIM_KINDS = ("think_tank_paper",)
"""Kinds of source whose figures for the headline measures are marked on the official series."""

SERIES_CAPTION = (
    "The official series of each measure, and the same measures as quoted in a policy paper "
    "(marked apart, as the key says)."
)


@dataclass(frozen=True)
class Overview:
    """The rows of one sector overview: per headline measure, its series and growth."""

    start: int
    end: int
    series: dict[str, pd.DataFrame]
    growth: dict[str, analysis.Growth | None]
    shares: pd.DataFrame
    claims: pd.DataFrame
    titles: pd.Series
    sources: pd.DataFrame


def overview(start_year: object, end_year: object) -> Overview:
    """Validate the years against the data and compute every headline series and its growth.

    Raises
    ------
    ParameterError
        If a year is not a whole number within the data's years, or start is not before end.
    """
    stats, sources, metrics = load("sector_statistics"), load("sources"), load("metrics")
    official = {m: analysis.headline_series(stats, m, sources) for m in HEADLINE}
    years = [int(y) for s in official.values() for y in s["year"]]
    start, end = params.year_range(start_year, end_year, years)
    series = {m: analysis.window(s, start, end) for m, s in official.items()}
    kinds = sources.set_index("source_id")["kind"]
    claims = stats[stats["metric"].isin(HEADLINE) & stats["source_id"].map(kinds).isin(CLAIM_KINDS)]
    return Overview(
        start=start,
        end=end,
        series=series,
        growth={m: analysis.bounded_cagr(s) for m, s in series.items()},
        shares=stats[stats["metric"].isin(SHARES)].sort_values(["metric", "year"]),
        claims=claims,
        titles=metrics.set_index("metric")["title"].map(plain_title),
        sources=sources,
    )


def _growth_point(view: Overview, metric: str) -> tuple[str, pd.DataFrame, dict[str, object]]:
    """One measure's finding: its growth over the window, or why no rate can be stated."""
    g, rows = view.growth[metric], view.series[metric]
    if g is not None:
        exact = g.qualifier in analysis.EXACT_QUALIFIERS
        return (
            "{title}: {b} in {y1}, from {a} in {y0}; compound growth of {rate} a year{note}.",
            pd.DataFrame([g.first, g.last]),
            dict(
                title=view.titles[metric],
                a=format_row(g.first),
                y0=int(g.first["year"]),
                b=format_row(g.last),
                y1=int(g.last["year"]),
                rate=g.words(),
                note="" if exact else " (a bound, because a figure it rests on is one)",
            ),
        )
    last = rows.iloc[-1]
    return (
        "{title}: {b} in {y1}; no growth rate can be stated for {start}–{end} from these figures.",
        rows.iloc[[-1]],
        dict(
            title=view.titles[metric],
            b=format_row(last),
            y1=int(last["year"]),
            start=view.start,
            end=view.end,
        ),
    )


def _latest_share(view: Overview, metric: str) -> pd.DataFrame:
    return view.shares[view.shares["metric"] == metric].tail(1)


CONCENTRATION = (
    "Large firms earn {rev} of the sector's revenue while being {firms} of its firms ({period})."
)


def concentration(view: Overview) -> tuple[pd.DataFrame, dict[str, object]] | None:
    """Large firms' latest shares of revenue and of firms (the rows and the words), or None."""
    revenue = _latest_share(view, "large_firms_share_of_revenue")
    firms = _latest_share(view, "large_firms_share_of_firms")
    if revenue.empty or firms.empty:
        return None
    return pd.concat([revenue, firms]), dict(
        rev=format_row(revenue.iloc[0]),
        firms=format_row(firms.iloc[0]),
        period=revenue.iloc[0]["period"],
    )


def main_points(view: Overview) -> MainPoints:
    """Growth of each headline measure over the window, then large firms' share of revenue."""
    points = MainPoints()
    for metric in MAIN_POINT_ORDER:
        if len(view.series[metric]):
            template, rows, values = _growth_point(view, metric)
            points.add(template, rows=rows, sources=view.sources, **values)
    shares = concentration(view)
    if len(points.points) < MainPoints.MAXIMUM and shares is not None:
        points.add(CONCENTRATION, rows=shares[0], sources=view.sources, **shares[1])
    if not points.points:
        points.add("No headline figure falls in {s}–{e}.", s=view.start, e=view.end)
    return points


def series_chart(view: Overview) -> Chart:
    """One panel per headline measure, with the policy paper's figures as diamonds."""
    units = load("metrics").set_index("metric")
    label = {
        m: f"{view.titles[m]} ({unit_label(units.at[m, 'unit'], units.at[m, 'scale'])})"
        for m in HEADLINE
    }
    claims = {
        label[m]: analysis.window(view.claims[view.claims["metric"] == m], view.start, view.end)
        for m in HEADLINE
    }
    fig = panels.small_multiples(
        {label[m]: view.series[m] for m in HEADLINE},
        f"UK cyber security sector, {view.start}–{view.end}",
        view.sources,
        claims=claims,
    )
    return Chart(fig, SERIES_CAPTION)


def _figures(rows: pd.DataFrame) -> list[str]:
    return [format_row(r) for _, r in rows.iterrows()]


def series_table(view: Overview) -> Table:
    """Every figure behind the series, with how it was printed and its source."""
    rows = pd.concat([view.series[m].assign(measure=view.titles[m]) for m in HEADLINE])
    return Table(
        rows.assign(figure=_figures(rows)),
        {"measure": "Measure", "period": "Year", "figure": "Figure", "as_printed": "As printed"},
        caption=f"Headline figures, {view.start}–{view.end}",
        sources=view.sources,
    )


def shares_table(view: Overview) -> Table:
    """Large firms' shares of firms, revenue and employment."""
    shares = view.shares
    return Table(
        shares.assign(measure=shares["metric"].map(view.titles), figure=_figures(shares)),
        {"measure": "Measure", "period": "Year", "figure": "Figure"},
        caption="Large firms' shares of the sector",
        sources=view.sources,
    )


def briefing(view: Overview) -> Brief:
    """Revenue growth, the latest figure of each measure with its caveat, concentration."""
    brief = Brief(f"Briefing: the UK cyber security sector, {view.start}–{view.end}")
    g = view.growth["revenue"]
    if g is not None:
        brief.para(
            "Sector revenue went from {a} in {y0} to {b} in {y1}, a compound growth of {rate} a year.",
            a=format_row(g.first),
            y0=int(g.first["year"]),
            b=format_row(g.last),
            y1=int(g.last["year"]),
            rate=g.words(),
        )
        brief.cite(pd.DataFrame([g.first, g.last]), view.sources)
    for metric in HEADLINE:
        if len(view.series[metric]):
            row = view.series[metric].iloc[-1]
            brief.bullet(
                "{title}: {value} in {year}.{caveat}",
                title=view.titles[metric],
                value=format_row(row),
                year=int(row["year"]),
                caveat=f" Caveat: {row_words(row['caveat'], sources=view.sources)}"
                if row["caveat"]
                else "",
            )
            brief.cite(row, view.sources)
    shares = concentration(view)
    if shares is not None:
        brief.para(CONCENTRATION, **shares[1])
        brief.cite(shares[0], view.sources)
    return brief


__all__ = [
    "HEADLINE",
    "Overview",
    "overview",
    "main_points",
    "series_chart",
    "series_table",
    "shares_table",
    "briefing",
    "concentration",
]
