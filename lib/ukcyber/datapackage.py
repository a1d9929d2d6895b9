"""The data package descriptor (``datapackage.json``): read once per content, shape-checked.

A missing, malformed or wrongly shaped descriptor is one :class:`DataError` naming where
(``resources[3].schema``), so no later code meets a ``KeyError``; Frictionless checks the rest.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Mapping
from typing import Any

from ukcyber.errors import DataError, Problem
from ukcyber.paths import data_dir


def descriptor(path: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """The parsed ``datapackage.json``.

    A missing, malformed or wrongly shaped one raises :class:`DataError` naming where
    (``resources[3].schema``), never a ``KeyError`` later.
    """
    folder = data_dir(path)
    file = folder / "datapackage.json"
    try:
        text = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DataError(
            [Problem(str(file), "-", "-", "no such file", "a datapackage.json")]
        ) from None
    except UnicodeDecodeError as exc:
        found = f"byte 0x{exc.object[exc.start]:02x}, which is not UTF-8"
        raise DataError([Problem(str(file), "-", "-", found, "UTF-8 JSON")]) from None
    return _parse_descriptor(text, str(file))


@functools.lru_cache(maxsize=8)
def _parse_descriptor(text: str, file: str) -> dict[str, Any]:
    """Parse and shape-check a data package descriptor (once per content and process)."""
    from pydantic import ValidationError

    try:
        raw: dict[str, Any] = json.loads(text)
    except json.JSONDecodeError as exc:
        found = f"invalid JSON ({exc})"
        raise DataError([Problem(file, "-", "-", found, "a JSON data package")]) from None
    try:
        _package_model().model_validate(raw)
    except ValidationError as exc:
        problems = [_shape_problem(file, error) for error in exc.errors()]
        raise DataError(problems) from None
    names = [r["name"] for r in raw["resources"]]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        found = f"resources named {', '.join(map(repr, twice))} twice"
        raise DataError([Problem(file, "-", "resources", found, "one resource per name")])
    return raw


SHAPE_WORDS = {
    "missing": "a value (required)",
    "model_type": "a JSON object",
    "dict_type": "a JSON object",
    "list_type": "a JSON list",
    "string_type": "text",
    "too_short": "at least one entry",
}


PATTERN_WORDS = {
    "path": "a CSV file name in the data folder (like regional.csv)",
    "name": "a table name in lower case (like sector_statistics)",
}


def _shape_problem(file: str, error: Mapping[str, Any]) -> Problem:
    """One pydantic error as a Problem: where in the descriptor, what was there, what is wanted."""
    loc = error["loc"]
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
    value = error.get("input")
    found = "nothing" if error["type"] == "missing" else f"{type(value).__name__} {value!r}"[:80]
    if error["type"] == "string_pattern_mismatch" and loc and loc[-1] in PATTERN_WORDS:
        expected = PATTERN_WORDS[str(loc[-1])]
    else:
        expected = SHAPE_WORDS.get(error["type"], error["msg"])
    return Problem(file, "-", where or "-", found, expected)


@functools.cache
def _package_model() -> Any:  # the model class, built once on first use
    """The shape this library relies on (Frictionless checks the rest).

    That is resources with a name, a plain CSV file name in the data folder, and a schema of named,
    typed fields.
    """
    from pydantic import BaseModel, ConfigDict, Field

    class Spec(BaseModel):
        model_config = ConfigDict(extra="allow")

    class FieldSpec(Spec):
        name: str
        type: str

    class SchemaSpec(Spec):
        fields: list[FieldSpec] = Field(min_length=1)

    class ResourceSpec(Spec):
        name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
        path: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*\.csv$")
        table_schema: SchemaSpec = Field(alias="schema")

    class PackageSpec(Spec):
        resources: list[ResourceSpec] = Field(min_length=1)

    return PackageSpec
