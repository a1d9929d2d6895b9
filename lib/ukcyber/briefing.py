"""Written briefings: short texts whose numbers come from the data, with their sources cited.

A :class:`Brief` is built from author-written templates and data values. Every value is escaped
for the output format (HTML and Markdown), so text taken from the data can never inject markup;
the templates themselves are trusted notebook text.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import pandas as pd

QUALIFIER_WORDS = {
    "exact": "",
    "approximately": "about ",
    "more_than": "more than ",
    "at_least": "at least ",
    "less_than": "less than ",
    "at_most": "at most ",
}
CURRENCY_SIGNS = {"GBP": "£", "USD": "$", "EUR": "€", "JPY": "¥"}
SCALE_WORDS = {"one": "", "thousand": " thousand", "million": " million", "billion": " billion"}
SCALE_WORDS["trillion"] = " trillion"
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>~])")


def number(value: float, digits: int = 1) -> str:
    """Format a number with thousands separators and no needless decimals (``58,005``, ``3.9``)."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.{digits}f}".rstrip("0").rstrip(".")


def format_value(value: float, unit: str, scale: str = "one", qualifier: str = "exact") -> str:
    """Render a figure as a reader expects it: ``£10.5 billion``, ``less than 1%``, ``1,979 firms``."""
    prefix = QUALIFIER_WORDS.get(qualifier, "")
    digits = 2 if scale in {"billion", "trillion"} else 1
    if unit in {"percent", "percent_change"}:
        return f"{prefix}{number(value, digits)}%"
    if unit in CURRENCY_SIGNS:
        return f"{prefix}{CURRENCY_SIGNS[unit]}{number(value, digits)}{SCALE_WORDS[scale]}"
    if unit == "rank":
        return f"{prefix}{ordinal(int(value))}"
    return f"{prefix}{number(value, digits)}{SCALE_WORDS[scale]} {unit}".strip()


def format_row(row: pd.Series | dict) -> str:
    """:func:`format_value` for a row of a figure table."""
    return format_value(row["value"], row["unit"], row.get("scale", "one"), row["qualifier"])


def ordinal(n: int) -> str:
    """``1`` → ``1st``, ``22`` → ``22nd``."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def escape_markdown(text: object) -> str:
    """Escape text for Markdown so that it renders literally (no links, emphasis or HTML)."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(str(text), quote=False))


def escape_html(text: object) -> str:
    """Escape text for HTML element content and attribute values."""
    return html.escape(str(text), quote=True)


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
