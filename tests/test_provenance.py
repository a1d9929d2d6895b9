"""Every row's as_printed text is where its locator says, in the source it cites.

The tests call the check ``ukcyber validate`` runs (:func:`ukcyber.data.check_provenance`).
"""

from __future__ import annotations

import csv
import re

import pytest
from helpers import SHARED, edit_cell, find_row
from ukcyber.checks.provenance import cited_rows, provenance_problems
from ukcyber.data import check_provenance, load, typed_tables

pytestmark = pytest.mark.skipif(
    not (SHARED / "sources").is_dir(), reason=f"{SHARED} not present: provenance not checkable here"
)


def test_every_cited_row_prints_its_words_where_its_locator_says():
    """The five documents' rows, the reference rows and the official rows all pass, in numbers."""
    tables, files = typed_tables()
    problems, checked = provenance_problems(tables, files, SHARED)
    assert not problems, "\n".join(map(str, problems))
    locators = [row["locator"] for _, _, row in cited_rows(tables)]
    assert sum(bool(re.fullmatch(r"line \d+", loc)) for loc in locators) >= 300
    assert sum(loc.startswith("reference line ") for loc in locators) >= 100
    assert sum(loc.startswith("official line ") for loc in locators) >= 80
    assert checked == check_provenance(shared=SHARED) >= 480


def broken(folder) -> list[str]:
    """The provenance problems of a data copy, as the lines ``ukcyber validate`` prints."""
    from ukcyber.errors import DataError

    with pytest.raises(DataError) as caught:
        check_provenance(folder, shared=SHARED)
    return [str(p) for p in caught.value.problems]


def test_a_text_locator_one_page_off_is_named(data_copy):
    index = find_row(data_copy, "recommendations", id="rec-000-01")
    line = edit_cell(data_copy, "recommendations", index, "locator", "line 312")
    assert broken(data_copy) == [
        f"recommendations.csv:{line}:locator — found 'Make, Buy and Sell More in Britain’ agenda "
        "provides' not within 3 lines of line 312, expected the line of the text edition where "
        "those words are printed"
    ]


def test_a_locator_past_the_end_of_the_text_is_named(data_copy):
    index = find_row(data_copy, "sector_statistics", id="sec-000-03")
    line = edit_cell(data_copy, "sector_statistics", index, "locator", "line 99999")
    (problem,) = broken(data_copy)
    assert problem.startswith(f"sector_statistics.csv:{line}:locator — found 'line 99999', ")
    assert "expected a line of the text edition (1 to " in problem


def test_a_reference_line_without_the_words_is_named(data_copy):
    _, rows = read(data_copy, "sector_statistics")
    index, row = next(
        (i, r) for i, r in enumerate(rows) if r["locator"].startswith("official line ")
    )
    n = int(row["locator"].split()[-1])
    other = next(
        m
        for m, ref in reference_lines("official_figures.csv").items()
        if m != n and row["as_printed"] not in ref["evidence"]
    )
    line = edit_cell(data_copy, "sector_statistics", index, "locator", f"official line {other}")
    assert broken(data_copy) == [
        f"sector_statistics.csv:{line}:locator — found {row['as_printed']!r} not in the evidence "
        f"of official line {other}, expected the line whose evidence prints those words"
    ]


def test_validate_says_in_one_line_when_it_cannot_check_provenance(tmp_path, monkeypatch, capsys):
    from ukcyber.cli import main

    monkeypatch.setenv("UKCYBER_SHARED", str(tmp_path / "nowhere"))
    assert main(["validate"]) == 0
    out = capsys.readouterr()
    said = [line for line in (out.out + out.err).splitlines() if "provenance" in line]
    assert said == [f"provenance not checked: no source texts at {tmp_path / 'nowhere'}"]


def test_validate_fails_on_a_wrong_locator_with_exit_2(data_copy, monkeypatch, capsys):
    from ukcyber.cli import main

    monkeypatch.setenv("UKCYBER_SHARED", str(SHARED))
    index = find_row(data_copy, "recommendations", id="rec-000-01")
    line = edit_cell(data_copy, "recommendations", index, "locator", "line 312")
    assert main(["validate"]) == 2
    out = capsys.readouterr()
    assert f"recommendations.csv:{line}:locator — found " in out.out + out.err


def read(folder, table):
    with open(folder / f"{table}.csv", newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        return reader.fieldnames, list(reader)


def reference_lines(file: str) -> dict[int, dict[str, str]]:
    """CSV line (header = line 1) → row of a reference file in ../shared/reference/."""
    with open(SHARED / "reference" / file, newline="", encoding="utf-8") as fh:
        return {i: row for i, row in enumerate(csv.DictReader(fh), start=2)}


def held_and_excluded(word: str, file: str) -> tuple[list[int], set[int], set[int], set[int]]:
    """(lines of the file, lines cited by a row, lines excluded whole, all lines excluded)."""
    lines = list(reference_lines(file))
    cited = {
        int(match.group(1))
        for _, _, row in cited_rows(typed_tables()[0])
        if (match := re.fullmatch(rf"{word} line (\d+)", row["locator"]))
    }
    excluded = load("excluded")
    mine = excluded[excluded["reference_file"] == file.removesuffix(".csv")]
    whole = set(mine.loc[mine["scope"] == "row", "reference_line"].astype(int))
    return lines, cited, whole, set(mine["reference_line"].astype(int))


def test_every_reference_row_is_in_the_data_or_excluded():
    lines, cited, whole, listed = held_and_excluded("reference", "public_figures.csv")
    missing = [n for n in lines if n not in cited and n not in whole]
    assert not missing, f"reference lines neither in data/ nor in excluded.csv: {missing}"
    unknown = sorted(listed - set(lines))
    assert not unknown, f"excluded.csv names lines the reference file does not have: {unknown}"
    assert len(whole) >= 8 and 47 in cited and 48 in cited


def test_every_official_line_is_in_the_data_or_excluded():
    """Each figure of official_figures.csv is held by a row or excluded with a reason."""
    lines, cited, whole, listed = held_and_excluded("official", "official_figures.csv")
    missing = [n for n in lines if n not in cited and n not in whole]
    assert not missing, f"official lines neither in data/ nor in excluded.csv: {missing}"
    unknown = sorted(listed - set(lines))
    assert not unknown, f"excluded.csv names lines the official file does not have: {unknown}"
    assert len(cited) >= 80


def test_official_rows_come_from_at_least_twenty_official_publications():
    sources = load("sources").set_index("source_id")
    official = {
        row["source_id"]
        for _, _, row in cited_rows(typed_tables()[0])
        if row["locator"].startswith("official line ")
    }
    assert len(official) >= 20
    assert set(sources.loc[sorted(official), "kind"]) <= {
        "official_statistics",
        "official_research",
        "departmental_publication",
        "parliamentary_record",
        "copy_of_official_report",
    }
