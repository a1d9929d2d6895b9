"""Cross-table checks that a per-table schema cannot express.

Each check takes the typed tables (name -> DataFrame) and their file names and returns a list of
:class:`ukcyber.errors.Problem`. They run after the Frictionless schema pass succeeds, so types,
required fields, enums and foreign keys can be relied on here.
"""

from __future__ import annotations

from collections.abc import Callable

from ukcyber.checks.common import Files, Tables
from ukcyber.checks.evidence import (
    confirmed_by,
    dating_rule,
    distinct_citations,
    evidence_matches_source,
    excluded_lines,
    geography_members,
    preferred_rows,
    ranks_given,
    repeats,
)
from ukcyber.checks.printed import printed_figures, printed_ranks
from ukcyber.checks.values import (
    calendar_years,
    change_spans,
    cumulative_periods,
    non_negative_counts,
    one_unit_per_metric,
    percent_range,
    shares_sum,
)
from ukcyber.errors import Problem

CHECKS: dict[str, Callable[[Tables, Files], list[Problem]]] = {
    "percent_range": percent_range,
    "non_negative_counts": non_negative_counts,
    "shares_sum": shares_sum,
    "one_unit_per_metric": one_unit_per_metric,
    "preferred_rows": preferred_rows,
    "repeats": repeats,
    "dating_rule": dating_rule,
    "change_spans": change_spans,
    "cumulative_periods": cumulative_periods,
    "calendar_years": calendar_years,
    "evidence_matches_source": evidence_matches_source,
    "confirmed_by": confirmed_by,
    "geography_members": geography_members,
    "excluded_lines": excluded_lines,
    "ranks_given": ranks_given,
    "distinct_citations": distinct_citations,
    "printed_figures": printed_figures,
    "printed_ranks": printed_ranks,
}


def run_checks(tables: Tables, files: Files) -> list[Problem]:
    """Run every cross-table check and return all problems found."""
    return [problem for check in CHECKS.values() for problem in check(tables, files)]
