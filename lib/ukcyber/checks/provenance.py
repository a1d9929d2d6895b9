"""Provenance: every row's printed words are where its locator says, in the source it cites.

A row citing one of the five documents (``line N`` of its text edition) must have its
``as_printed`` words within :data:`WINDOW` lines of line N. A row citing a reference file
(``reference line N``, ``official line N``) must have them in that line's evidence snippet, and
cite the page that line was read from. The source texts live outside the project
(:func:`ukcyber.paths.shared_dir`); ``ukcyber validate`` runs this check when they are there and
says in one line that it skipped it when they are not, and the tests call the same function.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd

from ukcyber.checks.common import Files, Tables, csv_line
from ukcyber.errors import Problem

WINDOW = 3
"""Lines either side of a ``line N`` locator the printed words may fall in."""

REFERENCE_FILES = {"reference": "public_figures.csv", "official": "official_figures.csv"}
"""Locator word → the reference file whose lines it names (``reference line 23``)."""

TEXT_LINE = re.compile(r"line (\d+)")
REFERENCE_LINE = re.compile(r"(reference|official) line (\d+)")


def available(shared: Path) -> bool:
    """Whether ``shared`` holds the source texts and the reference files the check reads."""
    return (shared / "sources").is_dir() and all(
        (shared / "reference" / name).is_file() for name in REFERENCE_FILES.values()
    )


def normalise(text: str) -> str:
    """Collapse runs of white space, so a figure printed across a line break still matches."""
    return re.sub(r"\s+", " ", str(text)).strip()


def cited_rows(tables: Tables) -> list[tuple[str, int, pd.Series]]:
    """``(table, csv line, row)`` for every row of every table with a locator."""
    return [
        (name, csv_line(index), row)
        for name, table in tables.items()
        if {"source_id", "locator", "as_printed"} <= set(table.columns)
        for index, row in table.iterrows()
    ]


def reference_lines(shared: Path, file: str) -> dict[int, dict[str, str]]:
    """CSV line (header = line 1) → row of a reference file in ``shared/reference/``."""
    with open(shared / "reference" / file, newline="", encoding="utf-8") as fh:
        return {i: row for i, row in enumerate(csv.DictReader(fh), start=2)}


def text_editions(tables: Tables, shared: Path) -> dict[str, list[str]]:
    """Source id → the lines of its text edition, for the sources that have one."""
    sources = tables["sources"]
    return {
        row["source_id"]: (shared / "sources" / row["text_edition"])
        .read_text(encoding="utf-8")
        .splitlines()
        for _, row in sources.iterrows()
        if row.get("text_edition")
    }


def provenance_problems(tables: Tables, files: Files, shared: Path) -> tuple[list[Problem], int]:
    """Every row whose printed words are not where its locator says, and how many were checked.

    Returns
    -------
    tuple of (list of Problem, int)
        One problem per row (``file:line:locator — found …, expected …``) and the number of
        rows whose locator this check could read.
    """
    texts = text_editions(tables, shared)
    evidence = {word: reference_lines(shared, file) for word, file in REFERENCE_FILES.items()}
    urls = tables["sources"].set_index("source_id")["url"]
    problems, checked = [], 0
    for name, line, row in cited_rows(tables):
        if row["source_id"] in texts:
            problem = _text_problem(row, texts[row["source_id"]])
        elif match := REFERENCE_LINE.fullmatch(row["locator"]):
            ref = evidence[match.group(1)].get(int(match.group(2)))
            problem = _reference_problem(row, ref, urls.get(row["source_id"], ""))
        elif row["source_id"].startswith("ref_"):
            problem = f"{row['locator']!r}", "'reference line N' or 'official line N'"
        else:
            continue
        checked += 1
        if problem:
            problems.append(Problem(files[name], line, "locator", *problem))
    return problems, checked


def _text_problem(row: pd.Series, lines: list[str]) -> tuple[str, str] | None:
    """``(found, expected)`` when the printed words are not near the text line cited."""
    match = TEXT_LINE.fullmatch(row["locator"])
    if not match or not 1 <= int(match.group(1)) <= len(lines):
        return f"{row['locator']!r}", f"a line of the text edition (1 to {len(lines)})"
    n = int(match.group(1))
    if normalise(row["as_printed"]) in normalise(
        " ".join(lines[max(0, n - 1 - WINDOW) : n + WINDOW])
    ):
        return None
    return (
        f"{row['as_printed']!r} not within {WINDOW} lines of {row['locator']}",
        "the line of the text edition where those words are printed",
    )


def _reference_problem(
    row: pd.Series, ref: dict[str, str] | None, url: str
) -> tuple[str, str] | None:
    """``(found, expected)`` when a reference line lacks the printed words or is another page's."""
    if ref is None:
        return f"{row['locator']!r}, which the reference file does not have", "a line it has"
    if normalise(row["as_printed"]) not in normalise(ref["evidence"]):
        return (
            f"{row['as_printed']!r} not in the evidence of {row['locator']}",
            "the line whose evidence prints those words",
        )
    if ref["source_url"] != url:
        return (
            f"{row['locator']} is from {ref['source_url']}",
            f"a line read from the source's own page ({url or 'none'})",
        )
    return None
