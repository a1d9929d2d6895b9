"""Chart builders, checked through the figure's dict, its recorded rows and its MIME bundle."""

from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go
import pytest
from ukcyber import charts, figures, panels
from ukcyber.figures import CONFIG, PALETTE
from ukcyber.mime import FIGURE_MIME, PLOTLY_MIME
from ukcyber.units import unit_label

SOURCES = pd.DataFrame(
    {
        "source_id": ["stats_2020", "press", "paper", "undated"],
        "title": [
            "Sectoral Analysis 2020",
            "ITPro: sector grows",
            "Cybersecuronomics: a paper",
            "Memo",
        ],
        "date": ["2020-05", "2021-05", "2023-09", ""],
        "kind": [
            "official_statistics",
            "press_report_of_official_statistics",
            "think_tank_paper",
            "other",
        ],
        "url": ["https://gov.uk/a", "https://itpro.example/b", "https://pb.example/c", ""],
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
        "unit": "GBP",
        "scale": "billion",
        "period": "",
    }
    frame = pd.DataFrame([{**defaults, **r} for r in records])
    if "year" in frame:
        frame["year"] = frame["year"].astype("Int64")
    return frame


def test_template_legend_below_and_config_without_cloud_or_logo():
    fig = figures.figure("Revenue", height=500)
    layout = fig.to_dict()["layout"]
    assert layout["template"]["layout"]["colorway"] == PALETTE
    legend = layout["template"]["layout"]["legend"]
    assert legend["orientation"] == "h" and legend["yref"] == "container" and legend["y"] == 0
    assert layout["title"]["text"] == "Revenue" and layout["height"] == 500
    assert CONFIG["displaylogo"] is False and CONFIG["showSendToCloud"] is False
    assert "sendChartToCloud" in CONFIG["modeBarButtonsToRemove"]
    assert "toImage" not in CONFIG["modeBarButtonsToRemove"]


@pytest.mark.parametrize(
    ("span", "narrow", "step"),
    [
        (0, False, 1),
        (10, False, 1),
        (11, False, 2),
        (30, False, 5),
        (4, True, 1),
        (7, True, 2),
        (26, True, 10),
    ],
)
def test_year_steps_are_whole_years(span, narrow, step):
    assert figures.year_step(span, narrow=narrow) == step


def test_year_axis_ticks_fall_on_whole_years():
    axis = figures.year_axis([2013, 2016, 2021])
    assert axis == {"tickformat": "d", "tickmode": "linear", "tick0": 2013, "dtick": 1}
    wide = figures.year_axis([2004, 2030])
    assert wide["dtick"] == 5 and wide["tick0"] % 5 == 0


def test_line_chart_records_its_points_with_citations():
    data = rows(
        dict(year=2019, value=1.0, qualifier="exact"),
        dict(
            year=2020,
            value=2.0,
            qualifier="more_than",
            source_id="press",
            edition="Cyber Security Sectoral Analysis 2021",
        ),
        dict(year=2021, value=3.0, qualifier="less_than"),
    )
    fig = charts.line_chart(data, "Revenue", SOURCES, y_title="£ billion")
    (trace,) = fig.to_dict()["data"]
    assert list(trace["x"]) == [2019, 2020, 2021]
    assert list(trace["marker"]["symbol"]) == ["circle", "triangle-up", "triangle-down"]
    assert (
        "Cyber Security Sectoral Analysis 2021, as reported by ITPro (May 2021)"
        in trace["hovertext"][1]
    )
    assert "press" not in trace["hovertext"][1]
    assert fig.layout.xaxis.tickformat == "d" and fig.layout.xaxis.dtick == 1
    drawn = figures.drawn_rows(fig)
    assert [(r["category"], r["value"]) for r in drawn] == [
        ("2019", 1.0),
        ("2020", 2.0),
        ("2021", 3.0),
    ]
    assert drawn[1]["figure"] == "more than £2 billion"
    assert (
        drawn[1]["source"]
        == "Cyber Security Sectoral Analysis 2021, as reported by ITPro (May 2021)"
    )
    assert drawn[1]["source_kind"] == "press report of official statistics"
    assert drawn[0]["source_url"] == "https://pb.example/c"
    assert drawn[0]["locator"] == "printed as “x”"


def test_line_chart_on_an_existing_figure_adds_a_series():
    fig = charts.line_chart(
        rows(dict(year=2020, value=1.0)), "Revenue", SOURCES, y_title="£ bn", name="paper"
    )
    same = charts.line_chart(
        rows(dict(year=2021, value=2.0, source_id="undated")), "", SOURCES, y_title="£ bn", fig=fig
    )
    assert same is fig and [t.name for t in fig.data] == ["paper", ""]
    assert [r["series"] for r in figures.drawn_rows(fig)] == ["paper", ""]


def test_bar_chart_labels_every_category_and_grows_with_them():
    labels = [f"A rather long category label number {i}" for i in range(9)]
    data = pd.DataFrame({"label": labels, "value": range(9), "source": "S", "unit": "items"})
    fig = charts.bar_chart(data, "Bars", None, x_title="number of items")
    (bar,) = fig.to_dict()["data"]
    assert bar["orientation"] == "h" and list(bar["y"]) == labels
    axis = fig.layout.yaxis
    assert list(axis.tickvals) == labels and axis.tickmode == "array"
    assert all("<br>" in t for t in axis.ticktext)
    assert all(len(line) <= figures.WIDE_WRAP for t in axis.ticktext for line in t.split("<br>"))
    narrow = fig.layout.meta["ukc_narrow"]
    assert narrow["height"] > fig.layout.height
    assert all(
        len(line) <= figures.NARROW_WRAP
        for t in narrow["yaxis"]["ticktext"]
        for line in t.split("<br>")
    )
    three = charts.bar_chart(data.head(3), "Bars", None, x_title="n")
    assert three.layout.height < fig.layout.height


def test_count_rows_name_the_documents_counted():
    counts = pd.DataFrame(
        {"kind": ["a", "b"], "count": [2, 0], "source_ids": [["paper", "stats_2020"], []]}
    )
    out = charts.count_rows(counts, SOURCES, label="kind")
    assert out["source"].tolist() == [
        "Cybersecuronomics (September 2023); Sectoral Analysis 2020 (May 2020)",
        "none of the curated documents",
    ]
    assert out["source_url"].iloc[0] == "https://pb.example/c https://gov.uk/a"
    assert out["unit"].tolist() == ["items", "items"]


def test_bounds_chart_draws_bounds_apart_from_stated_shares():
    data = rows(
        dict(geography="London", value=75.0, qualifier="exact", unit="percent", scale="one"),
        dict(
            geography="Eight regions", value=1.0, qualifier="less_than", unit="percent", scale="one"
        ),
        dict(geography="Wales", value=3.0, qualifier="approximately", unit="percent", scale="one"),
    )
    fig = charts.bounds_chart(data, "Investment share", SOURCES, x_title="%")
    exact, bounds = fig.to_dict()["data"]
    assert list(exact["y"]) == ["London", "Wales"] and list(exact["x"]) == [75.0, 3.0]
    assert list(bounds["y"]) == ["Eight regions"] and list(bounds["x"]) == [1.0]
    assert bounds["marker"]["pattern"]["shape"] == "/"
    assert list(fig.layout.yaxis.categoryarray) == ["London", "Eight regions", "Wales"]
    assert {r["figure"] for r in figures.drawn_rows(fig)} == {"75%", "less than 1%", "about 3%"}


def test_small_multiples_panels_claims_and_a_one_column_phone_layout():
    by_measure = {
        "Revenue": rows(dict(year=2020, value=1.0), dict(year=2021, value=2.0)),
        "Employment": rows(dict(year=2020, value=5.0, qualifier="more_than")),
        "GVA": rows(dict(year=2021, value=3.0, source_id="undated")),
    }
    claims = {"Revenue": rows(dict(year=2021, value=2.5, source_id="undated"))}
    fig = panels.small_multiples(by_measure, "Sector", SOURCES, claims=claims)
    spec = fig.to_dict()
    assert [a["text"] for a in spec["layout"]["annotations"]] == ["Revenue", "Employment", "GVA"]
    official = [t for t in spec["data"] if t.get("legendgroup") == "official"]
    diamonds = [t for t in spec["data"] if t.get("legendgroup") == "claims"]
    assert len(official) == 3 and len(diamonds) == 1
    assert [t["showlegend"] for t in official] == [True, False, False]
    assert all(spec["layout"][f"xaxis{s}"]["tickformat"] == "d" for s in ("", "2", "3"))
    narrow = fig.layout.meta["ukc_narrow"]
    assert narrow["height"] > fig.layout.height
    assert narrow["xaxis"]["domain"] == narrow["xaxis2"]["domain"] == [0.0, 1.0]
    assert [r["series"] for r in figures.drawn_rows(fig)][-1] == "GVA: official series"


def test_forecast_panels_draw_forecasts_dashed_one_panel_per_series():
    data = rows(
        dict(series="a", year=2020, value=100.0, basis="observed"),
        dict(series="a", year=2025, value=200.0, basis="forecast"),
        dict(series="b", year=2021, value=50.0, basis="observed"),
    )
    fig = panels.forecast_panels(
        data,
        "Market",
        SOURCES,
        by="series",
        labels={"a": "Gartner", "b": "IDC"},
        y_title="$ billion",
    )
    spec = fig.to_dict()
    assert [t["name"] for t in spec["data"]] == ["estimate", "forecast", "estimate"]
    assert spec["data"][1]["line"]["dash"] == "dash"
    assert [t.get("xaxis", "x") for t in spec["data"]] == ["x", "x", "x2"]
    assert [a["text"] for a in spec["layout"]["annotations"]] == ["Gartner", "IDC"]
    assert [r["series"] for r in figures.drawn_rows(fig)] == [
        "Gartner: estimate",
        "Gartner: forecast",
        "IDC: estimate",
    ]


def test_rank_chart_puts_rank_one_at_the_top():
    ranks = pd.DataFrame(
        {
            "country": ["Japan", "United Kingdom", "United Kingdom"],
            "edition": [2020, 2020, 2022],
            "rank": [9, 3, 4],
            "source_id": "paper",
            "locator": "line 1",
        }
    )
    fig = panels.rank_chart(ranks, ["Japan", "United Kingdom"], "Ranks", SOURCES)
    assert [t.name for t in fig.data] == ["Japan", "United Kingdom"]
    assert list(fig.data[1].text) == ["3rd", "4th"]
    low, high = fig.layout.yaxis.range
    assert low > high  # reversed: 1 at the top
    assert figures.drawn_rows(fig)[0]["figure"] == "9th"


def sample_figure() -> go.Figure:
    data = rows(dict(year=2020, value=1.0), dict(year=2021, value=2.0, qualifier="more_than"))
    fig = charts.line_chart(data, "Revenue", SOURCES, y_title="£ bn", name="one")
    charts.line_chart(
        data.assign(value=[3.0, 4.0]), "", SOURCES, y_title="£ bn", fig=fig, name="two"
    )
    return fig


def test_mimebundle_carries_caption_alt_rows_and_citations():
    bundle = charts.mimebundle(sample_figure(), caption="Two lines.")
    assert set(bundle) == {PLOTLY_MIME, FIGURE_MIME, "text/plain"}
    spec = bundle[PLOTLY_MIME]
    assert spec["config"] == CONFIG and "meta" not in spec["layout"]
    assert [t["y"] for t in spec["data"]] == [[1.0, 2.0], [3.0, 4.0]]
    info = bundle[FIGURE_MIME]
    assert info["title"] == "Revenue" and info["caption"] == "Two lines."
    assert info["columns"] == figures.FIGURE_COLUMNS
    assert [(r["series"], r["category"], r["value"]) for r in info["rows"]] == [
        ("one", "2020", 1.0),
        ("one", "2021", 2.0),
        ("two", "2020", 3.0),
        ("two", "2021", 4.0),
    ]
    assert (
        info["alt"]
        == "one: £1 billion in 2020 to more than £2 billion in 2021; two: £3 billion in 2020 to more than £4 billion in 2021."
    )
    assert info["citations"] == [
        {
            "label": "Cybersecuronomics (September 2023)",
            "where": "",
            "source": info["citations"][0]["source"],
        }
    ]
    assert info["narrow"]["xaxis"]["tickformat"] == "d"
    text = bundle["text/plain"].splitlines()
    assert text[0] == "Figure: Revenue" and text[1] == "Two lines."
    assert (
        "one | 2021 | more than £2 billion | Cybersecuronomics (September 2023) | printed as “x”"
        in text
    )
    assert all("uid" not in t for t in spec["data"])


def test_mimebundle_is_stable_across_calls():
    first = json.dumps(charts.mimebundle(sample_figure()), sort_keys=True)
    assert first == json.dumps(charts.mimebundle(sample_figure()), sort_keys=True)


def test_rows_that_are_not_the_points_drawn_are_refused():
    fig = sample_figure()
    fig.data[0].y = [1.0, 9.0]
    with pytest.raises(ValueError, match="do not match the points of trace 0"):
        charts.mimebundle(fig)
    extra = sample_figure()
    extra.add_bar(x=["a"], y=[1])
    with pytest.raises(ValueError, match="trace 2"):
        charts.mimebundle(extra)


def test_show_displays_the_raw_bundle(monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, raw: shown.append((obj, raw)))
    fig = sample_figure()
    charts.show(fig, caption="C")
    assert shown == [(charts.mimebundle(fig, caption="C"), True)]


def test_wrap_keeps_words_whole():
    assert figures.wrap("one two three four", 9) == "one two<br>three<br>four"
    assert figures.wrap("unbreakablelongword", 5) == "unbreakablelongword"


@pytest.mark.parametrize(
    ("unit", "scale", "expected"),
    [
        ("GBP", "billion", "£ billion"),
        ("USD", "trillion", "$ trillion"),
        ("EUR", "one", "€"),
        ("percent", "one", "%"),
        ("percent_change", "one", "% change"),
        ("firms", "one", "firms"),
        ("people", "thousand", "thousand people"),
        ("count", "million", "millions"),
        ("count", "one", "number"),
    ],
)
def test_unit_label(unit, scale, expected):
    assert unit_label(unit, scale) == expected


def test_hover_text_shows_the_caveat_when_there_is_one():
    data = pd.DataFrame(
        {"as_printed": ["1", "2"], "qualifier": ["exact", "exact"], "caveat": ["", ""]}
    )
    assert all("Caveat" not in label for label in figures.hover_text(data))
    data["caveat"] = ["", "A long caveat about this figure " * 4]
    plain, warned = figures.hover_text(data)
    assert "Caveat" not in plain
    lines = warned.split("<br>")
    assert lines[:2] == ["2", "stated"]
    assert lines[2].startswith("Caveat: A long caveat about this figure")
    assert len(lines) > 3 and all(len(line) <= figures.CAVEAT_WIDTH + 9 for line in lines[2:])
    assert (
        " ".join(lines[2:]).removeprefix("Caveat: ")
        == ("A long caveat about this figure " * 4).strip()
    )
