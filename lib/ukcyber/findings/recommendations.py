"""Recommendations and commitments: what the documents ask for, of whom, by which instrument.

Examples
--------
>>> from ukcyber.findings import recommendations
>>> view = recommendations.overview(instrument="skills")
>>> set(view.chosen["instrument"])
{'skills'}
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ukcyber import analysis, charts, evidence, options, params
from ukcyber.briefing import Brief, MainPoints
from ukcyber.data import load
from ukcyber.findings import Chart
from ukcyber.formatting import plural, tie_words, words
from ukcyber.tables import Table

FIRST = 5
"""Items the briefing lists by name, in document order."""


@dataclass(frozen=True)
class Overview:
    """The items matching the filters (``"all"`` is no filter)."""

    theme: str
    actor: str
    instrument: str
    country: str
    chosen: pd.DataFrame
    sources: pd.DataFrame


def overview(
    theme: object = "all",
    actor: object = "all",
    instrument: object = "all",
    country: object = "all",
) -> Overview:
    """Validate the filters against the data and select the matching items.

    Raises
    ------
    ParameterError
        If a filter is neither ``"all"`` nor a value of its ``ukcyber.options`` list.
    """
    theme = params.choice("theme", theme, options.themes(), allow_all=True)
    actor = params.choice("actor", actor, options.actors(), allow_all=True)
    instrument = params.choice("instrument", instrument, options.instruments(), allow_all=True)
    country = params.choice("country", country, options.countries(), allow_all=True)
    chosen = evidence.recommendations(
        theme=theme, actor=actor, instrument=instrument, country=country
    )
    return Overview(theme, actor, instrument, country, pd.DataFrame(chosen), load("sources"))


def _top(view: Overview, column: str, *, split: bool = False, code: bool = False) -> str:
    values, count = analysis.most_common(view.chosen, column, split=split)
    return tie_words([words(v) for v in values] if code else values, count, "item")


def main_points(view: Overview) -> MainPoints:
    """How many match, the most common instrument, actor, document and model country."""
    chosen, points = view.chosen, MainPoints()
    points.add(
        "{n} from {d} match{filters}.",
        rows=chosen,
        sources=view.sources,
        n=plural(len(chosen), "recommendation or commitment", "recommendations and commitments"),
        d=plural(chosen["source_id"].nunique(), "document"),
        filters="" if view.theme == "all" else f" the theme “{view.theme}”",
    )
    if chosen.empty:
        points.add("No item matches these filters, so there are no counts to compare.")
        return points
    points.add(
        "The most common policy instrument is {top}.", top=_top(view, "instrument", code=True)
    )
    points.add("Most often asked to act: {top}.", top=_top(view, "actor"))
    points.add("The document with most of them: {top}.", top=_top(view, "document"))
    cited, n = analysis.most_common(chosen, "comparator_countries", split=True)
    points.add(
        "{text}",
        text=f"Country most often held up as a model: {tie_words(cited, n, 'item')}."
        if cited
        else "No country is held up as a model in these items.",
    )
    return points


def instrument_chart(view: Overview) -> Chart | None:
    """Matching items by policy instrument (None when nothing matches)."""
    if view.chosen.empty:
        return None
    counts = analysis.count_with_sources(view.chosen, "instrument")
    fig = charts.bar_chart(
        charts.count_rows(
            counts.assign(instrument=counts["instrument"].map(words)),
            view.sources,
            label="instrument",
        ),
        "Recommendations and commitments by policy instrument",
        None,
        x_title="number of items",
        unit="items",
    )
    return Chart(fig, "Each item is classified under one policy instrument.")


def document_chart(view: Overview) -> Chart | None:
    """Matching items by document (None when nothing matches)."""
    if view.chosen.empty:
        return None
    counts = analysis.count_with_sources(view.chosen, "document")
    fig = charts.bar_chart(
        charts.count_rows(counts, view.sources, label="document"),
        "Items by document",
        None,
        x_title="number of items",
        unit="items",
    )
    return Chart(fig, "How many of the matching items each document contains.")


def items_table(view: Overview) -> Table:
    """Every matching item with its theme, actor, instrument, summary and source."""
    return Table(
        view.chosen,
        {
            "theme": "Theme",
            "actor": "Actor",
            "instrument": "Instrument",
            "summary": "Summary (our words)",
        },
        caption=plural(len(view.chosen), "item"),
        sources=view.sources,
    )


def briefing(view: Overview) -> Brief:
    """How many match and the most common instrument, the country's roles, the first items."""
    chosen = view.chosen
    brief = Brief(
        "Briefing: recommendations" + ("" if view.theme == "all" else f" on {view.theme}")
    )
    if chosen.empty:
        return brief.para("No recommendation or commitment matches these filters.")
    brief.para(
        "{n} from {d} match; the most common instrument is {top}.",
        n=plural(len(chosen), "item"),
        d=plural(chosen["source_id"].nunique(), "document"),
        top=_top(view, "instrument", code=True),
    )
    if view.country != "all":
        brief.para(
            "{country} is cited as a comparator in {a} and as a partner in {b} of them.",
            country=view.country,
            a=len(analysis.mentions(chosen, ["comparator_countries"], view.country)),
            b=len(analysis.mentions(chosen, ["partner_countries"], view.country)),
        )
    first = chosen.head(FIRST)
    brief.para("The first {n} in document order:", n=plural(len(first), "item"))
    for _, row in first.iterrows():
        brief.bullet("{summary} ({doc})", summary=row["summary"], doc=row["document"])
    return brief.cite(first, view.sources)
