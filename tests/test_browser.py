"""Open every built report in headless Chromium with the network cut off.

Checks that each chart drew (plotly's SVG, one trace group per trace in the data), that no
console error occurred, that no request left the machine, that markup in the data shows as
text, and that a failed build leaves the last good reports and the index working.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from helpers import CHROMIUM, CHROMIUM_ARGS, DATA, REPO, edit_cell, find_row
from test_build import notebook
from ukcyber.build import build

pytestmark = [pytest.mark.kernel, pytest.mark.browser]

MARKUP = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>'

if CHROMIUM is None:
    if os.environ.get("CI") == "true":
        pytest.fail("chromium is required under CI=true (make test installs it)", pytrace=False)
    pytest.skip("chromium not installed and could not be installed here", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


PLOT_STATS = """() => Array.from(document.querySelectorAll('.ukc-plot')).map(d => {
    const spec = JSON.parse(document.querySelector(`script[data-target="${d.id}"]`).textContent);
    return {expected: spec.data.length,
            svg: d.querySelectorAll('.main-svg').length,
            drawn: d.querySelectorAll('.scatterlayer .trace, .barlayer .trace').length,
            error: d.classList.contains('ukc-plot-error')};
})"""


@pytest.fixture(scope="module")
def tab(browser):
    """One offline page reused for every visit; records console errors and outside requests."""
    context = browser.new_context(offline=True, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.seen = {"errors": [], "outside": []}
    page.on("console", lambda m: page.seen["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.seen["errors"].append(str(e)))

    def route(r):
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            page.seen["outside"].append(r.request.url)
            r.abort()

    page.route("**/*", route)
    yield page
    context.close()


def visit(tab, path: Path) -> dict:
    """Load ``path``; return its plot stats, console errors and outside requests."""
    tab.seen = {"errors": [], "outside": []}
    tab.goto(path.as_uri())
    tab.wait_for_load_state("load")
    return {"plots": tab.evaluate(PLOT_STATS), **tab.seen}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The full report matrix, built from a copy of the data with markup in two text fields."""
    root = tmp_path_factory.mktemp("site")
    data = root / "data"
    shutil.copytree(DATA, data)
    row = find_row(data, "recommendations", id="rec-000-01")
    edit_cell(data, "recommendations", row, "summary", f"Injected {MARKUP} summary")
    row = find_row(data, "partnerships", country="Japan")
    edit_cell(data, "partnerships", row, "partnership", f"Injected {MARKUP} partnership")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("UKCYBER_DATA", str(data))
        mp.setenv("UKCYBER_CACHE", str(root / "cache"))
        results = build(REPO, reports=root / "reports", jobs=os.cpu_count(), progress=False)
    assert [r.key for r in results if r.status != "ok"] == []
    return root / "reports"


def test_every_report_renders_offline_with_all_charts(tab, site, tmp_path):
    manifest = json.loads((site / "manifest.json").read_text())
    pages = [site / e["html"] for e in manifest["reports"].values()]
    assert len(pages) >= 40
    charts_seen = 0
    for path in pages:
        result = visit(tab, path)
        name = path.relative_to(site)
        assert result["outside"] == [], f"{name} requested {result['outside']}"
        assert result["errors"] == [], f"{name} console errors: {result['errors']}"
        assert result["plots"], f"{name} has no chart"
        for plot in result["plots"]:
            assert not plot["error"] and plot["svg"] >= 1, f"{name}: chart not drawn {plot}"
            assert plot["drawn"] == plot["expected"], f"{name}: traces drawn {plot}"
            charts_seen += 1
        if path.name == "default.html" and path.parent.name == "sector_overview":
            shot = tmp_path / "sector_overview.png"
            tab.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 50_000
    assert charts_seen >= len(pages)


def test_index_and_dictionary_open_offline(tab, site):
    for name in ("index.html", "data_dictionary.html"):
        result = visit(tab, site / name)
        assert result["outside"] == [] and result["errors"] == []
        links = tab.eval_on_selector_all("a", "els => els.map(e => e.getAttribute('href'))")
        for href in links:
            if not href.startswith("#"):
                assert (site / href).is_file(), f"{name} links to missing {href}"


def test_markup_in_data_is_shown_as_text(tab, site):
    for page_path, marker in [
        (site / "recommendations" / "theme-all.html", "Injected"),
        (site / "country_briefing" / "country-japan.html", "Injected"),
    ]:
        visit(tab, page_path)
        page = tab
        assert page.evaluate("() => window.__xss") is None
        text = page.inner_text("main")
        assert marker in text and '<img src=x onerror="window.__xss=1">' in text
        assert page.evaluate("() => document.querySelectorAll('main img').length") == 0


def test_failed_build_keeps_last_good_reports_working(tab, tmp_path):
    notebook(
        tmp_path / "notebooks" / "chart.ipynb",
        "from ukcyber import charts\nfig = charts.figure('Kept chart', ['Test'])\n"
        "fig.add_bar(x=['a'], y=[1])\ncharts.show(fig)",
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
    assert "FAILED (showing last good build): ValueError: broken tonight" in tab.inner_text("main")
