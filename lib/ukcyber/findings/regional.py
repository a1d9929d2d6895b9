"""Regional concentration: investment shares (bounds as bounds), salary gaps, one place's brief.

Examples
--------
>>> from ukcyber.findings import regional
>>> view = regional.overview("Wales", "all")
>>> view.place, view.latest_year
('Wales', 2022)
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ukcyber import analysis, charts, options, params
from ukcyber.briefing import Brief, MainPoints
from ukcyber.citations import row_words
from ukcyber.data import load
from ukcyber.findings import Chart
from ukcyber.formatting import format_row, format_value, plain_title
from ukcyber.tables import Table

OFFICIAL_EVIDENCE = ("official", "press_report_of_official", "cited_official")
"""Regional evidence that is official statistics, first- or second-hand (not cluster studies)."""

SHARE_METRIC = "investment_share"
SALARY_METRIC = "mean_advertised_salary"

EVIDENCE_HEADINGS = {
    "official": "Official figures",
    "press_report_of_official": "Official figures read in press reports",
    "cited_official": "Official figures cited second-hand",
    "cluster_study": "Regional cluster studies",
    "other": "Other sources",
}
"""How the briefing heads each kind of regional evidence, in the order it lists them."""

KEY_MEASURES = (
    "investment_share",
    "workforce_share",
    "firms_share",
    "mean_advertised_salary",
    "active_firms",
    "employment",
    "external_investment",
)
"""Measures a regional briefing says are unknown when the sources give none for the place."""

SHARES_CAPTION = (
    "Solid bars are shares stated exactly; hatched bars are upper bounds (“less than 1%” each), "
    "so the true share lies anywhere below the bar. The rest of the UK is derived from the "
    "stated shares."
)


@dataclass(frozen=True)
class Overview:
    """The rows of one regional report: the latest official shares, salaries, the place's rows."""

    region: str
    place: str
    year: int | str
    latest_year: int
    latest: pd.DataFrame
    rest: pd.DataFrame
    salaries: pd.DataFrame
    gaps: list[analysis.Comparison]
    own_gap: analysis.Comparison | str
    mine: pd.DataFrame
    titles: pd.Series
    sources: pd.DataFrame


def overview(region: object, year: object) -> Overview:
    """Validate the place and year and compute the shares, salary gaps and the place's figures.

    Raises
    ------
    ParameterError
        If ``region`` is not in ``options.regional_geographies()`` or ``year`` is neither
        ``"all"`` nor a year with figures for it.
    """
    regional, sources, metrics = load("regional"), load("sources"), load("metrics")
    region = params.choice("region", region, options.regional_geographies())
    own = regional[regional["geography"] == region]
    year = params.year_or_all("year", year, own["year"].dropna())
    official = regional[regional["evidence"].isin(OFFICIAL_EVIDENCE)]
    shares = official[official["metric"] == SHARE_METRIC]
    latest_year = int(shares["year"].max())
    latest = shares[shares["year"] == latest_year]
    salaries = official[official["metric"] == SALARY_METRIC].sort_values(
        ["year", "value"], ascending=[True, False]
    )
    return Overview(
        region=region,
        place=options.geography_label(region),
        year=year,
        latest_year=latest_year,
        latest=latest,
        rest=analysis.rest_of_uk(latest),
        salaries=salaries,
        gaps=analysis.top_gaps(salaries),
        own_gap=analysis.region_gap(salaries, region),
        mine=own if year == "all" else own[own["year"] == year],
        titles=metrics.set_index("metric")["title"].map(plain_title),
        sources=sources,
    )


def gap_words(g: analysis.Comparison) -> dict[str, object]:
    """The values every sentence about a salary gap fills in: places, year, figures, gap."""
    return dict(
        high=g.higher["geography"],
        low=g.lower["geography"],
        year=g.year,
        hv=format_row(g.higher),
        lv=format_row(g.lower),
        gap=format_value(g.absolute, "GBP"),
        pct=format_value(round(g.relative_pct, 1), "percent"),
    )


def _no_salary(view: Overview) -> str:
    """Why the place's salary cannot be compared, in words."""
    return str(view.own_gap).replace("figure", "salary figure", 1)


def _same(a: analysis.Comparison, b: analysis.Comparison) -> bool:
    return bool(a.higher.equals(b.higher) and a.lower.equals(b.lower))


def main_points(view: Overview) -> MainPoints:
    """The largest share, the rest as a range, the two largest salary gaps, the place's own."""
    points = MainPoints()
    top = view.latest.sort_values("value", ascending=False).iloc[0]
    points.add(
        "{geo} received {share} of UK cyber security investment in {year}, the largest share the official figures give.",
        rows=top,
        sources=view.sources,
        geo=top["geography"],
        share=format_row(top),
        year=view.latest_year,
    )
    low, high = analysis.unaccounted_share(view.latest)
    points.add(
        "The rest of the UK's share in {year} is known only as a range: between {low} and {high}, derived from the stated shares.",
        rows=view.latest,
        sources=view.sources,
        year=view.latest_year,
        low=format_value(low, "percent"),
        high=format_value(high, "percent"),
    )
    for g in view.gaps[:2]:
        points.add(
            "Mean advertised salaries in {year}: {high} {hv} against {low} {lv}, a gap of {gap} a year ({pct} more).",
            rows=pd.DataFrame([g.higher, g.lower]),
            sources=view.sources,
            **gap_words(g),
        )
    own = view.own_gap
    if isinstance(own, str):
        points.add("{text}", text=_no_salary(view))
    elif not any(_same(own, g) for g in view.gaps[:2]):
        points.add(
            "For {region}: {high} {hv} against {low} {lv} in {year}, a gap of {gap} a year ({pct} more).",
            rows=pd.DataFrame([own.higher, own.lower]),
            sources=view.sources,
            region=view.place,
            **gap_words(own),
        )
    return points


def _with_rest(view: Overview) -> pd.DataFrame:
    return pd.concat([view.latest, view.rest], ignore_index=True)


def shares_chart(view: Overview) -> Chart:
    """The latest official shares of investment, bounds hatched, the rest of the UK derived."""
    fig = charts.bounds_chart(
        _with_rest(view),
        f"Share of UK cyber security investment by region, {view.latest_year}",
        view.sources,
        x_title="% of investment",
    )
    return Chart(fig, SHARES_CAPTION)


def shares_table(view: Overview) -> Table:
    """The shares with what each applies to, and the concentration index of the exact ones."""
    hhi = analysis.concentration_index(
        view.latest.loc[view.latest["qualifier"] == "exact", "value"]
    )
    rows = _with_rest(view)
    return Table(
        rows.assign(
            figure=[
                r["as_printed"] if r["locator"] == "derived" else format_row(r)
                for _, r in rows.iterrows()
            ],
            each=["each of " + str(int(n)) if n > 1 else "" for n in rows["n_regions"]],
        ),
        {"geography": "Region", "figure": "Share", "each": "Applies to"},
        caption=f"Shares of investment, {view.latest_year}; concentration index (HHI) at least {hhi:,.0f} of 10,000 from the exact shares alone",
        sources=view.sources,
    )


def salary_chart(view: Overview) -> Chart:
    """Mean advertised salaries by place and year (compare bars of one year only)."""
    salaries = view.salaries
    rows = salaries.assign(
        label=[
            f"{g} ({int(y)})" for g, y in zip(salaries["geography"], salaries["year"], strict=True)
        ]
    )
    fig = charts.bar_chart(
        rows,
        "Mean advertised salary for cyber security roles",
        view.sources,
        x_title="£ a year",
        text=[format_row(r) for _, r in salaries.iterrows()],
    )
    return Chart(
        fig, "Mean advertised salary by region and year; compare bars of the same year only."
    )


def _evidence_paragraphs(brief: Brief, view: Overview) -> None:
    """Each kind of evidence about the place, official first, every figure with its caveat."""
    for evidence, label in EVIDENCE_HEADINGS.items():
        part = view.mine[view.mine["evidence"] == evidence].sort_values(["metric", "year"])
        if part.empty:
            continue
        brief.para("{label} ({n}):", label=label, n=len(part))
        for _, row in part.iterrows():
            brief.bullet(
                "{title}: {value} ({period}){caveat}",
                title=view.titles[row["metric"]],
                value=format_row(row),
                period=row["period"],
                caveat=f". Caveat: {row_words(row['caveat'], sources=view.sources)}"
                if row["caveat"]
                else "",
            )
        brief.cite(part, view.sources)


def briefing(view: Overview) -> Brief:
    """What the sources say about the place, its salary comparison, and what is not known."""
    title = f"{view.place}: what the sources say" + (
        "" if view.year == "all" else f" about {view.year}"
    )
    brief = Brief(title)
    _evidence_paragraphs(brief, view)
    own = view.own_gap
    if isinstance(own, str):
        brief.para("{text}", text=_no_salary(view))
    else:
        brief.para(
            "Salaries: {high} {hv} against {low} {lv} in {year}, a gap of {gap} a year ({pct} more).",
            **gap_words(own),
        )
        brief.cite(pd.DataFrame([own.higher, own.lower]), view.sources)
    missing = [view.titles[m] for m in KEY_MEASURES if m not in set(view.mine["metric"])]
    if missing:
        brief.para(
            "Not known from these sources for {region}: {missing}.",
            region=view.place,
            missing="; ".join(missing),
        )
    if (view.mine["evidence"] == "cluster_study").any():
        brief.para(
            "Cluster-study figures use their own definitions and years; do not compare them directly with official UK totals."
        )
    return brief
