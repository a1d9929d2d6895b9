"""Written briefings and main points: short texts whose numbers come from the data, each cited.

A :class:`Brief` (and :class:`MainPoints`) is built from author-written templates and data
values. Templates are trusted notebook text; every value is escaped for the output it is placed
in (HTML, Markdown), so text from the data can never inject markup. Citations name the document
in words, its kind and the place in it, and link to it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from markupsafe import Markup

from ukcyber.citations import Citation, cite_rows, row_words
from ukcyber.escaping import escape_markdown
from ukcyber.formatting import words
from ukcyber.mime import BRIEF_MIME, MAIN_POINTS_MIME
from ukcyber.templating import render


def _rows(rows: pd.DataFrame | pd.Series | Mapping[str, Any]) -> list[dict[str, Any]]:
    if isinstance(rows, pd.DataFrame):
        return rows.to_dict("records")
    return [dict(rows)]


def citation(row: pd.Series | Mapping[str, Any], sources: pd.DataFrame) -> str:
    """Plain-text citation of one data row: source in words, then where in it."""
    return cite_rows(_rows(row), sources)[0].text()


@dataclass
class Text:
    """One filled template: safe HTML and plain text."""

    html: Markup
    text: str
    markdown: str

    @classmethod
    def fill(cls, template: str, values: Mapping[str, object]) -> Text:
        """Fill ``template`` with ``values`` in all three forms, each value escaped for its own."""
        plain = {k: words(v) for k, v in values.items()}
        return cls(
            html=Markup(template).format(**plain),
            text=template.format(**plain),
            markdown=template.format(**{k: escape_markdown(v) for k, v in plain.items()}),
        )


def _add_citations(target: list[Citation], rows: Any, sources: pd.DataFrame) -> None:
    for c in cite_rows(_rows(rows), sources):
        if c not in target:
            target.append(c)


@dataclass
class Brief:
    """A briefing under construction: headline, paragraphs, bullets and cited sources."""

    title: str
    blocks: list[tuple[str, Text]] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)

    def para(self, template: str, **values: object) -> Brief:
        """Add a paragraph; ``{name}`` fields in ``template`` are filled with escaped values."""
        self.blocks.append(("p", Text.fill(template, values)))
        return self

    def bullet(self, template: str, **values: object) -> Brief:
        """Add a bullet point (consecutive bullets form one list)."""
        self.blocks.append(("li", Text.fill(template, values)))
        return self

    def cite(self, rows: pd.DataFrame | pd.Series | dict, sources: pd.DataFrame) -> Brief:
        """Cite the source location of every row given (duplicates are listed once)."""
        _add_citations(self.citations, rows, sources)
        return self

    @property
    def cited(self) -> list[str]:
        """The citations as plain text."""
        return [c.text() for c in self.citations]

    def groups(self) -> list[tuple[str, list[Text]]]:
        """Blocks grouped for output: ``("p", [text])`` or ``("ul", [bullets...])``."""
        out: list[tuple[str, list[Text]]] = []
        for kind, text in self.blocks:
            if kind == "li" and out and out[-1][0] == "ul":
                out[-1][1].append(text)
            else:
                out.append(("ul" if kind == "li" else "p", [text]))
        return out

    def to_json(self) -> dict[str, Any]:
        """The briefing as the JSON a report page renders: title, grouped HTML texts, citations."""
        return {
            "title": self.title,
            "groups": [[kind, [str(t.html) for t in texts]] for kind, texts in self.groups()],
            "citations": [c.to_json() for c in self.citations],
        }

    def to_html(self, *, level: int = 3) -> Markup:
        """The briefing as an HTML fragment (heading ``h{level}``)."""
        return render("brief.html.j2", brief=self.to_json(), level=level, anchor="")

    def to_markdown(self) -> str:
        """The briefing as Markdown (every data value escaped)."""
        parts = [f"### {escape_markdown(self.title)}", ""]
        for kind, texts in self.groups():
            if kind == "ul":
                parts += [f"- {t.markdown}" for t in texts] + [""]
            else:
                parts += [texts[0].markdown, ""]
        if self.citations:
            parts += ["**Sources**", ""] + [f"- {escape_markdown(c)}" for c in self.cited]
        return "\n".join(parts)

    def to_text(self) -> str:
        """Plain text, the form nbval compares: every number of the briefing appears here."""
        lines = [self.title]
        for kind, texts in self.groups():
            lines += [f"  * {t.text}" for t in texts] if kind == "ul" else [texts[0].text]
        if self.citations:
            lines += ["Sources:"] + [
                f"  * {c} ({cit.source.kind})"
                for c, cit in zip(self.cited, self.citations, strict=True)
            ]
        return "\n".join(lines)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return {
            "text/html": str(self.to_html()),
            "text/plain": self.to_text(),
            BRIEF_MIME: self.to_json(),
        }


def _by_label(citations: list[Citation]) -> list[Citation]:
    """One citation per source label (the place in it dropped), for compact source lines."""
    seen: dict[str, Citation] = {}
    for c in citations:
        seen.setdefault(c.label, Citation(c.label, "", c.source))
    return list(seen.values())


CAVEATS_IN_FULL = 2
"""A finding spells out up to this many distinct caveats; beyond, it says how many and where."""


def caveat_text(rows: list[dict[str, Any]], sources: pd.DataFrame | None = None) -> str:
    """The caveats of the figures a finding rests on, as a sentence to append to it.

    ``Caveat: probably a currency misprint …``; with more distinct caveats than
    :data:`CAVEATS_IN_FULL`, how many figures carry one and where they are printed.
    """
    caveats = list(dict.fromkeys(row_words(r.get("caveat", ""), sources=sources) for r in rows))
    caveats = [c for c in caveats if c]
    if not caveats:
        return ""
    if len(caveats) > CAVEATS_IN_FULL:
        return (
            f"Caveats: {len(caveats)} different caveats apply to the figures behind this; "
            "each is printed in the notes under the charts and tables below."
        )
    joined = " ".join(c if c.endswith(".") else f"{c}." for c in caveats)
    return f"{'Caveat' if len(caveats) == 1 else 'Caveats'}: {joined}"


def with_caveats(text: Text, caveat: str) -> Text:
    """``text`` followed by ``caveat`` (escaped), in the same sentence block."""
    if not caveat:
        return text
    return Text(
        html=Markup('{} <span class="ukc-point-caveat">{}</span>').format(text.html, caveat),
        text=f"{text.text} {caveat}",
        markdown=f"{text.markdown} {escape_markdown(caveat)}",
    )


@dataclass
class MainPoints:
    """The 1 to 5 findings a report leads with, each computed from the data and cited.

    A selection with little to say leads with one finding (or one sentence saying there is
    nothing to show), never with padding; more than five is a list, not main points.
    """

    points: list[tuple[Text, list[Citation]]] = field(default_factory=list)

    MINIMUM, MAXIMUM = 1, 5

    def add(
        self,
        template: str,
        *,
        rows: pd.DataFrame | pd.Series | dict | None = None,
        sources: pd.DataFrame | None = None,
        **values: object,
    ) -> MainPoints:
        """Add a finding; ``rows`` (with ``sources``) are the figures it rests on.

        A finding that rests on a caveated figure carries the caveat in its own words, so it
        can never be quoted without it (:func:`caveat_text`).
        """
        cited: list[Citation] = []
        text = Text.fill(template, values)
        if rows is not None and sources is not None:
            _add_citations(cited, rows, sources)
            text = with_caveats(text, caveat_text(_rows(rows), sources))
        self.points.append((text, cited))
        return self

    def to_json(self) -> dict[str, Any]:
        """The points with their citations.

        Raises
        ------
        ValueError
            Unless there are 1 to 5 points: a report leads with a few findings, not a list
            (and a selection with nothing to show says so in one point).
        """
        if not self.MINIMUM <= len(self.points) <= self.MAXIMUM:
            hint = (
                "; add one saying there is nothing to show for this selection"
                if not self.points
                else ""
            )
            raise ValueError(
                f"main points need {self.MINIMUM} to {self.MAXIMUM} findings, "
                f"got {len(self.points)}{hint}"
            )
        return {
            "points": [
                {"html": str(t.html), "citations": [c.to_json() for c in _by_label(cites)]}
                for t, cites in self.points
            ]
        }

    def to_text(self) -> str:
        """The main points as plain text, each followed by its sources."""
        lines = ["Main points"]
        for text, cites in self.points:
            lines.append(f"  * {text.text}")
            lines += [f"    Source: {c.text()}" for c in cites]
        return "\n".join(lines)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        data = self.to_json()
        return {
            "text/html": str(render("main_points.html.j2", points=data["points"])),
            "text/plain": self.to_text(),
            MAIN_POINTS_MIME: data,
        }
