"""Worker side: execute one report's notebook and render it; return every file as bytes.

A worker never writes into ``reports/``: it runs papermill into a private scratch folder, renders
the page with :func:`ukcyber.site.report.report_files`, and returns ``{relative path: bytes}`` plus the
executed notebook. The coordinator publishes them (so file-system errors are handled in one
place, and workers could run on machines without the reports folder).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ukcyber.build.dating import DateFacts
from ukcyber.build.jobs import Job

LOCK = threading.Lock()
"""One report at a time per process: papermill changes the working directory, and the kernel
started ahead is the process's (a Dask worker runs tasks in threads)."""


@dataclass(frozen=True)
class Task:
    """Everything a worker needs for one report."""

    job: Job
    notebook_path: str
    scratch: str
    kernel: str = "ukcyber"
    show_code: bool = False
    timeout: float = 600.0
    facts: DateFacts = field(default_factory=DateFacts)
    """What the page's dates are picked from (the tables read, the sources cited)."""
    pdf: bool = False
    """Whether the page links ``<slug>.pdf`` (printed by the coordinator afterwards)."""
    environ: dict[str, str] = field(default_factory=dict)
    """Environment variables the kernel sets for this report only (a remote worker's data)."""


@dataclass
class WorkerResult:
    """What one report produced: ``files`` (relative to ``reports/<notebook>/``) on success,
    the executed (or failed) notebook, and on failure a one-line error plus the traceback."""

    status: Literal["ok", "failed"]
    files: dict[str, bytes] = field(default_factory=dict)
    notebook: bytes = b""
    charts: int = 0
    built_at: str = ""
    seconds: float = 0.0
    error: str = ""
    detail: str = ""
    tables: list[str] | None = None
    """The data tables the report read (``None``: unknown, so every table counts)."""


def init_worker(log_path: str, runtime_dir: str) -> None:
    """Prepare a worker process: the coordinator handles Ctrl-C, kernels' chatter goes to a log.

    Also asks Linux to kill the worker if its parent dies, and keeps kernel connection files
    in the build's scratch folder, so a killed build leaves nothing behind elsewhere.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    os.environ["JUPYTER_RUNTIME_DIR"] = runtime_dir
    tempfile.tempdir = runtime_dir  # kernel connection files (jupyter_client uses mkstemp)
    import logging

    import nbconvert  # noqa: F401  (import once per worker, not once per report)
    import papermill  # noqa: F401

    import ukcyber.build.kernels  # noqa: F401
    import ukcyber.site.report  # noqa: F401

    logging.getLogger("papermill").setLevel(logging.WARNING)
    logging.getLogger("traitlets").setLevel(logging.ERROR)
    Path(log_path).parent.mkdir(parents=True, exist_ok=True)
    log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    os.dup2(log, 2)


def short_error(exc: BaseException) -> str:
    """``Name: first line of the message`` (a notebook's own exception name when it raised)."""
    name = getattr(exc, "ename", None) or type(exc).__name__
    value = getattr(exc, "evalue", None) or str(exc)
    text = f"{name}: {value}".strip()
    return text.splitlines()[0][:500] if text else name


def _as_bytes(content: str | bytes) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else content


def run_report(task: Task) -> WorkerResult:
    """Execute and render one report within ``task.timeout`` seconds of wall clock.

    The report runs on a fresh kernel started ahead (:mod:`ukcyber.build.kernels`). The timeout
    bounds every cell and the whole notebook, the wait for the kernel included: each cell may
    wait only for what is left of the report's deadline, and the kernel is killed when it
    passes.
    """
    with LOCK:
        return _run_report(task)


def _run_report(task: Task) -> WorkerResult:
    import nbformat

    from ukcyber.build import kernels
    from ukcyber.build.dating import page_dates
    from ukcyber.site.report import report_files

    job, started = task.job, time.monotonic()
    deadline = started + task.timeout
    workdir = Path(tempfile.mkdtemp(prefix=f"{job.notebook}-", dir=task.scratch))
    output = workdir / f"{job.slug[:40]}.ipynb"
    try:
        tables = kernels.execute(
            task.notebook_path,
            str(output),
            params=job.params,
            kernel=task.kernel,
            cwd=str(Path(task.notebook_path).parent),
            environ=task.environ,
            deadline=deadline,
            timeout=task.timeout,
        )
        executed = output.read_bytes()
        nb = nbformat.reads(executed.decode("utf-8"), as_version=4)  # type: ignore[no-untyped-call]
        built_at = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        files, charts = report_files(
            nb,
            slug=job.slug,
            title=job.title,
            params=job.params,
            show_code=task.show_code,
            dates=page_dates(nb, tables, task.facts, built_at),
            description=job.description or None,
            pdf=task.pdf,
            key=job.key,
        )
        return WorkerResult(
            status="ok",
            files={name: _as_bytes(content) for name, content in files.items()},
            notebook=executed,
            charts=charts,
            built_at=built_at,
            seconds=round(time.monotonic() - started, 2),
            tables=tables,
        )
    except Exception as exc:  # noqa: BLE001  (any failure of one report is recorded, not raised)
        error = short_error(exc)
        if isinstance(exc, TimeoutError) or "timed out" in error:
            whole = time.monotonic() >= deadline - 0.05
            what = "the notebook ran" if whole else "a cell ran"
            error = f"timed out: {what} longer than --timeout {task.timeout:g} s ({error})"
        return WorkerResult(
            status="failed",
            notebook=output.read_bytes() if output.is_file() else b"",
            seconds=round(time.monotonic() - started, 2),
            error=error,
            detail=traceback.format_exc(),
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
