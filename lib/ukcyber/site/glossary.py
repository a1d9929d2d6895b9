"""The terms a reader meets on the pages, each explained in plain words (our own).

:data:`GLOSSARY` feeds the glossary page; :func:`terms_in` finds which terms a page uses, so
the page can explain them where they are used (its "Terms on this page" box).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    """One term: how it is written, an anchor on the glossary page, what it means."""

    term: str
    anchor: str
    meaning: str
    pattern: str = ""
    """A regular expression that finds the term in a page's text (default: the term itself)."""
    explain_on_page: bool = True
    """Whether a page using it explains it in its "Terms on this page" box (abbreviations and
    names; not the everyday words of the method, which the glossary and the methods page
    explain)."""

    def finds(self, text: str) -> bool:
        """Whether ``text`` uses the term (as a whole word, or by its own pattern)."""
        pattern = self.pattern or rf"(?<![\w-]){re.escape(self.term)}(?![\w-])"
        return re.search(pattern, text) is not None


GLOSSARY: tuple[Term, ...] = (
    Term(
        "GVA",
        "gva",
        "Gross value added: what an industry adds to the economy, roughly its "
        "revenue minus what it buys in from other businesses. The sector statistics use it "
        "as the sector's contribution to the UK economy.",
        r"\bGVA\b|gross value added",
    ),
    Term(
        "HHI",
        "hhi",
        "Herfindahl–Hirschman index, a measure of concentration: square each "
        "region's percentage share, add them up and scale to 10,000. 10,000 means one region "
        "holds everything; the lower the index, the more evenly spread.",
        r"\bHHI\b",
    ),
    Term(
        "ITL1",
        "itl1",
        "International Territorial Level 1: the 12 nations and regions of the "
        "UK used in official statistics (Scotland, Wales, Northern Ireland and the nine "
        "English regions such as the North West and London).",
        r"\bITL1\b",
    ),
    Term(
        "UN GGE",
        "un-gge",
        "The United Nations Group of Governmental Experts on information "
        "security. Its 2015 report set out 11 voluntary norms of responsible state behaviour "
        "in cyberspace, which UN member states endorsed.",
        r"\bUN GGE\b",
    ),
    Term(
        "non-paper",
        "non-paper",
        "An informal government document that sets out a position "
        "without being an official statement of policy; the UK's 2019 non-paper describes "
        "what it does to implement the UN GGE norms.",
        r"\bnon-paper\b",
    ),
    Term(
        "Cyber Security Sectoral Analysis",
        "sectoral-analysis",
        "The UK government's annual "
        "statistics on the cyber security sector (firms, jobs, revenue, GVA, investment). An "
        "edition is named after the year it is published and reports the year before: the "
        "2023 edition describes 2022.",
        r"Sectoral Analysis",
        explain_on_page=False,
    ),
    Term(
        "DCMS, DSIT",
        "dsit",
        "The Department for Digital, Culture, Media and Sport, which "
        "published the cyber sector statistics until 2023, and the Department for Science, "
        "Innovation and Technology, which publishes them since.",
        r"\b(?:DCMS|DSIT)\b",
    ),
    Term(
        "DIT",
        "dit",
        "The Department for International Trade (formerly UKTI DSO), which "
        "published the UK defence and security export statistics; its 2020 release changed "
        "the method.",
        r"\bDIT\b|UKTI",
    ),
    Term(
        "NCSC",
        "ncsc",
        "The National Cyber Security Centre, part of GCHQ, the UK's technical "
        "authority on cyber security.",
        r"\bNCSC\b",
    ),
    Term(
        "FTE",
        "fte",
        "Full-time equivalent: part-time jobs counted as fractions of a full-time one.",
        r"\bFTE\b",
    ),
    Term(
        "compound growth (CAGR)",
        "cagr",
        "The steady yearly growth rate that would take a "
        "figure from its first value to its last over the years between them. When either "
        "end is a bound, the growth is a bound too.",
        r"compound growth|\bCAGR\b",
        explain_on_page=False,
    ),
    Term(
        "bound",
        "bound",
        "A figure printed with “more than”, “over”, “at least” (a lower "
        "bound: the true value is above it) or “less than”, “up to”, “at most” (an upper "
        "bound). Pages keep the words, charts mark bounds with triangles or hatching, and "
        "anything computed from a bound is a bound.",
        r"\bbounds?\b",
        explain_on_page=False,
    ),
    Term(
        "range",
        "range",
        "Two bounds of one figure: “between 17% and 25%”. A range is drawn "
        "from its lower to its upper end.",
        r"\brange\b",
        explain_on_page=False,
    ),
    Term(
        "preferred figure",
        "preferred",
        "Where several sources give the same observation, "
        "the one used in series and headlines; the others stay visible, each with the reason "
        "it gives way.",
        r"\bpreferred\b",
        explain_on_page=False,
    ),
    Term(
        "caveat",
        "caveat",
        "What a reader could get wrong about a figure, in one sentence; "
        "printed beside the figure wherever it appears.",
        r"\bcaveats?\b",
        explain_on_page=False,
    ),
    Term(
        "data year",
        "data-year",
        "The year a figure describes, which is not the year it was "
        "published: a 2023 report may describe 2022.",
        r"data year",
        explain_on_page=False,
    ),
    Term(
        "forecast, target",
        "forecast",
        "A figure about the future: a forecast is someone's "
        "estimate, a target a goal. Neither is an observation.",
        r"\bforecasts?\b|\btargets?\b",
        explain_on_page=False,
    ),
    Term(
        "press report of official statistics",
        "press-report",
        "A news or blog item relaying "
        "figures from an official publication. Pages credit the official edition “as "
        "reported by” the outlet.",
        r"as reported by|press report",
        explain_on_page=False,
    ),
    Term(
        "cluster study",
        "cluster-study",
        "A study of one region's cyber businesses by a "
        "local network or university, with its own definitions and years; not comparable "
        "with the official UK counts.",
        r"cluster stud",
    ),
    Term(
        "National Cyber Power Index",
        "ncpi",
        "A ranking of countries' cyber capabilities and "
        "intent by Harvard's Belfer Center (editions 2020 and 2022); 1 is strongest.",
        r"Cyber Power Index",
    ),
    Term(
        "Five Eyes",
        "five-eyes",
        "The intelligence alliance of Australia, Canada, New Zealand, the UK and the US.",
        r"Five Eyes",
    ),
    Term(
        "ASEAN",
        "asean",
        "The Association of Southeast Asian Nations, ten member states.",
        r"\bASEAN\b",
    ),
    Term("NATO", "nato", "The North Atlantic Treaty Organization.", r"\bNATO\b"),
    Term(
        "FDI",
        "fdi",
        "Foreign direct investment: investment from abroad that sets up or "
        "expands a business in the UK.",
        r"\bFDI\b",
    ),
    Term(
        "unicorn",
        "unicorn",
        "A privately held start-up valued at 1 billion US dollars or more.",
        r"\bunicorns?\b",
    ),
    Term(
        "CSIRT",
        "csirt",
        "A computer security incident response team: the people a country "
        "or organisation calls when it is attacked.",
        r"\bCSIRTs?\b",
    ),
    Term(
        "NIS Regulations",
        "nis",
        "The Network and Information Systems Regulations 2018: "
        "security duties for operators of essential services and digital service providers.",
        r"\bNIS\b",
    ),
    Term(
        "Open Government Licence",
        "ogl",
        "The licence of most UK government publications: free reuse with attribution.",
        r"Open Government Licence|\bOGL\b",
    ),
    Term(
        "CC BY 4.0",
        "cc-by",
        "Creative Commons Attribution 4.0: reuse freely, saying where "
        "it comes from. The licence of our compiled data.",
        r"CC[ -]BY",
    ),
)
"""Every term, in the order the glossary lists them."""


def terms_in(text: str, *, on_page: bool = True) -> list[Term]:
    """The terms a page's text uses (with ``on_page``, only those a page explains itself)."""
    return [t for t in GLOSSARY if t.finds(text) and (t.explain_on_page or not on_page)]
