"""nbval configuration for the stored notebook outputs.

Outputs are compared in full mode. The only volatile outputs are ipywidgets views, whose model
ids are random on every run; everything else (plotly JSON, briefing HTML, printed figures) is
stable for pinned versions and is compared.
"""

import pytest

VOLATILE_MIME_TYPES = (
    "application/vnd.jupyter.widget-view+json",
    "application/vnd.jupyter.widget-state+json",
)


def pytest_collection_modifyitems(items):
    """nbval executes every notebook in a kernel: keep it out of the fast lane."""
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.kernel)


def pytest_collectstart(collector):
    if collector.fspath and collector.fspath.ext == ".ipynb":
        collector.skip_compare += VOLATILE_MIME_TYPES
