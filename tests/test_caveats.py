"""Every caveat in the data is listed in the caveats guide, with the rows that carry it."""

from __future__ import annotations

import re

from helpers import REPO, edit_cell, find_row
from ukcyber.data import descriptor, load

SECTION = "## Caveats recorded in the data"
GUIDE = REPO / "docs" / "guides" / "caveats.md"


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def caveats() -> dict[str, list[str]]:
    """Each distinct caveat of the data package → the ``table:id`` of every row carrying it."""
    found: dict[str, list[str]] = {}
    for resource in descriptor()["resources"]:
        table = load(resource["name"])
        if "caveat" not in table.columns:
            continue
        for _, row in table[table["caveat"].str.strip() != ""].iterrows():
            found.setdefault(normalise(row["caveat"]), []).append(f"{resource['name']}:{row['id']}")
    return found


def guide_caveats() -> dict[str, str]:
    """The caveats guide's list: caveat text → the line listing it."""
    text = GUIDE.read_text(encoding="utf-8")
    assert SECTION in text, f"{GUIDE.name} has no {SECTION!r} section"
    listed = {}
    for line in text.split(SECTION, 1)[1].splitlines():
        match = re.fullmatch(r"- (`[^:]*`(?:, `[^`]*`)*): (.+)", line.strip())
        if match:
            listed[normalise(match.group(2))] = match.group(1)
    return listed


def missing_from_guide() -> list[str]:
    listed = guide_caveats()
    problems = []
    for caveat, rows in caveats().items():
        if caveat not in listed:
            problems.append(f"not listed: {caveat!r} ({', '.join(rows)})")
            continue
        for row in rows:
            if f"`{row.split(':')[1]}`" not in listed[caveat]:
                problems.append(f"{row} not named with: {caveat!r}")
    return problems


def test_guide_lists_every_caveat_with_its_rows():
    assert len(caveats()) >= 20
    assert missing_from_guide() == []


def test_guide_lists_no_caveat_the_data_lacks():
    assert set(guide_caveats()) <= set(caveats())


def test_a_new_caveat_must_be_listed(data_copy):
    index = find_row(data_copy, "sector_statistics", id="sec-ref-001")
    edit_cell(data_copy, "sector_statistics", index, "caveat", "A caveat nobody listed.")
    assert missing_from_guide() == [
        "not listed: 'A caveat nobody listed.' (sector_statistics:sec-ref-001)"
    ]


def test_a_caveat_on_one_more_row_must_name_it(data_copy):
    caveat = load("regional").set_index("id").at["reg-ref-029", "caveat"]
    index = find_row(data_copy, "regional", id="reg-ref-034")
    edit_cell(data_copy, "regional", index, "caveat", caveat)
    assert missing_from_guide() == [f"regional:reg-ref-034 not named with: {caveat!r}"]
