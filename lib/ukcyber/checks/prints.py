"""Read the numbers a figure's ``as_printed`` text shows, with the rounding and bound it prints.

:func:`readings` turns a print such as ``over £3.7 billion``, ``almost 2,000``, ``nineteen
seconds``, ``1 in 20``, ``half a million`` or ``65 per cent`` into :class:`Reading` objects: the
number in absolute terms (scale words applied), half a unit of its last printed digit (the
rounding the print shows), the qualifiers the wording allows, and any currency or percent sign.
A print can hold several numbers (``ten- or fourteen-week``); the check accepts a row matching
any one of them.

Qualifier wording, read immediately before the number (after it for ``or more``, ``or so``):

- ``more than``, ``over``, ``above``, ``in excess of``, ``exceeded``, ``surpassed``,
  ``just over``, ``upwards of``, ``to top`` (a verb: ``to top $1 trillion``) → ``more_than``;
- ``at least``, ``no fewer than``, ``… or more`` (one word may come between: ``fifty
  employees or more``), and plural scale words (``tens of``,
  ``thousands``) → ``at_least``;
- ``almost``, ``nearly``, ``just under``, ``close to`` → ``approximately`` or ``less_than``
  (the figure is a rounded value approached from below: either reading is honest);
- ``up to``, ``at most``, ``no more than``, ``top`` (``top three``) → ``at_most``;
- ``less than``, ``under``, ``fewer than``, ``below`` → ``less_than``;
- ``around``, ``about``, ``approximately``, ``c.``, ``circa``, ``~``, ``roughly``, ``some``,
  ``… or so`` → ``approximately``;
- no such word → ``exact``; a fraction word (``a third``, ``half``) also allows
  ``approximately``, since its stored decimal is rounded.

Four-digit whole numbers 1900–2099 (years) are kept only when the print has no other number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

SCALES = {"one": 1.0, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
"""Multiplier of each ``scale`` value in ``datapackage.json``."""

SCALE_ABBREVIATIONS = {
    "k": "thousand",
    "m": "million",
    "mn": "million",
    "b": "billion",
    "bn": "billion",
    "tn": "trillion",
}

UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
ORDINALS = (
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth"
).split()
FRACTIONS = {
    "half": 0.5,
    "a half": 0.5,
    "a third": 1 / 3,
    "one third": 1 / 3,
    "two thirds": 2 / 3,
    "a quarter": 0.25,
    "one quarter": 0.25,
    "three quarters": 0.75,
}
WORDS: dict[str, float] = {w: float(i) for i, w in enumerate(UNITS)}
WORDS.update({w: float(20 + 10 * i) for i, w in enumerate(TENS)})
WORDS.update({"hundred": 100.0, "a hundred": 100.0, "a dozen": 12.0, "dozen": 12.0})
WORDS.update({w: float(i + 1) for i, w in enumerate(ORDINALS)})

CURRENCIES = {"£": "GBP", "$": "USD", "us$": "USD", "€": "EUR", "usd": "USD", "gbp": "GBP"}
CURRENCIES.update({"eur": "EUR", "dollars": "USD", "euros": "EUR", "pounds": "GBP"})

MORE, AT_LEAST, LESS, AT_MOST, APPROX = (
    "more_than",
    "at_least",
    "less_than",
    "at_most",
    "approximately",
)
CUES_BEFORE: list[tuple[str, frozenset[str]]] = [
    (r"just over|more than|over|above|in excess of|upwards of|to top", frozenset({MORE})),
    (r"exceed(?:ed|s|ing)?|surpass(?:ed|es|ing)?(?: an? \w+ of)?", frozenset({MORE})),
    (r"at least|no fewer than|no less than", frozenset({AT_LEAST})),
    (r"almost|nearly|just under|close to", frozenset({APPROX, LESS})),
    (r"up to|at most|no more than|top", frozenset({AT_MOST})),
    (r"less than|fewer than|under|below", frozenset({LESS})),
    (r"around|about|approximately|approx\.|c\.|circa|~|roughly|some", frozenset({APPROX})),
]
CUES_AFTER: list[tuple[str, frozenset[str]]] = [
    (r"or more|\+", frozenset({AT_LEAST})),
    (r"or so", frozenset({APPROX})),
]


def _alternatives(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, longest first, spaces matching any whitespace."""
    ordered = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
NUMBER = re.compile(
    rf"""(?P<onein>\b(?:1|one)\s+in\s+)?
    (?P<cur>us\$|\$|£|€|(?:usd|gbp|eur)\s*)?
    (?:(?P<digits>{DIGITS})(?P<suffix>st|nd|rd|th)?
      |(?P<fraction>\b(?:{_alternatives(FRACTIONS)})\b)
      |(?P<word>\b(?:{"|".join(TENS)})-(?:{"|".join(UNITS[1:10])})\b|\b(?:{_alternatives(WORDS)})\b)
      |(?P<article>\ban?)(?=\s+(?:thousand|million|billion|trillion)\b)
      |(?P<plural>\b(?:tens|hundreds|thousands|millions|billions)\b))
    (?:\s*(?:a\s+)?(?P<scale>thousand|million|billion|trillion|bn|mn|tn|k|m|b)\b)?
    (?P<percent>\s*%|\s*per\s*cent\b|\s*percent\b)?
    (?P<after_cur>\s+(?:dollars|euros|pounds)\b)?""",
    re.IGNORECASE | re.VERBOSE,
)
PLURALS = {"tens": 10.0, "hundreds": 100.0, "thousands": 1e3, "millions": 1e6, "billions": 1e9}


@dataclass(frozen=True)
class Reading:
    """One number a print shows.

    ``number`` is in absolute terms (``£3.7 billion`` → 3.7e9; a percent is 0–100) and
    ``tolerance`` is half a unit of its last printed digit, also absolute (0 for words);
    ``qualifiers`` are the row qualifiers the wording allows; ``shown`` is the number as printed,
    normalised for messages (``3.7 billion``); ``scale`` is the scale word printed (else
    ``one``); ``currency`` the code a sign or word names; ``percent`` whether ``%`` or
    ``per cent`` is printed; ``fraction`` whether the number is a fraction word (``a third``).
    """

    number: float
    tolerance: float
    qualifiers: frozenset[str]
    shown: str
    scale: str = "one"
    currency: str | None = None
    percent: bool = False
    fraction: bool = False


def half_unit(digits: str) -> float:
    """Half a unit of the last digit of a printed decimal (``3.7`` → 0.05, ``1,200`` → 0.5).

    Parameters
    ----------
    digits : the number as printed, with optional thousands commas.
    """
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    return 0.5 * 10.0**-decimals


def _cue(text: str, cues: list[tuple[str, frozenset[str]]], before: bool) -> frozenset[str]:
    """The qualifiers a cue right before (or right after) a number allows, if any."""
    for pattern, allowed in cues:
        anchored = (
            rf"(?:^|[\s(])(?:{pattern})\s*$" if before else rf"^(?:\s+\w+)?\s*(?:{pattern})(?:\W|$)"
        )
        if re.search(anchored, text, re.IGNORECASE):
            return allowed
    return frozenset()


def wording_qualifiers(text: str) -> frozenset[str]:
    """The qualifiers bound wording anywhere in ``text`` allows; empty when it has none.

    For a derived value's words (``more than twice``, ``almost doubling``, ``a decade or so``),
    where no printed number anchors the cue. Trailing cues (``or so``) are looked for first, so
    ``over the next year or so`` reads as approximate.

    Parameters
    ----------
    text : a row's ``as_printed``.
    """
    for pattern, allowed in CUES_AFTER[1:] + CUES_BEFORE + CUES_AFTER[:1]:
        if re.search(rf"(?:^|(?<=[\s(]))(?:{pattern})(?=\W|$)", text, re.IGNORECASE):
            return allowed
    return frozenset()


def _mantissa(match: re.Match[str]) -> tuple[float, float, bool]:
    """(number before scale, tolerance before scale, is a fraction word) of a number match."""
    if match["digits"]:
        return float(match["digits"].replace(",", "")), half_unit(match["digits"]), False
    if match["fraction"]:
        return FRACTIONS[re.sub(r"\s+", " ", match["fraction"].lower())], 0.0, True
    if match["word"]:
        word = re.sub(r"\s+", " ", match["word"].lower())
        if "-" in word:
            tens, unit = word.split("-")
            return WORDS[tens] + WORDS[unit], 0.0, False
        return WORDS[word], 0.0, False
    if match["plural"]:
        return PLURALS[match["plural"].lower()], 0.0, False
    return 1.0, 0.0, False


def _scale_name(match: re.Match[str]) -> str:
    """The datapackage scale a number's scale word names (``bn`` → ``billion``), else ``one``."""
    word = (match["scale"] or "").lower()
    return SCALE_ABBREVIATIONS.get(word, word) or "one"


def _qualifiers(text: str, match: re.Match[str], fraction: bool) -> frozenset[str]:
    """The qualifiers the words around one number allow."""
    if match["plural"]:
        return frozenset({AT_LEAST})
    found = _cue(text[: match.start()], CUES_BEFORE, True)
    found = found or _cue(text[match.end() :], CUES_AFTER, False)
    if found:
        return found
    return frozenset({"exact", APPROX}) if fraction else frozenset({"exact"})


def _reading(text: str, match: re.Match[str]) -> Reading:
    """The :class:`Reading` of one number match in ``text``."""
    mantissa, tolerance, fraction = _mantissa(match)
    scale = _scale_name(match)
    sign = (match["cur"] or match["after_cur"] or "").strip().lower()
    shown = f"{mantissa:g}" + ("" if scale == "one" else f" {scale}")
    return Reading(
        number=mantissa * SCALES[scale],
        tolerance=tolerance * SCALES[scale],
        qualifiers=_qualifiers(text, match, fraction),
        shown=shown,
        scale=scale,
        currency=CURRENCIES.get(sign),
        percent=bool(match["percent"]),
        fraction=fraction,
    )


def _is_year(match: re.Match[str]) -> bool:
    """Whether a match is a bare four-digit year (1900–2099) with no sign, scale or percent."""
    digits = match["digits"] or ""
    plain = not (match["cur"] or match["scale"] or match["percent"] or match["suffix"])
    return plain and re.fullmatch(r"(?:19|20)\d\d", digits) is not None


def readings(text: str) -> list[Reading]:
    """Every number ``text`` prints, as :class:`Reading` objects (empty when it prints none).

    ``1 in 20`` reads as 20 (the row stores N of "one in N"); a bare year is dropped when the
    print holds another number.

    Parameters
    ----------
    text : a row's ``as_printed``.
    """
    matches = [m for m in NUMBER.finditer(text) if m.group(0).strip()]
    if any(not _is_year(m) for m in matches):
        matches = [m for m in matches if not _is_year(m)]
    return [_reading(text, m) for m in matches]
