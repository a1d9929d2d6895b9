"""The chart kit's honesty rules, one test each, checked through what plotly would draw
(``fig.to_dict()`` and the MIME bundle a page embeds), for every builder they apply to.

1. a bound never wears an exact figure's marker (series, alternatives, claims, forecasts, bars);
2. a range derived from bounds is drawn as a range, never from zero;
3. a line breaks, labelled, at a change of method;
4. a line leaves a gap at a missing year;
5. panels of one measure share one scale (and panels of different measures do not);
6. series of one figure each become one dot plot, not a panel apiece;
7. a comparison of bars compares one year at a time;
and the key and the caveat notes that say all this in words under every chart.
"""

from __future__ import annotations

import pandas as pd
import pytest
from ukcyber import charts, figures, panels
from ukcyber.mime import FIGURE_MIME, PLOTLY_MIME

SOURCES = pd.DataFrame(
    {
        "source_id": ["dit", "paper"],
        "title": ["UK defence and security export statistics", "Cybersecuronomics: a paper"],
        "date": ["2021-03", "2023-09"],
        "kind": ["official_statistics", "think_tank_paper"],
        "url": ["https://gov.uk/dit", "https://pb.example/c"],
    }
)
METHOD = "The 2020 release moved to a revenue-based method, so the rise is partly method."


def rows(*records: dict) -> pd.DataFrame:
    defaults = {
        "qualifier": "exact",
        "source_id": "dit",
        "locator": "reference line 1",
        "as_printed": "x",
        "geography": "UK",
        "unit": "GBP",
        "scale": "billion",
        "basis": "observed",
        "caveat": "",
        "period": "",
    }
    frame = pd.DataFrame([{**defaults, **r} for r in records])
    if "year" in frame:
        frame["year"] = frame["year"].astype("Int64")
        frame["period"] = frame["year"].astype(str)
    return frame


def spec_of(fig) -> dict:
    """What a report page embeds: plotly's JSON with each point's qualifier."""
    return charts.mimebundle(fig)[PLOTLY_MIME]


def explorer_like():
    """A preferred line with a bound, and another source's exact and bounded figures for the
    same years (the explorer's revenue: "more than £10.5bn" beside "£10.5bn")."""
    line = rows(
        dict(year=2020, value=8.9),
        dict(year=2021, value=10.1),
        dict(year=2022, value=10.5, qualifier="more_than"),
    )
    others = rows(
        dict(year=2022, value=10.5, source_id="paper"),
        dict(year=2021, value=10.0, qualifier="more_than", source_id="paper"),
    )
    fig = charts.line_chart(line, "Revenue", SOURCES, y_title="£ billion", name="UK")
    return charts.line_chart(
        others,
        "",
        SOURCES,
        y_title="£ billion",
        name="UK: other figures",
        fig=fig,
        points_only=True,
    )


def market():
    return rows(
        dict(series="a", year=2020, value=100.0),
        dict(series="a", year=2021, value=110.0, qualifier="approximately"),
        dict(series="a", year=2030, value=500.0, basis="forecast", qualifier="more_than"),
        dict(series="a", year=2029, value=300.0, basis="forecast"),
        dict(series="b", year=2023, value=140.0, qualifier="more_than", basis="forecast"),
        dict(series="c", year=2004, value=3.5),
        dict(series="d", year=2023, value=162.0, basis="forecast"),
    )


def market_panels():
    return panels.forecast_panels(
        market(),
        "Market",
        SOURCES,
        by="series",
        labels={"a": "Gartner", "b": "Scottish Government", "c": "Paper", "d": "Statista"},
        y_title="$ billion",
    )


def every_builder():
    headline = {
        "Revenue": rows(dict(year=2019, value=8.3), dict(year=2020, value=8.9)),
        "GVA": rows(dict(year=2019, value=3.7, qualifier="more_than"), dict(year=2020, value=4.0)),
    }
    claims = {"GVA": rows(dict(year=2020, value=4.0, qualifier="more_than", source_id="paper"))}
    shares = rows(
        dict(geography="London", value=75.0, unit="percent", scale="one"),
        dict(
            geography="Eight regions", value=1.0, qualifier="less_than", unit="percent", scale="one"
        ),
        dict(
            geography="Rest",
            value=25.0,
            lower=17.0,
            qualifier="at_most",
            unit="percent",
            scale="one",
        ),
    )
    bars = rows(
        dict(label="North", value=51.0, year=2021, unit="GBP", scale="thousand"),
        dict(
            label="Wales",
            value=40.0,
            year=2021,
            unit="GBP",
            scale="thousand",
            qualifier="more_than",
        ),
    )
    return {
        "line and alternatives": explorer_like(),
        "small multiples with claims": panels.small_multiples(
            headline, "Sector", SOURCES, claims=claims
        ),
        "forecast panels": market_panels(),
        "bounds chart": charts.bounds_chart(shares, "Shares", SOURCES, x_title="%"),
        "bar chart": charts.bar_chart(bars, "Salaries", SOURCES, x_title="£"),
    }


@pytest.mark.parametrize("name", list(every_builder()))
def test_rule_1_a_bound_never_wears_an_exact_figures_marker(name):
    """In every builder, a bound's marker (or bar fill) is one no exact figure of the chart
    uses, and every point carries its qualifier for a reader's checks."""
    spec = spec_of(every_builder()[name])
    assert figures.symbol_problems(spec) == []
    qualifiers = {q for t in spec["data"] for q in t["customdata"] if q}
    assert qualifiers & figures.BOUND_QUALIFIERS, "the sample has bounds"
    assert qualifiers & {"exact"}, "and exact figures"


def test_rule_1_the_check_itself_catches_a_bound_drawn_as_an_exact_figure():
    spec = spec_of(explorer_like())
    line = next(t for t in spec["data"] if t["name"] == "UK")
    line["marker"]["symbol"] = ["circle"] * len(line["y"])
    assert figures.symbol_problems(spec) == ["marker 'circle' is used by bounds and exact figures"]


def test_rule_1_forecast_bounds_get_bound_markers_not_plain_open_circles():
    spec = spec_of(market_panels())
    symbols = {
        (q, s)
        for t in spec["data"]
        for q, s in zip(t["customdata"], t["marker"]["symbol"], strict=True)
        if q
    }
    assert ("more_than", "circle-open") not in symbols
    assert ("more_than", "triangle-up-dot") in symbols  # "more than $500bn", a forecast


def test_rule_1_another_sources_figure_is_drawn_under_the_series_it_gives_way_to():
    """The explorer's 2022 bound is no longer hidden under a diamond: alternatives go first
    (drawn underneath) and bounds among them keep a bound's marker."""
    fig = explorer_like()
    assert [t.name for t in fig.data] == ["UK: other figures", "UK"]
    assert list(fig.data[0].marker.symbol) == ["triangle-up-open-dot", "diamond-open"]
    assert [r["series"] for r in figures.drawn_rows(fig)][:3] == ["UK"] * 3
    figures.check_points(fig)  # rows still follow their trace


def test_rule_2_a_derived_range_is_drawn_from_its_lower_to_its_upper_end():
    shares = every_builder()["bounds chart"]
    ranged = next(t for t in shares.to_dict()["data"] if t["name"].startswith("range"))
    assert list(ranged["y"]) == ["Rest"]
    assert ranged["base"] == [17.0] and list(ranged["x"]) == [8.0]  # 17–25%, not 0–25%
    assert ranged["marker"]["pattern"]["shape"] == "/"
    assert [r["figure"] for r in figures.drawn_rows(shares) if r["category"] == "Rest"] == [
        "at most 25%"
    ]


def exports():
    return rows(
        dict(year=2016, value=4.3),
        dict(year=2017, value=4.8),
        dict(year=2018, value=5.2),
        dict(year=2019, value=7.2, caveat=METHOD),
        dict(year=2020, value=7.95, caveat=METHOD),
    )


def test_rule_3_a_line_breaks_at_a_change_of_method_and_says_so():
    fig = charts.line_chart(exports(), "Exports", SOURCES, y_title="£ billion")
    (trace,) = fig.to_dict()["data"]
    assert list(trace["y"]) == [4.3, 4.8, 5.2, None, 7.2, 7.95]
    (line,) = [s for s in fig.to_dict()["layout"]["shapes"]]
    assert line["x0"] == line["x1"] == 2018.5
    (label,) = fig.to_dict()["layout"]["annotations"]
    assert label["text"] == "change of method"
    # inside the plot area, below its top edge: above it is where a panel's title is printed
    assert (label["y"], label["yanchor"], label["yref"]) == (1, "top", "y domain")


def test_rule_3_a_method_change_is_found_from_a_flag_column_or_the_caveat():
    flagged = exports().assign(caveat="", method_break=[False, False, False, True, False])
    assert figures.method_breaks(flagged) == [2019]
    assert figures.method_breaks(exports()) == [2019]
    assert figures.method_breaks(exports().assign(caveat="")) == []
    assert figures.after_method_change({"caveat": "the DIT statistics changed method in 2020"})
    assert not figures.after_method_change({"caveat": "A different method of counting firms."})


def test_rule_3_panels_break_too():
    fig = panels.small_multiples({"Exports": exports()}, "Exports", SOURCES)
    assert list(fig.data[0].y) == [4.3, 4.8, 5.2, None, 7.2, 7.95]
    assert [a.text for a in fig.layout.annotations].count("change of method") == 1
    narrow = charts.mimebundle(fig)[FIGURE_MIME]["narrow"]["annotations"]
    assert [a["text"] for a in narrow].count("change of method") == 1, "kept on a phone"


def test_rule_4_a_line_leaves_a_gap_at_a_missing_year():
    employment = rows(
        dict(year=2019, value=42.9), dict(year=2020, value=46.7), dict(year=2022, value=58.0)
    )
    for fig in (
        charts.line_chart(employment, "Jobs", SOURCES, y_title="thousand"),
        panels.small_multiples({"Jobs": employment}, "Jobs", SOURCES),
    ):
        trace = fig.to_dict()["data"][0]
        assert list(trace["x"]) == [2019, 2020, 2021, 2022]
        assert list(trace["y"]) == [42.9, 46.7, None, 58.0]
        figures.check_points(fig)  # the gap is no point: the CSV keeps three rows


def test_rule_5_panels_of_one_measure_share_one_scale():
    spec = market_panels().to_dict()["layout"]
    ranges = {tuple(spec[k]["range"]) for k in spec if k.startswith("yaxis")}
    assert ranges == {(0, 500.0 * 1.08)}
    assert market_panels().layout.meta["ukc_narrow"]["yaxis"]["range"] == [0, 540.0]


def test_rule_5_panels_of_different_measures_keep_their_own_scales():
    by_measure = {
        "Firms": rows(dict(year=2020, value=1483.0, unit="firms", scale="one")),
        "Revenue": rows(dict(year=2020, value=8.9)),
    }
    layout = panels.small_multiples(by_measure, "Sector", SOURCES).to_dict()["layout"]
    assert all("range" not in layout[k] for k in layout if k.startswith("yaxis"))


def test_rule_6_series_of_one_figure_each_become_one_dot_plot():
    fig = market_panels()
    layout = fig.to_dict()["layout"]
    titles = [a["text"] for a in layout["annotations"]]
    assert titles == ["Gartner", "Series with a single figure"]  # 2 panels, not 4
    dot_axis = next(
        k for k in layout if k.startswith("xaxis") and layout[k].get("type") == "category"
    )
    assert layout[dot_axis]["categoryarray"] == [
        "Scottish Government, 2023 (forecast)",
        "Paper, 2004",
        "Statista, 2023 (forecast)",
    ]
    assert {r["series"] for r in figures.drawn_rows(fig)} >= {"Paper: estimate"}
    figures.check_points(fig)


def test_rule_6_a_chart_of_single_figures_is_only_a_dot_plot():
    single = market()[market()["series"].isin(["b", "c", "d"])]
    fig = panels.forecast_panels(
        single,
        "Market",
        SOURCES,
        by="series",
        labels={"b": "B", "c": "C", "d": "D"},
        y_title="$ billion",
    )
    assert [a.text for a in fig.layout.annotations] == []
    assert len({t.xaxis for t in fig.data}) == 1


def test_rule_7_a_comparison_of_bars_compares_one_year_at_a_time():
    salaries = rows(
        dict(label="South (2021)", value=62.5, year=2021),
        dict(label="North (2021)", value=51.0, year=2021),
        dict(label="London (2022)", value=71.0, year=2022),
        dict(label="Wales (2022)", value=52.2, year=2022),
    )
    fig = charts.bar_chart(salaries, "Salaries", SOURCES, x_title="£", text=["a", "b", "c", "d"])
    spec = fig.to_dict()
    assert [list(t["y"]) for t in spec["data"]] == [["South", "North"], ["London", "Wales"]]
    assert [t["text"] for t in spec["data"]] == [["a", "b"], ["c", "d"]]
    assert [a["text"] for a in spec["layout"]["annotations"]] == ["In 2021", "In 2022"]
    assert spec["layout"]["xaxis"]["matches"] == "x2"  # one shared value scale
    assert len({t["yaxis"] for t in spec["data"]}) == 2
    one = charts.bar_chart(salaries, "Salaries", SOURCES, x_title="£", one_year=False)
    assert len(one.data) == 1


def test_every_chart_says_its_markers_in_words_under_it():
    info = charts.mimebundle(explorer_like())[FIGURE_MIME]
    assert info["key"] == [
        {
            "symbol": "triangle-up-open-dot",
            "words": "another source's lower bound for the same year",
        },
        {"symbol": "diamond-open", "words": "another source's exact figure for the same year"},
        {"symbol": "circle", "words": "exact figure"},
        {"symbol": "triangle-up", "words": "lower bound: more than this"},
    ]
    bars = charts.mimebundle(every_builder()["bounds chart"])[FIGURE_MIME]
    assert {
        "symbol": "hatch",
        "words": "hatched bar: a bound, or a range derived from bounds",
    } in bars["key"]


def test_every_caveat_of_a_chart_is_a_numbered_note_and_a_csv_column():
    fig = charts.line_chart(exports(), "Exports", SOURCES, y_title="£ billion", name="DIT")
    info = charts.mimebundle(fig)[FIGURE_MIME]
    assert info["notes"] == [{"number": 1, "text": METHOD, "applies_to": "DIT: 2019, 2020"}]
    assert "caveat" in info["columns"]
    assert [r["caveat"] for r in info["rows"]] == ["", "", "", METHOD, METHOD]
    assert "Note 1: " + METHOD in charts.mimebundle(fig)["text/plain"]
