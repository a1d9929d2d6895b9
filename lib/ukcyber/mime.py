"""MIME types of notebook outputs that the library writes and the report renderer reads.

Each library object a notebook displays carries, besides ``text/plain`` (what nbval compares)
and ``text/html`` (what JupyterLab shows), one JSON type of its own with everything the report
page needs: captions, alt text, the rows drawn or listed, and reader-facing citations.
"""

PLOTLY_MIME = "application/vnd.plotly.v1+json"
"""plotly's own JSON bundle: JupyterLab draws it; the report renderer turns it into a chart."""

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
"""An ipywidgets view: interactive in JupyterLab and voila, left out of reports."""

FIGURE_MIME = "application/vnd.ukcyber.figure+json"
"""A chart's title, caption, alt text, drawn rows (for the CSV and the table alternative) and
citations; always displayed together with :data:`PLOTLY_MIME`."""

TABLE_MIME = "application/vnd.ukcyber.table+json"
"""A table's caption, columns, cells, CSV rows and citations."""

BRIEF_MIME = "application/vnd.ukcyber.brief+json"
"""A written briefing: title, blocks of safe HTML and citations."""

MAIN_POINTS_MIME = "application/vnd.ukcyber.main-points+json"
"""The report's main points, placed by the renderer right under the page header."""

LIBRARY_MIME_TYPES = (FIGURE_MIME, TABLE_MIME, BRIEF_MIME, MAIN_POINTS_MIME)
"""Outputs a report page is made of; anything else a notebook displays is left out."""
