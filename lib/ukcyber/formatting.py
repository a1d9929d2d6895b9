"""Numbers as a reader expects them: thousands separators, currency signs, bounds in words."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ukcyber.units import CURRENCY_SIGNS, PERCENT_UNITS, SCALE_WORDS

QUALIFIER_WORDS = {
    "exact": "",
    "approximately": "about ",
    "more_than": "more than ",
    "at_least": "at least ",
    "less_than": "less than ",
    "at_most": "at most ",
}
"""Words printed before a figure with each qualifier (a bound stays a bound in prose)."""


def number(value: float, digits: int = 1) -> str:
    """Format a number with thousands separators and no needless decimals (``58,005``, ``3.9``)."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.{digits}f}".rstrip("0").rstrip(".")


def format_value(value: float, unit: str, scale: str = "one", qualifier: str = "exact") -> str:
    """Render a figure: ``£10.5 billion``, ``less than 1%``, ``1,979 firms``, ``4th``."""
    prefix = QUALIFIER_WORDS.get(qualifier, "")
    digits = 2 if scale in {"billion", "trillion"} else 1
    if unit in PERCENT_UNITS:
        return f"{prefix}{number(value, digits)}%"
    if unit in CURRENCY_SIGNS:
        return f"{prefix}{CURRENCY_SIGNS[unit]}{number(value, digits)}{SCALE_WORDS[scale]}"
    if unit == "rank":
        return f"{prefix}{ordinal(int(value))}"
    return f"{prefix}{number(value, digits)}{SCALE_WORDS[scale]} {unit}".strip()


def format_row(row: Mapping[str, Any]) -> str:
    """:func:`format_value` for a row of a figure table (a dict or a pandas row)."""
    return format_value(row["value"], row["unit"], row.get("scale", "one"), row["qualifier"])


def ordinal(n: int) -> str:
    """``1`` → ``1st``, ``22`` → ``22nd``."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``1 partnership``, ``8 partnerships``, ``2 countries`` (never ``partnership(s)``)."""
    word = singular if count == 1 else (plural_form or f"{singular}s")
    return f"{number(count)} {word}"
