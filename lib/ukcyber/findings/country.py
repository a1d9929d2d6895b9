"""A country briefing: partnerships, citations as a model, recommendations naming it, ranks.

Examples
--------
>>> from ukcyber.findings import country
>>> view = country.overview("Japan")
>>> print(country.rank_words(view))
Latest index rank in these sources: 9th in the Belfer National Cyber Power Index 2020.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ukcyber import analysis, charts, options, panels, params
from ukcyber.briefing import Brief, MainPoints
from ukcyber.data import load
from ukcyber.findings import Chart
from ukcyber.formatting import listed, ordinal, plural, tie_words, words
from ukcyber.tables import Table

UK = "United Kingdom"
"""The UK's name in the rankings table (charted beside the country)."""

NAMED_IN = ["comparator_countries", "partner_countries"]
LISTED = 8
"""Partnerships listed by name in the briefing (the count says how many there are)."""


@dataclass(frozen=True)
class Overview:
    """The rows of one country briefing."""

    country: str
    mine: pd.DataFrame
    partners: pd.DataFrame
    comparators: pd.DataFrame
    named: pd.DataFrame
    ranks: pd.DataFrame
    sources: pd.DataFrame


def overview(country: object) -> Overview:
    """Validate the country and collect its partnerships, recommendations and ranks.

    Raises
    ------
    ParameterError
        If ``country`` is not in ``options.countries()``.
    """
    partnerships, recs = load("partnerships"), load("recommendations")
    country = params.choice("country", country, options.countries())
    mine = partnerships[partnerships["country"] == country].sort_values(["relation", "year"])
    return Overview(
        country=country,
        mine=mine,
        partners=mine[mine["relation"] == "partner"],
        comparators=mine[mine["relation"] == "comparator"],
        named=analysis.mentions(recs, NAMED_IN, country),
        ranks=load("cyber_power_rankings"),
        sources=load("sources"),
    )


def _latest(view: Overview) -> pd.Series | None:
    return analysis.latest_rank(view.ranks[view.ranks["country"] == view.country])


def rank_words(view: Overview) -> str:
    """The country's latest stated index rank in one sentence, or that the sources give none."""
    latest = _latest(view)
    if latest is None:
        return f"These sources give no cyber power index rank for {view.country}."
    return (
        f"Latest index rank in these sources: {ordinal(int(latest['rank']))} in the "
        f"{analysis.index_edition(latest)}."
    )


def instrument_words(view: Overview) -> str:
    """How many recommendations name the country and their most common instrument."""
    if view.named.empty:
        return f"No recommendation in the five documents names {view.country}."
    values, count = analysis.most_common(view.named, "instrument")
    top = tie_words([words(v) for v in values], count, "recommendation")
    return (
        f"{plural(len(view.named), 'recommendation')} name {view.country}; "
        f"the most common instrument among them is {top}."
    )


def _comparator_words(view: Overview) -> str:
    if not len(view.comparators):
        return f"{view.country} is not cited as a model for UK policy"
    return (
        f"{view.country} is cited {plural(len(view.comparators), 'time')} as a model for UK policy"
    )


def main_points(view: Overview) -> MainPoints:
    """Partnerships, citations as a model, recommendations naming it, its latest rank."""
    points = MainPoints()
    n = plural(len(view.partners), "partnership or programme", "partnerships or programmes")
    points.add(
        "The documents name {n} with {c}.",
        rows=view.partners if len(view.partners) else None,
        sources=view.sources,
        n=n,
        c=view.country,
    )
    points.add(
        "{text}.",
        rows=view.comparators if len(view.comparators) else None,
        sources=view.sources,
        text=_comparator_words(view),
    )
    named = view.named if len(view.named) else None
    points.add("{text}", rows=named, sources=view.sources, text=instrument_words(view))
    latest = _latest(view)
    points.add("{text}", rows=latest, sources=view.sources, text=rank_words(view))
    return points


def rank_chart(view: Overview) -> Chart | None:
    """The country's and the UK's National Cyber Power Index ranks by edition (None if unranked)."""
    ncpi = analysis.index_series(view.ranks)
    if view.country not in set(ncpi["country"]):
        return None
    fig = panels.rank_chart(
        ncpi[ncpi["country"].isin([view.country, UK])],
        [view.country, UK],
        f"National Cyber Power Index rank: {view.country} and the UK",
        view.sources,
    )
    return Chart(
        fig,
        "Rank in each edition of the Belfer National Cyber Power Index (1 = strongest), as reported.",
    )


def mentions_chart(view: Overview) -> Chart:
    """How often the documents mention the country, by kind of mention."""
    counts = analysis.mention_counts(view.mine, view.named)
    fig = charts.bar_chart(
        charts.count_rows(counts, view.sources, label="kind"),
        f"How the documents mention {view.country}",
        None,
        x_title="number of mentions",
        unit="mentions",
    )
    return Chart(
        fig,
        f"Partnerships, citations as a model and recommendations that name {view.country}, counted across the five documents.",
    )


def partnerships_table(view: Overview) -> Table:
    """Every partnership, programme or policy named with the country."""
    mine = view.mine
    caption = plural(len(mine), "partnership or comparison", "partnerships and comparisons")
    return Table(
        mine.assign(year=mine["year"].astype("string").fillna("")),
        {
            "relation": "Relation",
            "partnership": "Partnership or policy",
            "year": "Year",
            "domain": "Domain",
            "summary": "Summary (our words)",
        },
        caption=f"{caption} for {view.country}",
        sources=view.sources,
    )


def recommendations_table(view: Overview) -> Table:
    """Every recommendation that names the country as a model or a partner."""
    return Table(
        view.named,
        {"theme": "Theme", "summary": "Summary (our words)"},
        caption=f"{plural(len(view.named), 'recommendation')} naming {view.country}",
        sources=view.sources,
    )


def briefing(view: Overview) -> Brief:
    """The partnerships listed, an example of a citation as a model, recommendations, rank."""
    brief = Brief(f"Briefing: the UK and {view.country}")
    partners = view.partners
    if len(partners):
        years = partners["year"].dropna()
        brief.para(
            "The documents name {n} with {c}{since}:",
            n=listed(
                len(partners),
                min(LISTED, len(partners)),
                "partnership or programme",
                "partnerships or programmes",
            ),
            c=view.country,
            since=f", the earliest dated {int(years.min())}" if len(years) else "",
        )
        for _, row in partners.head(LISTED).iterrows():
            brief.bullet("{p} ({d})", p=row["partnership"], d=row["domain"])
    if len(view.comparators):
        brief.para(
            "{text}, for example {p}.",
            text=_comparator_words(view),
            p=view.comparators["partnership"].iloc[0],
        )
    if len(view.named):
        brief.para("{text}", text=instrument_words(view))
    latest = _latest(view)
    if latest is not None:
        brief.para("{text}", text=rank_words(view))
    if view.mine.empty and view.named.empty:
        brief.para(
            "The documents name no partnership or recommendation involving {c}.", c=view.country
        )
    cited = [partners.head(LISTED), view.comparators.head(1), view.named.head(5)]
    if latest is not None:
        cited.append(latest.to_frame().T)
    brief.cite(pd.concat(cited), view.sources)
    return brief
