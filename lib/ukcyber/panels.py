"""Charts of several panels: small multiples, forecast panels per provider, index ranks.

Series that measure different things get a panel (and a scale) of their own, never one line.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from ukcyber.figures import (
    BOUND_SYMBOLS,
    PALETTE,
    figure,
    hover_text,
    record,
    set_narrow,
    wrap,
    year_axis,
)
from ukcyber.formatting import ordinal


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
    set_narrow(fig, **narrow)
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
    set_narrow(fig, **narrow)
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
    set_narrow(fig, xaxis=year_axis(editions, narrow=True))
    return fig
