"""``build()``: check everything, then — under the build lock — run what changed and publish.

Order matters. Everything a user can get wrong (the matrix, the notebooks' declared parameters,
the kernel, the data, the options, the output folder, the lock) is checked before the first
byte is written to ``reports/``, so each of those mistakes is one :class:`BuildError` or
:class:`DataError` and leaves ``reports/`` exactly as it was.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Container
from pathlib import Path
from typing import Any

from ukcyber.build import cluster, history, matrix, printing, stamp, status
from ukcyber.build.dating import date_facts
from ukcyber.build.executor import Pool, deferred_signals, run_tasks, start_fork_server
from ukcyber.build.files import SCRATCH, clear_leftovers
from ukcyber.build.fingerprint import (
    BUILD_EPOCH,
    library_digest,
    lockfile_digest,
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
    tables_changed_at,
    utc_now,
    write_manifest,
)
from ukcyber.build.planning import (
    ad_hoc_request,
    all_current,
    fingerprint_of,
    kept_ad_hoc,
    plan,
    select,
)
from ukcyber.build.publish import publish
from ukcyber.build.site import notebook_sections
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
    params: dict[str, str] | None = None,
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

    With ``params`` (``-p name=value`` as text), ``only`` names one notebook and the build makes
    that one report, an ad-hoc cut recorded as such and kept by later builds. With ``scheduler``
    (``tcp://HOST:PORT``), reports run on that Dask cluster instead of local worker processes
    (``jobs`` is then unused); the data and notebooks travel with the tasks. With ``pdf``, each
    rebuilt report is also printed to ``<slug>.pdf`` by headless Chromium while the other
    reports build; without Chromium the build says so in one line and goes on.

    Raises
    ------
    BuildError
        If the matrix, a notebook, an option, a ``-p`` value, the kernel, the reports folder,
        the Dask scheduler or the lock is unusable (``reports/`` untouched), or a site file
        cannot be written.
    DataError
        If the data package does not validate (nothing is built).
    Interrupted
        On Ctrl-C or SIGTERM, after recording the reports that finished.
    """
    from ukcyber.data import descriptor, is_validated, validate
    from ukcyber.site import write
    from ukcyber.site.report import install_assets

    project = Path(project).resolve()
    reports = Path(reports or project / "reports").resolve()
    workers = jobs if jobs is not None else os.cpu_count() or 1
    check_options(workers, timeout, wait)
    candidates = stamp.kernel_candidates(kernel)
    try:  # taken before anything is read: an edit made during the build is never stamped
        inputs: str | None = stamp.inputs_key(
            project, data_dir(), kernel=kernel, show_code=show_code, pdf=pdf, candidates=candidates
        )
    except OSError:
        inputs = None  # the checks below say what is unreadable
    source = project / "reports.toml"
    folder = project / "notebooks"
    spec = matrix.read(source)
    infos = matrix.check_notebooks(spec, folder, source.name)
    check_kernel(kernel)
    if not scheduler and not is_validated():
        start_fork_server()  # the data changed: its imports overlap the data's validation
    package_digest = validate()
    everything = matrix.expand(spec, source.name, matrix.resolve)
    matrix_keys = {job.key for job in everything}
    requested: Job | None = None
    if params:
        requested, is_ad_hoc = ad_hoc_request(only, params, everything, folder, infos)
        chosen = [requested]
        requested = requested if is_ad_hoc else None
    else:
        recorded = read_manifest(reports, lambda message: None)
        recorded_ad_hoc = kept_ad_hoc(
            recorded.reports if recorded else {}, matrix_keys, folder, dict(infos)
        )
        chosen = select(everything + recorded_ad_hoc, only)
    check_writable(reports)
    client = cluster.connect(scheduler) if scheduler else None

    try:
        with build_lock(reports, wait), deferred_signals() as stop:
            stamp.remove(reports)
            clear_leftovers(reports)
            previous = read_manifest(reports, warn)
            old = previous.reports if previous else {}
            now, library, digests = utc_now(), library_digest(), table_digests()
            manifest = Manifest(
                generated_at=now,
                build_epoch=BUILD_EPOCH,
                data_fingerprint=package_digest,
                data_changed_at=data_changed_at(previous, package_digest, now),
                table_digests=digests,
                tables_changed_at=tables_changed_at(previous, digests, now),
                site_fingerprint=site_fingerprint(data=package_digest, library=library),
            )
            install_assets(reports)
            if (
                force
                or previous is None
                or previous.site_fingerprint != manifest.site_fingerprint
                or not (reports / "data_dictionary.html").is_file()
                or not (reports / "recommendations.html").is_file()
                or not write.reader_pages_present(reports)
            ):
                write.write_dictionary(reports, manifest)
                write.write_recommendations(reports, manifest)
                write.write_reader_pages(reports, manifest)

            common: dict[str, Any] = {"show_code": show_code, "kernel": kernel}
            common |= {"library": library, "lockfile": lockfile_digest()}
            common |= {"digests": digests, "whole": package_digest}
            common |= {"table_dates": manifest.tables_changed_at}
            facts = date_facts(descriptor()["resources"], manifest.tables_changed_at, data_dir())
            site_jobs = everything + kept_ad_hoc(old, matrix_keys, folder, infos)
            if requested is not None and requested.key not in {j.key for j in site_jobs}:
                site_jobs.append(requested)
            ad_hoc_keys = {job.key for job in site_jobs} - matrix_keys
            chosen = [job for job in chosen if job.key in {j.key for j in site_jobs}]
            last_tables = {key: entry.tables for key, entry in old.items()}
            current = {
                job.key: fingerprint_of(job, last_tables.get(job.key), infos, common)
                for job in site_jobs
            }
            results, todo = plan(chosen, current, old, reports, force)
            if todo and not scheduler:
                start_fork_server()  # before the PDF printer starts, as early as work is known

            def record(key: str, entry: Entry, pending: bool = False) -> Entry:
                fingerprint, inputs = current[key]
                entry = entry.model_copy(update={"ad_hoc": key in ad_hoc_keys})
                return status.mark(entry, entry.fingerprint if pending else fingerprint, inputs)

            def assemble(pending: Container[str] = ()) -> Manifest:
                site_manifest = manifest.model_copy(deep=True)
                for job in site_jobs:
                    entry = results.get(job.key) or old.get(job.key)
                    if entry is not None:
                        site_manifest.reports[job.key] = record(job.key, entry, job.key in pending)
                return site_manifest

            # Before any report runs, reports about to be rebuilt are not marked out of date:
            # their pages are printed to PDF during the build and must not carry the banner.
            write.write_status(reports, assemble(pending=todo))
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
                    facts=facts,
                    pdf=printer is not None,
                )
                for job in todo.values()
            ]

            def on_result(task: Task, result: WorkerResult) -> None:
                job = todo[task.job.key]
                # The page's dates follow the tables it read this time; so does the fingerprint.
                fingerprint, inputs = fingerprint_of(job, result.tables, infos, common)
                current[job.key] = (fingerprint, inputs)
                entry = publish(reports, job, result, old.get(job.key), fingerprint)
                if entry.status == "ok":  # published by this build
                    entry = entry.model_copy(update={"inputs": inputs})
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

            final = assemble()
            rebuilt = [k for k in todo if k in results and results[k].status == "ok"]
            final.ran = [k for k in todo if k in results]
            write_manifest(reports, final)
            snapshot, comparison = history.compare(reports, warn)
            log = history.record(
                reports,
                snapshot,
                comparison,
                built_at=now,
                rebuilt=rebuilt,
                failed=[k for k in todo if k in results and results[k].status == "failed"],
                stale=[k for k, e in final.reports.items() if e.stale],
                warn=warn,
            )
            write.write_status(reports, final)
            write.write_figure_pages(reports, final)
            write.write_front_pages(reports, final, notebook_sections(site_jobs, infos), log)
            if stop.is_set():
                raise Interrupted(len(todo) - len(unfinished), len(unfinished))
            if inputs is not None and all_current(site_jobs, final, infos, common, reports):
                rows = [stamp.Unchanged(job.key, job.key in ad_hoc_keys) for job in site_jobs]
                stamp.write(reports, inputs, candidates, rows)
    except OSError as exc:  # what the checks could not foresee: a full disk, a lost folder
        where = exc.filename or reports
        raise BuildError(f"cannot write {where}: {exc.strerror or exc}") from None
    finally:
        if client is not None:
            client.close()
    return [record(job.key, results[job.key]) for job in chosen if job.key in results]
