"""Analysis helpers: growth, CAGR, headline series, shares, gaps, selection and counting."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from ukcyber.analysis import (
    alternatives,
    cagr,
    concentration_index,
    count_by,
    gap,
    growth,
    headline_series,
    mentions,
    period_cagr,
    select,
    share_bounds,
    unaccounted_share,
    window,
)
from ukcyber.data import split_list
from ukcyber.errors import ParameterError

FIGURE_COLUMNS = [
    "id",
    "metric",
    "value",
    "qualifier",
    "unit",
    "scale",
    "period",
    "year",
    "geography",
    "basis",
    "edition",
    "source_id",
    "locator",
    "section",
    "as_printed",
]


def yearly(values: dict[int, float]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "year": pd.array(list(values), dtype="Int64"),
            "value": [float(v) for v in values.values()],
        }
    )


def figure_rows(*rows: dict) -> pd.DataFrame:
    """A figure table built by hand; unspecified columns get plain defaults."""
    defaults = {
        "metric": "revenue",
        "qualifier": "exact",
        "unit": "GBP",
        "scale": "billion",
        "geography": "UK",
        "basis": "observed",
        "edition": "",
        "source_id": "dsit_stats",
        "locator": "line 1",
        "section": "",
        "as_printed": "",
    }
    records = []
    for row in rows:
        record = {**defaults, **row}
        record.setdefault("period", str(record["year"]))
        records.append(record)
    frame = pd.DataFrame(records)[FIGURE_COLUMNS]
    frame["year"] = frame["year"].astype("Int64")
    return frame


SOURCES = pd.DataFrame(
    {
        "source_id": ["dsit_stats", "press_stats", "think_tank", "cluster"],
        "title": ["Sectoral Analysis", "Press report", "Think-tank paper", "Cluster study"],
        "date": ["2024-05", "2023-01", "2023-09", "2022"],
        "kind": [
            "official_statistics",
            "press_report_of_official_statistics",
            "think_tank_paper",
            "cluster_study",
        ],
    }
)


# --- growth, cagr, window, period_cagr ----------------------------------------------------


def test_growth_adds_change_and_year_on_year_percent():
    out = growth(yearly({2020: 100, 2021: 110, 2022: 99}))
    assert out["change"].tolist()[1:] == pytest.approx([10.0, -11.0])
    assert out["growth_pct"].tolist()[1:] == pytest.approx([10.0, -10.0])
    assert pd.isna(out["change"].iloc[0]) and pd.isna(out["growth_pct"].iloc[0])


def test_growth_is_annualised_across_a_gap_of_years():
    # 100 -> 121 over two years is 10% a year, not 21%.
    out = growth(yearly({2017: 100, 2019: 121, 2020: 133.1}))
    assert out["change"].tolist()[1:] == pytest.approx([21.0, 12.1])
    assert out["growth_pct"].tolist()[1:] == pytest.approx([10.0, 10.0])


def test_growth_sorts_by_year_and_keeps_other_columns():
    frame = yearly({2022: 150, 2020: 100, 2021: 120})
    frame["label"] = ["c", "a", "b"]
    out = growth(frame)
    assert out["year"].tolist() == [2020, 2021, 2022]
    assert out["label"].tolist() == ["a", "b", "c"]
    assert out.index.tolist() == [0, 1, 2]
    assert out["growth_pct"].tolist()[1:] == pytest.approx([20.0, 25.0])
    assert "growth_pct" not in frame.columns


def test_growth_with_custom_column_names():
    frame = pd.DataFrame({"yr": [2001, 2002], "amount": [50.0, 75.0]})
    out = growth(frame, value="amount", year="yr")
    assert out["change"].iloc[1] == 25.0
    assert out["growth_pct"].iloc[1] == pytest.approx(50.0)


@pytest.mark.parametrize(
    ("first", "last", "years", "expected"),
    [
        (100, 121, 2, 10.0),
        (100, 100, 5, 0.0),
        (200, 100, 1, -50.0),
        (1, 8, 3, 100.0),
        (100, 110, 0.5, 21.0),
    ],
)
def test_cagr_values(first, last, years, expected):
    assert cagr(first, last, years) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("first", "last", "years", "message"),
    [
        (100, 121, 0, "positive number of years, got 0"),
        (100, 121, -2, "positive number of years, got -2"),
        (0, 121, 2, "positive values, got 0 and 121"),
        (100, -5, 2, "positive values, got 100 and -5"),
        (-1, -1, 1, "positive values"),
    ],
)
def test_cagr_rejects_non_positive_years_or_values(first, last, years, message):
    with pytest.raises(ValueError, match=message):
        cagr(first, last, years)


def test_window_is_inclusive_on_both_ends():
    series = yearly({2017: 1, 2018: 2, 2019: 3, 2020: 4, 2021: 5})
    assert window(series, 2018, 2020)["year"].tolist() == [2018, 2019, 2020]
    assert window(series, 2019, 2019)["value"].tolist() == [3.0]
    assert window(series, 2022, 2030).empty


def test_period_cagr_uses_first_and_last_years_in_order():
    series = yearly({2020: 133.1, 2017: 100, 2019: 121})
    assert period_cagr(series) == pytest.approx(10.0)


def test_period_cagr_needs_two_rows():
    assert period_cagr(yearly({2020: 5})) is None
    assert period_cagr(yearly({})) is None


# --- headline_series -------------------------------------------------------------------------


def headline_table() -> pd.DataFrame:
    return figure_rows(
        # 2019: only a think-tank figure.
        dict(id="a1", year=2019, value=8.0, source_id="think_tank"),
        # 2020: official bound beats a think-tank exact figure.
        dict(id="b1", year=2020, value=9.9, source_id="think_tank"),
        dict(id="b2", year=2020, value=9.0, qualifier="more_than", source_id="dsit_stats"),
        # 2021: among official rows, exact beats a bound; "approximately" counts as exact.
        dict(id="c1", year=2021, value=10.0, qualifier="at_least", source_id="dsit_stats"),
        dict(id="c2", year=2021, value=10.5, qualifier="approximately", source_id="press_stats"),
        # 2022: the later edition restates the year.
        dict(id="d1", year=2022, value=11.0, edition="Cyber Security Sectoral Analysis 2022"),
        dict(id="d2", year=2022, value=11.2, edition="Cyber Security Sectoral Analysis 2023"),
        # 2023: a year-end period is a single year.
        dict(id="e1", year=2023, value=12.0, period="2023 (year-end)"),
        # Excluded: ranges, cumulative totals, other places, forecasts, other metrics.
        dict(id="x1", year=2024, value=50.0, period="2021-2024"),
        dict(id="x2", year=2024, value=60.0, period="2016-2024 cumulative"),
        dict(id="x3", year=2024, value=5.0, geography="London"),
        dict(id="x4", year=2030, value=20.0, basis="forecast"),
        dict(id="x5", year=2024, value=70.0, metric="employment"),
        dict(id="x6", year=2019, value=99.0, period="2019-2020", source_id="dsit_stats"),
    )


def test_headline_series_picks_the_best_evidenced_figure_per_year():
    best = headline_series(headline_table(), "revenue", SOURCES)
    assert best["year"].tolist() == [2019, 2020, 2021, 2022, 2023]
    assert best["id"].tolist() == ["a1", "b2", "c2", "d2", "e1"]
    assert best["value"].tolist() == [8.0, 9.0, 10.5, 11.2, 12.0]
    assert best.index.tolist() == list(range(5))
    assert list(best.columns) == FIGURE_COLUMNS


def test_headline_series_prefers_exact_over_bounds_from_the_same_kind():
    table = figure_rows(
        dict(id="z1", year=2020, value=9.0, qualifier="less_than", source_id="think_tank"),
        dict(id="z2", year=2020, value=8.5, source_id="cluster"),
    )
    assert headline_series(table, "revenue", SOURCES)["id"].tolist() == ["z2"]


def test_headline_series_breaks_full_ties_by_id():
    table = figure_rows(
        dict(id="t2", year=2020, value=2.0),
        dict(id="t1", year=2020, value=1.0),
    )
    assert headline_series(table, "revenue", SOURCES)["id"].tolist() == ["t1"]


def test_headline_series_for_another_geography():
    best = headline_series(headline_table(), "revenue", SOURCES, geography="London")
    assert best["id"].tolist() == ["x3"]


def test_headline_series_empty_when_nothing_matches():
    assert headline_series(headline_table(), "no_such_metric", SOURCES).empty
    assert headline_series(headline_table(), "revenue", SOURCES, geography="Mars").empty


def test_headline_series_ignores_rows_without_a_year():
    table = figure_rows(dict(id="n1", year=2020, value=3.0), dict(id="n2", year=2021, value=4.0))
    table.loc[1, "year"] = pd.NA
    assert headline_series(table, "revenue", SOURCES)["id"].tolist() == ["n1"]


def with_preferred(table: pd.DataFrame, preferred: dict[str, bool]) -> pd.DataFrame:
    """The table with ``preferred`` and ``not_preferred_because`` columns (True unless listed)."""
    out = table.copy()
    out["preferred"] = pd.array([preferred.get(i, True) for i in out["id"]], dtype="boolean")
    out["not_preferred_because"] = ["" if p else "testing" for p in out["preferred"]]
    return out


def test_headline_series_follows_the_preferred_flag():
    # The curators prefer the think-tank figure for 2020 and the earlier edition for 2022,
    # against what the ranking alone would pick (b2 and d2).
    table = with_preferred(headline_table(), {"b2": False, "d2": False, "c1": False, "c2": True})
    best = headline_series(table, "revenue", SOURCES)
    assert best["id"].tolist() == ["a1", "b1", "c2", "d1", "e1"]
    assert "preferred" in best.columns


def test_headline_series_ranks_ties_between_preferred_rows():
    # Two preferred rows for one year with different period texts: the ranking decides.
    table = with_preferred(
        figure_rows(
            dict(id="p1", year=2019, value=1.0, period="2019", source_id="think_tank"),
            dict(id="p2", year=2019, value=1.2, period="2019 (year-end)"),
        ),
        {},
    )
    assert headline_series(table, "revenue", SOURCES)["id"].tolist() == ["p2"]


def test_headline_series_empty_when_nothing_is_preferred():
    table = with_preferred(figure_rows(dict(id="q1", year=2020, value=1.0)), {"q1": False})
    assert headline_series(table, "revenue", SOURCES).empty


def test_alternatives_name_the_row_they_give_way_to():
    table = with_preferred(headline_table(), {"b1": False, "c1": False, "d1": False})
    alt = alternatives(table, "revenue")
    assert alt["id"].tolist() == ["b1", "c1", "d1"]
    assert alt["preferred_id"].tolist() == ["b2", "c2", "d2"]
    assert set(alt["id"]).isdisjoint(headline_series(table, "revenue", SOURCES)["id"])
    assert alternatives(table, "revenue", geography="London").empty


def test_alternatives_on_the_real_data():
    from ukcyber.data import load

    stats = load("sector_statistics")
    alt = alternatives(stats, "active_firms")
    assert ("sec-ref-041", "sec-000-04") in set(zip(alt["id"], alt["preferred_id"], strict=True))
    assert (alt["not_preferred_because"] != "").all()
    series = headline_series(stats, "active_firms", load("sources"))
    assert 2024 in set(series["year"])  # the 2025 edition's count (press report) is in the data


# --- shares ----------------------------------------------------------------------------------


def test_concentration_index():
    assert concentration_index(pd.Series([100.0])) == pytest.approx(10_000)
    assert concentration_index(pd.Series([50.0, 50.0])) == pytest.approx(5_000)
    assert concentration_index(pd.Series([25.0] * 4)) == pytest.approx(2_500)
    assert concentration_index(pd.Series([75.0, 25.0])) == pytest.approx(6_250)
    assert isinstance(concentration_index(pd.Series([10.0])), float)


def share_rows() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "geography": ["London and the South East", "Eight unnamed UK regions (each)"],
            "value": [75.0, 1.0],
            "qualifier": ["exact", "less_than"],
            "n_regions": pd.array([1, 8], dtype="Int64"),
        }
    )


def test_share_bounds_honours_qualifier_and_n_regions():
    out = share_bounds(share_rows())
    assert out["lower_each"].tolist() == [75.0, 0.0]
    assert out["upper_each"].tolist() == [75.0, 1.0]
    assert out["lower_total"].tolist() == [75.0, 0.0]
    assert out["upper_total"].tolist() == [75.0, 8.0]


def test_share_bounds_lower_bounds_and_clipping():
    rows = pd.DataFrame(
        {
            "value": [40.0, 30.0, 20.0, 10.0],
            "qualifier": ["more_than", "at_least", "at_most", "approximately"],
            "n_regions": pd.array([1, 3, 2, pd.NA], dtype="Int64"),
        }
    )
    out = share_bounds(rows)
    assert out["lower_each"].tolist() == [40.0, 30.0, 0.0, 10.0]
    assert out["upper_each"].tolist() == [100.0, 100.0, 20.0, 10.0]
    assert out["lower_total"].tolist() == [40.0, 90.0, 0.0, 10.0]
    # Group totals never exceed 100%; a missing n_regions counts as one region.
    assert out["upper_total"].tolist() == [100.0, 100.0, 40.0, 10.0]


def test_share_bounds_without_n_regions_column_counts_one_region_each():
    rows = pd.DataFrame({"value": [5.0, 2.0], "qualifier": ["exact", "less_than"]})
    out = share_bounds(rows)
    assert out["upper_total"].tolist() == [5.0, 2.0]
    assert out["lower_total"].tolist() == [5.0, 0.0]
    assert "lower_each" not in rows.columns


def test_unaccounted_share_eight_small_regions_and_one_exact():
    low, high = unaccounted_share(share_rows())
    assert (low, high) == pytest.approx((17.0, 25.0))


def test_unaccounted_share_never_negative():
    rows = pd.DataFrame(
        {"value": [60.0, 50.0], "qualifier": ["exact", "more_than"], "n_regions": [1, 1]}
    )
    assert unaccounted_share(rows) == (0.0, 0.0)


def test_gap_absolute_and_relative():
    assert gap(12.0, 10.0) == pytest.approx({"absolute": 2.0, "relative_pct": 20.0})
    assert gap(5.0, 10.0) == pytest.approx({"absolute": -5.0, "relative_pct": -50.0})
    zero = gap(3.0, 0.0)
    assert zero["absolute"] == 3.0 and math.isnan(zero["relative_pct"])


# --- select, mentions, split_list, count_by -------------------------------------------------


def people() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "region": ["London", "Wales", "London", "Scotland"],
            "kind": ["a", "a", "b", "b"],
            "value": [1, 2, 3, 4],
        }
    )


def test_select_filters_on_every_criterion():
    table = people()
    assert select(table, region="London")["value"].tolist() == [1, 3]
    assert select(table, region="London", kind="b")["value"].tolist() == [3]
    assert select(table, region="Wales", kind="b").empty


def test_select_all_means_no_filter():
    table = people()
    assert select(table, region="all")["value"].tolist() == [1, 2, 3, 4]
    assert select(table, region="all", kind="a")["value"].tolist() == [1, 2]
    assert select(table)["value"].tolist() == [1, 2, 3, 4]


def test_select_unknown_value_names_column_and_lists_valid_values():
    with pytest.raises(ParameterError) as info:
        select(people(), region="Atlantis")
    message = str(info.value)
    assert "region='Atlantis'" in message
    assert "valid values: London, Scotland, Wales" in message


def test_select_unknown_column_is_a_key_error():
    with pytest.raises(KeyError, match="column 'country' not in table; columns: region, kind"):
        select(people(), country="UK")


def test_split_list():
    assert split_list("United States; Japan") == ["United States", "Japan"]
    assert split_list(" France ;; Germany ; ") == ["France", "Germany"]
    assert split_list("") == []
    assert split_list("Japan") == ["Japan"]


def test_mentions_matches_whole_entries_in_any_column():
    table = pd.DataFrame(
        {
            "comparator_countries": ["United States; Japan", "", "France", "Japanese firms"],
            "partner_countries": ["", "Japan", "", "United States"],
        }
    )
    cols = ["comparator_countries", "partner_countries"]
    assert mentions(table, cols, "Japan").index.tolist() == [0, 1]
    assert mentions(table, cols, "United States").index.tolist() == [0, 3]
    assert mentions(table, cols, "States").empty
    assert mentions(table, ["comparator_countries"], "Japan").index.tolist() == [0]


def test_count_by_splits_lists_and_sorts_by_count_then_name():
    table = pd.DataFrame({"countries": ["Japan; France", "France", "", "Canada ; France; Japan"]})
    out = count_by(table, "countries", split=True)
    assert list(out.columns) == ["countries", "count"]
    assert out["countries"].tolist() == ["France", "Japan", "Canada"]
    assert out["count"].tolist() == [3, 2, 1]
    assert out.index.tolist() == [0, 1, 2]


def test_count_by_without_split_counts_whole_cells():
    table = pd.DataFrame({"theme": ["b", "a", "b", "c", "a; b"]})
    out = count_by(table, "theme")
    assert out["theme"].tolist() == ["b", "a", "a; b", "c"]
    assert out["count"].tolist() == [2, 1, 1, 1]


def test_select_filters_numeric_columns_and_rejects_missing_values():
    from ukcyber.data import load

    regional = load("regional")
    rows = select(regional, year=2023)
    assert len(rows) == int((regional["year"] == 2023).sum()) > 0
    with pytest.raises(ParameterError, match=r"year=1999 is not valid; valid values: .*2023"):
        select(regional, year=1999)


# --- bounds, ties, derived rows and comparisons ------------------------------------------------

from ukcyber import analysis as _a  # noqa: E402


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("exact", "exact", "exact"),
        ("approximately", "exact", "approximately"),
        ("more_than", "exact", "less_than"),  # more than £3.7bn then: growth at most what it seems
        ("at_least", "exact", "at_most"),
        ("exact", "more_than", "more_than"),
        ("less_than", "exact", "more_than"),
        ("exact", "at_most", "at_most"),
        ("more_than", "less_than", "less_than"),  # both pull the same way
        ("more_than", "more_than", None),  # pull both ways: unknown
        ("less_than", "at_least", "more_than"),
        ("exact", "unheard_of", None),
    ],
)
def test_growth_from_a_bound_is_a_bound_in_the_right_direction(first, last, expected):
    assert _a.derived_qualifier(first, last) == expected


def bounded(*points):
    return pd.DataFrame(
        [
            {"year": y, "value": v, "qualifier": q, "unit": "GBP", "scale": "billion"}
            for y, v, q in points
        ]
    )


def test_bounded_cagr_states_a_bound_as_a_bound():
    g = _a.bounded_cagr(bounded((2019, 3.7, "more_than"), (2024, 7.8, "exact")))
    assert g.qualifier == "less_than" and g.years == 5
    assert g.words() == "less than 16.1%"
    exact = _a.bounded_cagr(bounded((2017, 5.7, "exact"), (2024, 13.2, "exact")))
    assert exact.words() == "12.7%"
    assert _a.bounded_cagr(bounded((2019, 3.7, "more_than"), (2024, 7.8, "more_than"))) is None
    assert _a.bounded_cagr(bounded((2019, 3.7, "exact"))) is None


def test_most_common_returns_every_tied_value():
    table = pd.DataFrame({"instrument": ["funding", "skills", "funding", "skills", "other"]})
    assert _a.most_common(table, "instrument") == (["funding", "skills"], 2)
    assert _a.most_common(table.iloc[:1], "instrument") == (["funding"], 1)
    assert _a.most_common(table.iloc[:0], "instrument") == ([], 0)


def test_rest_of_uk_is_a_derived_range():
    shares = pd.DataFrame(
        {
            "geography": ["London and the South East", "Eight regions"],
            "value": [75.0, 1.0],
            "qualifier": ["exact", "less_than"],
            "n_regions": [1, 8],
            "source_id": ["s", "s"],
            "locator": ["line 1", "line 2"],
            "as_printed": ["75%", "less than 1%"],
        }
    )
    (row,) = _a.rest_of_uk(shares).to_dict("records")
    assert (row["lower"], row["value"], row["qualifier"]) == (17.0, 25.0, "at_most")
    assert row["as_printed"] == "between 17% and 25% (derived)" and row["locator"] == "derived"


def salaries():
    return pd.DataFrame(
        {
            "geography": ["London", "Wales", "South", "North", "Scotland"],
            "year": [2023, 2023, 2021, 2021, 2019],
            "value": [71000.0, 52200.0, 62500.0, 51000.0, 40000.0],
            "qualifier": ["exact"] * 5,
        }
    )


def test_comparisons_come_from_the_data_not_from_named_regions():
    gaps = _a.top_gaps(salaries())
    assert [(g.higher["geography"], g.lower["geography"], g.year) for g in gaps] == [
        ("South", "North", 2021),
        ("London", "Wales", 2023),
    ]
    assert gaps[1].absolute == 18800 and round(gaps[1].relative_pct, 1) == 36.0
    renamed = salaries().replace({"London": "Greater London"})
    assert _a.top_gaps(renamed)[1].higher["geography"] == "Greater London"


def test_a_comparison_that_cannot_be_made_is_said_not_dropped():
    wales = _a.region_gap(salaries(), "Wales")
    assert (wales.higher["geography"], wales.lower["geography"]) == ("London", "Wales")
    assert _a.region_gap(salaries(), "Belfast") == (
        "No figure for Belfast in these sources, so no comparison with other regions."
    )
    assert "No other region has a 2019 figure" in _a.region_gap(salaries(), "Scotland")


def test_mention_counts_list_every_kind_with_zeros():
    partners = pd.DataFrame({"relation": ["partner", "partner"], "source_id": ["a", "b"]})
    recs = pd.DataFrame({"source_id": []})
    out = _a.mention_counts(partners, recs)
    assert out["count"].tolist() == [2, 0, 0]
    assert out["source_ids"].tolist() == [["a", "b"], [], []]


def test_series_labels_never_show_ids_and_stay_distinct():
    rows = pd.DataFrame(
        {
            "series": ["x_ref5", "x_ref6", "gartner_spend"],
            "provider": ["not stated", "not stated", "Gartner"],
            "metric": ["m", "m", "spend"],
            "source_id": ["paper", "paper", "paper"],
            "year": [2004, 2030, 2020],
        }
    )
    titles = pd.Series({"m": "Market size ($bn)", "spend": "Spending ($bn)"})
    sources = pd.DataFrame({"source_id": ["paper"], "title": ["White paper: trade"]})
    labels = _a.series_labels(rows, titles, sources, common="Market size")
    assert labels == {
        "x_ref5": "provider not stated (quoted in White paper), 2004",
        "x_ref6": "provider not stated (quoted in White paper), 2030",
        "gartner_spend": "Spending, Gartner",
    }


def test_series_labels_of_one_provider_over_the_same_years_fall_back_to_numbers():
    rows = pd.DataFrame(
        {"series": ["a", "b"], "provider": ["X", "X"], "metric": ["m", "m"], "year": [2020, 2020]}
    )
    rows["source_id"] = "paper"
    sources = pd.DataFrame({"source_id": ["paper"], "title": ["Paper"]})
    labels = _a.series_labels(rows, pd.Series({"m": "Size"}), sources, common="Size")
    assert labels == {"a": "X, 2020", "b": "X, 2020, series 2"}
