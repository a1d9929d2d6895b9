"""The site's own pages from plain data: front page, build page, changes page, recommendations."""

from __future__ import annotations

import csv
import io
import json
import re

from ukcyber.data import load
from ukcyber.formatting import when_words
from ukcyber.headlines import HEADLINES, headline_figures
from ukcyber.manifest import Manifest
from ukcyber.site import front as frontpage
from ukcyber.site.recommendations import (
    CSV_COLUMNS,
    recommendation_rows,
    recommendations_csv,
    recommendations_html,
)

HOSTILE = "<script>alert(1)</script> Sector"


def manifest() -> Manifest:
    """The manifest the page writers take (typed; each entry's slug is its key's second part)."""
    data = {
        "generated_at": "2024-06-01T12:00:00Z",
        "data_changed_at": "2024-05-30T09:00:00Z",
        "ran": ["sector_overview/default", "regional/region-wales"],
        "reports": {
            "sector_overview/default": {
                "key": "sector_overview/default",
                "notebook": "sector_overview",
                "title": HOSTILE,
                "params": {},
                "status": "ok",
                "html": "sector_overview/default.html",
                "pdf": "sector_overview/default.pdf",
                "built_at": "2024-06-01 11:59 UTC",
                "seconds": 12.345,
            },
            "regional/region-wales": {
                "key": "regional/region-wales",
                "notebook": "regional",
                "title": "Regional: Wales",
                "params": {"region": "Wales"},
                "status": "failed",
                "html": "regional/region-wales.html",
                "last_good": True,
                "stale": True,
                "stale_because": ["the data changed"],
                "error": "ParameterError: <b>bad</b> region",
                "seconds": 1.0,
            },
            "regional/region-mars": {
                "key": "regional/region-mars",
                "notebook": "regional",
                "title": "Regional: Mars",
                "params": {"region": "Mars", "year": 2023},
                "status": "failed",
                "html": "",
                "error": "no such region",
            },
            "regional/region-london": {
                "key": "regional/region-london",
                "notebook": "regional",
                "title": "Regional: London",
                "params": {"region": "London"},
                "status": "skipped",
                "html": "regional/region-london.html",
                "stale": True,
                "stale_because": ["the data changed", "its notebook changed"],
            },
            "regional/region-bath": {
                "key": "regional/region-bath",
                "notebook": "regional",
                "title": "Regional: Bath",
                "params": {"region": "Bath"},
                "status": "ok",
                "html": "regional/region-bath.html",
                "ad_hoc": True,
            },
        },
    }
    for key, entry in data["reports"].items():
        entry.setdefault("slug", key.split("/", 1)[1])
    return Manifest.model_validate(data)


NOTEBOOKS = [
    frontpage.NotebookSection(
        **{
            "name": "sector_overview",
            "title": "UK cyber sector overview",
            "description": "How big the sector is.",
            "defaults": {"start_year": 2017, "end_year": 2024},
        }
    ),
    frontpage.NotebookSection(
        **{
            "name": "regional",
            "title": "Regional concentration",
            "description": "Where the jobs are.",
            "defaults": {"region": "London", "year": "all"},
        }
    ),
]

HEADLINE = {
    "label": "Sector revenue",
    "value": "£13.2 billion",
    "year": 2024,
    "period": "2024",
    "caveat": "",
    "citation": {"label": "Newsletter", "source": {"url": "https://example.org/n"}},
}

LOG = [
    {
        "built_at": "2024-06-01T12:00:00Z",
        "first": False,
        "data_changed": True,
        "summary": {"regional": {"added": 0, "removed": 1, "changed": 1}},
        "changes": [
            {
                "table": "regional",
                "row": "reg-1",
                "kind": "changed",
                "field": "value",
                "old": "52200",
                "new": "<b>53200</b>",
            },
            {
                "table": "regional",
                "row": "reg-2",
                "kind": "removed",
                "field": "",
                "old": "",
                "new": "",
            },
        ],
        "rebuilt": ["sector_overview/default"],
        "failed": ["regional/region-wales"],
        "stale": ["regional/region-london"],
    },
    {"built_at": "2024-05-30T09:00:00Z", "first": True, "changes": [], "rebuilt": [], "failed": []},
]


def front(**changes) -> str:
    args = {"notebooks": NOTEBOOKS, "headlines": [HEADLINE], "log": LOG} | changes
    return frontpage.front_page_html(manifest(), **args)


def test_front_page_escapes_every_title():
    page = front()
    assert "<script>alert(1)" not in page and "<b>bad</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Sector</a>" in page


def test_one_section_per_notebook_with_its_description_in_matrix_order():
    page = front()
    titles = re.findall(r'<h3 id="nb-[^"]+-title">([^<]+)</h3>', page)
    assert titles == ["UK cyber sector overview", "Regional concentration"]
    assert "How big the sector is." in page and "Where the jobs are." in page
    assert page.index("Sector</a>") < page.index("Regional: Wales")


def test_parameters_in_words_and_defaults_said_once():
    page = front()
    assert "Start year: 2017; End year: 2024 (the default settings)" in page
    assert "notebook" not in page.lower()
    assert "Region: Mars; Year: 2023" in page
    assert ">Region: Wales<" in page  # year left at its default is not repeated


def test_states_out_of_date_failed_and_ad_hoc_are_said_in_words():
    page = front()
    assert "Out of date: the data changed and its analysis changed" in page
    assert (
        "Failed at the last build, showing the last good version: "
        "ParameterError: &lt;b&gt;bad&lt;/b&gt; region. Out of date: the data changed"
    ) in page
    assert "Failed, no report yet: no such region" in page
    assert '<span class="ukc-tag">ad hoc</span>' in page
    assert page.count("ukc-entry-stale") == 1 and page.count("ukc-entry-failed") == 2
    assert "ukc-state-current" not in page and "Up to date<" not in page
    assert '<span class="ukc-entry-title">Regional: Mars</span>' in page  # no page, no link


def test_headline_figures_link_their_source_or_say_there_is_none():
    page = front()
    assert '<a href="https://example.org/n">Newsletter</a>' in page
    assert "Sector revenue, 2024" in page and "£13.2 billion" in page
    no_url = {**HEADLINE, "citation": {"label": "Paper", "source": {"url": ""}}}
    assert "Paper (no public web address is known)" in front(headlines=[no_url])


def test_figure_pages_are_listed_by_topic_and_searched_with_the_reports_that_show_them():
    figures = [
        {
            "metric": "employment",
            "title": "Cyber security sector employment",
            "topic": "UK cyber security sector",
            "summary": "67,300 people (2024, UK)",
            "href": "figures/employment.html",
            "search": "employment jobs workforce",
        },
    ]
    usage = {"employment": [{"title": "Sector", "href": "sector_overview/default.html"}]}
    page = front(figures=figures, usage=usage)
    assert '<a href="figures/employment.html">Cyber security sector employment</a>' in page
    assert re.search(r'class="ukc-figure-entry" data-search="employment jobs workforce"', page)
    entry = re.search(
        r'data-search="([^"]*)">\s*<a class="ukc-entry-title" href="sector_overview/default.html"',
        page,
    )
    assert entry and "jobs" in entry.group(1)
    headline = {**HEADLINE, "label": "People employed in the sector"}
    assert "1 figure page and 5 reports." in page  # real plurals
    assert "figures/employment.html" in front(headlines=[headline], figures=figures)


def test_front_page_dates_what_changed_and_build_link():
    page = front()
    assert "<dt>Data last changed</dt><dd>30 May 2024</dd>" in page
    assert "<dt>Built</dt><dd>1 June 2024, 12:00 UTC</dd>" in page
    assert "The data changed: 1 row removed and 1 row changed in regional." in page
    assert "First build: no earlier data to compare." in page
    assert 'href="build.html"' in page and 'href="changes.html"' in page
    assert 'Of 5 reports, <span class="ukc-state-stale">1 is out of date</span>' in page
    assert "2 failed at the last update" in page
    assert '<script src="assets/search.js"></script>' in page
    assert re.search(r'data-search="[^"]*Wales', page)


def test_build_page_links_failures_and_says_what_ran():
    page = frontpage.build_page_html(manifest())
    assert 'href="_failed/regional/region-wales.error.txt"' in page
    assert 'href="_failed/regional/region-mars.ipynb"' in page
    assert "run (12.3 s)" in page and page.count("not run") == 3
    assert "The last build ran 2 reports." in page
    assert "1 June 2024, 11:59 UTC" in page


def test_changes_page_names_table_row_field_old_new_and_reports():
    page = frontpage.changes_page_html(manifest(), LOG)
    row = re.search(r"<tr><td>regional</td><td>reg-1</td>.*?</tr>", page).group(0)
    assert "<code>value</code>" in row and "<td>52200</td>" in row
    assert "<td>&lt;b&gt;53200&lt;/b&gt;</td>" in row
    assert "<td>reg-2</td><td>row removed</td>" in page
    assert '<a href="sector_overview/default.html">&lt;script&gt;' in page
    assert "Reports that failed in this build (1)" in page
    assert "Out of date after this build (1)" in page


def test_when_words_reads_both_stamp_styles():
    assert when_words("2026-11-24T10:04:05Z") == "24 November 2026, 10:04 UTC"
    assert when_words("2026-11-24 10:04 UTC") == "24 November 2026, 10:04 UTC"
    assert when_words("soon") == "soon"


def test_headline_figures_come_from_the_data_with_a_year_and_source():
    figures = headline_figures()
    assert [f.label for f in figures] == [label for _, _, label in HEADLINES]
    for figure in figures:
        assert 2015 <= figure.year <= 2030 and figure.value and figure.citation["label"]


def test_recommendations_page_embeds_every_row_as_escaped_json():
    rows = recommendation_rows(load("recommendations"), load("sources"))
    assert len(rows) == len(load("recommendations"))
    hostile = [{**rows[0], "summary": "</script><img src=x onerror=alert(1)>"}, *rows[1:]]
    page = recommendations_html(hostile, meta=[("Data as of", "today")])
    data = re.search(r'<script type="application/json" id="finder-data">(.*?)</script>', page, re.S)
    parsed = json.loads(data.group(1))
    assert parsed["rows"][0]["summary"] == "</script><img src=x onerror=alert(1)>"
    assert "<img src=x" not in page
    for label in ("Document", "Theme", "Actor", "Instrument", "Country"):
        assert f">{label}</label>" in page


def test_recommendations_csv_has_every_row_and_column():
    rows = recommendation_rows(load("recommendations"), load("sources"))
    text = recommendations_csv(rows).decode("utf-8-sig")
    parsed = list(csv.DictReader(io.StringIO(text)))
    assert len(parsed) == len(rows) and list(parsed[0]) == CSV_COLUMNS
    assert all(r["source"] for r in parsed)
