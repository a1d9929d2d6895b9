"""Charts a notebook draws, and :func:`show`, which displays one for JupyterLab and the report.

Single-panel builders live here (yearly lines, bars, bounds); multi-panel ones in
:mod:`ukcyber.panels`; the theme and the recording of rows drawn in :mod:`ukcyber.figures`.
:func:`show` checks that the recorded rows are the points drawn and displays the figure as
plotly's JSON MIME type plus :data:`~ukcyber.mime.FIGURE_MIME` (caption, alt text, rows) and
plain text (what nbval compares).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from ukcyber.citations import Citation, cite
from ukcyber.figures import (
    BOUND_SYMBOLS,  # noqa: F401  (re-exported: notebooks use charts.BOUND_SYMBOLS)
    CONFIG,
    FIGURE_COLUMNS,
    HATCH,
    NARROW_WRAP,
    PALETTE,
    WIDE_WRAP,
    bar_height,
    bound_bar_marker,
    break_positions,
    category_axis,
    caveat_notes,
    check_points,
    figure,
    hover_text,
    label_breaks,
    marker_key,
    marker_symbol,
    method_breaks,
    point_qualifiers,
    record,
    send_to_back,
    set_narrow,
    with_gaps,
    year_axis,
)
from ukcyber.mime import FIGURE_MIME, PLOTLY_MIME


def _roles(rows: pd.DataFrame, points_only: bool) -> list[str]:
    if points_only:
        return ["alternative"] * len(rows)
    basis = rows["basis"] if "basis" in rows.columns else [""] * len(rows)
    return ["forecast" if b in ("forecast", "target") else "figure" for b in basis]


def line_chart(
    rows: pd.DataFrame,
    title: str,
    sources: pd.DataFrame,
    *,
    y_title: str,
    name: str | None = None,
    fig: go.Figure | None = None,
    color: str | None = None,
    points_only: bool = False,
) -> go.Figure:
    """A yearly line; each point's marker shows whether the figure is exact or a bound.

    The line leaves a gap at a missing year and breaks (labelled "change of method") where
    its figures start to be measured another way (:func:`ukcyber.figures.method_breaks`).
    Forecasts and targets get the forecast markers. ``points_only`` draws no line: figures
    that give way to a preferred one for the same year, drawn under the line as diamonds (or,
    for bounds, dotted triangles) so they never hide its markers.
    """
    fig = fig or figure(title)
    rows = rows.sort_values("year")
    years = rows["year"].astype(int).tolist()
    label = name or title
    fig.add_trace(_line_trace(rows, sources, years, label, color, points_only))
    record(fig, rows, sources, series=label, categories=years)
    if points_only:
        send_to_back(fig)
    label_breaks(fig, [] if points_only else break_positions(rows))
    all_years = [int(y) for t in fig.data for y in t.x if float(y).is_integer()]
    fig.update_layout(yaxis_title=y_title, xaxis=year_axis(all_years))
    set_narrow(fig, xaxis=year_axis(all_years, narrow=True))
    return fig


def _line_trace(
    rows: pd.DataFrame,
    sources: pd.DataFrame,
    years: list[int],
    label: str,
    color: str | None,
    points_only: bool,
) -> go.Scatter:
    """The trace of :func:`line_chart`: markers by qualifier and role, gaps and method breaks."""
    symbols = [
        marker_symbol(q, role)
        for q, role in zip(
            rows["qualifier"] if "qualifier" in rows.columns else ["exact"] * len(rows),
            _roles(rows, points_only),
            strict=True,
        )
    ]
    hover = hover_text(rows, sources)
    values = rows["value"].tolist()
    breaks = [] if points_only else method_breaks(rows)
    xs, cols = (
        (years, {"y": values, "symbol": symbols, "hover": hover})
        if points_only
        else with_gaps(years, {"y": values, "symbol": symbols, "hover": hover}, breaks=breaks)
    )
    return go.Scatter(
        x=xs,
        y=cols["y"],
        mode="markers" if points_only else "lines+markers",
        name=label,
        line=dict(color=color) if color else None,
        marker=dict(size=11, symbol=cols["symbol"], line=dict(width=2))
        if points_only
        else dict(size=10, symbol=cols["symbol"]),
        hovertext=cols["hover"],
        hoverinfo="text+name",
    )


def _years_of(data: pd.DataFrame) -> list[int]:
    if "year" not in data.columns:
        return []
    return sorted({int(y) for y in data["year"].dropna()})


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
    one_year: bool = True,
) -> go.Figure:
    """Horizontal bars, one per row of ``data`` (``label`` and ``value`` columns).

    Every category is labelled (wrapped), and the height grows with the number of bars.

    Bars of bounds are hatched. A comparison compares one year at a time: rows of several
    years (a ``year`` column) are drawn as one panel per year on one shared scale, unless
    ``one_year`` is false.
    """
    years = _years_of(data) if one_year else []
    if len(years) > 1:
        return _bars_by_year(
            data,
            title,
            sources,
            x_title=x_title,
            label=label,
            unit=unit,
            series=series,
            text=text,
            years=years,
        )
    labels = data[label].astype(str).tolist()
    fig = figure(title, height=bar_height(labels, WIDE_WRAP))
    fig.add_trace(_bar_trace(data, labels, series or title, colors, text))
    record(fig, data, sources, series=series or title, categories=labels, unit=unit)
    fig.update_layout(
        xaxis_title=x_title,
        yaxis=dict(autorange="reversed", showgrid=False, **category_axis(labels, WIDE_WRAP)),
        xaxis=dict(showgrid=True, gridcolor="#e5e5e5"),
    )
    set_narrow(
        fig,
        height=bar_height(labels, NARROW_WRAP),
        yaxis=category_axis(labels, NARROW_WRAP),
    )
    return fig


def _bar_trace(
    data: pd.DataFrame,
    labels: list[str],
    name: str,
    colors: list[str] | None,
    text: list[str] | None,
) -> go.Bar:
    """The bars of :func:`bar_chart`: bounds hatched, else ``colors`` (or the first colour)."""
    qualifiers = data["qualifier"].tolist() if "qualifier" in data.columns else []
    marker = bound_bar_marker(qualifiers) if qualifiers else {}
    if colors and "pattern" not in marker:
        marker = dict(color=colors)
    return go.Bar(
        x=data["value"].tolist(),
        y=labels,
        orientation="h",
        name=name,
        marker=marker or dict(color=PALETTE[0]),
        text=text,
        textposition="auto" if text else None,
        cliponaxis=False,
        showlegend=False,
    )


def _bars_by_year(
    data: pd.DataFrame,
    title: str,
    sources: pd.DataFrame | None,
    *,
    x_title: str,
    label: str,
    unit: str,
    series: str,
    text: list[str] | None,
    years: list[int],
) -> go.Figure:
    """One panel of bars per year, stacked, on one shared value scale (see :func:`bar_chart`)."""
    from plotly.subplots import make_subplots

    parts = [data[data["year"] == y] for y in years]
    texts = pd.Series(text, index=data.index) if text else None
    heights = [bar_height(p[label].astype(str).tolist(), WIDE_WRAP) - 80 for p in parts]
    narrow_heights = [bar_height(p[label].astype(str).tolist(), NARROW_WRAP) - 80 for p in parts]
    fig = make_subplots(
        rows=len(years),
        cols=1,
        shared_xaxes=True,
        subplot_titles=[f"In {y}" for y in years],
        row_heights=[h / sum(heights) for h in heights],
        vertical_spacing=min(0.12, 60 / sum(heights)),
    )
    fig.update_layout(template="ukcyber", title=dict(text=title), height=sum(heights) + 140)
    fig.update_annotations(font_size=13, xanchor="left", x=0)
    narrow: dict[str, Any] = {"height": sum(narrow_heights) + 160}
    for i, part in enumerate(parts, start=1):
        # The panel says the year: a label's own "(2021)" would say it twice.
        labels = [str(t).removesuffix(f" ({years[i - 1]})") for t in part[label]]
        fig.add_trace(
            go.Bar(
                x=part["value"].tolist(),
                y=labels,
                orientation="h",
                name=f"{series or title}, {years[i - 1]}",
                marker=bound_bar_marker(part["qualifier"] if "qualifier" in part else []),
                text=None if texts is None else texts[part.index].tolist(),
                textposition="auto" if texts is not None else None,
                cliponaxis=False,
                showlegend=False,
            ),
            row=i,
            col=1,
        )
        record(fig, part, sources, series=series or title, categories=labels, unit=unit)
        suffix = "" if i == 1 else str(i)
        fig.layout[f"yaxis{suffix}"].update(
            autorange="reversed", showgrid=False, **category_axis(labels, WIDE_WRAP)
        )
        narrow[f"yaxis{suffix}"] = category_axis(labels, NARROW_WRAP)
        fig.layout[f"xaxis{suffix}"].update(showgrid=True, gridcolor="#e5e5e5")
    fig.layout[f"xaxis{'' if len(years) == 1 else len(years)}"].update(title=x_title)
    set_narrow(fig, **narrow)
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
    """Rows for a bar chart of counts: ``label``, ``value``, ``unit`` and the documents counted.

    The documents counted are given per row (``source_ids``: a list per row, or a single
    ``source_id``).
    """
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
    """Horizontal bars for shares: exact figures solid; bounds hatched and open-ended.

    Bounds (``less than``, ``at most``) are hatched and open-ended, so a bound is never read as a
    number. A range derived from bounds (a ``lower`` column: the rest of the UK, 17–25%) is hatched
    from its lower to its upper end, never from zero.
    """
    labels = rows["geography"].astype(str).tolist()
    exact = rows["qualifier"].isin(["exact", "approximately"])
    lower = rows["lower"] if "lower" in rows.columns else pd.Series(float("nan"), rows.index)
    ranged = ~exact & lower.notna()
    fig = figure(title, height=bar_height(labels, WIDE_WRAP) + 40)
    hatched = dict(
        color="rgba(230,159,0,0.35)",
        line=dict(color=PALETTE[1], width=2),
        pattern=dict(shape=HATCH),
    )
    styles: list[tuple[pd.Series, str, dict[str, Any]]] = [
        (exact, "stated share", dict(marker_color=PALETTE[0])),
        (~exact & ~ranged, "bound: the share is at most this", dict(marker=hatched)),
        (ranged, "range: the share lies between the two ends", dict(marker=hatched)),
    ]
    for mask, name, style in styles:
        part = rows[mask]
        if part.empty:
            continue
        base = part["lower"].astype(float).tolist() if name.startswith("range") else None
        values = part["value"].astype(float)
        fig.add_trace(
            go.Bar(
                y=part["geography"].astype(str).tolist(),
                x=(values - part["lower"].astype(float)).tolist() if base else values.tolist(),
                base=base,
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
    set_narrow(
        fig, height=bar_height(labels, NARROW_WRAP) + 60, yaxis=category_axis(labels, NARROW_WRAP)
    )
    return fig


# --- display --------------------------------------------------------------------------------


def describe(rows: list[dict[str, Any]]) -> str:
    """Alt text from the rows drawn.

    It gives each series from its first to its last point (lines), or the largest and smallest bar.
    """
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


def narrow_with_labels(narrow: dict[str, Any], layout: Mapping[str, Any]) -> dict[str, Any]:
    """The narrow layout, with the labels placed by the chart's axes kept in its annotations.

    A narrow layout of panels replaces the wide layout's annotations with its own panel titles.
    A label placed by its axes (a "change of method" beside its line) belongs in the same place
    in one column as in the grid; only panel titles (placed on the page) move.
    """
    if "annotations" not in narrow:
        return narrow
    placed = [a for a in layout.get("annotations", []) if a.get("xref", "paper") != "paper"]
    return {**narrow, "annotations": [*narrow["annotations"], *placed]}


def mimebundle(fig: go.Figure, *, caption: str = "", alt: str = "") -> dict[str, Any]:
    """Plotly's JSON MIME bundle, :data:`FIGURE_MIME` and a plain-text description with the data.

    :data:`FIGURE_MIME` holds the title, caption, alt text, rows drawn, citations, narrow layout,
    the numbered caveat notes, the key of its markers and the metrics it draws. The plain-text
    description is what nbval compares.

    Raises
    ------
    ValueError
        If the rows recorded by the builders are not the points drawn.
    """
    check_points(fig)
    spec = json.loads(pio.to_json(fig, validate=False, remove_uids=True))
    for trace, qualifiers in zip(spec["data"], point_qualifiers(fig), strict=True):
        trace["customdata"] = qualifiers  # each point's qualifier, for checks of its marker
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
    notes = caveat_notes(rows)
    key = marker_key(fig)
    lines = [f"Figure: {title}" if title else "Figure", caption, f"Shows: {alt}"]
    lines += ["Key: " + "; ".join(f"{k['symbol']}: {k['words']}" for k in key)] if key else []
    lines += [
        " | ".join(str(r[c]) for c in ("series", "category", "figure", "source", "locator"))
        for r in rows
    ]
    lines += [f"Note {n['number']}: {n['text']}" for n in notes]
    return {
        PLOTLY_MIME: {"data": spec["data"], "layout": spec["layout"], "config": CONFIG},
        FIGURE_MIME: {
            "title": title,
            "caption": caption,
            "alt": alt,
            "columns": FIGURE_COLUMNS,
            "rows": rows,
            "citations": citations,
            "narrow": narrow_with_labels(meta.get("ukc_narrow", {}), spec["layout"]),
            "notes": notes,
            "key": key,
            "metrics": metric_titles(r["metric"] for r in rows if r.get("metric")),
        },
        "text/plain": "\n".join(line for line in lines if line),
    }


def metric_titles(metrics: Iterable[str]) -> list[dict[str, str]]:
    """``[{"metric": id, "title": title}]`` for each distinct metric drawn.

    Titles come from ``metrics.csv`` (the metric in words when the data has no title for it). Each
    has a figure page of its own, which the chart links to.
    """
    wanted = list(dict.fromkeys(str(m) for m in metrics if m))
    if not wanted:
        return []
    from ukcyber.data import load
    from ukcyber.formatting import plain_title, words

    try:
        titles = load("metrics").set_index("metric")["title"].astype(str).to_dict()
    except Exception:  # noqa: BLE001  (no data folder, e.g. a test's own rows: words will do)
        titles = {}
    return [
        {"metric": m, "title": plain_title(titles[m]) if m in titles else words(m).capitalize()}
        for m in wanted
    ]


def show(fig: go.Figure, *, caption: str = "", alt: str = "") -> None:
    """Display ``fig`` with its caption and alt text.

    The alt text is written from the data when not given. No renderer round trip, no random ids: the
    output is stable for nbval.
    """
    from IPython.display import display

    display(mimebundle(fig, caption=caption, alt=alt), raw=True)


def citations_of(bundle: Mapping[str, Any]) -> list[Citation]:
    """The citations carried by a figure bundle's :data:`FIGURE_MIME` part."""
    return [Citation.from_json(c) for c in bundle[FIGURE_MIME]["citations"]]
