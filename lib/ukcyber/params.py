"""Validation of notebook parameters.

papermill injects parameters as plain values and only warns about unknown names, so every
notebook checks its parameters in the cell after the ``parameters`` cell with these helpers.
"""

from __future__ import annotations

from collections.abc import Iterable

from ukcyber.errors import ParameterError


def choice(name: str, value: object, valid: Iterable[str], *, allow_all: bool = False) -> str:
    """Return ``value`` if it is one of ``valid`` (or ``"all"`` when allowed).

    Raises
    ------
    ParameterError
        Naming the parameter and the value, and listing the valid values.
    """
    options = sorted({str(v) for v in valid})
    if allow_all:
        options = ["all"] + options
    if not isinstance(value, str):
        raise ParameterError(
            f"parameter {name}={value!r} must be text (str), not {type(value).__name__}; "
            f"valid values: {', '.join(options)}"
        )
    if value not in options:
        raise ParameterError(
            f"parameter {name}={value!r} is not valid; valid values: {', '.join(options)}"
        )
    return value


def integer(name: str, value: object, *, minimum: int, maximum: int) -> int:
    """Return ``value`` if it is a whole number within ``[minimum, maximum]``.

    Raises
    ------
    ParameterError
        Naming the parameter, the value and the accepted range.
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise ParameterError(
            f"parameter {name}={value!r} must be a whole number (int), "
            f"not {type(value).__name__}; valid range: {minimum}–{maximum}"
        )
    if not minimum <= value <= maximum:
        raise ParameterError(
            f"parameter {name}={value!r} is out of range; valid range: {minimum}–{maximum}"
        )
    return value


def year_range(start: object, end: object, years: Iterable[int]) -> tuple[int, int]:
    """Validate a ``start_year``/``end_year`` pair against the years that have data."""
    known = sorted({int(y) for y in years})
    low, high = known[0], known[-1]
    start = integer("start_year", start, minimum=low, maximum=high)
    end = integer("end_year", end, minimum=low, maximum=high)
    if start >= end:
        raise ParameterError(
            f"parameter start_year={start} must be before end_year={end}; data cover {low}–{high}"
        )
    return start, end


def year_or_all(name: str, value: object, years: Iterable[int]) -> int | str:
    """Return ``"all"`` or a year that has data; anything else lists the valid years."""
    known = sorted({int(y) for y in years})
    if value == "all":
        return "all"
    if isinstance(value, bool) or not isinstance(value, int) or value not in known:
        listed = ", ".join(map(str, known))
        raise ParameterError(
            f"parameter {name}={value!r} is not valid; valid values: all, {listed}"
        )
    return value
