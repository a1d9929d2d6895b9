"""Plotly charts with one theme, a colour-blind-safe palette, whole-year axes and readable labels.

Every builder records the rows it draws (value, unit, qualifier, period, geography and a
reader-facing citation per point) in the figure, so :func:`show` can publish exactly those rows:
as the chart's CSV download, its table alternative and its caption's sources. :func:`show`
checks that the recorded rows are the points drawn, and displays the figure as plotly's JSON
MIME type plus :data:`~ukcyber.mime.FIGURE_MIME` (caption, alt text, rows) and plain text.

Builders also record a *narrow* layout (one column, shorter label lines, sparser year ticks)
that the report page uses when the chart is under 600 px wide, on a phone.
"""

from __future__ import annotations

import json
import textwrap
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from ukcyber.citations import Citation, cite, cite_rows
from ukcyber.formatting import QUALIFIER_WORDS, format_value, ordinal
from ukcyber.mime import FIGURE_MIME, PLOTLY_MIME

PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
"""Okabe–Ito colours, distinguishable with the common forms of colour blindness."""

BOUND_SYMBOLS = {
    "exact": "circle",
    "approximately": "circle-open",
    "more_than": "triangle-up",
    "at_least": "triangle-up-open",
    "less_than": "triangle-down",
    "at_most": "triangle-down-open",
}

CONFIG = {
    "displaylogo": False,
    "showSendToCloud": False,
    "showEditInChartStudio": False,
    "responsive": True,
    "modeBarButtonsToRemove": [
        "sendChartToCloud",
        "sendDataToCloud",
        "editInChartStudio",
        "lasso2d",
        "select2d",
        "autoScale2d",
        "toggleSpikelines",
        "hoverClosestCartesian",
        "hoverCompareCartesian",
    ],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}
"""Config for every chart (reports, JupyterLab, voila): no cloud upload, no logo; PNG kept."""

FIGURE_COLUMNS = [
    "series",
    "category",
    "value",
    "unit",
    "scale",
    "qualifier",
    "figure",
    "as_printed",
    "period",
    "geography",
    "source",
    "source_kind",
    "source_url",
    "locator",
]
"""Columns of a chart's CSV download, one row per point drawn."""

NARROW_WRAP, WIDE_WRAP = 18, 32
"""Characters per line of a category label on a phone and on a wide screen."""

pio.templates["ukcyber"] = go.layout.Template(
    layout=dict(
        colorway=PALETTE,
        font=dict(family="Helvetica, Arial, sans-serif", size=13, color="#222"),
        paper_bgcolor="white",
        plot_bgcolor="white",
        xaxis=dict(showgrid=False, linecolor="#888", ticks="outside", automargin=True),
        yaxis=dict(gridcolor="#e5e5e5", zeroline=False, automargin=True),
        margin=dict(l=10, r=20, t=60, b=10, autoexpand=True),
        hoverlabel=dict(font_size=12),
        legend=dict(orientation="h", x=0, xanchor="left", y=0, yanchor="bottom", yref="container"),
        title=dict(x=0, xanchor="left", font=dict(size=16)),
    )
)


def figure(title: str = "", *, height: int = 420) -> go.Figure:
    """An empty themed figure. The title shows in JupyterLab; a report page prints it above
    the chart instead."""
    return go.Figure(layout=dict(template="ukcyber", title=dict(text=title), height=height))


# --- recording the rows drawn ---------------------------------------------------------------


def _meta(fig: go.Figure) -> dict[str, Any]:
    meta = fig.layout.meta
    return dict(meta) if isinstance(meta, dict) else {}


def _update_meta(fig: go.Figure, **values: Any) -> None:
    fig.layout.meta = {**_meta(fig), **values}


def _clean(value: Any) -> Any:
    if value is None or (not isinstance(value, list | dict | str) and pd.isna(value)):
        return ""
    if hasattr(value, "item"):
        return value.item()
    return value


def record(
    fig: go.Figure,
    rows: pd.DataFrame,
    sources: pd.DataFrame | None,
    *,
    series: str,
    categories: list[Any],
    unit: str = "",
) -> None:
    """Record ``rows`` as the points of the trace just added (one row per point, in order).

    Rows need ``value``; ``unit``, ``scale``, ``qualifier``, ``as_printed``, ``period`` and
    ``geography`` are used when present. Provenance comes from ``source_id``/``locator`` via
    ``sources``, or from ready ``source``/``source_url``/``locator`` columns (derived counts).
    """
    trace = len(fig.data) - 1
    recorded = list(_meta(fig).get("ukc_rows", []))
    lookup = (
        None if sources is None else {str(r["source_id"]): r for r in sources.to_dict("records")}
    )
    for category, row in zip(categories, rows.to_dict("records"), strict=True):
        row_unit = str(_clean(row.get("unit")) or unit)
        scale = str(_clean(row.get("scale")) or "one")
        qualifier = str(_clean(row.get("qualifier")) or "exact")
        entry = {
            "series": series,
            "category": str(_clean(category)),
            "value": _clean(row["value"]),
            "unit": row_unit,
            "scale": scale,
            "qualifier": qualifier,
            "figure": format_value(float(row["value"]), row_unit, scale, qualifier),
            "as_printed": str(_clean(row.get("as_printed"))),
            "period": str(_clean(row.get("period"))),
            "geography": str(_clean(row.get("geography"))),
            "_trace": trace,
        }
        if lookup is not None and row.get("source_id"):
            citation = cite(row, lookup)
            entry |= {
                "source": citation.label,
                "source_kind": citation.source.kind,
                "source_url": citation.url,
                "locator": citation.where,
                "_cite": [citation.to_json()],
            }
        else:
            entry |= {
                k: str(_clean(row.get(k)))
                for k in ("source", "source_kind", "source_url", "locator")
            }
            entry["_cite"] = list(row.get("citations", []))
        recorded.append(entry)
    _update_meta(fig, ukc_rows=recorded)


def drawn_rows(fig: go.Figure) -> list[dict[str, Any]]:
    """The rows recorded for the figure's points, with the columns of :data:`FIGURE_COLUMNS`."""
    return [{c: r.get(c, "") for c in FIGURE_COLUMNS} for r in _meta(fig).get("ukc_rows", [])]


def _points(trace: Any) -> list[tuple[str, float]]:
    horizontal = getattr(trace, "orientation", None) == "h"
    categories, values = (trace.y, trace.x) if horizontal else (trace.x, trace.y)
    return [
        (str(c), round(float(v), 9))
        for c, v in zip(categories or [], values or [], strict=True)
        if v is not None
    ]


def check_points(fig: go.Figure) -> None:
    """Raise ValueError unless the recorded rows are exactly the points drawn, trace by trace."""
    recorded = _meta(fig).get("ukc_rows", [])
    for index, trace in enumerate(fig.data):
        drawn = Counter(_points(trace))
        rows = Counter(
            (r["category"], round(float(r["value"]), 9)) for r in recorded if r["_trace"] == index
        )
        if drawn != rows:
            raise ValueError(
                f"chart rows do not match the points of trace {index} ({trace.name!r}): "
                f"drawn {sorted(drawn.elements())}, recorded {sorted(rows.elements())}"
            )


# --- axes and labels ------------------------------------------------------------------------


def wrap(label: str, width: int) -> str:
    """A label wrapped onto lines of at most ``width`` characters, joined with ``<br>``."""
    return "<br>".join(textwrap.wrap(str(label), width, break_long_words=False)) or str(label)


def year_step(span: int, *, narrow: bool = False) -> int:
    """Whole-year tick spacing for a span of years, so ticks never fall between years."""
    for limit, step in ((4, 1), (8, 2), (20, 5)) if narrow else ((10, 1), (20, 2), (40, 5)):
        if span <= limit:
            return step
    return 10


def year_axis(years: Iterable[int], *, narrow: bool = False) -> dict[str, Any]:
    """Axis settings for years: integer ticks (``2020``, never ``2,020.5``)."""
    known = sorted({int(y) for y in years}) or [2000]
    step = year_step(known[-1] - known[0], narrow=narrow)
    return dict(tickformat="d", tickmode="linear", tick0=known[0] - known[0] % step, dtick=step)


def category_axis(labels: list[str], width: int) -> dict[str, Any]:
    """Axis settings that label every category, wrapped to ``width`` characters a line."""
    return dict(
        tickmode="array",
        tickvals=list(labels),
        ticktext=[wrap(label, width) for label in labels],
        categoryorder="array",
        categoryarray=list(labels),
    )


def _bar_height(labels: list[str], width: int) -> int:
    lines = sum(max(1, len(textwrap.wrap(str(label), width))) for label in labels)
    return max(260, 120 + 20 * lines + 12 * len(labels))


def _set_narrow(fig: go.Figure, **layout: Any) -> None:
    narrow = {**_meta(fig).get("ukc_narrow", {}), **layout}
    _update_meta(fig, ukc_narrow=narrow)


CAVEAT_WIDTH = 70
"""Characters per hover line of a caveat (plotly does not wrap hover text)."""


def hover_text(rows: pd.DataFrame, sources: pd.DataFrame | None = None) -> list[str]:
    """Hover labels: the figure as printed, its qualifier, any caveat and, with ``sources``,
    its citation."""
    lookup = (
        None if sources is None else {str(r["source_id"]): r for r in sources.to_dict("records")}
    )
    out = []
    for row in rows.to_dict("records"):
        stated = QUALIFIER_WORDS.get(row.get("qualifier", "exact"), "").strip() or "stated"
        lines = [str(row.get("as_printed", "")), stated]
        caveat = row.get("caveat", "")
        if isinstance(caveat, str) and caveat.strip():
            lines.append("Caveat: " + "<br>".join(textwrap.wrap(caveat.strip(), CAVEAT_WIDTH)))
        if lookup is not None and row.get("source_id"):
            lines.append(cite(row, lookup).label)
        out.append("<br>".join(lines))
    return out


def source_names(rows: pd.DataFrame, sources: pd.DataFrame) -> list[str]:
    """Reader-facing names of the sources of ``rows`` (each once)."""
    return list(dict.fromkeys(c.label for c in cite_rows(rows, sources)))


# --- builders -------------------------------------------------------------------------------


def line_chart(
    rows: pd.DataFrame,
    title: str,
    sources: pd.DataFrame,
    *,
    y_title: str,
    name: str | None = None,
    fig: go.Figure | None = None,
    color: str | None = None,
) -> go.Figure:
    """A yearly line; each point's marker shows whether the figure is exact or a bound."""
    fig = fig or figure(title)
    rows = rows.sort_values("year")
    years = rows["year"].astype(int).tolist()
    label = name or title
    fig.add_trace(
        go.Scatter(
            x=years,
            y=rows["value"].tolist(),
            mode="lines+markers",
            name=label,
            line=dict(color=color) if color else None,
            marker=dict(size=10, symbol=[BOUND_SYMBOLS[q] for q in rows["qualifier"]]),
            hovertext=hover_text(rows, sources),
            hoverinfo="text+name",
        )
    )
    record(fig, rows, sources, series=label, categories=years)
    all_years = [int(y) for t in fig.data for y in t.x]
    fig.update_layout(yaxis_title=y_title, xaxis=year_axis(all_years))
    _set_narrow(fig, xaxis=year_axis(all_years, narrow=True))
    return fig


def bar_chart(
    data: pd.DataFrame,
    title: str,
    sources: pd.DataFrame | None,
    *,
    x_title: str,
    label: str = "label",
    unit: str = "",
    series: str = "",
    colors: list[str] | None = None,
    text: list[str] | None = None,
) -> go.Figure:
    """Horizontal bars, one per row of ``data`` (``label`` and ``value`` columns), every
    category labelled (wrapped), the height growing with the number of bars."""
    labels = data[label].astype(str).tolist()
    fig = figure(title, height=_bar_height(labels, WIDE_WRAP))
    fig.add_trace(
        go.Bar(
            x=data["value"].tolist(),
            y=labels,
            orientation="h",
            name=series or title,
            marker_color=colors or PALETTE[0],
            text=text,
            textposition="auto" if text else None,
            cliponaxis=False,
            showlegend=False,
        )
    )
    record(fig, data, sources, series=series or title, categories=labels, unit=unit)
    fig.update_layout(
        xaxis_title=x_title,
        yaxis=dict(autorange="reversed", showgrid=False, **category_axis(labels, WIDE_WRAP)),
        xaxis=dict(showgrid=True, gridcolor="#e5e5e5"),
    )
    _set_narrow(
        fig,
        height=_bar_height(labels, NARROW_WRAP),
        yaxis=category_axis(labels, NARROW_WRAP),
    )
    return fig


def count_rows(
    counts: pd.DataFrame,
    sources: pd.DataFrame,
    *,
    label: str,
    count: str = "count",
    source_ids: str = "source_ids",
    unit: str = "items",
) -> pd.DataFrame:
    """Rows for a bar chart of counts: ``label``, ``value``, ``unit`` and, per row, the
    documents counted (``source_ids``: a list per row, or a single ``source_id``)."""
    lookup = {str(r["source_id"]): r for r in sources.to_dict("records")}
    out = []
    for row in counts.to_dict("records"):
        keys = row[source_ids] if isinstance(row.get(source_ids), list) else [row.get("source_id")]
        cites = [cite({"source_id": k, "locator": ""}, lookup) for k in keys if k]
        out.append(
            {
                "label": row[label],
                "value": row[count],
                "unit": unit,
                "source": "; ".join(c.label for c in cites) or "none of the curated documents",
                "source_kind": "; ".join(dict.fromkeys(c.source.kind for c in cites)),
                "source_url": " ".join(c.url for c in cites if c.url),
                "locator": "counted from the curated rows of each document",
                "citations": [c.to_json() for c in cites],
            }
        )
    return pd.DataFrame(
        out,
        columns=[
            "label",
            "value",
            "unit",
            "source",
            "source_kind",
            "source_url",
            "locator",
            "citations",
        ],
    )


def bounds_chart(
    rows: pd.DataFrame, title: str, sources: pd.DataFrame, *, x_title: str
) -> go.Figure:
    """Horizontal bars for shares: exact figures solid; bounds (``less than``, ``at most``)
    hatched and open-ended, so a bound is never read as a number."""
    labels = rows["geography"].astype(str).tolist()
    exact = rows["qualifier"].isin(["exact", "approximately"])
    fig = figure(title, height=_bar_height(labels, WIDE_WRAP) + 40)
    styles: list[tuple[pd.Series, str, dict[str, Any]]] = [
        (exact, "stated share", dict(marker_color=PALETTE[0])),
        (
            ~exact,
            "bound: the share is at most this",
            dict(
                marker=dict(
                    color="rgba(230,159,0,0.35)",
                    line=dict(color=PALETTE[1], width=2),
                    pattern=dict(shape="/"),
                )
            ),
        ),
    ]
    for mask, name, style in styles:
        part = rows[mask]
        if part.empty:
            continue
        fig.add_trace(
            go.Bar(
                y=part["geography"].astype(str).tolist(),
                x=part["value"].tolist(),
                orientation="h",
                name=name,
                hovertext=hover_text(part, sources),
                hoverinfo="text",
                **style,
            )
        )
        record(fig, part, sources, series=name, categories=part["geography"].astype(str).tolist())
    fig.update_layout(
        barmode="overlay",
        xaxis=dict(title=x_title, showgrid=True, gridcolor="#e5e5e5"),
        yaxis=dict(autorange="reversed", showgrid=False, **category_axis(labels, WIDE_WRAP)),
    )
    _set_narrow(
        fig, height=_bar_height(labels, NARROW_WRAP) + 60, yaxis=category_axis(labels, NARROW_WRAP)
    )
    return fig


def _grid(names: list[str], columns: int, panel_height: int) -> tuple[go.Figure, dict[str, Any]]:
    """An empty grid of panels and the layout of the same panels in one column (for phones)."""
    from plotly.subplots import make_subplots

    def build(cols: int) -> go.Figure:
        rows_n = -(-len(names) // cols)
        width = {1: 40, 2: 42, 3: 30}.get(cols, 26)
        most = max((len(textwrap.wrap(n, width)) for n in names), default=1)
        gap = 60 + 15 * most
        height = rows_n * panel_height + (rows_n - 1) * gap + 140
        spacing = gap / max(1, rows_n * panel_height + (rows_n - 1) * gap)
        titles = [wrap(n, width) for n in names]
        lines = max(t.count("<br>") + 1 for t in titles[:cols]) if titles else 1
        fig = make_subplots(
            rows=rows_n,
            cols=cols,
            subplot_titles=titles,
            vertical_spacing=spacing if rows_n > 1 else 0.1,
            horizontal_spacing=0.1,
        )
        fig.update_layout(template="ukcyber", height=height, margin_t=20 + 16 * lines)
        fig.update_annotations(font_size=12, xanchor="center")
        return fig

    wide, narrow = build(columns), build(1)
    narrow_layout: dict[str, Any] = {
        "height": narrow.layout.height,
        "margin": {"t": narrow.layout.margin.t},
    }
    for key in narrow.layout:
        if key.startswith(("xaxis", "yaxis")):
            narrow_layout[key] = {"domain": list(narrow.layout[key].domain)}
    narrow_layout["annotations"] = [dict(a.to_plotly_json()) for a in narrow.layout.annotations]
    return wide, narrow_layout


def _panel_years(fig: go.Figure, panel_rows: list[pd.DataFrame], narrow: dict[str, Any]) -> None:
    """Whole-year ticks on every panel (sparser in the narrow layout)."""
    for i, rows in enumerate(panel_rows, start=1):
        years = [int(y) for y in rows["year"]] if len(rows) else []
        suffix = "" if i == 1 else str(i)
        fig.layout[f"xaxis{suffix}"].update(year_axis(years, narrow=True))
        narrow.setdefault(f"xaxis{suffix}", {}).update(year_axis(years, narrow=True))


def small_multiples(
    panels: dict[str, pd.DataFrame],
    title: str,
    sources: pd.DataFrame,
    *,
    claims: dict[str, pd.DataFrame] | None = None,
    columns: int = 2,
) -> go.Figure:
    """One yearly panel per measure (panel title → rows), with optional claim markers.

    ``claims`` holds figures from other documents for the same measure, drawn as diamonds so a
    reader sees where a paper's statement sits on the official series.
    """
    names = list(panels)
    fig, narrow = _grid(names, columns, 240)
    fig.update_layout(title=dict(text=title))
    for i, name in enumerate(names):
        row, col = i // columns + 1, i % columns + 1
        rows = panels[name].sort_values("year")
        years = rows["year"].astype(int).tolist()
        fig.add_trace(
            go.Scatter(
                x=years,
                y=rows["value"].tolist(),
                mode="lines+markers",
                name="official series",
                legendgroup="official",
                showlegend=i == 0,
                line=dict(color=PALETTE[0]),
                marker=dict(size=9, symbol=[BOUND_SYMBOLS[q] for q in rows["qualifier"]]),
                hovertext=hover_text(rows, sources),
                hoverinfo="text",
            ),
            row=row,
            col=col,
        )
        record(fig, rows, sources, series=f"{name}: official series", categories=years)
        extra = (claims or {}).get(name)
        if extra is not None and not extra.empty:
            extra = extra.sort_values("year")
            extra_years = extra["year"].astype(int).tolist()
            fig.add_trace(
                go.Scatter(
                    x=extra_years,
                    y=extra["value"].tolist(),
                    mode="markers",
                    name="figure quoted in a policy paper",
                    legendgroup="claims",
                    showlegend=not any(t.legendgroup == "claims" for t in fig.data),
                    marker=dict(size=12, symbol="diamond", color=PALETTE[5]),
                    hovertext=hover_text(extra, sources),
                    hoverinfo="text",
                ),
                row=row,
                col=col,
            )
            record(
                fig,
                extra,
                sources,
                series=f"{name}: quoted in a policy paper",
                categories=extra_years,
            )
    _panel_years(
        fig,
        [pd.concat([panels[n], (claims or {}).get(n, panels[n].iloc[0:0])]) for n in names],
        narrow,
    )
    _set_narrow(fig, **narrow)
    return fig


def forecast_panels(
    rows: pd.DataFrame,
    title: str,
    sources: pd.DataFrame,
    *,
    by: str,
    labels: Mapping[str, str],
    y_title: str,
    columns: int = 3,
) -> go.Figure:
    """One panel per series (``by``), estimates solid and forecasts dashed with open markers.

    Series that measure different things are never drawn on one line or one axis scale; the
    dashed forecast line starts at the last estimate so the two read as one series.
    """
    names = [labels[key] for key in dict.fromkeys(rows[by])]
    fig, narrow = _grid(names, columns, 200)
    fig.update_layout(title=dict(text=title))
    shown: set[str] = set()
    panel_rows = []
    for i, (key, part) in enumerate(rows.groupby(by, sort=False)):
        row, col = i // columns + 1, i % columns + 1
        part = part.sort_values("year")
        panel_rows.append(part)
        observed = part[part["basis"] != "forecast"]
        forecast = part[part["basis"] == "forecast"]
        for kind, points, style in [
            ("estimate", observed, dict(mode="lines+markers", line=dict(color=PALETTE[0]))),
            (
                "forecast",
                forecast,
                dict(
                    mode="lines+markers",
                    line=dict(color=PALETTE[5], dash="dash"),
                    marker=dict(symbol="circle-open", size=9),
                ),
            ),
        ]:
            if points.empty:
                continue
            years = points["year"].astype(int).tolist()
            fig.add_trace(
                go.Scatter(
                    x=years,
                    y=points["value"].tolist(),
                    name=kind,
                    legendgroup=kind,
                    showlegend=kind not in shown,
                    hovertext=hover_text(points, sources),
                    hoverinfo="text",
                    **style,
                ),
                row=row,
                col=col,
            )
            shown.add(kind)
            record(fig, points, sources, series=f"{labels[key]}: {kind}", categories=years)
        fig.update_yaxes(rangemode="tozero", row=row, col=col)
    fig.update_yaxes(title_text=y_title, col=1)
    _panel_years(fig, panel_rows, narrow)
    _set_narrow(fig, **narrow)
    return fig


def rank_chart(
    ranks: pd.DataFrame, countries: list[str], title: str, sources: pd.DataFrame
) -> go.Figure:
    """Ranks over index editions, one labelled line per country (rank 1 at the top)."""
    fig = figure(title, height=380)
    for i, name in enumerate(dict.fromkeys(countries)):
        rows = ranks[ranks["country"] == name].sort_values("edition")
        if rows.empty:
            continue
        editions = rows["edition"].astype(int).tolist()
        fig.add_trace(
            go.Scatter(
                x=editions,
                y=rows["rank"].tolist(),
                mode="lines+markers+text",
                name=name,
                text=[ordinal(int(r)) for r in rows["rank"]],
                textposition="top center",
                line=dict(color=PALETTE[i % len(PALETTE)]),
                cliponaxis=False,
            )
        )
        data = rows.assign(
            value=rows["rank"],
            unit="rank",
            period=rows["edition"].astype(int).astype(str),
            geography=name,
        )
        record(fig, data, sources, series=name, categories=editions)
    editions = [int(e) for e in ranks["edition"].dropna()]
    top = int(ranks["rank"].max()) if len(ranks) else 1
    fig.update_layout(
        yaxis=dict(
            autorange=False,
            range=[top + 1.5, 0.2],
            title="rank (1 = strongest)",
            dtick=max(1, top // 6),
        ),
        xaxis=dict(
            title="index edition",
            range=[min(editions) - 0.6, max(editions) + 0.6],
            **year_axis(editions),
        ),
    )
    _set_narrow(fig, xaxis=year_axis(editions, narrow=True))
    return fig


# --- display --------------------------------------------------------------------------------


def describe(rows: list[dict[str, Any]]) -> str:
    """Alt text from the rows drawn: each series from its first to its last point (lines), or
    the largest and smallest bar."""
    series: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        series.setdefault(row["series"], []).append(row)
    parts = []
    for name, points in series.items():
        if len(points) == 1:
            p = points[0]
            parts.append(f"{name}: {p['figure']} ({p['category']})")
        elif all(str(p["category"]).isdigit() for p in points):
            first, last = points[0], points[-1]
            parts.append(
                f"{name}: {first['figure']} in {first['category']} to {last['figure']} in {last['category']}"
            )
        else:
            top = max(points, key=lambda p: float(p["value"]))
            low = min(points, key=lambda p: float(p["value"]))
            parts.append(
                f"{name}: {len(points)} bars, largest {top['category']} ({top['figure']}), "
                f"smallest {low['category']} ({low['figure']})"
            )
    return "; ".join(parts) + "." if parts else "No data."


def mimebundle(fig: go.Figure, *, caption: str = "", alt: str = "") -> dict[str, Any]:
    """Plotly's JSON MIME bundle, :data:`FIGURE_MIME` (title, caption, alt text, rows drawn,
    citations, narrow layout) and a plain-text description with the data (what nbval compares).

    Raises
    ------
    ValueError
        If the rows recorded by the builders are not the points drawn.
    """
    check_points(fig)
    spec = json.loads(pio.to_json(fig, validate=False, remove_uids=True))
    meta = spec["layout"].pop("meta", {}) or {}
    recorded = meta.get("ukc_rows", [])
    rows = [{c: r.get(c, "") for c in FIGURE_COLUMNS} for r in recorded]
    citations: list[dict[str, Any]] = []
    for r in recorded:
        for c in r.get("_cite", []):
            short = {**c, "where": ""}
            if short not in citations:
                citations.append(short)
    title = fig.layout.title.text or ""
    alt = alt or describe(rows)
    lines = [f"Figure: {title}" if title else "Figure", caption, f"Shows: {alt}"]
    lines += [
        " | ".join(str(r[c]) for c in ("series", "category", "figure", "source", "locator"))
        for r in rows
    ]
    return {
        PLOTLY_MIME: {"data": spec["data"], "layout": spec["layout"], "config": CONFIG},
        FIGURE_MIME: {
            "title": title,
            "caption": caption,
            "alt": alt,
            "columns": FIGURE_COLUMNS,
            "rows": rows,
            "citations": citations,
            "narrow": meta.get("ukc_narrow", {}),
        },
        "text/plain": "\n".join(line for line in lines if line),
    }


def show(fig: go.Figure, *, caption: str = "", alt: str = "") -> None:
    """Display ``fig`` with its caption and alt text (alt text is written from the data when
    not given). No renderer round trip, no random ids: the output is stable for nbval."""
    from IPython.display import display

    display(mimebundle(fig, caption=caption, alt=alt), raw=True)


def citations_of(bundle: Mapping[str, Any]) -> list[Citation]:
    """The citations carried by a figure bundle's :data:`FIGURE_MIME` part."""
    return [Citation.from_json(c) for c in bundle[FIGURE_MIME]["citations"]]
