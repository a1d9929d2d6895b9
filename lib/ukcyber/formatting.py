"""Numbers and dates as a reader expects them: separators, currency signs, bounds, days in words."""

from __future__ import annotations

import datetime as dt
import re
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
    if unit == "year" and scale == "one" and float(value).is_integer():
        return f"{prefix}{int(value)}"  # a calendar year: 2030, never "2,030 year"
    if unit == "count":
        return f"{prefix}{number(value, digits)}{SCALE_WORDS[scale]}".strip()
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


def join_words(items: list[str], conjunction: str = "and") -> str:
    """``["a"]`` → ``a``; ``["a", "b", "c"]`` → ``a, b and c``."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def listed(total: int, shown: int, singular: str, plural_form: str | None = None) -> str:
    """A count that agrees with the items listed after it.

    ``listed(8, 8, "partnership")`` → ``8 partnerships``;
    ``listed(11, 8, "partnership")`` → ``11 partnerships (8 of 11 listed)``.
    """
    text = plural(total, singular, plural_form)
    return text if shown >= total else f"{text} ({number(shown)} of {number(total)} listed)"


def tie_words(values: list[str], count: int, noun: str, plural_form: str | None = None) -> str:
    """The most frequent value(s) with their count, naming a tie as a tie.

    ``(["funding"], 5, "item")`` → ``funding (5 items)``;
    ``(["funding", "skills"], 1, "item")`` → ``funding and skills, tied at 1 item each``.
    """
    if len(values) == 1:
        return f"{values[0]} ({plural(count, noun, plural_form)})"
    return f"{join_words(values)}, tied at {plural(count, noun, plural_form)} each"


_UNIT_IN_TITLE = re.compile(r"\s*\((?:[£$€¥][a-z]*|years|seconds|millions|employees)\)\s*$")


def plain_title(title: str) -> str:
    """A metric title without a trailing unit (``Sector revenue (£bn)`` → ``Sector revenue``).

    That way the unit is printed once, by the axis or the formatted value.
    """
    return _UNIT_IN_TITLE.sub("", str(title))


_CODE = re.compile(r"[a-z]+(?:_[a-z0-9]+)+")


def words(value: object) -> str:
    """A data value for a reader: a code such as ``investment_screening`` becomes words."""
    text = str(value)
    return text.replace("_", " ") if _CODE.fullmatch(text) else text


MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def iso_date_words(text: str) -> str:
    """Put an ISO date or month in words; other text is returned as is.

    Examples
    --------
    >>> iso_date_words("2023-09"), iso_date_words("2020-01-29"), iso_date_words("2020")
    ('September 2023', '29 January 2020', '2020')
    """
    match = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        return text.strip()
    year, month, day = match.groups()
    month_year = f"{MONTHS[int(month) - 1]} {year}"
    return f"{int(day)} {month_year}" if day else month_year


def day_words(stamp: str) -> str:
    """Give the day of a timestamp in words (``24 November 2026``); an empty stamp gives ``""``.

    Examples
    --------
    >>> day_words("2026-11-24T10:04:05Z")
    '24 November 2026'
    """
    return iso_date_words(stamp[:10]) if stamp else ""


def when_words(stamp: str) -> str:
    """Give a UTC timestamp in words, with the time; text that is not a timestamp is kept.

    Reads both stamp styles the build writes (``2026-11-24T10:04:05Z`` and
    ``2026-11-24 10:04 UTC``).

    Examples
    --------
    >>> when_words("2026-11-24T10:04:05Z"), when_words("soon")
    ('24 November 2026, 10:04 UTC', 'soon')
    """
    text = (stamp or "").strip().removesuffix("Z").removesuffix(" UTC").replace("T", " ")
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return stamp
    return f"{day_words(moment.strftime('%Y-%m-%d'))}, {moment.strftime('%H:%M')} UTC"
