"""Chart builders, checked through the figure's dict and its MIME bundle."""

from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go
import pytest
from ukcyber import charts
from ukcyber.charts import BOUND_SYMBOLS, PALETTE
from ukcyber.mime import PLOTLY_MIME
from ukcyber.units import unit_label

SOURCES = pd.DataFrame(
    {
        "source_id": ["stats_2020", "stats_2021", "paper", "undated"],
        "title": ["Sectoral Analysis 2020", "Sectoral Analysis 2021", "Cybersecuronomics", "Memo"],
        "date": ["2020-05", "2021-05", "2023-09", ""],
        "kind": ["official_statistics", "official_statistics", "think_tank_paper", "other"],
    }
)


def rows(*records: dict) -> pd.DataFrame:
    defaults = {
        "qualifier": "exact",
        "edition": "",
        "source_id": "paper",
        "locator": "line 1",
        "as_printed": "x",
        "geography": "UK",
    }
    frame = pd.DataFrame([{**defaults, **r} for r in records])
    frame["year"] = frame["year"].astype("Int64")
    return frame


def footnotes(fig: go.Figure) -> list[dict]:
    return [
        a for a in fig.to_dict()["layout"].get("annotations", []) if a.get("name") == "footnote"
    ]


def test_figure_uses_the_palette_and_has_a_source_footnote():
    fig = charts.figure("Revenue", ["Source A", "Source B", "Source A", ""], height=500)
    layout = fig.to_dict()["layout"]
    assert layout["template"]["layout"]["colorway"] == PALETTE
    assert layout["title"]["text"] == "Revenue"
    assert layout["height"] == 500
    (note,) = footnotes(fig)
    assert note["text"] == "Source: Source A; Source B"
    assert note["xref"] == "paper" and note["yref"] == "paper"
    assert note["showarrow"] is False


def test_figure_without_sources_says_so():
    (note,) = footnotes(charts.figure("T", []))
    assert note["text"] == "Source: not stated"


def test_footnote_replaces_the_existing_one_and_keeps_other_annotations():
    fig = charts.figure("T", ["Old source"])
    fig.add_annotation(text="a label", x=1, y=1, name="label")
    charts.footnote(fig, ["New source"])
    charts.footnote(fig, ["Newer source"])
    annotations = fig.to_dict()["layout"]["annotations"]
    assert [a["text"] for a in annotations if a.get("name") == "footnote"] == [
        "Source: Newer source"
    ]
    assert [a["text"] for a in annotations if a.get("name") == "label"] == ["a label"]
    assert all(a["text"].startswith("Source:") for a in footnotes(fig))


def test_long_footnote_wraps_and_grows_the_bottom_margin():
    names = [f"A rather long document title number {i}" for i in range(12)]
    fig = charts.figure("T", names)
    (note,) = footnotes(fig)
    lines = note["text"].split("<br>")
    assert len(lines) > 1
    assert all(len(line) <= 150 for line in lines)
    assert " ".join(lines) == "Source: " + "; ".join(names)
    assert fig.layout.margin.b == 90 + 14 * len(lines)
    short = charts.figure("T", ["Short"])
    assert short.layout.margin.b == 104


def test_hover_text_shows_the_caveat_when_there_is_one():
    data = rows(dict(year=2019, value=1.0), dict(year=2020, value=2.0))
    assert all("Caveat" not in label for label in charts.hover_text(data))
    data["caveat"] = ["", "A long caveat about this figure " * 4]
    plain, warned = charts.hover_text(data)
    assert "Caveat" not in plain
    lines = warned.split("<br>")
    assert lines[3].startswith("Caveat: A long caveat about this figure")
    assert len(lines) > 4 and all(len(line) <= charts.CAVEAT_WIDTH + 9 for line in lines[3:])
    assert (
        " ".join(lines[3:]).removeprefix("Caveat: ")
        == ("A long caveat about this figure " * 4).strip()
    )


def test_line_chart_markers_follow_qualifiers():
    data = rows(
        dict(year=2019, value=1.0, qualifier="exact"),
        dict(year=2020, value=2.0, qualifier="more_than"),
        dict(year=2021, value=3.0, qualifier="less_than"),
        dict(year=2022, value=4.0, qualifier="approximately"),
        dict(year=2023, value=5.0, qualifier="at_least"),
        dict(year=2024, value=6.0, qualifier="at_most"),
    )
    fig = charts.line_chart(data, "Revenue", SOURCES, y_title="£ billion")
    spec = fig.to_dict()
    (trace,) = spec["data"]
    assert list(trace["x"]) == [2019, 2020, 2021, 2022, 2023, 2024]
    assert list(trace["y"]) == [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    assert list(trace["marker"]["symbol"]) == [BOUND_SYMBOLS[q] for q in data["qualifier"]]
    assert list(trace["marker"]["symbol"])[:3] == ["circle", "triangle-up", "triangle-down"]
    assert trace["name"] == "Revenue"
    assert spec["layout"]["yaxis"]["title"]["text"] == "£ billion"
    assert "more than" in trace["hovertext"][1] and "paper, line 1" in trace["hovertext"][1]
    assert trace["hovertext"][0].split("<br>")[1] == "stated"
    (note,) = footnotes(fig)
    assert note["text"] == "Source: Cybersecuronomics (2023-09)"


def test_line_chart_on_an_existing_figure_adds_a_trace_and_merges_sources():
    first = rows(dict(year=2020, value=1.0))
    second = rows(dict(year=2021, value=2.0, source_id="undated"))
    fig = charts.line_chart(first, "Revenue", SOURCES, y_title="£ bn", name="paper")
    same = charts.line_chart(second, "ignored", SOURCES, y_title="£ bn", fig=fig)
    assert same is fig
    names = [t.name for t in fig.data]
    assert names == ["paper", "ignored"]
    assert fig.layout.title.text == "Revenue"
    (note,) = footnotes(fig)
    assert note["text"] == "Source: Cybersecuronomics (2023-09); Memo"


def test_bounds_chart_splits_exact_values_and_bounds():
    data = rows(
        dict(geography="London", year=2023, value=75.0, qualifier="exact"),
        dict(geography="Eight regions", year=2023, value=1.0, qualifier="less_than"),
        dict(geography="Wales", year=2023, value=3.0, qualifier="approximately"),
        dict(geography="North", year=2023, value=5.0, qualifier="more_than"),
    )
    fig = charts.bounds_chart(data, "Investment share", SOURCES, x_title="%")
    spec = fig.to_dict()
    exact, bounds = spec["data"]
    assert list(exact["y"]) == ["London", "Eight regions", "Wales", "North"]
    assert list(exact["x"]) == [75.0, 0.0, 3.0, 0.0]
    assert list(bounds["x"]) == [0.0, 1.0, 0.0, 5.0]
    assert exact["orientation"] == bounds["orientation"] == "h"
    assert exact["marker"]["color"] == PALETTE[0]
    assert spec["layout"]["barmode"] == "overlay"
    assert spec["layout"]["height"] == 320
    assert spec["layout"]["xaxis"]["title"]["text"] == "%"


def test_small_multiples_one_panel_per_key_and_claim_diamonds():
    panels = {
        "Revenue": rows(dict(year=2020, value=1.0), dict(year=2021, value=2.0)),
        "Employment": rows(dict(year=2020, value=5.0, qualifier="more_than")),
        "GVA": rows(dict(year=2021, value=3.0, source_id="undated")),
    }
    claims = {
        "Revenue": rows(dict(year=2021, value=2.5, source_id="undated")),
        "Employment": rows(dict(year=2020, value=6.0)),
        "GVA": rows(dict(year=2020, value=9.9)).iloc[0:0],
    }
    fig = charts.small_multiples(panels, "Sector", SOURCES, claims=claims)
    spec = fig.to_dict()
    titles = [a["text"] for a in spec["layout"]["annotations"] if a.get("name") != "footnote"]
    assert titles == ["Revenue", "Employment", "GVA"]
    official = [t for t in spec["data"] if t.get("legendgroup") == "official"]
    diamonds = [t for t in spec["data"] if t.get("legendgroup") == "claims"]
    assert len(official) == 3 and len(diamonds) == 2
    assert [t.get("xaxis", "x") for t in official] == ["x", "x2", "x3"]
    assert [t.get("xaxis", "x") for t in diamonds] == ["x", "x2"]
    assert all(t["marker"]["symbol"] == "diamond" for t in diamonds)
    assert [t["showlegend"] for t in official] == [True, False, False]
    assert [t["showlegend"] for t in diamonds] == [True, False]
    assert list(official[1]["marker"]["symbol"]) == ["triangle-up"]
    assert spec["layout"]["height"] == 320 * 2 + 120
    assert spec["layout"]["template"]["layout"]["colorway"] == PALETTE
    (note,) = footnotes(fig)
    assert note["text"] == "Source: Cybersecuronomics (2023-09); Memo"


def test_small_multiples_without_claims():
    fig = charts.small_multiples({"Only": rows(dict(year=2020, value=1.0))}, "T", SOURCES)
    assert len(fig.data) == 1
    assert fig.data[0].mode == "lines+markers"


def test_source_titles_merges_editions_of_one_series():
    data = rows(
        dict(year=2021, value=1.0, edition="Cyber Security Sectoral Analysis 2021"),
        dict(year=2020, value=1.0, edition="Cyber Security Sectoral Analysis 2020"),
        dict(year=2019, value=1.0, edition="Cyber Security Sectoral Analysis 2021"),
        dict(year=2020, value=1.0, source_id="paper"),
        dict(year=2021, value=1.0, source_id="paper"),
        dict(year=2021, value=1.0, source_id="undated"),
        dict(year=2022, value=1.0, edition="Other Survey 2022"),
    )
    assert charts.source_titles(data, SOURCES) == [
        "Cyber Security Sectoral Analysis 2020, 2021",
        "Cybersecuronomics (2023-09)",
        "Memo",
        "Other Survey 2022",
    ]


def test_source_titles_handles_integer_and_missing_editions():
    data = pd.DataFrame(
        {
            "source_id": ["paper", "undated", "stats_2020"],
            "edition": pd.array([2022, pd.NA, 2020], dtype="Int64"),
        }
    )
    assert charts.source_titles(data, SOURCES) == [
        "Cybersecuronomics (2023-09)",
        "Memo",
        "Sectoral Analysis 2020 (2020-05)",
    ]
    no_edition_column = pd.DataFrame({"source_id": ["paper"]})
    assert charts.source_titles(no_edition_column, SOURCES) == ["Cybersecuronomics (2023-09)"]
    assert charts.source_titles(pd.DataFrame({"source_id": []}), SOURCES) == []


@pytest.mark.parametrize(
    ("unit", "scale", "expected"),
    [
        ("GBP", "billion", "£ billion"),
        ("USD", "trillion", "$ trillion"),
        ("EUR", "one", "€"),
        ("percent", "one", "%"),
        ("percent_change", "one", "% change"),
        ("firms", "one", "firms"),
        ("people", "thousand", "people thousand"),
    ],
)
def test_unit_label(unit, scale, expected):
    assert unit_label(unit, scale) == expected


def test_unit_label_default_scale():
    assert unit_label("JPY") == "¥"


def sample_figure() -> go.Figure:
    data = rows(dict(year=2020, value=1.0), dict(year=2021, value=2.0, qualifier="more_than"))
    fig = charts.line_chart(data, "Revenue", SOURCES, y_title="£ bn")
    charts.line_chart(data.assign(value=[3.0, 4.0]), "Other", SOURCES, y_title="£ bn", fig=fig)
    return fig


def test_mimebundle_has_plotly_json_and_text():
    bundle = charts.mimebundle(sample_figure())
    assert set(bundle) == {PLOTLY_MIME, "text/plain"}
    assert PLOTLY_MIME == "application/vnd.plotly.v1+json"
    spec = bundle[PLOTLY_MIME]
    assert set(spec) == {"data", "layout", "config"}
    assert [t["y"] for t in spec["data"]] == [[1.0, 2.0], [3.0, 4.0]]
    assert spec["layout"]["title"]["text"] == "Revenue"
    assert spec["config"] == {"responsive": True}
    assert bundle["text/plain"] == "[chart] Revenue (2 traces)"
    assert all("uid" not in t for t in spec["data"])


def test_mimebundle_is_json_and_stable_across_calls():
    first = json.dumps(charts.mimebundle(sample_figure()), sort_keys=True)
    second = json.dumps(charts.mimebundle(sample_figure()), sort_keys=True)
    assert first == second
    fig = sample_figure()
    assert json.dumps(charts.mimebundle(fig)) == json.dumps(charts.mimebundle(fig))
    assert json.loads(first)[PLOTLY_MIME]["data"][0]["type"] == "scatter"


def test_mimebundle_of_an_untitled_figure():
    fig = go.Figure()
    assert charts.mimebundle(fig)["text/plain"] == "[chart] chart (0 traces)"


def test_show_displays_the_raw_bundle(monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, raw: shown.append((obj, raw)))
    fig = sample_figure()
    charts.show(fig)
    assert shown == [(charts.mimebundle(fig), True)]


def test_bar_chart_orientation_and_height():
    fig = charts.bar_chart(["a", "b", "c"], [3, 2, 1], "Bars", ["Src"], x_title="count")
    (bar,) = fig.to_dict()["data"]
    assert bar["orientation"] == "h"
    assert list(bar["y"]) == ["a", "b", "c"] and list(bar["x"]) == [3, 2, 1]
    assert fig.layout.height == 320
    assert fig.layout.yaxis.autorange == "reversed"
    vertical = charts.bar_chart(["a"], [1], "Bars", [], horizontal=False, x_title="n")
    assert vertical.data[0].orientation == "v"
    assert vertical.layout.yaxis.title.text == "n"
