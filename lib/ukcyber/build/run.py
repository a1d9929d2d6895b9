"""``build()``: check everything, then — under the build lock — run what changed and publish.

Order matters. Everything a user can get wrong (the matrix, the notebooks' declared parameters,
the kernel, the data, the options, the output folder, the lock) is checked before the first
byte is written to ``reports/``, so each of those mistakes is one :class:`BuildError` or
:class:`DataError` and leaves ``reports/`` exactly as it was.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ukcyber.build import cluster, matrix, printing
from ukcyber.build.executor import Pool, deferred_signals, run_tasks, start_fork_server
from ukcyber.build.files import SCRATCH, clear_leftovers
from ukcyber.build.fingerprint import (
    data_digest,
    library_digest,
    lockfile_digest,
    report_fingerprint,
    site_fingerprint,
    table_digests,
)
from ukcyber.build.jobs import Job
from ukcyber.build.lock import build_lock
from ukcyber.build.manifest import (
    Entry,
    Manifest,
    data_changed_at,
    read_manifest,
    utc_now,
    write_manifest,
)
from ukcyber.build.notebooks import NotebookInfo
from ukcyber.build.publish import is_current, publish, skipped, write_dictionary, write_index
from ukcyber.build.worker import Task, WorkerResult
from ukcyber.errors import BuildError
from ukcyber.paths import REPO_ROOT, cache_dir, data_dir

KERNEL = "ukcyber"


class Interrupted(KeyboardInterrupt):
    """Ctrl-C or SIGTERM stopped the build; finished reports were recorded."""

    def __init__(self, finished: int, cancelled: int) -> None:
        done = f"{finished} report{'s' if finished != 1 else ''} finished and recorded"
        super().__init__(f"{done}, {cancelled} cancelled")
        self.finished, self.cancelled = finished, cancelled


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)


def check_kernel(kernel: str) -> None:
    """Fail early, with the fix, when the named Jupyter kernel is not installed."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(kernel)
    except NoSuchKernel:
        raise BuildError(
            f"Jupyter kernel {kernel!r} is not installed; run `make venv` (it registers it) or "
            f"`python -m ipykernel install --sys-prefix --name {kernel}`"
        ) from None


def check_options(jobs: int, timeout: float, wait: float) -> None:
    """Reject option values that would build nothing or never stop."""
    if jobs < 1:
        raise BuildError(f"--jobs must be at least 1, got {jobs}")
    if not timeout > 0:
        raise BuildError(f"--timeout must be a positive number of seconds, got {timeout:g}")
    if not wait >= 0:
        raise BuildError(f"--wait must be 0 or more seconds, got {wait:g}")


def select(jobs: list[Job], only: str | None) -> list[Job]:
    """The jobs whose key (``notebook/slug``) matches the ``--only`` regular expression."""
    if not only:
        return jobs
    try:
        pattern = re.compile(only)
    except re.error as exc:
        raise BuildError(f"--only {only!r} is not a valid regular expression ({exc})") from None
    chosen = [job for job in jobs if pattern.search(job.key)]
    if not chosen:
        raise BuildError(f"--only {only!r} matches no report")
    return chosen


def check_writable(reports: Path) -> None:
    """Create ``reports`` if needed and prove a file can be written there (then removed)."""
    if reports.exists() and not reports.is_dir():
        raise BuildError(f"reports folder {reports} is a file, expected a folder")
    try:
        reports.mkdir(parents=True, exist_ok=True)
        probe = reports / f".write-test.{os.getpid()}.tmp"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        raise BuildError(f"reports folder {reports} is not writable ({exc.strerror})") from None


def fingerprint_of(
    job: Job, tables: list[str] | None, infos: dict[str, NotebookInfo], common: dict[str, Any]
) -> str:
    """The fingerprint of ``job`` when it reads ``tables`` (``None``: every table).

    ``common`` holds the inputs shared by every report: ``digests`` (per table) and ``whole``
    (the package's fingerprint) for the data, and the library, lock file, kernel, show-code and
    page meta.
    """
    shared = {k: v for k, v in common.items() if k not in {"digests", "whole"}}
    return report_fingerprint(
        notebook=infos[job.notebook].raw,
        params=job.params,
        title=job.title,
        description=job.description,
        data=data_digest(tables, common["digests"], common["whole"]),
        **shared,
    )


def plan(
    chosen: list[Job],
    infos: dict[str, NotebookInfo],
    old: dict[str, Entry],
    reports: Path,
    force: bool,
    common: dict[str, Any],
) -> tuple[dict[str, Entry], dict[str, Job]]:
    """Split the chosen jobs into unchanged ones (their skipped entries) and ones to run.

    A report is unchanged when the fingerprint over the tables it read last time is its
    manifest's fingerprint and its files are there.
    """
    results: dict[str, Entry] = {}
    todo: dict[str, Job] = {}
    for job in chosen:
        last = old.get(job.key)
        tables = last.tables if last is not None else None
        fingerprint = fingerprint_of(job, tables, infos, common)
        if not force and last is not None and is_current(last, fingerprint, reports):
            results[job.key] = skipped(job, last)
        else:
            todo[job.key] = job
    return results, todo


def _kernel_log() -> str:
    log = cache_dir() / "logs" / "kernels.log"
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text("")
    except OSError:
        return os.devnull
    return str(log)


def build(
    project: Path = REPO_ROOT,
    *,
    reports: Path | None = None,
    jobs: int | None = None,
    force: bool = False,
    only: str | None = None,
    kernel: str = KERNEL,
    show_code: bool = False,
    progress: bool = True,
    timeout: float = 600,
    wait: float = 0,
    pdf: bool = False,
    scheduler: str | None = None,
    warn: Callable[[str], None] = _stderr,
) -> list[Entry]:
    """Build the matrix of ``project/reports.toml`` into ``reports``; return the selected entries.

    With ``scheduler`` (``tcp://HOST:PORT``), reports run on that Dask cluster instead of local
    worker processes (``jobs`` is then unused); the data and notebooks travel with the tasks.

    With ``pdf``, each rebuilt report is also printed to ``<slug>.pdf`` by headless Chromium
    while the other reports build; without Chromium the build says so in one line and goes on.

    Raises
    ------
    BuildError
        If the matrix, a notebook, an option, the kernel, the reports folder, the Dask
        scheduler or the lock is unusable (``reports/`` untouched), or a site file cannot be written.
    DataError
        If the data package does not validate (nothing is built).
    Interrupted
        On Ctrl-C or SIGTERM, after recording the reports that finished.
    """
    from ukcyber.citations import data_as_of
    from ukcyber.data import is_validated, load, validate
    from ukcyber.render import install_assets

    project = Path(project).resolve()
    reports = Path(reports or project / "reports").resolve()
    workers = jobs if jobs is not None else os.cpu_count() or 1
    check_options(workers, timeout, wait)
    source = project / "reports.toml"
    spec = matrix.read(source)
    infos = matrix.check_notebooks(spec, project / "notebooks", source.name)
    check_kernel(kernel)
    if not scheduler and not is_validated():
        start_fork_server()  # the data changed: its imports overlap the data's validation
    package_digest = validate()
    everything = matrix.expand(spec, source.name, matrix.resolve)
    chosen = select(everything, only)
    check_writable(reports)
    client = cluster.connect(scheduler) if scheduler else None

    try:
        with build_lock(reports, wait), deferred_signals() as stop:
            clear_leftovers(reports)
            previous = read_manifest(reports, warn)
            old = previous.reports if previous else {}
            now, library = utc_now(), library_digest()
            manifest = Manifest(
                generated_at=now,
                data_fingerprint=package_digest,
                data_changed_at=data_changed_at(previous, package_digest, now),
                site_fingerprint=site_fingerprint(data=package_digest, library=library),
            )
            install_assets(reports)
            if (
                force
                or previous is None
                or previous.site_fingerprint != manifest.site_fingerprint
                or not (reports / "data_dictionary.html").is_file()
            ):
                write_dictionary(reports)

            meta = {"Data as of": data_as_of(load("sources"))}
            common: dict[str, Any] = {"show_code": show_code, "kernel": kernel, "meta": meta}
            common |= {"library": library, "lockfile": lockfile_digest()}
            common |= {"digests": table_digests(), "whole": package_digest}
            results, todo = plan(chosen, infos, old, reports, force, common)
            if todo and not scheduler:
                start_fork_server()  # before the PDF printer starts, as early as work is known

            scratch = reports / SCRATCH
            printer = printing.start(pdf, len(todo), warn)
            tasks = [
                Task(
                    job=job,
                    notebook_path=str(infos[job.notebook].path),
                    scratch=str(scratch),
                    kernel=kernel,
                    show_code=show_code,
                    timeout=timeout,
                    meta=meta,
                    pdf=printer is not None,
                )
                for job in todo.values()
            ]

            def on_result(task: Task, result: WorkerResult) -> None:
                job = todo[task.job.key]
                fingerprint = fingerprint_of(job, result.tables, infos, common)
                entry = publish(reports, job, result, old.get(job.key), fingerprint)
                results[job.key] = entry
                printing.submit(printer, reports, entry)

            unfinished: list[Task] = []
            if tasks and client is not None and not stop.is_set():
                files = cluster.data_files(data_dir())
                unfinished = cluster.run_cluster(client, tasks, files, stop, on_result, progress)
            elif tasks and not stop.is_set():
                try:
                    (scratch / "runtime").mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise BuildError(f"cannot write {scratch}: {exc.strerror or exc}") from None
                pool = Pool(
                    workers=max(1, min(workers, len(tasks))),
                    log_path=_kernel_log(),
                    runtime_dir=str(scratch / "runtime"),
                )
                unfinished = run_tasks(tasks, pool, stop, on_result, progress)
            elif tasks:
                unfinished = tasks
            printing.finish(printer, reports, results, stop.is_set(), warn)
            clear_leftovers(reports)

            for job in everything:
                entry = results.get(job.key) or old.get(job.key)
                if entry is not None:
                    manifest.reports[job.key] = entry
            write_manifest(reports, manifest)
            write_index(reports, manifest)
            if stop.is_set():
                raise Interrupted(len(todo) - len(unfinished), len(unfinished))
    except OSError as exc:  # what the checks could not foresee: a full disk, a lost folder
        where = exc.filename or reports
        raise BuildError(f"cannot write {where}: {exc.strerror or exc}") from None
    finally:
        if client is not None:
            client.close()
    return [results[job.key] for job in chosen]
