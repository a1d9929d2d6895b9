"""Figure pages: one page per metric of the figure tables, for a reader who will quote it.

Each metric with a preferred row (in sector statistics, the technology sector, exports and
market, regional figures or the norm measures) gets ``figures/<metric>.html``: its title and
definition from ``metrics.csv``; the preferred figures as a chart (drawn by the chart kit, with
its key and caveat notes) and a table; every other figure for the same observations with why
it is not preferred; every caveat; every source with the words it printed and how to get it;
the CSV of every row; "How to cite this figure"; and links back to every report that shows it.

Pages are made from plain inputs (the tables, which reports use which metric) so they can be
tested without a build; :func:`figure_site` returns every file by path, and the writer in
:mod:`ukcyber.site.write` writes only the ones whose bytes changed.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from markupsafe import Markup

from ukcyber import evidence
from ukcyber.citations import cite, row_words
from ukcyber.escaping import script_json
from ukcyber.formatting import format_row, plain_title, words
from ukcyber.templating import render
from ukcyber.units import unit_label

FIGURES_DIR = "figures"
FIGURE_TABLES = evidence.FIGURE_TABLES
"""The tables of figures, as the query API defines them (one list for the library)."""
TOPICS = {
    "sector_statistics": "UK cyber security sector",
    "technology_sector": "UK technology sector",
    "exports_and_market": "Exports and the global market",
    "regional": "Regions of the UK",
    "norm_measures": "UN norms: what the UK reports",
}
"""How the front page groups figure pages, by the table their figures are in."""
SYNONYMS = {
    "employment": "jobs workforce staff people employed roles",
    "jobs": "employment workforce roles",
    "workforce": "jobs employment staff",
    "gva": "gross value added economic contribution",
    "gross value added": "gva",
    "salary": "salaries pay wages earnings",
    "firms": "businesses companies firm",
    "exports": "export exporting trade sales abroad",
    "revenue": "turnover income sales",
    "investment": "funding capital raised",
    "market": "market size spending",
    "share": "percentage proportion",
    "growth": "increase rise change",
}
"""Words a reader may type for what a figure's title says (search matches either)."""
CSV_COLUMNS = [
    "metric",
    "preferred",
    "not_preferred_because",
    "geography",
    "series",
    "period",
    "year",
    "basis",
    "value",
    "unit",
    "scale",
    "qualifier",
    "figure",
    "as_printed",
    "caveat",
    "source",
    "source_kind",
    "source_url",
    "locator",
    "table",
    "id",
]
"""Columns of a figure page's CSV: every row of the metric, preferred or not, in words."""


def _text(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value).strip()


def page_href(metric: str, root: str = "") -> str:
    """A figure page's address from a page ``root`` away from the site's root."""
    return f"{root}{FIGURES_DIR}/{metric}.html"


def metric_rows(tables: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Every metric with a preferred row, and all its rows across the figure tables.

    A ``table`` column says which table a row is from. The order is that of the tables and then of
    the metric ids.
    """
    out: dict[str, list[pd.DataFrame]] = {}
    for name in FIGURE_TABLES:
        table = tables.get(name)
        if table is None or "metric" not in table.columns:
            continue
        for metric, part in table.groupby("metric", sort=True):
            out.setdefault(str(metric), []).append(part.assign(table=name))
    merged = {m: pd.concat(parts, ignore_index=True) for m, parts in out.items()}
    return {m: rows for m, rows in merged.items() if _preferred(rows).any()}


def _preferred(rows: pd.DataFrame) -> pd.Series:
    if "preferred" not in rows.columns:
        return pd.Series(True, index=rows.index)
    return rows["preferred"].fillna(False).astype(bool)


def search_words(title: str, description: str, topic: str) -> str:
    """The words search matches a figure page (or a report using it) by.

    That is its title, topic, the start of its definition, and the synonyms of any of those words.
    """
    text = f"{title} {topic} {description[:160]}".lower()
    extra = [alias for word, alias in SYNONYMS.items() if re.search(rf"\b{word}", text)]
    return " ".join([title, topic, description[:160], *extra])


@dataclass(frozen=True)
class FigureEntry:
    """One figure page as the front page lists it (and search finds it)."""

    metric: str
    title: str
    topic: str
    summary: str
    href: str
    search: str

    def to_dict(self) -> dict[str, str]:
        """The entry as a plain dict, for the search index and the front page."""
        return {
            "metric": self.metric,
            "title": self.title,
            "topic": self.topic,
            "summary": self.summary,
            "href": self.href,
            "search": self.search,
        }


def figure_index(
    rows_by_metric: Mapping[str, pd.DataFrame], metrics: pd.DataFrame
) -> list[FigureEntry]:
    """Every figure page: title, topic, a one-line summary and the words search matches it by.

    The summary is its latest preferred figure.
    """
    info = metrics.set_index("metric")
    out = []
    for metric, rows in rows_by_metric.items():
        title = (
            plain_title(_text(info.at[metric, "title"])) if metric in info.index else words(metric)
        )
        description = _text(info.at[metric, "description"]) if metric in info.index else ""
        topic = TOPICS[str(rows["table"].iloc[0])]
        latest = _latest(rows[_preferred(rows)])
        summary = f"{format_row(latest)} ({summary_words(latest)})"
        out.append(
            FigureEntry(
                metric,
                title,
                topic,
                summary,
                page_href(metric),
                search_words(title, description, topic),
            )
        )
    return out


def summary_words(row: Mapping[str, Any]) -> str:
    """When and where a figure is for, in a few words: ``2024, UK``, ``2030 target, UK``."""
    period = _text(row.get("period")) or "undated"
    basis = _text(row.get("basis"))
    if basis in ("forecast", "target"):
        period = f"{period} {basis}"
    place = _text(row.get("geography"))
    return f"{period}, {place}" if place and place != "not stated" else period


def _latest(rows: pd.DataFrame) -> Mapping[str, Any]:
    """The newest observed preferred figure (UK first when there is one)."""
    ordered = rows.assign(
        _uk=rows["geography"].astype(str).eq("UK"),
        _seen=~rows["basis"].astype(str).isin(["forecast", "target"]),
        _year=rows["year"].fillna(-1).astype(float),
    ).sort_values(["_uk", "_seen", "_year"], ascending=False)
    return ordered.iloc[0].to_dict()


# --- which reports show which figure -------------------------------------------------------


def usage_from_csvs(
    csvs: Iterable[tuple[str, str, str]],
) -> dict[str, list[dict[str, str]]]:
    """Which reports show each metric, from each report's chart and table CSVs.

    Each is given as (report title, report address, CSV text), each report listed once per metric.
    """
    usage: dict[str, list[dict[str, str]]] = {}
    for title, href, text in csvs:
        for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff"))):
            metric = (row.get("metric") or "").strip()
            if not metric:
                continue
            listed = usage.setdefault(metric, [])
            if all(r["href"] != href for r in listed):
                listed.append({"title": title, "href": href})
    return usage


# --- one page ----------------------------------------------------------------------------


def _csv(rows: Sequence[Mapping[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def row_view(row: Mapping[str, Any], sources: pd.DataFrame) -> dict[str, Any]:
    """One data row as the page and its CSV show it.

    That is the figure, its caveat and reason in words, and its citation (document, heading or page,
    the words it printed).
    """
    citation = cite(row, sources)
    return {
        **{c: _text(row.get(c)) for c in CSV_COLUMNS if c in row},
        "preferred": "true" if bool(row.get("preferred", True)) else "false",
        "year": _text(row.get("year")).removesuffix(".0"),
        "figure": format_row(row),
        "caveat": row_words(row.get("caveat", ""), sources=sources),
        "not_preferred_because": row_words(row.get("not_preferred_because", ""), sources=sources),
        "source": citation.label,
        "source_kind": citation.source.kind,
        "source_url": citation.url,
        "locator": citation.where,
        "citation": citation.to_json(),
        "gives_way_to": "",
    }


def _observation(row: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(_text(row.get(c)) for c in ("series", "metric", "period", "geography"))


def _strand(row: Mapping[str, Any]) -> str:
    """What keeps a row apart on a chart: its place, its series, and for regional figures the kind.

    The kind is that of the evidence (a cluster study is never joined to official figures).
    """
    series = _text(row.get("series_label"))
    geography = _text(row.get("geography"))
    evidence = words(_text(row.get("evidence")))
    if evidence and evidence != "nan":
        geography = f"{geography} ({evidence})"
    return (
        f"{geography}: {series}"
        if series and geography not in ("", "UK", "World")
        else series or geography
    )


def page_chart(rows: pd.DataFrame, title: str, sources: pd.DataFrame) -> tuple[Any, str] | None:
    """The chart of a metric's preferred figures (and the others beside them), and its caption.

    It is drawn with the kit; ``None`` when there is only one figure to show.
    """
    from ukcyber import charts, panels

    preferred = rows[_preferred(rows) & rows["year"].notna()]
    if len(preferred) < 2:
        return None
    first = preferred.iloc[0]
    axis = unit_label(str(first["unit"]), str(first["scale"]))
    if (
        "series" in rows.columns
        and preferred["series"].astype(str).str.len().gt(0).all()
        and (preferred["series"].nunique() > 1 or (preferred["basis"] == "forecast").any())
    ):
        labels = dict(zip(preferred["series"], preferred["series_label"], strict=True))
        fig = panels.forecast_panels(
            preferred,
            title,
            sources,
            by="series",
            labels=labels,
            y_title=axis,
            columns=2,
        )
        return fig, "Each panel is one series as its producer published it; forecasts are marked."
    order = sorted(
        preferred["strand"].unique(), key=lambda n: (not str(n).startswith("UK"), str(n))
    )
    strands = [(n, preferred[preferred["strand"] == n]) for n in order]
    if max(len(p) for _, p in strands) < 2:
        bars = preferred.assign(label=preferred["strand"])
        fig = charts.bar_chart(bars, title, sources, x_title=axis)
        return fig, "The preferred figure of each place or series."
    fig = charts.figure(title, height=440)
    others = rows[~_preferred(rows) & rows["year"].notna()]
    from ukcyber.figures import PALETTE

    for i, (name, part) in enumerate(strands):
        color = PALETTE[i % len(PALETTE)]
        charts.line_chart(part, "", sources, y_title=axis, name=str(name), fig=fig, color=color)
        beside = others[others["strand"] == name]
        if len(beside):
            charts.line_chart(
                beside,
                "",
                sources,
                y_title=axis,
                name=f"{name}: other figures",
                fig=fig,
                color=color,
                points_only=True,
            )
    caption = "The preferred figure of each year"
    caption += (
        "; other sources' figures for the same years are marked beside it." if len(others) else "."
    )
    return fig, caption


def _figure_block(fig: Any, caption: str, metric: str, number: int) -> tuple[Markup, bytes]:
    from ukcyber.charts import mimebundle
    from ukcyber.figures import note_numbers
    from ukcyber.mime import FIGURE_MIME, PLOTLY_MIME
    from ukcyber.site.report import TABLE_NOTE_COLUMNS
    from ukcyber.site.report import _csv as report_csv

    bundle = mimebundle(fig, caption=caption)
    info, plotly = bundle[FIGURE_MIME], bundle[PLOTLY_MIME]
    spec = {**plotly, "narrow": info.get("narrow", {})}
    columns = list(info["columns"]) + [c for c in TABLE_NOTE_COLUMNS if c not in info["columns"]]
    block = render(
        "figure.html.j2",
        figure=info,
        number=number,
        spec_json=Markup(script_json(spec)),
        csv_href=f"{metric}/figure-{number}.csv",
        notes=info["notes"],
        numbers=note_numbers(info["rows"], info["notes"]),
        key=info["key"],
        links=[],
    )
    return block, report_csv(columns, info["rows"])


def _with_labels(rows: pd.DataFrame, metrics: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Rows with ``series_label`` and ``strand``.

    ``series_label`` is a reader's name for each series; ``strand`` is what keeps rows of one chart
    line apart: the place, and the series where there is one.
    """
    out = rows.copy()
    if "series" in out.columns and out["series"].astype(str).str.len().gt(0).any():
        from ukcyber.analysis import series_labels

        titles = metrics.set_index("metric")["title"]
        known = out[out["series"].astype(str).str.len() > 0]
        common = plain_title(str(titles.get(out["metric"].iloc[0], "")))
        labels = series_labels(known, titles, sources, common=common)
        out["series_label"] = out["series"].astype(str).map(labels).fillna("")
    else:
        out["series"] = ""
        out["series_label"] = ""
    out["strand"] = [_strand(r) for r in out.to_dict("records")]
    return out


def figure_page(
    metric: str,
    rows: pd.DataFrame,
    *,
    metrics: pd.DataFrame,
    sources: pd.DataFrame,
    used_by: Sequence[Mapping[str, str]] = (),
    meta: Sequence[tuple[str, str]] = (),
    accessed: str = "",
) -> dict[str, str | bytes]:
    """The files of one figure page, by path relative to the site's root.

    That is the page, the CSV of every row of the metric, and the CSV of its chart.
    """
    from ukcyber.figures import caveat_notes

    title, description = _title_and_description(metric, metrics)
    rows = _with_labels(
        rows.sort_values(["geography", "year", "id"], na_position="last"), metrics, sources
    )
    views = [row_view(r, sources) | {"strand": r["strand"]} for r in rows.to_dict("records")]
    by_id = {v["id"]: v for v in views}
    _note_gives_way(rows, views, by_id)
    preferred = [v for v in views if v["preferred"] == "true"]
    others = [v for v in views if v["preferred"] == "false"]
    notes = caveat_notes(
        {"caveat": v["caveat"], "series": v["strand"], "category": v["period"]} for v in views
    )
    files: dict[str, str | bytes] = {f"{FIGURES_DIR}/{metric}.csv": _csv(views)}
    blocks = _chart_blocks(rows, title, metric, sources, files)
    cited = _cited(views)
    latest = _latest(rows[_preferred(rows)])
    latest_view = by_id.get(_text(latest.get("id")), preferred[-1] if preferred else views[0])
    href = page_href(metric)
    html = render(
        "figure_page.html.j2",
        title=title,
        metric=metric,
        description=description,
        unit=unit_label(str(rows["unit"].iloc[0]), str(rows["scale"].iloc[0])),
        meta=list(meta),
        latest=latest_view,
        chart=Markup("").join(blocks),
        charts=len(blocks),
        preferred=preferred,
        others=others,
        notes=notes,
        note_of={n["text"]: n["number"] for n in notes},
        sources=render("sources.html.j2", sources=list(cited.values())),
        used_by=list(used_by),
        csv_href=f"{metric}.csv",
        address=href,
        accessed=accessed,
        topic=TOPICS[str(rows["table"].iloc[0])],
        root="../",
        assets="../assets",
    )
    files[href] = str(html)
    return files


def _title_and_description(metric: str, metrics: pd.DataFrame) -> tuple[str, str]:
    """A metric's reader title and description (its id in words and none when not listed)."""
    info = metrics.set_index("metric")
    title = plain_title(_text(info.at[metric, "title"])) if metric in info.index else words(metric)
    description = _text(info.at[metric, "description"]) if metric in info.index else ""
    return title, metric_ids_in_words(description, metrics)


_METRIC_ID = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")


def metric_ids_in_words(text: str, metrics: pd.DataFrame) -> str:
    """``text`` with each metric id it names put as that metric's title, in quotes.

    A definition may name another metric by its id; a reader sees its title instead.

    Examples
    --------
    >>> table = pd.DataFrame({"metric": ["sector_gva"], "title": ["Sector GVA (£bn)"]})
    >>> metric_ids_in_words("Not sector_gva or other_id.", table)
    'Not “Sector GVA” or other_id.'
    """
    titles = dict(zip(metrics["metric"].astype(str), metrics["title"].astype(str), strict=True))

    def title(match: re.Match[str]) -> str:
        found = match.group(0)
        return f"“{plain_title(titles[found])}”" if found in titles else found

    return _METRIC_ID.sub(title, text)


def _note_gives_way(
    rows: pd.DataFrame, views: list[dict[str, Any]], by_id: Mapping[str, dict[str, Any]]
) -> None:
    """Give each view of a non-preferred row ``gives_way_to``: the preferred figure and source."""
    winners = {_observation(r): r["id"] for r in rows[_preferred(rows)].to_dict("records")}
    for row, view in zip(rows.to_dict("records"), views, strict=True):
        if view["preferred"] == "false":
            winner = by_id.get(winners.get(_observation(row), ""))
            view["gives_way_to"] = f"{winner['figure']} in {winner['source']}" if winner else ""


def _chart_blocks(
    rows: pd.DataFrame,
    title: str,
    metric: str,
    sources: pd.DataFrame,
    files: dict[str, str | bytes],
) -> list[Markup]:
    """The page's charts, one per table with figures of the metric; their CSVs go to ``files``."""
    blocks: list[Markup] = []
    tables = list(dict.fromkeys(rows["table"]))
    for table in tables:
        part = rows[rows["table"] == table]
        heading = title if len(tables) == 1 else f"{title}: {TOPICS[table].lower()}"
        chart = page_chart(part, heading, sources)
        if chart is None:
            continue
        number = len(blocks) + 1
        block, chart_csv = _figure_block(chart[0], chart[1], metric, number)
        blocks.append(block)
        files[f"{FIGURES_DIR}/{metric}/figure-{number}.csv"] = chart_csv
    return blocks


def _cited(views: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """The sources the page cites, each with whether it gives preferred or other figures."""
    cited: dict[str, dict[str, Any]] = {}
    for v in views:
        source = v["citation"]["source"]
        entry = cited.setdefault(source["key"], {**source, "used": []})
        what = "the preferred figures" if v["preferred"] == "true" else "other figures"
        if what not in entry["used"]:
            entry["used"].append(what)
    return cited


def figure_site(
    tables: Mapping[str, pd.DataFrame],
    *,
    usage: Mapping[str, Sequence[Mapping[str, str]]],
    meta_of: Any = None,
    accessed: str = "",
) -> tuple[dict[str, str | bytes], list[FigureEntry]]:
    """Every figure page's files (by path from the site's root) and the index of them.

    ``usage`` maps a metric to the reports that show it (title and address from the site's
    root); ``meta_of(rows)`` gives a page's header dates for the rows of its metric.
    """
    metrics, sources = tables["metrics"], tables["sources"]
    by_metric = metric_rows(tables)
    files: dict[str, str | bytes] = {}
    for metric, rows in by_metric.items():
        used = [{"title": u["title"], "href": f"../{u['href']}"} for u in usage.get(metric, [])]
        files |= figure_page(
            metric,
            rows,
            metrics=metrics,
            sources=sources,
            used_by=used,
            meta=meta_of(rows) if meta_of else (),
            accessed=accessed,
        )
    index = figure_index(by_metric, metrics)
    files["_data/figure-pages.json"] = json.dumps([e.to_dict() for e in index], indent=1)
    return files, index
