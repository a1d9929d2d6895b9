"""Worker side of kernels: a fresh kernel per report, started ahead with the heavy imports done.

Why: a report paid a kernel start and ``import pandas, plotly`` and the library (about 0.6 s of
CPU, most of a report's cost on 2 cores) before its own cells. Kernels are now forked from a
template process that did those imports once (:mod:`ukcyber.build.forks`), and each worker
starts the *next* kernel as soon as it takes one for the current report, so the fork and the
kernel's own start-up overlap the current report.

Isolation is by construction: a kernel runs exactly one report and is then killed, and the
template never runs report code, so nothing a report does (variables, pandas options, plotly
templates, monkeypatches, a crash) reaches another. A kernel kept warm and reset between reports
was tried first and dropped: reports import modules lazily and plotly loads templates on first
use, so a reset never returned the kernel to its baseline, and every gap in a reset is a wrong
page with exit 0.

The imports are also sent to each kernel, silently (no history, no execution count, no names
bound), so the executed notebook is what papermill writes for a cold kernel. After the notebook
ran, the same kernel is asked which tables it read (``ukcyber.data.tables_read``).
"""

from __future__ import annotations

import ast
import atexit
import os
import time
from dataclasses import dataclass
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.iorw import write_ipynb

from ukcyber.build import forks

ENGINE = "ukcyber-ahead"
IMPORTS = [
    "pandas",
    "plotly.graph_objects",
    "plotly.io",
    "ukcyber.analysis",
    "ukcyber.briefing",
    "ukcyber.charts",
    "ukcyber.data",
    "ukcyber.options",
    "ukcyber.panels",
    "ukcyber.tables",
]
"""Imported by every kernel before its report (what the report notebooks import): once by the
template process kernels are forked from, and again (a no-op then) in each kernel."""
WARM_UP = "".join(f"__import__({name!r})\n" for name in IMPORTS)
"""Binds no name in the user namespace (``__import__`` only fills ``sys.modules``)."""
POLL = 0.25
"""Seconds between checks that a starting kernel is still alive."""
IOPUB_PROOF = 0.2
"""Seconds to wait for a ``kernel_info`` request's status on IOPub before asking again."""
TABLES = "__import__('sys').modules['ukcyber.data'].tables_read()"


class KernelError(RuntimeError):
    """A kernel did not start or answer; the report fails with this message."""


class KernelDied(KernelError):
    """A kernel exited while starting (for example a port taken between choice and bind)."""


class AheadEngine(NBClientEngine):
    """papermill's nbclient engine on a kernel manager and client made here, not by nbclient.

    papermill writes the executed notebook once, at the end or on a cell error (not before and
    after every cell: two thirds of the worker's own CPU under cProfile); on any other failure the
    notebook as far as it ran is written to ``partial_output``.
    """

    @classmethod
    def execute_managed_notebook(  # type: ignore[no-untyped-def]
        cls, nb_man, kernel_name, log_output=False, start_timeout=60, execution_timeout=None, **kw
    ):
        kc, partial = kw.pop("kc"), kw.pop("partial_output")
        for name in ("input_path", "timeout", "startup_timeout", "stdout_file", "stderr_file"):
            kw.pop(name, None)
        client = PapermillNotebookClient(
            nb_man,
            timeout=execution_timeout,
            startup_timeout=start_timeout,
            kernel_name=kernel_name,
            log_output=log_output,
            **kw,
        )
        client.kc = kc  # connected and ready: nbclient neither starts nor stops a kernel
        try:
            return client.execute()
        except BaseException:
            # papermill writes the notebook only at the end (or on a cell error): what ran
            # before a timeout or a dead kernel is kept for the failed-report page
            write_ipynb(nb_man.nb, partial)
            raise


papermill_engines.register(ENGINE, AheadEngine)


@dataclass
class Kernel:
    """One kernel for one report: its manager, client, and the pending warm-up request."""

    km: AsyncKernelManager
    kc: Any
    key: tuple[str, str, tuple[tuple[str, str], ...]]
    warm_up: str
    """msg_id of the silent import request, answered before the report runs."""


_ahead: Kernel | None = None


def _key(
    kernel: str, cwd: str, environ: dict[str, str]
) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    return kernel, cwd, tuple(sorted(environ.items()))


def _launch(kernel: str, cwd: str, environ: dict[str, str]) -> Kernel:
    """Start a kernel process and queue the imports; returns at once (the kernel boots alone)."""
    forks.IMPORTS[:] = IMPORTS
    km = forks.ForkingKernelManager(kernel_name=kernel)
    env = {**os.environ, **environ}
    run_sync(km.start_kernel)(
        extra_arguments=["--HistoryManager.hist_file=:memory:"], cwd=cwd, env=env
    )
    kc = km.client()
    kc.start_channels()
    kc.allow_stdin = False
    msg_id = kc.execute(WARM_UP, silent=True, store_history=False, allow_stdin=False)
    return Kernel(km, kc, _key(kernel, cwd, environ), msg_id)


def _ready(kernel: Kernel, deadline: float) -> None:
    """Wait until the kernel answered its warm-up imports and its IOPub channel is connected.

    The IOPub check matters: a subscription made before the kernel bound its socket misses the
    first messages (measured: the warm-up's own status messages are lost about one time in
    three), and papermill then fails the first cell after 4 s without output. A
    ``kernel_info`` request whose status messages arrive on IOPub proves the channel; it is
    repeated until one does (as jupyter_client's ``wait_for_ready`` does).
    """

    def left() -> float:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise KernelError("timed out: the kernel did not start in time")
        return remaining

    while True:
        try:
            reply = run_sync(kernel.kc.get_shell_msg)(timeout=min(POLL, left()))
        except Exception as exc:  # noqa: BLE001  (queue.Empty on timeout, or a dead kernel)
            if not run_sync(kernel.km.is_alive)():
                raise KernelDied("the kernel died while starting") from exc
            continue
        if reply.get("parent_header", {}).get("msg_id") != kernel.warm_up:
            continue
        content = reply["content"]
        if content.get("status") != "ok":
            failure = f"{content.get('ename')}: {content.get('evalue')}"
            raise KernelError(f"kernel warm-up failed: {failure}")
        break
    while True:  # the IOPub handshake: a request whose status messages arrive proves the channel
        probe = kernel.kc.kernel_info()
        until = time.monotonic() + min(IOPUB_PROOF, left())
        while time.monotonic() < until:
            try:
                wait = max(0.01, until - time.monotonic())
                message = run_sync(kernel.kc.get_iopub_msg)(timeout=wait)
            except Exception:  # noqa: BLE001  (queue.Empty: nothing yet)
                continue
            if message.get("parent_header", {}).get("msg_id") == probe:
                return


def discard(kernel: Kernel | None) -> None:
    """Kill a kernel now and close its client (never raises)."""
    if kernel is None:
        return
    try:
        kernel.kc.stop_channels()
    except Exception:  # noqa: BLE001, S110  (a dead kernel's channels may already be gone)
        pass
    provisioner: Any = kernel.km.provisioner
    if isinstance(getattr(provisioner, "process", None), forks.Forked):
        try:  # killed at once (its template process reaps it): no shutdown protocol to wait for
            provisioner.process.kill()
            kernel.km.cleanup_connection_file()
            run_sync(provisioner.cleanup)(restart=False)
        except Exception:  # noqa: BLE001, S110
            pass
        return
    try:
        run_sync(kernel.km.shutdown_kernel)(now=True)
    except Exception:  # noqa: BLE001, S110
        pass


def stop() -> None:
    """Kill the kernel started ahead, if any, and the template process (when the worker exits)."""
    global _ahead
    kernel, _ahead = _ahead, None
    discard(kernel)
    forks.stop()


atexit.register(stop)


def take(kernel: str, cwd: str, environ: dict[str, str]) -> Kernel:
    """The kernel started ahead for these settings (or a new one); then start the next one."""
    global _ahead
    current, _ahead = _ahead, None
    if current is not None and (
        current.key != _key(kernel, cwd, environ) or not run_sync(current.km.is_alive)()
    ):
        discard(current)
        current = None
    if current is None:
        current = _launch(kernel, cwd, environ)
    try:
        _ahead = _launch(kernel, cwd, environ)
    except Exception:  # noqa: BLE001, S110  (the next report starts its own and reports why)
        _ahead = None
    return current


def _tables(kernel: Kernel, timeout: float) -> list[str] | None:
    """The tables the report read, asked of its kernel (``None`` if it cannot say)."""
    try:
        reply = run_sync(kernel.kc.execute_interactive)(
            "",
            silent=True,
            store_history=False,
            user_expressions={"tables": TABLES},
            timeout=timeout,
            output_hook=lambda msg: None,
            allow_stdin=False,
        )
        value = reply["content"]["user_expressions"]["tables"]
        tables = ast.literal_eval(value["data"]["text/plain"])
    except Exception:  # noqa: BLE001  (no answer: the report counts every table)
        return None
    if isinstance(tables, list) and all(isinstance(t, str) for t in tables):
        return sorted(tables)
    return None


def execute(
    notebook: str,
    output: str,
    *,
    params: dict[str, Any],
    kernel: str,
    cwd: str,
    environ: dict[str, str],
    deadline: float,
    timeout: float,
) -> list[str] | None:
    """Execute ``notebook`` with ``params`` into ``output`` on a fresh kernel; kill it after.

    Returns the tables the report read (``None`` when the kernel could not say: the caller
    then counts the whole data package). Raises what papermill raises, or :class:`KernelError`.
    """
    import papermill as pm

    def cell_timeout(cell: Any) -> float:
        return max(0.01, min(timeout, deadline - time.monotonic()))

    current = take(kernel, cwd, environ)
    try:
        try:
            _ready(current, deadline)
        except KernelDied:  # once more: a port taken by another process is a passing accident
            discard(current)
            current = _launch(kernel, cwd, environ)
            _ready(current, deadline)
        pm.execute_notebook(
            notebook,
            output,
            parameters=params,
            kernel_name=kernel,
            engine_name=ENGINE,
            request_save_on_cell_execute=False,  # one write at the end, not two per cell
            partial_output=output,
            progress_bar=False,
            log_output=False,
            cwd=cwd,
            execution_timeout=timeout,
            timeout_func=cell_timeout,
            store_widget_state=False,
            km=current.km,
            kc=current.kc,
        )
        return _tables(current, max(0.5, min(10.0, deadline - time.monotonic())))
    finally:
        discard(current)
