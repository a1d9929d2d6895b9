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


def test_figure_pages_give_the_metrics_a_definition_names_by_their_titles():
    """A metric's description may name other metrics by id; its figure page says their titles."""
    import re

    from ukcyber.site.figure_pages import figure_site

    tables = {r["name"]: load(r["name"]) for r in descriptor()["resources"]}
    files, _ = figure_site(tables, usage={})
    page = str(files["figures/employment_growth.html"])
    description = re.search(r'<p class="ukc-description">(.*?)</p>', page, re.S)
    assert description and "employment_growth_two_years" not in description.group(1)
    assert "“Cyber sector employment growth over two years”" in description.group(1)


def test_reader_pages_say_nothing_of_how_the_site_is_made():
    """No build, notebook or kernel wording on the about and licence pages ("Built" as the
    label of a date is a reader's word)."""
    import re

    from ukcyber.site.reader import reader_pages

    meta = descriptor()
    tables = {r["name"]: load(r["name"]) for r in meta["resources"]}
    for name, page in reader_pages(meta, tables).items():
        text = re.sub(r"<[^>]+>", " ", page.split("<body>", 1)[1])
        found = re.findall(r"\bbuild(?:s|ing)?\b|notebook|papermill|\bkernel", text, re.I)
        assert found == [], name
