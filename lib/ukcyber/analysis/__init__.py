"""Analysis helpers shared by the notebooks: series, growth, shares, gaps, counts, markets.

Functions take and return plain DataFrames/Series so they are easy to test and to reuse.
Notebooks use them as ``analysis.<name>``; each lives in the module of its concern.
"""

from __future__ import annotations

from ukcyber.analysis.counts import (
    count_by,
    count_with_sources,
    mention_counts,
    mentions,
    most_common,
)
from ukcyber.analysis.markets import (
    latest_shared_year,
    market_estimates,
    series_labels,
)
from ukcyber.analysis.ranks import NCPI, index_edition, index_series, latest_rank, stated_ranks
from ukcyber.analysis.series import (
    EXACT_QUALIFIERS,
    LOWER_BOUNDS,
    OFFICIAL_KINDS,
    UPPER_BOUNDS,
    Growth,
    alternatives,
    bounded_cagr,
    cagr,
    derived_qualifier,
    growth,
    headline_series,
    period_cagr,
    select,
    window,
)
from ukcyber.analysis.shares import (
    Comparison,
    concentration_index,
    gap,
    region_gap,
    rest_of_uk,
    share_bounds,
    top_gaps,
    unaccounted_share,
)

__all__ = [
    "OFFICIAL_KINDS",
    "EXACT_QUALIFIERS",
    "select",
    "headline_series",
    "alternatives",
    "growth",
    "cagr",
    "LOWER_BOUNDS",
    "UPPER_BOUNDS",
    "derived_qualifier",
    "Growth",
    "bounded_cagr",
    "window",
    "period_cagr",
    "concentration_index",
    "share_bounds",
    "unaccounted_share",
    "gap",
    "rest_of_uk",
    "Comparison",
    "top_gaps",
    "region_gap",
    "mentions",
    "count_by",
    "most_common",
    "mention_counts",
    "count_with_sources",
    "market_estimates",
    "latest_shared_year",
    "series_labels",
    "NCPI",
    "stated_ranks",
    "latest_rank",
    "index_edition",
    "index_series",
]
