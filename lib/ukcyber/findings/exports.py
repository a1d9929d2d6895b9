"""UK cyber exports and the global market: one series per producer, never chained.

Examples
--------
>>> from ukcyber.findings import exports
>>> view = exports.overview("all", "USD")
>>> view.shared_year
2021
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ukcyber import analysis, charts, options, panels, params
from ukcyber.briefing import Brief, MainPoints
from ukcyber.data import load
from ukcyber.findings import Chart
from ukcyber.formatting import format_row, plural
from ukcyber.tables import Table
from ukcyber.units import unit_label

UK_EXPORTS = ("security_exports", "cyber_exports")
"""The UK export measures: security exports and the cyber security exports within them."""

CYBER_EXPORTS = "cyber_exports"
GOVERNMENT = "DIT"
"""How the government's export statistics name their producer (``provider`` starts with it)."""

CURRENCIES = ("USD", "GBP")
"""Currencies of market estimates (never converted)."""

MARKET_TITLE = "Global cyber security market size"
"""The measure most panels share, left out of their names (the chart title says it)."""


@dataclass(frozen=True)
class Overview:
    """The rows of one exports report."""

    series: str
    currency: str
    table: pd.DataFrame
    uk: pd.DataFrame
    market: pd.DataFrame
    estimates: pd.DataFrame
    shared_year: int | None
    labels: dict[str, str]
    titles: pd.Series
    sources: pd.DataFrame


def overview(series: object, currency: object) -> Overview:
    """Validate the series and currency; collect UK exports and the market estimates.

    Raises
    ------
    ParameterError
        If ``series`` is not ``"all"`` or in ``options.series()``, or the currency is not one
        of :data:`CURRENCIES`.
    """
    table, sources, metrics = load("exports_and_market"), load("sources"), load("metrics")
    series = params.choice("series", series, options.series(), allow_all=True)
    currency = params.choice("currency", currency, CURRENCIES)
    titles = metrics.set_index("metric")["title"]
    uk = table[table["metric"].isin(UK_EXPORTS) & (table["basis"] == "observed")]
    uk = uk[uk["year"].notna()].sort_values(["series", "year"])
    market = analysis.market_estimates(table, currency)
    estimates = market[market["basis"] == "observed"]
    labels = analysis.series_labels(
        pd.concat([uk, market, table[table["series"] == series]]), titles, sources
    )
    return Overview(
        series=series,
        currency=currency,
        table=table,
        uk=uk,
        market=market,
        estimates=estimates,
        shared_year=analysis.latest_shared_year(estimates),
        labels=labels,
        titles=titles,
        sources=sources,
    )


def _government(view: Overview) -> pd.DataFrame:
    return view.uk[view.uk["provider"].str.startswith(GOVERNMENT)]


def _spread(view: Overview) -> tuple[str, pd.DataFrame, dict[str, object]] | None:
    """The providers' range for the latest year two or more of them estimate."""
    if view.shared_year is None:
        return None
    same = view.estimates[view.estimates["year"] == view.shared_year]
    low, high = same.loc[same["value"].idxmin()], same.loc[same["value"].idxmax()]
    return (
        "For {year}, {n} of the global market in {currency} range from {low} to {high}: the providers measure different things, so this is a range of definitions, not an error bar.",
        same,
        dict(
            year=view.shared_year,
            n=plural(len(same), "provider estimate"),
            currency=view.currency,
            low=format_row(low),
            high=format_row(high),
        ),
    )


def main_points(view: Overview) -> MainPoints:
    """The latest figure of each government export series, the providers' range, forecasts."""
    points = MainPoints()
    for name, rows in _government(view).groupby("series", sort=True):
        last = rows.iloc[-1]
        points.add(
            "{label}: {value} in {year} (latest figure in these sources).",
            rows=last,
            sources=view.sources,
            label=view.labels[name],
            value=format_row(last),
            year=int(last["year"]),
        )
    spread = _spread(view)
    if spread is not None:
        points.add(spread[0], rows=spread[1], sources=view.sources, **spread[2])
    market = view.market
    points.add(
        "{n} in {currency} come from {k}; {f} of the {n_points} points are forecasts, drawn dashed.",
        rows=market,
        sources=view.sources,
        n=plural(market["series"].nunique(), "market series", "market series"),
        currency=view.currency,
        k=plural(market["provider"].nunique(), "provider"),
        f=int((market["basis"] == "forecast").sum()),
        n_points=len(market),
    )
    return points


def exports_chart(view: Overview) -> Chart:
    """UK security exports and the cyber exports within them, one line per series."""
    fig = charts.figure("UK security and cyber exports")
    for i, (name, rows) in enumerate(view.uk.groupby("series", sort=True)):
        charts.line_chart(
            rows,
            "",
            view.sources,
            y_title="£ billion",
            name=view.labels[name],
            fig=fig,
            color=charts.PALETTE[i],
        )
    return Chart(
        fig,
        "UK security exports and the cyber security exports within them, each series as its producer published it.",
    )


def market_chart(view: Overview) -> Chart | None:
    """One panel per provider's series, forecasts dashed (None without estimates)."""
    market = view.market
    if market.empty:
        return None
    fig = panels.forecast_panels(
        market,
        "Global cyber security market estimates, by provider",
        view.sources,
        by="series",
        labels=analysis.series_labels(market, view.titles, view.sources, common=MARKET_TITLE),
        y_title=unit_label(view.currency, "billion"),
        columns=3 if market["series"].nunique() > 4 else 2,
    )
    return Chart(
        fig,
        f"Estimates and forecasts (dashed) of the global market in {view.currency}, as each provider published them, on one scale; no currency conversion is made.",
    )


def _chosen(view: Overview) -> pd.DataFrame:
    return view.table[view.table["series"] == view.series]


def market_table(view: Overview) -> Table:
    """Every market figure in the currency, or every figure of the chosen series."""
    listing = view.market if view.series == "all" else _chosen(view)
    caption = (
        f"Market figures in {view.currency}"
        if view.series == "all"
        else f"Figures of the series {view.labels[view.series]}"
    )
    return Table(
        listing.assign(
            label=listing["series"].map(view.labels),
            figure=[format_row(r) for _, r in listing.iterrows()],
            kind=listing["basis"].map({"forecast": "forecast"}).fillna("estimate"),
        ),
        {"label": "Series", "period": "Year", "figure": "Figure", "kind": "Estimate or forecast"},
        caption=caption,
        sources=view.sources,
    )


def briefing(view: Overview) -> Brief:
    """The latest UK cyber exports, the providers' range, and the chosen series."""
    brief = Brief("Briefing: UK exports and the market they sell into")
    dit = view.uk[view.uk["metric"] == CYBER_EXPORTS].sort_values("year")
    if len(dit):
        last = dit.iloc[-1]
        brief.para(
            "UK cyber security exports were {v} in {y}.", v=format_row(last), y=int(last["year"])
        )
        brief.cite(last, view.sources)
    spread = _spread(view)
    if spread is not None:
        brief.para(spread[0], **spread[2])
        brief.cite(spread[1], view.sources)
    if view.series != "all":
        chosen = _chosen(view)
        brief.para(
            "The series {s} has {n}, {f} of them forecasts.",
            s=view.labels[view.series],
            n=plural(len(chosen), "figure"),
            f=int((chosen["basis"] == "forecast").sum()),
        )
        brief.cite(chosen, view.sources)
    return brief
