"""Page dates: what a report page can date, computed after the report ran.

The coordinator gathers the facts every report shares (:class:`DataFacts`: each table's title
and the moment its current content was first recorded, each source's publication date); the
worker, once the notebook ran, picks the tables the report read, the years its charts and
tables show and the sources it cites (:func:`page_dates`), and hands the page writer one
:class:`~ukcyber.pagedates.PageDates`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ukcyber.mime import BRIEF_MIME, FIGURE_MIME, MAIN_POINTS_MIME, TABLE_MIME
from ukcyber.pagedates import PageDates, SourceDate, TableDate

YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
"""A data year inside a period (``2017``, ``2018-2019``, ``2021/22`` gives 2021)."""


@dataclass(frozen=True)
class DataFacts:
    """What every report of a build shares about the data: tables, sources and CSV files."""

    tables: Mapping[str, TableDate] = field(default_factory=dict)
    """Each table by name, with its title and change date."""
    sources: Mapping[str, SourceDate] = field(default_factory=dict)
    """Each source by id, with its short title and publication date."""
    files: Mapping[str, str] = field(default_factory=dict)
    """Each table's CSV file name (relative to the data folder) → the table's name."""


def date_facts(
    resources: list[dict[str, Any]], changed_at: Mapping[str, str], data: Path
) -> DataFacts:
    """Gather the facts from the data package's ``resources``, each table's change date, sources.

    The sources come from ``sources.csv``, read with the standard library: no pandas in the
    coordinator for this.
    """
    tables = {
        r["name"]: TableDate(
            r["name"], str(r.get("title") or r["name"]), changed_at.get(r["name"], "")
        )
        for r in resources
    }
    sources: dict[str, SourceDate] = {}
    path = next((r["path"] for r in resources if r["name"] == "sources"), None)
    if path is not None:
        with open(data / path, newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                key = row.get("source_id", "")
                title = row.get("short_title") or row.get("title", "").split(":")[0]
                sources[key] = SourceDate(key, title.strip(), (row.get("date") or "").strip())
    return DataFacts(tables, sources, {r["path"]: r["name"] for r in resources})


def _outputs(nb: Any) -> Iterator[dict[str, Any]]:
    """Yield the library's data of every output of ``nb``, by MIME type."""
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            for mime in (FIGURE_MIME, TABLE_MIME, BRIEF_MIME, MAIN_POINTS_MIME):
                if mime in data:
                    yield {"mime": mime, **data[mime]}


def years_shown(nb: Any) -> tuple[int, ...]:
    """Give the data years of the rows the charts and tables of ``nb`` show, ascending."""
    years: set[int] = set()
    for info in _outputs(nb):
        for row in info.get("rows", []) if info["mime"] in {FIGURE_MIME, TABLE_MIME} else []:
            for column in ("period", "year"):
                if isinstance(row, Mapping) and row.get(column) not in (None, ""):
                    years.update(int(y) for y in YEAR.findall(str(row[column])))
    return tuple(sorted(years))


def _citations(info: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    yield from info.get("citations", [])
    yield from info.get("row_citations", [])
    for point in info.get("points", []):
        yield from point.get("citations", [])


def sources_cited(nb: Any) -> dict[str, str]:
    """Give the sources the outputs of ``nb`` cite: key → the short title they name it by."""
    cited: dict[str, str] = {}
    for info in _outputs(nb):
        for citation in _citations(info):
            source = citation.get("source", {}) if isinstance(citation, Mapping) else {}
            if source.get("key"):
                cited.setdefault(
                    source["key"], source.get("short_title") or source.get("title", "")
                )
    return cited


def page_dates(nb: Any, tables: list[str] | None, facts: DataFacts, built_at: str) -> PageDates:
    """Give the dates of the page of ``nb``, which read ``tables`` (``None``: unknown, all)."""
    names = sorted(facts.tables) if tables is None else sorted(tables)
    sources = []
    for key, title in sorted(sources_cited(nb).items()):
        known = facts.sources.get(key, SourceDate(key, title, ""))
        sources.append(SourceDate(key, title or known.title, known.published))
    return PageDates(
        built_at=built_at,
        tables=tuple(facts.tables.get(n, TableDate(n, n, "")) for n in names),
        years=years_shown(nb),
        sources=tuple(sources),
    )
