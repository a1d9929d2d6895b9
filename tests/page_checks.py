"""Reader-facing checks of a built page in a browser (used by test_browser.py and
test_browser_pages.py), and the offline tab they run in.

Each ``*_problems`` function takes a Playwright page already showing a page of the site and
returns a list of problems (empty when the page passes), so a test can report every problem of
every page.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
ROW_ID = re.compile(
    r"\b[a-z]{2,3}-(?:0[0-9][0-9]|ref)-[0-9]{2,3}\b"
)  # our rows: never shown to a reader
ADDRESS = re.compile(r"(?<![\w/.-])(?:[\w-]+/)*[\w-]+\.(?:html|csv|zip)\b")
"""A file address of the site (``figures/revenue_growth.html``), as a citation shows it."""
BAD_TICK = re.compile(r"\d,\d{3}\.\d")
SERIOUS = {"serious", "critical"}
MARKUP = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>'
"""Markup the session build injects into two data fields: it must show as text."""

PLOT_STATS = """() => Array.from(document.querySelectorAll('.ukc-plot')).map(d => {
    const spec = JSON.parse(document.querySelector(`script[data-target="${d.id}"]`).textContent);
    return {expected: spec.data.filter(t => t.visible !== false).length,
            svg: d.querySelectorAll('.main-svg').length,
            drawn: d.querySelectorAll('.scatterlayer .trace, .barlayer .trace').length,
            error: d.classList.contains('ukc-plot-error')};
})"""


def open_tab(browser, width: int):
    """An offline page that records console errors and any request leaving the machine."""
    context = browser.new_context(offline=True, viewport={"width": width, "height": 900})
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
    return context, page


def visit(tab, path: Path) -> dict:
    """Load ``path`` and wait for its charts; return plot stats, console errors, requests."""
    tab.seen = {"errors": [], "outside": []}
    tab.goto(path.as_uri())
    tab.wait_for_load_state("load")
    if tab.query_selector(".ukc-plot"):
        tab.wait_for_selector("html[data-charts]", timeout=15_000)
    return {"plots": tab.evaluate(PLOT_STATS), **tab.seen}


CHART_LAYOUT = """() => Array.from(document.querySelectorAll('.ukc-plot')).map(gd => {
  const full = gd._fullLayout;
  if (!full) { return {id: gd.id, drawn: false}; }
  const rect = e => { const r = e.getBoundingClientRect(); return {l: r.left, r: r.right, t: r.top, b: r.bottom, w: r.width, h: r.height}; };
  const hit = (a, b) => a.w > 0 && b.w > 0 && !(a.r <= b.l || b.r <= a.l || a.b <= b.t || b.b <= a.t);
  const title = gd.querySelector('.gtitle'), legend = gd.querySelector('.legend');
  const axes = [];
  for (const key of Object.keys(full)) {
    if (!/^[xy]axis\\d*$/.test(key) || full[key].type !== 'category') { continue; }
    const ax = full[key];
    const labels = Array.from(gd.querySelectorAll(`.${ax._id}tick text`))
      .filter(t => t.textContent.trim() && rect(t).w > 0 && getComputedStyle(t).display !== 'none');
    const boxes = labels.map(rect);
    let overlaps = 0;
    for (let i = 0; i < boxes.length; i++) { for (let j = i + 1; j < boxes.length; j++) { if (hit(boxes[i], boxes[j])) { overlaps++; } } }
    axes.push({axis: key, categories: ax._categories.length, labels: labels.length, overlaps: overlaps});
  }
  const texts = Array.from(gd.querySelectorAll('.xtick text, .ytick text, g[class$="tick"] text, .legendtext, .annotation-text, .g-xtitle, .g-ytitle'))
    .map(t => t.textContent);
  const points = gd.data.map(t => {
    const h = t.orientation === 'h';
    const cats = (h ? t.y : t.x) || [], vals = (h ? t.x : t.y) || [];
    // a floating bar (a range) ends at its base plus its length: that end is the CSV's value
    const base = i => Array.isArray(t.base) ? t.base[i] : (t.base || 0);
    return cats.map((c, i) => [String(c), vals[i] === null || vals[i] === undefined ? vals[i] : vals[i] + base(i)])
      .filter(p => p[1] !== null && p[1] !== undefined);
  });
  const csv = gd.closest('figure').querySelector('a.ukc-download[href$=".csv"]');
  return {id: gd.id, drawn: true, plotHeight: full._size.h, height: full.height,
          titleLegendOverlap: !!(title && legend && hit(rect(title), rect(legend))),
          axes: axes, texts: texts, points: points, csv: csv ? csv.getAttribute('href') : null,
          label: gd.closest('figure').getAttribute('aria-label') || '',
          modebar: Array.from(gd.querySelectorAll('.modebar-btn')).map(b => (b.getAttribute('data-title') || '') + ' ' + (b.getAttribute('data-attr') || '') + ' ' + (b.getAttribute('data-val') || ''))};
})"""


def chart_problems(page, path: Path) -> list[str]:
    """Plot area, title/legend overlap, category labels, tick format, CSV rows, toolbar."""
    problems = []
    for chart in page.evaluate(CHART_LAYOUT):
        name = f"{path.name} {chart['id']}"
        if not chart["drawn"]:
            problems.append(f"{name}: not drawn")
            continue
        if chart["plotHeight"] < 200 or chart["plotHeight"] < 0.5 * chart["height"]:
            problems.append(
                f"{name}: plot area {chart['plotHeight']:.0f} of {chart['height']:.0f} px"
            )
        if chart["titleLegendOverlap"]:
            problems.append(f"{name}: title and legend overlap")
        for axis in chart["axes"]:
            if axis["labels"] < axis["categories"] or axis["overlaps"]:
                problems.append(f"{name}: {axis}")
        bad = [t for t in chart["texts"] if BAD_TICK.search(t)]
        if bad:
            problems.append(f"{name}: tick labels {bad}")
        if not chart["label"].strip():
            problems.append(f"{name}: no alt text")
        cloud = [
            b for b in chart["modebar"] if re.search(r"cloud|share|studio|plotly\.com", b, re.I)
        ]
        if cloud:
            problems.append(f"{name}: toolbar offers {cloud}")
        if not any("png" in b.lower() for b in chart["modebar"]):
            problems.append(f"{name}: no PNG download in the toolbar")
        problems += csv_problems(path, chart, name)
    return problems


def _key(category: object, value: object) -> tuple[str, float]:
    text = str(category)
    return (text[:-2] if text.endswith(".0") else text, round(float(value), 6))


def csv_problems(path: Path, chart: dict, name: str) -> list[str]:
    """The chart's CSV link resolves to a file whose rows are the chart's points."""
    if not chart["csv"]:
        return [f"{name}: no CSV link"]
    file = path.parent / chart["csv"]
    if not file.is_file():
        return [f"{name}: CSV link {chart['csv']} does not resolve"]
    with open(file, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    drawn = Counter(_key(c, v) for trace in chart["points"] for c, v in trace)
    listed = Counter(_key(r["category"], r["value"]) for r in rows)
    if drawn != listed:
        return [
            f"{name}: CSV rows {sorted(listed.elements())[:5]}… differ from points {sorted(drawn.elements())[:5]}…"
        ]
    missing = [r for r in rows if not r["source"] or not r["unit"]]
    return [f"{name}: CSV rows without source or unit: {missing[:2]}"] if missing else []


def text_problems(page, path: Path) -> list[str]:
    """A link to a source, no snake_case or row ids or '(s)' plurals in visible text."""
    problems = []
    links = page.eval_on_selector_all("main a[href^='http']", "els => els.length")
    addressless = page.eval_on_selector_all(
        ".ukc-sources li", "els => els.filter(e => !e.querySelector('a')).length"
    )
    listed = page.eval_on_selector_all(".ukc-sources li", "els => els.length")
    if links < 1 and addressless < listed:
        problems.append(f"{path.name}: no link to a source")
    text = (
        page.inner_text("body")
        + " "
        + " ".join(
            page.eval_on_selector_all(".ukc-plot text", "els => els.map(e => e.textContent)")
        )
    )
    text = ADDRESS.sub(" ", text)  # a page's own address, as a citation gives it, is no id
    ids = sorted(set(SNAKE.findall(text)))
    if ids:
        problems.append(f"{path.name}: snake_case ids in visible text: {ids[:10]}")
    rows = sorted(set(ROW_ID.findall(text)))
    if rows:
        problems.append(f"{path.name}: row ids in visible text: {rows[:10]}")
    if "(s)" in text:
        problems.append(f"{path.name}: '(s)' plural in visible text")
    return problems


def axe_problems(page, axe, name: str) -> list[str]:
    """axe-core: serious and critical violations."""
    results = axe.run(page)
    return [
        f"{name}: axe {v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in SERIOUS
    ]
