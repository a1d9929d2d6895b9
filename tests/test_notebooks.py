"""Stored notebooks show readers only library objects: nothing is silently dropped from a page."""

from __future__ import annotations

import json

import pytest
from helpers import REPO
from ukcyber.mime import LIBRARY_MIME_TYPES, WIDGET_MIME

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_outputs_are_library_objects_only(path):
    """No print, no stderr, no bare values: each output is a chart, table, briefing, main
    points or a widget, so the report page (which shows only those) loses nothing."""
    nb = json.loads(path.read_text())
    for i, cell in enumerate(c for c in nb["cells"] if c["cell_type"] == "code"):
        for output in cell.get("outputs", []):
            where = f"{path.name} code cell {i}"
            assert output["output_type"] in {"display_data", "execute_result"}, (where, output)
            kinds = set(output["data"]) & {*LIBRARY_MIME_TYPES, WIDGET_MIME}
            assert kinds, f"{where} displays {sorted(output['data'])}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_has_one_set_of_main_points_and_a_description(path):
    nb = json.loads(path.read_text())
    outputs = [o for c in nb["cells"] for o in c.get("outputs", [])]
    points = [o for o in outputs if "application/vnd.ukcyber.main-points+json" in o.get("data", {})]
    assert len(points) == 1, path.name
    assert nb["metadata"]["ukcyber"]["description"].endswith(".")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_analyst_instructions_are_tagged_off_the_page(path):
    nb = json.loads(path.read_text())
    for cell in nb["cells"]:
        text = "".join(cell["source"])
        if cell["cell_type"] == "markdown" and ("papermill" in text or "**Parameters" in text):
            assert "analyst-note" in cell["metadata"].get("tags", []), text[:80]
