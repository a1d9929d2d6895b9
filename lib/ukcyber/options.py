"""Valid parameter values read from the data: regions, themes, countries, series.

Notebooks validate their parameters against these lists and ``reports.toml`` uses them as grid
axes (``region = "data:regions"``), so a new region or country in the data appears in both.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from ukcyber.data import load, split_list


def regions() -> list[str]:
    """Regions, nations and region groups with at least one figure of their own."""
    table = load("regional")
    named = table[(table["n_regions"] == 1) & (table["geography"] != "UK")]
    return sorted(named["geography"].unique())


def themes() -> list[str]:
    """Themes of the recommendations table (the documents' own headings)."""
    return sorted(load("recommendations")["theme"].unique())


def instruments() -> list[str]:
    """Policy instruments used in the recommendations table."""
    return sorted(load("recommendations")["instrument"].unique())


def actors() -> list[str]:
    """Actors named in the recommendations table."""
    return sorted(load("recommendations")["actor"].unique())


def countries() -> list[str]:
    """Every country or grouping named by partnerships, recommendations or rankings."""
    names = set(load("partnerships")["country"])
    recs = load("recommendations")
    for column in ("comparator_countries", "partner_countries"):
        names.update(n for cell in recs[column] for n in split_list(cell))
    names.update(load("cyber_power_rankings")["country"])
    return sorted(names)


def partner_countries(minimum_rows: int = 3) -> list[str]:
    """Countries named in at least ``minimum_rows`` partnership or recommendation rows."""
    names = list(load("partnerships")["country"])
    recs = load("recommendations")
    for column in ("comparator_countries", "partner_countries"):
        names += [n for cell in recs[column] for n in split_list(cell)]
    counts = pd.Series(names).value_counts()
    return sorted(counts[counts >= minimum_rows].index)


def major_themes(minimum_rows: int = 5) -> list[str]:
    """Themes with at least ``minimum_rows`` recommendations (the report grid)."""
    counts = load("recommendations")["theme"].value_counts()
    return sorted(counts[counts >= minimum_rows].index)


def series() -> list[str]:
    """Series of the exports and market table."""
    return sorted(load("exports_and_market")["series"].unique())


OPTIONS: dict[str, Callable[[], list[str]]] = {
    "regions": regions,
    "themes": themes,
    "instruments": instruments,
    "actors": actors,
    "countries": countries,
    "partner_countries": partner_countries,
    "major_themes": major_themes,
    "series": series,
}
