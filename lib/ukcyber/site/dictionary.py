"""The data dictionary page (the front page and the other site pages are in ``frontpage``)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ukcyber.citations import source_of
from ukcyber.templating import render


def _rules(constraints: dict[str, Any]) -> str:
    words = []
    for key, value in constraints.items():
        if key == "required":
            words.append("required" if value else "optional")
        elif key == "enum":
            words.append("one of: " + ", ".join(map(str, value)))
        elif key == "minimum":
            words.append(f"at least {value}")
        elif key == "maximum":
            words.append(f"at most {value}")
        elif key == "minLength":
            words.append(f"at least {value} characters")
        elif key == "maxLength":
            words.append(f"at most {value} characters")
        elif key == "unique":
            words.append("unique" if value else "")
        elif key == "pattern":
            words.append(f"matches the pattern {value}")
        else:
            words.append(f"{key} {value}")
    return "; ".join(w for w in words if w)


INTERNAL_WORDS = (
    ("plain-text edition", "plain-text copy"),
    ("text edition", "plain-text copy"),
    ("notebooks can show", "pages can show"),
)
"""Words of the data's own descriptions that name our working files, said for a reader."""


def reader_words(text: str) -> str:
    """A description from ``datapackage.json`` in a reader's words."""
    for old, new in INTERNAL_WORDS:
        text = text.replace(old, new)
    return text


def _as_list(value: Any) -> list[str]:
    return value if isinstance(value, list) else [value]


def _field_units(field: str, table: pd.DataFrame) -> str:
    """Units that apply to a field: for ``value``, the units its rows use."""
    if field != "value" or "unit" not in table.columns:
        return ""
    if "scale" not in table.columns:
        return ", ".join(sorted(table["unit"].unique()))
    pairs = table[["unit", "scale"]].drop_duplicates()
    labels = [u if s == "one" else f"{u} ({s})" for u, s in pairs.itertuples(index=False)]
    return ", ".join(sorted(labels)) + " (see the unit and scale columns)"


def dictionary_html(
    descriptor: dict[str, Any],
    tables: dict[str, pd.DataFrame],
    meta: list[tuple[str, str]] | None = None,
) -> str:
    """The data dictionary: every table, its columns (type, rules, unit, meaning), sources.

    ``meta`` (e.g. "Data as of") is shown under the title.
    """
    sources = {str(r["source_id"]): r for r in tables["sources"].to_dict("records")}
    entries = [_table_entry(res, tables[res["name"]], sources) for res in descriptor["resources"]]
    metrics = tables.get("metrics")
    metric_rows = []
    if metrics is not None:
        for m in metrics.to_dict("records"):
            unit = m["unit"] if m["scale"] == "one" else f"{m['unit']} ({m['scale']})"
            metric_rows.append(
                {**m, "unit": unit, "description": reader_words(str(m["description"]))}
            )
    return str(
        render(
            "dictionary.html.j2",
            title="Data dictionary",
            description=descriptor.get("title", ""),
            tables=entries,
            metrics=metric_rows,
            meta=meta or [],
            assets="assets",
            root="",
        )
    )


def _table_entry(
    res: dict[str, Any], table: pd.DataFrame, sources: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """One table of the dictionary: its description, key, fields, links and sources used."""
    name, schema = res["name"], res["schema"]
    links = [
        f"The column {', '.join(_as_list(fk['fields']))} refers to "
        f"{', '.join(_as_list(fk['reference']['fields']))} in the {fk['reference']['resource']} table."
        for fk in schema.get("foreignKeys", [])
    ]
    used = []
    if "source_id" in table.columns and name != "sources":
        for key, n in table["source_id"].value_counts().items():
            source = source_of(sources.get(str(key), {"title": str(key)}), str(key))
            used.append({"title": source.title, "url": source.url, "kind": source.kind, "rows": n})
    return {
        "title": res.get("title", name),
        "description": reader_words(res.get("description", "")),
        "path": res["path"],
        "rows": len(table),
        "key": _as_list(schema.get("primaryKey", [])),
        "fields": [
            {
                "name": f["name"],
                "type": f["type"],
                "rules": _rules(f.get("constraints", {})),
                "unit": _field_units(f["name"], table),
                "description": reader_words(f.get("description", "")),
            }
            for f in schema["fields"]
        ],
        "links": links,
        "sources": used,
    }
