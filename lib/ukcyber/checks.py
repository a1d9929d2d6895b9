"""Cross-table checks that a per-table schema cannot express.

Each check takes the typed tables (name -> DataFrame) and their file names and returns a list of
:class:`ukcyber.errors.Problem`. They run after the Frictionless schema pass succeeds, so types,
required fields, enums and foreign keys can be relied on here.
"""

from __future__ import annotations

import re
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


YEAR = re.compile(r"(?<!\d)(\d{4})(?:[-/](\d{2}))?(?!\d)")
"""A calendar year, optionally with a two-digit end year (``2020/21``, ``2023-24``)."""

STATISTICAL_EDITIONS = re.compile(
    r"^(cyber security sectoral analysis|cyber security skills in the uk labour market) (\d{4})\b",
    re.IGNORECASE,
)
"""Annual statistical reports whose edition year is the year after their data year."""

PLANNED = {"forecast", "target"}


def _years(text: str) -> list[int]:
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
    years = _years(text)
    if not years:
        return None
    if re.search(r"\bbefore\b", text, re.IGNORECASE):
        return min(years) - 1, min(years) - 1
    return min(years), max(years)


def publication_year(row: pd.Series, sources: pd.DataFrame | None) -> int | None:
    """Year of the publication a row's figure appears in: its edition, else its source's date."""
    edition = str(row.get("edition", "") or "")
    years = _years(edition)
    if years:
        return max(years)
    if sources is None or row["source_id"] not in sources.index:
        return None
    years = _years(str(sources.at[row["source_id"], "date"]))
    return years[0] if years else None


def _dated_tables(tables: Tables) -> dict[str, pd.DataFrame]:
    return {n: t for n, t in _figure_tables(tables).items() if {"period", "year"} <= set(t.columns)}


def dating_rule(tables: Tables, files: Files) -> list[Problem]:
    """``period`` is the data year, ``year`` its last year, ``edition`` the publication.

    - ``year`` is the last year ``period`` names, and blank exactly when it names none;
    - an observed figure's data year is never after its publication's year (edition, else the
      source's date); forecasts and targets may look ahead;
    - a Sectoral Analysis (or labour-market) edition reports the year before its own;
    - ``period_inferred`` (rankings: ``edition_inferred``) rows say in ``note`` that the year is
      inferred, and from what.
    """
    sources = tables.get("sources")
    sources = sources.set_index("source_id") if sources is not None else None
    problems = []
    for name, table in _dated_tables(tables).items():
        for index, row in table.iterrows():
            line, period, year = _line(index), row["period"], row["year"]
            span = period_span(period)
            if span is None and not pd.isna(year):
                found = f"{int(year)} for period {period!r}"
                problems.append(
                    Problem(files[name], line, "year", found, "blank (the period names no year)")
                )
            elif span is not None and (pd.isna(year) or int(year) != span[1]):
                found = "a blank year" if pd.isna(year) else f"{int(year)}"
                expected = f"{span[1]}, the last year of period {period!r}"
                problems.append(Problem(files[name], line, "year", found, expected))
            if span is None:
                continue
            published = publication_year(row, sources)
            if row["basis"] not in PLANNED and published is not None and span[1] > published:
                where = row.get("edition", "") or row["source_id"]
                found = f"data year {span[1]} after its publication year {published} ({where})"
                expected = "a data year no later than the publication, or basis forecast/target"
                problems.append(Problem(files[name], line, "period", found, expected))
            edition = STATISTICAL_EDITIONS.match(str(row.get("edition", "") or ""))
            if edition and span[1] >= int(edition.group(2)):
                found = f"data year {span[1]} in {row['edition']!r}"
                expected = (
                    f"a year before {edition.group(2)}: an edition reports the previous year's data"
                )
                problems.append(Problem(files[name], line, "period", found, expected))
    for name, flag in [(n, "period_inferred") for n in _dated_tables(tables)] + [
        ("cyber_power_rankings", "edition_inferred")
    ]:
        table = tables.get(name)
        if table is None or flag not in table.columns:
            continue
        for index, row in table[table[flag].fillna(False).astype(bool)].iterrows():
            if "infer" not in str(row["note"]).lower():
                found = "a note that does not mention the inference"
                expected = f"a note saying what the year is inferred from ({flag} is true)"
                problems.append(Problem(files[name], _line(index), "note", found, expected))
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
            lines = ", ".join(str(_line(i)) for i in group.index)
            if not marked:
                found = f"no preferred row among lines {lines} (same {'/'.join(key)})"
                problems.append(
                    Problem(files[name], _line(group.index[0]), "preferred", found, "exactly one")
                )
            for index in marked[1:]:
                found = f"a second preferred row for the same {'/'.join(key)} as line {_line(marked[0])}"
                expected = "one preferred row; the others false with not_preferred_because"
                problems.append(Problem(files[name], _line(index), "preferred", found, expected))
        for index, row in table.iterrows():
            reason = str(row["not_preferred_because"]).strip()
            if not preferred[index] and not reason:
                found, expected = "an empty reason on a row that is not preferred", "why not"
            elif preferred[index] and reason:
                found, expected = f"{reason!r} on a preferred row", "empty"
            else:
                continue
            problems.append(
                Problem(files[name], _line(index), "not_preferred_because", found, expected)
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
            first, line = row["repeat_of"], _line(index)
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
    for name, table in _dated_tables(tables).items():
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
                    problems.append(Problem(files[name], _line(index), "metric", found, expected))
            elif years != int(want):
                found = f"{row['period']!r}, a {years}-year change"
                expected = f"a {int(want)}-year period, the span metrics.csv gives {row['metric']}"
                problems.append(Problem(files[name], _line(index), "period", found, expected))
    return problems


def calendar_years(tables: Tables, files: Files) -> list[Problem]:
    """A value in unit ``year`` (a deadline or target date) is the row's own ``year``."""
    problems = []
    for name, table in _dated_tables(tables).items():
        for index, row in table[table["unit"] == "year"].iterrows():
            if pd.isna(row["year"]) or row["value"] != row["year"]:
                found = f"{row['value']:g} for a calendar year in period {row['period']!r}"
                expected = "the row's year (durations use the unit years)"
                problems.append(Problem(files[name], _line(index), "value", found, expected))
    return problems


OFFICIAL_KINDS = {"official_statistics", "press_report_of_official_statistics"}


def evidence_matches_source(tables: Tables, files: Files) -> list[Problem]:
    """Regional ``official`` evidence comes from official statistics or a press report of them."""
    regional, sources = tables.get("regional"), tables.get("sources")
    if regional is None or sources is None or "evidence" not in regional.columns:
        return []
    kinds = sources.set_index("source_id")["kind"]
    problems = []
    for index, row in regional[regional["evidence"] == "official"].iterrows():
        kind = kinds.get(row["source_id"], "")
        if kind not in OFFICIAL_KINDS:
            found = f"'official' from a {kind} source ({row['source_id']})"
            expected = "'cited_official' for official figures a paper or body cites second-hand"
            problems.append(Problem(files["regional"], _line(index), "evidence", found, expected))
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
                    Problem(files["geographies"], _line(index), "members", repr(member), expected)
                )
        seen, place = {row["name"]}, parents.get(row["name"], "")
        while place:
            if place in seen:
                found = f"a parent chain that loops back to {place!r}"
                problems.append(
                    Problem(
                        files["geographies"],
                        _line(index),
                        "parent",
                        found,
                        "a chain ending at World",
                    )
                )
                break
            seen.add(place)
            place = parents.get(place, "")
    return problems


REFERENCE_LOCATOR = re.compile(r"reference line (\d+)")


def excluded_lines(tables: Tables, files: Files) -> list[Problem]:
    """A reference line excluded whole is cited by no row; one excluded in part is cited."""
    excluded = tables.get("excluded")
    if excluded is None:
        return []
    cited: dict[int, str] = {}
    for name, table in tables.items():
        if name == "excluded" or "locator" not in table.columns:
            continue
        for index, locator in table["locator"].items():
            match = REFERENCE_LOCATOR.fullmatch(str(locator))
            if match:
                cited.setdefault(int(match.group(1)), f"{files[name]}:{_line(index)}")
    problems = []
    for index, row in excluded.iterrows():
        number = int(row["reference_line"])
        if row["scope"] == "row" and number in cited:
            found = f"'row' for reference line {number}, which {cited[number]} cites"
            problems.append(Problem(files["excluded"], _line(index), "scope", found, "'part'"))
        elif row["scope"] == "part" and number not in cited:
            found = f"'part' for reference line {number}, which no row cites"
            problems.append(Problem(files["excluded"], _line(index), "scope", found, "'row'"))
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
            _line(i),
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
            found = (
                f"{row['short_title']!r} dated {row['date'] or 'nothing'}, as on line {_line(line)}"
            )
            problems.append(
                Problem(
                    files["sources"],
                    _line(index),
                    "short_title",
                    found,
                    "a short title and date that tell this source apart from the others",
                )
            )
    return problems


CHECKS: dict[str, Callable[[Tables, Files], list[Problem]]] = {
    "percent_range": percent_range,
    "non_negative_counts": non_negative_counts,
    "shares_sum": shares_sum,
    "one_unit_per_metric": one_unit_per_metric,
    "preferred_rows": preferred_rows,
    "repeats": repeats,
    "dating_rule": dating_rule,
    "change_spans": change_spans,
    "calendar_years": calendar_years,
    "evidence_matches_source": evidence_matches_source,
    "geography_members": geography_members,
    "excluded_lines": excluded_lines,
    "ranks_given": ranks_given,
    "distinct_citations": distinct_citations,
}


def run_checks(tables: Tables, files: Files) -> list[Problem]:
    """Run every cross-table check and return all problems found."""
    return [problem for check in CHECKS.values() for problem in check(tables, files)]
