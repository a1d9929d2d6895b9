"""Checks of the figures themselves.

They cover ranges, counts, shares that add up, one unit per metric, change spans and calendar years.
"""

from __future__ import annotations

import pandas as pd

from ukcyber.checks.common import Files, Tables, csv_line, dated_tables, figure_tables, period_span
from ukcyber.errors import Problem
from ukcyber.units import COUNT_UNITS

SHARE_TOLERANCE = 0.5
"""Percentage points allowed above 100 when rounded shares are summed."""


def percent_range(tables: Tables, files: Files) -> list[Problem]:
    """Every value with unit ``percent`` lies within 0–100."""
    problems = []
    for name, table in figure_tables(tables).items():
        bad = table[(table["unit"] == "percent") & ~table["value"].between(0, 100)]
        for index, row in bad.iterrows():
            found = f"{row['value']:g} percent"
            problems.append(
                Problem(files[name], csv_line(index), "value", found, "a value in 0–100")
            )
    return problems


def non_negative_counts(tables: Tables, files: Files) -> list[Problem]:
    """Counts (firms, people, deals, ...) and ranks are never negative."""
    problems = []
    for name, table in figure_tables(tables).items():
        units = table["unit"].isin(COUNT_UNITS | {"rank"})
        for index, row in table[units & (table["value"] < 0)].iterrows():
            found = f"{row['value']:g} {row['unit']}"
            problems.append(
                Problem(files[name], csv_line(index), "value", found, "a count of 0 or more")
            )
    return problems


def shares_sum(tables: Tables, files: Files) -> list[Problem]:
    """Regional shares of one measure, period and source add up to at most 100 (+ tolerance).

    A row covering several regions each (``n_regions`` > 1) counts once per region.
    """
    problems = []
    for name, table in figure_tables(tables).items():
        if "n_regions" not in table.columns:
            continue
        shares = table[(table["unit"] == "percent") & table["metric"].str.endswith("_share")]
        weighted = shares["value"] * shares["n_regions"].fillna(1)
        for key, group in weighted.groupby(
            [shares["metric"], shares["period"], shares["source_id"]]
        ):
            total = float(group.sum())
            if total > 100 + SHARE_TOLERANCE:
                lines = ", ".join(str(csv_line(i)) for i in group.index)
                found = f"shares of {key[0]} for {key[1]} ({key[2]}) summing to {total:g} (lines {lines})"
                problems.append(
                    Problem(
                        files[name],
                        csv_line(group.index[0]),
                        "value",
                        found,
                        f"a total of at most {100 + SHARE_TOLERANCE:g}",
                    )
                )
    return problems


def one_unit_per_metric(tables: Tables, files: Files) -> list[Problem]:
    """Each row's unit and scale are the ones ``metrics.csv`` declares for its metric."""
    metrics = tables.get("metrics")
    if metrics is None:
        return []
    declared = metrics.set_index("metric")[["unit", "scale"]].to_dict("index")
    problems = []
    for name, table in figure_tables(tables).items():
        if name == "metrics":
            continue
        for index, row in table.iterrows():
            want = declared.get(row["metric"])
            if want is None:
                continue
            for column in ("unit", "scale"):
                if column in table.columns and row[column] != want[column]:
                    problems.append(
                        Problem(
                            files[name],
                            csv_line(index),
                            column,
                            repr(row[column]),
                            f"{want[column]!r}, the {column} metrics.csv gives {row['metric']}",
                        )
                    )
    return problems


def change_spans(tables: Tables, files: Files) -> list[Problem]:
    """A change metric spans the years ``metrics.csv`` declares, so charts never mix spans.

    A single-year period is a one-year change; ``2017-2019`` is a two-year change. A
    ``percent_change`` metric with dated rows must declare its span.
    """
    metrics = tables.get("metrics")
    if metrics is None or "span_years" not in metrics.columns:
        return []
    declared = metrics.set_index("metric")
    problems = []
    for name, table in dated_tables(tables).items():
        for index, row in table.iterrows():
            span = period_span(row["period"])
            if span is None or row["metric"] not in declared.index:
                continue
            want = declared.at[row["metric"], "span_years"]
            years = max(span[1] - span[0], 1)
            if pd.isna(want):
                if declared.at[row["metric"], "unit"] == "percent_change":
                    found = f"{row['metric']!r}, a change metric with no span_years"
                    expected = "a span_years in metrics.csv for every change metric with dated rows"
                    problems.append(
                        Problem(files[name], csv_line(index), "metric", found, expected)
                    )
            elif years != int(want):
                found = f"{row['period']!r}, a {years}-year change"
                expected = f"a {int(want)}-year period, the span metrics.csv gives {row['metric']}"
                problems.append(Problem(files[name], csv_line(index), "period", found, expected))
    return problems


def calendar_years(tables: Tables, files: Files) -> list[Problem]:
    """A value in unit ``year`` (a deadline or target date) is the row's own ``year``."""
    problems = []
    for name, table in dated_tables(tables).items():
        for index, row in table[table["unit"] == "year"].iterrows():
            if pd.isna(row["year"]) or row["value"] != row["year"]:
                found = f"{row['value']:g} for a calendar year in period {row['period']!r}"
                expected = "the row's year (durations use the unit years)"
                problems.append(Problem(files[name], csv_line(index), "value", found, expected))
    return problems


def cumulative_periods(tables: Tables, files: Files) -> list[Problem]:
    """A cumulative total never shares a metric with rows of one period each.

    A period such as ``2016-2019 cumulative`` is a sum over years: beside annual rows of the same
    metric, a chart by year would draw it as one more year's figure.
    """
    problems = []
    for name, table in dated_tables(tables).items():
        cumulative = table["period"].str.contains(r"\bcumulative\b", case=False, regex=True)
        for metric, group in table.groupby("metric", sort=False):
            single = group.index[~cumulative[group.index]]
            if single.empty:
                continue
            lines = ", ".join(str(csv_line(i)) for i in single[:3])
            for index in group.index[cumulative[group.index]]:
                found = f"{table.at[index, 'period']!r}, a cumulative total in {metric}, whose rows at lines {lines} are for one period each"
                expected = (
                    "a metric of its own for the cumulative total (such as <metric>_cumulative)"
                )
                problems.append(Problem(files[name], csv_line(index), "metric", found, expected))
    return problems
