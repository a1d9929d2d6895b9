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
from collections.abc import Callable, Container
from pathlib import Path
from typing import Any

from ukcyber.build import adhoc, history, matrix, printing, site, status
from ukcyber.build.executor import Pool, deferred_signals, run_tasks
from ukcyber.build.files import SCRATCH, clear_leftovers
from ukcyber.build.fingerprint import (
    library_digest,
    lockfile_digest,
    report_fingerprint,
    site_fingerprint,
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
from ukcyber.build.notebooks import NotebookInfo, inspect
from ukcyber.build.publish import is_current, publish, skipped, write_dictionary
from ukcyber.build.worker import Task, WorkerResult
from ukcyber.errors import BuildError
from ukcyber.paths import REPO_ROOT, cache_dir

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


def fingerprints(
    jobs: list[Job], infos: dict[str, NotebookInfo], common: dict[str, Any]
) -> dict[str, tuple[str, dict[str, str]]]:
    """Each job's fingerprint under the current inputs, and the digests of those inputs.

    ``common`` holds the fingerprint inputs shared by every report (data, library, ...).
    """
    found = {}
    for job in jobs:
        raw = infos[job.notebook].raw
        fingerprint = report_fingerprint(
            notebook=raw,
            params=job.params,
            title=job.title,
            description=job.description,
            **common,
        )
        found[job.key] = (fingerprint, status.report_inputs(job, raw, common))
    return found


def plan(
    chosen: list[Job],
    current: dict[str, tuple[str, dict[str, str]]],
    old: dict[str, Entry],
    reports: Path,
    force: bool,
) -> tuple[dict[str, Entry], dict[str, tuple[Job, str]]]:
    """Split the chosen jobs into unchanged ones (their skipped entries) and ones to run."""
    results: dict[str, Entry] = {}
    todo: dict[str, tuple[Job, str]] = {}
    for job in chosen:
        fingerprint = current[job.key][0]
        last = old.get(job.key)
        if not force and last is not None and is_current(last, fingerprint, reports):
            results[job.key] = skipped(job, last)
        else:
            todo[job.key] = (job, fingerprint)
    return results, todo


def kept_ad_hoc(
    old: dict[str, Entry], matrix_keys: set[str], folder: Path, infos: dict[str, NotebookInfo]
) -> list[Job]:
    """Jobs of the ad-hoc reports a previous build recorded whose notebook still exists (their
    notebooks are added to ``infos``); kept across builds and rebuilt when out of date."""
    jobs = []
    for entry in old.values():
        if not entry.ad_hoc or entry.key in matrix_keys or not entry.html:
            continue  # an ad-hoc cut that never built a page is not kept
        if entry.notebook not in infos:
            try:
                infos[entry.notebook] = inspect(folder / f"{entry.notebook}.ipynb")
            except BuildError:
                continue  # its notebook is gone: the report goes with it
        job = adhoc.from_entry(
            entry.notebook, entry.slug, entry.title, entry.description, entry.params
        )
        jobs.append(job)
    return jobs


def ad_hoc_request(
    only: str | None,
    params: dict[str, str],
    everything: list[Job],
    folder: Path,
    infos: dict[str, NotebookInfo],
) -> tuple[Job, bool]:
    """The one job ``--only NOTEBOOK -p name=value ...`` asks for, checked like the matrix."""
    if not only or not matrix.NAME.fullmatch(only):
        raise BuildError(
            "-p needs --only NOTEBOOK naming one notebook in notebooks/ (without .ipynb), "
            "e.g. --only recommendations -p actor='UK government'"
        )
    if only not in infos:
        infos[only] = inspect(folder / f"{only}.ipynb")
    typed = adhoc.check_params(only, infos[only], params)
    return adhoc.ad_hoc_job(only, typed, everything)


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
    warn: Callable[[str], None] = _stderr,
) -> list[Entry]:
    """Build the matrix of ``project/reports.toml`` into ``reports``; return the selected entries.

    With ``params`` (``-p name=value`` as text), ``only`` names one notebook and the build makes
    that one report, an ad-hoc cut recorded as such and kept by later builds. With ``pdf``, each
    rebuilt report is also printed to ``<slug>.pdf`` by headless Chromium while the other
    reports build; without Chromium the build says so in one line and goes on.

    Raises
    ------
    BuildError
        If the matrix, a notebook, an option, a ``-p`` value, the kernel, the reports folder or
        the lock is unusable (``reports/`` untouched), or a site file cannot be written.
    DataError
        If the data package does not validate (nothing is built).
    Interrupted
        On Ctrl-C or SIGTERM, after recording the reports that finished.
    """
    from ukcyber.citations import data_as_of
    from ukcyber.data import load, validate
    from ukcyber.frontpage import day_words
    from ukcyber.render import install_assets

    project = Path(project).resolve()
    reports = Path(reports or project / "reports").resolve()
    workers = jobs if jobs is not None else os.cpu_count() or 1
    check_options(workers, timeout, wait)
    source = project / "reports.toml"
    folder = project / "notebooks"
    spec = matrix.read(source)
    infos = matrix.check_notebooks(spec, folder, source.name)
    check_kernel(kernel)
    data_digest = validate()
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

    try:
        with build_lock(reports, wait), deferred_signals() as stop:
            clear_leftovers(reports)
            previous = read_manifest(reports, warn)
            old = previous.reports if previous else {}
            now, library = utc_now(), library_digest()
            manifest = Manifest(
                generated_at=now,
                data_fingerprint=data_digest,
                data_changed_at=data_changed_at(previous, data_digest, now),
                site_fingerprint=site_fingerprint(data=data_digest, library=library),
            )
            install_assets(reports)
            if (
                force
                or previous is None
                or previous.site_fingerprint != manifest.site_fingerprint
                or not (reports / "data_dictionary.html").is_file()
                or not (reports / "recommendations.html").is_file()
            ):
                write_dictionary(reports, meta=site.dates_meta(manifest))
                site.write_recommendations(reports, manifest)

            common = {"show_code": show_code, "kernel": kernel, "data": data_digest}
            common |= {"library": library, "lockfile": lockfile_digest()}
            site_jobs = everything + kept_ad_hoc(old, matrix_keys, folder, infos)
            if requested is not None and requested.key not in {j.key for j in site_jobs}:
                site_jobs.append(requested)
            ad_hoc_keys = {job.key for job in site_jobs} - matrix_keys
            chosen = [job for job in chosen if job.key in {j.key for j in site_jobs}]
            current = fingerprints(site_jobs, infos, common)
            results, todo = plan(chosen, current, old, reports, force)

            def record(key: str, entry: Entry, pending: bool = False) -> Entry:
                fingerprint, inputs = current[key]
                if key in todo and entry.status == "ok":  # published by this build
                    entry = entry.model_copy(update={"inputs": inputs})
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
            site.write_status(reports, assemble(pending=todo))
            scratch = reports / SCRATCH
            meta = {
                "Data as of": day_words(manifest.data_changed_at),
                "Latest source published": data_as_of(load("sources")),
            }
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
                for job, _ in todo.values()
            ]

            def on_result(task: Task, result: WorkerResult) -> None:
                job, fingerprint = todo[task.job.key]
                entry = publish(reports, job, result, old.get(job.key), fingerprint)
                results[job.key] = entry
                printing.submit(printer, reports, entry)

            unfinished: list[Task] = []
            if tasks and not stop.is_set():
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
            site.write_status(reports, final)
            site.write_pages(reports, final, site.notebook_sections(site_jobs, infos), log)
            if stop.is_set():
                raise Interrupted(len(todo) - len(unfinished), len(unfinished))
    except OSError as exc:  # what the checks could not foresee: a full disk, a lost folder
        where = exc.filename or reports
        raise BuildError(f"cannot write {where}: {exc.strerror or exc}") from None
    return [record(job.key, results[job.key]) for job in chosen if job.key in results]
