"""Valid parameter values read from the data: regions, themes, countries, series, and labels.

Notebooks validate their parameters against these lists and ``reports.toml`` uses them as grid
axes (``region = "data:regions"``), so a new region or country in the data appears in both.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from ukcyber.data import load, split_list

UK_PLACE_TYPES = {"nation", "itl1_region", "county", "city"}
"""Geography types that are single places of the UK (as opposed to groupings of them)."""

TYPE_LABELS = {
    "world": "world",
    "world_region": "world region",
    "country": "country",
    "country_group": "group of countries",
    "nation": "nation",
    "itl1_region": "ITL1 region",
    "county": "county",
    "city": "city",
    "grouping": "grouping",
    "not_stated": "not stated",
}
"""Reader-facing words for each geography type."""

LABELLED_TYPES = {"grouping", "county", "city"}
"""Types named in labels, so a grouping or a city is never read as a region."""


def _uk_geographies() -> pd.DataFrame:
    """Geographies inside the UK (by their parent chain), the UK itself excluded."""
    geographies = load("geographies")
    parents = dict(zip(geographies["name"], geographies["parent"], strict=True))

    def inside_uk(name: str) -> bool:
        seen: set[str] = set()
        place = parents.get(name, "")
        while place and place not in seen:
            if place == "UK":
                return True
            seen.add(place)
            place = parents.get(place, "")
        return False

    return geographies[geographies["name"].map(inside_uk)]


def _with_own_figures() -> set[str]:
    """Geographies with at least one regional row of their own (not a value for each of several)."""
    table = load("regional")
    return set(table.loc[table["n_regions"] == 1, "geography"])


def regions() -> list[str]:
    """UK nations, ITL1 regions, counties and cities with a regional figure of their own.

    Groupings of regions (``London and the South East``) are listed by
    :func:`region_groupings`, never mixed in here.
    """
    inside = _uk_geographies()
    places = inside.loc[inside["type"].isin(UK_PLACE_TYPES), "name"]
    return sorted(set(places) & _with_own_figures())


def region_groupings() -> list[str]:
    """Groupings of UK regions (e.g. ``London and the South East``) with figures of their own."""
    inside = _uk_geographies()
    groupings = inside.loc[inside["type"] == "grouping", "name"]
    return sorted(set(groupings) & _with_own_figures())


def regional_geographies() -> list[str]:
    """Every valid regional briefing: the places of :func:`regions` and the groupings."""
    return sorted(regions() + region_groupings())


def geography_type(name: str) -> str:
    """The type of a geography (``grouping``, ``itl1_region``, ``nation``, ``city``, ...).

    Raises
    ------
    KeyError
        If ``name`` is not in geographies.csv (the valid names are listed).
    """
    types = load("geographies").set_index("name")["type"]
    if name not in types.index:
        valid = ", ".join(sorted(types.index))
        raise KeyError(f"unknown geography {name!r}; valid geographies: {valid}")
    return str(types[name])


def geography_label(name: str) -> str:
    """Name for titles and legends: a grouping, county or city says so.

    ``London and the South East`` → ``London and the South East (grouping)``; ``Belfast`` →
    ``Belfast (city)``; ITL1 regions, nations and countries keep their plain name.
    """
    kind = geography_type(name)
    return f"{name} ({TYPE_LABELS[kind]})" if kind in LABELLED_TYPES else name


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


def ranked_countries() -> list[str]:
    """Countries with a stated cyber power index rank.

    A notebook about ranks offers only these; ``countries()`` also names groupings such as ASEAN,
    which no index ranks.
    """
    ranks = load("cyber_power_rankings")
    stated = ranks["preferred"].fillna(False).astype(bool) & ranks["rank"].notna()
    return sorted(set(ranks.loc[stated, "country"]))


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
    "region_groupings": region_groupings,
    "themes": themes,
    "instruments": instruments,
    "actors": actors,
    "countries": countries,
    "partner_countries": partner_countries,
    "ranked_countries": ranked_countries,
    "major_themes": major_themes,
    "series": series,
}
