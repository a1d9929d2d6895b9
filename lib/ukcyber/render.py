"""Turn executed notebooks into self-contained, offline HTML pages.

nbconvert renders nothing for plotly's JSON MIME type, and its full templates pull require.js and
MathJax from a CDN. So the notebook body is rendered with the ``basic`` template (inputs hidden by
default), every plotly output becomes a placeholder plus its JSON, and our own page template
draws the charts with one local copy of plotly.js under ``reports/assets/``.
"""

from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from ukcyber.escaping import script_json
from ukcyber.mime import PLOTLY_MIME, WIDGET_MIME

if TYPE_CHECKING:
    import nbformat

ASSETS = ("plotly.min.js", "report.css")


def _template(name: str) -> str:
    return resources.files("ukcyber").joinpath("templates", name).read_text(encoding="utf-8")


def install_assets(reports_dir: Path) -> Path:
    """Copy plotly.js and the stylesheet into ``reports/assets`` (only when they changed)."""
    import plotly

    assets = reports_dir / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    plotly_js = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    sources = {"plotly.min.js": plotly_js}
    for name, source in sources.items():
        target = assets / name
        if not target.exists() or target.stat().st_size != source.stat().st_size:
            tmp = target.with_suffix(".tmp")
            shutil.copyfile(source, tmp)
            tmp.replace(target)
    css = assets / "report.css"
    text = _template("report.css")
    if not css.exists() or css.read_text(encoding="utf-8") != text:
        tmp = css.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(css)
    return assets


def prepare(nb: nbformat.NotebookNode) -> tuple[nbformat.NotebookNode, int]:
    """Copy of ``nb`` ready for nbconvert: plotly outputs as placeholders, widgets as text.

    Returns the notebook and the number of charts found.
    """
    import nbformat

    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    nb.metadata.pop("widgets", None)
    charts = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if PLOTLY_MIME in data:
                spec = data[PLOTLY_MIME]
                data["text/html"] = (
                    f'<div class="ukc-plot" id="ukc-plot-{charts}"></div>'
                    f'<script type="application/json" class="ukc-plot-data" '
                    f'data-target="ukc-plot-{charts}">{script_json(spec)}</script>'
                )
                del data[PLOTLY_MIME]
                charts += 1
            if WIDGET_MIME in data:
                del data[WIDGET_MIME]
                data.setdefault(
                    "text/plain", "[interactive widget: open the notebook in JupyterLab]"
                )
    return nb, charts


def body_html(nb: nbformat.NotebookNode, *, show_code: bool = False) -> tuple[str, int]:
    """The notebook's cells as an HTML fragment (nbconvert ``basic`` template)."""
    from nbconvert import HTMLExporter

    prepared, charts = prepare(nb)
    exporter = HTMLExporter(
        template_name="basic",
        exclude_input=not show_code,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        anchor_link_text="",
    )
    body, _ = exporter.from_notebook_node(prepared)
    return body, charts


def page(
    *,
    title: str,
    body: str,
    assets: str,
    subtitle: str = "",
    home: str = "index.html",
    meta: dict[str, str] | None = None,
    with_plotly: bool = True,
) -> str:
    """Wrap an HTML fragment in the report page template (title, metadata, local assets)."""
    from jinja2 import Template

    return Template(_template("page.html.j2"), autoescape=True).render(
        title=title,
        subtitle=subtitle,
        body=body,
        assets=assets.rstrip("/"),
        home=home,
        meta=meta or {},
        with_plotly=with_plotly,
    )


def report_html(
    nb: nbformat.NotebookNode,
    *,
    title: str,
    params: dict,
    depth: int = 1,
    show_code: bool = False,
    meta: dict[str, str] | None = None,
) -> tuple[str, int]:
    """A full report page for an executed notebook ``depth`` folders below ``reports/``."""
    body, charts = body_html(nb, show_code=show_code)
    up = "../" * depth
    subtitle = ", ".join(f"{k} = {v}" for k, v in params.items()) or "default parameters"
    text = page(
        title=title,
        subtitle=subtitle,
        body=body,
        assets=f"{up}assets",
        home=f"{up}index.html",
        meta=meta,
    )
    return text, charts


def report_files(
    nb: nbformat.NotebookNode,
    *,
    slug: str,
    title: str,
    params: dict,
    show_code: bool = False,
    meta: dict[str, str] | None = None,
) -> tuple[dict[str, str | bytes], int]:
    """Every file a report publishes, by path relative to ``reports/<notebook>/``.

    The build writes each one atomically; today that is the page itself (``<slug>.html``).
    Returns the files and the number of charts.
    """
    html, charts = report_html(nb, title=title, params=params, show_code=show_code, meta=meta)
    return {f"{slug}.html": html}, charts
