"""The interactive explorer: ipywidgets controls driving a plotly FigureWidget.

Kept in the library (not the notebook) so it can be tested without a browser: set a control's
value and check the figure's data.
"""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go

from ukcyber import analysis, charts, evidence, figures
from ukcyber.data import load
from ukcyber.formatting import format_row, plain_title
from ukcyber.templating import render
from ukcyber.units import unit_label

FIGURE_TABLES = list(evidence.FIGURE_TABLES)


def metric_options(table: pd.DataFrame, metrics: pd.DataFrame) -> list[tuple[str, str]]:
    """(label, metric) pairs for the metrics with at least one dated row, most rows first."""
    dated = table[table["year"].notna()]
    counts = dated["metric"].value_counts()
    titles = metrics.set_index("metric")["title"]
    return [(f"{titles.get(m, m)} ({n})", m) for m, n in counts.items()]


def selection(table: pd.DataFrame, metric: str, geography: str, years: tuple[int, int]):
    """Rows of one metric and geography within a year range, sorted by year."""
    rows = table[(table["metric"] == metric) & table["year"].notna()]
    if geography != "all":
        rows = rows[rows["geography"] == geography]
    rows = rows[(rows["year"] >= years[0]) & (rows["year"] <= years[1])]
    return rows.sort_values(["year", "id"])


ALTERNATIVE_MARKER = dict(size=11, symbol="diamond-open", line=dict(width=2))
"""Marker of a figure that gives way to the preferred one for the same observation."""


def _strands(rows: pd.DataFrame, sources: pd.DataFrame) -> pd.Series:
    """What keeps rows of one place apart, named for a reader: a table's own series (one
    provider's estimates), or the kind of regional evidence (a cluster study is never joined
    to official figures)."""
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


def traces(rows: pd.DataFrame, sources: pd.DataFrame) -> list[go.Scatter]:
    """Per place: its preferred figures as a line, the other figures as hollow diamonds."""
    out = []
    for i, (name, line, others) in enumerate(series_groups(rows, sources)):
        color = figures.PALETTE[i % len(figures.PALETTE)]
        for part, alternative in ((line, False), (others, True)):
            if part.empty:
                continue
            out.append(
                go.Scatter(
                    x=part["year"].astype(int).tolist(),
                    y=part["value"].tolist(),
                    mode="markers" if alternative else "lines+markers",
                    name=f"{name}: other figures" if alternative else name,
                    legendgroup=name,
                    line=dict(color=color),
                    marker=ALTERNATIVE_MARKER | {"color": color}
                    if alternative
                    else dict(size=9, symbol=[figures.BOUND_SYMBOLS[q] for q in part["qualifier"]]),
                    hovertext=figures.hover_text(part, sources),
                    hoverinfo="text+name",
                )
            )
    return out


def static_figure(dataset: str, metric: str) -> tuple[go.Figure, pd.DataFrame]:
    """The explorer's starting selection as a report chart (per place, a line of preferred
    figures and the other figures as marked points), and the rows it draws."""
    sources, metrics = load("sources"), load("metrics")
    info = metrics.set_index("metric").loc[metric]
    table = load(dataset)
    rows = table[(table["metric"] == metric) & table["year"].notna()].sort_values(["year", "id"])
    fig = figures.figure(plain_title(info["title"]), height=460)
    for i, (name, line, others) in enumerate(series_groups(rows, sources)):
        color = figures.PALETTE[i % len(figures.PALETTE)]
        for part, alternative in ((line, False), (others, True)):
            if part.empty:
                continue
            charts.line_chart(
                part,
                "",
                sources,
                y_title=unit_label(info["unit"], info["scale"]),
                name=f"{name}: other figures" if alternative else name,
                fig=fig,
                color=color,
                points_only=alternative,
            )
    return fig, rows


def explorer(dataset: str, metric: str) -> tuple[widgets.VBox, dict]:
    """Build the dashboard for ``dataset`` starting at ``metric``; return it and its parts."""
    sources, metrics = load("sources"), load("metrics")
    tables = {name: load(name) for name in FIGURE_TABLES}
    units = metrics.set_index("metric")
    table_dd = widgets.Dropdown(options=FIGURE_TABLES, value=dataset, description="Table")
    metric_dd = widgets.Dropdown(description="Metric", layout=widgets.Layout(width="520px"))
    geo_dd = widgets.Dropdown(description="Where")
    years = widgets.IntRangeSlider(description="Years", continuous_update=False)
    summary = widgets.HTML()
    # The starting selection is drawn into a plain figure and only then wrapped in the widget:
    # a FigureWidget syncs its traces to the browser when it is constructed (or displayed on its
    # own), so traces added after construction never reach a front end that renders the saved
    # widget state, as voila does; the chart would stay empty until a control changed.
    fig: go.Figure = go.Figure(layout=dict(template="ukcyber", height=440))

    def on_table(change=None):
        table = tables[table_dd.value]
        metric_dd.options = metric_options(table, metrics)
        wanted = metric if change is None and metric in set(table["metric"]) else None
        target = wanted or metric_dd.options[0][1]
        if metric_dd.value == target:
            on_metric()
        else:
            metric_dd.value = target

    def on_metric(change=None):
        rows = tables[table_dd.value]
        rows = rows[(rows["metric"] == metric_dd.value) & rows["year"].notna()]
        geo_dd.options = ["all"] + sorted(rows["geography"].unique())
        geo_dd.value = "all"
        low, high = int(rows["year"].min()), int(rows["year"].max())
        # Widen first: the slider rejects a min above its current max (and vice versa).
        years.min, years.max = min(low, years.min), max(high, years.max)
        years.min, years.max, years.value = low, high, (low, high)
        redraw()

    def redraw(change=None):
        if metric_dd.value is None:
            return
        rows = selection(tables[table_dd.value], metric_dd.value, geo_dd.value, years.value)
        unit = units.loc[metric_dd.value]
        with fig.batch_update():
            fig.data = []
            fig.add_traces(traces(rows, sources))
            fig.layout.title = plain_title(unit["title"])
            fig.layout.yaxis.title = unit_label(unit["unit"], unit["scale"])
            fig.layout.xaxis.update(figures.year_axis(rows["year"].astype(int)))
        names = "; ".join(figures.source_names(rows, sources)) or "not stated"
        latest = rows.iloc[-1] if len(rows) else None
        summary.value = str(
            render(
                "explorer_summary.html.j2",
                count=len(rows),
                latest=format_row(latest) if latest is not None else "",
                year=int(latest["year"]) if latest is not None else "",
                geography=latest["geography"] if latest is not None else "",
                sources=names,
            )
        )

    table_dd.observe(on_table, names="value")
    metric_dd.observe(on_metric, names="value")
    geo_dd.observe(redraw, names="value")
    years.observe(redraw, names="value")
    on_table()
    fig = go.FigureWidget(fig)
    controls = widgets.HBox([table_dd, metric_dd])
    box = widgets.VBox([controls, widgets.HBox([geo_dd, years]), summary, fig])
    parts = {"table": table_dd, "metric": metric_dd, "geography": geo_dd, "years": years}
    return box, {**parts, "figure": fig, "summary": summary}
