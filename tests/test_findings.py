"""What each report notebook finds and says (ukcyber.findings): computed once, worded once."""

from __future__ import annotations

import pytest
from helpers import edit_cell, find_row
from ukcyber.errors import ParameterError
from ukcyber.findings import (
    Chart,
    country,
    explore,
    exports,
    norms,
    recommendations,
    regional,
    sector,
)
from ukcyber.formatting import format_row
from ukcyber.mime import FIGURE_MIME, MAIN_POINTS_MIME


def point_texts(points) -> list[str]:
    return [p["html"] for p in points._repr_mimebundle_()[MAIN_POINTS_MIME]["points"]]


def brief_texts(brief) -> list[str]:
    return [t for _, texts in brief.to_json()["groups"] for t in texts]


# --- sector ----------------------------------------------------------------------------------


def test_sector_growth_of_each_measure_and_concentration():
    view = sector.overview(2017, 2024)
    texts = point_texts(sector.main_points(view))
    assert 1 <= len(texts) <= 5
    assert texts[0].startswith("Sector revenue: ")
    assert "compound growth of" in texts[0]
    assert set(view.series) == set(sector.HEADLINE)
    assert all(s["year"].between(2017, 2024).all() for s in view.series.values())


def test_sector_growth_from_a_bound_is_worded_as_a_bound(data_copy):
    view = sector.overview(2017, 2024)
    first = view.growth["revenue"].first
    line = find_row(data_copy, "sector_statistics", id=first["id"])
    edit_cell(data_copy, "sector_statistics", line, "qualifier", "more_than")
    edit_cell(
        data_copy, "sector_statistics", line, "as_printed", f"more than {first['as_printed']}"
    )
    texts = point_texts(sector.main_points(sector.overview(2017, 2024)))
    revenue = next(t for t in texts if t.startswith("Sector revenue"))
    assert "less than" in revenue and "(a bound, because a figure it rests on is one)" in revenue


def test_sector_one_year_window_states_no_rate():
    view = sector.overview(2023, 2024)
    texts = point_texts(sector.main_points(view))
    assert any("no growth rate can be stated for 2023–2024" in t for t in texts)


def test_sector_bad_years_are_parameter_errors():
    with pytest.raises(ParameterError, match="start_year=2024 must be before end_year=2020"):
        sector.overview(2024, 2020)
    with pytest.raises(ParameterError, match="must be a whole number"):
        sector.overview("2019", 2024)


def test_sector_concentration_worded_once_in_points_and_brief():
    view = sector.overview(2017, 2024)
    rows, values = sector.concentration(view)
    sentence = sector.CONCENTRATION.format(**values)
    assert sentence in point_texts(sector.main_points(view))
    assert sentence in brief_texts(sector.briefing(view))


def test_sector_chart_marks_policy_paper_figures():
    chart = sector.series_chart(sector.overview(2017, 2024))
    rows = chart._repr_mimebundle_()[FIGURE_MIME]["rows"]
    quoted = [r for r in rows if "quoted in a policy paper" in r["series"]]
    assert quoted and all(r["source_kind"] == "think-tank paper" for r in quoted)


# --- regional --------------------------------------------------------------------------------


def test_regional_uses_official_evidence_only_for_shares_and_salaries():
    view = regional.overview("Wales", "all")
    assert set(view.latest["evidence"]) <= set(regional.OFFICIAL_EVIDENCE)
    assert set(view.salaries["evidence"]) <= set(regional.OFFICIAL_EVIDENCE)
    assert view.rest["qualifier"].iloc[0] == "at_most"


def test_regional_gap_words_fill_every_salary_sentence():
    view = regional.overview("London", "all")
    g = view.gaps[0]
    values = regional.gap_words(g)
    assert values["high"] == g.higher["geography"] and values["gap"].startswith("£")
    texts = point_texts(regional.main_points(view))
    assert f"a gap of {values['gap']} a year" in " ".join(texts)


def test_regional_place_without_salary_says_so_in_points_and_brief():
    view = regional.overview("Belfast", "all")
    assert isinstance(view.own_gap, str)
    sentence = "No salary figure for Belfast in these sources, so no comparison with other regions."
    assert sentence in point_texts(regional.main_points(view))
    assert sentence in brief_texts(regional.briefing(view))


def test_regional_brief_lists_unknown_measures():
    texts = brief_texts(regional.briefing(regional.overview("Belfast", "all")))
    assert any(t.startswith("Not known from these sources for Belfast (city): ") for t in texts)


def test_regional_unknown_place_lists_valid_ones():
    with pytest.raises(ParameterError, match="region='Atlantis' is not valid; valid values: "):
        regional.overview("Atlantis", "all")


# --- country ---------------------------------------------------------------------------------


def test_country_rank_and_instrument_worded_once():
    view = country.overview("Japan")
    points, brief = point_texts(country.main_points(view)), brief_texts(country.briefing(view))
    for sentence in (country.rank_words(view), country.instrument_words(view)):
        assert sentence in points and sentence in brief
    assert country.rank_words(view).endswith("National Cyber Power Index 2020.")


def test_country_without_ranks_says_so_and_draws_no_rank_chart():
    view = country.overview("ASEAN")
    assert country.rank_chart(view) is None
    assert "These sources give no cyber power index rank for ASEAN." in point_texts(
        country.main_points(view)
    )
    assert isinstance(country.mentions_chart(view), Chart)


def test_country_rank_chart_draws_the_country_and_the_uk():
    chart = country.rank_chart(country.overview("Japan"))
    names = {t.name for t in chart.figure.data}
    assert names == {"Japan", "United Kingdom"}


# --- exports ---------------------------------------------------------------------------------


def test_exports_main_points_lead_with_the_government_series():
    view = exports.overview("all", "USD")
    texts = point_texts(exports.main_points(view))
    assert "(latest figure in these sources)." in texts[0]  # then its caveat, if it has one
    government = view.uk[view.uk["provider"].str.startswith(exports.GOVERNMENT)]
    assert len(texts) == government["series"].nunique() + 2


def test_exports_spread_worded_once_and_currency_kept_apart():
    view = exports.overview("all", "GBP")
    assert set(view.market["unit"]) == {"GBP"}
    template, _, values = exports._spread(view)
    sentence = template.format(**values)
    assert any(t.startswith(sentence) for t in point_texts(exports.main_points(view)))
    assert sentence in brief_texts(exports.briefing(view))


def test_exports_bad_currency():
    with pytest.raises(ParameterError, match="currency='BTC' is not valid; valid values: GBP, USD"):
        exports.overview("all", "BTC")


# --- norms -----------------------------------------------------------------------------------


def test_norms_silent_norms_named_in_points_and_brief():
    view = norms.overview("all")
    assert len(view.silent)
    words = norms.silent_words(view)
    assert words.startswith("it gives no figure for Norm ")
    assert "I" + words[1:] + "." in point_texts(norms.main_points(view))
    assert words in brief_texts(norms.briefing(view))[0]


def test_norms_detail_one_norm():
    view = norms.overview("13b")
    assert set(view.detail["norm_id"]) == {"13b"}
    assert len(point_texts(norms.main_points(view))) == 4


# --- recommendations -------------------------------------------------------------------------


def test_recommendations_nothing_matching_says_so_once_and_draws_nothing():
    view = recommendations.overview(
        theme="all", actor="UK government", instrument="standards", country="Nigeria"
    )
    assert view.chosen.empty
    assert point_texts(recommendations.main_points(view))[-1].startswith("No item matches")
    assert recommendations.instrument_chart(view) is None
    assert recommendations.document_chart(view) is None


def test_recommendations_filters_and_counts():
    view = recommendations.overview(instrument="funding")
    assert set(view.chosen["instrument"]) == {"funding"}
    texts = point_texts(recommendations.main_points(view))
    assert texts[1] == f"The most common policy instrument is funding ({len(view.chosen)} items)."


# --- explore ---------------------------------------------------------------------------------


def test_explore_points_earliest_and_latest():
    view = explore.overview("sector_statistics", "gva")
    texts = point_texts(explore.main_points(view))
    assert texts[0].startswith(f"{len(view.rows)} dated figures for sector gross value added")
    assert texts[1].startswith("Earliest: ") and texts[2].startswith("Latest: ")


def test_explore_earliest_is_the_preferred_figure_not_a_rounded_one():
    """2019 employment: the restated 'about 43,000' is not preferred; 43,000 must not be quoted."""
    view = explore.overview("sector_statistics", "employment")
    first = view.rows[view.rows["year"] == view.rows["year"].min()]
    assert not first["preferred"].all()  # the case this test is about is in the data
    texts = point_texts(explore.main_points(view))
    preferred = first[first["preferred"]].iloc[0]
    assert texts[1] == f"Earliest: {format_row(preferred)} in {int(preferred['year'])} (UK)."
    assert "43,000" not in texts[1]


def test_explore_latest_bound_keeps_its_bound():
    """A latest figure printed as a bound is quoted as one (active firms 2024: more than 2,165)."""
    view = explore.overview("sector_statistics", "active_firms")
    texts = point_texts(explore.main_points(view))
    assert texts[2] == "Latest: more than 2,165 firms in 2024 (UK)."


def test_explore_metric_must_have_dated_rows_in_the_table():
    with pytest.raises(ParameterError, match="metric='revenue' is not valid"):
        explore.overview("regional", "revenue")
