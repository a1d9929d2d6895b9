"""Charts a notebook draws, and :func:`show`, which displays one for JupyterLab and the report.

Single-panel builders live here (yearly lines, bars, bounds); multi-panel ones in
:mod:`ukcyber.panels`; the theme and the recording of rows drawn in :mod:`ukcyber.figures`.
:func:`show` checks that the recorded rows are the points drawn and displays the figure as
plotly's JSON MIME type plus :data:`~ukcyber.mime.FIGURE_MIME` (caption, alt text, rows) and
plain text (what nbval compares).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from ukcyber.citations import Citation, cite
from ukcyber.figures import (
    BOUND_SYMBOLS,
    CONFIG,
    FIGURE_COLUMNS,
    NARROW_WRAP,
    PALETTE,
    WIDE_WRAP,
    bar_height,
    category_axis,
    check_points,
    figure,
    hover_text,
    record,
    set_narrow,
    year_axis,
)
from ukcyber.mime import FIGURE_MIME, PLOTLY_MIME


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

    ``points_only`` draws hollow diamonds and no line: figures that give way to a preferred
    one for the same year, shown beside the line rather than joined into it.
    """
    fig = fig or figure(title)
    rows = rows.sort_values("year")
    years = rows["year"].astype(int).tolist()
    label = name or title
    fig.add_trace(
        go.Scatter(
            x=years,
            y=rows["value"].tolist(),
            mode="markers" if points_only else "lines+markers",
            name=label,
            line=dict(color=color) if color else None,
            marker=dict(size=11, symbol="diamond-open", line=dict(width=2))
            if points_only
            else dict(size=10, symbol=[BOUND_SYMBOLS[q] for q in rows["qualifier"]]),
            hovertext=hover_text(rows, sources),
            hoverinfo="text+name",
        )
    )
    record(fig, rows, sources, series=label, categories=years)
    all_years = [int(y) for t in fig.data for y in t.x]
    fig.update_layout(yaxis_title=y_title, xaxis=year_axis(all_years))
    set_narrow(fig, xaxis=year_axis(all_years, narrow=True))
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
    fig = figure(title, height=bar_height(labels, WIDE_WRAP))
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
    set_narrow(
        fig,
        height=bar_height(labels, NARROW_WRAP),
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
    fig = figure(title, height=bar_height(labels, WIDE_WRAP) + 40)
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
    set_narrow(
        fig, height=bar_height(labels, NARROW_WRAP) + 60, yaxis=category_axis(labels, NARROW_WRAP)
    )
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
