"""Tables of data rows for a report: cells escaped, each row cited, rows kept for the CSV."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from markupsafe import Markup

from ukcyber.citations import cite_rows, row_words
from ukcyber.formatting import words
from ukcyber.mime import TABLE_MIME
from ukcyber.templating import render


def _cell(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return words(value)


def _raw(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


@dataclass
class Table:
    """A table of data rows: the ``columns`` shown (data column → heading), and optionally sources.

    When ``sources`` is given, a Source column cites each row (document, kind, place, link).
    """

    rows: pd.DataFrame
    columns: dict[str, str]
    caption: str = ""
    sources: pd.DataFrame | None = None

    def cells(self) -> list[dict[str, str]]:
        """The table's cells as text, column by column for each row."""
        return [{c: _cell(r.get(c)) for c in self.columns} for r in self.rows.to_dict("records")]

    def to_json(self) -> dict[str, Any]:
        """Caption, columns, cells and one citation per row (or none without sources)."""
        cites = (
            [cite_rows([r], self.sources)[0].to_json() for r in self.rows.to_dict("records")]
            if self.sources is not None and "source_id" in self.rows.columns
            else []
        )
        return {
            "caption": self.caption,
            "columns": [{"key": k, "label": v} for k, v in self.columns.items()],
            "rows": self.cells(),
            "row_citations": cites,
            "row_notes": self.notes(),
        }

    def notes(self) -> list[dict[str, str]]:
        """Per row, what the page prints beside it and what its CSV keeps.

        That is the caveat (row ids put in words), and for machines and page dates the row's id,
        metric, period and basis.
        """
        return [
            {
                "caveat": row_words(r.get("caveat", ""), sources=self.sources),
                **{k: _raw(r.get(k)) for k in ("id", "metric", "period", "basis")},
            }
            for r in self.rows.to_dict("records")
        ]

    def to_html(self) -> Markup:
        """The table as an HTML fragment (without a CSV link or a number)."""
        return render("table.html.j2", table=self.to_json(), csv_href=None, number=None)

    def to_text(self) -> str:
        """The table as plain text: its caption, then a line of cells a row (and its citation)."""
        data = self.to_json()
        lines = [self.caption] if self.caption else []
        for i, row in enumerate(data["rows"]):
            cells = [row[c] for c in self.columns]
            if data["row_citations"]:
                c = data["row_citations"][i]
                cells.append(f"{c['label']}, {c['where']}".rstrip(", "))
            lines.append(" | ".join(cells))
        return "\n".join(lines) if lines else "(no rows)"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return {
            "text/html": str(self.to_html()),
            "text/plain": self.to_text(),
            TABLE_MIME: self.to_json(),
        }
