"""MIME types of notebook outputs that the library writes and the report renderer reads."""

PLOTLY_MIME = "application/vnd.plotly.v1+json"
"""plotly's own JSON bundle: JupyterLab draws it; the report renderer turns it into a chart."""

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
"""An ipywidgets view: interactive in JupyterLab and voila, replaced by text in reports."""
