"""Plotly chart builders with one theme, a colour-blind-safe palette and a source footnote.

Every builder returns a ``plotly.graph_objects.Figure``; :func:`show` displays it as plotly's
JSON MIME bundle only, which is fast, stable for nbval and rendered by the report builder.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Iterable

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from ukcyber.formatting import QUALIFIER_WORDS
from ukcyber.mime import PLOTLY_MIME

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

pio.templates["ukcyber"] = go.layout.Template(
    layout=dict(
        colorway=PALETTE,
        font=dict(family="Helvetica, Arial, sans-serif", size=13, color="#222"),
        paper_bgcolor="white",
        plot_bgcolor="white",
        xaxis=dict(showgrid=False, linecolor="#888", ticks="outside", automargin=True),
        yaxis=dict(gridcolor="#e5e5e5", zeroline=False, automargin=True),
        margin=dict(l=60, r=30, t=70, b=110),
        hoverlabel=dict(font_size=12),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0),
    )
)


def figure(title: str, sources: Iterable[str], *, height: int = 420) -> go.Figure:
    """An empty themed figure with ``title`` and a footnote naming ``sources``."""
    fig = go.Figure(layout=dict(template="ukcyber", title=dict(text=title), height=height))
    return footnote(fig, sources)


def footnote(fig: go.Figure, sources: Iterable[str]) -> go.Figure:
    """Add (or replace) the 'Source:' line under the plot area."""
    names = list(dict.fromkeys(s for s in sources if s))
    text = "Source: " + "; ".join(names) if names else "Source: not stated"
    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    fig.layout.meta = {**meta, "sources": names}
    notes = [a for a in fig.layout.annotations if a.name != "footnote"]
    fig.layout.annotations = notes
    wrapped = _wrap(text, 150)
    fig.add_annotation(
        name="footnote",
        text=wrapped,
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-72,
        xanchor="left",
        yanchor="top",
        showarrow=False,
        align="left",
        font=dict(size=10, color="#555"),
    )
    fig.update_layout(margin_b=90 + 14 * (wrapped.count("<br>") + 1))
    return fig


def _wrap(text: str, width: int) -> str:
    lines, line = [], ""
    for word in text.split():
        if len(line) + len(word) + 1 > width and line:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join(lines + [line])


def source_titles(rows: pd.DataFrame, sources: pd.DataFrame) -> list[str]:
    """Short source names for a chart footnote.

    Rows from a statistical edition are named by the edition (editions of one series merged:
    ``Cyber Security Sectoral Analysis 2020, 2021``); other rows by document title and date.
    """
    meta = sources.set_index("source_id")
    editions: dict[str, list[str]] = {}
    names: list[str] = []
    for _, row in rows.iterrows():
        edition = row.get("edition", "")
        edition = "" if pd.isna(edition) else str(edition)
        match = re.fullmatch(r"(.*\D)\s*(\d{4})", edition)
        if match:
            series_name = match.group(1).strip()
            if series_name not in editions:
                editions[series_name] = []
                names.append(series_name)
            if match.group(2) not in editions[series_name]:
                editions[series_name].append(match.group(2))
            continue
        title, date = meta.at[row["source_id"], "title"], meta.at[row["source_id"], "date"]
        names.append(f"{title} ({date})" if date else title)
    labelled = []
    for name in dict.fromkeys(names):
        years = sorted(editions.get(name, []))
        labelled.append(f"{name} {', '.join(years)}" if years else name)
    return labelled


CAVEAT_WIDTH = 70
"""Characters per hover line of a caveat (plotly does not wrap hover text)."""


def hover_text(rows: pd.DataFrame) -> list[str]:
    """Hover labels: the figure as printed, its qualifier, where it comes from and any caveat."""
    labels = []
    for _, r in rows.iterrows():
        label = (
            f"{r['as_printed']}<br>{QUALIFIER_WORDS.get(r['qualifier'], '').strip() or 'stated'}"
            f"<br>{r['source_id']}, {r['locator']}"
        )
        caveat = r.get("caveat", "")
        if isinstance(caveat, str) and caveat.strip():
            label += "<br>Caveat: " + "<br>".join(textwrap.wrap(caveat.strip(), CAVEAT_WIDTH))
        labels.append(label)
    return labels


def line_chart(
    rows: pd.DataFrame,
    title: str,
    sources: pd.DataFrame,
    *,
    y_title: str,
    name: str | None = None,
    fig: go.Figure | None = None,
) -> go.Figure:
    """A yearly line; each point's marker shows whether the figure is exact or a bound."""
    fig = fig or figure(title, [])
    fig.add_trace(
        go.Scatter(
            x=rows["year"].astype(int).tolist(),
            y=rows["value"].tolist(),
            mode="lines+markers",
            name=name or title,
            marker=dict(size=10, symbol=[BOUND_SYMBOLS[q] for q in rows["qualifier"]]),
            hovertext=hover_text(rows),
            hoverinfo="text+name",
        )
    )
    fig.update_layout(yaxis_title=y_title, xaxis=dict(dtick=1))
    return _add_sources(fig, rows, sources)


def bar_chart(
    labels: list[str],
    values: list[float],
    title: str,
    source_names: Iterable[str],
    *,
    x_title: str = "",
    horizontal: bool = True,
    colors: list[str] | None = None,
    text: list[str] | None = None,
    height: int | None = None,
) -> go.Figure:
    """A simple bar chart (horizontal by default, longest label readable)."""
    fig = figure(title, source_names, height=height or max(320, 60 + 32 * len(labels)))
    bar = go.Bar(
        x=values if horizontal else labels,
        y=labels if horizontal else values,
        orientation="h" if horizontal else "v",
        marker_color=colors or PALETTE[0],
        text=text,
        textposition="auto",
        showlegend=False,
    )
    fig.add_trace(bar)
    if horizontal:
        fig.update_layout(
            xaxis_title=x_title, yaxis=dict(autorange="reversed", gridcolor="rgba(0,0,0,0)")
        )
    else:
        fig.update_layout(yaxis_title=x_title)
    return fig


def bounds_chart(rows: pd.DataFrame, title: str, sources: pd.DataFrame, *, x_title: str):
    """Horizontal bars for exact shares; bounds drawn as a range bar with an open end."""
    labels = rows["geography"].tolist()
    exact = rows["qualifier"].isin(["exact", "approximately"])
    fig = figure(title, source_titles(rows, sources), height=max(320, 80 + 40 * len(rows)))
    fig.add_trace(
        go.Bar(
            y=labels,
            x=rows["value"].where(exact, 0).tolist(),
            orientation="h",
            name="stated value",
            marker_color=PALETTE[0],
            hovertext=hover_text(rows),
            hoverinfo="text",
        )
    )
    fig.add_trace(
        go.Bar(
            y=labels,
            x=rows["value"].where(~exact, 0).tolist(),
            orientation="h",
            name="bound (less than / more than)",
            marker=dict(color="rgba(230,159,0,0.35)", line=dict(color=PALETTE[1], width=2)),
            marker_pattern_shape="/",
            hovertext=hover_text(rows),
            hoverinfo="text",
        )
    )
    fig.update_layout(barmode="overlay", xaxis_title=x_title, yaxis=dict(autorange="reversed"))
    return fig


def _add_sources(fig: go.Figure, rows: pd.DataFrame, sources: pd.DataFrame) -> go.Figure:
    """Add the rows' sources to those the figure's footnote already names."""
    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    return footnote(fig, list(meta.get("sources", [])) + source_titles(rows, sources))


def mimebundle(fig: go.Figure) -> dict:
    """Plotly's JSON MIME bundle for ``fig`` plus a short text/plain description."""
    spec = json.loads(pio.to_json(fig, validate=False, remove_uids=True))
    title = fig.layout.title.text or "chart"
    return {
        PLOTLY_MIME: {
            "data": spec["data"],
            "layout": spec["layout"],
            "config": {"responsive": True},
        },
        "text/plain": f"[chart] {title} ({len(fig.data)} traces)",
    }


def show(fig: go.Figure) -> None:
    """Display ``fig`` as its JSON MIME bundle (no renderer round trip, no random div ids)."""
    from IPython.display import display

    display(mimebundle(fig), raw=True)


def small_multiples(
    panels: dict[str, pd.DataFrame],
    title: str,
    sources: pd.DataFrame,
    *,
    claims: dict[str, pd.DataFrame] | None = None,
    columns: int = 2,
) -> go.Figure:
    """One yearly panel per metric (panel title → rows), with optional claim markers.

    ``claims`` holds figures from other documents for the same metric, drawn as diamonds so a
    reader sees where a paper's statement sits on the official series.
    """
    from plotly.subplots import make_subplots

    names = list(panels)
    rows_n = -(-len(names) // columns)
    fig = make_subplots(rows=rows_n, cols=columns, subplot_titles=names, vertical_spacing=0.16)
    fig.update_layout(template="ukcyber", title=dict(text=title), height=320 * rows_n + 120)
    used = []
    for i, name in enumerate(names):
        row, col = i // columns + 1, i % columns + 1
        rows = panels[name]
        used.append(rows)
        fig.add_trace(
            go.Scatter(
                x=rows["year"].astype(int).tolist(),
                y=rows["value"].tolist(),
                mode="lines+markers",
                name="official series",
                legendgroup="official",
                showlegend=i == 0,
                line=dict(color=PALETTE[0]),
                marker=dict(size=9, symbol=[BOUND_SYMBOLS[q] for q in rows["qualifier"]]),
                hovertext=hover_text(rows),
                hoverinfo="text",
            ),
            row=row,
            col=col,
        )
        extra = (claims or {}).get(name)
        if extra is not None and not extra.empty:
            used.append(extra)
            fig.add_trace(
                go.Scatter(
                    x=extra["year"].astype(int).tolist(),
                    y=extra["value"].tolist(),
                    mode="markers",
                    name="figure quoted in a policy paper",
                    legendgroup="claims",
                    showlegend=not any(t.legendgroup == "claims" for t in fig.data),
                    marker=dict(size=12, symbol="diamond", color=PALETTE[5]),
                    hovertext=hover_text(extra),
                    hoverinfo="text",
                ),
                row=row,
                col=col,
            )
        fig.update_xaxes(dtick=1, row=row, col=col)
    all_rows = pd.concat(used) if used else pd.DataFrame(columns=["source_id"])
    return footnote(fig, source_titles(all_rows, sources))
