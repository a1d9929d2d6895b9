"""Site pages that are not notebooks: the report index and the data dictionary."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pandas as pd

from ukcyber.citations import source_of
from ukcyber.templating import render

STATUS_LABEL = {
    "ok": "built",
    "skipped": "unchanged",
    "failed": "FAILED",
}


def _params_words(params: dict[str, Any]) -> str:
    return "; ".join(f"{k.replace('_', ' ')}: {v}" for k, v in params.items()) or "defaults"


def _group_title(entries: list[dict[str, Any]], notebook: str) -> str:
    heads = {str(e["title"]).split(":")[0].strip() for e in entries}
    return heads.pop() if len(heads) == 1 else notebook.replace("_", " ").capitalize()


def index_html(manifest: dict[str, Any]) -> str:
    """``reports/index.html``: every report by notebook, with parameters, build, status, PDF."""
    by_notebook: dict[str, list[dict[str, Any]]] = {}
    for entry in manifest["reports"].values():
        by_notebook.setdefault(entry["notebook"], []).append(entry)
    groups = []
    for notebook, entries in by_notebook.items():
        rows = []
        for e in entries:
            status = e["status"]
            label = STATUS_LABEL.get(status, status)
            if status == "failed":
                label += " (showing last good build)" if e.get("last_good") else " (no report yet)"
                label += f": {e.get('error', '')}"
            rows.append(
                {
                    "title": e["title"],
                    "href": e.get("html", ""),
                    "params": _params_words(e["params"]),
                    "built": e.get("built_at", ""),
                    "status": status,
                    "label": label,
                    "pdf": e.get("pdf", ""),
                }
            )
        groups.append({"title": _group_title(entries, notebook), "entries": rows})
    counts = Counter(e["status"] for e in manifest["reports"].values())
    summary = (
        f"{len(manifest['reports'])} reports ("
        + ", ".join(f"{n} {STATUS_LABEL.get(s, s)}" for s, n in counts.items())
        + ")"
    )
    return str(
        render(
            "index.html.j2",
            title="UK cyber security: reports",
            meta=[("Updated", manifest.get("generated_at", ""))],
            summary=summary,
            groups=groups,
            assets="assets",
            home="index.html",
            dictionary="data_dictionary.html",
        )
    )


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


def dictionary_html(descriptor: dict[str, Any], tables: dict[str, pd.DataFrame]) -> str:
    """The data dictionary: every table, its columns (type, rules, unit, meaning), sources."""
    sources = {str(r["source_id"]): r for r in tables["sources"].to_dict("records")}
    entries = []
    for res in descriptor["resources"]:
        name, table, schema = res["name"], tables[res["name"]], res["schema"]
        links = [
            f"The column {', '.join(_as_list(fk['fields']))} refers to "
            f"{', '.join(_as_list(fk['reference']['fields']))} in the {fk['reference']['resource']} table."
            for fk in schema.get("foreignKeys", [])
        ]
        used = []
        if "source_id" in table.columns and name != "sources":
            for key, n in table["source_id"].value_counts().items():
                source = source_of(sources.get(str(key), {"title": str(key)}), str(key))
                used.append(
                    {"title": source.title, "url": source.url, "kind": source.kind, "rows": n}
                )
        entries.append(
            {
                "title": res.get("title", name),
                "description": res.get("description", ""),
                "path": res["path"],
                "rows": len(table),
                "key": _as_list(schema.get("primaryKey", [])),
                "fields": [
                    {
                        "name": f["name"],
                        "type": f["type"],
                        "rules": _rules(f.get("constraints", {})),
                        "unit": _field_units(f["name"], table),
                        "description": f.get("description", ""),
                    }
                    for f in schema["fields"]
                ],
                "links": links,
                "sources": used,
            }
        )
    metrics = tables.get("metrics")
    metric_rows = []
    if metrics is not None:
        for m in metrics.to_dict("records"):
            unit = m["unit"] if m["scale"] == "one" else f"{m['unit']} ({m['scale']})"
            metric_rows.append({**m, "unit": unit})
    return str(
        render(
            "dictionary.html.j2",
            title="Data dictionary",
            description=descriptor.get("title", ""),
            tables=entries,
            metrics=metric_rows,
            assets="assets",
            home="index.html",
            dictionary="data_dictionary.html",
        )
    )
