"""Counting items and mentions: by column, the most common value, mentions per partner."""

from __future__ import annotations

import pandas as pd

from ukcyber.data import split_list


def mentions(table: pd.DataFrame, columns: list[str], name: str) -> pd.DataFrame:
    """Rows where ``name`` is one of the semicolon-separated entries of any of ``columns``."""
    mask = pd.Series(False, index=table.index)
    for column in columns:
        mask |= table[column].map(lambda cell: name in split_list(cell))
    return table[mask]


def count_by(table: pd.DataFrame, column: str, *, split: bool = False) -> pd.DataFrame:
    """Count rows per value of ``column`` (per entry of a semicolon list when ``split``)."""
    values = table[column].map(split_list).explode().dropna() if split else table[column]
    counts = values.value_counts().rename_axis(column).reset_index(name="count")
    return counts.sort_values(["count", column], ascending=[False, True]).reset_index(drop=True)


def most_common(table: pd.DataFrame, column: str, *, split: bool = False) -> tuple[list[str], int]:
    """The most frequent value(s) of ``column`` and their count; every tied value is returned."""
    counts = count_by(table, column, split=split)
    if counts.empty:
        return [], 0
    top = int(counts["count"].iloc[0])
    return counts.loc[counts["count"] == top, column].astype(str).tolist(), top


def mention_counts(partnerships: pd.DataFrame, recommendations: pd.DataFrame) -> pd.DataFrame:
    """How the documents mention one country: rows ``kind``, ``count`` and ``documents``.

    Kinds: partnerships or programmes (``relation`` partner), citations as a model (comparator)
    and recommendations naming it; every kind is listed, with zero when absent.
    """
    kinds = {
        "partnership or programme": partnerships[partnerships["relation"] == "partner"],
        "cited as a model": partnerships[partnerships["relation"] == "comparator"],
        "recommendation naming it": recommendations,
    }
    return pd.DataFrame(
        [
            {"kind": kind, "count": len(rows), "source_ids": list(dict.fromkeys(rows["source_id"]))}
            for kind, rows in kinds.items()
        ]
    )


def count_with_sources(table: pd.DataFrame, column: str, *, split: bool = False) -> pd.DataFrame:
    """:func:`count_by` plus ``source_ids``: the documents each count comes from."""
    counts = count_by(table, column, split=split)
    values = table[column].map(split_list) if split else table[column].map(lambda v: [v])
    ids = []
    for value in counts[column]:
        mask = values.map(lambda entries, value=value: value in entries)
        ids.append(list(dict.fromkeys(table.loc[mask, "source_id"])))
    return counts.assign(source_ids=ids)
