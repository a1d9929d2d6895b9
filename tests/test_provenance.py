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


def test_reference_rows_match_the_evidence_snippet():
    with open(SHARED / "reference" / "public_figures.csv", newline="", encoding="utf-8") as fh:
        evidence = {i: row for i, row in enumerate(csv.DictReader(fh), start=2)}
    sources = load("sources").set_index("source_id")
    checked, failures = 0, []
    for table, line, row in cited_rows():
        if not row["source_id"].startswith("ref_"):
            continue
        n = int(re.fullmatch(r"reference line (\d+)", row["locator"]).group(1))
        ref = evidence.get(n)
        if ref is None or normalise(row["as_printed"]) not in normalise(ref["evidence"]):
            failures.append(f"{table}.csv:{line}: {row['as_printed']!r} not in reference line {n}")
        elif ref["source_url"] != sources.at[row["source_id"], "url"]:
            failures.append(f"{table}.csv:{line}: reference line {n} is from another page")
        checked += 1
    assert not failures, "\n".join(failures)
    assert checked >= 100


def test_every_reference_row_is_in_the_data_or_excluded():
    with open(SHARED / "reference" / "public_figures.csv", newline="", encoding="utf-8") as fh:
        lines = [i for i, _ in enumerate(csv.DictReader(fh), start=2)]
    cited = {
        int(match.group(1))
        for _, _, row in cited_rows()
        if (match := re.fullmatch(r"reference line (\d+)", row["locator"]))
    }
    excluded = load("excluded")
    whole = set(excluded.loc[excluded["scope"] == "row", "reference_line"].astype(int))
    missing = [n for n in lines if n not in cited and n not in whole]
    assert not missing, f"reference lines neither in data/ nor in excluded.csv: {missing}"
    unknown = sorted(set(excluded["reference_line"].astype(int)) - set(lines))
    assert not unknown, f"excluded.csv names lines the reference file does not have: {unknown}"
    assert len(whole) >= 8 and 47 in cited and 48 in cited
