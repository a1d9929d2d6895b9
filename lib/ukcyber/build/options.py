"""The options of one build, as one typed value from the command line to the workers."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from ukcyber.build.worker import RunSettings
from ukcyber.errors import BuildError
from ukcyber.paths import REPO_ROOT

KERNEL = "ukcyber"
KERNEL_STRATEGIES = ("forked", "fresh")
"""How report kernels start (see :mod:`ukcyber.build.kernels`)."""


@dataclass(frozen=True)
class BuildOptions:
    """What ``ukcyber build`` was asked to do (the command line's options, typed)."""

    project: Path = REPO_ROOT
    """The folder with ``reports.toml`` and ``notebooks/``."""
    reports: Path | None = None
    """The output folder (default ``<project>/reports``)."""
    jobs: int | None = None
    """Parallel local workers (default: the number of cores)."""
    force: bool = False
    only: str | None = None
    """A regular expression over ``notebook/slug``; with :attr:`params`, one notebook's name."""
    params: Mapping[str, str] = field(default_factory=dict)
    """``-p name=value`` as text: one ad-hoc report of the notebook :attr:`only` names."""
    kernel: str = KERNEL
    kernels: str = "forked"
    show_code: bool = False
    progress: bool = True
    timeout: float = 600.0
    wait: float = 0.0
    pdf: bool = False
    scheduler: str | None = None
    """``tcp://HOST:PORT`` of a Dask scheduler (reports then run on its workers)."""
    dry_run: bool = False
    """Plan and say what would run and why, writing nothing."""

    def checked(self) -> BuildOptions:
        """Give these options with the folders resolved, once their values are checked.

        Raises
        ------
        BuildError
            If a value would build nothing or never stop.
        """
        jobs = self.jobs if self.jobs is not None else os.cpu_count() or 1
        if jobs < 1:
            raise BuildError(f"--jobs must be at least 1, got {jobs}")
        if not self.timeout > 0:
            raise BuildError(
                f"--timeout must be a positive number of seconds, got {self.timeout:g}"
            )
        if not self.wait >= 0:
            raise BuildError(f"--wait must be 0 or more seconds, got {self.wait:g}")
        if self.kernels not in KERNEL_STRATEGIES:
            valid = ", ".join(KERNEL_STRATEGIES)
            raise BuildError(f"--kernels {self.kernels!r} is not a strategy; valid: {valid}")
        project = Path(self.project).resolve()
        reports = Path(self.reports or project / "reports").resolve()
        return replace(self, project=project, reports=reports, jobs=jobs)

    @property
    def reports_dir(self) -> Path:
        """Give the output folder (after :meth:`checked`)."""
        return Path(self.reports or Path(self.project) / "reports")

    def settings(self, pdf: bool) -> RunSettings:
        """Give what workers need of these options (``pdf``: whether PDFs will be printed)."""
        return RunSettings(self.kernel, self.kernels, self.show_code, self.timeout, pdf)
