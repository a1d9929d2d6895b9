"""CSV facts and Frictionless errors as located problems: ``file:line:field — found X, expected Y``.

Frictionless counts records, not lines, forgives header labels with spaces and accepts numbers
pandas cannot read (``NaN``, ``1_979``, non-ASCII digits); these functions close those gaps and
word every error for an analyst.
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import Any

from ukcyber.errors import Problem

FK_NOTE = re.compile(
    r'for "([^"]+)": values "([^"]*)" not found in the lookup table "([^"]+)" as "([^"]+)"'
)
FK_EXPECTED = re.compile(r"^a (\w+) present in (\w+)\.csv$")
"""How :func:`_foreign_key` words a dangling reference: the key field and the table it names."""


PLAIN_NUMBER = {
    "number": re.compile(r"-?[0-9]+(?:\.[0-9]+)?"),
    "integer": re.compile(r"-?[0-9]+"),
    "year": re.compile(r"-?[0-9]+"),
}


EXAMPLE = {"number": "1979 or -0.5", "integer": "1979", "year": "2024"}


MAX_DIGITS = {"number": 15, "integer": 18, "year": 4}
"""Significant digits a value may have and still be stored exactly (float64, Int64, a year)."""


def record_lines(file: Path) -> list[int]:
    """The CSV line each record starts on (index 0 = header = line 1).

    Differs from the record number after a quoted field with embedded newlines.
    """
    starts, line = [], 1
    with open(file, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        for _ in reader:
            starts.append(line)
            line = reader.line_num + 1
    return starts


def _trailing_blank_record(file: Path) -> int | None:
    """Record number (header = 1) of exactly one blank line ending the file, else ``None``."""
    raw = file.read_bytes()
    body = raw.rstrip(b"\r\n")
    ending = raw[len(body) :]
    if ending.replace(b"\r\n", b"\n").count(b"\n") != 2:
        return None
    return len(record_lines(file))


def at_lines(problems: list[Problem], folder: Path, paths: dict[str, str]) -> list[Problem]:
    """Turn record numbers (what Frictionless and the checks count) into CSV line numbers."""
    maps: dict[str, list[int]] = {}
    located = []
    for problem in problems:
        name = problem.file
        if isinstance(problem.row, int) and name in paths.values():
            if name not in maps:
                try:
                    maps[name] = record_lines(folder / name)
                except (OSError, UnicodeDecodeError, csv.Error):
                    maps[name] = []
            starts = maps[name]
            if 1 <= problem.row <= len(starts):
                problem = replace(problem, row=starts[problem.row - 1])
        located.append(problem)
    return located


def plain_number_problems(folder: Path, meta: dict[str, Any]) -> list[Problem]:
    """Numbers Frictionless accepts but that are not plain decimals, located by CSV line.

    They include ``NaN``, ``inf``, ``1_979``, ``1e3``, non-ASCII digits and spaces.
    """
    fields = {
        f["name"]: f["type"]
        for f in meta["schema"]["fields"]
        if f.get("type") in PLAIN_NUMBER and f.get("name")
    }
    if not fields:
        return []
    problems = []
    with open(folder / meta["path"], newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        reader.fieldnames  # noqa: B018  (reads the header, so line_num counts it)
        line = reader.line_num + 1
        for row in reader:
            for name, kind in fields.items():
                value = row.get(name)
                if not value:
                    continue
                expected = "a plain whole number" if kind == "integer" else "a plain decimal number"
                digits = len(value.lstrip("-").replace(".", "").lstrip("0"))
                if not PLAIN_NUMBER[kind].fullmatch(value):
                    found, expected = repr(value), f"{expected} (like {EXAMPLE[kind]})"
                elif digits > MAX_DIGITS[kind]:
                    shown = value if len(value) <= 24 else f"{value[:20]}…"
                    found = f"{shown!r} ({digits} significant digits)"
                    expected = f"{expected} of at most {MAX_DIGITS[kind]} digits, stored exactly"
                else:
                    continue
                problems.append(Problem(meta["path"], line, name, found, expected))
            line = reader.line_num + 1
    return problems


def frictionless_problems(folder: Path, meta: dict[str, Any]) -> list[Problem]:
    """Schema, type and key problems, located by CSV line; one trailing blank line ignored."""
    from frictionless import Package, system

    problems: list[Problem] = []
    keys = {r["name"]: r["schema"].get("primaryKey", []) for r in meta["resources"]}
    paths = {r["name"]: r["path"] for r in meta["resources"]}
    blank = {r["path"]: _trailing_blank_record(folder / r["path"]) for r in meta["resources"]}
    with system.use_context(trusted=True):
        report = Package(str(folder / "datapackage.json")).validate()
    for task in report.tasks:
        file = Path(task.place).name if task.place else task.name
        for error in task.errors:
            if getattr(error, "row_number", None) and error.row_number == blank.get(file):
                continue  # one blank line at the end of a file is harmless
            problem = _problem_from_error(file, error)
            if error.type == "primary-key":
                key = keys.get(task.name, [])
                problem = replace(problem, field=",".join(key if isinstance(key, list) else [key]))
            problems.append(problem)
    for error in report.errors:
        problems.append(Problem("datapackage.json", "-", "-", error.note or error.message, "valid"))
    return at_lines(problems, folder, paths)


def _problem_from_error(file: str, error: Any) -> Problem:
    row = getattr(error, "row_number", None) or 1
    field = getattr(error, "field_name", None) or "-"
    cell = getattr(error, "cell", None)
    found = repr(cell) if cell is not None else ""
    kind = error.type
    if kind == "type-error":
        expected = error.note.replace('type is "', "type ").replace('/default"', "").rstrip('"')
    elif kind == "constraint-error" and 'constraint "required"' in (error.note or ""):
        found, expected = "an empty cell", "a value (this field is required)"
    elif kind == "constraint-error":
        expected = error.note.replace('constraint "', "").replace('" is "', " = ").rstrip('"')
    elif kind == "primary-key":
        found, expected = "a duplicate primary key", f"unique key ({error.note})"
    elif kind == "foreign-key":
        field, found, expected = _foreign_key(error, field)
    elif kind in {"extra-cell", "missing-cell"}:
        found = "an extra value" if kind == "extra-cell" else "a missing value"
        expected = "one value per header field"
    elif kind in {
        "incorrect-label",
        "missing-label",
        "extra-label",
        "blank-label",
        "duplicate-label",
    }:
        row = 1
        field, found, expected = _header(error, field)
    elif kind in {"encoding-error", "scheme-error", "format-error", "source-error", "blank-row"}:
        row = row if kind == "blank-row" else "-"
        found = error.note or kind
        expected = "a non-empty UTF-8 CSV file" if kind != "blank-row" else "no blank rows"
    else:
        found = found or kind
        expected = error.note or error.description
    return Problem(file, row, field, found or "''", expected)


def _foreign_key(error: Any, field: str) -> tuple[str, str, str]:
    """A dangling reference's field, the values found and the table they should be in."""
    match = FK_NOTE.search(error.note or "")
    if not match:
        return field, "a dangling reference", error.note
    field, values, table, target = match.groups()
    found = ", ".join(repr(v) for v in values.split(", "))
    return field, found, f"a {target} present in {table}.csv"


def _header(error: Any, field: str) -> tuple[str, str, str]:
    """A header problem's field, the header found and what ``datapackage.json`` expects."""
    label = getattr(error, "label", "") or ""
    found = f"header {label!r}" if label else "no header"
    if error.type == "extra-label":
        return label or "-", found, "only the fields in datapackage.json"
    return field, found, f"header {field!r} (datapackage.json)"


def unreadable(file: Path) -> Problem | None:
    """An empty file, or the first byte that is not UTF-8, located by line."""
    raw = file.read_bytes()
    if not raw.strip():
        return Problem(file.name, "-", "-", "an empty file", "a header row and data rows")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        found = f"byte 0x{raw[exc.start]:02x}, which is not UTF-8"
        return Problem(file.name, line, "-", found, "UTF-8 text")
    return None


def header_problems(folder: Path, meta: dict[str, Any]) -> list[Problem]:
    """Header labels that differ from the schema's field names, even by a space or a BOM.

    Frictionless forgives ``' id'`` for ``id``; pandas does not, so the two must agree exactly.
    """
    with open(folder / meta["path"], newline="", encoding="utf-8-sig") as fh:
        header = next(csv.reader(fh), [])
    expected = [f["name"] for f in meta["schema"]["fields"]]
    problems = []
    for label, name in zip(header, expected, strict=False):
        if label != name and label.strip() == name:
            found = f"header {label!r} (spaces around the name)"
            problems.append(Problem(meta["path"], 1, name, found, f"header {name!r}"))
    return problems


def _plain(text: str) -> str:
    """Lower case, accents and spacing ignored: how a near miss of a name is recognised."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", folded).split())


def closest(value: str, valid: list[str]) -> list[str]:
    """The valid names a mistyped ``value`` most likely meant: same words first, then near spellings.

    Examples
    --------
    >>> closest("revenu", ["revenue", "revenue_growth", "employment"])
    ['revenue', 'revenue_growth']
    >>> closest("wales", ["Wales", "London"])
    ['Wales']
    """
    same = [v for v in valid if _plain(v) == _plain(value)]
    by_plain = {_plain(v): v for v in valid}
    near = [
        by_plain[m] for m in difflib.get_close_matches(_plain(value), by_plain, n=3, cutoff=0.75)
    ]
    return list(dict.fromkeys(same + near))[:3]


def with_suggestions(problems: list[Problem], folder: Path, meta: dict[str, Any]) -> list[Problem]:
    """Each dangling reference (an unknown metric, place, source, norm) with a "did you mean".

    The valid names are read from the table the reference points at, so a new metric in
    ``metrics.csv`` is suggested as soon as it is there.
    """
    paths = {r["name"]: r["path"] for r in meta["resources"]}
    valid: dict[tuple[str, str], list[str]] = {}
    out = []
    for problem in problems:
        match = FK_EXPECTED.match(problem.expected)
        if not match or match.group(2) not in paths:
            out.append(problem)
            continue
        key = (match.group(2), match.group(1))
        if key not in valid:
            with open(folder / paths[key[0]], newline="", encoding="utf-8-sig") as fh:
                valid[key] = [row.get(key[1], "") for row in csv.DictReader(fh)]
        found = re.findall(r"'((?:[^'\\]|\\.)*)'", problem.found)
        names = [n for value in found for n in closest(value, valid[key])]
        if names:
            said = " or ".join(repr(n) for n in dict.fromkeys(names))
            problem = replace(problem, expected=f"{problem.expected} (did you mean {said}?)")
        out.append(problem)
    return out
