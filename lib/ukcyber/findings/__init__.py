"""What each report notebook finds and says: one module per notebook, computed and worded once.

A report notebook is a parameters cell, a validation call and a few calls into its module
here (``sector``, ``regional``, ``country``, ``exports``, ``norms``, ``recommendations``,
``explore``), with its narrative in markdown. Each module turns validated parameters into a
*view* (the rows the report rests on, computed once) and then into what the page shows: main
points, charts (through the chart kit), tables and a briefing. A finding that appears both in
the main points and in the briefing is computed by one function and worded by one template,
so the two can never disagree.

Everything a view holds comes from the query API (:mod:`ukcyber.evidence`) and the analysis
helpers (:mod:`ukcyber.analysis`); the modules add only the choices of one report.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go

from ukcyber.charts import mimebundle


@dataclass(frozen=True)
class Chart:
    """A chart with its caption, displayed like :func:`ukcyber.charts.show`.

    The last line of a cell is enough to display it: plotly's JSON, the rows drawn, the caption and
    alt text.
    """

    figure: go.Figure
    caption: str = ""
    alt: str = ""

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return mimebundle(self.figure, caption=self.caption, alt=self.alt)
