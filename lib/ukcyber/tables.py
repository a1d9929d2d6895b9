"""Tables of data rows for a report: every cell escaped in HTML, plain text for nbval."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ukcyber.escaping import escape_html


@dataclass
class Table:
    """A table of data rows for display: every cell escaped in HTML, plain text for nbval."""

    rows: pd.DataFrame
    columns: dict[str, str]
    caption: str = ""

    def to_html(self) -> str:
        head = "".join(f"<th>{escape_html(label)}</th>" for label in self.columns.values())
        body = "".join(
            "<tr>" + "".join(f"<td>{escape_html(r[c])}</td>" for c in self.columns) + "</tr>"
            for _, r in self.rows.iterrows()
        )
        caption = f"<caption>{escape_html(self.caption)}</caption>" if self.caption else ""
        return f'<table class="ukc-table">{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'

    def to_text(self) -> str:
        lines = [self.caption] if self.caption else []
        for _, r in self.rows.iterrows():
            lines.append(" | ".join(str(r[c]) for c in self.columns))
        return "\n".join(lines) if lines else "(no rows)"

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {"text/html": self.to_html(), "text/plain": self.to_text()}
