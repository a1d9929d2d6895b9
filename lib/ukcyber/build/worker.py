"""Worker side: execute one report's notebook and render it; return every file as bytes.

A worker never writes into ``reports/``: it runs the notebook into a private scratch folder on
a kernel of its own (:mod:`ukcyber.build.kernels`), reads back what the kernel recorded it read
(:mod:`ukcyber.build.recorder`), renders the page with
:func:`ukcyber.site.report.report_files` dated by what it read and showed
(:mod:`ukcyber.build.dating`), and returns ``{relative path: bytes}`` plus the executed
notebook. The coordinator publishes them (so file-system errors are handled in one place, and
workers could run on machines without the reports folder).
"""

from __future__ import annotations

import atexit
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
from typing import TYPE_CHECKING, Literal

from ukcyber.build.dating import DataFacts
from ukcyber.build.jobs import Job
from ukcyber.build.recorder import ENV, Record, RecordSpec, read_record

if TYPE_CHECKING:
    from ukcyber.build.kernels import Kernels

LOCK = threading.Lock()
"""One report at a time per process: papermill changes the working directory, and the kernel
forked ahead is the process's (a Dask worker runs tasks in threads)."""


@dataclass(frozen=True)
class RunSettings:
    """The build options a worker needs, the same for every report of a build."""

    kernel: str = "ukcyber"
    """The Jupyter kernel spec's name."""
    kernels: str = "forked"
    """How kernels start (:data:`ukcyber.build.kernels.STRATEGIES`)."""
    show_code: bool = False
    """Whether pages include the notebooks' input code."""
    timeout: float = 600.0
    """Seconds one whole notebook may take, kernel start included."""
    pdf: bool = False
    """Whether pages link ``<slug>.pdf`` (printed by the coordinator afterwards)."""


@dataclass(frozen=True)
class Task:
    """Everything a worker needs for one report."""

    job: Job
    notebook_path: str
    scratch: str
    project: str
    """The project folder: files a notebook reads under it are recorded relative to it."""
    data: str
    """The data folder the kernel reads (``$UKCYBER_DATA``)."""
    settings: RunSettings = field(default_factory=RunSettings)
    facts: DataFacts = field(default_factory=DataFacts)
    ignore: tuple[str, ...] = ()
    """Folders whose files are never inputs (the reports folder, the cache)."""
    environ: dict[str, str] = field(default_factory=dict)
    """Environment variables the kernel sets for this report only (a remote worker's data)."""


@dataclass
class WorkerResult:
    """What one report produced.

    That is ``files`` (relative to ``reports/<notebook>/``) on success, the executed (or failed)
    notebook, and on failure a one-line error plus the traceback.
    """

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
    reads: list[str] = field(default_factory=list)
    """The other project files it read (:func:`file_label` names)."""


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

    import papermill  # noqa: F401  (import once per worker, not once per report)

    import ukcyber.build.kernels  # noqa: F401
    import ukcyber.site.report  # noqa: F401

    logging.getLogger("papermill").setLevel(logging.WARNING)
    logging.getLogger("traitlets").setLevel(logging.ERROR)
    Path(log_path).parent.mkdir(parents=True, exist_ok=True)
    log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    os.dup2(log, 2)


_strategies: dict[str, Kernels] = {}
"""This process's kernel strategies, by name (started on first use)."""


def close_kernels() -> None:
    """Stop whatever this process's kernel strategies started (when the worker exits)."""
    while _strategies:
        _strategies.popitem()[1].close()


def _kernels(name: str) -> Kernels:
    from ukcyber.build.kernels import STRATEGIES

    if not _strategies:
        atexit.register(close_kernels)  # a Dask worker never says it is done
    if name not in _strategies:
        _strategies[name] = STRATEGIES[name]()
    return _strategies[name]


def short_error(exc: BaseException) -> str:
    """``Name: first line of the message`` (a notebook's own exception name when it raised)."""
    name = getattr(exc, "ename", None) or type(exc).__name__
    value = getattr(exc, "evalue", None) or str(exc)
    text = f"{name}: {value}".strip()
    return text.splitlines()[0][:500] if text else name


def file_label(path: str, project: str, data: str) -> str:
    """Name a file a report read: ``data:<name>`` in the data folder, else relative to the project.

    The planner reads the name back with :func:`ukcyber.build.inputs.label_path`.
    """
    data = os.path.realpath(data)
    if path == data or path.startswith(data + os.sep):
        return "data:" + Path(os.path.relpath(path, data)).as_posix()
    return Path(os.path.relpath(path, os.path.realpath(project))).as_posix()


def reads(record: Record, task: Task) -> tuple[list[str], list[str]]:
    """Split what a kernel recorded into the tables read and the other files read.

    A data file that is a table's CSV counts as that table (whoever opened it); the notebook
    itself is not an input of its own here (its bytes are in every fingerprint).
    """
    tables, files = set(record.tables), set()
    notebook = file_label(os.path.realpath(task.notebook_path), task.project, task.data)
    for path in record.files:
        label = file_label(path, task.project, task.data)
        table = (
            task.facts.files.get(label.removeprefix("data:")) if label.startswith("data:") else None
        )
        if table is not None:
            tables.add(table)
        elif label != notebook:
            files.add(label)
    return sorted(tables), sorted(files)


def run_report(task: Task) -> WorkerResult:
    """Execute and render one report within ``task.settings.timeout`` seconds of wall clock.

    The timeout bounds every cell and the whole notebook, the kernel's start included: each
    cell may wait only for what is left of the report's deadline, and the kernel is killed
    when it passes.
    """
    with LOCK:
        return _run_report(task)


def _execute(task: Task, output: Path, record_path: Path, deadline: float) -> Record:
    """Run the notebook into ``output``; give what its kernel recorded."""
    from ukcyber.build.kernels import Run

    spec = RecordSpec(str(record_path), task.project, task.data, task.ignore)
    run = Run(
        notebook=task.notebook_path,
        output=str(output),
        params=task.job.params,
        kernel=task.settings.kernel,
        cwd=str(Path(task.notebook_path).parent),
        deadline=deadline,
        timeout=task.settings.timeout,
        environ={**task.environ, ENV: spec.to_env()},
    )
    _kernels(task.settings.kernels).execute(run)
    record = read_record(str(record_path))
    if not record.started:
        raise RuntimeError(
            "the kernel did not load the build's recorder, so what it read is unknown"
        )
    return record


def _render(task: Task, executed: bytes, record: Record, started: float) -> WorkerResult:
    import nbformat

    from ukcyber.build.dating import page_dates
    from ukcyber.site.report import report_files

    job = task.job
    tables, files_read = reads(record, task)
    nb = nbformat.reads(executed.decode("utf-8"), as_version=4)  # type: ignore[no-untyped-call]
    built_at = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    files, charts = report_files(
        nb,
        slug=job.slug,
        title=job.title,
        params=job.params,
        show_code=task.settings.show_code,
        dates=page_dates(nb, tables, task.facts, built_at),
        description=job.description or None,
        pdf=task.settings.pdf,
        key=job.key,
    )
    return WorkerResult(
        status="ok",
        files={name: c.encode("utf-8") if isinstance(c, str) else c for name, c in files.items()},
        notebook=executed,
        charts=charts,
        built_at=built_at,
        seconds=round(time.monotonic() - started, 2),
        tables=tables,
        reads=files_read,
    )


def _run_report(task: Task) -> WorkerResult:
    started = time.monotonic()
    deadline = started + task.settings.timeout
    workdir = Path(tempfile.mkdtemp(prefix=f"{task.job.notebook}-", dir=task.scratch))
    output = workdir / f"{task.job.slug[:40]}.ipynb"
    try:
        record = _execute(task, output, workdir / "record.jsonl", deadline)
        return _render(task, output.read_bytes(), record, started)
    except Exception as exc:  # noqa: BLE001  (any failure of one report is recorded, not raised)
        error = short_error(exc)
        if isinstance(exc, TimeoutError) or "timed out" in error:
            whole = time.monotonic() >= deadline - 0.05
            what = "the notebook ran" if whole else "a cell ran"
            error = f"timed out: {what} longer than --timeout {task.settings.timeout:g} s ({error})"
        return WorkerResult(
            status="failed",
            notebook=output.read_bytes() if output.is_file() else b"",
            seconds=round(time.monotonic() - started, 2),
            error=error,
            detail=traceback.format_exc(),
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
