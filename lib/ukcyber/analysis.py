"""Analysis helpers shared by the notebooks: series selection, growth, CAGR, shares, gaps.

Functions take and return plain DataFrames/Series so they are easy to test and to reuse.
"""

from __future__ import annotations

import math

import pandas as pd

from ukcyber.data import split_list
from ukcyber.errors import ParameterError
from ukcyber.params import choice

OFFICIAL_KINDS = {"official_statistics", "press_report_of_official_statistics"}
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


def mentions(table: pd.DataFrame, columns: list[str], name: str) -> pd.DataFrame:
    """Rows where ``name`` is one of the semicolon-separated entries of any of ``columns``."""
    mask = pd.Series(False, index=table.index)
    for column in columns:
        mask |= table[column].map(lambda cell: name in split_list(cell))
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


def count_by(table: pd.DataFrame, column: str, *, split: bool = False) -> pd.DataFrame:
    """Count rows per value of ``column`` (per entry of a semicolon list when ``split``)."""
    values = table[column].map(split_list).explode().dropna() if split else table[column]
    counts = values.value_counts().rename_axis(column).reset_index(name="count")
    return counts.sort_values(["count", column], ascending=[False, True]).reset_index(drop=True)
