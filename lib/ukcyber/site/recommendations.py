"""The recommendations explorer: every recommendation and commitment on one offline page.

The rows are rendered into the page (so it reads without JavaScript) and again as JSON for
``assets/finder.js``, which filters them by document, theme, actor, instrument and country
and by free text, keeps a live count, and builds a CSV of the rows shown. The full CSV written
beside the page has exactly the same columns and quoting, so a download of every row equals it.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from ukcyber.citations import cite, short_title
from ukcyber.data import split_list
from ukcyber.escaping import script_json
from ukcyber.formatting import words
from ukcyber.templating import render

CSV_COLUMNS = [
    "id",
    "document",
    "kind",
    "theme",
    "actor",
    "instrument",
    "comparator_countries",
    "partner_countries",
    "summary",
    "source",
    "source_url",
    "locator",
]
"""Columns of the CSV download, in order; the browser writes the same columns."""

FACETS = [
    ("document", "Document"),
    ("theme", "Theme"),
    ("actor", "Actor"),
    ("instrument", "Instrument"),
    ("countries", "Country"),
]
"""(row field, label) of each filter; ``countries`` is a list per row."""

CSV_NAME = "recommendations.csv"


def _text(value: object) -> str:
    return "" if value is None or pd.isna(value) else str(value).strip()


def recommendation_rows(recs: pd.DataFrame, sources: pd.DataFrame) -> list[dict[str, Any]]:
    """Every row of ``recommendations`` as the page shows it: words, countries split, cited."""
    titles = {str(r["source_id"]): short_title(r) for r in sources.to_dict("records")}
    lookup = {str(r["source_id"]): r for r in sources.to_dict("records")}
    rows = []
    for rec in recs.to_dict("records"):
        comparators = split_list(rec.get("comparator_countries"))
        partners = split_list(rec.get("partner_countries"))
        citation = cite(rec, lookup)
        rows.append(
            {
                "id": _text(rec["id"]),
                "document": titles.get(_text(rec["source_id"]), "Unknown source"),
                "kind": words(_text(rec["kind"])),
                "theme": _text(rec["theme"]),
                "actor": _text(rec["actor"]),
                "instrument": words(_text(rec["instrument"])),
                "comparator_countries": "; ".join(comparators),
                "partner_countries": "; ".join(partners),
                "countries": sorted(set(comparators) | set(partners)),
                "summary": _text(rec["summary"]),
                "source": citation.label,
                "source_url": citation.url,
                "locator": citation.where,
            }
        )
    return rows


def facet_options(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each filter with its values (sorted) and how many rows have each."""
    facets = []
    for field, label in FACETS:
        counts: Counter[str] = Counter()
        for row in rows:
            values = row[field] if isinstance(row[field], list) else [row[field]]
            counts.update(v for v in values if v)
        options = [{"value": v, "count": counts[v]} for v in sorted(counts, key=str.casefold)]
        facets.append({"field": field, "label": label, "options": options})
    return facets


def recommendations_csv(rows: Sequence[Mapping[str, Any]]) -> bytes:
    r"""The rows as CSV (UTF-8 with a byte-order mark, ``\\n`` line ends, minimal quoting)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def documents_of(recs: pd.DataFrame, sources: pd.DataFrame) -> list[dict[str, Any]]:
    """The documents the rows come from, each with how to get it when it has no address."""
    from ukcyber.citations import source_of

    keys = list(dict.fromkeys(recs["source_id"].astype(str)))
    records = {str(r["source_id"]): r for r in sources.to_dict("records")}
    out = []
    for key in keys:
        source = source_of(records.get(key, {"title": "Unknown source"}), key)
        out.append({**source.__dict__, "how": source.how_to_get})
    return out


def recommendations_html(
    rows: Sequence[Mapping[str, Any]],
    *,
    meta: Sequence[tuple[str, str]],
    root: str = "",
    document_list: Sequence[Mapping[str, Any]] = (),
) -> str:
    """The explorer page (``reports/recommendations.html``).

    ``document_list`` (:func:`documents_of`) says where each document can be found.
    """
    documents = len({row["document"] for row in rows})
    return str(
        render(
            "recommendations.html.j2",
            title="Recommendations and commitments",
            rows=rows,
            documents=documents,
            facets=facet_options(rows),
            data_json=script_json(
                {
                    "columns": CSV_COLUMNS,
                    "rows": [{k: r[k] for k in (*CSV_COLUMNS, "countries")} for r in rows],
                }
            ),
            csv_href=CSV_NAME,
            document_list=list(document_list),
            meta=list(meta),
            root=root,
            assets=f"{root}assets",
        )
    )
