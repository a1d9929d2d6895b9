"""Units and scales: currency signs, count units and axis labels, in one place."""

from __future__ import annotations

CURRENCY_SIGNS = {"GBP": "£", "USD": "$", "EUR": "€", "JPY": "¥"}
"""Sign printed before an amount of each currency (amounts are never converted)."""

SCALE_WORDS = {
    "one": "",
    "thousand": " thousand",
    "million": " million",
    "billion": " billion",
    "trillion": " trillion",
}
"""Words printed after a number of each scale (``£10.5 billion``)."""

PERCENT_UNITS = {"percent", "percent_change"}

COUNT_UNITS = {
    "firms",
    "people",
    "deals",
    "count",
    "projects",
    "incidents",
    "websites",
    "countries",
    "regions",
}
"""Units whose values count things, so can never be negative."""

_LABELS = {**CURRENCY_SIGNS, "percent": "%", "percent_change": "% change", "count": "number"}
"""Axis labels of units that are not written as they are named."""


def unit_label(unit: str, scale: str = "one") -> str:
    """Axis label for a unit and scale: ``GBP``/``billion`` → ``£ billion``, ``percent`` → ``%``.

    Also ``people``/``thousand`` → ``thousand people``.
    """
    base = _LABELS.get(unit, unit)
    if scale == "one":
        return base
    if unit == "count":
        return f"{scale}s"
    return f"{base} {scale}" if unit in CURRENCY_SIGNS else f"{scale} {base}"
