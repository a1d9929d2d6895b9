"""Notebook parameter validation: choices, whole numbers, year ranges and 'all'."""

from __future__ import annotations

import pytest
from ukcyber.errors import ParameterError
from ukcyber.params import choice, integer, year_or_all, year_range

REGIONS = ["Wales", "London", "Scotland", "London"]
YEARS = [2019, 2017, 2020, 2018, 2022]


def test_parameter_error_is_a_value_error():
    assert issubclass(ParameterError, ValueError)


def test_choice_returns_a_valid_value():
    assert choice("region", "Wales", REGIONS) == "Wales"


def test_choice_invalid_value_lists_sorted_unique_valid_values():
    with pytest.raises(ParameterError) as info:
        choice("region", "Atlantis", REGIONS)
    assert str(info.value) == (
        "parameter region='Atlantis' is not valid; valid values: London, Scotland, Wales"
    )


def test_choice_is_case_sensitive():
    with pytest.raises(ParameterError, match="region='wales' is not valid"):
        choice("region", "wales", REGIONS)


@pytest.mark.parametrize(("value", "type_name"), [(3, "int"), (None, "NoneType"), (["W"], "list")])
def test_choice_non_text_names_the_type(value, type_name):
    with pytest.raises(ParameterError) as info:
        choice("region", value, REGIONS)
    message = str(info.value)
    assert f"parameter region={value!r} must be text (str), not {type_name}" in message
    assert message.endswith("valid values: London, Scotland, Wales")


def test_choice_compares_as_text():
    assert choice("year", "2020", [2019, 2020]) == "2020"


def test_choice_all_only_when_allowed():
    assert choice("region", "all", REGIONS, allow_all=True) == "all"
    with pytest.raises(ParameterError, match="valid values: London, Scotland, Wales$"):
        choice("region", "all", REGIONS)
    with pytest.raises(ParameterError, match="valid values: all, London, Scotland, Wales$"):
        choice("region", "Mars", REGIONS, allow_all=True)


def test_integer_accepts_whole_numbers_in_range():
    assert integer("n", 5, minimum=1, maximum=10) == 5
    assert integer("n", 1, minimum=1, maximum=10) == 1
    assert integer("n", 10, minimum=1, maximum=10) == 10


@pytest.mark.parametrize(("value", "type_name"), [(True, "bool"), (False, "bool"), (5.0, "float")])
def test_integer_rejects_bool_and_float(value, type_name):
    with pytest.raises(ParameterError) as info:
        integer("n", value, minimum=0, maximum=10)
    assert str(info.value) == (
        f"parameter n={value!r} must be a whole number (int), not {type_name}; valid range: 0–10"
    )


def test_integer_rejects_text():
    with pytest.raises(ParameterError, match="must be a whole number \\(int\\), not str"):
        integer("n", "5", minimum=0, maximum=10)


@pytest.mark.parametrize("value", [0, 11, -3])
def test_integer_out_of_range(value):
    with pytest.raises(ParameterError) as info:
        integer("n", value, minimum=1, maximum=10)
    assert str(info.value) == f"parameter n={value} is out of range; valid range: 1–10"


def test_year_range_valid():
    assert year_range(2017, 2022, YEARS) == (2017, 2022)
    assert year_range(2018, 2019, YEARS) == (2018, 2019)


@pytest.mark.parametrize(("start", "end"), [(2020, 2020), (2021, 2019)])
def test_year_range_start_must_be_before_end(start, end):
    with pytest.raises(ParameterError) as info:
        year_range(start, end, YEARS)
    assert str(info.value) == (
        f"parameter start_year={start} must be before end_year={end}; data cover 2017–2022"
    )


def test_year_range_outside_data_years():
    with pytest.raises(
        ParameterError, match="start_year=2016 is out of range; valid range: 2017–2022"
    ):
        year_range(2016, 2020, YEARS)
    with pytest.raises(
        ParameterError, match="end_year=2030 is out of range; valid range: 2017–2022"
    ):
        year_range(2018, 2030, YEARS)


def test_year_range_reads_years_as_numbers_but_parameters_must_be_int():
    assert year_range(2017, 2018, ["2017", "2018"]) == (2017, 2018)
    with pytest.raises(ParameterError, match="start_year='2017' must be a whole number"):
        year_range("2017", 2018, YEARS)


def test_year_or_all():
    assert year_or_all("year", "all", YEARS) == "all"
    assert year_or_all("year", 2019, YEARS) == 2019


@pytest.mark.parametrize("value", [2021, 2030, "2019", True, 2019.0, None, "All"])
def test_year_or_all_rejects_other_values_and_lists_years(value):
    with pytest.raises(ParameterError) as info:
        year_or_all("year", value, YEARS)
    assert str(info.value) == (
        f"parameter year={value!r} is not valid; valid values: all, 2017, 2018, 2019, 2020, 2022"
    )
