"""The UN GGE norms: what the UK's 2019 non-paper reports under each of the eleven.

Examples
--------
>>> from ukcyber.findings import norms
>>> view = norms.overview("13b")
>>> view.title
'Norm 13(b): Weigh full context of incidents'
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ukcyber import charts, params
from ukcyber.briefing import Brief, MainPoints
from ukcyber.data import load
from ukcyber.findings import Chart
from ukcyber.formatting import format_row, join_words, plain_title, plural
from ukcyber.tables import Table


@dataclass(frozen=True)
class Overview:
    """The norms with their counts of figures, and the norm (or all) shown in detail."""

    norm: str
    norms: pd.DataFrame
    measures: pd.DataFrame
    shown: pd.DataFrame
    detail: pd.DataFrame
    titles: pd.Series
    sources: pd.DataFrame

    @property
    def title(self) -> str:
        """The detailed norm's label (``Norm 13(b): ...``), or ``""`` for all norms."""
        return "" if self.norm == "all" else str(self.shown["label"].iloc[0])

    @property
    def silent(self) -> pd.DataFrame:
        """The norms under which the paper reports no figure."""
        return self.norms[self.norms["figures"] == 0]


def overview(norm: object) -> Overview:
    """Validate the norm (an id such as ``13b``, or ``"all"``) and count the figures of each.

    Raises
    ------
    ParameterError
        If ``norm`` is neither ``"all"`` nor a norm id of the data.
    """
    norms, measures = load("norms"), load("norm_measures")
    measures = measures[measures["norm_id"] != ""]  # rows about the paper as a whole left out
    norm = params.choice("norm", norm, norms["norm_id"], allow_all=True)
    counts = measures["norm_id"].value_counts()
    norms = norms.assign(
        figures=norms["norm_id"].map(counts).fillna(0).astype(int),
        label="Norm " + norms["paragraph"] + ": " + norms["short_name"],
    )
    return Overview(
        norm=norm,
        norms=norms,
        measures=measures,
        shown=norms if norm == "all" else norms[norms["norm_id"] == norm],
        detail=measures if norm == "all" else measures[measures["norm_id"] == norm],
        titles=load("metrics").set_index("metric")["title"].map(plain_title),
        sources=load("sources"),
    )


def coverage_words(view: Overview) -> dict[str, object]:
    """How many figures the paper reports, under how many of the norms."""
    return dict(
        n=plural(len(view.measures), "figure"),
        k=int((view.norms["figures"] > 0).sum()),
        total=len(view.norms),
    )


def silent_words(view: Overview) -> str:
    """The norms without figures, in words (or that every norm has some)."""
    silent = view.silent
    if silent.empty:
        return "it gives figures for every norm"
    return f"it gives no figure for {join_words(silent['label'].tolist())}"


COVERAGE = "The 2019 non-paper reports {n} across {k} of the {total} norms"


def main_points(view: Overview) -> MainPoints:
    """Coverage, the norms without figures, the norm with most, the detailed norm."""
    points = MainPoints()
    points.add(COVERAGE + ".", rows=view.norms, sources=view.sources, **coverage_words(view))
    silent = view.silent
    text = silent_words(view)
    points.add(
        "{text}.",
        rows=silent if len(silent) else None,
        sources=view.sources,
        text=text[0].upper() + text[1:],
    )
    most = view.norms.sort_values(["figures", "norm_id"], ascending=[False, True]).iloc[0]
    points.add(
        "Most figures are reported under {label} ({n}).",
        rows=most,
        sources=view.sources,
        label=most["label"],
        n=plural(int(most["figures"]), "figure"),
    )
    if view.norm != "all":
        row = view.shown.iloc[0]
        points.add(
            "{label}: {n} reported.",
            rows=row,
            sources=view.sources,
            label=row["label"],
            n=plural(int(row["figures"]), "figure"),
        )
    return points


def figures_chart(view: Overview) -> Chart:
    """How many figures the paper reports under each norm."""
    norms = view.norms
    fig = charts.bar_chart(
        norms.assign(value=norms["figures"], unit="figures"),
        "Figures the UK reports under each norm",
        view.sources,
        label="label",
        x_title="number of figures reported",
    )
    return Chart(fig, "How many figures the 2019 non-paper gives under each of the eleven norms.")


def norms_table(view: Overview) -> Table:
    """The norms shown, what each asks and the UK measures reported (our words)."""
    return Table(
        view.shown,
        {
            "label": "Norm",
            "norm_summary": "What it asks (our words)",
            "uk_measures_summary": "UK measures reported (our words)",
        },
        caption="The norms and the UK measures the paper reports",
        sources=view.sources,
    )


def figures_table(view: Overview) -> Table:
    """Every figure reported under the norms shown."""
    detail = view.detail
    names = view.norms.set_index("norm_id")["label"]
    return Table(
        detail.assign(
            norm=detail["norm_id"].map(names),
            measure=detail["metric"].map(view.titles),
            figure=[format_row(r) for _, r in detail.iterrows()],
        ),
        {"norm": "Norm", "measure": "Measure", "figure": "Figure", "period": "Period"},
        caption="Figures reported" + ("" if view.norm == "all" else f" under {view.title}"),
        sources=view.sources,
    )


def briefing(view: Overview) -> Brief:
    """Coverage in one sentence, then each norm shown with the UK measures reported."""
    brief = Brief(
        "Briefing: UK implementation of the UN GGE norms"
        + ("" if view.norm == "all" else f", {view.title}")
    )
    brief.para(COVERAGE + "; {silent}.", silent=silent_words(view), **coverage_words(view))
    for _, row in view.shown.iterrows():
        brief.bullet("{label}: {summary}", label=row["label"], summary=row["uk_measures_summary"])
    brief.cite(view.shown, view.sources)
    return brief
