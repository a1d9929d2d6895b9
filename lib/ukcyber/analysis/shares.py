"""Shares and gaps: concentration, bounds of shares, the unstated rest, gaps between places."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from ukcyber.analysis.series import EXACT_QUALIFIERS


def concentration_index(shares: pd.Series) -> float:
    """Herfindahl–Hirschman index (0–10,000) of percentage shares; 10,000 = one holder of all."""
    return float(((shares / 100) ** 2).sum() * 10_000)


def share_bounds(rows: pd.DataFrame) -> pd.DataFrame:
    """Lower and upper bounds of each share row, honouring its qualifier and ``n_regions``.

    ``less_than 1`` for eight regions gives each region [0, 1) and the group [0, 8).
    """
    out = rows.copy()
    n = out["n_regions"].fillna(1) if "n_regions" in out.columns else 1
    value = out["value"]
    lower = value.where(~out["qualifier"].isin(["less_than", "at_most"]), 0.0)
    upper = value.where(~out["qualifier"].isin(["more_than", "at_least"]), 100.0)
    out["lower_each"], out["upper_each"] = lower, upper
    out["lower_total"], out["upper_total"] = lower * n, (upper * n).clip(upper=100)
    return out


def unaccounted_share(rows: pd.DataFrame) -> tuple[float, float]:
    """Range of the share not covered by the given non-overlapping rows, in percent."""
    bounded = share_bounds(rows)
    low = max(0.0, 100 - float(bounded["upper_total"].sum()))
    high = max(0.0, 100 - float(bounded["lower_total"].sum()))
    return low, high


def gap(a: float, b: float) -> dict[str, float]:
    """Absolute and relative gap of ``a`` over ``b`` (relative in percent of ``b``)."""
    return {"absolute": a - b, "relative_pct": (a - b) / b * 100 if b else math.nan}


def rest_of_uk(shares: pd.DataFrame, label: str = "Rest of the UK (not stated)") -> pd.DataFrame:
    """A derived row for the share the stated regional rows leave unaccounted for.

    Its value is the upper end of the range (qualifier ``at_most``), ``lower`` holds the lower
    end, and ``as_printed`` says it is derived; provenance is that of the first stated row.
    """
    low, high = unaccounted_share(shares)
    first = shares.iloc[0]
    row = {column: first[column] for column in shares.columns}
    row.update(
        geography=label,
        value=high,
        lower=low,
        qualifier="at_most",
        as_printed=f"between {low:g}% and {high:g}% (derived)",
        locator="derived",
        section="",
        n_regions=1,
    )
    return pd.DataFrame([row])


@dataclass(frozen=True)
class Comparison:
    """A gap between two figures of one year (``higher`` minus ``lower``)."""

    higher: pd.Series
    lower: pd.Series
    absolute: float
    relative_pct: float

    @property
    def year(self) -> int:
        """The year both figures are for (the higher figure's year)."""
        return int(self.higher["year"])


def _compare(a: pd.Series, b: pd.Series) -> Comparison:
    high, low = (a, b) if a["value"] >= b["value"] else (b, a)
    g = gap(float(high["value"]), float(low["value"]))
    return Comparison(high, low, g["absolute"], g["relative_pct"])


def top_gaps(rows: pd.DataFrame) -> list[Comparison]:
    """For each year with two or more exact figures: the highest against each of the others."""
    exact = rows[rows["qualifier"].isin(EXACT_QUALIFIERS)]
    out = []
    for _, year_rows in exact.sort_values("year").groupby("year", sort=True):
        ordered = year_rows.sort_values(["value", "geography"], ascending=[False, True])
        top = ordered.iloc[0]
        out += [_compare(top, other) for _, other in ordered.iloc[1:].iterrows()]
    return out


def region_gap(rows: pd.DataFrame, region: str) -> Comparison | str:
    """Compare ``region`` with the highest figure of its latest year, or say why it cannot be.

    Returns a :class:`Comparison`, or a sentence naming what is missing (a comparison that
    cannot be made is stated, never silently dropped).
    """
    exact = rows[rows["qualifier"].isin(EXACT_QUALIFIERS)]
    mine = exact[exact["geography"] == region]
    if mine.empty:
        return f"No figure for {region} in these sources, so no comparison with other regions."
    year = int(mine["year"].max())
    same_year = exact[exact["year"] == year].sort_values(
        ["value", "geography"], ascending=[False, True]
    )
    others = same_year[same_year["geography"] != region]
    if others.empty:
        return (
            f"No other region has a {year} figure in these sources, so {region} cannot be compared."
        )
    row = mine[mine["year"] == year].iloc[0]
    return _compare(row, others.iloc[0])
