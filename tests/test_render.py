"""Report pages from executed notebooks: what reaches a reader and what never does."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path

import nbformat
import pandas as pd
import plotly
import pytest
from ukcyber import charts
from ukcyber.briefing import Brief, MainPoints
from ukcyber.mime import WIDGET_MIME
from ukcyber.pagedates import PageDates, TableDate
from ukcyber.site import report as render
from ukcyber.tables import Table

HOSTILE = "</script><script>alert(1)</script>"
SOURCES = pd.DataFrame(
    {
        "source_id": ["paper", "press"],
        "title": ["Cybersecuronomics: a paper", "ITPro: sector grows"],
        "publisher": ["Progressive Britain", "ITPro"],
        "date": ["2023-09", "2021-05"],
        "licence": ["unknown", "All rights reserved"],
        "kind": ["think_tank_paper", "press_report_of_official_statistics"],
        "url": ["https://pb.example/c", "https://itpro.example/b"],
    }
)
ROWS = pd.DataFrame(
    {
        "label": [HOSTILE, "a & b"],
        "value": [1.0, 2.0],
        "unit": ["GBP", "GBP"],
        "scale": ["billion", "billion"],
        "qualifier": ["exact", "more_than"],
        "source_id": ["paper", "press"],
        "edition": ["", "Cyber Security Sectoral Analysis 2021"],
        "locator": ["line 464", "reference line 7"],
        "section": ["2. Introduction", ""],
        "as_printed": ["£1bn", "over £2bn"],
    }
)


def output(obj) -> nbformat.NotebookNode:
    data = obj if isinstance(obj, dict) else obj._repr_mimebundle_()
    return nbformat.v4.new_output("display_data", data=json.loads(json.dumps(data)))


def make_notebook() -> nbformat.NotebookNode:
    fig = charts.bar_chart(ROWS, "Chart <i>title</i>", SOURCES, x_title="£ billion")
    points = MainPoints()
    for i in range(3):
        points.add("Finding {i}: {v}.", rows=ROWS.iloc[i % 2], sources=SOURCES, i=i, v=HOSTILE)
    nb = nbformat.v4.new_notebook()
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    nb.metadata["ukcyber"] = {"description": "What this report shows."}
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Notebook title\n\nRun with `papermill -p region Wales`."),
        nbformat.v4.new_code_cell(
            "region: str = 'London'  # where\nyear_from: int = 2020",
            metadata={"tags": ["parameters"]},
        ),
        nbformat.v4.new_code_cell(
            "secret_source_marker = 1\nprint('printed output')",
            outputs=[
                nbformat.v4.new_output("stream", name="stdout", text="printed output\n"),
                nbformat.v4.new_output(
                    "execute_result", data={"text/plain": "console_dump_value"}, execution_count=1
                ),
            ],
        ),
        nbformat.v4.new_markdown_cell("## Section one\n\nNarrative *text*."),
        nbformat.v4.new_code_cell(
            "charts.show(fig)", outputs=[output(charts.mimebundle(fig, caption="Two bars."))]
        ),
        nbformat.v4.new_code_cell("points", outputs=[output(points)]),
        nbformat.v4.new_code_cell(
            "box",
            outputs=[
                nbformat.v4.new_output(
                    "display_data",
                    data={WIDGET_MIME: {"model_id": "abc"}, "text/plain": "VBox(...)"},
                )
            ],
        ),
        nbformat.v4.new_markdown_cell("## Section two"),
        nbformat.v4.new_code_cell(
            "Table(...)",
            outputs=[
                output(
                    Table(
                        ROWS,
                        {"label": "Label", "as_printed": "As printed"},
                        caption="Rows",
                        sources=SOURCES,
                    )
                )
            ],
        ),
        nbformat.v4.new_code_cell(
            "brief",
            outputs=[
                output(Brief("Briefing: test").para("Body {v}.", v=HOSTILE).cite(ROWS, SOURCES))
            ],
        ),
    ]
    nb.cells[0].metadata["tags"] = ["analyst-note"]
    return nb


@pytest.fixture(scope="module")
def files():
    return render.report_files(
        make_notebook(),
        slug="region-wales",
        title="Report <x>",
        params={"region": "Wales"},
        dates=PageDates(
            built_at="2025-03-02T10:00:00Z",
            tables=(TableDate("regional", "Regional figures", "2025-03-01T09:00:00Z"),),
        ),
        pdf=True,
    )


def test_report_files_are_the_page_and_one_csv_per_chart_and_table(files):
    published, charts_count = files
    assert charts_count == 1
    assert sorted(published) == [
        "region-wales.html",
        "region-wales/figure-1.csv",
        "region-wales/table-1.csv",
    ]


def test_page_leads_with_title_description_parameters_dates_and_main_points(files):
    html = files[0]["region-wales.html"]
    assert "<title>Report &lt;x&gt;</title>" in html and "<h1>Report &lt;x&gt;</h1>" in html
    assert "What this report shows." in html
    assert "<dt>Region</dt><dd>Wales</dd>" in html and "<dt>Year from</dt><dd>2020</dd>" in html
    assert "<dt>Data last changed</dt><dd>1 March 2025</dd>" in html
    assert "<dt>Sources published</dt><dd>May 2021 to September 2023</dd>" in html
    assert "<dt>Built</dt><dd>2 March 2025, 10:00 UTC</dd>" in html
    assert "Data as of" not in html and "Latest source published" not in html
    assert '<a href="region-wales.pdf">' in html
    order = [
        html.index(s)
        for s in (
            "<h1>",
            "Main points",
            'id="contents"',
            'id="section-one"',
            "Figure 1.",
            "Table 1.",
            'id="briefing-test"',
            'id="sources"',
        )
    ]
    assert order == sorted(order)


def test_console_output_analyst_notes_code_and_widgets_never_reach_the_page(files):
    html = files[0]["region-wales.html"]
    for hidden in (
        "printed output",
        "console_dump_value",
        "secret_source_marker",
        "papermill",
        "Notebook title",
        "VBox",
        "model_id",
    ):
        assert hidden not in html, hidden
    assert "</script><script>alert(1)" not in html
    assert "&lt;/script&gt;&lt;script&gt;alert(1)" in html


def test_code_is_shown_only_when_asked():
    shown, _ = render.report_html(make_notebook(), title="T", params={}, show_code=True)
    assert "secret_source_marker" in shown and "console_dump_value" not in shown
    assert "printed output\n" not in shown


def test_chart_has_caption_alt_text_csv_link_table_alternative_and_offline_assets(files):
    html = files[0]["region-wales.html"]
    figure = re.search(r'<figure class="ukc-figure".*?</figure>', html, re.S).group(0)
    assert re.search(r'aria-label="Figure 1: Chart &lt;i&gt;title&lt;/i&gt;\. .*2 bars', figure)
    assert '<span class="ukc-number">Figure 1.</span> Two bars.' in figure
    assert '<a class="ukc-download" href="region-wales/figure-1.csv" download>' in figure
    assert "<summary>Figure 1 as a table</summary>" in figure
    assert (
        '<a href="https://itpro.example/b">Cyber Security Sectoral Analysis 2021, as reported by ITPro (May 2021)</a> (press report of official statistics)'
        in figure
    )
    payload = re.search(
        r'class="ukc-plot-data" data-target="ukc-plot-1">(.*?)</script>', figure, re.S
    ).group(1)
    assert "<" not in payload and "&" not in payload
    spec = json.loads(payload)
    assert spec["config"]["showSendToCloud"] is False and "narrow" in spec
    assert '<script src="../assets/plotly.min.js"></script>' in html and 'src="http' not in html


def test_chart_csv_rows_are_the_points_drawn(files):
    text = files[0]["region-wales/figure-1.csv"].decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["category"], float(r["value"])) for r in rows] == [(HOSTILE, 1.0), ("a & b", 2.0)]
    assert rows[1]["figure"] == "more than £2 billion" and rows[1]["qualifier"] == "more_than"
    assert (
        rows[1]["source"]
        == "Cyber Security Sectoral Analysis 2021, as reported by ITPro (May 2021)"
    )
    assert rows[1]["source_url"] == "https://itpro.example/b"
    assert rows[1]["locator"] == "printed as “over £2bn”"
    assert rows[0]["locator"] == "section “2. Introduction”, printed as “£1bn”"
    assert "caveat" in rows[0] and "id" in rows[0] and "metric" in rows[0]


def test_table_csv_has_the_cells_and_each_rows_source(files):
    rows = list(
        csv.DictReader(io.StringIO(files[0]["region-wales/table-1.csv"].decode("utf-8-sig")))
    )
    assert list(rows[0]) == [
        "label",
        "as_printed",
        "source",
        "source_kind",
        "source_url",
        "locator",
        "caveat",
        "metric",
        "id",
    ]
    assert rows[0]["source"] == "Cybersecuronomics (September 2023)"


def test_sources_section_lists_each_source_once_with_what_it_was_used_for(files):
    html = files[0]["region-wales.html"]
    section = html[html.index('id="sources"') :]
    assert section.count("<li>") == 2
    assert '<a href="https://pb.example/c">Cybersecuronomics: a paper</a>' in section
    assert "Think-tank paper. Licence: not stated." in section
    assert "Licence: All rights reserved." in section
    assert "Used for: Figure 1, Main points, Table 1, Briefing: test." in section


def test_parameters_in_words():
    assert render.parameters_in_words(
        {"start_year": 2017, "dataset": "sector_statistics"}, {"start_year": 2020}
    ) == [
        ("Start year", "2020"),
        ("Dataset", "sector statistics"),
    ]


def test_install_assets_copies_plotly_css_and_script(tmp_path):
    assets = render.install_assets(tmp_path / "reports")
    bundled = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    assert (assets / "plotly.min.js").read_bytes() == bundled.read_bytes()
    assert sorted(p.name for p in assets.iterdir()) == [
        "cite.js",
        "finder.js",
        "plotly.min.js",
        "report.css",
        "report.js",
        "search.js",
    ]
    assert "@media print" in (assets / "report.css").read_text()


def test_install_assets_does_not_rewrite_unchanged_files(tmp_path):
    assets = render.install_assets(tmp_path)
    old = 1_000_000_000
    for name in render.ASSETS:
        os.utime(assets / name, ns=(old * 10**9, old * 10**9))
    render.install_assets(tmp_path)
    for name in render.ASSETS:
        assert (assets / name).stat().st_mtime_ns == old * 10**9, name


@pytest.mark.parametrize("name", render.ASSETS)
def test_install_assets_repairs_a_changed_file(tmp_path, name):
    assets = render.install_assets(tmp_path)
    good = (assets / name).read_bytes()
    (assets / name).write_text("broken", encoding="utf-8")
    render.install_assets(tmp_path)
    assert (assets / name).read_bytes() == good
    assert not list(assets.glob("*.tmp"))


def test_no_html_is_built_with_f_strings_in_the_library():
    lib = Path(render.__file__).parent
    for path in lib.glob("*.py"):
        for line in path.read_text().splitlines():
            assert not re.search(r"""f["'][^"']*<[a-z/]""", line), f"{path.name}: {line.strip()}"


def test_install_assets_replaces_a_same_size_plotly_by_hash(tmp_path):
    assets = render.install_assets(tmp_path)
    good = (assets / "plotly.min.js").read_bytes()
    (assets / "plotly.min.js").write_bytes(b"x" * len(good))
    render.install_assets(tmp_path)
    assert (assets / "plotly.min.js").read_bytes() == good
    assert sorted(p.name for p in assets.iterdir()) == sorted(render.ASSETS)
