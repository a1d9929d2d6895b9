"""Each cross-table check catches a deliberately broken copy of the data.

A test marked ``@catches("name")`` breaks a copy of the data and asserts the exact message; the
decorator then checks that the named check itself reports a problem on that copy, and
``test_every_registered_check_has_a_test_that_it_catches`` requires one such test per check.
"""

from __future__ import annotations

import functools

import pytest
from helpers import edit_cell, find_row, read_rows, write_rows
from ukcyber.checks import CHECKS
from ukcyber.data import DataError, typed_tables, validate

CAUGHT: dict[str, list[str]] = {}
"""Check name → the tests that show it catching a broken copy."""


def catches(name: str):
    """Mark a test as breaking the data so that check ``name`` must report it."""

    def wrap(test):
        CAUGHT.setdefault(name, []).append(test.__name__)

        @functools.wraps(test)
        def run(data_copy):
            test(data_copy)
            problems = CHECKS[name](*typed_tables(data_copy))
            assert problems, f"check {name} reported nothing on the copy broken by {test.__name__}"

        return run

    return wrap


def broken(folder) -> list[str]:
    with pytest.raises(DataError) as info:
        validate(folder, use_cache=False)
    return [str(p) for p in info.value.problems]


def test_real_data_passes_every_check():
    validate(use_cache=False)


@catches("cumulative_periods")
def test_cumulative_total_in_an_annual_metric(data_copy):
    """sec-ref-015, the 2016-2019 total, once sat beside the single years of its metric."""
    index, line = line_of(data_copy, "sector_statistics", id="sec-ref-015")
    edit_cell(data_copy, "sector_statistics", index, "metric", "external_investment")
    first = line_of(data_copy, "sector_statistics", id="sec-ref-014")[1]
    (problem,) = [p for p in broken(data_copy) if ":metric — " in p]
    assert problem.startswith(
        f"sector_statistics.csv:{line}:metric — found '2016-2019 cumulative', a cumulative total "
        f"in external_investment, whose rows at lines {first}, "
    )
    assert problem.endswith(
        "are for one period each, expected a metric of its own for the cumulative total (such as "
        "<metric>_cumulative)"
    )


@catches("dating_rule")
def test_publication_year_as_data_year_is_flagged_inferred(data_copy):
    """reg-ref-034 once dated an undated Welsh firm count by its article's year, not flagged."""
    index, line = line_of(data_copy, "regional", id="reg-ref-034")
    edit_cell(data_copy, "regional", index, "period_inferred", "false")
    assert broken(data_copy) == [
        f"regional.csv:{line}:period_inferred — found false for period '2022 (publication year; "
        "data year not stated)', expected true: a publication year standing in for the data year "
        "is an inference"
    ]


@catches("percent_range")
def test_percent_out_of_range(data_copy):
    row = find_row(data_copy, "sector_statistics", metric="large_firms_share_of_revenue")
    line = edit_cell(data_copy, "sector_statistics", row, "value", "175")
    found = broken(data_copy)
    assert (
        f"sector_statistics.csv:{line}:value — found 175 percent, expected a value in 0–100"
        in found
    )


@catches("non_negative_counts")
def test_negative_count(data_copy):
    row = find_row(data_copy, "sector_statistics", metric="active_firms")
    line = edit_cell(data_copy, "sector_statistics", row, "value", "-12")
    found = broken(data_copy)
    assert (
        f"sector_statistics.csv:{line}:value — found -12 firms, expected a count of 0 or more"
        in found
    )


@catches("shares_sum")
def test_regional_shares_over_100(data_copy):
    row = find_row(data_copy, "regional", geography="Eight unnamed UK regions (each)")
    edit_cell(data_copy, "regional", row, "value", "4")
    found = broken(data_copy)
    assert any(
        "regional.csv:" in p
        and "shares of investment_share for 2022" in p
        and "summing to 107" in p
        for p in found
    ), found


@catches("one_unit_per_metric")
def test_unit_mismatch(data_copy):
    row = find_row(data_copy, "sector_statistics", metric="revenue")
    line = edit_cell(data_copy, "sector_statistics", row, "unit", "USD")
    found = broken(data_copy)
    assert any(
        p.startswith(f"sector_statistics.csv:{line}:unit — found 'USD', expected 'GBP'")
        for p in found
    )


def test_scale_mismatch(data_copy):
    row = find_row(data_copy, "exports_and_market", metric="cyber_exports")
    line = edit_cell(data_copy, "exports_and_market", row, "scale", "million")
    found = broken(data_copy)
    assert any(
        p.startswith(f"exports_and_market.csv:{line}:scale — found 'million'") for p in found
    )


def line_of(folder, table: str, **match) -> tuple[int, int]:
    """(row index, CSV line) of the first row matching ``match``."""
    index = find_row(folder, table, **match)
    return index, index + 2


# --- preferred rows -------------------------------------------------------------------------


@catches("preferred_rows")
def test_duplicate_observation_needs_one_preferred_row(data_copy):
    path = data_copy / "sector_statistics.csv"
    header, rows = read_rows(path)
    first = find_row(data_copy, "sector_statistics", id="sec-000-03")
    write_rows(path, header, rows + [dict(rows[first], id="sec-test-dup")])
    found = broken(data_copy)
    assert (
        f"sector_statistics.csv:{len(rows) + 2}:preferred — found a second preferred row for the "
        f"same metric/period/geography as line {first + 2}, expected one preferred row; the others "
        "false with not_preferred_because"
    ) in found


def test_observation_without_a_preferred_row(data_copy):
    index, line = line_of(data_copy, "sector_statistics", id="sec-000-03")
    edit_cell(data_copy, "sector_statistics", index, "preferred", "false")
    edit_cell(data_copy, "sector_statistics", index, "not_preferred_because", "testing")
    found = broken(data_copy)
    assert (
        f"sector_statistics.csv:{line}:preferred — found no preferred row among lines {line} "
        "(same metric/period/geography), expected exactly one"
    ) in found


def test_non_preferred_row_says_why(data_copy):
    index, line = line_of(data_copy, "sector_statistics", id="sec-ref-041")
    edit_cell(data_copy, "sector_statistics", index, "not_preferred_because", "")
    found = broken(data_copy)
    assert (
        f"sector_statistics.csv:{line}:not_preferred_because — found an empty reason on a row "
        "that is not preferred, expected why not"
    ) in found


def test_preferred_row_has_no_reason(data_copy):
    index, line = line_of(data_copy, "regional", id="reg-ref-043")
    edit_cell(data_copy, "regional", index, "not_preferred_because", "old")
    found = broken(data_copy)
    assert (
        f"regional.csv:{line}:not_preferred_because — found 'old' on a preferred row, expected empty"
    ) in found


def test_two_preferred_index_ranks(data_copy):
    index, line = line_of(data_copy, "cyber_power_rankings", id="cpr-000-01")
    first = find_row(data_copy, "cyber_power_rankings", id="cpr-ref-019") + 2
    edit_cell(data_copy, "cyber_power_rankings", index, "preferred", "true")
    edit_cell(data_copy, "cyber_power_rankings", index, "not_preferred_because", "")
    found = broken(data_copy)
    assert any(
        p.startswith(f"cyber_power_rankings.csv:{max(line, first)}:preferred — found a second")
        and "index_name/edition/country" in p
        for p in found
    ), found


# --- repeats --------------------------------------------------------------------------------


@catches("repeats")
def test_repeat_must_name_an_existing_first_mention(data_copy):
    index, line = line_of(data_copy, "sector_statistics", id="sec-000-15")
    edit_cell(data_copy, "sector_statistics", index, "repeat_of", "sec-000-99")
    found = broken(data_copy)
    assert (
        f"sector_statistics.csv:{line}:repeat_of — found 'sec-000-99', expected the id of another "
        "row of the same table"
    ) in found


def test_repeat_gives_the_same_figure(data_copy):
    index, line = line_of(data_copy, "sector_statistics", id="sec-000-15")
    edit_cell(data_copy, "sector_statistics", index, "value", "101")
    found = broken(data_copy)
    assert (
        f"sector_statistics.csv:{line}:value — found 101, but its first mention sec-000-21 has "
        "100, expected the same figure"
    ) in found


def test_repeat_note_names_the_first_mention(data_copy):
    index, line = line_of(data_copy, "norm_measures", id="nm-004-09")
    edit_cell(data_copy, "norm_measures", index, "note", "the same funding again")
    found = broken(data_copy)
    assert (
        f"norm_measures.csv:{line}:note — found a note that does not name the first mention, "
        "expected a note naming nm-004-02"
    ) in found


def test_repeat_is_never_preferred(data_copy):
    index, line = line_of(data_copy, "technology_sector", id="tec-002-05")
    first = find_row(data_copy, "technology_sector", id="tec-002-04")
    edit_cell(data_copy, "technology_sector", first, "preferred", "false")
    edit_cell(data_copy, "technology_sector", first, "not_preferred_because", "testing")
    edit_cell(data_copy, "technology_sector", index, "preferred", "true")
    edit_cell(data_copy, "technology_sector", index, "not_preferred_because", "")
    found = broken(data_copy)
    assert (
        f"technology_sector.csv:{line}:preferred — found true on a repeat, expected false: the "
        "first mention (tec-002-04) is the row to use"
    ) in found


def test_repeated_recommendation_in_another_document(data_copy):
    index, line = line_of(data_copy, "recommendations", id="rec-000-66")
    edit_cell(data_copy, "recommendations", index, "repeat_of", "rec-001-01")
    found = broken(data_copy)
    assert (
        f"recommendations.csv:{line}:repeat_of — found a repeat of rec-001-01, which cites "
        "di_cyber_exports, expected a first mention in the same document (cybersecuronomics_2023)"
    ) in found


# --- dating ---------------------------------------------------------------------------------


def test_year_is_the_last_year_of_the_period(data_copy):
    index, line = line_of(data_copy, "sector_statistics", id="sec-ref-001")
    edit_cell(data_copy, "sector_statistics", index, "year", "2018")
    found = broken(data_copy)
    assert (
        f"sector_statistics.csv:{line}:year — found 2018, expected 2017, the last year of period "
        "'2017'"
    ) in found


def test_year_blank_when_the_period_names_none(data_copy):
    index, line = line_of(data_copy, "sector_statistics", id="sec-000-11")
    edit_cell(data_copy, "sector_statistics", index, "year", "2023")
    found = broken(data_copy)
    assert (
        f"sector_statistics.csv:{line}:year — found 2023 for period 'not stated', expected blank "
        "(the period names no year)"
    ) in found


@catches("dating_rule")
def test_an_edition_reports_the_previous_year(data_copy):
    index, line = line_of(data_copy, "regional", id="reg-000-02")
    edit_cell(data_copy, "regional", index, "period", "2023")
    edit_cell(data_copy, "regional", index, "year", "2023")
    found = broken(data_copy)
    assert (
        f"regional.csv:{line}:period — found data year 2023 in 'Cyber Security Sectoral Analysis "
        "2023', expected a year before 2023: an edition reports the previous year's data"
    ) in found


def test_observed_data_year_not_after_publication(data_copy):
    index, line = line_of(data_copy, "technology_sector", id="sec-002-17")
    edit_cell(data_copy, "technology_sector", index, "period", "2024")
    edit_cell(data_copy, "technology_sector", index, "year", "2024")
    found = broken(data_copy)
    assert (
        f"technology_sector.csv:{line}:period — found data year 2024 after its publication year "
        "2023 (its_2023), expected a data year no later than the publication, or basis "
        "forecast/target"
    ) in found


def test_inferred_year_says_so_in_the_note(data_copy):
    index, line = line_of(data_copy, "regional", id="reg-000-05")
    edit_cell(data_copy, "regional", index, "note", "Mean advertised salary in London.")
    found = broken(data_copy)
    assert (
        f"regional.csv:{line}:note — found a note that does not mention the inference, expected a "
        "note saying what the year is inferred from (period_inferred is true)"
    ) in found


def test_inferred_ranking_edition_says_so_in_the_note(data_copy):
    index, line = line_of(data_copy, "cyber_power_rankings", id="cpr-000-03")
    edit_cell(data_copy, "cyber_power_rankings", index, "note", "The UK fell a place.")
    found = broken(data_copy)
    assert (
        f"cyber_power_rankings.csv:{line}:note — found a note that does not mention the "
        "inference, expected a note saying what the year is inferred from (edition_inferred is "
        "true)"
    ) in found


# --- spans, calendar years, evidence ---------------------------------------------------------


@catches("change_spans")
def test_change_metric_spans_its_declared_years(data_copy):
    index, line = line_of(data_copy, "sector_statistics", id="sec-ref-005")
    edit_cell(data_copy, "sector_statistics", index, "period", "2018-2019")
    found = broken(data_copy)
    assert (
        f"sector_statistics.csv:{line}:period — found '2018-2019', a 1-year change, expected a "
        "2-year period, the span metrics.csv gives employment_growth_two_years"
    ) in found


def test_change_metric_must_declare_a_span(data_copy):
    index = find_row(data_copy, "metrics", metric="employment_growth")
    edit_cell(data_copy, "metrics", index, "span_years", "")
    _, line = line_of(data_copy, "sector_statistics", id="sec-ref-032")
    found = broken(data_copy)
    assert (
        f"sector_statistics.csv:{line}:metric — found 'employment_growth', a change metric with "
        "no span_years, expected a span_years in metrics.csv for every change metric with dated "
        "rows"
    ) in found


@catches("calendar_years")
def test_calendar_year_value_is_the_rows_year(data_copy):
    index, line = line_of(data_copy, "sector_statistics", id="sec-000-23")
    edit_cell(data_copy, "sector_statistics", index, "value", "2026")
    found = broken(data_copy)
    assert (
        f"sector_statistics.csv:{line}:value — found 2026 for a calendar year in period '2025', "
        "expected the row's year (durations use the unit years)"
    ) in found


@catches("evidence_matches_source")
def test_second_hand_figures_are_not_official(data_copy):
    index, line = line_of(data_copy, "regional", id="reg-000-04")
    edit_cell(data_copy, "regional", index, "evidence", "official")
    found = broken(data_copy)
    assert (
        f"regional.csv:{line}:evidence — found 'official' from a think_tank_paper source "
        "(cybersecuronomics_2023), expected an official publication (or a copy of one); "
        "'press_report_of_official' for a press or blog relay, 'cited_official' for a paper "
        "citing official figures"
    ) in found


@catches("evidence_matches_source")
def test_press_relays_of_official_figures_are_not_official(data_copy):
    index, line = line_of(data_copy, "regional", id="reg-ref-006")
    edit_cell(data_copy, "regional", index, "evidence", "official")
    found = broken(data_copy)
    assert (
        f"regional.csv:{line}:evidence — found 'official' from a "
        "press_report_of_official_statistics source (ref_itpro_2020), expected an official "
        "publication (or a copy of one); 'press_report_of_official' for a press or blog relay, "
        "'cited_official' for a paper citing official figures"
    ) in found


@catches("evidence_matches_source")
def test_an_official_publication_is_not_a_press_report(data_copy):
    index, line = line_of(data_copy, "regional", id="reg-off-031")
    edit_cell(data_copy, "regional", index, "evidence", "press_report_of_official")
    found = broken(data_copy)
    assert (
        f"regional.csv:{line}:evidence — found 'press_report_of_official' from a "
        "copy_of_official_report source (off_written_answer_2025_07), expected a press report of "
        "official statistics; 'official' for an official publication itself"
    ) in found


@catches("confirmed_by")
def test_confirming_row_gives_the_same_observation(data_copy):
    index, line = line_of(data_copy, "sector_statistics", id="sec-ref-018")
    edit_cell(data_copy, "sector_statistics", index, "confirmed_by", "sec-off-022")
    found = broken(data_copy)
    assert (
        f"sector_statistics.csv:{line}:confirmed_by — found sec-off-022, which has metric "
        "'revenue', expected a row of the same metric/period/geography"
    ) in found


@catches("confirmed_by")
def test_confirming_row_exists(data_copy):
    index, line = line_of(data_copy, "sector_statistics", id="sec-ref-020")
    edit_cell(data_copy, "sector_statistics", index, "confirmed_by", "sec-off-999")
    found = broken(data_copy)
    assert (
        f"sector_statistics.csv:{line}:confirmed_by — found 'sec-off-999', not another row of "
        "sector_statistics.csv, expected the id of an official row of the same table"
    ) in found


@catches("confirmed_by")
def test_confirming_row_is_official(data_copy):
    index, line = line_of(data_copy, "sector_statistics", id="sec-off-023")
    edit_cell(data_copy, "sector_statistics", index, "source_id", "ref_itpro_2021")
    found = broken(data_copy)
    cited_line = line_of(data_copy, "sector_statistics", id="sec-ref-020")[1]
    assert (
        f"sector_statistics.csv:{cited_line}:confirmed_by — found sec-off-023, which cites a "
        "press_report_of_official_statistics source (ref_itpro_2021), expected a row citing an "
        "official publication"
    ) in found


# --- geographies, exclusions, ranks ----------------------------------------------------------


def test_geography_must_be_listed(data_copy):
    index, line = line_of(data_copy, "regional", id="reg-ref-045")
    edit_cell(data_copy, "regional", index, "geography", "Atlantis")
    found = broken(data_copy)
    assert (
        f"regional.csv:{line}:geography — found 'Atlantis', expected a name present in "
        "geographies.csv"
    ) in found


def test_grouping_members_are_geographies(data_copy):
    index, line = line_of(data_copy, "geographies", name="London and the South East")
    edit_cell(data_copy, "geographies", index, "members", "London; Atlantis")
    found = broken(data_copy)
    assert (
        f"geographies.csv:{line}:members — found 'Atlantis', expected names present in "
        "geographies.csv"
    ) in found


@catches("geography_members")
def test_geography_parents_do_not_loop(data_copy):
    index, line = line_of(data_copy, "geographies", name="England")
    edit_cell(data_copy, "geographies", index, "parent", "London")
    found = broken(data_copy)
    assert (
        f"geographies.csv:{line}:parent — found a parent chain that loops back to 'England', "
        "expected a chain ending at World"
    ) in found


@catches("excluded_lines")
def test_excluded_row_is_not_cited(data_copy):
    index, line = line_of(data_copy, "excluded", reference_line="59")
    _, cited = line_of(data_copy, "sector_statistics", id="sec-ref-058")
    edit_cell(data_copy, "excluded", index, "reference_line", "47")
    found = broken(data_copy)
    assert (
        f"excluded.csv:{line}:scope — found 'row' for public_figures line 47, which "
        f"sector_statistics.csv:{cited} cites, expected 'part'"
    ) in found


@catches("excluded_lines")
def test_excluded_official_line_is_not_cited(data_copy):
    index, line = line_of(
        data_copy, "excluded", reference_file="official_figures", reference_line="108"
    )
    _, cited = line_of(data_copy, "sector_statistics", id="sec-off-007")
    edit_cell(data_copy, "excluded", index, "reference_line", "7")
    found = broken(data_copy)
    assert (
        f"excluded.csv:{line}:scope — found 'row' for official_figures line 7, which "
        f"sector_statistics.csv:{cited} cites, expected 'part'"
    ) in found


def test_excluded_part_is_of_a_cited_line(data_copy):
    index, line = line_of(data_copy, "excluded", reference_line="36")
    edit_cell(data_copy, "excluded", index, "scope", "part")
    found = broken(data_copy)
    assert (
        f"excluded.csv:{line}:scope — found 'part' for public_figures line 36, which no row cites, "
        "expected 'row'"
    ) in found


@catches("ranks_given")
def test_ranking_row_gives_a_rank_or_a_change(data_copy):
    index, line = line_of(data_copy, "cyber_power_rankings", id="cpr-000-03")
    edit_cell(data_copy, "cyber_power_rankings", index, "rank_change", "")
    found = broken(data_copy)
    assert (
        f"cyber_power_rankings.csv:{line}:rank — found neither a rank nor a rank change, expected "
        "a rank, a rank change or both"
    ) in found


def test_dangling_norm_reference(data_copy):
    line = edit_cell(data_copy, "norm_measures", 0, "norm_id", "13z")
    found = broken(data_copy)
    assert any(p.startswith(f"norm_measures.csv:{line}:") and "13z" in p for p in found), found


def test_unknown_metric_is_a_foreign_key_error(data_copy):
    line = edit_cell(data_copy, "regional", 0, "metric", "made_up_metric")
    found = broken(data_copy)
    assert any(p.startswith(f"regional.csv:{line}:") and "made_up_metric" in p for p in found)


def test_every_registered_check_has_a_test_that_it_catches():
    missing = sorted(set(CHECKS) - set(CAUGHT))
    assert not missing, f"no test shows these checks catching a broken copy: {missing}"
    assert set(CAUGHT) <= set(CHECKS)


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_each_check_passes_the_real_data(name):
    assert CHECKS[name](*typed_tables()) == []


@catches("distinct_citations")
def test_two_sources_cannot_print_the_same_citation(data_copy):
    first = find_row(data_copy, "sources", source_id="ref_itpro_2021")
    second = find_row(data_copy, "sources", source_id="ref_itpro_2022")
    _, rows = read_rows(data_copy / "sources.csv")
    edit_cell(data_copy, "sources", second, "date", rows[first]["date"])
    found = broken(data_copy)
    assert (
        f"sources.csv:{second + 2}:short_title — found 'ITPro' dated {rows[first]['date']}, as on "
        f"line {first + 2}, expected a short title and date that tell this source apart from "
        "the others"
    ) in found


# --- the print check: value, scale, qualifier and derivation agree with as_printed -----------


@catches("printed_figures")
def test_percentage_stored_times_ten(data_copy):
    index, line = line_of(data_copy, "sector_statistics", id="sec-000-03")
    edit_cell(data_copy, "sector_statistics", index, "value", "141")
    assert (
        f"sector_statistics.csv:{line}:value — found 141 percent_change, expected the number "
        "printed in '14.1%' (14.1, to within ±0.05)"
    ) in broken(data_copy)


@catches("printed_figures")
def test_bound_stored_a_tenth_of_its_print(data_copy):
    index, line = line_of(data_copy, "sector_statistics", id="sec-ref-044")
    edit_cell(data_copy, "sector_statistics", index, "value", "530")
    assert (
        f"sector_statistics.csv:{line}:value — found 530 people, expected the number "
        "printed in 'over 5,300' (5300, to within ±0.5)"
    ) in broken(data_copy)


@catches("printed_figures")
def test_scale_one_step_up(data_copy):
    index, line = line_of(data_copy, "sector_statistics", id="sec-ref-012")
    edit_cell(data_copy, "sector_statistics", index, "scale", "trillion")
    assert (
        f"sector_statistics.csv:{line}:scale — found 'trillion', expected 'billion', the scale "
        "printed in 'more than £3.7 billion'"
    ) in broken(data_copy)


@catches("printed_figures")
def test_printed_bound_stored_as_exact(data_copy):
    index, line = line_of(data_copy, "sector_statistics", id="sec-ref-044")
    edit_cell(data_copy, "sector_statistics", index, "qualifier", "exact")
    assert (
        f"sector_statistics.csv:{line}:qualifier — found 'exact', expected 'more_than', as the "
        "wording of 'over 5,300' gives"
    ) in broken(data_copy)


@catches("printed_figures")
def test_plain_print_stored_as_a_bound(data_copy):
    index, line = line_of(data_copy, "sector_statistics", id="sec-000-04")
    edit_cell(data_copy, "sector_statistics", index, "qualifier", "more_than")
    assert (
        f"sector_statistics.csv:{line}:qualifier — found 'more_than', expected 'exact', as the "
        "wording of '1,979' gives"
    ) in broken(data_copy)


@catches("printed_figures")
def test_wrong_derivation(data_copy):
    index, line = line_of(data_copy, "sector_statistics", id="sec-000-20")
    edit_cell(data_copy, "sector_statistics", index, "derivation", "sec-000-03 / 3")
    assert (
        f"sector_statistics.csv:{line}:derivation — found 'sec-000-03 / 3' = 4.7, expected the "
        "row's value 7.05 percent_change (to within ±0.005)"
    ) in broken(data_copy)


@catches("printed_figures")
def test_derivation_naming_an_unknown_row(data_copy):
    index, line = line_of(data_copy, "exports_and_market", id="exm-001-08")
    edit_cell(data_copy, "exports_and_market", index, "derivation", "exm-001-99 * 2")
    assert (
        f"exports_and_market.csv:{line}:derivation — found 'exm-001-99 * 2' with an unknown row "
        "'exm-001-99', expected arithmetic over row ids, numbers, + - * / and ( )"
    ) in broken(data_copy)


@catches("printed_figures")
def test_derivation_outside_the_grammar(data_copy):
    index, line = line_of(data_copy, "sector_statistics", id="sec-000-13")
    edit_cell(data_copy, "sector_statistics", index, "derivation", "__import__('os')")
    found = broken(data_copy)
    assert any(
        p.startswith(f"sector_statistics.csv:{line}:derivation — found \"__import__('os')\" with")
        for p in found
    ), found


@catches("printed_figures")
def test_words_without_a_number_need_a_derivation(data_copy):
    index, line = line_of(data_copy, "sector_statistics", id="sec-000-13")
    edit_cell(data_copy, "sector_statistics", index, "derivation", "")
    assert (
        f"sector_statistics.csv:{line}:as_printed — found no number in 'doubled', expected a "
        "printed number, or a derivation saying how the value follows"
    ) in broken(data_copy)


@catches("printed_figures")
def test_printed_currency_is_the_unit(data_copy):
    index, line = line_of(data_copy, "exports_and_market", id="exm-001-02")
    edit_cell(data_copy, "exports_and_market", index, "unit", "GBP")
    assert (
        f"exports_and_market.csv:{line}:unit — found 'GBP', expected 'USD', the currency printed "
        "in '$3.5 billion'"
    ) in broken(data_copy)


def test_validate_cli_lists_print_problems_and_exits_2(data_copy, capsys):
    from ukcyber.cli import main

    index, line = line_of(data_copy, "sector_statistics", id="sec-000-03")
    edit_cell(data_copy, "sector_statistics", index, "value", "141")
    assert main(["validate"]) == 2
    printed = capsys.readouterr()
    assert f"sector_statistics.csv:{line}:value — found 141 percent_change" in (
        printed.out + printed.err
    )


@catches("printed_figures")
def test_derived_value_keeps_the_bound_its_words_give(data_copy):
    index, line = line_of(data_copy, "sector_statistics", id="sec-ref-062")
    edit_cell(data_copy, "sector_statistics", index, "qualifier", "exact")
    assert (
        f"sector_statistics.csv:{line}:qualifier — found 'exact', expected 'more_than', as the "
        "wording of 'more than twice the amount raised in 2019' gives"
    ) in broken(data_copy)


@catches("printed_figures")
def test_superlative_rank_is_one_at_scale_one(data_copy):
    index, line = line_of(data_copy, "technology_sector", id="tec-002-01")
    edit_cell(data_copy, "technology_sector", index, "value", "2")
    assert (
        f"technology_sector.csv:{line}:as_printed — found no number in 'the leader in Europe', "
        "expected a printed number, or a derivation saying how the value follows"
    ) in broken(data_copy)


@catches("printed_ranks")
def test_rank_agrees_with_its_print(data_copy):
    index, line = line_of(data_copy, "cyber_power_rankings", id="cpr-000-02")
    edit_cell(data_copy, "cyber_power_rankings", index, "rank", "5")
    assert (
        f"cyber_power_rankings.csv:{line}:rank — found 5, expected the rank or score printed in "
        "'3rd' (3)"
    ) in broken(data_copy)


@catches("printed_ranks")
def test_rank_change_agrees_with_its_print(data_copy):
    index, line = line_of(data_copy, "cyber_power_rankings", id="cpr-000-03")
    edit_cell(data_copy, "cyber_power_rankings", index, "rank_change", "-2")
    assert (
        f"cyber_power_rankings.csv:{line}:rank_change — found -2, expected the change printed in "
        "'dropped a place' ('a place' for one, else the number of places)"
    ) in broken(data_copy)
