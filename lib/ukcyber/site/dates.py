"""The dates a report page prints, each saying what it means.

A reader who quotes a page needs four different dates, never one "as of" that mixes them:

- the years its figures cover (``2017–2024; forecasts to 2030``), from the figures it shows;
- when its data last changed (curation: the day the tables it read got their current content);
- when its own sources were published (only the sources it cites: ``5 September 2019`` on the
  norms page, not the newest source of the whole site);
- when it was built.

The build passes what it knows as one typed value (:class:`ukcyber.pagedates.PageDates`: the
tables read and when each changed, the sources cited with their dates, the build time); the
page knows its own figures. :func:`page_dates_words` puts every date in words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from ukcyber.citations import date_words
from ukcyber.pagedates import PageDates

YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
FORWARD = ("forecast", "target")


def _when(stamp: str) -> str:
    from ukcyber.formatting import day_words, when_words

    text = (stamp or "").strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return day_words(text)
    return when_words(text) if re.match(r"\d{4}-\d{2}-\d{2}[ T]\d", text) else text


def years_words(rows: Iterable[Mapping[str, Any]]) -> str:
    """The years figures cover: ``2017–2024``, ``2019``; empty when no figure is dated.

    ``forecasts to 2030`` is added when forecasts or targets look further ahead.
    """
    seen: list[int] = []
    ahead: list[int] = []
    for row in rows:
        years = [int(y) for y in YEAR.findall(str(row.get("period", "") or ""))]
        (ahead if str(row.get("basis", "")) in FORWARD else seen).extend(years)
    if not seen and not ahead:
        return ""
    text = _span(seen) if seen else ""
    later = [y for y in ahead if not seen or y > max(seen)]
    if later:
        forward = f"forecasts and targets to {max(later)}"
        text = f"{text}; {forward}" if text else forward
    return text


def _span(years: list[int]) -> str:
    low, high = min(years), max(years)
    return str(low) if low == high else f"{low}–{high}"


def sources_words(dates: Iterable[str]) -> str:
    """When a page's sources were published: one date, or the earliest to the latest.

    For example ``September 2019 to March 2025``; undated sources are left out.
    """
    known = sorted(
        (d.strip() for d in dates if d and YEAR.search(d)), key=lambda d: (YEAR.findall(d)[0], d)
    )
    if not known:
        return ""
    first, last = date_words(_iso(known[0])), date_words(_iso(known[-1]))
    return first if first == last else f"{first} to {last}"


def _iso(date: str) -> str:
    return date.removeprefix("c. ").strip()


def page_dates_words(
    dates: PageDates | None, rows: Iterable[Mapping[str, Any]], source_dates: Iterable[str] = ()
) -> list[tuple[str, str]]:
    """The header entries of a report page, in the order a reader needs them.

    The years come from the page's own figures (so forecasts are said apart), else from
    ``dates.years``; the sources' dates from ``dates.sources``, else from the page's.
    """
    out = []
    years = years_words(rows)
    if not years and dates is not None and dates.years:
        years = _span(list(dates.years))
    if years:
        out.append(("Figures for", years))
    if dates is not None and dates.data_changed_at:
        out.append(("Data last changed", _when(dates.data_changed_at[:10])))
    cited = [s.published for s in dates.sources] if dates is not None and dates.sources else []
    published = sources_words(cited or list(source_dates))
    if published:
        out.append(("Sources published", published))
    if dates is not None and dates.built_at:
        out.append(("Built", _when(dates.built_at)))
    return out
