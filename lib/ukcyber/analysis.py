"""Analysis helpers shared by the notebooks: series selection, growth, CAGR, shares, gaps.

Functions take and return plain DataFrames/Series so they are easy to test and to reuse.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from ukcyber.citations import short_title
from ukcyber.data import split_list
from ukcyber.errors import ParameterError
from ukcyber.formatting import format_value, plain_title
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


def most_common(table: pd.DataFrame, column: str, *, split: bool = False) -> tuple[list[str], int]:
    """The most frequent value(s) of ``column`` and their count; every tied value is returned."""
    counts = count_by(table, column, split=split)
    if counts.empty:
        return [], 0
    top = int(counts["count"].iloc[0])
    return counts.loc[counts["count"] == top, column].astype(str).tolist(), top


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


def mention_counts(partnerships: pd.DataFrame, recommendations: pd.DataFrame) -> pd.DataFrame:
    """How the documents mention one country: rows ``kind``, ``count`` and ``documents``.

    Kinds: partnerships or programmes (``relation`` partner), citations as a model (comparator)
    and recommendations naming it; every kind is listed, with zero when absent.
    """
    kinds = {
        "partnership or programme": partnerships[partnerships["relation"] == "partner"],
        "cited as a model": partnerships[partnerships["relation"] == "comparator"],
        "recommendation naming it": recommendations,
    }
    return pd.DataFrame(
        [
            {"kind": kind, "count": len(rows), "source_ids": list(dict.fromkeys(rows["source_id"]))}
            for kind, rows in kinds.items()
        ]
    )


def market_estimates(table: pd.DataFrame, currency: str) -> pd.DataFrame:
    """Global market estimates in ``currency`` (billion scale, dated), one series per provider;
    cumulative totals are left out because they are not yearly sizes."""
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


def count_with_sources(table: pd.DataFrame, column: str, *, split: bool = False) -> pd.DataFrame:
    """:func:`count_by` plus ``source_ids``: the documents each count comes from."""
    counts = count_by(table, column, split=split)
    values = table[column].map(split_list) if split else table[column].map(lambda v: [v])
    ids = []
    for value in counts[column]:
        mask = values.map(lambda entries, value=value: value in entries)
        ids.append(list(dict.fromkeys(table.loc[mask, "source_id"])))
    return counts.assign(source_ids=ids)


def series_labels(
    rows: pd.DataFrame, titles: pd.Series, sources: pd.DataFrame, *, common: str = ""
) -> dict[str, str]:
    """A reader's name for each ``series``: the measure and who produced it (or, when the
    provider is not stated, the document quoting it). Never the internal series id. A measure
    whose title is ``common`` (already said by the chart's title) is left out of the name."""
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
    """Labels shared by several series gain the years each covers ("…, 2004", "…, 2030"),
    which is what tells a reader one unnamed provider's figures apart; a number only if not."""
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
