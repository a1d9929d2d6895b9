"""The interactive explorer: ipywidgets controls driving a chart drawn with the chart kit.

Pick a table, a metric, a place and years: the chart redraws (through
:func:`ukcyber.charts.line_chart`, so it follows the kit's rules for bounds, gaps and breaks),
a table lists the figures of the selection with their sources and a CSV download, and, under
voila, the page address keeps the selection (``?table=…&metric=…&where=…&from=…&to=…``) so a
view can be shared and reopened. Every control shows reader words: table titles from
``datapackage.json``, metric titles from ``metrics.csv``.

Kept in the library (not the notebook) so it can be tested without a browser: set a control's
value and check the figure's data, the table and the address.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, quote, urlencode

import anywidget
import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go
import traitlets
from markupsafe import escape

from ukcyber import analysis, charts, evidence, figures
from ukcyber.data import load, resource
from ukcyber.formatting import format_row, plain_title, plural
from ukcyber.templating import render
from ukcyber.units import unit_label

FIGURE_TABLES = list(evidence.FIGURE_TABLES)

EVERYWHERE = "all"
"""The place value meaning every place (shown as "every place")."""

TABLE_COLUMNS = ["geography", "period", "figure", "as_printed", "preferred", "caveat", "citation"]
"""Columns of the selection's table (reader words; the CSV has more)."""

CSV_COLUMNS = [
    "title",
    "geography",
    "period",
    "year",
    "value",
    "unit",
    "scale",
    "qualifier",
    "figure",
    "as_printed",
    "basis",
    "preferred",
    "not_preferred_because",
    "caveat",
    "source",
    "source_url",
    "citation",
]
"""Columns of the selection's CSV download."""

INTRO = (
    "Pick a table, a metric, a place and the years: the chart, the table of figures under it "
    "and its CSV download follow the selection. Each line joins one place's preferred figures; "
    "hollow diamonds are other figures for the same year, and triangles are bounds."
)


def table_options() -> list[tuple[str, str]]:
    """(title, table) pairs for the figure tables, titles from ``datapackage.json``."""
    return [(str(resource(name).get("title", name)), name) for name in FIGURE_TABLES]


def metric_options(table: pd.DataFrame, metrics: pd.DataFrame) -> list[tuple[str, str]]:
    """Label and metric pairs for the metrics with at least one dated row, most rows first.

    The label is the metric's title without its unit, and the number of figures.
    """
    dated = table[table["year"].notna()]
    counts = dated["metric"].value_counts()
    titles = metrics.set_index("metric")["title"]
    return [
        (f"{plain_title(titles.get(m, m))} ({plural(int(n), 'figure')})", str(m))
        for m, n in counts.items()
    ]


def selection(
    table: pd.DataFrame, metric: str, geography: str, years: tuple[int, int]
) -> pd.DataFrame:
    """Rows of one metric and geography within a year range, sorted by year."""
    rows = table[(table["metric"] == metric) & table["year"].notna()]
    if geography != EVERYWHERE:
        rows = rows[rows["geography"] == geography]
    rows = rows[(rows["year"] >= years[0]) & (rows["year"] <= years[1])]
    return rows.sort_values(["year", "id"])


def _strands(rows: pd.DataFrame, sources: pd.DataFrame) -> pd.Series:
    """What keeps rows of one place apart, named for a reader.

    That is a table's own series (one provider's estimates), or the kind of regional evidence (a
    cluster study is never joined to official figures).
    """
    if "series" in rows.columns:
        metric = str(rows["metric"].iloc[0])
        names = analysis.series_labels(rows, pd.Series({metric: metric}), sources, common=metric)
        return rows["series"].astype(str).map(names)
    if "evidence" in rows.columns:
        return rows["evidence"].astype(str).str.replace("_", " ")
    return pd.Series("", index=rows.index)


def series_groups(
    rows: pd.DataFrame, sources: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, pd.DataFrame]]:
    """(name, preferred rows, other rows) per place and strand, for one metric.

    The preferred figures of a place form its line; the others (repeats, rounded restatements,
    second-hand citations: ``not_preferred_because`` says why) are marked points beside it, so
    a disagreement stays visible without being joined into the line.
    """
    if rows.empty:
        return []
    keyed = rows.assign(_strand=_strands(rows, sources))
    preferred = (
        keyed["preferred"].fillna(True).astype(bool)
        if "preferred" in keyed.columns
        else pd.Series(True, index=keyed.index)
    )
    out = []
    for (geography, strand), part in keyed.groupby(["geography", "_strand"], sort=True):
        name = f"{geography} ({strand})" if strand else str(geography)
        mask = preferred[part.index]
        out.append((name, part[mask].drop(columns="_strand"), part[~mask].drop(columns="_strand")))
    return out


def selection_figure(
    rows: pd.DataFrame, sources: pd.DataFrame, info: Mapping[str, Any]
) -> go.Figure:
    """The selection drawn with the chart kit, titled with the metric's reader title.

    Per place, a line of its preferred figures is drawn, and the other figures as hollow diamonds.
    """
    fig = figures.figure(plain_title(info["title"]), height=460)
    y_title = unit_label(info["unit"], info["scale"])
    for i, (name, line, others) in enumerate(series_groups(rows, sources)):
        color = figures.PALETTE[i % len(figures.PALETTE)]
        for part, alternative in ((line, False), (others, True)):
            if part.empty:
                continue
            charts.line_chart(
                part,
                "",
                sources,
                y_title=y_title,
                name=f"{name}: other figures" if alternative else name,
                fig=fig,
                color=color,
                points_only=alternative,
            )
            fig.data[-1].legendgroup = name
            if alternative:  # the kit colours a line, not markers: keep the place's colour
                fig.data[-1].marker.color = color
    if not fig.data:
        fig.update_layout(yaxis_title=y_title)
    return fig


def traces(rows: pd.DataFrame, sources: pd.DataFrame) -> list[Any]:
    """The traces :func:`selection_figure` draws for ``rows`` (one metric)."""
    if rows.empty:
        return []
    metric = str(rows["metric"].iloc[0])
    info = {"title": metric, "unit": str(rows["unit"].iloc[0]), "scale": str(rows["scale"].iloc[0])}
    return list(selection_figure(rows, sources, info).data)


def static_figure(dataset: str, metric: str) -> tuple[go.Figure, pd.DataFrame]:
    """The explorer's starting selection as a report chart, and the rows it draws."""
    sources, metrics = load("sources"), load("metrics")
    info = metrics.set_index("metric").loc[metric]
    table = load(dataset)
    rows = table[(table["metric"] == metric) & table["year"].notna()].sort_values(["year", "id"])
    return selection_figure(rows, sources, info), rows


# --- the table and CSV of the selection ------------------------------------------------------


def selection_csv(rows: pd.DataFrame, title: str) -> str:
    """The selection as CSV text: one figure a row, with its source and citation."""
    out = io.StringIO()
    table = evidence.cited(rows).assign(title=title) if len(rows) else pd.DataFrame()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for record in table.to_dict("records"):
        writer.writerow(
            ["" if pd.isna(record.get(c, "")) else record.get(c, "") for c in CSV_COLUMNS]
        )
    return out.getvalue()


def selection_table(rows: pd.DataFrame, title: str, file_name: str) -> str:
    """HTML of the selection: a CSV download link and the figures with linked sources."""
    if rows.empty:
        return "<p>No figures for this selection.</p>"
    href = "data:text/csv;charset=utf-8," + quote(selection_csv(rows, title))
    link = (
        f'<p><a download="{escape(file_name)}" href="{escape(href)}">'
        f"Download these {escape(plural(len(rows), 'figure'))} (CSV)</a></p>"
    )
    table = evidence.cited(rows)
    table.attrs.update(caption=f"{title}: every figure of this selection", display=TABLE_COLUMNS)
    return link + str(evidence.html(table))


# --- the address (voila) ---------------------------------------------------------------------


class Address(anywidget.AnyWidget):
    """Keeps the selection in the page address under voila (``history.replaceState``).

    In JupyterLab, whose address is the notebook's, it does nothing.
    """

    _esm = """
    export default {
      render({ model }) {
        const lab = () => document.querySelector(".jp-LabShell, .jp-NotebookPanel");
        const update = () => {
          if (lab()) return;
          const query = model.get("query");
          history.replaceState(null, "", query ? "?" + query : location.pathname);
        };
        model.on("change:query", update);
        update();
      },
    };
    """
    query = traitlets.Unicode("").tag(sync=True)


def requested(query: str | None = None) -> dict[str, str]:
    """The selection named by a query string (voila passes the page's in ``QUERY_STRING``)."""
    text = os.environ.get("QUERY_STRING", "") if query is None else query
    return {key: values[-1] for key, values in parse_qs(text).items() if values}


def address(table: str, metric: str, where: str, years: tuple[int, int]) -> str:
    """The query string of a selection: ``table=…&metric=…&where=…&from=…&to=…``."""
    return urlencode(
        {"table": table, "metric": metric, "where": where, "from": years[0], "to": years[1]}
    )


def _years_from(wanted: Mapping[str, str], low: int, high: int) -> tuple[int, int]:
    try:
        start, end = int(wanted.get("from", low)), int(wanted.get("to", high))
    except ValueError:
        return low, high
    start, end = max(low, min(start, high)), min(high, max(end, low))
    return (start, end) if start <= end else (low, high)


# --- the explorer ----------------------------------------------------------------------------


def _controls(dataset: str) -> dict[str, widgets.Widget]:
    wide = widgets.Layout(width="auto", min_width="260px", max_width="560px")
    style = {"description_width": "5em"}
    return {
        "table": widgets.Dropdown(
            options=table_options(), value=dataset, description="Table", layout=wide, style=style
        ),
        "metric": widgets.Dropdown(description="Metric", layout=wide, style=style),
        "geography": widgets.Dropdown(description="Where", layout=wide, style=style),
        "years": widgets.IntRangeSlider(
            description="Years",
            continuous_update=False,
            readout=False,
            layout=widgets.Layout(width="auto", min_width="220px", max_width="420px"),
            style=style,
        ),
        "years_readout": widgets.HTML(layout=widgets.Layout(min_width="7em")),
        "summary": widgets.HTML(),
        "table_view": widgets.HTML(),
        "address": Address(),
    }


def explorer(dataset: str, metric: str, *, query: str | None = None) -> tuple[widgets.VBox, dict]:
    """Build the explorer for ``dataset`` starting at ``metric``; return it and its parts.

    Under voila, it starts instead at the selection the page address names.
    """
    sources, metrics = load("sources"), load("metrics")
    tables = {name: load(name) for name in FIGURE_TABLES}
    units = metrics.set_index("metric")
    wanted = requested(query)
    if wanted.get("table") in tables:
        dataset = wanted["table"]
        metric = wanted.get("metric", metric)
    parts = _controls(dataset)
    table_dd, metric_dd = parts["table"], parts["metric"]
    # The starting selection is drawn into a plain figure and only then wrapped in the widget:
    # a FigureWidget syncs its traces to the browser when it is constructed, so traces added
    # after construction never reach a front end that renders the saved widget state, as voila
    # does; the chart would stay empty until a control changed.
    state: dict[str, Any] = {"fig": go.Figure(layout=dict(template="ukcyber", height=460))}

    def on_table(change: Any = None) -> None:
        table = tables[table_dd.value]
        metric_dd.options = metric_options(table, metrics)
        valid = {value for _, value in metric_dd.options}
        target = metric if change is None and metric in valid else metric_dd.options[0][1]
        if metric_dd.value == target:
            on_metric()
        else:
            metric_dd.value = target

    def on_metric(change: Any = None) -> None:
        rows = tables[table_dd.value]
        rows = rows[(rows["metric"] == metric_dd.value) & rows["year"].notna()]
        first = state.get("first", True)  # the address names the first selection only
        state["first"] = False
        state["busy"] = True  # one redraw for the new metric, not one per control
        _set_place_and_years(parts, rows, wanted, first)
        state["busy"] = False
        redraw()

    def redraw(change: Any = None) -> None:
        if metric_dd.value is None or state.get("busy"):
            return
        _draw(state["fig"], parts, tables[table_dd.value], sources, units.loc[metric_dd.value])

    table_dd.observe(on_table, names="value")
    metric_dd.observe(on_metric, names="value")
    parts["geography"].observe(redraw, names="value")
    parts["years"].observe(redraw, names="value")
    on_table()
    fig = state["fig"] = go.FigureWidget(state["fig"])
    fig._config = {**fig._config, **figures.CONFIG}  # no cloud upload, no logo
    box = _layout(parts, fig)
    return box, {**parts, "figure": fig}


def _set_place_and_years(
    parts: dict[str, Any], rows: pd.DataFrame, wanted: dict[str, str], first: bool
) -> None:
    """Offer a new metric's places and years; the first selection takes the address's."""
    geo_dd, years = parts["geography"], parts["years"]
    places = sorted(rows["geography"].unique())
    where = wanted.get("where") if first and wanted.get("where") in places else EVERYWHERE
    low, high = int(rows["year"].min()), int(rows["year"].max())
    geo_dd.options = [("every place", EVERYWHERE)] + [(p, p) for p in places]
    geo_dd.value = where
    # Widen first: the slider rejects a min above its current max (and vice versa).
    years.min, years.max = min(low, years.min), max(high, years.max)
    years.min, years.max = low, high
    years.value = _years_from(wanted, low, high) if first else (low, high)


def _draw(
    fig: go.Figure,
    parts: dict[str, Any],
    table: pd.DataFrame,
    sources: pd.DataFrame,
    info: pd.Series,
) -> None:
    """Redraw ``fig`` and the summary and table beside it for the controls' selection."""
    metric, where, years = (parts[k].value for k in ("metric", "geography", "years"))
    rows = selection(table, metric, where, years)
    built = selection_figure(rows, sources, info)
    with fig.batch_update():
        fig.data = []
        fig.add_traces(list(built.data))
        fig.layout = built.layout
    _show_selection(parts, rows, sources, plain_title(info["title"]))


def _show_selection(
    parts: Mapping[str, widgets.Widget], rows: pd.DataFrame, sources: pd.DataFrame, title: str
) -> None:
    """Readout, summary, table and address of the current selection."""
    table, metric = parts["table"].value, parts["metric"].value
    where, years = parts["geography"].value, parts["years"].value
    parts["years_readout"].value = f"{years[0]} – {years[1]}"
    names = "; ".join(figures.source_names(rows, sources)) or "not stated"
    latest = rows.iloc[-1] if len(rows) else None
    parts["summary"].value = str(
        render(
            "explorer_summary.html.j2",
            count=len(rows),
            latest=format_row(latest) if latest is not None else "",
            year=int(latest["year"]) if latest is not None else "",
            geography=latest["geography"] if latest is not None else "",
            sources=names,
        )
    )
    file_name = f"ukcyber-{metric}-{'every-place' if where == EVERYWHERE else where}-{years[0]}-{years[1]}.csv"
    parts["table_view"].value = selection_table(rows, title, file_name.replace(" ", "-").lower())
    parts["address"].query = address(table, metric, where, years)


def _layout(parts: Mapping[str, widgets.Widget], fig: go.FigureWidget) -> widgets.VBox:
    wrap = widgets.Layout(flex_flow="row wrap", align_items="center")
    return widgets.VBox(
        [
            widgets.HTML(f"<p>{escape(INTRO)}</p>"),
            widgets.HBox([parts["table"], parts["metric"]], layout=wrap),
            widgets.HBox([parts["geography"], parts["years"], parts["years_readout"]], layout=wrap),
            parts["summary"],
            fig,
            parts["table_view"],
            parts["address"],
        ]
    )
