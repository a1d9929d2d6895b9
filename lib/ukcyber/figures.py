"""The kit every chart builder shares.

That is one theme, a colour-blind-safe palette, the rows drawn, and the rules that keep every chart
honest.

Every builder records the rows it draws (value, unit, qualifier, period, geography, caveat and a
reader-facing citation per point) in the figure with :func:`record`, so that
:func:`ukcyber.charts.show` can publish exactly those rows: as the chart's CSV download, its table
alternative, its caption's sources and its numbered caveat notes. :func:`check_points` proves
that the recorded rows are the points drawn.

The rules, applied by every builder (:mod:`ukcyber.charts`, :mod:`ukcyber.panels`):

- a marker says what a figure is (:func:`marker_symbol`): an exact figure, an approximation,
  a lower or upper bound, each the same shape in every role (the official series, another
  source's figure for the same year, a forecast), so a bound never wears an exact figure's
  marker; bars of bounds are hatched; :func:`marker_key` says each marker in words;
- a line never joins across a missing year (:func:`with_gaps` leaves a gap) or across a change
  of method (:func:`method_breaks` finds it from the rows; the builder labels the break);
- panels that show one measure share one scale; a comparison of bars compares one year.

Builders also record a *narrow* layout (:func:`set_narrow`: one column, shorter label lines,
sparser year ticks) that the report page uses when the chart is under 600 px wide, on a phone.
"""

from __future__ import annotations

import re
import textwrap
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from ukcyber.citations import cite, cite_rows, row_words
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
"""Markers of a series' own figures: circles for figures, triangles pointing the way the true
value may lie for bounds (filled for "more/less than", open for "at least/at most")."""

ROLE_SYMBOLS = {
    "alternative": {
        "exact": "diamond-open",
        "approximately": "diamond-open-dot",
        "more_than": "triangle-up-open-dot",
        "at_least": "triangle-up-open-dot",
        "less_than": "triangle-down-open-dot",
        "at_most": "triangle-down-open-dot",
    },
    "forecast": {
        "exact": "square-open",
        "approximately": "square-open-dot",
        "more_than": "triangle-up-dot",
        "at_least": "triangle-up-dot",
        "less_than": "triangle-down-dot",
        "at_most": "triangle-down-dot",
    },
}
"""Markers of another source's figure for the same year (not preferred, or quoted in a paper)
and of forecasts: other shapes for exact figures, the same triangles (with a dot) for bounds."""

BOUND_QUALIFIERS = frozenset({"more_than", "at_least", "less_than", "at_most"})
"""Qualifiers of a bound: the true value lies beyond the figure, on one side."""

SYMBOL_WORDS = {
    "circle": "exact figure",
    "circle-open": "approximate figure (“about”)",
    "triangle-up": "lower bound: more than this",
    "triangle-up-open": "lower bound: at least this",
    "triangle-down": "upper bound: less than this",
    "triangle-down-open": "upper bound: at most this",
    "diamond-open": "another source's exact figure for the same year",
    "diamond-open-dot": "another source's approximate figure for the same year",
    "triangle-up-open-dot": "another source's lower bound for the same year",
    "triangle-down-open-dot": "another source's upper bound for the same year",
    "square-open": "forecast",
    "square-open-dot": "approximate forecast",
    "triangle-up-dot": "forecast, lower bound: more than this",
    "triangle-down-dot": "forecast, upper bound: less than this",
}
"""What each marker means, for the key printed under every chart."""

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
"""Config for every chart in reports, JupyterLab and voila; no cloud upload, no logo, PNG kept."""

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
    "basis",
    "caveat",
    "source",
    "source_kind",
    "source_url",
    "locator",
    "metric",
    "id",
]
"""Columns of a chart's CSV download, one row per point drawn: the figure, its caveat in words,
its source in words, and (for machines) the metric and the data row's id."""

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
    """An empty themed figure.

    The title shows in JupyterLab; a report page prints it above the chart instead.
    """
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

    Rows need ``value``; ``unit``, ``scale``, ``qualifier``, ``as_printed``, ``period``,
    ``geography``, ``basis``, ``caveat``, ``metric`` and ``id`` are used when present (a caveat
    is put in words: row ids become the source they name). Provenance comes from
    ``source_id``/``locator`` via ``sources``, or from ready ``source``/``source_url``/
    ``locator`` columns (derived counts).
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
            "basis": str(_clean(row.get("basis"))),
            "caveat": row_words(_clean(row.get("caveat")), sources=sources),
            "metric": str(_clean(row.get("metric"))),
            "id": str(_clean(row.get("id"))),
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


def send_to_back(fig: go.Figure) -> None:
    """Move the trace just added under the others (its recorded rows follow it).

    That way marks beside a series (another source's figure) never hide the series' own markers.
    """
    last = len(fig.data) - 1
    if last <= 0:
        return
    fig.data = (fig.data[last], *fig.data[:last])
    moved = [
        {**r, "_trace": 0 if r["_trace"] == last else r["_trace"] + 1}
        for r in meta_of(fig).get("ukc_rows", [])
    ]
    _update_meta(fig, ukc_rows=moved)


def drawn_rows(fig: go.Figure) -> list[dict[str, Any]]:
    """The rows recorded for the figure's points, with the columns of :data:`FIGURE_COLUMNS`."""
    return [{c: r.get(c, "") for c in FIGURE_COLUMNS} for r in meta_of(fig).get("ukc_rows", [])]


def _points(trace: Any) -> list[tuple[str, float]]:
    horizontal = getattr(trace, "orientation", None) == "h"
    categories, values = (trace.y, trace.x) if horizontal else (trace.x, trace.y)
    base = getattr(trace, "base", None)
    bases = list(base) if isinstance(base, list | tuple) else [base or 0] * len(values or [])
    return [
        (str(c), round(float(v) + float(b or 0), 9))
        for c, v, b in zip(categories or [], values or [], bases, strict=True)
        if v is not None
    ]


def check_points(fig: go.Figure) -> None:
    """Raise ValueError unless the recorded rows are exactly the points drawn, trace by trace.

    A bar drawn as a range (``base`` to ``base + x``) is its upper end, as recorded.
    """
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
    """The height in pixels of a bar chart whose ``labels`` wrap at ``width`` characters."""
    lines = sum(max(1, len(textwrap.wrap(str(label), width))) for label in labels)
    return max(260, 120 + 20 * lines + 12 * len(labels))


def set_narrow(fig: go.Figure, **layout: Any) -> None:
    """Record the layout the figure takes on a narrow screen (merged into any set before)."""
    narrow = {**meta_of(fig).get("ukc_narrow", {}), **layout}
    _update_meta(fig, ukc_narrow=narrow)


CAVEAT_WIDTH = 70
"""Characters per hover line of a caveat (plotly does not wrap hover text)."""


def hover_text(rows: pd.DataFrame, sources: pd.DataFrame | None = None) -> list[str]:
    """Hover labels: the figure as printed, its qualifier, any caveat, and its citation.

    The citation is given only with ``sources``; the caveat is in words, as the note under the
    chart prints it. Hover only repeats what the page says in text.
    """
    lookup = (
        None if sources is None else {str(r["source_id"]): r for r in sources.to_dict("records")}
    )
    out = []
    for row in rows.to_dict("records"):
        stated = QUALIFIER_WORDS.get(row.get("qualifier", "exact"), "").strip() or "stated"
        lines = [str(row.get("as_printed", "")), stated]
        caveat = row_words(row.get("caveat", ""), sources=sources)
        if caveat:
            lines.append("Caveat: " + "<br>".join(textwrap.wrap(caveat, CAVEAT_WIDTH)))
        if lookup is not None and row.get("source_id"):
            lines.append(cite(row, lookup).label)
        out.append("<br>".join(lines))
    return out


def source_names(rows: pd.DataFrame, sources: pd.DataFrame) -> list[str]:
    """Reader-facing names of the sources of ``rows`` (each once)."""
    return list(dict.fromkeys(c.label for c in cite_rows(rows, sources)))


# --- markers and their key ------------------------------------------------------------------


def _drawn_index(trace: Any) -> list[int]:
    """Indexes of the points of ``trace`` that are drawn (not the empty points of a gap)."""
    horizontal = getattr(trace, "orientation", None) == "h"
    values = (trace.x if horizontal else trace.y) or []
    return [i for i, v in enumerate(values) if v is not None]


def point_qualifiers(fig: go.Figure) -> list[list[str | None]]:
    """Per trace, the qualifier of each of its points (``None`` at a gap).

    They come from the rows recorded for it in order: what a reader's check of the markers compares
    them with.
    """
    recorded = meta_of(fig).get("ukc_rows", [])
    out: list[list[str | None]] = []
    for index, trace in enumerate(fig.data):
        mine = [r["qualifier"] for r in recorded if r["_trace"] == index]
        horizontal = getattr(trace, "orientation", None) == "h"
        slots: list[str | None] = [None] * len((trace.x if horizontal else trace.y) or [])
        for slot, qualifier in zip(_drawn_index(trace), mine, strict=False):
            slots[slot] = qualifier
        out.append(slots)
    return out


def symbol_problems(spec: Mapping[str, Any]) -> list[str]:
    """Markers that do not say what a figure is, from a figure's dict.

    The dict is ``fig.to_dict()`` or the JSON a page embeds, whose traces carry each point's
    qualifier in ``customdata``.

    A bound's marker (or bar fill) must never be one that an exact or approximate figure of
    the same chart uses; a hatched bar must be a bound. Returns one line per problem.
    """
    uses: dict[str, set[str]] = {}
    for trace in spec.get("data", []):
        qualifiers = list(trace.get("customdata") or [])
        horizontal = trace.get("orientation") == "h"
        values = list((trace.get("x") if horizontal else trace.get("y")) or [])
        marker = trace.get("marker") or {}
        if trace.get("type") == "bar":
            shape = (marker.get("pattern") or {}).get("shape", "")
            marks = shape if isinstance(shape, list) else [shape] * len(values)
            marks = [f"bar{'-' + m if m else ''}" for m in marks]
        else:
            symbol = marker.get("symbol", "circle")
            marks = symbol if isinstance(symbol, list) else [symbol] * len(values)
        for value, qualifier, mark in zip(values, qualifiers, marks, strict=False):
            if value is None or qualifier is None:
                continue
            kind = "bound" if qualifier in BOUND_QUALIFIERS else "figure"
            uses.setdefault(str(mark), set()).add(kind)
    return [
        f"marker {m!r} is used by bounds and exact figures" for m, k in uses.items() if len(k) > 1
    ]


def marker_symbol(qualifier: object, role: str = "figure") -> str:
    """The marker of a figure with ``qualifier`` in ``role``.

    The role is ``figure`` (a series' own), ``alternative`` (another source's for the same year) or
    ``forecast``.

    Examples
    --------
    >>> marker_symbol("more_than"), marker_symbol("exact", "alternative")
    ('triangle-up', 'diamond-open')
    """
    key = str(qualifier) if str(qualifier) in BOUND_SYMBOLS else "exact"
    return ROLE_SYMBOLS[role][key] if role in ROLE_SYMBOLS else BOUND_SYMBOLS[key]


def marker_symbols(rows: pd.DataFrame, role: str = "figure") -> list[str]:
    """:func:`marker_symbol` of every row (its ``qualifier``; exact when there is none)."""
    qualifiers = rows["qualifier"] if "qualifier" in rows.columns else ["exact"] * len(rows)
    return [marker_symbol(q, role) for q in qualifiers]


HATCH = "/"
"""Fill pattern of a bar whose figure is a bound (or a range derived from bounds)."""


def bound_bar_marker(qualifiers: Iterable[object], color: str = PALETTE[0]) -> dict[str, Any]:
    """A bar marker that hatches the bars of bounds and fills exact ones, bar by bar."""
    bounds = [str(q) in BOUND_QUALIFIERS for q in qualifiers]
    if not any(bounds):
        return dict(color=color)
    return dict(
        color=["rgba(230,159,0,0.35)" if b else color for b in bounds],
        line=dict(color=[PALETTE[1] if b else color for b in bounds], width=2),
        pattern=dict(shape=[HATCH if b else "" for b in bounds]),
    )


def _trace_symbols(trace: Any) -> list[str]:
    marker = getattr(trace, "marker", None)
    symbol = getattr(marker, "symbol", None) if marker is not None else None
    mode = getattr(trace, "mode", "") or ""
    if trace.type != "scatter" or "markers" not in mode or symbol is None:
        return []
    return list(symbol) if isinstance(symbol, list | tuple) else [symbol]


def marker_key(fig: go.Figure) -> list[dict[str, str]]:
    """Each marker and bar fill the figure uses, with what it means, in the order first used.

    ``[{"symbol": "circle", "words": "exact figure"}, {"symbol": "hatch", ...}]``: printed
    under the chart, so no reader has to hover to know a bound from an exact figure.
    """
    seen: dict[str, str] = {}
    for trace in fig.data:
        for symbol in _trace_symbols(trace):
            if symbol in SYMBOL_WORDS:
                seen.setdefault(symbol, SYMBOL_WORDS[symbol])
        if trace.type == "bar":
            shape = getattr(getattr(trace.marker, "pattern", None), "shape", None)
            shapes = list(shape) if isinstance(shape, list | tuple) else [shape]
            if HATCH in shapes:
                seen.setdefault("hatch", "hatched bar: a bound, or a range derived from bounds")
    return [{"symbol": k, "words": v} for k, v in seen.items()]


# --- lines: gaps for missing years, breaks at a change of method ------------------------------

METHOD_CHANGE = re.compile(
    r"\b(?:chang\w*|moved|new|revis\w*|switch\w*)\b[^.;]{0,40}\bmethod"
    r"|\bmethod\w*\b[^.;]{0,30}\b(?:chang\w*|revis\w*|break)"
    r"|\b(?:break|discontinuity) in the (?:series|method)|\bseries break",
    re.IGNORECASE,
)
"""Words of a caveat that says a figure was measured after a change of method."""
METHOD_COLUMNS = ("method_break", "break_before", "series_break")
"""Columns the data may use to flag the first figure after a change of method."""


def after_method_change(row: Mapping[str, Any]) -> bool:
    """Whether a row was measured after a change of method.

    Either a flag column says so, or its caveat does ("The 2020 release moved to a revenue-based
    method ...").
    """
    for column in METHOD_COLUMNS:
        value = row.get(column)
        if isinstance(value, bool | int) and not isinstance(value, float) and value:
            return True
        if isinstance(value, str) and value.strip().lower() in {"true", "yes", "1"}:
            return True
    caveat = row.get("caveat")
    return isinstance(caveat, str) and bool(METHOD_CHANGE.search(caveat))


def method_breaks(rows: pd.DataFrame) -> list[int]:
    """Years, in a series sorted by year, whose figure is the first after a change of method.

    Such a figure is a flagged row following an unflagged one: the line must not join across them.
    """
    years = rows["year"].astype(int).tolist()
    flags = [after_method_change(r) for r in rows.to_dict("records")]
    return [years[i] for i in range(1, len(years)) if flags[i] and not flags[i - 1]]


def break_positions(rows: pd.DataFrame) -> list[float]:
    """Where to draw each change of method of a series.

    That is half a year after its last figure measured the old way (the new method may have started
    in any year of a gap).
    """
    years = rows["year"].astype(int).tolist()
    starts = set(method_breaks(rows))
    return [years[i - 1] + 0.5 for i in range(1, len(years)) if years[i] in starts]


def with_gaps(
    years: list[int], columns: Mapping[str, list[Any]], *, breaks: Iterable[int] = ()
) -> tuple[list[int | float], dict[str, list[Any]]]:
    """The x values and per-point columns, with an empty point wherever the line must not join.

    A line must not join across a missing year between two figures, nor across the start of
    a new method (``breaks``).

    plotly leaves a gap at an empty (``None``) point, so a line never runs straight across
    years no source gives, nor joins figures measured two ways. The empty point's ``y`` is
    ``None``; its other columns repeat the point before it (a marker symbol must be valid).

    Examples
    --------
    >>> with_gaps([2016, 2017, 2019], {"y": [1, 2, 3], "symbol": ["a", "b", "c"]})
    ([2016, 2017, 2018, 2019], {'y': [1, 2, None, 3], 'symbol': ['a', 'b', 'b', 'c']})
    """
    cut = set(breaks)
    xs: list[int | float] = []
    out: dict[str, list[Any]] = {name: [] for name in columns}
    for i, year in enumerate(years):
        if i and (year - years[i - 1] > 1 or year in cut) and year != years[i - 1]:
            xs.append(years[i - 1] + 1 if year - years[i - 1] > 1 else year - 0.5)
            for name in columns:
                out[name].append(None if name == "y" else out[name][-1])
        xs.append(year)
        for name, values in columns.items():
            out[name].append(values[i])
    return xs, out


def label_breaks(
    fig: go.Figure, positions: Iterable[float], *, row: int | None = None, col: int | None = None
) -> None:
    """A dotted vertical line at each x of ``positions`` with the words "change of method".

    The words are inside the plot area at its top, beside the line, so they never print over a
    panel's title (which is above the plot area). The line goes on one panel of a grid when
    ``row``/``col`` are given; each place is drawn once.
    """
    done = {tuple(b) for b in meta_of(fig).get("ukc_breaks", [])}
    for x in sorted(set(positions)):
        place = (float(x), row or 0, col or 0)
        if place in done:
            continue
        done.add(place)
        fig.add_vline(
            x=x,
            line=dict(color="#6f777b", dash="dot", width=1.5),
            annotation=dict(
                text="change of method",
                font=dict(size=11, color="#505a5f"),
                bgcolor="rgba(255,255,255,0.85)",
            ),
            annotation_position="top right",  # inside the plot: a panel's title is above it
            row=row,
            col=col,
        )
    _update_meta(fig, ukc_breaks=sorted(done))


# --- caveats --------------------------------------------------------------------------------


def caveat_notes(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The distinct caveats of the rows drawn, numbered, each with the points it applies to.

    ``[{"number": 1, "text": "...", "applies_to": "UK security exports: 2019, 2020"}]``:
    printed under the chart (and in its table, and its PDF), never only in hover text.
    """
    notes: dict[str, dict[str, Any]] = {}
    for row in rows:
        text = str(row.get("caveat", "") or "").strip()
        if not text:
            continue
        note = notes.setdefault(text, {"number": len(notes) + 1, "text": text, "points": {}})
        where = note["points"].setdefault(str(row.get("series", "") or ""), [])
        category = str(row.get("category", "") or "")
        if category and category not in where:
            where.append(category)
    out = []
    for note in notes.values():
        parts = [
            f"{series}: {', '.join(cats)}" if series and cats else series or ", ".join(cats)
            for series, cats in note.pop("points").items()
        ]
        out.append({**note, "applies_to": "; ".join(p for p in parts if p)})
    return out


def note_numbers(rows: Iterable[Mapping[str, Any]], notes: list[dict[str, Any]]) -> list[str]:
    """For each row, the number of its caveat's note (empty when it has none)."""
    by_text = {n["text"]: str(n["number"]) for n in notes}
    return [by_text.get(str(r.get("caveat", "") or "").strip(), "") for r in rows]
