"""Site pages: the report index and the data dictionary."""

from __future__ import annotations

import html
import re

from ukcyber import pages
from ukcyber.data import descriptor, load

HOSTILE_TITLE = "<script>alert(1)</script> Sector"


def manifest() -> dict:
    return {
        "generated_at": "2024-06-01T12:00:00Z",
        "data_fingerprint": "0123456789abcdef0123",
        "reports": {
            "sector_overview/default": {
                "notebook": "sector_overview",
                "title": HOSTILE_TITLE,
                "params": {},
                "status": "ok",
                "html": "sector_overview/default.html",
                "built_at": "2024-06-01T11:59:00Z",
                "seconds": 12.345,
            },
            "regional/region-wales": {
                "notebook": "regional",
                "title": "Regional: Wales",
                "params": {"region": "Wales"},
                "status": "failed",
                "html": "regional/region-wales.html",
                "last_good": True,
                "error": "ParameterError: <b>bad</b> region",
                "seconds": 1.0,
            },
            "regional/region-mars": {
                "notebook": "regional",
                "title": "Regional: Mars",
                "params": {"region": "Mars", "year": 2023},
                "status": "failed",
                "html": "",
                "error": "no such region",
            },
            "regional/region-london": {
                "notebook": "regional",
                "title": "Regional: London",
                "params": {"region": "London"},
                "status": "skipped",
                "html": "regional/region-london.html",
                "seconds": 0.0,
            },
        },
    }


def test_index_lists_every_entry_with_escaped_titles():
    page = pages.index_html(manifest())
    assert "<script>alert(1)" not in page
    assert (
        '<a href="sector_overview/default.html">&lt;script&gt;alert(1)&lt;/script&gt; Sector</a>'
        in page
    )
    assert '<a href="regional/region-wales.html">Regional: Wales</a>' in page
    assert "<td>Regional: Mars</td>" in page  # no page, so no link
    assert '<a href="regional/region-london.html">Regional: London</a>' in page
    assert page.count('<h2 id="group-') == 2
    assert ">Regional</h2>" in page  # a group is named by its reports' common title
    assert '<td class="params">defaults</td>' in page
    assert '<td class="params">region: Mars; year: 2023</td>' in page
    assert "<td>2024-06-01T11:59:00Z</td>" in page
    assert "sector_overview</" not in page and 'id="nb-' not in page


def test_index_links_pdfs_that_exist():
    data = manifest()
    data["reports"]["sector_overview/default"]["pdf"] = "sector_overview/default.pdf"
    page = pages.index_html(data)
    assert (
        '<a href="sector_overview/default.pdf" aria-label="PDF of &lt;script&gt;alert(1)&lt;/script&gt; Sector">PDF</a>'
        in page
    )
    assert page.count(">PDF</a>") == 1
    assert page.count("<td>none</td>") == 3


def test_index_shows_failures_with_their_error():
    page = pages.index_html(manifest())
    assert (
        '<td class="ukc-status-failed">FAILED (showing last good build): '
        "ParameterError: &lt;b&gt;bad&lt;/b&gt; region</td>"
    ) in page
    assert '<td class="ukc-status-failed">FAILED (no report yet): no such region</td>' in page
    assert '<td class="ukc-status-ok">built</td>' in page
    assert '<td class="ukc-status-skipped">unchanged</td>' in page
    assert "<b>bad</b>" not in page


def test_index_summary_meta_and_assets():
    page = pages.index_html(manifest())
    summary = re.search(r"<p>(\d+) reports \(([^)]*)\)", page)
    assert summary.group(1) == "4"
    assert sorted(summary.group(2).split(", ")) == ["1 built", "1 unchanged", "2 FAILED"]
    assert "<dt>Updated</dt><dd>2024-06-01T12:00:00Z</dd>" in page
    assert '<a href="data_dictionary.html">data dictionary</a>' in page
    assert "<script" not in page
    assert 'href="assets/report.css"' in page


def test_index_rows_follow_notebook_groups():
    page = pages.index_html(manifest())
    order = [page.index(s) for s in ("Sector</a>", "Regional: Wales", "Regional: London")]
    assert order == sorted(order)


def dictionary() -> tuple[dict, dict, str]:
    meta = descriptor()
    tables = {r["name"]: load(r["name"]) for r in meta["resources"]}
    return meta, tables, pages.dictionary_html(meta, tables)


def test_dictionary_lists_every_table_and_field():
    meta, tables, page = dictionary()
    for i, res in enumerate(meta["resources"], start=1):
        title = html.escape(res.get("title", res["name"]), quote=False)
        assert f'<h2 id="table-{i}">{title}</h2>' in page, res["name"]
        assert f'<a href="#table-{i}">' in page
        assert f"({len(tables[res['name']])} rows)</li>" in page
        assert f"<code>data/{res['path']}</code>" in page
        for field in res["schema"]["fields"]:
            assert f"<td><code>{html.escape(field['name'])}</code></td>" in page, field
    assert '<h2 id="metric-list">' in page
    for metric in tables["metrics"]["metric"]:
        assert f"<tr><td><code>{metric}</code></td>" in page
    assert "<script" not in page
    assert page.count("<h1>Data dictionary</h1>") == 1


def test_dictionary_reads_as_words_not_schema_dumps():
    _, _, page = dictionary()
    assert "required: True" not in page and "True" not in page
    assert "`" not in page  # backticks in descriptions become code elements
    assert "<td>required" in page and "one of: " in page


def test_dictionary_shows_units_and_sources_of_a_table():
    _, tables, page = dictionary()
    start = (
        page.index(">Sector statistics")
        if ">Sector statistics" in page
        else page.index("sector_statistics.csv")
    )
    section = page[start:]
    section = section[: section.index("<h2", 5)]
    assert "(see the unit and scale columns)" in section
    assert "GBP (billion)" in section
    assert "Sources of this table:" in section
    assert "(press report of official statistics)" in section
    assert "press_report" not in section.split("<table")[0]
