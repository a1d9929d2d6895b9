"""Market estimates: one currency's estimates, the latest shared year, readers' series names."""

from __future__ import annotations

import pandas as pd

from ukcyber.citations import short_title
from ukcyber.formatting import plain_title


def market_estimates(table: pd.DataFrame, currency: str) -> pd.DataFrame:
    """Global market estimates in ``currency`` (billion scale, dated), one series per provider.

    Cumulative totals are left out because they are not yearly sizes.
    """
    rows = table[
        table["metric"].str.startswith("global_")
        & ~table["metric"].str.endswith("_cumulative")
        & (table["unit"] == currency)
        & (table["scale"] == "billion")
        & table["year"].notna()
    ]
    return rows.sort_values(["series", "year", "basis"]).reset_index(drop=True)


def latest_shared_year(rows: pd.DataFrame, by: str = "provider") -> int | None:
    """The latest year with figures from two or more ``by`` values (else the latest year)."""
    if rows.empty:
        return None
    per_year = rows.groupby("year")[by].nunique()
    shared = per_year[per_year >= 2]
    return int(shared.index.max() if len(shared) else per_year.index.max())


def series_labels(
    rows: pd.DataFrame, titles: pd.Series, sources: pd.DataFrame, *, common: str = ""
) -> dict[str, str]:
    """A reader's name for each ``series``: the measure and who produced it.

    When the provider is not stated, the name gives the document quoting it instead. Never the
    internal series id. A measure whose title is ``common`` (already said by the chart's title) is
    left out of the name.
    """
    lookup = {str(r["source_id"]): r for r in sources.to_dict("records")}
    labels: dict[str, str] = {}
    for series, part in rows.groupby("series", sort=False):
        first = part.iloc[0]
        provider = str(first.get("provider", "") or "")
        if not provider or provider == "not stated":
            quoted = short_title(lookup.get(str(first["source_id"]), {}))
            provider = f"provider not stated (quoted in {quoted})"
        measure = plain_title(titles.get(first["metric"], first["metric"]))
        labels[str(series)] = provider if measure == common else f"{measure}, {provider}"
    return _told_apart(labels, rows)


def _told_apart(labels: dict[str, str], rows: pd.DataFrame) -> dict[str, str]:
    """Labels shared by several series, each given the years it covers ("…, 2004", "…, 2030").

    The years are what tell a reader one unnamed provider's figures apart; a number is added only if
    they do not.
    """
    column = "year" if "year" in rows else "period" if "period" in rows else None
    out = dict(labels)
    for label in set(labels.values()):
        shared = [s for s, text in labels.items() if text == label]
        if len(shared) < 2:
            continue
        for series in shared:
            years = (
                sorted({int(y) for y in rows.loc[rows["series"] == series, column]})
                if column
                else []
            )
            span = (
                "" if not years else f"{years[0]}" if len(years) == 1 else f"{years[0]}–{years[-1]}"
            )
            out[series] = f"{label}, {span}" if span else label
    taken: set[str] = set()
    for series, label in out.items():
        n, text = 2, label
        while text in taken:
            text, n = f"{label}, series {n}", n + 1
        out[series] = text
        taken.add(text)
    return out
