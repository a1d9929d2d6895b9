"""Skip one optional import that cost every build process most of a second, for nothing.

jsonschema (imported by frictionless when it validates the data package, and by nbformat,
papermill, nbconvert and plotly's ``FigureWidget``) imports the optional ``rfc3987_syntax`` when
it is installed (jupyter-events asks for ``jsonschema[format-nongpl]``). That module compiles 39
lark grammars at import: ``import jsonschema`` took 0.79 s here, against 0.08 s without it. The
coordinator paid it validating edited data, the worker fork server once per build, and every
explorer kernel once per report. It only backs the ``iri`` and ``iri-reference`` format checks,
which no schema the build validates uses (``tests/test_build_parts.py`` reads the installed
schemas to prove it). Upstream: python-jsonschema/jsonschema#1428.

Only build processes skip it (the command line, the fork server and its workers, Dask workers
and the kernel template process); JupyterLab and notebooks run by hand are untouched.
"""

from __future__ import annotations

import sys

SKIPPED = ["rfc3987_syntax"]
"""Optional modules a build process treats as not installed."""


def skip(names: list[str] = SKIPPED) -> None:
    """Make ``import name`` raise ImportError in this process (unless already imported)."""
    for name in names:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]  # None: "not installed"
