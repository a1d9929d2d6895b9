"""Written briefings: short texts whose numbers come from the data, with their sources cited.

A :class:`Brief` is built from author-written templates and data values. Every value is escaped
for the output format (HTML and Markdown), so text taken from the data can never inject markup;
the templates themselves are trusted notebook text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ukcyber.escaping import escape_html, escape_markdown


def citation(row: pd.Series | dict, sources: pd.DataFrame) -> str:
    """Plain-text citation of one data row: document title, locator and section."""
    titles = sources.set_index("source_id")["title"]
    title = titles.get(row["source_id"], row["source_id"])
    section = f", section “{row['section']}”" if row.get("section") else ""
    return f"{title}, {row['locator']}{section}"


@dataclass
class Brief:
    """A briefing under construction: headline, paragraphs, bullets and cited sources."""

    title: str
    blocks: list[tuple[str, str, dict]] = field(default_factory=list)
    cited: list[str] = field(default_factory=list)

    def para(self, template: str, **values: object) -> Brief:
        """Add a paragraph; ``{name}`` fields in ``template`` are filled with escaped values."""
        self.blocks.append(("p", template, values))
        return self

    def bullet(self, template: str, **values: object) -> Brief:
        """Add a bullet point (consecutive bullets form one list)."""
        self.blocks.append(("li", template, values))
        return self

    def cite(self, rows: pd.DataFrame | pd.Series | dict, sources: pd.DataFrame) -> Brief:
        """Cite the source location of every row given (duplicates are listed once)."""
        if isinstance(rows, pd.DataFrame):
            records = rows.to_dict("records")
        else:
            records = [dict(rows)]
        for record in records:
            text = citation(record, sources)
            if text not in self.cited:
                self.cited.append(text)
        return self

    def _render(self, escape, para, bullets, sources_heading) -> str:
        out, items = [], []
        for kind, template, values in self.blocks:
            text = template.format(**{k: escape(v) for k, v in values.items()})
            if kind == "li":
                items.append(text)
                continue
            if items:
                out.append(bullets(items))
                items = []
            out.append(para(text))
        if items:
            out.append(bullets(items))
        if self.cited:
            out.append(sources_heading)
            out.append(bullets([escape(c) for c in self.cited]))
        return "\n".join(out)

    def to_html(self) -> str:
        """The briefing as an HTML fragment."""

        def bullets(items):
            return "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"

        body = self._render(
            escape_html,
            lambda t: f"<p>{t}</p>",
            bullets,
            '<p class="ukc-sources-heading"><strong>Sources</strong></p>',
        )
        return f'<div class="ukc-brief"><h3>{escape_html(self.title)}</h3>\n{body}</div>'

    def to_markdown(self) -> str:
        """The briefing as Markdown."""
        body = self._render(
            escape_markdown,
            lambda t: t + "\n",
            lambda items: "\n".join(f"- {i}" for i in items) + "\n",
            "**Sources**\n",
        )
        return f"### {escape_markdown(self.title)}\n\n{body}"

    def to_text(self) -> str:
        """Plain text, the form nbval compares: every number of the briefing appears here."""
        body = self._render(
            str, lambda t: t, lambda items: "\n".join(f"  * {i}" for i in items), "Sources:"
        )
        return f"{self.title}\n{body}"

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {"text/html": self.to_html(), "text/plain": self.to_text()}
