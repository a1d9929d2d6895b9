"""Every row's as_printed text is where its locator says, in the source it cites."""

from __future__ import annotations

import csv
import re

import pytest
from helpers import SHARED
from ukcyber.data import descriptor, load

pytestmark = pytest.mark.skipif(
    not (SHARED / "sources").is_dir(), reason=f"{SHARED} not present: provenance not checkable here"
)
WINDOW = 3


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def cited_rows():
    """(table, line, row) for every row of every table that has a locator."""
    for res in descriptor()["resources"]:
        table = load(res["name"])
        if not {"source_id", "locator", "as_printed"} <= set(table.columns):
            continue
        for index, row in table.iterrows():
            yield res["name"], index + 2, row


def test_rows_citing_the_five_documents_match_their_text():
    sources = load("sources").set_index("source_id")
    editions = {sid: e for sid, e in sources["text_edition"].items() if e}
    assert len(editions) == 5
    texts = {
        sid: (SHARED / "sources" / e).read_text(encoding="utf-8").splitlines()
        for sid, e in editions.items()
    }
    checked, failures = 0, []
    for table, line, row in cited_rows():
        if row["source_id"] not in texts:
            continue
        match = re.fullmatch(r"line (\d+)", row["locator"])
        lines = texts[row["source_id"]]
        if not match or not 1 <= int(match.group(1)) <= len(lines):
            failures.append(
                f"{table}.csv:{line}: locator {row['locator']!r} is not a line of the text"
            )
            continue
        n = int(match.group(1))
        window = normalise(" ".join(lines[max(0, n - 1 - WINDOW) : n + WINDOW]))
        if normalise(row["as_printed"]) not in window:
            failures.append(
                f"{table}.csv:{line}: {row['as_printed']!r} not within {WINDOW} lines of {row['locator']}"
            )
        checked += 1
    assert not failures, "\n".join(failures)
    assert checked >= 300


REFERENCE_FILES = {"reference": "public_figures.csv", "official": "official_figures.csv"}
"""Locator word → the reference file whose lines it names (``reference line 23``, ``official
line 7``)."""


def reference_lines(file: str) -> dict[int, dict[str, str]]:
    """CSV line (header = line 1) → row of a reference file in ../shared/reference/."""
    with open(SHARED / "reference" / file, newline="", encoding="utf-8") as fh:
        return {i: row for i, row in enumerate(csv.DictReader(fh), start=2)}


def test_reference_rows_match_the_evidence_snippet():
    """A row read in a reference file prints its figure in that line's evidence snippet, and
    cites the page that line is from."""
    evidence = {word: reference_lines(file) for word, file in REFERENCE_FILES.items()}
    sources = load("sources").set_index("source_id")
    checked, failures = {word: 0 for word in REFERENCE_FILES}, []
    for table, line, row in cited_rows():
        match = re.fullmatch(r"(reference|official) line (\d+)", row["locator"])
        if row["source_id"].startswith("ref_") and not match:
            failures.append(f"{table}.csv:{line}: a reference source cited at {row['locator']!r}")
            continue
        if not match:
            continue
        word, n = match.group(1), int(match.group(2))
        ref = evidence[word].get(n)
        if ref is None or normalise(row["as_printed"]) not in normalise(ref["evidence"]):
            failures.append(f"{table}.csv:{line}: {row['as_printed']!r} not in {word} line {n}")
        elif ref["source_url"] != sources.at[row["source_id"], "url"]:
            failures.append(f"{table}.csv:{line}: {word} line {n} is from another page")
        checked[word] += 1
    assert not failures, "\n".join(failures)
    assert checked["reference"] >= 100 and checked["official"] >= 80


def held_and_excluded(word: str, file: str) -> tuple[list[int], set[int], set[int], set[int]]:
    """(lines of the file, lines cited by a row, lines excluded whole, all lines excluded)."""
    lines = list(reference_lines(file))
    cited = {
        int(match.group(1))
        for _, _, row in cited_rows()
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
        for _, _, row in cited_rows()
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
