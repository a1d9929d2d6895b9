"""Open the figure pages, the reader pages, the front page's search and the PDFs of a full build
in headless Chromium, offline, as the pages issue's acceptance asks.

Uses the session build of ``test_browser.py`` (the ``site`` fixture in ``conftest.py``). Every
figure page: one for each metric with a preferred row, no console error, charts laid out
soundly, no internal ids, axe-core clean, no sideways scroll at 390 px, a CSV with a caveat
and a source for every row. Every chart of every page: bounds wear markers no exact figure of
the chart wears; report charts link the figure pages of the metrics they draw; every caveat
under a report's charts is in plain sight and in its PDF. Every CSV of figure rows has a
``caveat`` column. The reader pages and the data ZIP are linked from the front page and say
nothing of how the site is made; the front page search finds figures by a reader's words; every
PDF page is numbered.
"""

from __future__ import annotations

import csv
import json
import os
import re
import zipfile
from pathlib import Path

import pytest
from helpers import CHROMIUM, DATA
from page_checks import axe_problems, chart_problems, text_problems, visit

pytestmark = [pytest.mark.kernel, pytest.mark.browser]

if CHROMIUM is None:
    if os.environ.get("CI") == "true":
        pytest.fail("chromium is required under CI=true (make test installs it)", pytrace=False)
    pytest.skip("chromium not installed and could not be installed here", allow_module_level=True)

pytest.importorskip("playwright.sync_api")
axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
pypdf = pytest.importorskip("pypdf")

FIGURE_TABLES = (
    "sector_statistics",
    "technology_sector",
    "exports_and_market",
    "regional",
    "norm_measures",
)
READER_PAGES = ("glossary.html", "cite.html", "licence.html", "about.html", "corrections.html")
INTERNAL_WORDS = re.compile(
    r"reference list|text edition|\(source\)|notebook|papermill|\bkernels?\b|\bbuild(?:s|ing)?\b",
    re.IGNORECASE,
)
"""How the site is made, never said on a reader page ("Built" as a date's label is fine)."""
BOUNDS = {"more_than", "less_than", "at_least", "at_most"}
SEARCH_WORDS = ("employment", "jobs", "GVA", "salary", "exports")


def rows_of(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """A CSV's header and rows."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def squash(text: str) -> str:
    """Text with every run of whitespace removed (PDF text breaks lines anywhere)."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def report_pages(site) -> list[Path]:
    manifest = json.loads((site / "manifest.json").read_text())
    return [site / e["html"] for e in manifest["reports"].values()]


@pytest.fixture(scope="module")
def figure_pages(site) -> list[Path]:
    return sorted((site / "figures").glob("*.html"))


@pytest.fixture(scope="module")
def preferred_metrics() -> set[str]:
    """Every metric of the figure tables with a preferred row, from the data itself."""
    from ukcyber.data import load

    metrics: set[str] = set()
    for table in FIGURE_TABLES:
        rows = load(table, DATA)
        chosen = rows["preferred"].fillna(False).astype(bool) if "preferred" in rows else True
        metrics |= set(rows.loc[chosen, "metric"].astype(str))
    return metrics


def test_every_metric_with_a_preferred_row_has_a_figure_page(site, figure_pages, preferred_metrics):
    assert len(preferred_metrics) > 100
    assert {p.stem for p in figure_pages} == preferred_metrics
    for metric in preferred_metrics:
        assert (site / "figures" / f"{metric}.csv").is_file(), metric


def test_every_figure_page_reads_well_at_1280_px(tab, site, figure_pages):
    """Opens offline with no console error; charts drawn and laid out soundly with CSVs that
    match; no snake_case or row ids in text or chart text; axe-core with no serious or critical
    violation; its CSV has a caveat column and a source for every row."""
    axe = axe_module.Axe()
    problems: list[str] = []
    charts = 0
    for path in figure_pages:
        result = visit(tab, path)
        name = path.name
        errors, outside = list(result["errors"]), list(result["outside"])
        assert outside == [], f"{name} requested {outside}"
        assert errors == [], f"{name} console errors: {errors}"
        for plot in result["plots"]:
            assert not plot["error"] and plot["svg"] >= 1, f"{name}: chart not drawn {plot}"
            assert plot["drawn"] == plot["expected"], f"{name}: traces drawn {plot}"
            charts += 1
        problems += chart_problems(tab, path)
        problems += text_problems(tab, path)
        problems += axe_problems(tab, axe, name)
        header, rows = rows_of(path.with_suffix(".csv"))
        if "caveat" not in header:
            problems.append(f"{name}: its CSV has no caveat column")
        if not rows or any(not r["source"].strip() for r in rows):
            problems.append(f"{name}: its CSV has rows without a source")
    assert charts > 20, "figure pages with a chart were checked"
    assert problems == []


BREAKS = """() => Array.from(document.querySelectorAll('.ukc-plot')).map(gd => ({
  id: gd.id,
  lines: (gd._fullLayout.shapes || []).filter(s => s.type === 'line' && s.line.dash === 'dot').length,
  labels: Array.from(gd.querySelectorAll('.annotation-text'))
    .filter(t => t.textContent.trim() === 'change of method').length,
}))"""


def test_every_figure_page_fits_a_phone(phone, site, figure_pages):
    """At 390 px: no sideways scrolling, the charts laid out as the wide checks ask, and each
    change-of-method line still labelled."""
    problems: list[str] = []
    breaks = 0
    for path in figure_pages:
        result = visit(phone, path)
        assert result["errors"] == [] and result["outside"] == [], path.name
        width = phone.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            problems.append(f"{path.name}: page is {width} px wide at 390 px")
        problems += chart_problems(phone, path)
        for chart in phone.evaluate(BREAKS):
            breaks += chart["lines"]
            if chart["labels"] != chart["lines"]:
                problems.append(f"{path.name} {chart['id']}: {chart} change-of-method labels")
    assert breaks > 0, "charts with a change of method were checked"
    assert problems == []


CHART_LINKS = """() => Array.from(document.querySelectorAll('figure.ukc-figure')).map(f => ({
  id: f.id,
  csv: (f.querySelector('a.ukc-download[href$=".csv"]') || {getAttribute: () => null}).getAttribute('href'),
  links: Array.from(f.querySelectorAll('.ukc-fig-pages a')).map(a => a.getAttribute('href')),
}))"""


def test_report_charts_link_the_figure_pages_of_the_metrics_they_draw(tab, site, report_pages):
    """Under each chart: "About this figure" links to the figure page of every metric its rows
    are of (each page exists), and to no other."""
    problems: list[str] = []
    linked = 0
    for path in report_pages:
        visit(tab, path)
        for figure in tab.evaluate(CHART_LINKS):
            name = f"{path.relative_to(site)} {figure['id']}"
            _, rows = rows_of(path.parent / figure["csv"])
            drawn = {r["metric"] for r in rows if r.get("metric")}
            expected = {m for m in drawn if (site / "figures" / f"{m}.html").is_file()}
            links = {(path.parent / h).resolve() for h in figure["links"]}
            wanted = {(site / "figures" / f"{m}.html").resolve() for m in expected}
            if links != wanted:
                problems.append(f"{name}: links {sorted(figure['links'])}, draws {sorted(drawn)}")
            linked += len(links & wanted)
    assert problems == []
    assert linked > 20, "charts drawing metrics with figure pages were checked"


def test_every_csv_of_figures_has_a_caveat_column(site):
    """Every CSV the site serves (the ZIP's are the data's own) that holds figures (a value
    or a figure column) has a caveat column."""
    checked, problems = 0, []
    for path in sorted(site.glob("**/*.csv")):
        header, _ = rows_of(path)
        if {"value", "figure"} & set(header):
            checked += 1
            if "caveat" not in header:
                problems.append(str(path.relative_to(site)))
    assert checked > 300
    assert problems == []


VISIBLE_NOTES = """() => Array.from(document.querySelectorAll('.ukc-notes li'))
  .filter(e => e.checkVisibility()).map(e => e.innerText)"""


def test_every_caveat_of_a_report_is_in_plain_sight_and_in_its_pdf(tab, site, report_pages):
    """Each caveat of the rows of a report's charts and tables (their CSVs' caveat column) is
    printed in a note that is visible without hovering or opening anything, and is in the text
    of the report's PDF."""
    problems: list[str] = []
    seen = 0
    for path in report_pages:
        name = str(path.relative_to(site))
        caveats = {
            r["caveat"].strip()
            for csv_path in sorted((path.parent / path.stem).glob("*.csv"))
            for r in rows_of(csv_path)[1]
            if r.get("caveat", "").strip()
        }
        if not caveats:
            continue
        visit(tab, path)
        notes = squash(" ".join(tab.evaluate(VISIBLE_NOTES)))
        reader = pypdf.PdfReader(path.with_suffix(".pdf"))
        printed = squash("".join(page.extract_text() for page in reader.pages))
        for caveat in sorted(caveats):
            seen += 1
            if squash(caveat) not in notes:
                problems.append(f"{name}: not in a visible note: {caveat[:80]}")
            if squash(caveat) not in printed:
                problems.append(f"{name}: not in its PDF: {caveat[:80]}")
    assert seen > 20
    assert problems == []


POINT_MARKERS = """() => Array.from(document.querySelectorAll('.ukc-plot')).map(gd => ({
  id: gd.id,
  traces: (gd._fullData || []).filter(t => t.visible !== false).map(t => {
    const h = t.orientation === 'h';
    const values = (h ? t.x : t.y) || [];
    const marker = t.marker || {};
    const shape = (marker.pattern || {}).shape;
    const mark = i => {
      if (t.type === 'bar') {
        const s = Array.isArray(shape) ? shape[i] : shape;
        return s ? 'hatch' : 'fill';
      }
      return Array.isArray(marker.symbol) ? marker.symbol[i] : (marker.symbol || 'circle');
    };
    const markers = t.type === 'bar' || (t.mode || '').includes('markers');
    return {name: t.name || '', markers: markers,
            points: Array.from(values, (v, i) => [v === null || v === undefined ? null : (t.customdata || [])[i], mark(i)])
              .filter((p, i) => values[i] !== null && values[i] !== undefined)};
  }),
}))"""


def marker_problems(page, name: str) -> tuple[list[str], int]:
    """Markers of bound points that an exact point of the same chart also wears; and how many
    bound points were seen. A point without a recorded qualifier is a problem too."""
    problems, bounds = [], 0
    for chart in page.evaluate(POINT_MARKERS):
        bound_marks: set[str] = set()
        exact_marks: set[str] = set()
        for trace in chart["traces"]:
            if not trace["markers"]:
                continue
            for qualifier, mark in trace["points"]:
                if not qualifier:
                    problems.append(
                        f"{name} {chart['id']} {trace['name']}: a point with no qualifier"
                    )
                elif qualifier in BOUNDS:
                    bounds += 1
                    bound_marks.add(mark)
                else:
                    exact_marks.add(mark)
        shared = bound_marks & exact_marks
        if shared:
            problems.append(f"{name} {chart['id']}: bounds and exact figures both wear {shared}")
    return problems, bounds


def test_bounds_wear_markers_no_exact_figure_of_their_chart_wears(
    tab, site, report_pages, figure_pages
):
    """In every chart of every report and figure page, as drawn: the marker (or bar fill) of a
    more-than, less-than, at-least or at-most figure is never one an exact or approximate
    figure of the same chart uses."""
    problems: list[str] = []
    bounds = 0
    for path in [*report_pages, *figure_pages]:
        visit(tab, path)
        found, seen = marker_problems(tab, str(path.relative_to(site)))
        problems += found
        bounds += seen
    assert bounds > 5, "the charts checked draw bounds"
    assert problems == []


OVERLAPPING_WORDS = """() => Array.from(document.querySelectorAll('.ukc-plot')).map(gd => {
  const boxes = Array.from(gd.querySelectorAll('.annotation-text'))
    .filter(t => t.textContent.trim()).map(t => [t.textContent.trim(), t.getBoundingClientRect()]);
  const hit = (a, b) => !(a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top);
  const pairs = [];
  for (let i = 0; i < boxes.length; i++) { for (let j = i + 1; j < boxes.length; j++) {
    if (hit(boxes[i][1], boxes[j][1])) { pairs.push([boxes[i][0], boxes[j][0]]); } } }
  return {id: gd.id, pairs: pairs};
})"""


def test_no_words_of_a_chart_print_over_each_other(tab, site, report_pages, figure_pages):
    """Panel titles, "change of method" labels and other words drawn in a chart never overlap
    (a label over a panel's title makes both unreadable)."""
    problems: list[str] = []
    for path in [*report_pages, *figure_pages]:
        visit(tab, path)
        for chart in tab.evaluate(OVERLAPPING_WORDS):
            if chart["pairs"]:
                problems.append(f"{path.relative_to(site)} {chart['id']}: {chart['pairs'][:3]}")
    assert problems == []


def test_reader_pages_are_linked_open_offline_pass_axe_and_say_nothing_of_the_machinery(
    tab, phone, site
):
    visit(tab, site / "index.html")
    linked = set(tab.eval_on_selector_all("a", "els => els.map(e => e.getAttribute('href'))"))
    axe = axe_module.Axe()
    problems: list[str] = []
    for name in READER_PAGES:
        assert name in linked, f"the front page does not link {name}"
        result = visit(tab, site / name)
        assert result["errors"] == [] and result["outside"] == [], name
        text = tab.inner_text("body")
        problems += [f"{name}: says {m!r}" for m in INTERNAL_WORDS.findall(text)]
        problems += text_problems(tab, site / name)
        for href in tab.eval_on_selector_all("a", "els => els.map(e => e.getAttribute('href'))"):
            if not href.startswith(("#", "http")):
                assert (site / href.split("#")[0]).is_file(), f"{name} links to missing {href}"
        problems += axe_problems(tab, axe, name)
        visit(phone, site / name)
        width = phone.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            problems.append(f"{name}: page is {width} px wide at 390 px")
    assert problems == []


def test_data_zip_is_linked_from_the_front_page_and_holds_every_table(tab, site):
    visit(tab, site / "index.html")
    assert tab.query_selector("a[href='ukcyber-data.zip']") is not None
    descriptor = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    with zipfile.ZipFile(site / "ukcyber-data.zip") as archive:
        names = set(archive.namelist())
    expected = {f"ukcyber-data/{r['path']}" for r in descriptor["resources"]}
    expected |= {f"ukcyber-data/{p.name}" for p in DATA.glob("*.csv")}
    assert expected <= names
    assert {"ukcyber-data/datapackage.json", "ukcyber-data/README.txt"} <= names


VISIBLE_FIGURES = """() => Array.from(document.querySelectorAll('.ukc-figure-entry'))
    .filter(e => e.offsetParent !== null).map(e => e.innerText)"""


@pytest.mark.parametrize("word", SEARCH_WORDS)
def test_front_page_search_finds_figures_by_a_readers_words(tab, site, word):
    visit(tab, site / "index.html")
    tab.fill("#report-search", word)
    shown = tab.evaluate(VISIBLE_FIGURES)
    assert shown, f"searching {word!r} shows no figure page"
    assert len(shown) < len(tab.query_selector_all(".ukc-figure-entry"))


def test_every_pdf_page_is_numbered(site, report_pages):
    """Each page of every report's PDF says "Page N of M" in its foot."""
    problems: list[str] = []
    for path in report_pages:
        reader = pypdf.PdfReader(path.with_suffix(".pdf"))
        total = len(reader.pages)
        for number, page in enumerate(reader.pages, start=1):
            if f"Page {number} of {total}" not in " ".join(page.extract_text().split()):
                problems.append(f"{path.relative_to(site)}: page {number} of {total} unnumbered")
    assert problems == []
