"""The print check: every figure's value, scale, unit and qualifier agree with its ``as_printed``.

For each row of a figure table (one with ``value``, ``unit``, ``scale``, ``qualifier`` and
``as_printed``), exactly one of these rules applies, so no row is skipped silently:

1. **Derived.** A non-empty ``derivation`` (see :mod:`ukcyber.checks.derivation`) is recomputed
   from the rows it names; value × scale must equal it within half a unit of the value's last
   digit. The print is then only the words the value was derived from (``doubled``); bound
   wording anywhere in them (``more than twice``, ``a decade or so``) must match the qualifier.
2. **Printed.** The print shows one or more numbers (:func:`ukcyber.checks.prints.readings`);
   value × scale must equal one of them within the rounding the print shows (``£3.7 billion``
   holds 3.65–3.75 billion), the qualifier must be one the wording allows (see the mapping in
   :mod:`ukcyber.checks.prints`), a printed currency must be the unit, and a percent sign goes
   with a ``percent`` or ``percent_change`` unit (and such a unit with a percent sign or a
   fraction word). A list of items (``A, B and C``) also reads as its count.
3. **Superlative rank.** A print with no number may give rank 1 by a superlative (``top``,
   ``highest``, ``leader``, ``largest``, ``most``, ``safest``, ``best``, ``biggest``,
   ``leading``): unit ``rank``, value × scale 1, qualifier exact.

Anything else is a problem on ``as_printed``: a print with no number and no derivation.
The rankings table (``rank``, ``rank_change``, ``score``; no value, scale or qualifier) has its
own rule, :func:`printed_ranks`.
"""

from __future__ import annotations

import math
import re

import pandas as pd

from ukcyber.checks.common import Files, Tables, csv_line, figure_tables
from ukcyber.checks.derivation import DerivationError, evaluate
from ukcyber.checks.prints import SCALES, Reading, half_unit, readings, wording_qualifiers
from ukcyber.errors import Problem
from ukcyber.units import CURRENCY_SIGNS, PERCENT_UNITS

COLUMNS = {"value", "unit", "scale", "qualifier", "as_printed"}
SUPERLATIVE = re.compile(
    r"\b(?:top|highest|leader|leading|largest|biggest|most|safest|best)\b", re.IGNORECASE
)
LIST = re.compile(r"^[^,]+(?:,\s+[^,]+)+,?\s+and\s+[^,]+$")
"""A print that is a list of named items (``Brazil, Kenya and Nigeria``), read as its count."""

PERCENT = re.compile(r"%|\bper\s*cent\b|\bpercent\b", re.IGNORECASE)
"""A percent sign anywhere in a print (``7.6 and 4.8%`` marks both numbers)."""

Where = tuple[str, int]


def printed_figures(tables: Tables, files: Files) -> list[Problem]:
    """Each figure row's value, scale, unit and qualifier agree with its print or derivation."""
    values = absolute_values(tables)
    problems = []
    for name, table in figure_tables(tables).items():
        if not COLUMNS <= set(table.columns):
            continue
        for index, row in table.iterrows():
            problems += row_problems(row, (files[name], csv_line(index)), values)
    return problems


def absolute_values(tables: Tables) -> dict[str, float]:
    """Row id → value × scale of every row of every figure table."""
    values = {}
    for table in figure_tables(tables).values():
        if not {"id", "scale"} <= set(table.columns):
            continue
        for _, row in table.iterrows():
            values[str(row["id"])] = absolute(row)
    return values


def absolute(row: pd.Series) -> float:
    """A row's value × its scale's multiplier."""
    return float(row["value"]) * SCALES.get(str(row["scale"]), 1.0)


def describe(row: pd.Series) -> str:
    """A row's figure for messages: ``3.7 billion GBP``, ``140 percent_change``."""
    scale = "" if row["scale"] == "one" else f" {row['scale']}"
    return f"{float(row['value']):g}{scale} {row['unit']}"


def row_problems(row: pd.Series, where: Where, values: dict[str, float]) -> list[Problem]:
    """The problems of one figure row, by the first rule that applies to it."""
    derivation = str(row.get("derivation", "") or "").strip()
    if derivation:
        return derivation_problems(row, where, derivation, values)
    text = str(row["as_printed"])
    found = readings(text) + list_readings(text)
    if found:
        return reading_problems(row, where, found)
    if row["unit"] == "rank" and absolute(row) == 1 and SUPERLATIVE.search(text):
        return [] if row["qualifier"] == "exact" else [qualifier_problem(row, where, {"exact"})]
    found_text = f"no number in {text!r}"
    expected = "a printed number, or a derivation saying how the value follows"
    return [Problem(*where, "as_printed", found_text, expected)]


def list_readings(text: str) -> list[Reading]:
    """The count of a print that lists named items (``A, B and C`` → 3), else nothing."""
    if not LIST.match(text.strip()):
        return []
    count = len(re.split(r",\s*(?:and\s+)?|\s+and\s+", text.strip()))
    return [Reading(float(count), 0.0, frozenset({"exact"}), f"{count} (items listed)")]


def own_rounding(row: pd.Series) -> float:
    """Half a unit of the last digit of a row's stored value, in absolute terms."""
    return half_unit(f"{float(row['value']):.12g}") * SCALES.get(str(row["scale"]), 1.0)


def agrees(row: pd.Series, reading: Reading) -> bool:
    """Whether a row's value × scale is the reading's number within the print's rounding.

    A fraction word in a percent row (``over half``) is read as a percent (50); its stored
    decimal may be rounded (33.3 for ``a third``).
    """
    number = reading.number
    if reading.fraction and row["unit"] in PERCENT_UNITS and not reading.percent:
        number *= 100
    tolerance = reading.tolerance
    if reading.fraction:
        tolerance = max(tolerance, own_rounding(row))
    target = absolute(row)
    return abs(target - number) <= tolerance + 1e-9 * max(abs(target), abs(number), 1.0)


def reading_problems(row: pd.Series, where: Where, found: list[Reading]) -> list[Problem]:
    """Problems of a row whose print shows numbers: value, scale, qualifier and unit."""
    matched = [r for r in found if agrees(row, r)]
    if not matched:
        return [value_problem(row, where, found)]
    fitting = [r for r in matched if row["qualifier"] in r.qualifiers]
    if not fitting:
        return [qualifier_problem(row, where, set(matched[0].qualifiers))]
    return unit_problems(row, where, fitting[0])


def value_problem(row: pd.Series, where: Where, found: list[Reading]) -> Problem:
    """The one problem of a value that matches no printed number: wrong scale, else value."""
    text, value = str(row["as_printed"]), float(row["value"])
    for reading in found:
        mantissa = reading.number / SCALES[reading.scale]
        same = math.isclose(value, mantissa, rel_tol=1e-9)
        if same and reading.scale != "one" and reading.scale != row["scale"]:
            expected = f"{reading.scale!r}, the scale printed in {text!r}"
            return Problem(*where, "scale", repr(row["scale"]), expected)
    shown = ", ".join(r.shown for r in found)
    rounding = min(r.tolerance for r in found) / SCALES.get(str(row["scale"]), 1.0)
    scale = "" if row["scale"] == "one" else f" {row['scale']}"
    expected = f"the number printed in {text!r} ({shown}, to within ±{rounding:g}{scale})"
    return Problem(*where, "value", describe(row), expected)


def qualifier_problem(row: pd.Series, where: Where, allowed: set[str]) -> Problem:
    """A qualifier the print's wording does not allow."""
    wanted = " or ".join(repr(q) for q in sorted(allowed))
    expected = f"{wanted}, as the wording of {str(row['as_printed'])!r} gives"
    return Problem(*where, "qualifier", repr(row["qualifier"]), expected)


def unit_problems(row: pd.Series, where: Where, reading: Reading) -> list[Problem]:
    """A printed currency or percent sign that disagrees with the row's unit."""
    text, unit = str(row["as_printed"]), str(row["unit"])
    if reading.currency and unit != reading.currency:
        expected = f"{reading.currency!r}, the currency printed in {text!r}"
        return [Problem(*where, "unit", repr(unit), expected)]
    if unit in CURRENCY_SIGNS and not reading.currency:
        found = f"{text!r} with no currency for a {unit} value"
        return [Problem(*where, "as_printed", found, "a print naming the currency")]
    if reading.percent and unit not in PERCENT_UNITS:
        expected = f"'percent' or 'percent_change', as the percent sign in {text!r} gives"
        return [Problem(*where, "unit", repr(unit), expected)]
    if unit in PERCENT_UNITS and not (reading.percent or reading.fraction or PERCENT.search(text)):
        found = f"{text!r} with no percent sign for a {unit} value"
        return [Problem(*where, "as_printed", found, "a print showing % or per cent")]
    return []


def derivation_problems(
    row: pd.Series, where: Where, derivation: str, values: dict[str, float]
) -> list[Problem]:
    """A derivation that fails to evaluate, or computes a number other than the row's value."""
    if str(row.get("id", "")) in derivation.split():
        return [Problem(*where, "derivation", repr(derivation), "no reference to the row itself")]
    try:
        computed = evaluate(derivation, values)
    except DerivationError as error:
        expected = "arithmetic over row ids, numbers, + - * / and ( )"
        return [Problem(*where, "derivation", f"{derivation!r} with {error}", expected)]
    target, tolerance = absolute(row), own_rounding(row)
    if abs(target - computed) <= tolerance + 1e-9 * max(abs(target), abs(computed), 1.0):
        allowed = wording_qualifiers(str(row["as_printed"]))
        if allowed and row["qualifier"] not in allowed:
            return [qualifier_problem(row, where, set(allowed))]
        return []
    scale = SCALES.get(str(row["scale"]), 1.0)
    found = f"{derivation!r} = {computed / scale:.6g}" + ("" if scale == 1 else f" {row['scale']}")
    expected = f"the row's value {describe(row)} (to within ±{tolerance / scale:g})"
    return [Problem(*where, "derivation", found, expected)]


A_PLACE = re.compile(r"\ba place\b", re.IGNORECASE)


def printed_ranks(tables: Tables, files: Files) -> list[Problem]:
    """Each ranking row's rank (else its rank change) agrees with its ``as_printed``.

    A rank passes when the print shows it (``3rd``, ``fourth-placed``, ``1. US``, ``ranked
    11``) or shows the row's score (``76.8``). One narrow exemption: a print that is just the
    country's name is an entry of a printed ranked list, whose rank is its place in the list and
    cannot be read from the print. A row with only a rank change needs it printed: ``a place``
    is a change of one, else the number of places.
    """
    ranks = tables.get("cyber_power_rankings")
    if ranks is None or not {"rank", "rank_change", "as_printed", "country"} <= set(ranks.columns):
        return []
    problems = []
    for index, row in ranks.iterrows():
        problem = rank_problem(row, (files["cyber_power_rankings"], csv_line(index)))
        if problem is not None:
            problems.append(problem)
    return problems


def rank_problem(row: pd.Series, where: Where) -> Problem | None:
    """The problem of one ranking row whose rank or rank change its print does not show."""
    text = str(row["as_printed"]).strip()
    shown = [r.number for r in readings(text)]
    if not pd.isna(row["rank"]):
        score = row.get("score")
        wanted = [float(row["rank"])] + ([] if score is None or pd.isna(score) else [float(score)])
        if text == str(row["country"]) or any(math.isclose(n, w) for n in shown for w in wanted):
            return None
        printed = ", ".join(f"{n:g}" for n in shown) or "no number"
        expected = f"the rank or score printed in {text!r} ({printed})"
        return Problem(*where, "rank", f"{int(row['rank'])}", expected)
    if pd.isna(row["rank_change"]):
        return None  # neither given: ranks_given reports it
    change = abs(float(row["rank_change"]))
    if (change == 1 and A_PLACE.search(text)) or change in shown:
        return None
    expected = f"the change printed in {text!r} ('a place' for one, else the number of places)"
    return Problem(*where, "rank_change", f"{float(row['rank_change']):g}", expected)
