"""Reader-facing citations: short titles, kinds and places in words, press reports credited honestly."""

from __future__ import annotations

import pandas as pd
import pytest
from ukcyber import citations

SOURCES = pd.DataFrame(
    {
        "source_id": ["paper", "itpro", "gov", "odd"],
        "title": [
            "Cybersecuronomics: Cybersecurity and Labour's Modern Industrial Strategy",
            "ITPro: UK's cyber security industry defies tumultuous 2020",
            "UK cyber security sectoral analysis 2023 (DSIT, gov.uk)",
            "Odd row",
        ],
        "publisher": ["Progressive Britain", "ITPro", "DSIT", ""],
        "date": ["2023-09", "2021-05-12", "c. 2023", ""],
        "licence": ["unknown", "", "Open Government Licence v3.0", ""],
        "kind": [
            "think_tank_paper",
            "press_report_of_official_statistics",
            "official_statistics",
            "https://wrong.example",
        ],
        "url": ["https://pb.example/c", "https://itpro.example/b", "https://gov.uk/x", "not a url"],
    }
)


@pytest.mark.parametrize(
    ("date", "words"),
    [
        ("2023-09", "September 2023"),
        ("2020-01-29", "29 January 2020"),
        ("c. 2022", "c. 2022"),
        ("", ""),
        ("2023-13", "2023-13"),
    ],
)
def test_date_words(date, words):
    assert citations.date_words(date) == words


@pytest.mark.parametrize(
    ("locator", "section", "words"),
    [
        ("line 464", "2. Introduction", "section “2. Introduction”, line 464 of the text edition"),
        ("reference line 23", "", "line 23 of our reference list of public figures"),
        ("derived", "", "derived from the stated figures"),
        ("p. 5", "", "p. 5"),
    ],
)
def test_locator_words(locator, section, words):
    assert citations.locator_words(locator, section) == words


def test_short_title_uses_the_column_when_present():
    assert citations.short_title({"title": "ITPro: long headline"}) == "ITPro"
    assert citations.short_title({"title": "No colon here"}) == "No colon here"
    assert citations.short_title({"title": "ITPro: long", "short_title": "IT Pro"}) == "IT Pro"
    assert citations.short_title({"title": "ITPro: long", "short_title": " "}) == "ITPro"


def test_a_press_report_of_official_statistics_says_so():
    row = {
        "source_id": "itpro",
        "edition": "Cyber Security Sectoral Analysis 2021",
        "locator": "reference line 6",
    }
    c = citations.cite(row, SOURCES)
    assert c.label == "Cyber Security Sectoral Analysis 2021, as reported by ITPro"
    assert c.source.kind == "press report of official statistics"
    assert c.url == "https://itpro.example/b"
    no_edition = citations.cite({"source_id": "itpro", "locator": ""}, SOURCES)
    assert no_edition.label == "official statistics, as reported by ITPro"


def test_other_sources_are_named_by_short_title_and_date_and_never_by_id():
    c = citations.cite(
        {"source_id": "paper", "locator": "line 464", "section": "2. Introduction"}, SOURCES
    )
    assert (
        c.text()
        == "Cybersecuronomics (September 2023), section “2. Introduction”, line 464 of the text edition"
    )
    assert c.source.kind == "think-tank paper"
    odd = citations.cite({"source_id": "odd", "locator": "line 1"}, SOURCES)
    assert odd.source.kind == "source" and odd.url == ""  # a URL in `kind` is never shown
    missing = citations.cite({"source_id": "nowhere", "locator": "line 1"}, SOURCES)
    assert missing.label == "Unknown source" and "nowhere" not in missing.text()


def test_cite_rows_lists_each_citation_once_and_provenance_fills_csv_columns():
    rows = pd.DataFrame(
        {"source_id": ["paper", "paper", "gov"], "locator": ["line 1", "line 1", "line 2"]}
    )
    assert len(citations.cite_rows(rows, SOURCES)) == 2
    out = citations.provenance(rows, SOURCES)
    assert list(out.columns) == ["source", "source_kind", "source_url", "locator"]
    assert (
        out["source"].iloc[2] == "UK cyber security sectoral analysis 2023 (DSIT, gov.uk) (c. 2023)"
    )


def test_citation_round_trips_through_json():
    c = citations.cite({"source_id": "gov", "locator": "line 2"}, SOURCES)
    assert citations.Citation.from_json(c.to_json()) == c


def test_data_as_of_is_the_newest_dated_source():
    assert citations.data_as_of(SOURCES) == "September 2023"
    assert citations.data_as_of(SOURCES.iloc[2:]) == "not stated"
