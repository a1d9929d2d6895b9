"""The print parser and the derivation grammar behind the ``printed_figures`` check."""

from __future__ import annotations

import pytest
from ukcyber.checks.derivation import DerivationError, evaluate, row_ids
from ukcyber.checks.prints import readings, wording_qualifiers

EXACT = frozenset({"exact"})


@pytest.mark.parametrize(
    ("text", "number", "tolerance", "qualifiers"),
    [
        ("1,979", 1979, 0.5, EXACT),
        ("14.1%", 14.1, 0.05, EXACT),
        ("£3.7 billion", 3.7e9, 0.05e9, EXACT),
        ("more than £3.7 billion", 3.7e9, 0.05e9, {"more_than"}),
        ("over 1,200", 1200, 0.5, {"more_than"}),
        ("just over 90", 90, 0.5, {"more_than"}),
        ("in excess of $500 billion", 500e9, 0.5e9, {"more_than"}),
        ("exceeded £1.1 billion", 1.1e9, 0.05e9, {"more_than"}),
        ("surpassed a valuation of $1 trillion", 1e12, 0.5e12, {"more_than"}),
        ("to top $1 trillion", 1e12, 0.5e12, {"more_than"}),
        ("almost 2,000", 2000, 0.5, {"approximately", "less_than"}),
        ("nearly $300 billion", 300e9, 0.5e9, {"approximately", "less_than"}),
        ("less than two per cent", 2, 0, {"less_than"}),
        ("around £27m", 27e6, 0.5e6, {"approximately"}),
        ("c.12,000", 12000, 0.5, {"approximately"}),
        ("~300", 300, 0.5, {"approximately"}),
        ("approximately USD 190.4 billion", 190.4e9, 0.05e9, {"approximately"}),
        ("up to 40", 40, 0.5, {"at_most"}),
        ("top three", 3, 0, {"at_most"}),
        ("fifty employees or more", 50, 0, {"at_least"}),
        ("ten or more years away", 10, 0, {"at_least"}),
        ("thousands in every car", 1000, 0, {"at_least"}),
        ("nineteen seconds", 19, 0, EXACT),
        ("twenty-five firms", 25, 0, EXACT),
        ("a dozen", 12, 0, EXACT),
        ("third-placed", 3, 0, EXACT),
        ("16th", 16, 0.5, EXACT),
        ("£821million", 821e6, 0.5e6, EXACT),
        ("£4.8Bn", 4.8e9, 0.05e9, EXACT),
        ("US$123.8bn", 123.8e9, 0.05e9, EXACT),
        ("$120b", 120e9, 0.5e9, EXACT),
        ("£760M", 760e6, 0.5e6, EXACT),
        ("12k", 12e3, 0.5e3, EXACT),
        ("$4tn", 4e12, 0.5e12, EXACT),
        ("a billion euros", 1e9, 0, EXACT),
        ("half a million", 0.5e6, 0, {"exact", "approximately"}),
        ("up a third", 1 / 3, 0, {"exact", "approximately"}),
        ("over half", 0.5, 0, {"more_than"}),
        ("1 in 20", 20, 0.5, EXACT),
        ("around 1 in 50", 50, 0.5, {"approximately"}),
        ("summer of 2019", 2019, 0.5, EXACT),
        ("Over the next ten years", 10, 0, EXACT),
    ],
)
def test_one_number_read_from_a_print(text, number, tolerance, qualifiers):
    (reading,) = readings(text)
    assert reading.number == pytest.approx(number)
    assert reading.tolerance == pytest.approx(tolerance)
    assert reading.qualifiers == frozenset(qualifiers)


@pytest.mark.parametrize(
    ("text", "currency", "percent"),
    [
        ("£3.96 billion", "GBP", False),
        ("$3.5 billion", "USD", False),
        ("US$14 billion", "USD", False),
        ("USD 298.5 billion", "USD", False),
        ("11.6 billion dollars", "USD", False),
        ("€5 million", "EUR", False),
        ("65 per cent", None, True),
        ("60 percent", None, True),
        ("12%", None, True),
    ],
)
def test_currency_and_percent_signs(text, currency, percent):
    (reading,) = readings(text)
    assert (reading.currency, reading.percent) == (currency, percent)


def test_several_numbers_in_one_print():
    assert [r.number for r in readings("ten- or fourteen-week")] == [10, 14]
    assert [r.number for r in readings("7.6 and 4.8%")] == [7.6, 4.8]


def test_a_year_is_dropped_beside_another_number():
    assert [r.number for r in readings("29th in 2020")] == [29]
    assert [r.number for r in readings("more than 6000")] == [6000]


@pytest.mark.parametrize("text", ["doubled", "almost doubling", "the leader in Europe", ""])
def test_words_without_a_number(text):
    assert readings(text) == []


def test_derivation_recomputes_from_rows():
    values = {"sec-000-03": 14.1, "exm-001-05": 2.08e9, "exm-001-06": 3.96e9}
    assert evaluate("sec-000-03 / 2", values) == pytest.approx(7.05)
    assert evaluate("(exm-001-06 / exm-001-05 - 1) * 100", values) == pytest.approx(90.38, 1e-3)
    assert evaluate("(2 - 1) * 100", {}) == 100
    assert evaluate("-sec-000-03 + 1", values) == pytest.approx(-13.1)
    assert row_ids("sec-000-03 / sec-ref-004 * 100") == ["sec-000-03", "sec-ref-004"]


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("sec-000-99 * 2", "an unknown row 'sec-000-99'"),
        ("2 ** 10", "outside row ids"),
        ("__import__('os').getcwd()", "outside row ids"),
        ("abs(-2)", "outside row ids"),
        ("1 / 0", "a division by zero"),
        ("2 *", "does not parse"),
        ("True + 1", "outside row ids"),
    ],
)
def test_derivation_refuses_anything_else(expression, message):
    with pytest.raises(DerivationError, match=message):
        evaluate(expression, {"sec-000-03": 14.1})


@pytest.mark.parametrize(
    ("text", "qualifiers"),
    [
        ("more than twice the amount raised in 2019", {"more_than"}),
        ("almost doubling", {"approximately", "less_than"}),
        ("the decade or so since the first strategy", {"approximately"}),
        ("Over the next year or so", {"approximately"}),
        ("doubled", set()),
    ],
)
def test_bound_wording_of_a_derived_value(text, qualifiers):
    assert wording_qualifiers(text) == frozenset(qualifiers)
