"""Build every report of the matrix in ``reports.toml``: checked, parallel, incremental, atomic.

Modules, each readable at one sitting:

- :mod:`~ukcyber.build.jobs`: a report job and its bounded file-name slug;
- :mod:`~ukcyber.build.notebooks`: the parameters a notebook declares, with their defaults;
- :mod:`~ukcyber.build.matrix`: ``reports.toml`` as a typed model, checked and expanded to jobs;
- :mod:`~ukcyber.build.adhoc`: ``--only NOTEBOOK -p name=value``, checked like the matrix;
- :mod:`~ukcyber.build.fingerprint`: one hash over every input of a report;
- :mod:`~ukcyber.build.files`: all-or-nothing file groups and leftover clean-up in ``reports/``;
- :mod:`~ukcyber.build.lock`: one build at a time per reports folder;
- :mod:`~ukcyber.build.manifest`: the typed, versioned ``manifest.json``;
- :mod:`~ukcyber.build.worker`: execute and render one report, returning bytes;
- :mod:`~ukcyber.build.kernels`: a fresh kernel per report, started ahead, asked which tables
  the report read;
- :mod:`~ukcyber.build.forks` and :mod:`~ukcyber.build.zygote`: kernels forked from a template
  process that imported the heavy modules once;
- :mod:`~ukcyber.build.executor`: the process pool, timeouts and interruption;
- :mod:`~ukcyber.build.remote` and :mod:`~ukcyber.build.cluster`: the same on a Dask cluster
  (``--scheduler``), with the data and notebooks shipped as bytes;
- :mod:`~ukcyber.build.progress`: the progress bar;
- :mod:`~ukcyber.build.status`: which reports are out of date and why; ``assets/status.js``;
- :mod:`~ukcyber.build.publish`: a worker's bytes into ``reports/``; the data dictionary;
- :mod:`~ukcyber.build.history`: the data compared with the previous build's snapshot;
- :mod:`~ukcyber.build.site`: the front page, build, changes and recommendations pages;
- :mod:`~ukcyber.build.printing`: PDFs of rebuilt pages, printed while the others build;
- :mod:`~ukcyber.build.planning`: each report's fingerprint and dates, what runs, which ad-hoc
  cuts are kept;
- :mod:`~ukcyber.build.run`: :func:`build`, which checks everything before writing anything;
- :mod:`~ukcyber.build.stamp`: the no-op shortcut, a hash of every input of the whole build,
  checked before anything heavy is imported;
- :mod:`~ukcyber.build.slowimports`: an optional import every build process skips.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ukcyber.build.slowimports import skip

skip()  # every build process (coordinator, fork server, workers, Dask workers) skips them

if TYPE_CHECKING:
    from ukcyber.atomic import atomic_write
    from ukcyber.build.jobs import Job, slugify
    from ukcyber.build.matrix import load_matrix
    from ukcyber.build.run import KERNEL, Interrupted, build

_HOMES = {
    "atomic_write": "ukcyber.atomic",
    "Job": "ukcyber.build.jobs",
    "slugify": "ukcyber.build.jobs",
    "load_matrix": "ukcyber.build.matrix",
    "KERNEL": "ukcyber.build.run",
    "Interrupted": "ukcyber.build.run",
    "build": "ukcyber.build.run",
}
"""Imported on first use (PEP 562): ``ukcyber build`` with nothing to do must not pay for
pandas, Jinja and the rest (:mod:`~ukcyber.build.stamp`)."""

__all__ = ["KERNEL", "Interrupted", "Job", "atomic_write", "build", "load_matrix", "slugify"]


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(importlib.import_module(_HOMES[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
