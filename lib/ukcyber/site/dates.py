"""The dates a report page prints, each saying what it means.

A reader who quotes a page needs four different dates, never one "as of" that mixes them:

- the years its figures cover (``2017–2024; forecasts to 2030``), from the figures it shows;
- when its data last changed (curation: the day the tables it read got their current content);
- when its own sources were published (only the sources it cites: ``5 September 2019`` on the
  norms page, not the newest source of the whole site);
- when it was built.

The build knows when the data changed and when it built the page; the page knows its figures
and its sources. :class:`PageDates` carries what the build passes; :func:`page_dates_words`
fills in the rest from the page and puts every date in words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ukcyber.citations import date_words

YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
FORWARD = ("forecast", "target")


@dataclass(frozen=True)
class PageDates:
    """What the build knows about a report page's dates (any may be empty).

    ``built`` is the build time (``2026-12-02 13:19 UTC`` or already in words);
    ``data_changed`` when the tables the report read last changed (ISO date or words);
    ``years`` and ``sources_published``, when given, override what the page's own figures and
    sources say.
    """

    built: str = ""
    data_changed: str = ""
    years: str = ""
    sources_published: str = ""

    @classmethod
    def from_meta(cls, meta: Mapping[str, str] | None) -> PageDates:
        """From the header entries the build used to pass ("Data as of", "Built"). A site-wide
        "Latest source published" is dropped: the page states its own sources' dates."""
        meta = meta or {}
        return cls(built=meta.get("Built", ""), data_changed=meta.get("Data as of", ""))


def _when(stamp: str) -> str:
    from ukcyber.formatting import day_words, when_words

    text = (stamp or "").strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return day_words(text)
    return when_words(text) if re.match(r"\d{4}-\d{2}-\d{2}[ T]\d", text) else text


def years_words(rows: Iterable[Mapping[str, Any]]) -> str:
    """The years figures cover: ``2017–2024``, ``2019``, with ``forecasts to 2030`` when
    forecasts or targets look further ahead; empty when no figure is dated."""
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
    """When a page's sources were published: one date, or the earliest to the latest
    (``September 2019 to March 2025``); undated sources are left out."""
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
    dates: PageDates, rows: Iterable[Mapping[str, Any]], source_dates: Iterable[str]
) -> list[tuple[str, str]]:
    """The header entries of a report page, in the order a reader needs them."""
    out = []
    years = dates.years or years_words(rows)
    if years:
        out.append(("Figures for", years))
    if dates.data_changed:
        out.append(("Data last changed", _when(dates.data_changed)))
    published = dates.sources_published or sources_words(source_dates)
    if published:
        out.append(("Sources published", published))
    if dates.built:
        out.append(("Built", _when(dates.built)))
    return out
