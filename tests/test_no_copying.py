"""Our own words: no free-text field shares 12 or more consecutive words with a source.

Figures and facts carry over from the five documents and the reference evidence snippets;
sentences do not. Every text cell of every table (and every description in datapackage.json)
is compared, after normalising case, punctuation and whitespace, with the five source texts and
the evidence snippets of ``../shared/reference/public_figures.csv`` and ``official_figures.csv``.
``as_printed`` (verbatim by design) and titles and headings (``title``, ``short_title``, ``section``, ``theme``,
``edition``, ``partnership``, ``index_name``) are exempt.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from helpers import DATA, SHARED, edit_cell, find_row

pytestmark = pytest.mark.skipif(
    not (SHARED / "sources").is_dir(), reason=f"{SHARED} not present: copying not checkable here"
)

RUN = 12
"""Consecutive words two texts may not share."""

EXEMPT = {"as_printed", "title", "short_title", "section", "theme", "edition", "partnership"}
EXEMPT |= {"index_name"}

Index = dict[tuple[str, ...], str]


def words(text: str) -> list[str]:
    """Lower-case words with punctuation, quotes and hyphens removed (``UK’s`` → ``uks``)."""
    text = text.lower().replace("’", "'").replace("‘", "'")
    text = re.sub(r"[^a-z0-9']+", " ", text).replace("'", "")
    return text.split()


def runs(text: str, n: int = RUN) -> list[tuple[str, ...]]:
    """Every run of ``n`` consecutive words of ``text``."""
    w = words(text)
    return [tuple(w[i : i + n]) for i in range(len(w) - n + 1)]


def source_index(texts: dict[str, str], n: int = RUN) -> Index:
    """Each run of ``n`` words in the sources, mapped to the first source it occurs in."""
    index: Index = {}
    for name, text in texts.items():
        for run in runs(text, n):
            index.setdefault(run, name)
    return index


def shared_run(text: str, index: Index, n: int = RUN) -> tuple[str, str] | None:
    """The first run of ``n`` words ``text`` shares with a source, and that source; or None."""
    for run in runs(text, n):
        if run in index:
            return " ".join(run), index[run]
    return None


def copied_fields(folder: Path, index: Index) -> list[str]:
    """``file:line:field — shares '…' with source`` for every free-text cell that copies."""
    found = []
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        texts = [("description", resource.get("description", ""))]
        texts += [
            (f"{f['name']}.description", f.get("description", ""))
            for f in resource["schema"]["fields"]
        ]
        for field, text in texts:
            hit = shared_run(text, index)
            if hit:
                found.append(
                    f"datapackage.json:{resource['name']}:{field} — shares '{hit[0]}' with {hit[1]}"
                )
        with open(folder / resource["path"], newline="", encoding="utf-8") as fh:
            for line, row in enumerate(csv.DictReader(fh), start=2):
                for field, text in row.items():
                    if field in EXEMPT or not text:
                        continue
                    hit = shared_run(text, index)
                    if hit:
                        found.append(
                            f"{resource['path']}:{line}:{field} — shares '{hit[0]}' with {hit[1]}"
                        )
    return found


@pytest.fixture(scope="module")
def index() -> Index:
    texts = {
        p.name: p.read_text(encoding="utf-8") for p in sorted((SHARED / "sources").glob("*.txt"))
    }
    for name in ("public_figures.csv", "official_figures.csv"):
        with open(SHARED / "reference" / name, newline="", encoding="utf-8") as fh:
            for line, row in enumerate(csv.DictReader(fh), start=2):
                texts[f"{name} line {line}"] = row["evidence"]
    return source_index(texts)


def test_no_free_text_field_copies_a_source(index):
    assert copied_fields(DATA, index) == []


# A sentence of the International Technology Strategy (line 429), 16 words long.
COPIED = (
    "We will invest in the FCDO’s Global Science network, including the Science and "
    "Innovation Network and Research Hubs."
)


def test_a_planted_copy_is_caught(data_copy, index):
    row = find_row(data_copy, "recommendations", id="rec-002-84")
    line = edit_cell(data_copy, "recommendations", row, "summary", COPIED)
    row = find_row(data_copy, "regional", id="reg-000-04")
    caveat_line = edit_cell(data_copy, "regional", row, "caveat", f"Careful: {COPIED.upper()}!")
    found = copied_fields(data_copy, index)
    run = "we will invest in the fcdos global science network including the science"
    assert sorted(found) == [
        f"recommendations.csv:{line}:summary — shares '{run}' with 002_ff0dd955df2ce438.txt",
        f"regional.csv:{caveat_line}:caveat — shares '{run}' with 002_ff0dd955df2ce438.txt",
    ]


def test_a_copied_description_in_the_package_is_caught(data_copy, index):
    path = data_copy / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    package["resources"][0]["description"] = COPIED
    path.write_text(json.dumps(package), encoding="utf-8")
    assert copied_fields(data_copy, index) == [
        "datapackage.json:sources:description — shares 'we will invest in the fcdos global "
        "science network including the science' with 002_ff0dd955df2ce438.txt"
    ]


def test_eleven_shared_words_and_verbatim_fields_pass(data_copy, index):
    eleven = " ".join(COPIED.split()[:11])
    row = find_row(data_copy, "recommendations", id="rec-002-84")
    edit_cell(data_copy, "recommendations", row, "summary", f"{eleven} and more of our own.")
    edit_cell(data_copy, "recommendations", row, "as_printed", COPIED)
    assert copied_fields(data_copy, index) == []


def test_reference_evidence_snippets_count_as_sources(data_copy, index):
    snippet = "Southern regions of South West, London and South East have an estimated 53 per cent"
    row = find_row(data_copy, "regional", id="reg-ref-011")
    line = edit_cell(data_copy, "regional", row, "note", snippet)
    found = copied_fields(data_copy, index)
    assert found == [
        f"regional.csv:{line}:note — shares '{' '.join(words(snippet)[:12])}' with public_figures.csv line 54"
    ]


def test_words_normalise_case_punctuation_and_space():
    assert words("The UK’s  top-three\nS&T nations.") == [
        "the",
        "uks",
        "top",
        "three",
        "s",
        "t",
        "nations",
    ]
    index = source_index({"doc": " ".join(f"w{i}" for i in range(20))})
    assert shared_run(" ".join(f"W{i}," for i in range(3, 15)), index) == (
        " ".join(f"w{i}" for i in range(3, 15)),
        "doc",
    )
    assert shared_run(" ".join(f"w{i}" for i in range(3, 14)), index) is None
