"""What every cross-table check shares.

That is the tables, where a row is in its file, and the years a period names.
"""

from __future__ import annotations

import re

import pandas as pd

Tables = dict[str, pd.DataFrame]


Files = dict[str, str]


def csv_line(index: int) -> int:
    """CSV line of a 0-based DataFrame row (the header is line 1)."""
    return int(index) + 2


def figure_tables(tables: Tables) -> dict[str, pd.DataFrame]:
    """The tables that hold figures (those with ``metric``, ``value`` and ``unit`` columns)."""
    return {n: t for n, t in tables.items() if {"metric", "value", "unit"} <= set(t.columns)}


YEAR = re.compile(r"(?<!\d)(\d{4})(?:[-/](\d{2}))?(?!\d)")
"""A calendar year, optionally with a two-digit end year (``2020/21``, ``2023-24``)."""


def years_in(text: str) -> list[int]:
    """Every year ``text`` names, with both years of a span such as ``2020/21``."""
    years = []
    for match in YEAR.finditer(text):
        year = int(match.group(1))
        years.append(year)
        if match.group(2):
            years.append(year // 100 * 100 + int(match.group(2)))
    return years


def period_span(period: str) -> tuple[int, int] | None:
    """First and last calendar year a ``period`` names, or None when it names none.

    Text in parentheses is commentary and is ignored (``2019 (at publication)``); ``before
    January 2018`` ends in 2017; ``2020/21`` spans 2020 to 2021.
    """
    text = re.sub(r"\([^)]*\)", " ", str(period))
    years = years_in(text)
    if not years:
        return None
    if re.search(r"\bbefore\b", text, re.IGNORECASE):
        return min(years) - 1, min(years) - 1
    return min(years), max(years)


def dated_tables(tables: Tables) -> dict[str, pd.DataFrame]:
    """The figure tables that also date each figure (``period`` and ``year`` columns)."""
    return {n: t for n, t in figure_tables(tables).items() if {"period", "year"} <= set(t.columns)}
