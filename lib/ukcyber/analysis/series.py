"""Yearly series: selecting rows, the preferred figure per year, growth and bounded CAGR."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from ukcyber.errors import ParameterError
from ukcyber.formatting import format_value
from ukcyber.kinds import OFFICIAL_PUBLICATION_KINDS, PRESS_REPORT
from ukcyber.params import choice

OFFICIAL_KINDS = OFFICIAL_PUBLICATION_KINDS | {PRESS_REPORT}
"""Official publications and press reports of them: preferred over other kinds in a tie."""


EXACT_QUALIFIERS = {"exact", "approximately"}


def select(table: pd.DataFrame, **criteria: object) -> pd.DataFrame:
    """Rows of ``table`` whose columns equal the given values; ``"all"`` means no filter.

    Raises
    ------
    ParameterError
        If a value is not present in its column (the valid values are listed).
    KeyError
        If a criterion names a column the table does not have.
    """
    mask = pd.Series(True, index=table.index)
    for column, value in criteria.items():
        if column not in table.columns:
            raise KeyError(f"column {column!r} not in table; columns: {', '.join(table.columns)}")
        if value == "all":
            continue
        present = table[column].dropna().unique()
        if isinstance(value, str) or table[column].dtype == "string":
            choice(column, value, present)
        elif value not in set(present):
            valid = ", ".join(str(v) for v in sorted(present))
            raise ParameterError(
                f"parameter {column}={value!r} is not valid; valid values: {valid}"
            )
        mask &= table[column] == value
    return table[mask]


def _single_years(table: pd.DataFrame, metric: str, geography: str) -> pd.DataFrame:
    """Observed rows of one metric and place whose period is a single year (``2019 (year-end)``)."""
    return table[
        (table["metric"] == metric)
        & (table["geography"] == geography)
        & (table["basis"] == "observed")
        & table["year"].notna()
        & table["period"].str.fullmatch(r"\d{4}( \(.*\))?")
    ]


def headline_series(
    table: pd.DataFrame,
    metric: str,
    sources: pd.DataFrame,
    *,
    geography: str = "UK",
) -> pd.DataFrame:
    """One row per year for ``metric``: the preferred observed figure of that year.

    Only single-year periods count (``2019``, ``2019 (year-end)``), not ranges or cumulative
    totals. When the table has a ``preferred`` column (every curated figure table does), only
    preferred rows are candidates: the data's checks keep exactly one per observation, and
    :func:`alternatives` returns the others. Remaining ties (two period texts for one year, or a
    table without the column) go, in order, to official statistics (or press reports of them)
    over other kinds, exact figures over bounds, and the latest edition.
    """
    kinds = sources.set_index("source_id")["kind"]
    rows = _single_years(table, metric, geography).copy()
    if "preferred" in rows.columns:
        rows = rows[rows["preferred"].fillna(False).astype(bool)]
    if rows.empty:
        return rows
    rows["official"] = rows["source_id"].map(kinds).isin(OFFICIAL_KINDS)
    rows["exactish"] = rows["qualifier"].isin(EXACT_QUALIFIERS)
    rows = rows.sort_values(
        ["year", "official", "exactish", "edition", "id"],
        ascending=[True, False, False, False, True],
    )
    best = rows.drop_duplicates("year", keep="first")
    return best.drop(columns=["official", "exactish"]).reset_index(drop=True)


def alternatives(table: pd.DataFrame, metric: str, *, geography: str = "UK") -> pd.DataFrame:
    """The non-preferred single-year rows of ``metric``, each with the id it gives way to.

    Charts draw :func:`headline_series` as the line and these as separately marked points, so a
    repeat, a rounded restatement or a second-hand citation stays visible without being joined
    into the series. ``preferred_id`` is the preferred row of the same observation (series,
    metric, period, geography); ``not_preferred_because`` says why.
    """
    key = [c for c in ("series", "metric", "period", "geography") if c in table.columns]
    rows = _single_years(table, metric, geography)
    preferred = rows["preferred"].fillna(False).astype(bool)
    winners = {tuple(r[k] for k in key): r["id"] for _, r in rows[preferred].iterrows()}
    out = rows[~preferred].copy()
    out["preferred_id"] = [winners.get(tuple(r[k] for k in key), "") for _, r in out.iterrows()]
    return out.sort_values(["year", "id"]).reset_index(drop=True)


def growth(series: pd.DataFrame, *, value: str = "value", year: str = "year") -> pd.DataFrame:
    """Add year-on-year ``change`` and ``growth_pct`` (annualised over gaps between years)."""
    out = series.sort_values(year).reset_index(drop=True).copy()
    previous_value = out[value].shift()
    gap = out[year] - out[year].shift()
    out["change"] = out[value] - previous_value
    out["growth_pct"] = ((out[value] / previous_value) ** (1 / gap) - 1) * 100
    return out


def cagr(first: float, last: float, years: float) -> float:
    """Compound annual growth rate in percent between two values ``years`` apart.

    Raises
    ------
    ValueError
        If ``years`` is not positive or either value is not positive.
    """
    if years <= 0:
        raise ValueError(f"CAGR needs a positive number of years, got {years}")
    if first <= 0 or last <= 0:
        raise ValueError(f"CAGR needs positive values, got {first} and {last}")
    return (math.pow(last / first, 1 / years) - 1) * 100


LOWER_BOUNDS = {"more_than": True, "at_least": False}

"""Qualifiers saying the true value is above the stated one (value: whether strictly)."""


UPPER_BOUNDS = {"less_than": True, "at_most": False}

"""Qualifiers saying the true value is below the stated one (value: whether strictly)."""


def derived_qualifier(first: str, last: str) -> str | None:
    """Qualifier of a growth rate computed from a first and a last figure, or None.

    A lower bound on the first figure ("more than £3.7bn") or an upper bound on the last one
    makes the growth an upper bound (``less_than``/``at_most``); the opposite bounds make it a
    lower bound. Bounds pulling both ways leave the growth unknown (None). Without bounds the
    growth is ``exact``, or ``approximately`` if either figure is approximate.
    """
    directions: set[str] = set()
    strict = False
    for qualifier, is_last in ((first, False), (last, True)):
        if qualifier in LOWER_BOUNDS or qualifier in UPPER_BOUNDS:
            above = qualifier in LOWER_BOUNDS
            directions.add("lower" if above == is_last else "upper")
            strict |= {**LOWER_BOUNDS, **UPPER_BOUNDS}[qualifier]
        elif qualifier not in EXACT_QUALIFIERS:
            return None
    if len(directions) > 1:
        return None
    if directions == {"lower"}:
        return "more_than" if strict else "at_least"
    if directions == {"upper"}:
        return "less_than" if strict else "at_most"
    return "approximately" if "approximately" in (first, last) else "exact"


@dataclass(frozen=True)
class Growth:
    """Compound annual growth between two rows of a yearly series, with its qualifier."""

    first: pd.Series
    last: pd.Series
    rate: float
    qualifier: str

    @property
    def years(self) -> int:
        """Whole years from the first figure to the last, the span the rate is compounded over."""
        return int(self.last["year"]) - int(self.first["year"])

    def words(self) -> str:
        """``12.7%``, ``less than 16.1%``, ``about 18.8%``."""
        return format_value(round(self.rate, 1), "percent", "one", self.qualifier)


def bounded_cagr(series: pd.DataFrame) -> Growth | None:
    """CAGR from the first to the last row of a yearly series, as a bound when a figure is one.

    None when there are fewer than two years, a figure is not positive, or bounds pull both
    ways (then no honest rate can be stated).
    """
    if len(series) < 2:
        return None
    ordered = series.sort_values("year")
    first, last = ordered.iloc[0], ordered.iloc[-1]
    qualifier = derived_qualifier(str(first["qualifier"]), str(last["qualifier"]))
    years = int(last["year"]) - int(first["year"])
    if qualifier is None or years <= 0 or first["value"] <= 0 or last["value"] <= 0:
        return None
    return Growth(first, last, cagr(first["value"], last["value"], years), qualifier)


def window(series: pd.DataFrame, start: int, end: int) -> pd.DataFrame:
    """Rows of a yearly series with ``start <= year <= end``."""
    return series[(series["year"] >= start) & (series["year"] <= end)]


def period_cagr(series: pd.DataFrame) -> float | None:
    """CAGR between the first and last rows of a yearly series (None if under two years)."""
    if len(series) < 2:
        return None
    ordered = series.sort_values("year")
    first, last = ordered.iloc[0], ordered.iloc[-1]
    return cagr(first["value"], last["value"], int(last["year"]) - int(first["year"]))
