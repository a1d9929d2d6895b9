"""Turn executed notebooks into report pages: main points first, charts, tables, sources.

A page is made only of what the library displayed (see :mod:`ukcyber.mime`): main points,
charts, tables and briefings, plus the notebook's markdown narrative. Console output, plain
text results, widgets and cells tagged ``analyst-note`` (instructions for analysts) never
reach a page. Every page is rendered through :mod:`ukcyber.templating`; charts are drawn by
``assets/report.js`` with one local copy of plotly.js, so pages work offline.

:func:`report_files` returns the page and, beside it, one CSV per chart and table.
"""

from __future__ import annotations

import ast
import csv
import hashlib
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from ukcyber.atomic import atomic_write
from ukcyber.escaping import script_json
from ukcyber.figures import caveat_notes, note_numbers
from ukcyber.formatting import when_words, words
from ukcyber.mime import BRIEF_MIME, FIGURE_MIME, MAIN_POINTS_MIME, PLOTLY_MIME, TABLE_MIME
from ukcyber.pagedates import PageDates
from ukcyber.site.dates import page_dates_words
from ukcyber.templating import render, template_text

if TYPE_CHECKING:
    import nbformat

ASSETS = ("plotly.min.js", "report.css", "report.js", "search.js", "finder.js", "cite.js")
ANALYST_NOTE = "analyst-note"
"""Cell tag for markdown meant for analysts only (parameter help, papermill hints)."""


def install_assets(reports_dir: Path) -> Path:
    """Copy plotly.js, the stylesheet and the scripts into ``reports/assets`` when they differ.

    The scripts are those of the charts, the front-page search and the recommendations explorer; a
    file is copied when its content differs.

    plotly.js is compared by SHA-256 with the installed plotly's copy (not by size), and every
    file is written under a temporary name unique to this process, then renamed.

    Raises
    ------
    BuildError
        Naming the path when an asset cannot be written (a full disk, a permission).
    """
    import plotly

    assets = reports_dir / "assets"
    plotly_js = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    wanted = {"plotly.min.js": plotly_js.read_bytes()}
    wanted |= {name: template_text(name).encode("utf-8") for name in ASSETS[1:]}
    for name, content in wanted.items():
        target = assets / name
        try:
            current = hashlib.sha256(target.read_bytes()).digest()
        except OSError:
            current = b""
        if current != hashlib.sha256(content).digest():
            atomic_write(target, content)
    return assets


# --- parameters ------------------------------------------------------------------------------


def notebook_defaults(nb: nbformat.NotebookNode) -> dict[str, Any]:
    """Default parameter values from the cell tagged ``parameters`` (literal values only)."""
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            values = {}
            for node in ast.parse(cell.source).body:
                target: ast.expr | None = node.target if isinstance(node, ast.AnnAssign) else None
                if isinstance(node, ast.Assign) and len(node.targets) == 1:
                    target = node.targets[0]
                value = getattr(node, "value", None)
                if isinstance(target, ast.Name) and value is not None:
                    try:
                        values[target.id] = ast.literal_eval(value)
                    except ValueError:
                        continue
            return values
    return {}


def parameters_in_words(
    defaults: Mapping[str, Any], params: Mapping[str, Any]
) -> list[tuple[str, str]]:
    """Each parameter as (name in words, value): ``start_year`` → ``Start year``; ``all`` → ``all``.

    Values given to this report override the notebook's defaults.
    """
    merged = {**defaults, **params}
    return [(name.replace("_", " ").capitalize(), words(value)) for name, value in merged.items()]


# --- markdown --------------------------------------------------------------------------------


def _anchor(text: str, used: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", re.sub(r"<[^>]+>", "", text).lower()).strip("-") or "section"
    anchor, n = base, 2
    while anchor in used:
        anchor, n = f"{base}-{n}", n + 1
    used.add(anchor)
    return anchor


def markdown_html(source: str, used: set[str], contents: list[tuple[str, str]]) -> Markup:
    """Markdown of a notebook cell as HTML; level-2 headings get ids and go into ``contents``."""
    import mistune

    class Renderer(mistune.HTMLRenderer):
        def heading(self, text: str, level: int, **attrs: Any) -> str:
            anchor = _anchor(text, used)
            if level == 2:
                contents.append((anchor, re.sub(r"<[^>]+>", "", text)))
            return str(render("heading.html.j2", level=level, anchor=anchor, html=Markup(text)))

    to_html = mistune.create_markdown(
        renderer=Renderer(escape=False), plugins=["table", "strikethrough"]
    )
    return render("markdown.html.j2", html=Markup(to_html(source)))


# --- the page --------------------------------------------------------------------------------


def _csv(columns: list[str], rows: Sequence[Mapping[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


TABLE_SOURCE_COLUMNS = ["source", "source_kind", "source_url", "locator"]
TABLE_NOTE_COLUMNS = ["caveat", "metric", "id"]
"""Columns every table CSV ends with: the caveat in words, and for machines the metric and the
data row's id (empty for rows that have none)."""
FIGURES_DIR = "figures"
"""Folder of the figure pages (one per metric), at the root of the site."""


def figure_page_href(root: str, metric: str) -> str:
    """Address of a metric's figure page from a page ``root`` (``../``) away from the site's."""
    return f"{root}{FIGURES_DIR}/{metric}.html"


@dataclass
class Page:
    """What a notebook's outputs make: blocks of HTML in order, files beside the page."""

    slug: str
    root: str = "../"
    blocks: list[Markup] = field(default_factory=list)
    main_points: list[Markup] = field(default_factory=list)
    contents: list[tuple[str, str]] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    used: dict[str, list[str]] = field(default_factory=dict)
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    anchors: set[str] = field(default_factory=set)
    rows: list[dict[str, Any]] = field(default_factory=list)
    """Period and basis of every figure the page shows (for the years it covers)."""
    metrics: dict[str, str] = field(default_factory=dict)
    """Every metric the page's charts draw (id → title): each links to its figure page."""
    figures: int = 0
    tables: int = 0

    def cite(self, citations: list[dict[str, Any]], where: str) -> None:
        """Note each source of ``citations`` as used at ``where`` (for the page's source list)."""
        for c in citations:
            source = c["source"]
            self.sources.setdefault(source["key"], source)
            used = self.used.setdefault(source["key"], [])
            if where not in used:
                used.append(where)

    def figure(self, data: Mapping[str, Any]) -> None:
        """Add a figure: its chart block, its CSV file, its citations, rows and metrics."""
        self.figures += 1
        n, info = self.figures, data[FIGURE_MIME]
        plotly = data[PLOTLY_MIME]
        spec = {**plotly, "narrow": info.get("narrow", {})}
        href = f"{self.slug}/figure-{n}.csv"
        columns = list(info["columns"])
        columns += [c for c in TABLE_NOTE_COLUMNS if c not in columns]
        self.files[href] = _csv(columns, info["rows"])
        self.cite(info["citations"], f"Figure {n}")
        self.rows += info["rows"]
        notes = info.get("notes") or caveat_notes(info["rows"])
        links = [
            {"href": figure_page_href(self.root, m["metric"]), "title": m["title"]}
            for m in info.get("metrics", [])
        ]
        self.metrics.update({m["metric"]: m["title"] for m in info.get("metrics", [])})
        self.blocks.append(
            render(
                "figure.html.j2",
                figure=info,
                number=n,
                spec_json=Markup(script_json(spec)),
                csv_href=href,
                notes=notes,
                numbers=note_numbers(info["rows"], notes),
                key=info.get("key", []),
                links=links,
            )
        )

    def table(self, info: Mapping[str, Any]) -> None:
        """Add a table: its block, its CSV file and its citations."""
        self.tables += 1
        n = self.tables
        href = f"{self.slug}/table-{n}.csv"
        keys = [c["key"] for c in info["columns"]]
        rows = [dict(r) for r in info["rows"]]
        if info["row_citations"]:
            for row, c in zip(rows, info["row_citations"], strict=True):
                row.update(
                    source=c["label"],
                    source_kind=c["source"]["kind"],
                    source_url=c["source"]["url"],
                    locator=c["where"],
                )
            keys += TABLE_SOURCE_COLUMNS
        extra = info.get("row_notes") or [{} for _ in rows]
        for row, note in zip(rows, extra, strict=True):
            row.update({k: note.get(k, "") for k in TABLE_NOTE_COLUMNS})
        self.rows += [{"period": e.get("period", ""), "basis": e.get("basis", "")} for e in extra]
        keys += [k for k in TABLE_NOTE_COLUMNS if k not in keys]
        self.files[href] = _csv(keys, rows)
        self.cite(info["row_citations"], f"Table {n}")
        notes = caveat_notes({"caveat": e.get("caveat", ""), "series": ""} for e in extra)
        self.blocks.append(
            render(
                "table.html.j2",
                table=info,
                number=n,
                csv_href=href,
                notes=notes,
                numbers=note_numbers(extra, notes),
            )
        )

    def brief(self, info: Mapping[str, Any]) -> None:
        """Add a briefing as a section of its own, listed in the contents."""
        anchor = _anchor(info["title"], self.anchors)
        self.contents.append((anchor, info["title"]))
        self.cite(info["citations"], info["title"])
        self.blocks.append(render("brief.html.j2", brief=info, anchor=anchor, level=2))

    def points(self, info: Mapping[str, Any]) -> None:
        """Add the main points shown at the top of the page, noting their citations."""
        for point in info["points"]:
            self.cite(point["citations"], "Main points")
        self.main_points.append(render("main_points.html.j2", points=info["points"]))

    def output(self, data: Mapping[str, Any]) -> None:
        """Add one cell output by its MIME type: a figure, table, briefing or main points."""
        if FIGURE_MIME in data and PLOTLY_MIME in data:
            self.figure(data)
        elif TABLE_MIME in data:
            self.table(data[TABLE_MIME])
        elif BRIEF_MIME in data:
            self.brief(data[BRIEF_MIME])
        elif MAIN_POINTS_MIME in data:
            self.points(data[MAIN_POINTS_MIME])

    def source_list(self) -> list[dict[str, Any]]:
        """The page's sources, each with where the page uses it."""
        return [{**source, "used": self.used[key]} for key, source in self.sources.items()]


def build_page(
    nb: nbformat.NotebookNode, *, slug: str, show_code: bool = False, root: str = "../"
) -> Page:
    """Walk the notebook's cells and outputs and collect the page's blocks and files."""
    page = Page(slug, root=root)
    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if cell.cell_type == "markdown":
            if ANALYST_NOTE not in tags:
                page.blocks.append(markdown_html(cell.source, page.anchors, page.contents))
            continue
        if cell.cell_type != "code":
            continue
        if show_code and cell.source.strip():
            page.blocks.append(render("code.html.j2", source=cell.source))
        for output in cell.get("outputs", []):
            page.output(output.get("data", {}))
    if page.sources:
        page.contents.append(("sources", "Sources"))
    return page


def report_files(
    nb: nbformat.NotebookNode,
    *,
    slug: str,
    title: str,
    params: dict[str, Any],
    show_code: bool = False,
    dates: PageDates | None = None,
    description: str | None = None,
    pdf: bool = False,
    depth: int = 1,
    key: str = "",
) -> tuple[dict[str, str | bytes], int]:
    """Every file a report publishes, by path relative to ``reports/<notebook>/``.

    ``<slug>.html`` (the page) and ``<slug>/figure-N.csv`` / ``<slug>/table-N.csv`` (the rows
    of each chart and table, each with its caveat). ``description`` defaults to the notebook's
    ``metadata.ukcyber.description``. ``dates`` (:class:`~ukcyber.pagedates.PageDates`, from
    the build: the tables it read and when they changed, the sources it cites, when it was
    built) are put in words in the header (:func:`~ukcyber.site.dates.page_dates_words`),
    with the years the page's own figures cover. With ``pdf`` the page links
    ``<slug>.pdf``. ``key`` (``notebook/slug``) names the report in the site's
    ``assets/status.js``, which marks the page when it goes out of date. Returns the files and
    the chart count.
    """
    up = "../" * depth
    page = build_page(nb, slug=slug, show_code=show_code, root=up)
    description = description or nb.metadata.get("ukcyber", {}).get("description", "")
    sources = page.source_list()
    terms = terms_box(" ".join([title, description, *page.main_points, *page.blocks]), up)
    if terms:
        page.contents.insert(
            len(page.contents) - bool(page.sources), ("terms", "Terms on this page")
        )
    html = render(
        "report.html.j2",
        title=title,
        description=description,
        parameters=parameters_in_words(notebook_defaults(nb), params),
        meta=page_dates_words(dates, page.rows, [s.get("iso_date", "") for s in sources]),
        pdf_href=f"{slug}.pdf" if pdf else "",
        main_points=Markup("").join(page.main_points),
        contents=page.contents,
        blocks=page.blocks,
        sources=terms + (render("sources.html.j2", sources=sources) if page.sources else ""),
        charts=page.figures,
        assets=f"{up}assets",
        root=up,
        key=key,
        print_date=when_words(dates.built_at) if dates else "",
    )
    return {f"{slug}.html": str(html), **page.files}, page.figures


def terms_box(html: str, root: str) -> Markup:
    """The "Terms on this page" box, empty when the page's text uses no term of the glossary.

    Each abbreviation or name of the glossary the page's text uses is explained where it is used.
    """
    from ukcyber.site.glossary import terms_in

    text = re.sub(r"<[^>]+>", " ", str(html))
    terms = terms_in(text)
    return render("terms.html.j2", terms=terms, root=root) if terms else Markup("")


def report_html(
    nb: nbformat.NotebookNode, *, title: str, params: dict[str, Any], **options: Any
) -> tuple[str, int]:
    """Just the page of :func:`report_files` (its HTML and chart count)."""
    slug = options.pop("slug", "report")
    files, charts = report_files(nb, slug=slug, title=title, params=params, **options)
    html = files[f"{slug}.html"]
    assert isinstance(html, str)
    return html, charts
