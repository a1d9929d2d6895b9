"""Checks of the evidence rules.

They cover one dating rule, one preferred row per observation, repeats, official evidence from
official sources, places, exclusions, ranks and distinct citations.
"""

from __future__ import annotations

import re

import pandas as pd

from ukcyber.checks.common import (
    Files,
    Tables,
    csv_line,
    dated_tables,
    period_span,
    years_in,
)
from ukcyber.errors import Problem
from ukcyber.kinds import OFFICIAL_PUBLICATION_KINDS, PRESS_REPORT

STATISTICAL_EDITIONS = re.compile(
    r"^(cyber security sectoral analysis|cyber security skills in the uk labour market) (\d{4})\b",
    re.IGNORECASE,
)
"""Annual statistical reports whose edition year is the year after their data year."""


PLANNED = {"forecast", "target"}

PUBLICATION_YEAR = re.compile(r"\bpublication year\b", re.IGNORECASE)
"""Words of a period whose year is the publication's, the data year not being printed."""


def publication_year(row: pd.Series, sources: pd.DataFrame | None) -> int | None:
    """Year of the publication a row's figure appears in: its edition, else its source's date."""
    edition = str(row.get("edition", "") or "")
    years = years_in(edition)
    if years:
        return max(years)
    if sources is None or row["source_id"] not in sources.index:
        return None
    years = years_in(str(sources.at[row["source_id"], "date"]))
    return years[0] if years else None


def dating_rule(tables: Tables, files: Files) -> list[Problem]:
    """``period`` is the data year, ``year`` its last year, ``edition`` the publication.

    - ``year`` is the last year ``period`` names, and blank exactly when it names none;
    - an observed figure's data year is never after its publication's year (edition, else the
      source's date); forecasts and targets may look ahead;
    - a Sectoral Analysis (or labour-market) edition reports the year before its own;
    - ``period_inferred`` (rankings: ``edition_inferred``) rows say in ``note`` that the year is
      inferred, and from what;
    - a period that is only the publication year (``2025 (publication year; …)``) is inferred.
    """
    sources = tables.get("sources")
    sources = sources.set_index("source_id") if sources is not None else None
    problems = []
    for name, table in dated_tables(tables).items():
        for index, row in table.iterrows():
            problems += _row_dating_problems(row, files[name], csv_line(index), sources)
    problems += _inference_note_problems(tables, files)
    return problems


def _row_dating_problems(
    row: pd.Series, file: str, line: int, sources: pd.DataFrame | None
) -> list[Problem]:
    """The dating rule's problems with one row: its ``year``, then its publication and edition."""
    period, year = row["period"], row["year"]
    span = period_span(period)
    problems = []
    if span is None and not pd.isna(year):
        found = f"{int(year)} for period {period!r}"
        problems.append(Problem(file, line, "year", found, "blank (the period names no year)"))
    elif span is not None and (pd.isna(year) or int(year) != span[1]):
        found = "a blank year" if pd.isna(year) else f"{int(year)}"
        expected = f"{span[1]}, the last year of period {period!r}"
        problems.append(Problem(file, line, "year", found, expected))
    if span is None:
        return problems
    if PUBLICATION_YEAR.search(str(period)) and not row["period_inferred"]:
        found = f"false for period {period!r}"
        expected = "true: a publication year standing in for the data year is an inference"
        problems.append(Problem(file, line, "period_inferred", found, expected))
    published = publication_year(row, sources)
    if row["basis"] not in PLANNED and published is not None and span[1] > published:
        where = row.get("edition", "") or row["source_id"]
        found = f"data year {span[1]} after its publication year {published} ({where})"
        expected = "a data year no later than the publication, or basis forecast/target"
        problems.append(Problem(file, line, "period", found, expected))
    edition = STATISTICAL_EDITIONS.match(str(row.get("edition", "") or ""))
    if edition and span[1] >= int(edition.group(2)):
        found = f"data year {span[1]} in {row['edition']!r}"
        expected = f"a year before {edition.group(2)}: an edition reports the previous year's data"
        problems.append(Problem(file, line, "period", found, expected))
    return problems


def _inference_note_problems(tables: Tables, files: Files) -> list[Problem]:
    """Rows whose year is inferred (``period_inferred``, ``edition_inferred``) say so in ``note``."""
    problems = []
    for name, flag in [(n, "period_inferred") for n in dated_tables(tables)] + [
        ("cyber_power_rankings", "edition_inferred")
    ]:
        table = tables.get(name)
        if table is None or flag not in table.columns:
            continue
        for index, row in table[table[flag].fillna(False).astype(bool)].iterrows():
            if "infer" not in str(row["note"]).lower():
                found = "a note that does not mention the inference"
                expected = f"a note saying what the year is inferred from ({flag} is true)"
                problems.append(Problem(files[name], csv_line(index), "note", found, expected))
    return problems


def _observation_key(name: str, table: pd.DataFrame) -> list[str]:
    if name == "cyber_power_rankings":
        return ["index_name", "edition", "country"]
    return [c for c in ("series", "metric", "period", "geography") if c in table.columns]


def _preferred_tables(tables: Tables) -> dict[str, pd.DataFrame]:
    return {n: t for n, t in tables.items() if "preferred" in t.columns}


def preferred_rows(tables: Tables, files: Files) -> list[Problem]:
    """Rows giving the same observation: exactly one is preferred, the others say why not.

    An observation is (series, metric, period, geography) in the figure tables and (index,
    edition, country) in the rankings. A non-preferred row needs ``not_preferred_because``; a
    preferred row has none.
    """
    problems = []
    for name, table in _preferred_tables(tables).items():
        key = _observation_key(name, table)
        preferred = table["preferred"].fillna(False).astype(bool)
        for _, group in table.groupby(key, sort=False, dropna=False):
            marked = [i for i in group.index if preferred[i]]
            lines = ", ".join(str(csv_line(i)) for i in group.index)
            if not marked:
                found = f"no preferred row among lines {lines} (same {'/'.join(key)})"
                problems.append(
                    Problem(
                        files[name], csv_line(group.index[0]), "preferred", found, "exactly one"
                    )
                )
            for index in marked[1:]:
                found = f"a second preferred row for the same {'/'.join(key)} as line {csv_line(marked[0])}"
                expected = "one preferred row; the others false with not_preferred_because"
                problems.append(Problem(files[name], csv_line(index), "preferred", found, expected))
        for index, row in table.iterrows():
            reason = str(row["not_preferred_because"]).strip()
            if not preferred[index] and not reason:
                found, expected = "an empty reason on a row that is not preferred", "why not"
            elif preferred[index] and reason:
                found, expected = f"{reason!r} on a preferred row", "empty"
            else:
                continue
            problems.append(
                Problem(files[name], csv_line(index), "not_preferred_because", found, expected)
            )
    return problems


def _show(value: object) -> str:
    """A cell for a message: text quoted, numbers plain (``101``, ``4``)."""
    if isinstance(value, str):
        return repr(value)
    if pd.isna(value):
        return "blank"
    return f"{float(value):g}" if isinstance(value, int | float) else str(value)


def repeats(tables: Tables, files: Files) -> list[Problem]:
    """A repeat names its first mention: same table, document and figure; never preferred.

    The note must name the first mention's id too, so a reader of the note alone sees it.
    """
    problems = []
    for name, table in tables.items():
        if "repeat_of" not in table.columns:
            continue
        ids = table.set_index("id")
        value = next((c for c in ("value", "rank") if c in table.columns), None)
        for index, row in table[table["repeat_of"] != ""].iterrows():
            first, line = row["repeat_of"], csv_line(index)
            if first not in ids.index or first == row["id"]:
                expected = "the id of another row of the same table"
                problems.append(Problem(files[name], line, "repeat_of", repr(first), expected))
                continue
            original = ids.loc[first]
            if original["source_id"] != row["source_id"]:
                found = f"a repeat of {first}, which cites {original['source_id']}"
                expected = f"a first mention in the same document ({row['source_id']})"
                problems.append(Problem(files[name], line, "repeat_of", found, expected))
            for column in ("metric", "index_name", "country", value):
                if column and column in table.columns and original[column] != row[column]:
                    mine, theirs = _show(row[column]), _show(original[column])
                    found = f"{mine}, but its first mention {first} has {theirs}"
                    problems.append(Problem(files[name], line, column, found, "the same figure"))
            if "preferred" in table.columns and bool(row["preferred"]):
                expected = f"false: the first mention ({first}) is the row to use"
                problems.append(
                    Problem(files[name], line, "preferred", "true on a repeat", expected)
                )
            note = str(row.get("note", row.get("summary", "")))
            if name != "recommendations" and first not in note:
                found = "a note that does not name the first mention"
                problems.append(Problem(files[name], line, "note", found, f"a note naming {first}"))
    return problems


EVIDENCE_KINDS = {
    "official": OFFICIAL_PUBLICATION_KINDS,
    "press_report_of_official": frozenset({PRESS_REPORT}),
}
"""Regional ``evidence`` values tied to a kind of source: the kinds each one allows."""

EVIDENCE_ADVICE = {
    "official": "an official publication (or a copy of one); 'press_report_of_official' for a "
    "press or blog relay, 'cited_official' for a paper citing official figures",
    "press_report_of_official": "a press report of official statistics; 'official' for an "
    "official publication itself",
}


def evidence_matches_source(tables: Tables, files: Files) -> list[Problem]:
    """Regional evidence words match the kind of their source.

    ``official`` comes from an official publication (or a faithful copy of one);
    ``press_report_of_official`` from a press report of official statistics.
    """
    regional, sources = tables.get("regional"), tables.get("sources")
    if regional is None or sources is None or "evidence" not in regional.columns:
        return []
    kinds = sources.set_index("source_id")["kind"]
    problems = []
    for evidence, allowed in EVIDENCE_KINDS.items():
        for index, row in regional[regional["evidence"] == evidence].iterrows():
            kind = kinds.get(row["source_id"], "")
            if kind not in allowed:
                found = f"{evidence!r} from a {kind} source ({row['source_id']})"
                expected = EVIDENCE_ADVICE[evidence]
                problems.append(
                    Problem(files["regional"], csv_line(index), "evidence", found, expected)
                )
    return problems


def confirmed_by(tables: Tables, files: Files) -> list[Problem]:
    """``confirmed_by`` names official rows of the same metric, period and geography.

    A preferred figure read in a press report can be confirmed by official pages that round it
    ("over 1,400" for 1,483): each id must be a row of the same table whose source is an
    official publication, giving the same observation, and not the row itself.
    """
    sources = tables.get("sources")
    kinds = sources.set_index("source_id")["kind"] if sources is not None else pd.Series()
    problems = []
    for name, table in tables.items():
        if "confirmed_by" not in table.columns or "id" not in table.columns:
            continue
        ids = table.set_index("id")
        key = [c for c in ("series", "metric", "period", "geography") if c in table.columns]
        for index, row in table[table["confirmed_by"].fillna("") != ""].iterrows():
            line = csv_line(index)
            for other in [i.strip() for i in str(row["confirmed_by"]).split(";") if i.strip()]:
                if other == row["id"] or other not in ids.index:
                    found = f"{other!r}, not another row of {name}.csv"
                    expected = "the id of an official row of the same table"
                    problems.append(Problem(files[name], line, "confirmed_by", found, expected))
                    continue
                confirming = ids.loc[other]
                kind = kinds.get(confirming["source_id"], "")
                if kind not in OFFICIAL_PUBLICATION_KINDS:
                    found = f"{other}, which cites a {kind} source ({confirming['source_id']})"
                    expected = "a row citing an official publication"
                    problems.append(Problem(files[name], line, "confirmed_by", found, expected))
                differ = [c for c in key if confirming[c] != row[c]]
                if differ:
                    theirs = ", ".join(f"{c} {_show(confirming[c])}" for c in differ)
                    found = f"{other}, which has {theirs}"
                    expected = f"a row of the same {'/'.join(key)}"
                    problems.append(Problem(files[name], line, "confirmed_by", found, expected))
    return problems


def geography_members(tables: Tables, files: Files) -> list[Problem]:
    """Every member of a grouping is itself a geography, and no parent chain loops."""
    geographies = tables.get("geographies")
    if geographies is None:
        return []
    names = set(geographies["name"])
    parents = dict(zip(geographies["name"], geographies["parent"], strict=True))
    problems = []
    for index, row in geographies.iterrows():
        for member in [m.strip() for m in str(row["members"]).split(";") if m.strip()]:
            if member not in names:
                expected = "names present in geographies.csv"
                problems.append(
                    Problem(
                        files["geographies"], csv_line(index), "members", repr(member), expected
                    )
                )
        seen, place = {row["name"]}, parents.get(row["name"], "")
        while place:
            if place in seen:
                found = f"a parent chain that loops back to {place!r}"
                problems.append(
                    Problem(
                        files["geographies"],
                        csv_line(index),
                        "parent",
                        found,
                        "a chain ending at World",
                    )
                )
                break
            seen.add(place)
            place = parents.get(place, "")
    return problems


REFERENCE_LOCATOR = re.compile(r"(reference|official) line (\d+)")
"""A row's place in a reference file: ``reference line N`` (public_figures.csv) or ``official
line N`` (official_figures.csv)."""

REFERENCE_FILES = {"reference": "public_figures", "official": "official_figures"}


def excluded_lines(tables: Tables, files: Files) -> list[Problem]:
    """A reference line excluded whole is cited by no row; one excluded in part is cited."""
    excluded = tables.get("excluded")
    if excluded is None:
        return []
    cited: dict[tuple[str, int], str] = {}
    for name, table in tables.items():
        if name == "excluded" or "locator" not in table.columns:
            continue
        for index, locator in table["locator"].items():
            match = REFERENCE_LOCATOR.fullmatch(str(locator))
            if match:
                place = (REFERENCE_FILES[match.group(1)], int(match.group(2)))
                cited.setdefault(place, f"{files[name]}:{csv_line(index)}")
    problems = []
    for index, row in excluded.iterrows():
        reference = str(row.get("reference_file", "") or "public_figures")
        number = int(row["reference_line"])
        where = f"{reference} line {number}"
        if row["scope"] == "row" and (reference, number) in cited:
            found = f"'row' for {where}, which {cited[(reference, number)]} cites"
            problems.append(Problem(files["excluded"], csv_line(index), "scope", found, "'part'"))
        elif row["scope"] == "part" and (reference, number) not in cited:
            found = f"'part' for {where}, which no row cites"
            problems.append(Problem(files["excluded"], csv_line(index), "scope", found, "'row'"))
    return problems


def ranks_given(tables: Tables, files: Files) -> list[Problem]:
    """Every ranking row gives a rank, a rank change or both."""
    ranks = tables.get("cyber_power_rankings")
    if ranks is None or "rank_change" not in ranks.columns:
        return []
    empty = ranks[ranks["rank"].isna() & ranks["rank_change"].isna()]
    return [
        Problem(
            files["cyber_power_rankings"],
            csv_line(i),
            "rank",
            "neither a rank nor a rank change",
            "a rank, a rank change or both",
        )
        for i in empty.index
    ]


def distinct_citations(tables: Tables, files: Files) -> list[Problem]:
    """Sources at different addresses never print the same citation (short title and date)."""
    sources = tables.get("sources")
    if sources is None or "short_title" not in sources.columns:
        return []
    problems = []
    first: dict[tuple[str, str], tuple[int, str]] = {}
    for index, row in sources.iterrows():
        label = (str(row["short_title"]), str(row["date"]))
        if label not in first:
            first[label] = (int(index), str(row["url"]))
            continue
        line, url = first[label]
        if str(row["url"]) != url or not url:
            found = f"{row['short_title']!r} dated {row['date'] or 'nothing'}, as on line {csv_line(line)}"
            problems.append(
                Problem(
                    files["sources"],
                    csv_line(index),
                    "short_title",
                    found,
                    "a short title and date that tell this source apart from the others",
                )
            )
    return problems
