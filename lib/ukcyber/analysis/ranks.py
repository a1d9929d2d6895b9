"""Cyber power index ranks: the stated ranks of a country and the latest of them."""

from __future__ import annotations

import pandas as pd

NCPI = "National Cyber Power Index"
"""The index whose editions are charted over time (Belfer Center)."""


def stated_ranks(ranks: pd.DataFrame) -> pd.DataFrame:
    """Preferred rows that state a rank (not a repeat, not only a change of rank), by edition."""
    preferred = ranks["preferred"].fillna(False).astype(bool)
    return ranks[preferred & ranks["rank"].notna()].sort_values(["edition", "index_name"])


def latest_rank(ranks: pd.DataFrame) -> pd.Series | None:
    """The stated rank of the latest edition among ``ranks`` (one country's rows), or None."""
    stated = stated_ranks(ranks)
    return None if stated.empty else stated.iloc[-1]


def index_edition(row: pd.Series) -> str:
    """``Belfer National Cyber Power Index 2022`` (the edition left off when it is unknown)."""
    edition = row["edition"]
    return str(row["index_name"]) + ("" if pd.isna(edition) else f" {int(edition)}")


def index_series(ranks: pd.DataFrame, name: str = NCPI) -> pd.DataFrame:
    """The dated, preferred rows of one index (matched by ``name`` within its name)."""
    preferred = ranks["preferred"].fillna(False).astype(bool)
    return ranks[ranks["index_name"].str.contains(name) & ranks["edition"].notna() & preferred]
