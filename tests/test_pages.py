"""The data dictionary page (the front page is tested in test_frontpage.py)."""

from __future__ import annotations

import html

from ukcyber.data import descriptor, load
from ukcyber.site import dictionary as pages


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
