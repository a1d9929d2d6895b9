"""Cross-table checks that a per-table schema cannot express.

Each check takes the typed tables (name -> DataFrame) and their file names and returns a list of
:class:`ukcyber.errors.Problem`. They run after the Frictionless schema pass succeeds, so types,
required fields, enums and foreign keys can be relied on here.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from ukcyber.errors import Problem
from ukcyber.units import COUNT_UNITS

Tables = dict[str, pd.DataFrame]
Files = dict[str, str]

SHARE_TOLERANCE = 0.5
"""Percentage points allowed above 100 when rounded shares are summed."""


def _line(index: int) -> int:
    """CSV line of a 0-based DataFrame row (the header is line 1)."""
    return int(index) + 2


def _figure_tables(tables: Tables) -> dict[str, pd.DataFrame]:
    return {n: t for n, t in tables.items() if {"metric", "value", "unit"} <= set(t.columns)}


def percent_range(tables: Tables, files: Files) -> list[Problem]:
    """Every value with unit ``percent`` lies within 0–100."""
    problems = []
    for name, table in _figure_tables(tables).items():
        bad = table[(table["unit"] == "percent") & ~table["value"].between(0, 100)]
        for index, row in bad.iterrows():
            found = f"{row['value']:g} percent"
            problems.append(Problem(files[name], _line(index), "value", found, "a value in 0–100"))
    return problems


def non_negative_counts(tables: Tables, files: Files) -> list[Problem]:
    """Counts (firms, people, deals, ...) and ranks are never negative."""
    problems = []
    for name, table in _figure_tables(tables).items():
        units = table["unit"].isin(COUNT_UNITS | {"rank"})
        for index, row in table[units & (table["value"] < 0)].iterrows():
            found = f"{row['value']:g} {row['unit']}"
            problems.append(
                Problem(files[name], _line(index), "value", found, "a count of 0 or more")
            )
    return problems


def shares_sum(tables: Tables, files: Files) -> list[Problem]:
    """Regional shares of one measure, period and source add up to at most 100 (+ tolerance).

    A row covering several regions each (``n_regions`` > 1) counts once per region.
    """
    problems = []
    for name, table in _figure_tables(tables).items():
        if "n_regions" not in table.columns:
            continue
        shares = table[(table["unit"] == "percent") & table["metric"].str.endswith("_share")]
        weighted = shares["value"] * shares["n_regions"].fillna(1)
        for key, group in weighted.groupby(
            [shares["metric"], shares["period"], shares["source_id"]]
        ):
            total = float(group.sum())
            if total > 100 + SHARE_TOLERANCE:
                lines = ", ".join(str(_line(i)) for i in group.index)
                found = f"shares of {key[0]} for {key[1]} ({key[2]}) summing to {total:g} (lines {lines})"
                problems.append(
                    Problem(
                        files[name],
                        _line(group.index[0]),
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
    for name, table in _figure_tables(tables).items():
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
                            _line(index),
                            column,
                            repr(row[column]),
                            f"{want[column]!r}, the {column} metrics.csv gives {row['metric']}",
                        )
                    )
    return problems


def unique_observations(tables: Tables, files: Files) -> list[Problem]:
    """No two rows give the same (series, metric, period, geography, source) observation."""
    problems = []
    for name, table in _figure_tables(tables).items():
        if name == "metrics" or "period" not in table.columns:
            continue
        key = [c for c in ("series", "norm_id", "metric", "period", "geography", "source_id")]
        key = [c for c in key if c in table.columns]
        duplicated = table[table.duplicated(key, keep=False)]
        for _, group in duplicated.groupby(key, sort=False):
            first = _line(group.index[0])
            for index in group.index[1:]:
                found = f"the same {'/'.join(key)} as line {first}"
                problems.append(
                    Problem(files[name], _line(index), "metric", found, "one row per observation")
                )
    return problems


CHECKS: dict[str, Callable[[Tables, Files], list[Problem]]] = {
    "percent_range": percent_range,
    "non_negative_counts": non_negative_counts,
    "shares_sum": shares_sum,
    "one_unit_per_metric": one_unit_per_metric,
    "unique_observations": unique_observations,
}


def run_checks(tables: Tables, files: Files) -> list[Problem]:
    """Run every cross-table check and return all problems found."""
    return [problem for check in CHECKS.values() for problem in check(tables, files)]
