"""The explorer dashboard, driven by setting widget values and reading the figure."""

from __future__ import annotations

import pandas as pd
import pytest
from helpers import add_geography, edit_cell, find_row
from ukcyber import dashboard
from ukcyber.data import load


def points(fig) -> list[int]:
    """The years drawn: a line's gaps (missing years, a method change) carry no figure."""
    return sorted(
        x for trace in fig.data for x, y in zip(trace.x, trace.y, strict=True) if y is not None
    )


@pytest.fixture
def revenue():
    box, parts = dashboard.explorer("sector_statistics", "revenue")
    return box, parts


def test_explorer_returns_box_and_parts(revenue):
    box, parts = revenue
    assert {"table", "metric", "geography", "years", "figure", "summary", "table_view"} <= set(
        parts
    )
    assert parts["figure"] in box.children and parts["table_view"] in box.children
    assert box.children.index(parts["table_view"]) > box.children.index(parts["figure"])
    assert parts["summary"] in box.children
    assert parts["table"].value == "sector_statistics"
    assert parts["metric"].value == "revenue"
    assert [value for _, value in parts["table"].options] == dashboard.FIGURE_TABLES


def test_explorer_draws_the_starting_metric(revenue):
    _, parts = revenue
    fig = parts["figure"]
    stats = load("sector_statistics")
    expected = stats[(stats["metric"] == "revenue") & stats["year"].notna()]
    assert len(fig.data) > 0
    assert points(fig) == sorted(int(y) for y in expected["year"])
    assert parts["geography"].value == "all"
    assert parts["geography"].options[0] == ("every place", "all")
    low, high = int(expected["year"].min()), int(expected["year"].max())
    assert parts["years"].value == (low, high)
    assert (parts["years"].min, parts["years"].max) == (low, high)
    metrics = load("metrics").set_index("metric")
    assert metrics.loc["revenue", "title"] == "Sector revenue (£bn)"
    assert fig.layout.title.text == "Sector revenue"  # the unit is said once, by the axis
    assert fig.layout.yaxis.title.text == "£ billion"
    assert fig.layout.xaxis.tickformat == "d"
    assert parts["summary"].value.startswith(f"<b>{len(expected)}</b> figures; latest: ")
    assert "Source: " in parts["summary"].value and "as reported by" in parts["summary"].value
    assert not any("_" in t.name for t in fig.data)


def test_changing_table_updates_metric_options_and_figure(revenue):
    _, parts = revenue
    before = [t.name for t in parts["figure"].data]
    parts["table"].value = "regional"
    regional = load("regional")
    options = [value for _, value in parts["metric"].options]
    assert options == [value for _, value in dashboard.metric_options(regional, load("metrics"))]
    assert "revenue" not in options
    assert parts["metric"].value == options[0]
    metric = parts["metric"].value
    rows = regional[(regional["metric"] == metric) & regional["year"].notna()]
    assert [v for _, v in parts["geography"].options] == ["all"] + sorted(
        rows["geography"].unique()
    )
    assert points(parts["figure"]) == sorted(int(y) for y in rows["year"])
    assert [t.name for t in parts["figure"].data] != before
    assert parts["summary"].value.startswith(f"<b>{len(rows)}</b> figures")


def test_choosing_a_geography_narrows_the_figure():
    _, parts = dashboard.explorer("regional", "active_firms")
    everywhere = points(parts["figure"])
    parts["geography"].value = "London"
    names = [t.name for t in parts["figure"].data]
    assert names and all(name.startswith("London (") for name in names)
    regional = load("regional")
    london = regional[
        (regional["metric"] == "active_firms")
        & (regional["geography"] == "London")
        & regional["year"].notna()
    ]
    assert points(parts["figure"]) == sorted(int(y) for y in london["year"])
    assert len(points(parts["figure"])) < len(everywhere)
    assert ", London). Source: " in parts["summary"].value


def test_narrowing_the_years_reduces_the_points(revenue):
    _, parts = revenue
    before = points(parts["figure"])
    low, high = parts["years"].value
    parts["years"].value = (low + 1, high - 1)
    after = points(parts["figure"])
    assert 0 < len(after) < len(before)
    assert after == [y for y in before if low + 1 <= y <= high - 1]
    assert parts["summary"].value.startswith(f"<b>{len(after)}</b> figures")


def test_changing_metric_resets_geography_and_years():
    _, parts = dashboard.explorer("regional", "active_firms")
    parts["geography"].value = "London"
    parts["metric"].value = "investment_share"
    assert parts["geography"].value == "all"
    regional = load("regional")
    rows = regional[(regional["metric"] == "investment_share") & regional["year"].notna()]
    assert parts["years"].value == (int(rows["year"].min()), int(rows["year"].max()))
    assert points(parts["figure"]) == sorted(int(y) for y in rows["year"])
    assert parts["figure"].layout.yaxis.title.text == "%"


def test_summary_escapes_text_from_the_data(data_copy):
    index = find_row(data_copy, "regional", id="reg-ref-045")  # latest active_firms row
    add_geography(data_copy, "<b>North</b> & <script>x</script>")
    edit_cell(data_copy, "regional", index, "geography", "<b>North</b> & <script>x</script>")
    _, parts = dashboard.explorer("regional", "active_firms")
    summary = parts["summary"].value
    assert "&lt;b&gt;North&lt;/b&gt; &amp; &lt;script&gt;x&lt;/script&gt;" in summary
    assert "<script" not in summary and "<b>North" not in summary
    assert summary.startswith("<b>")  # the dashboard's own markup stays


# --- the pure helpers, on hand-made frames ---------------------------------------------------


def hand_table() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "id": ["r1", "r2", "r3", "r4", "r5", "r6"],
            "metric": ["firms", "firms", "firms", "jobs", "jobs", "undated"],
            "value": [10.0, 20.0, 30.0, 1.0, 2.0, 5.0],
            "qualifier": ["exact", "more_than", "exact", "exact", "less_than", "exact"],
            "unit": ["firms", "firms", "firms", "people", "people", "firms"],
            "scale": ["one"] * 6,
            "year": [2020, 2021, 2021, 2020, 2022, None],
            "geography": ["<b>Bold</b>", "Wales", "<b>Bold</b>", "Wales", "Wales", "Wales"],
            "source_id": ["s1", "s1", "s2", "s1", "s1", "s1"],
            "locator": ["l1", "l2", "l3", "l4", "l5", "l6"],
            "as_printed": ["10", "20+", "30", "1", "<2", "5"],
        }
    )
    frame["year"] = frame["year"].astype("Int64")
    return frame


METRICS = pd.DataFrame({"metric": ["firms", "undated"], "title": ["Active firms", "Undated"]})


def test_metric_options_counts_dated_rows_most_first():
    assert dashboard.metric_options(hand_table(), METRICS) == [
        ("Active firms (3 figures)", "firms"),
        ("jobs (2 figures)", "jobs"),
    ]


def test_selection_filters_metric_geography_and_years():
    table = hand_table()
    assert dashboard.selection(table, "firms", "all", (2020, 2021))["id"].tolist() == [
        "r1",
        "r2",
        "r3",
    ]
    assert dashboard.selection(table, "firms", "<b>Bold</b>", (2020, 2022))["id"].tolist() == [
        "r1",
        "r3",
    ]
    assert dashboard.selection(table, "firms", "all", (2021, 2021))["id"].tolist() == ["r2", "r3"]
    assert dashboard.selection(table, "undated", "all", (2000, 2100)).empty
    assert dashboard.selection(table, "jobs", "Scotland", (2000, 2100)).empty


SOURCES = pd.DataFrame(
    {
        "source_id": ["s1", "s2"],
        "title": ["Paper one: long", "Two"],
        "date": ["2023-09", ""],
        "kind": ["think_tank_paper", "other"],
    }
)


def test_traces_join_preferred_figures_and_mark_the_others_beside_them():
    table = hand_table().assign(preferred=[True, True, False, True, True, True])
    rows = dashboard.selection(table, "firms", "all", (2020, 2022))
    out = dashboard.traces(rows, SOURCES)
    # the other figures are drawn first, under the series they sit beside, in its colour
    assert [(t.name, t.mode, list(t.x), list(t.y)) for t in out] == [
        ("<b>Bold</b>: other figures", "markers", [2021], [30.0]),
        ("<b>Bold</b>", "lines+markers", [2020], [10.0]),
        ("Wales", "lines+markers", [2021], [20.0]),
    ]
    assert out[0].line.color == out[1].line.color != out[2].line.color
    assert list(out[0].marker.symbol) == ["diamond-open"]
    assert list(out[2].marker.symbol) == ["triangle-up"]  # a bound, drawn by the chart kit
    assert "Paper one (September 2023)" in out[1].hovertext[0]
    assert "Two" in out[0].hovertext[0]


def test_a_series_column_or_regional_evidence_keeps_rows_of_one_place_apart():
    table = hand_table().assign(
        preferred=True, evidence=["official", "official", "cluster_study"] + ["official"] * 3
    )
    rows = dashboard.selection(table, "firms", "all", (2020, 2022))
    names = [name for name, _, _ in dashboard.series_groups(rows, SOURCES)]
    assert names == ["<b>Bold</b> (cluster study)", "<b>Bold</b> (official)", "Wales (official)"]
    market = hand_table().assign(
        preferred=True,
        series=["a", "c", "b", "a", "a", "a"],
        provider=["Gartner", "not stated", "not stated", "Gartner", "Gartner", "Gartner"],
    )
    rows = dashboard.selection(market, "firms", "all", (2020, 2022))
    groups = dashboard.series_groups(rows, SOURCES)
    assert [(n, line["id"].tolist()) for n, line, _ in groups] == [
        ("<b>Bold</b> (Gartner)", ["r1"]),
        ("<b>Bold</b> (provider not stated (quoted in Two))", ["r3"]),
        ("Wales (provider not stated (quoted in Paper one))", ["r2"]),
    ]


def test_switching_back_to_a_table_with_the_same_first_metric_redraws():
    box, parts = dashboard.explorer("sector_statistics", "revenue")
    parts["table"].value = "regional"
    parts["table"].value = "sector_statistics"
    stats = load("sector_statistics")
    first = dashboard.metric_options(stats, load("metrics"))[0][1]  # the metric with most rows
    firms = stats[(stats["metric"] == first) & stats["year"].notna()]
    assert parts["metric"].value == first
    assert [v for _, v in parts["geography"].options] == [
        "all",
        *sorted(firms["geography"].unique()),
    ]
    assert points(parts["figure"]) == sorted(int(y) for y in firms["year"])
    latest_year = int(firms["year"].max())
    assert parts["summary"].value.startswith(f"<b>{len(firms)}</b> figures; latest: ")
    assert f"({latest_year}, " in parts["summary"].value


# --- reader words, readouts, the selection's table and CSV, the address ----------------------


def test_controls_use_reader_names_for_tables_and_metrics(revenue):
    _, parts = revenue
    titles = dict((v, k) for k, v in parts["table"].options)
    assert titles["sector_statistics"] == "UK cyber sector statistics"
    assert titles["regional"] == "Regional concentration"
    labels = [label for label, _ in parts["metric"].options]
    assert "Sector revenue (13 figures)" in labels
    assert not any("_" in label or "(£" in label for label in labels)


def test_the_year_readout_shows_both_years_in_full(revenue):
    _, parts = revenue
    assert parts["years"].readout is False  # the slider's own readout is cut at 4 digits
    assert parts["years_readout"].value == "2017 – 2024"
    parts["years"].value = (2019, 2022)
    assert parts["years_readout"].value == "2019 – 2022"


def test_the_selection_table_lists_every_figure_with_linked_sources(revenue):
    _, parts = revenue
    parts["geography"].value = "UK"
    html = parts["table_view"].value
    stats = load("sector_statistics")
    rows = stats[
        (stats["metric"] == "revenue") & (stats["geography"] == "UK") & stats["year"].notna()
    ]
    assert html.count("<tr>") == len(rows) + 1  # header and one row per figure
    assert 'href="https://' in html and "Sector revenue: every figure of this selection" in html
    assert f"Download these {len(rows)} figures (CSV)" in html
    assert 'download="ukcyber-revenue-uk-2017-2024.csv"' in html


def test_the_csv_holds_the_rows_of_the_selection_with_sources():
    import csv
    import io

    stats = load("sector_statistics")
    rows = dashboard.selection(stats, "revenue", "UK", (2019, 2021))
    text = dashboard.selection_csv(rows, "Sector revenue")
    records = list(csv.DictReader(io.StringIO(text)))
    assert [r["period"] for r in records] == [str(p) for p in rows["period"]]
    assert list(records[0]) == dashboard.CSV_COLUMNS
    assert all(r["citation"] and r["figure"] and r["title"] == "Sector revenue" for r in records)


def test_an_empty_selection_says_so():
    assert dashboard.selection_table(hand_table().iloc[0:0], "X", "x.csv") == (
        "<p>No figures for this selection.</p>"
    )


def test_the_address_follows_the_selection(revenue):
    _, parts = revenue
    assert (
        parts["address"].query
        == "table=sector_statistics&metric=revenue&where=all&from=2017&to=2024"
    )
    parts["geography"].value = "UK"
    parts["years"].value = (2020, 2022)
    assert (
        parts["address"].query
        == "table=sector_statistics&metric=revenue&where=UK&from=2020&to=2022"
    )


def test_an_address_reopens_its_selection():
    query = "table=regional&metric=active_firms&where=Wales&from=2022&to=2024"
    _, parts = dashboard.explorer("sector_statistics", "revenue", query=query)
    assert (parts["table"].value, parts["metric"].value) == ("regional", "active_firms")
    assert parts["geography"].value == "Wales" and parts["years"].value == (2022, 2024)
    assert parts["address"].query == query
    assert {t.name.split(" (")[0] for t in parts["figure"].data} == {"Wales"}


@pytest.mark.parametrize(
    "query",
    ["table=nope&metric=zzz", "table=regional&metric=zzz", "table=regional&where=Atlantis&from=x"],
)
def test_an_address_naming_nothing_valid_falls_back_to_the_defaults(query):
    _, parts = dashboard.explorer("sector_statistics", "revenue", query=query)
    assert parts["metric"].value is not None and len(parts["figure"].data) > 0
    assert parts["geography"].value == "all"


def test_voila_passes_the_address_in_the_environment(monkeypatch):
    monkeypatch.setenv("QUERY_STRING", "table=regional&metric=investment_share")
    _, parts = dashboard.explorer("sector_statistics", "revenue")
    assert parts["metric"].value == "investment_share"
    assert dashboard.requested("a=1&b=2&b=3") == {"a": "1", "b": "3"}
