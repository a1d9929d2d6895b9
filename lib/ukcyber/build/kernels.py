"""Worker side of kernels: one small interface, two strategies, chosen by ``--kernels``.

Every report runs on a kernel of its own, killed afterwards, so nothing one report does
(variables, pandas options, plotly templates, monkeypatches, a crash) reaches another. Both
strategies execute with papermill's own engine and differ only in how that kernel starts:

- ``fresh``: plain papermill: it starts the kernel from its spec and stops it at the end
  (about 0.6 s of CPU a report for the interpreter and ``import pandas, plotly``);
- ``forked`` (the default): kernels are forks of a template process that did those imports
  once (:mod:`ukcyber.build.forks`), and the next report's kernel is forked while the current
  report runs. A kernel spec that is not ``python -m ipykernel_launcher`` starts the usual way.

A kernel kept warm and reset between reports was tried and dropped: reports import modules
lazily and plotly loads templates on first use, so a reset never matched its baseline.

Each kernel loads the build's recorder (:mod:`ukcyber.build.recorder`) before the first cell,
and runs in the notebook's folder with the notebook's folder on its import path, as in
JupyterLab.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from papermill.engines import NBClientEngine, papermill_engines
from papermill.iorw import write_ipynb

from ukcyber.build import forks
from ukcyber.build.recorder import KERNEL_ARGUMENT

ENGINE = "ukcyber"
"""The papermill engine of every report run (:class:`PartialEngine`)."""
KERNEL_ARGUMENTS = [KERNEL_ARGUMENT, "--HistoryManager.hist_file=:memory:"]
"""Command-line arguments of every report kernel: the recorder, no history file."""
STARTED_DEAD = "Kernel died before replying to kernel_info"
"""nbclient's message for a kernel that died while starting (a port taken meanwhile)."""


@dataclass(frozen=True)
class Run:
    """One notebook to execute on a kernel of its own."""

    notebook: str
    output: str
    params: Mapping[str, Any]
    kernel: str
    cwd: str
    deadline: float
    """``time.monotonic()`` by which the whole notebook, kernel start included, must end."""
    timeout: float
    """``--timeout``: the cap on any one cell (and the whole run, through :attr:`deadline`)."""
    environ: Mapping[str, str] = field(default_factory=dict)
    """Environment variables set for this report's kernel only."""

    def left(self) -> float:
        """Give the seconds left before the deadline (never less than 10 ms)."""
        return max(0.01, self.deadline - time.monotonic())


class PartialEngine(NBClientEngine):
    """papermill's nbclient engine, which also writes the notebook as far as it ran on early stops.

    A run stops early on a timeout or a dead kernel. Once ``request_save_on_cell_execute`` is off,
    papermill writes the notebook only at the end, or after a cell error.
    """

    @classmethod
    def execute_managed_notebook(cls, nb_man: Any, kernel_name: str, **kwargs: Any) -> Any:
        """Execute as papermill does; on any failure write what ran to ``partial_output``."""
        partial = kwargs.pop("partial_output")
        try:
            return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)
        except BaseException:
            write_ipynb(nb_man.nb, partial)
            raise


papermill_engines.register(ENGINE, PartialEngine)


class Kernels(Protocol):
    """How a worker gets a kernel for each report: ``execute`` one run, ``close`` at the end."""

    name: str

    def execute(self, run: Run) -> None:
        """Execute ``run.notebook`` into ``run.output``; raise what papermill raises."""

    def close(self) -> None:
        """Stop every kernel and helper process this strategy started."""


def papermill_run(run: Run, **engine: Any) -> None:
    """Execute ``run`` with papermill's nbclient engine; ``engine`` adds engine arguments.

    The notebook is written once, at the end (also after a failure or a timeout), not before
    and after every cell (two thirds of a worker's own CPU when it was); each cell may take
    only what is left of the run's deadline.
    """
    import papermill as pm

    pm.execute_notebook(
        run.notebook,
        run.output,
        parameters=dict(run.params),
        kernel_name=run.kernel,
        engine_name=ENGINE,
        partial_output=run.output,
        request_save_on_cell_execute=False,
        progress_bar=False,
        log_output=False,
        cwd=run.cwd,
        start_timeout=max(1, int(run.left())),
        execution_timeout=run.timeout,
        timeout_func=lambda cell: min(run.timeout, run.left()),
        store_widget_state=False,
        **engine,
    )


@contextmanager
def environ(values: Mapping[str, str]) -> Iterator[None]:
    """Set ``values`` in this process's environment for the block (one report at a time)."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


class Fresh:
    """Plain papermill: it starts each report's kernel from the kernel spec and stops it."""

    name = "fresh"

    def execute(self, run: Run) -> None:
        """Execute ``run`` on a kernel papermill starts and kills at the end."""
        with environ(run.environ):
            papermill_run(run, extra_arguments=KERNEL_ARGUMENTS, shutdown_kernel="immediate")

    def close(self) -> None:
        """Nothing to stop: papermill stopped each kernel."""


class Forked:
    """Kernels forked from a template process; the next one is forked while a report runs."""

    name = "forked"

    def __init__(self) -> None:
        self._ahead: forks.ForkingKernelManager | None = None

    def _launch(self, run: Run) -> forks.ForkingKernelManager:
        km = forks.ForkingKernelManager(kernel_name=run.kernel)
        env = {**os.environ, **run.environ}
        km.start_now(KERNEL_ARGUMENTS, cwd=run.cwd, env=env)
        km.ahead_key = (run.kernel, run.cwd, tuple(sorted(run.environ.items())))
        return km

    def _take(self, run: Run) -> forks.ForkingKernelManager:
        """Give the kernel forked ahead for this run's settings (or a new one); fork the next."""
        current, self._ahead = self._ahead, None
        key = (run.kernel, run.cwd, tuple(sorted(run.environ.items())))
        if current is not None and (current.ahead_key != key or not current.alive()):
            current.discard()
            current = None
        current = current or self._launch(run)
        try:
            self._ahead = self._launch(run)
        except Exception:  # noqa: BLE001  (the next report forks its own and says why)
            self._ahead = None
        return current

    def execute(self, run: Run) -> None:
        """Execute ``run`` on a forked kernel; once more on a new one if it died starting."""
        km = self._take(run)
        try:
            papermill_run(run, km=km)
        except RuntimeError as exc:
            if STARTED_DEAD not in str(exc):
                raise
            km.discard()
            km = self._launch(run)
            papermill_run(run, km=km)
        finally:
            km.discard()

    def close(self) -> None:
        """Kill the kernel forked ahead and the template processes."""
        ahead, self._ahead = self._ahead, None
        if ahead is not None:
            ahead.discard()
        forks.stop()


STRATEGIES: dict[str, Callable[[], Kernels]] = {"forked": Forked, "fresh": Fresh}
"""The strategies ``--kernels`` chooses from."""
