"""Each cross-table check catches a deliberately broken copy of the data."""

from __future__ import annotations

import pytest
from helpers import edit_cell, find_row, read_rows, write_rows
from ukcyber.checks import CHECKS
from ukcyber.data import DataError, validate


def broken(folder) -> list[str]:
    with pytest.raises(DataError) as info:
        validate(folder, use_cache=False)
    return [str(p) for p in info.value.problems]


def test_real_data_passes_every_check():
    validate(use_cache=False)


def test_percent_out_of_range(data_copy):
    row = find_row(data_copy, "sector_statistics", metric="large_firms_share_of_revenue")
    line = edit_cell(data_copy, "sector_statistics", row, "value", "175")
    found = broken(data_copy)
    assert (
        f"sector_statistics.csv:{line}:value — found 175 percent, expected a value in 0–100"
        in found
    )


def test_negative_count(data_copy):
    row = find_row(data_copy, "sector_statistics", metric="active_firms")
    line = edit_cell(data_copy, "sector_statistics", row, "value", "-12")
    found = broken(data_copy)
    assert (
        f"sector_statistics.csv:{line}:value — found -12 firms, expected a count of 0 or more"
        in found
    )


def test_regional_shares_over_100(data_copy):
    row = find_row(data_copy, "regional", geography="Eight unnamed UK regions (each)")
    edit_cell(data_copy, "regional", row, "value", "4")
    found = broken(data_copy)
    assert any(
        "regional.csv:" in p
        and "shares of investment_share for 2023" in p
        and "summing to 107" in p
        for p in found
    ), found


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


def test_duplicate_observation(data_copy):
    path = data_copy / "sector_statistics.csv"
    header, rows = read_rows(path)
    copy = dict(rows[0], id="sec-test-dup")
    write_rows(path, header, rows + [copy])
    found = broken(data_copy)
    assert any(
        p.startswith(f"sector_statistics.csv:{len(rows) + 2}:metric — found the same")
        and "as line 2" in p
        for p in found
    ), found


def test_dangling_norm_reference(data_copy):
    line = edit_cell(data_copy, "norm_measures", 0, "norm_id", "13z")
    found = broken(data_copy)
    assert any(p.startswith(f"norm_measures.csv:{line}:") and "13z" in p for p in found), found


def test_unknown_metric_is_a_foreign_key_error(data_copy):
    line = edit_cell(data_copy, "regional", 0, "metric", "made_up_metric")
    found = broken(data_copy)
    assert any(p.startswith(f"regional.csv:{line}:") and "made_up_metric" in p for p in found)


def test_every_registered_check_is_exercised():
    tested = {
        "percent_range",
        "non_negative_counts",
        "shares_sum",
        "one_unit_per_metric",
        "unique_observations",
    }
    assert set(CHECKS) == tested
