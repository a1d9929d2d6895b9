"""The kit every chart builder shares: one theme, a colour-blind-safe palette, the rows drawn.

Every builder records the rows it draws (value, unit, qualifier, period, geography and a
reader-facing citation per point) in the figure with :func:`record`, so that
:func:`ukcyber.charts.show` can publish exactly those rows: as the chart's CSV download, its table
alternative and its caption's sources. :func:`check_points` proves that the recorded rows are
the points drawn.

Builders also record a *narrow* layout (:func:`set_narrow`: one column, shorter label lines,
sparser year ticks) that the report page uses when the chart is under 600 px wide, on a phone.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Iterable
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from ukcyber.citations import cite, cite_rows
from ukcyber.formatting import QUALIFIER_WORDS, format_value

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


def meta_of(fig: go.Figure) -> dict[str, Any]:
    """The figure's ``layout.meta`` as a dict (where the builders keep what they record)."""
    meta = fig.layout.meta
    return dict(meta) if isinstance(meta, dict) else {}


def _update_meta(fig: go.Figure, **values: Any) -> None:
    fig.layout.meta = {**meta_of(fig), **values}


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
    recorded = list(meta_of(fig).get("ukc_rows", []))
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
    return [{c: r.get(c, "") for c in FIGURE_COLUMNS} for r in meta_of(fig).get("ukc_rows", [])]


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
    recorded = meta_of(fig).get("ukc_rows", [])
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


def bar_height(labels: list[str], width: int) -> int:
    lines = sum(max(1, len(textwrap.wrap(str(label), width))) for label in labels)
    return max(260, 120 + 20 * lines + 12 * len(labels))


def set_narrow(fig: go.Figure, **layout: Any) -> None:
    narrow = {**meta_of(fig).get("ukc_narrow", {}), **layout}
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
