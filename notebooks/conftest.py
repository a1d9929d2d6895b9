"""nbval configuration for the stored notebook outputs.

Outputs are compared in full mode. The only volatile outputs are ipywidgets views, whose model
ids are random on every run; everything else (plotly JSON, briefing HTML, printed figures) is
stable for pinned versions and is compared.
"""

VOLATILE_MIME_TYPES = (
    "application/vnd.jupyter.widget-view+json",
    "application/vnd.jupyter.widget-state+json",
)


def pytest_collectstart(collector):
    if collector.fspath and collector.fspath.ext == ".ipynb":
        collector.skip_compare += VOLATILE_MIME_TYPES
