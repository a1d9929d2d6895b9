"""Open every built report in headless Chromium with the network cut off, as a reader would.

The whole report matrix is built once (with PDFs) from a data copy with markup injected. Every
report, the index and the data dictionary are then checked at 1280 and 390 px: charts drawn
with all their traces, plot areas not crushed by legends, titles and legends apart, every
category labelled, whole-year ticks, no sideways scrolling on a phone, a CSV beside each chart
whose rows are its points, linked sources, no internal ids in visible text, no cloud button,
axe-core with no serious or critical violation, and a PDF per report with its charts drawn.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from helpers import CHROMIUM, DATA, REPO
from page_checks import axe_problems, chart_problems, text_problems, visit
from test_build import notebook
from ukcyber.build import build, load_matrix

pytestmark = [pytest.mark.kernel, pytest.mark.browser]

if CHROMIUM is None:
    if os.environ.get("CI") == "true":
        pytest.fail("chromium is required under CI=true (make test installs it)", pytrace=False)
    pytest.skip("chromium not installed and could not be installed here", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")
axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
pypdf = pytest.importorskip("pypdf")


@pytest.fixture(scope="module")
def report_pages(site) -> list[Path]:
    manifest = json.loads((site / "manifest.json").read_text())
    return [site / e["html"] for e in manifest["reports"].values()]


@pytest.fixture(scope="module")
def matrix_size() -> int:
    """How many reports reports.toml gives (grids expanded from the data)."""
    return len(load_matrix(REPO / "reports.toml"))


def test_every_report_reads_well_at_1280_px(tab, site, report_pages, matrix_size, tmp_path):
    """Charts drawn offline and laid out soundly, CSVs match, sources linked, no ids, axe."""
    assert len(report_pages) == matrix_size
    axe = axe_module.Axe()
    problems: list[str] = []
    charts_seen = 0
    for path in report_pages:
        result = visit(tab, path)
        name = path.relative_to(site)
        assert result["outside"] == [], f"{name} requested {result['outside']}"
        assert result["errors"] == [], f"{name} console errors: {result['errors']}"
        assert result["plots"], f"{name} has no chart"
        for plot in result["plots"]:
            assert not plot["error"] and plot["svg"] >= 1, f"{name}: chart not drawn {plot}"
            assert plot["drawn"] == plot["expected"], f"{name}: traces drawn {plot}"
            charts_seen += 1
        points = tab.eval_on_selector_all(".ukc-main-points li", "els => els.length")
        if not 3 <= points <= 5:
            problems.append(f"{name}: {points} main points")
        problems += chart_problems(tab, path)
        problems += text_problems(tab, path)
        problems += axe_problems(tab, axe, str(name))
        if path.name == "default.html" and path.parent.name == "sector_overview":
            shot = tmp_path / "sector_overview.png"
            tab.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 50_000
    assert charts_seen >= len(report_pages)
    assert problems == []


def test_every_report_reads_well_on_a_phone(phone, site, report_pages):
    """At 390 px: no sideways scrolling, and the same chart layout checks as on a wide screen."""
    problems: list[str] = []
    for path in report_pages:
        result = visit(phone, path)
        assert result["errors"] == [] and result["outside"] == [], path
        width = phone.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            problems.append(f"{path.relative_to(site)}: page is {width} px wide at 390 px")
        problems += chart_problems(phone, path)
    assert problems == []


def test_every_source_with_an_address_is_linked(tab, site, report_pages):
    """Each report's Sources section links every source whose address sources.csv gives, and
    only those addresses; a source without one says so."""
    import csv

    with open(DATA / "sources.csv", encoding="utf-8") as fh:
        urls = {r["url"] for r in csv.DictReader(fh) if r["url"].startswith("http")}
    for path in report_pages:
        visit(tab, path)
        items = tab.eval_on_selector_all(
            ".ukc-sources li",
            "els => els.map(e => [e.querySelector('a') ? e.querySelector('a').getAttribute('href') : null, e.innerText])",
        )
        assert items, f"{path.relative_to(site)} has no Sources section"
        for href, text in items:
            assert href in urls if href else "no public web address is known" in text.lower(), (
                path.name,
                text,
            )
        links = tab.eval_on_selector_all(
            "main a[href^='http']", "els => els.map(e => e.getAttribute('href'))"
        )
        assert set(links) <= urls


SITE_PAGES = ("index.html", "recommendations.html", "changes.html", "build.html")


def test_site_pages_open_offline_and_pass_axe(tab, phone, site, matrix_size):
    axe = axe_module.Axe()
    for name in (*SITE_PAGES, "data_dictionary.html"):
        result = visit(tab, site / name)
        assert result["outside"] == [] and result["errors"] == []
        for href in tab.eval_on_selector_all("a", "els => els.map(e => e.getAttribute('href'))"):
            if not href.startswith(("#", "http", "blob:")):
                assert (site / href.split("#")[0]).is_file(), f"{name} links to missing {href}"
        assert axe_problems(tab, axe, name) == []
        visit(phone, site / name)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390, name
    visit(tab, site / "index.html")
    pdfs = tab.eval_on_selector_all(
        "a[href$='.pdf']", "els => els.map(e => e.getAttribute('href'))"
    )
    assert len(pdfs) == matrix_size and all((site / p).is_file() for p in pdfs)


def source_urls() -> set[str]:
    import csv

    with open(DATA / "sources.csv", encoding="utf-8") as fh:
        return {r["url"] for r in csv.DictReader(fh) if r["url"].startswith("http")}


VISIBLE_ENTRIES = """() => Array.from(document.querySelectorAll('.ukc-entry'))
    .filter(e => e.offsetParent !== null).map(e => e.innerText)"""


def test_front_page_has_findings_sections_and_search(tab, site, matrix_size):
    """Headline figures with year and linked source; one section per notebook with what it
    answers; typing Wales leaves only Wales entries; the build log is on build.html."""
    visit(tab, site / "index.html")
    cards = tab.eval_on_selector_all(
        ".ukc-card",
        "els => els.map(e => [e.innerText, e.querySelector('.ukc-card-source a') && e.querySelector('.ukc-card-source a').getAttribute('href')])",
    )
    assert len(cards) == 5
    urls = source_urls()
    for text, href in cards:
        assert re.search(r", 20\d\d\n", text), text
        assert href in urls if href else "no public web address is known" in text, text
    manifest = json.loads((site / "manifest.json").read_text())
    notebooks = {e["notebook"] for e in manifest["reports"].values()}
    sections = tab.eval_on_selector_all(
        ".ukc-reports .ukc-group",
        "els => els.map(e => [e.querySelector('h3').innerText, e.querySelector('p').innerText])",
    )
    assert len(sections) == len(notebooks)
    assert all(title and len(about) > 30 for title, about in sections)
    assert len(tab.evaluate(VISIBLE_ENTRIES)) == matrix_size
    assert "_" not in "".join(
        tab.eval_on_selector_all(".ukc-entry-params", "els => els.map(e => e.innerText)")
    )
    tab.fill("#report-search", "Wales")
    shown = tab.evaluate(VISIBLE_ENTRIES)  # the reports; figure pages are listed apart
    assert shown and all("Wales" in text for text in shown), shown
    assert len(shown) < matrix_size
    count = tab.inner_text("#report-count")
    assert re.search(
        rf" and {len(shown)} reports? of \d+ figure pages? and {matrix_size} reports ", count
    )
    tab.fill("#report-search", "xylophone quokka")  # words in no title, setting or summary
    assert tab.evaluate(VISIBLE_ENTRIES) == [] and tab.is_visible("#report-empty")
    assert "seconds" not in tab.inner_text("main")
    visit(tab, site / "build.html")
    assert f"Of all {matrix_size}, {matrix_size} are up to date" in tab.inner_text("header")


VISIBLE_RECS = """() => Array.from(document.querySelectorAll('#finder-rows > li'))
    .filter(e => !e.hidden).map(e => Number(e.getAttribute('data-index')))"""


def download_rows(tab) -> list[dict]:
    import csv
    import io

    with tab.expect_download() as info:
        tab.click("#finder-download")
    text = Path(info.value.path()).read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_recommendations_page_filters_counts_and_downloads_the_rows_shown(tab, site):
    visit(tab, site / "recommendations.html")
    assert tab.evaluate("() => window.__xss") is None
    data = tab.evaluate("() => JSON.parse(document.getElementById('finder-data').textContent)")
    total = len(data["rows"])
    assert total == len(tab.evaluate(VISIBLE_RECS)) and total > 150
    assert len(download_rows(tab)) == total
    urls = source_urls()
    links = tab.eval_on_selector_all(
        ".ukc-rec-source a", "els => els.map(e => e.getAttribute('href'))"
    )
    assert links and set(links) <= urls
    for field in ("document", "theme", "actor", "instrument", "countries"):
        options = tab.eval_on_selector_all(
            f"#facet-{field} option", "els => els.map(e => e.value).filter(Boolean)"
        )
        value = options[len(options) // 2]
        tab.select_option(f"#facet-{field}", value)
        shown = tab.evaluate(VISIBLE_RECS)
        assert 0 < len(shown) < total, (field, value)
        for i in shown:
            cell = data["rows"][i][field]
            assert value in cell if isinstance(cell, list) else cell == value
        assert re.match(rf"{len(shown)} \D*of {total} ", tab.inner_text("#finder-count"))
        rows = download_rows(tab)
        assert [r["id"] for r in rows] == [data["rows"][i]["id"] for i in shown]
        tab.select_option(f"#facet-{field}", "")
    tab.fill("#finder-text", "Japan")
    shown = tab.evaluate(VISIBLE_RECS)
    assert shown and len(shown) < total
    texts = tab.eval_on_selector_all(
        "#finder-rows > li:not([hidden])", "els => els.map(e => e.innerText)"
    )
    assert all("japan" in t.lower() for t in texts)
    tab.select_option("#facet-instrument", data["rows"][shown[0]]["instrument"])
    both = tab.evaluate(VISIBLE_RECS)
    assert set(both) <= set(shown)
    rows = download_rows(tab)
    assert [r["id"] for r in rows] == [data["rows"][i]["id"] for i in both]
    expected = [{c: str(data["rows"][i][c]) for c in data["columns"]} for i in both]
    assert rows == expected
    tab.click("#finder-reset")
    tab.wait_for_function(
        f"() => document.documentElement.getAttribute('data-finder') === '{total}'"
    )


PDF_CHART_TEXT = """() => Array.from(document.querySelectorAll('.ukc-plot')).map(gd =>
  Array.from(gd.querySelectorAll('.legendtext, .g-ytitle, .g-xtitle, .annotation-text, .ytick text, .xtick text'))
    .map(t => t.textContent.trim()).filter(t => /[A-Za-z]{3}/.test(t)))"""


def test_every_report_has_a_pdf_with_its_charts(tab, site, report_pages):
    """Each PDF opens, carries the report's title, and the text drawn in each chart (legend
    entries, axis titles): text that exists only inside the charts' SVG, so it is there only
    if the charts were drawn when the page was printed."""
    for path in report_pages:
        pdf = path.with_suffix(".pdf")
        assert pdf.is_file(), f"no PDF for {path.relative_to(site)}"
        reader = pypdf.PdfReader(pdf)
        assert len(reader.pages) >= 1
        text = re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))
        visit(tab, path)
        assert re.sub(r"\s+", "", tab.inner_text("h1")) in text, pdf.name
        assert tab.query_selector("a[href$='.pdf']") is not None
        for chart_text in tab.evaluate(PDF_CHART_TEXT):
            found = [t for t in chart_text if re.sub(r"\s+", "", t) in text]
            assert chart_text and len(found) >= max(1, len(chart_text) // 2), (pdf.name, chart_text)


def test_markup_in_data_is_shown_as_text(tab, site):
    for page_path, marker in [
        (site / "recommendations" / "theme-all.html", "Injected"),
        (site / "country_briefing" / "country-japan.html", "Injected"),
    ]:
        visit(tab, page_path)
        assert tab.evaluate("() => window.__xss") is None
        text = tab.inner_text("main")
        assert marker in text and '<img src=x onerror="window.__xss=1">' in text
        assert tab.evaluate("() => document.querySelectorAll('main img').length") == 0


def test_failed_build_keeps_last_good_reports_working(tab, tmp_path):
    notebook(
        tmp_path / "notebooks" / "chart.ipynb",
        "from ukcyber import charts\nimport pandas as pd\n"
        "rows = pd.DataFrame({'label': ['a'], 'value': [1], 'source': ['Test'], 'unit': ['items']})\n"
        "charts.show(charts.bar_chart(rows, 'Kept chart', None, x_title='n'))",
    )
    (tmp_path / "reports.toml").write_text('[[report]]\nnotebook = "chart"\n')
    assert build(tmp_path, jobs=1, progress=False)[0].status == "ok"
    notebook(tmp_path / "notebooks" / "chart.ipynb", "raise ValueError('broken tonight')")
    assert build(tmp_path, jobs=1, progress=False)[0].status == "failed"
    report = visit(tab, tmp_path / "reports" / "chart" / "default.html")
    assert report["errors"] == [] and len(report["plots"]) == 1
    assert report["plots"][0]["svg"] >= 1 and report["plots"][0]["drawn"] == 1
    index = visit(tab, tmp_path / "reports" / "index.html")
    assert index["errors"] == [] and index["outside"] == []
    assert (
        "Failed at the last build, showing the last good version: ValueError: broken tonight"
        in tab.inner_text("main")
    )
    visit(tab, tmp_path / "reports" / "build.html")
    links = tab.eval_on_selector_all(
        "a[href^='_failed/']", "els => els.map(e => e.getAttribute('href'))"
    )
    assert links == ["_failed/chart/default.error.txt", "_failed/chart/default.ipynb"]
    assert all((tmp_path / "reports" / link).is_file() for link in links)
    assert "broken tonight" in (tmp_path / "reports" / links[0]).read_text()
