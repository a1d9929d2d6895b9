"""Kinds of source (``sources.kind``) that the checks, the analysis and citations treat alike."""

from __future__ import annotations

PRESS_REPORT = "press_report_of_official_statistics"
"""A news or blog item relaying official statistics."""

OFFICIAL_PUBLICATION_KINDS = frozenset(
    {
        "official_statistics",
        "official_research",
        "departmental_publication",
        "parliamentary_record",
        "copy_of_official_report",
    }
)
"""Kinds of source that are official publications (or a faithful copy of one's text), read
first-hand rather than in press coverage."""
