"""Reader-facing citations: which document a figure comes from, what kind it is, where in it.

Internal ids (``source_id``) never reach a reader. A source is named by its short title
(``sources.short_title`` when the column exists, else the title before its first colon) and
date; a figure read in press coverage of official statistics is credited to the official
edition *as reported by* the outlet; a locator is put in words ("line 464 of the text edition").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from ukcyber.formatting import iso_date_words

PRESS_REPORT = "press_report_of_official_statistics"

KIND_WORDS = {
    "official_statistics": "official statistics",
    PRESS_REPORT: "press report of official statistics",
    "think_tank_paper": "think-tank paper",
    "industry_white_paper": "industry white paper",
    "government_strategy": "government strategy",
    "government_publication": "government publication",
    "cluster_study": "regional cluster study",
    "market_research": "market research",
    "trade_association": "trade association publication",
    "index_publication": "report of a cyber power index",
}
"""Each kind of source in words; an unknown kind is called a "source" rather than shown raw."""


@dataclass(frozen=True)
class Source:
    """One document or page as a reader's Sources section lists it."""

    key: str
    title: str
    short_title: str
    publisher: str
    date: str
    licence: str
    kind: str
    url: str


@dataclass(frozen=True)
class Citation:
    """Where one figure or item comes from, in words, with its source."""

    label: str
    where: str
    source: Source

    @property
    def url(self) -> str:
        return self.source.url

    def text(self) -> str:
        """``Cybersecuronomics (September 2023), section “2. Introduction”, line 464 …``."""
        return f"{self.label}, {self.where}" if self.where else self.label

    def to_json(self) -> dict[str, Any]:
        return {"label": self.label, "where": self.where, "source": asdict(self.source)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Citation:
        return cls(data["label"], data["where"], Source(**data["source"]))


def date_words(date: object) -> str:
    """``2023-09`` → ``September 2023``, ``2020-01-29`` → ``29 January 2020``; other text as is."""
    return iso_date_words("" if date is None or pd.isna(date) else str(date))


def kind_words(kind: object) -> str:
    """The kind of a source in words (``think_tank_paper`` → ``think-tank paper``)."""
    return KIND_WORDS.get(str(kind), "source")


def short_title(record: Mapping[str, Any]) -> str:
    """The ``short_title`` column when present and filled, else the title before its colon."""
    short = record.get("short_title")
    if isinstance(short, str) and short.strip():
        return short.strip()
    title = str(record.get("title", "") or "")
    return title.split(":")[0].strip() or title


def locator_words(locator: object, section: object = "") -> str:
    """A locator for a reader: the section, then the line of the text edition or reference list."""
    text = "" if locator is None or pd.isna(locator) else str(locator).strip()
    if match := re.fullmatch(r"reference line (\d+)", text):
        where = f"line {match.group(1)} of our reference list of public figures"
    elif re.fullmatch(r"lines? [\d–-]+", text):
        where = f"{text} of the text edition"
    elif text == "derived":
        where = "derived from the stated figures"
    else:
        where = text
    section_text = "" if section is None or pd.isna(section) else str(section).strip()
    if section_text:
        return f"section “{section_text}”, {where}" if where else f"section “{section_text}”"
    return where


def source_of(record: Mapping[str, Any], key: str = "") -> Source:
    """A :class:`Source` from one row of ``sources``."""

    def field(name: str) -> str:
        value = record.get(name, "")
        return "" if value is None or pd.isna(value) else str(value).strip()

    return Source(
        key=key or field("source_id"),
        title=field("title") or "Unknown source",
        short_title=short_title(record) or "Unknown source",
        publisher=field("publisher"),
        date=date_words(field("date")),
        licence=field("licence"),
        kind=kind_words(field("kind")),
        url=field("url") if field("url").startswith(("https://", "http://")) else "",
    )


def _lookup(sources: pd.DataFrame) -> dict[str, dict[str, Any]]:
    return {str(r["source_id"]): r for r in sources.to_dict("records")}


def cite(row: Mapping[str, Any], sources: pd.DataFrame | dict[str, dict[str, Any]]) -> Citation:
    """The citation of one data row (needs ``source_id``; uses ``locator``, ``section``,
    ``edition`` when present)."""
    table = sources if isinstance(sources, dict) else _lookup(sources)
    key = str(row.get("source_id", ""))
    record = table.get(key, {"title": "Unknown source", "kind": ""})
    source = source_of(record, key)
    edition = row.get("edition", "")
    edition = "" if edition is None or pd.isna(edition) else str(edition).strip()
    if record.get("kind") == PRESS_REPORT:
        official = edition if edition and not edition.isdigit() else "official statistics"
        label = f"{official}, as reported by {source.short_title}"
    else:
        label = f"{source.short_title} ({source.date})" if source.date else source.short_title
    return Citation(label, locator_words(row.get("locator"), row.get("section", "")), source)


def cite_rows(
    rows: pd.DataFrame | Iterable[Mapping[str, Any]], sources: pd.DataFrame
) -> list[Citation]:
    """Citations of every row, each distinct one once, in order of first appearance."""
    records = rows.to_dict("records") if isinstance(rows, pd.DataFrame) else list(rows)
    table = _lookup(sources)
    return list(dict.fromkeys(cite(r, table) for r in records if r.get("source_id")))


def provenance(rows: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Columns ``source``, ``source_url`` and ``locator`` in words for each row (for CSVs)."""
    table = _lookup(sources)
    cites = [cite(r, table) for r in rows.to_dict("records")]
    return pd.DataFrame(
        {
            "source": [c.label for c in cites],
            "source_kind": [c.source.kind for c in cites],
            "source_url": [c.url for c in cites],
            "locator": [c.where for c in cites],
        },
        index=rows.index,
    )


def data_as_of(sources: pd.DataFrame) -> str:
    """The date of the newest dated source, in words: how recent the curated data are."""
    dates = sorted(
        d for d in sources["date"].astype(str) if re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", d)
    )
    return date_words(dates[-1]) if dates else "not stated"
