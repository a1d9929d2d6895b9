"""``ukcyber new NAME``: a new report notebook that builds first time, and its matrix entry.

The notebook has the ``ukcyber`` kernel, an analyst note, a ``parameters`` cell (a metric and
a place, with help comments papermill shows), a validating call to the query API
(:func:`ukcyber.evidence.series`), main points, a first chart and a table, and a one-sentence
``metadata.ukcyber.description``; ``reports.toml`` gains a ``[[report]]`` entry for it.
Nothing is written when the name is taken or invalid, or the metric and place have no figures.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ukcyber.errors import ParameterError

NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,59}")
KERNEL = {"name": "ukcyber", "display_name": "Python (ukcyber)", "language": "python"}


def _source(text: str) -> list[str]:
    lines = text.strip("\n").split("\n")
    return [line + "\n" for line in lines[:-1]] + lines[-1:]


def _cell(kind: str, text: str, index: int, tags: tuple[str, ...] = ()) -> dict[str, Any]:
    cell: dict[str, Any] = {
        "cell_type": kind,
        "id": f"cell-{index:02d}",
        "metadata": {"tags": list(tags)} if tags else {},
        "source": _source(text),
    }
    if kind == "code":
        cell |= {"execution_count": None, "outputs": []}
    return cell


def notebook(name: str, title: str, description: str, metric: str, place: str) -> dict[str, Any]:
    """The new notebook as nbformat 4 JSON (a dict)."""
    cells = [
        (
            "markdown",
            f"# {title}\n\n{description}\n\n"
            "**Parameters** (set them below, or with "
            f"`ukcyber build --only {name} -p place='London'`):\n\n"
            '- `metric`: a metric id (`ukcyber.evidence.metrics()`; `evidence.find("jobs")` '
            "finds them by words);\n"
            "- `place`: where the figures apply (`ukcyber.evidence.places(metric)`).",
            ("analyst-note",),
        ),
        (
            "code",
            f'metric: str = "{metric}"  # metric to show (str; see ukcyber.evidence.metrics())\n'
            f'place: str = "{place}"  # where (str; see ukcyber.evidence.places(metric))',
            ("parameters",),
        ),
        (
            "code",
            "from ukcyber import evidence\nfrom ukcyber.findings import series\n\n"
            "# every figure of the metric for the place, with bounds, caveats and citations;\n"
            "# an unknown metric or place stops here with one message (did you mean ...?)\n"
            "rows = evidence.series(metric, place)",
            (),
        ),
        ("code", "series.main_points(rows)", ()),
        (
            "markdown",
            "## The figures\n\nWhat the sources give, year by year. "
            "(Replace this with what a reader should take from the chart.)",
            (),
        ),
        ("code", "series.chart(rows)", ()),
        ("code", "series.table(rows)", ()),
    ]
    return {
        "cells": [_cell(kind, text, i, tags) for i, (kind, text, tags) in enumerate(cells)],
        "metadata": {
            "kernelspec": KERNEL,
            "language_info": {"name": "python"},
            "ukcyber": {"description": description},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def matrix_entry(name: str, title: str, description: str) -> str:
    """The ``[[report]]`` table appended to ``reports.toml`` (one report, the defaults)."""
    return (
        f"\n[[report]]\nnotebook = {json.dumps(name)}\ntitle = {json.dumps(title)}\n"
        f"description = {json.dumps(description)}\n"
    )


def new(
    project: Path,
    name: str,
    *,
    title: str = "",
    description: str = "",
    metric: str = "employment",
    place: str = "UK",
) -> tuple[Path, Path]:
    """Write ``notebooks/NAME.ipynb`` and its ``reports.toml`` entry; return both paths.

    Raises
    ------
    ParameterError
        If the name is not a plain notebook name or is taken (a notebook or a matrix entry),
        or the metric or place is unknown or has no figures (``did you mean``).
    """
    from ukcyber import evidence

    if not NAME.fullmatch(name):
        raise ParameterError(
            f"notebook name {name!r}: use letters, digits, _ and - (starting with a letter), "
            "without .ipynb or a folder"
        )
    target = project / "notebooks" / f"{name}.ipynb"
    matrix = project / "reports.toml"
    if target.exists():
        raise ParameterError(f"{target} already exists; choose another name")
    text = matrix.read_text(encoding="utf-8-sig") if matrix.exists() else ""
    if re.search(rf'^\s*notebook\s*=\s*"{re.escape(name)}"', text, re.M):
        raise ParameterError(f"{matrix} already has a report of notebook {name!r}")
    rows = evidence.series(metric, place)
    title = title or name.replace("_", " ").replace("-", " ").capitalize()
    subject = str(rows.attrs["caption"])
    description = description or f"{subject}: every figure the sources give, with its source."
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(
        json.dumps(notebook(name, title, description, str(rows["metric"].iloc[0]), place), indent=1)
        + "\n",
        encoding="utf-8",
    )
    with matrix.open("a", encoding="utf-8") as fh:
        fh.write(matrix_entry(name, title, description))
    return target, matrix
