"""Offline rendering: plotly outputs become placeholders + safe JSON; widgets become text."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import nbformat
import plotly
import pytest
from ukcyber import render
from ukcyber.mime import PLOTLY_MIME, WIDGET_MIME

HOSTILE = "</script><script>alert(1)</script>"
PLOT_DATA = re.compile(
    r'<div class="ukc-plot" id="ukc-plot-(\d+)"></div>'
    r'<script type="application/json" class="ukc-plot-data" data-target="ukc-plot-(\d+)">'
    r"(.*?)</script>",
    re.S,
)


def plotly_spec(label: str = HOSTILE) -> dict:
    return {
        "data": [{"type": "bar", "x": [label, "a & b"], "y": [1, 2]}],
        "layout": {"title": {"text": "Chart <i>title</i>"}},
        "config": {"responsive": True},
    }


def widget_view() -> dict:
    return {"model_id": "abc123", "version_major": 2, "version_minor": 0}


def make_notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Heading\n\nSome *text*."),
        nbformat.v4.new_code_cell(
            "secret_source_marker = 1\nprint('printed output')",
            outputs=[nbformat.v4.new_output("stream", name="stdout", text="printed output\n")],
        ),
        nbformat.v4.new_code_cell(
            "charts.show(fig)",
            outputs=[
                nbformat.v4.new_output(
                    "display_data",
                    data={PLOTLY_MIME: plotly_spec(), "text/plain": "[chart] Chart (1 traces)"},
                )
            ],
        ),
        nbformat.v4.new_code_cell(
            "box",
            outputs=[
                nbformat.v4.new_output("display_data", data={WIDGET_MIME: widget_view()}),
                nbformat.v4.new_output(
                    "execute_result",
                    data={WIDGET_MIME: widget_view(), "text/plain": "VBox(children=...)"},
                    execution_count=3,
                ),
            ],
        ),
        nbformat.v4.new_code_cell(
            "charts.show(fig2)",
            outputs=[
                nbformat.v4.new_output(
                    "execute_result",
                    data={PLOTLY_MIME: plotly_spec("second")},
                    execution_count=4,
                )
            ],
        ),
    ]
    return nb


def test_prepare_turns_plotly_outputs_into_placeholders_with_safe_json():
    nb = make_notebook()
    prepared, count = render.prepare(nb)
    assert count == 2
    first = prepared.cells[2].outputs[0]["data"]
    assert PLOTLY_MIME not in first
    assert first["text/plain"] == "[chart] Chart (1 traces)"
    html = first["text/html"]
    match = PLOT_DATA.fullmatch(html)
    assert match, html
    assert match.group(1) == match.group(2) == "0"
    payload = match.group(3)
    assert "<" not in payload and ">" not in payload and "&" not in payload
    assert "\\u003c/script\\u003e\\u003cscript\\u003ealert(1)" in payload
    assert json.loads(payload) == plotly_spec()
    assert html.count("</script>") == 1

    second = PLOT_DATA.fullmatch(prepared.cells[4].outputs[0]["data"]["text/html"])
    assert second.group(1) == "1"
    assert json.loads(second.group(3)) == plotly_spec("second")


def test_prepare_replaces_widget_views_with_text_and_drops_widget_state():
    nb = make_notebook()
    prepared, _ = render.prepare(nb)
    assert "widgets" not in prepared.metadata
    bare, with_text = prepared.cells[3].outputs
    assert bare["data"] == {"text/plain": "[interactive widget: open the notebook in JupyterLab]"}
    assert with_text["data"] == {"text/plain": "VBox(children=...)"}


def test_prepare_leaves_the_input_notebook_unchanged():
    nb = make_notebook()
    before = json.dumps(nb, sort_keys=True)
    render.prepare(nb)
    assert json.dumps(nb, sort_keys=True) == before
    assert PLOTLY_MIME in nb.cells[2].outputs[0]["data"]


def test_prepare_ignores_markdown_and_plain_outputs():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("text"),
        nbformat.v4.new_code_cell(
            "1",
            outputs=[nbformat.v4.new_output("execute_result", data={"text/plain": "1"})],
        ),
    ]
    prepared, count = render.prepare(nb)
    assert count == 0
    assert prepared.cells[1].outputs[0]["data"] == {"text/plain": "1"}


def test_report_html_is_offline_and_links_local_plotly():
    text, count = render.report_html(
        make_notebook(), title="Report <x>", params={"region": "Wales", "year": 2023}
    )
    assert count == 2
    assert '<script src="http' not in text
    assert 'src="https://' not in text and "cdn" not in text.lower()
    assert '<script src="../assets/plotly.min.js"></script>' in text
    assert '<link rel="stylesheet" href="../assets/report.css">' in text
    assert 'href="../index.html"' in text
    assert "<title>Report &lt;x&gt;</title>" in text
    assert "region = Wales, year = 2023" in text
    assert "</script><script>alert(1)" not in text
    assert text.count('class="ukc-plot-data"') == 2
    assert "printed output" in text
    assert "[interactive widget: open the notebook in JupyterLab]" in text


def test_report_html_hides_code_unless_asked():
    hidden, _ = render.report_html(make_notebook(), title="T", params={})
    assert "secret_source_marker" not in hidden
    assert "default parameters" in hidden
    shown, _ = render.report_html(make_notebook(), title="T", params={}, show_code=True)
    assert "secret_source_marker" in shown
    assert "printed output" in shown


def test_report_html_depth_sets_relative_paths():
    text, _ = render.report_html(make_notebook(), title="T", params={}, depth=2)
    assert '<script src="../../assets/plotly.min.js"></script>' in text
    assert 'href="../../index.html"' in text


def test_page_without_plotly_has_no_scripts():
    text = render.page(title="T", body="<p>body</p>", assets="assets/", with_plotly=False)
    assert "<script" not in text
    assert '<link rel="stylesheet" href="assets/report.css">' in text
    assert "<p>body</p>" in text


def test_page_escapes_title_subtitle_and_meta():
    text = render.page(
        title="<b>T</b>",
        subtitle="<i>s</i>",
        body="",
        assets="assets",
        meta={"<k>": "<v>"},
        with_plotly=False,
    )
    assert "<b>T</b>" not in text and "&lt;b&gt;T&lt;/b&gt;" in text
    assert "&lt;i&gt;s&lt;/i&gt;" in text
    assert "<dt>&lt;k&gt;</dt><dd>&lt;v&gt;</dd>" in text


def test_install_assets_copies_plotly_and_css(tmp_path):
    assets = render.install_assets(tmp_path / "reports")
    assert assets == tmp_path / "reports" / "assets"
    bundled = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    assert (assets / "plotly.min.js").read_bytes() == bundled.read_bytes()
    assert (assets / "report.css").read_text(encoding="utf-8") == render._template("report.css")
    assert sorted(p.name for p in assets.iterdir()) == ["plotly.min.js", "report.css"]


def test_install_assets_does_not_rewrite_unchanged_files(tmp_path):
    assets = render.install_assets(tmp_path)
    old = 1_000_000_000
    for name in render.ASSETS:
        os.utime(assets / name, ns=(old * 10**9, old * 10**9))
    render.install_assets(tmp_path)
    for name in render.ASSETS:
        assert (assets / name).stat().st_mtime_ns == old * 10**9, name


@pytest.mark.parametrize("name", ["report.css", "plotly.min.js"])
def test_install_assets_repairs_a_changed_file(tmp_path, name):
    assets = render.install_assets(tmp_path)
    good = (assets / name).read_bytes()
    (assets / name).write_text("broken", encoding="utf-8")
    render.install_assets(tmp_path)
    assert (assets / name).read_bytes() == good
    assert not list(assets.glob("*.tmp"))
