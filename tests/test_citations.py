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
    ("locator", "section", "printed", "words"),
    [
        ("line 464", "2. Introduction", "58,005", "section “2. Introduction”, printed as “58,005”"),
        ("lines 12-14", "Summary", "", "section “Summary”"),
        ("reference line 23", "A1. Sectoral analysis", "846", "printed as “846”"),
        ("official line 7", "B. Breaches", "39%", "printed as “39%”"),
        ("derived", "", "", "derived from the stated figures"),
        ("p. 5", "", "", "p. 5"),
    ],
)
def test_locator_words_name_the_heading_and_the_words_never_our_own_lines(
    locator, section, printed, words
):
    """A document row: its heading and the words it prints; a reference row (a web page): its
    words only, never the line or heading of our reference file."""
    assert citations.locator_words(locator, section, printed) == words
    assert "reference list" not in words and "text edition" not in words


def test_the_page_of_the_original_is_named_when_known():
    assert citations.locator_words("line 9", "Intro", "£1bn", page="12") == (
        "section “Intro”, page 12, printed as “£1bn”"
    )


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
    assert c.label == "Cyber Security Sectoral Analysis 2021, as reported by ITPro (12 May 2021)"
    assert c.source.kind == "press report of official statistics"
    assert c.url == "https://itpro.example/b"
    no_edition = citations.cite({"source_id": "itpro", "locator": ""}, SOURCES)
    assert no_edition.label == "official statistics, as reported by ITPro (12 May 2021)"


def test_other_sources_are_named_by_short_title_and_date_and_never_by_id():
    c = citations.cite(
        {
            "source_id": "paper",
            "locator": "line 464",
            "section": "2. Introduction",
            "as_printed": "58,005",
        },
        SOURCES,
    )
    assert (
        c.text()
        == "Cybersecuronomics (September 2023), section “2. Introduction”, printed as “58,005”"
    )
    assert c.source.kind == "think-tank paper"
    odd = citations.cite({"source_id": "odd", "locator": "line 1"}, SOURCES)
    assert odd.source.kind == "source of another kind" and odd.url == ""  # never the raw kind
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


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("press_report", "press report"),
        ("press_report_of_index", "press report of a cyber power index"),
        ("press_report_of_market_research", "press report of market research"),
        ("official_statistics", "official statistics"),
    ],
)
def test_every_kind_of_source_is_said_in_reader_words(kind, words):
    assert citations.kind_words(kind) == words


def test_every_kind_in_the_data_has_reader_words():
    from ukcyber.data import load

    kinds = set(load("sources")["kind"])
    assert {
        k: citations.kind_words(k) for k in kinds if citations.kind_words(k).startswith("source")
    } == {}


def test_a_short_title_holding_its_year_is_never_dated_twice():
    assert (
        citations.dated_title("Scottish Government (2018)", "2018") == "Scottish Government (2018)"
    )
    assert citations.dated_title("FCO non-paper (2019)", "5 September 2019") == (
        "FCO non-paper (5 September 2019)"
    )
    assert citations.dated_title("Factsheet (2017), p. 5", "February 2017") == (
        "Factsheet (February 2017), p. 5"
    )
    assert citations.dated_title("ITPro", "2021") == "ITPro (2021)"


def test_a_source_with_no_address_says_how_to_get_it():
    source = citations.cite(
        {"source_id": "odd"},
        SOURCES.assign(
            publisher=["a", "b", "c", "The FCO"],
            title=["t1", "t2", "t3", "Non-paper on norms"],
            date=["", "", "", "2019-09-05"],
        ),
    ).source
    assert source.url == ""
    assert source.how_to_get == (
        "No public web address is known: ask the publisher, The FCO, or a library for "
        "“Non-paper on norms” (5 September 2019)."
    )
    assert citations.cite({"source_id": "paper"}, SOURCES).source.how_to_get == ""


FOUND = {
    "sec-ref-006": {
        "source_id": "itpro",
        "edition": "Cyber Security Sectoral Analysis 2021",
        "locator": "reference line 6",
        "period": "2019",
        "value": 42855.0,
        "unit": "people",
        "scale": "one",
        "qualifier": "exact",
    },
    "sec-000-21": {
        "source_id": "paper",
        "locator": "line 40",
        "section": "1. Executive Summary",
        "period": "2022",
        "value": 50.0,
        "unit": "employees",
        "scale": "one",
        "qualifier": "more_than",
    },
}


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            "FTE employment rose from 42,855 in 2019 (sec-ref-006) to more.",
            "FTE employment rose from 42,855 in 2019 (in Cyber Security Sectoral Analysis 2021, "
            "as reported by ITPro (12 May 2021)) to more.",
        ),
        (
            "Conflicts with sec-ref-006: a smaller share.",
            "Conflicts with the 2019 figure in Cyber Security Sectoral Analysis 2021, as reported "
            "by ITPro (12 May 2021) (42,855 people): a smaller share.",
        ),
        (
            "Repeat of the threshold first given at line 40 (sec-000-21).",
            "Repeat of the threshold first given (in Cybersecuronomics (September 2023), section "
            "“1. Executive Summary”).",
        ),
        (
            "Stated two ways: over 50 (line 221) and fifty or more (line 833).",
            "Stated two ways: over 50 and fifty or more.",
        ),
        ("Unknown (zzz-ref-999).", "Unknown (another figure in the data)."),
        ("No id here.", "No id here."),
    ],
)
def test_row_ids_in_our_own_text_become_the_source_and_figure_they_name(text, words):
    out = citations.row_words(text, FOUND.get, SOURCES)
    assert out == words
    assert not citations.ROW_ID.search(out) and "line" not in out
