"""Report notebooks stay thin: parameters → validation → library calls → narrative.

Every notebook of the build matrix has at most 40 lines of code (non-blank, non-comment), its
first code cell is the ``parameters`` cell, and no metric id is written as a literal outside
it (metric choices live in the library, where they are tested).
"""

from __future__ import annotations

import ast
import tomllib

import nbformat
import pytest
from helpers import REPO
from ukcyber.data import load

MAX_CODE_LINES = 40
NOTEBOOKS = REPO / "notebooks"


def report_notebooks() -> list[str]:
    matrix = tomllib.loads((REPO / "reports.toml").read_text(encoding="utf-8"))
    return sorted({entry["notebook"] for entry in matrix["report"]})


def code_lines(nb: nbformat.NotebookNode) -> int:
    """Lines of code: non-blank lines of code cells that are not only a comment."""
    return sum(
        1
        for cell in nb.cells
        if cell.cell_type == "code"
        for line in cell.source.splitlines()
        if line.strip() and not line.strip().startswith("#")
    )


def literals(source: str) -> set[str]:
    return {
        node.value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }


def test_the_counter_counts_code_not_comments_or_blanks():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# a heading\nnot code"),
        nbformat.v4.new_code_cell(
            "x = 1\n\n# a comment\n    # indented comment\ny = 2  # trailing"
        ),
        nbformat.v4.new_code_cell("z = 3"),
    ]
    assert code_lines(nb) == 3


def test_every_notebook_of_the_matrix_is_checked():
    assert set(report_notebooks()) <= {p.stem for p in NOTEBOOKS.glob("*.ipynb")}
    assert len(report_notebooks()) >= 7


@pytest.mark.parametrize("name", report_notebooks())
def test_report_notebook_is_thin(name):
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    lines = code_lines(nb)
    assert lines <= MAX_CODE_LINES, f"{name} has {lines} lines of code (at most {MAX_CODE_LINES})"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", []), (
        f"{name}: first code cell is not parameters"
    )
    assert nb.metadata.get("ukcyber", {}).get("description"), f"{name}: no description"
    metric_ids = set(load("metrics")["metric"])
    for cell in code[1:]:
        named = literals(cell.source) & metric_ids
        assert not named, f"{name}: metric ids {sorted(named)} outside the parameters cell"
        assert "print(" not in cell.source, f"{name}: print() does not reach a page"
