"""Build every report of the matrix in ``reports.toml``: checked, planned, parallel, incremental.

The build is four steps around one typed plan (:mod:`~ukcyber.build.run`):

- **check** (:mod:`~ukcyber.build.check`): the options (:mod:`~ukcyber.build.options`), the
  matrix (:mod:`~ukcyber.build.matrix`, :mod:`~ukcyber.build.jobs`), each notebook's declared
  parameters and choices (:mod:`~ukcyber.build.notebooks`), ``-p`` values
  (:mod:`~ukcyber.build.adhoc`), the kernel, the data and the output folder, before anything is
  written;
- **plan** (:mod:`~ukcyber.build.plan`): every report's inputs (:mod:`~ukcyber.build.inputs`,
  the one model of what a report and a build depend on), and whether and why it runs;
- **execute**: the reports on local worker processes (:mod:`~ukcyber.build.executor`) or a
  Dask cluster (:mod:`~ukcyber.build.cluster`, :mod:`~ukcyber.build.remote`), each on a kernel
  of its own (:mod:`~ukcyber.build.kernels`: ``fresh`` or ``forked`` from a template process,
  :mod:`~ukcyber.build.forks`, :mod:`~ukcyber.build.zygote`) that records what it reads
  (:mod:`~ukcyber.build.recorder`); a worker renders the page dated by what the report read and
  showed (:mod:`~ukcyber.build.worker`, :mod:`~ukcyber.build.dating`);
- **publish**: each report's files, all or nothing (:mod:`~ukcyber.build.publish`,
  :mod:`~ukcyber.build.files`), PDFs (:mod:`~ukcyber.build.printing`), the manifest
  (:mod:`~ukcyber.build.manifest`), the history (:mod:`~ukcyber.build.history`), the site's pages
  (through :mod:`ukcyber.site`), and the no-op stamp (:mod:`~ukcyber.build.stamp`), all under one
  lock per reports folder (:mod:`~ukcyber.build.lock`).
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
    from ukcyber.build.options import BuildOptions
    from ukcyber.build.run import KERNEL, Interrupted, build, dry_run

_HOMES = {
    "atomic_write": "ukcyber.atomic",
    "Job": "ukcyber.build.jobs",
    "slugify": "ukcyber.build.jobs",
    "load_matrix": "ukcyber.build.matrix",
    "KERNEL": "ukcyber.build.run",
    "Interrupted": "ukcyber.build.run",
    "build": "ukcyber.build.run",
    "dry_run": "ukcyber.build.run",
    "BuildOptions": "ukcyber.build.options",
}
"""Imported on first use (PEP 562): ``ukcyber build`` with nothing to do must not pay for
pandas, Jinja and the rest (:mod:`~ukcyber.build.stamp`)."""

__all__ = [
    "KERNEL",
    "BuildOptions",
    "Interrupted",
    "Job",
    "atomic_write",
    "build",
    "dry_run",
    "load_matrix",
    "slugify",
]


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(importlib.import_module(_HOMES[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
