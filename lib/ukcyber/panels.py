"""Charts of several panels: small multiples, forecast panels per provider, index ranks.

Series that measure different things get a panel of their own, never one line; panels that
show one measure (one unit and scale) share one value scale, so equal heights mean equal
figures; series of a single figure each are gathered into one dot plot instead of a panel
apiece. Lines follow the kit's rules (:mod:`ukcyber.figures`): gaps at missing years, a labelled
break at a change of method, a bound's marker for every bound.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from ukcyber.figures import (
    PALETTE,
    break_positions,
    category_axis,
    figure,
    hover_text,
    label_breaks,
    marker_symbols,
    method_breaks,
    record,
    send_to_back,
    set_narrow,
    with_gaps,
    wrap,
    year_axis,
)
from ukcyber.formatting import ordinal


def _grid(
    names: list[str], columns: int, panel_height: int, *, wide_last: bool = False
) -> tuple[go.Figure, dict[str, Any]]:
    """An empty grid of panels and the layout of the same panels in one column (for phones).

    With ``wide_last`` the last panel takes a whole row of its own (a dot plot).
    """
    from plotly.subplots import make_subplots

    def build(cols: int) -> go.Figure:
        grid_names = names[:-1] if wide_last else names
        rows_n = -(-len(grid_names) // cols) + (1 if wide_last else 0)
        width = {1: 40, 2: 42, 3: 30}.get(cols, 26)
        most = max((len(textwrap.wrap(n, width)) for n in names), default=1)
        gap = 60 + 15 * most + (40 if wide_last else 0)
        height = rows_n * panel_height + (rows_n - 1) * gap + 140
        spacing = gap / max(1, rows_n * panel_height + (rows_n - 1) * gap)
        titles = [wrap(n, width) for n in grid_names]
        cells = len(grid_names)
        specs: list[list[dict[str, Any] | None]] = [
            [{} if r * cols + c < cells else None for c in range(cols)]
            for r in range(rows_n - (1 if wide_last else 0))
        ]
        if wide_last:
            titles.append(wrap(names[-1], 80))
            specs.append([{"colspan": cols}] + [None] * (cols - 1))
        lines = max(t.count("<br>") + 1 for t in titles[:cols]) if titles else 1
        fig = make_subplots(
            rows=rows_n,
            cols=cols,
            specs=specs,
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
    narrow_layout["annotations"] = [
        dict(a.to_plotly_json()) for a in narrow.layout.annotations if a.text
    ]
    wide.layout.annotations = [a for a in wide.layout.annotations if a.text]
    return wide, narrow_layout


def one_measure(frames: list[pd.DataFrame]) -> bool:
    """Whether every row of ``frames`` has one unit and scale: panels of one measure."""
    pairs = set()
    for rows in frames:
        if not {"unit", "scale"} <= set(rows.columns):
            return False
        pairs |= set(zip(rows["unit"].astype(str), rows["scale"].astype(str), strict=True))
    return len(pairs) == 1


def share_scale(fig: go.Figure, frames: list[pd.DataFrame], *, narrow: dict[str, Any]) -> None:
    """Give every panel's value axis the same range, from zero, when the panels show one measure.

    Equal heights then mean equal figures in every panel.
    """
    if not one_measure(frames):
        return
    values = [float(v) for rows in frames for v in rows["value"] if pd.notna(v)]
    if not values:
        return
    top = max(values) * 1.08 or 1.0
    for key in list(fig.layout):
        if key.startswith("yaxis"):
            fig.layout[key].update(range=[0, top], autorange=False)
            narrow.setdefault(key, {}).update(range=[0, top], autorange=False)
    meta_scale = {"shared": True, "range": [0, top]}
    fig.layout.meta = {**(fig.layout.meta or {}), "ukc_scale": meta_scale}


def _panel_line(
    fig: go.Figure, rows: pd.DataFrame, *, row: int, col: int, role: str = "figure", **style: Any
) -> None:
    """One panel's line: markers by qualifier, gaps at missing years, breaks at a change of method.

    A change of method is labelled on that panel.
    """
    years = rows["year"].astype(int).tolist()
    breaks = method_breaks(rows)
    xs, cols = with_gaps(
        years,
        {
            "y": rows["value"].tolist(),
            "symbol": marker_symbols(rows, role),
            "hover": hover_text(rows, style.pop("sources")),
        },
        breaks=breaks,
    )
    marker = {"size": 9, **style.pop("marker", {}), "symbol": cols["symbol"]}
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=cols["y"],
            hovertext=cols["hover"],
            hoverinfo="text",
            marker=marker,
            cliponaxis=False,
            **style,
        ),
        row=row,
        col=col,
    )
    label_breaks(fig, break_positions(rows), row=row, col=col)


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

    ``claims`` holds figures from other documents for the same measure, drawn with the marks of
    another source's figure (diamonds; dotted triangles for bounds) so a reader sees where a
    paper's statement sits on the official series. Panels share a scale when they show one
    measure.
    """
    names = list(panels)
    fig, narrow = _grid(names, columns, 240)
    fig.update_layout(title=dict(text=title))
    for i, name in enumerate(names):
        row, col = i // columns + 1, i % columns + 1
        rows = panels[name].sort_values("year")
        _panel_line(
            fig,
            rows,
            row=row,
            col=col,
            sources=sources,
            mode="lines+markers",
            name="official series",
            legendgroup="official",
            showlegend=i == 0,
            line=dict(color=PALETTE[0]),
        )
        record(
            fig,
            rows,
            sources,
            series=f"{name}: official series",
            categories=rows["year"].astype(int).tolist(),
        )
        extra = (claims or {}).get(name)
        if extra is not None and not extra.empty:
            _claim_markers(fig, extra, sources, name, row=row, col=col)
    every = [pd.concat([panels[n], (claims or {}).get(n, panels[n].iloc[0:0])]) for n in names]
    _panel_years(fig, every, narrow)
    share_scale(fig, every, narrow=narrow)
    set_narrow(fig, **narrow)
    return fig


def _claim_markers(
    fig: go.Figure, extra: pd.DataFrame, sources: pd.DataFrame, name: str, *, row: int, col: int
) -> None:
    """Figures quoted in a policy paper on one panel, marked as another source's figures."""
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
            marker=dict(
                size=12,
                symbol=marker_symbols(extra, "alternative"),
                color=PALETTE[5],
                line=dict(width=2, color=PALETTE[5]),
            ),
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
    send_to_back(fig)


def _dot_label(part: pd.DataFrame, name: str) -> str:
    row = part.iloc[0]
    kind = " (forecast)" if row.get("basis") == "forecast" else ""
    year = str(int(row["year"]))
    return f"{name}{kind}" if name.endswith(year) else f"{name}, {year}{kind}"


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
    """One panel per series (``by``), estimates solid and forecasts dashed with their own markers.

    Forecasts have squares, and dotted triangles for bounds.

    Series that measure different things are never drawn on one line; panels of one measure
    (one unit and scale) share one value scale. Series with a single figure are gathered into
    one dot plot, the last panel, rather than a near-empty panel each.
    """
    groups = [(key, part.sort_values("year")) for key, part in rows.groupby(by, sort=False)]
    lines = [(k, p) for k, p in groups if len(p) > 1]
    dots = [(k, p) for k, p in groups if len(p) == 1]
    if len(dots) == 1 and lines:
        lines, dots = lines + dots, []
    names = [labels[k] for k, _ in lines]
    dot_title = "Series with a single figure" if lines else ""
    fig, narrow = _grid(names + ([dot_title] if dots else []), columns, 200, wide_last=bool(dots))
    fig.update_layout(title=dict(text=title))
    shown: set[str] = set()
    for i, (key, part) in enumerate(lines):
        row, col = i // columns + 1, i % columns + 1
        _forecast_panel(fig, part, sources, labels[key], shown, row=row, col=col)
    if dots:
        _dot_plot(fig, dots, labels, sources, narrow, shown, row=-(-len(lines) // columns) + 1)
    fig.update_yaxes(title_text=y_title, col=1)
    _panel_years(fig, [p for _, p in lines], narrow)
    share_scale(fig, [p for _, p in groups], narrow=narrow)
    set_narrow(fig, **narrow)
    return fig


def _forecast_panel(
    fig: go.Figure,
    part: pd.DataFrame,
    sources: pd.DataFrame,
    label: str,
    shown: set[str],
    *,
    row: int,
    col: int,
) -> None:
    """One series' panel: its estimates solid, its forecasts dashed, the value axis from zero."""
    for kind, points in (
        ("estimate", part[part["basis"] != "forecast"]),
        ("forecast", part[part["basis"] == "forecast"]),
    ):
        if points.empty:
            continue
        forecast = kind == "forecast"
        _panel_line(
            fig,
            points,
            row=row,
            col=col,
            role="forecast" if forecast else "figure",
            sources=sources,
            mode="lines+markers",
            name=kind,
            legendgroup=kind,
            showlegend=kind not in shown,
            line=dict(color=PALETTE[5], dash="dash") if forecast else dict(color=PALETTE[0]),
            marker=dict(color=PALETTE[5], size=9) if forecast else {},
        )
        shown.add(kind)
        record(
            fig,
            points,
            sources,
            series=f"{label}: {kind}",
            categories=points["year"].astype(int).tolist(),
        )
    fig.update_yaxes(rangemode="tozero", row=row, col=col)


def _dot_plot(
    fig: go.Figure,
    dots: list[tuple[Any, pd.DataFrame]],
    labels: Mapping[str, str],
    sources: pd.DataFrame,
    narrow: dict[str, Any],
    shown: set[str],
    *,
    row: int,
) -> None:
    """Series of one figure each as one dot plot on the last, full-width panel.

    There is a category per series (its name, year and whether it is a forecast), the value up the
    shared scale.
    """
    for kind in ("estimate", "forecast"):
        chosen = [
            (k, p)
            for k, p in dots
            if (p.iloc[0].get("basis") == "forecast") == (kind == "forecast")
        ]
        if not chosen:
            continue
        part = pd.concat([p for _, p in chosen])
        cats = [_dot_label(p, labels[k]) for k, p in chosen]
        forecast = kind == "forecast"
        fig.add_trace(
            go.Scatter(
                x=cats,
                y=part["value"].tolist(),
                mode="markers",
                name=kind,
                legendgroup=kind,
                showlegend=kind not in shown,
                marker=dict(
                    size=11,
                    symbol=marker_symbols(part, "forecast" if forecast else "figure"),
                    color=PALETTE[5] if forecast else PALETTE[0],
                ),
                hovertext=hover_text(part, sources),
                hoverinfo="text",
                cliponaxis=False,
            ),
            row=row,
            col=1,
        )
        shown.add(kind)
        for (key, point), cat in zip(chosen, cats, strict=True):
            record(fig, point, sources, series=f"{labels[key]}: {kind}", categories=[cat])
    every = [_dot_label(p, labels[k]) for k, p in dots]
    axis = fig.data[-1].xaxis or "x"
    key = "xaxis" + axis[1:]
    fig.layout[key].update(type="category", **category_axis(every, 22))
    narrow.setdefault(key, {}).update(category_axis(every, 14))
    fig.layout[key].update(tickangle=0)


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
