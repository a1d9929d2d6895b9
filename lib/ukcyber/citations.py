"""Reader-facing citations: which document a figure comes from, what kind it is, where in it.

Internal ids (``source_id``, row ids) never reach a reader. A source is named by its short title
(``sources.short_title`` when the column exists, else the title before its first colon) and
date; a figure read in press coverage of official statistics is credited to the official
edition *as reported by* the outlet (with the outlet's date). Where in the source is said as a
reader can check it: a document's heading and the words it prints (``section “2.
Introduction”, printed as “58,005”``); a web page's words (``printed as “846”``), never a line
of our own reference files. A source with no public address says how to get it.

Text of our own that names rows by id (a caveat "Conflicts with reg-ref-011") is put in words
at display time by :func:`row_words`, which names the source and figure of each row.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from ukcyber.formatting import iso_date_words
from ukcyber.kinds import PRESS_REPORT as PRESS_REPORT

KIND_WORDS = {
    "official_statistics": "official statistics",
    "official_research": "official research report",
    "departmental_publication": "departmental publication",
    "parliamentary_record": "parliamentary record",
    "copy_of_official_report": "copy of an official report",
    PRESS_REPORT: "press report of official statistics",
    "press_report_of_index": "press report of a cyber power index",
    "press_report_of_market_research": "press report of market research",
    "press_report": "press report",
    "think_tank_paper": "think-tank paper",
    "industry_white_paper": "industry white paper",
    "government_strategy": "government strategy",
    "government_publication": "government publication",
    "cluster_study": "regional cluster study",
    "market_research": "market research",
    "trade_association": "trade association publication",
    "index_publication": "report of a cyber power index",
}
"""Each kind of source in words, until the data's own vocabulary (``ukcyber.kinds``) is there;
an unknown kind is "a source of another kind" rather than shown raw."""


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
    iso_date: str = ""
    """The date as ``sources.csv`` gives it (``2023-09``), for sorting; ``date`` is in words."""

    @property
    def how_to_get(self) -> str:
        """For a source with no public address: whom to ask for it, by title and date."""
        if self.url:
            return ""
        publisher = f"the publisher, {self.publisher}," if self.publisher else "its publisher"
        dated = f" ({self.date})" if self.date else ""
        return (
            f"No public web address is known: ask {publisher} or a library for "
            f"“{self.title}”{dated}."
        )


@dataclass(frozen=True)
class Citation:
    """Where one figure or item comes from, in words, with its source."""

    label: str
    where: str
    source: Source

    @property
    def url(self) -> str:
        """The address of the cited source."""
        return self.source.url

    def text(self) -> str:
        """``Cybersecuronomics (September 2023), section “2. Introduction”, printed as …``."""
        return f"{self.label}, {self.where}" if self.where else self.label

    def to_json(self) -> dict[str, Any]:
        """The citation as JSON for a MIME bundle: label, where, the source and how to get it."""
        source = {**asdict(self.source), "how_to_get": self.source.how_to_get}
        return {"label": self.label, "where": self.where, "source": source}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Citation:
        """A citation from what :meth:`to_json` wrote (``how_to_get`` is derived, so dropped)."""
        source = {k: v for k, v in data["source"].items() if k != "how_to_get"}
        return cls(data["label"], data["where"], Source(**source))


def _text(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value).strip()


def date_words(date: object) -> str:
    """``2023-09`` → ``September 2023``, ``2020-01-29`` → ``29 January 2020``; other text as is."""
    return iso_date_words(_text(date))


def _vocabulary() -> Mapping[str, str]:
    """Kind → reader words: the data's vocabulary (``ukcyber.kinds``) when present."""
    try:
        from ukcyber import kinds
    except ImportError:
        return KIND_WORDS
    words = getattr(kinds, "KIND_WORDS", None) or getattr(kinds, "WORDS", None)
    return {**KIND_WORDS, **words} if isinstance(words, Mapping) else KIND_WORDS


def kind_words(kind: object) -> str:
    """The kind of a source in words (``think_tank_paper`` → ``think-tank paper``)."""
    return _vocabulary().get(str(kind), "source of another kind")


def short_title(record: Mapping[str, Any]) -> str:
    """The ``short_title`` column when present and filled, else the title before its colon."""
    short = record.get("short_title")
    if isinstance(short, str) and short.strip():
        return short.strip()
    title = str(record.get("title", "") or "")
    return title.split(":")[0].strip() or title


REFERENCE_LOCATOR = re.compile(r"(?:reference|official) line \d+")
"""A row read in one of our reference files of public figures: it cites the web page itself."""
LINE_LOCATOR = re.compile(r"lines? \d+(?:\s*[–-]\s*\d+)?")
"""A line of the plain-text edition we keep of a document: never shown, the heading is."""


def locator_words(
    locator: object, section: object = "", as_printed: object = "", page: object = ""
) -> str:
    """Where in its source a figure is, for a reader who wants to check it.

    A document's heading, the page of the original when known and the words it prints
    (``section “2. Introduction”, printed as “58,005”``); for a web page, just its words
    (``printed as “846”``: the page is cited by title, publisher and date). Lines of our own
    text editions and reference files are never named: a reader cannot open them.

    Examples
    --------
    >>> locator_words("reference line 23", "A1. Sectoral analysis", "846")
    'printed as “846”'
    >>> locator_words("line 464", "2. Introduction", "58,005")
    'section “2. Introduction”, printed as “58,005”'
    """
    text, words, heading = _text(locator), _text(as_printed), _text(section)
    page_text = _text(page)
    if REFERENCE_LOCATOR.fullmatch(text):
        heading = ""  # the heading of our reference file, not of the page cited
        text = ""
    elif LINE_LOCATOR.fullmatch(text):
        text = ""
    elif text == "derived":
        return "derived from the stated figures"
    parts = [f"section “{heading}”"] if heading else []
    if page_text:
        parts.append(page_text if page_text.startswith(("p.", "page")) else f"page {page_text}")
    if text:
        parts.append(text)
    if words:
        parts.append(f"printed as “{words}”")
    return ", ".join(parts)


def source_of(record: Mapping[str, Any], key: str = "") -> Source:
    """A :class:`Source` from one row of ``sources``."""

    def field(name: str) -> str:
        return _text(record.get(name, ""))

    url = field("url")
    return Source(
        key=key or field("source_id"),
        title=field("title") or "Unknown source",
        short_title=short_title(record) or "Unknown source",
        publisher=field("publisher"),
        date=date_words(field("date")),
        licence=field("licence"),
        kind=kind_words(field("kind")),
        url=url if url.startswith(("https://", "http://")) else "",
        iso_date=field("date"),
    )


def dated_title(short: str, date: str) -> str:
    """``Cybersecuronomics`` and ``September 2023`` → ``Cybersecuronomics (September 2023)``.

    A short title that already holds the year (``Scottish Government (2018)``) gets the date
    in place of that year, never a second one.
    """
    if not date:
        return short
    year = re.search(r"\d{4}", date)
    if year and f"({year.group(0)})" in short:
        return short.replace(f"({year.group(0)})", f"({date})", 1)
    return f"{short} ({date})"


def _lookup(sources: pd.DataFrame) -> dict[str, dict[str, Any]]:
    return {str(r["source_id"]): r for r in sources.to_dict("records")}


def cite(row: Mapping[str, Any], sources: pd.DataFrame | dict[str, dict[str, Any]]) -> Citation:
    """The citation of one data row.

    It needs ``source_id``, and uses ``locator``, ``section``, ``as_printed``, ``page`` and
    ``edition`` when present.
    """
    table = sources if isinstance(sources, dict) else _lookup(sources)
    key = str(row.get("source_id", ""))
    record = table.get(key, {"title": "Unknown source", "kind": ""})
    source = source_of(record, key)
    edition = _text(row.get("edition", ""))
    if record.get("kind") == PRESS_REPORT:
        official = edition if edition and not edition.isdigit() else "official statistics"
        label = f"{official}, as reported by {dated_title(source.short_title, source.date)}"
    else:
        label = dated_title(source.short_title, source.date)
    where = locator_words(
        row.get("locator"), row.get("section", ""), row.get("as_printed", ""), row.get("page", "")
    )
    return Citation(label, where, source)


def cite_rows(
    rows: pd.DataFrame | Iterable[Mapping[str, Any]], sources: pd.DataFrame
) -> list[Citation]:
    """Citations of every row, each distinct one once, in order of first appearance."""
    records = rows.to_dict("records") if isinstance(rows, pd.DataFrame) else list(rows)
    table = _lookup(sources)
    return list(dict.fromkeys(cite(r, table) for r in records if r.get("source_id")))


def provenance(rows: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Columns ``source``, ``source_kind``, ``source_url`` and ``locator`` in words for each row.

    These columns are for CSVs.
    """
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


# --- row ids in our own text, in words ---------------------------------------------------------

ROW_ID = re.compile(r"\b[a-z]{2,4}-(?:[a-z]{3}|\d{3})-\d{2,3}\b")
"""A row id of the data (``sec-ref-006``, ``reg-000-04``, ``tec-002-13``)."""
_LINE_NOTE = re.compile(r"\s*\((?:at |on )?lines? \d+(?:\s*[–-]\s*\d+)?\)")
_AT_LINE = re.compile(r"\s+(?:at|on) lines? \d+(?:\s*[–-]\s*\d+)?(?=[\s,.;:)]|$)")
ID_TABLES = {
    "sec": "sector_statistics",
    "tec": "technology_sector",
    "exm": "exports_and_market",
    "reg": "regional",
    "nm": "norm_measures",
    "cpr": "cyber_power_rankings",
    "rec": "recommendations",
    "par": "partnerships",
}
"""Where rows of each id prefix usually are; an id found in none of them is searched for in
every table of the package."""

RowFinder = Callable[[str], "Mapping[str, Any] | None"]


def _find_in_data(row_id: str) -> Mapping[str, Any] | None:
    """The row with ``row_id`` in the data (the table its prefix names first, then all)."""
    from ukcyber.data import descriptor, load

    first = ID_TABLES.get(row_id.split("-")[0])
    names = [first] if first else []
    names += [r["name"] for r in descriptor()["resources"] if r["name"] not in names]
    for name in names:
        table = load(name)
        if "id" in table.columns:
            match = table[table["id"] == row_id]
            if len(match):
                return dict(match.iloc[0])
    return None


def _figure_of(row: Mapping[str, Any]) -> str:
    from ukcyber.formatting import format_row, ordinal

    if _text(row.get("unit")) and _text(row.get("value")):
        return format_row(row)
    if _text(row.get("rank")):
        return ordinal(int(float(str(row["rank"]))))
    return ""


def describe_row(
    row: Mapping[str, Any], sources: pd.DataFrame | None = None, *, short: bool = False
) -> str:
    """A data row in words for a reader: its period, source and figure.

    ``the 2021 figure in Cyber Security Sectoral Analysis 2022, as reported by … (53%)``; with
    ``short``, only where it is (``in Cybersecuronomics (September 2023), section “2.
    Introduction”``), for a sentence that already states the figure.
    """
    from ukcyber.data import load

    citation = cite(row, sources if sources is not None else load("sources"))
    if short:
        section = _text(row.get("section"))
        if section and not REFERENCE_LOCATOR.fullmatch(_text(row.get("locator"))):
            return f"in {citation.label}, section “{section}”"
        return f"in {citation.label}"
    figure = _figure_of(row)
    period = _text(row.get("period"))
    if not figure:
        return f"an item in {citation.label}"
    when = f"the {period} figure" if period else "the figure"
    return f"{when} in {citation.label} ({figure})"


def row_words(
    text: object, find: RowFinder | None = None, sources: pd.DataFrame | None = None
) -> str:
    """Our own text (a caveat, a reason) with every row id put in words.

    ``(sec-ref-006)`` becomes the source and figure of that row in parentheses, a bare id the
    same words in the sentence, and the line numbers of our text editions are dropped (a reader
    cannot open them). ``find`` looks a row up by id (default: in the data).

    Examples
    --------
    >>> row_words("Kept apart (x-ref-01).", lambda i: None)
    'Kept apart (another figure in the data).'
    """
    out = _text(text)
    if not out or not (ROW_ID.search(out) or _LINE_NOTE.search(out) or _AT_LINE.search(out)):
        return out
    finder = find or _find_in_data
    out = _LINE_NOTE.sub("", _AT_LINE.sub("", out))

    def words_of(row_id: str, short: bool = False) -> str:
        row = finder(row_id)
        if row is None:
            return "another figure in the data"
        return describe_row(row, sources, short=short)

    def bracketed(match: re.Match[str]) -> str:
        ids = ROW_ID.findall(match.group(1))
        return "(" + "; ".join(words_of(i, short=True) for i in ids) + ")"

    out = re.sub(r"\(((?:\s*" + ROW_ID.pattern + r"\s*,?)+)\)", bracketed, out)
    return ROW_ID.sub(lambda m: words_of(m.group(0)), out)
