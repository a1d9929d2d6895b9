"""``build()``: check → plan → execute → publish.

1. :func:`~ukcyber.build.check.check`: everything a user can get wrong, before the first byte is
   written to ``reports/`` (each mistake is one :class:`BuildError` or :class:`DataError`);
2. :func:`~ukcyber.build.plan.make_plan`, under the build lock: every report's inputs, and
   whether and why it runs (``--dry-run`` stops here, without the lock, writing nothing);
3. :func:`execute`: the reports that run, on local worker processes or a Dask cluster, each
   published as soon as it finishes;
4. :func:`publish_site`: files of reports that left the site removed, the manifest, the
   history, the site's pages, and the no-op stamp when everything is current.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Collection
from dataclasses import replace
from pathlib import Path
from typing import Any

from ukcyber.build import cluster, history, printing, stamp
from ukcyber.build.check import Checked, check
from ukcyber.build.executor import LocalRunner, Pool, deferred_signals, start_fork_server
from ukcyber.build.files import SCRATCH, clear_leftovers
from ukcyber.build.lock import build_lock
from ukcyber.build.manifest import read_manifest, utc_now, write_manifest
from ukcyber.build.options import KERNEL, BuildOptions
from ukcyber.build.plan import Plan, Step, make_plan, mark, reasons, report_inputs
from ukcyber.build.publish import publish, remove_unlisted, skipped
from ukcyber.build.site import notebook_sections
from ukcyber.build.worker import Task, WorkerResult
from ukcyber.errors import BuildError
from ukcyber.manifest import Entry, Manifest
from ukcyber.paths import REPO_ROOT, cache_dir

__all__ = ["KERNEL", "Interrupted", "build", "dry_run", "run"]

Warn = Callable[[str], None]


class Interrupted(KeyboardInterrupt):
    """Ctrl-C or SIGTERM stopped the build; finished reports were recorded."""

    def __init__(self, finished: int, cancelled: int) -> None:
        done = f"{finished} report{'s' if finished != 1 else ''} finished and recorded"
        super().__init__(f"{done}, {cancelled} cancelled")
        self.finished, self.cancelled = finished, cancelled


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)


def build(project: Path = REPO_ROOT, *, warn: Warn = _stderr, **options: Any) -> list[Entry]:
    """Build the reports of ``project/reports.toml``; give the entries of the reports chosen.

    ``options`` are the fields of :class:`~ukcyber.build.options.BuildOptions` (``reports``,
    ``jobs``, ``force``, ``only``, ``params``, ``kernel``, ``kernels``, ``show_code``, ...).

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
    return run(BuildOptions(project=Path(project), **options), warn)


def dry_run(options: BuildOptions) -> Plan:
    """Check and plan a build, writing nothing anywhere (not even the caches)."""
    checked = check(replace(options, dry_run=True))
    previous = read_manifest(checked.options.reports_dir, lambda message: None)
    return make_plan(checked, previous, utc_now())


def run(options: BuildOptions, warn: Warn = _stderr) -> list[Entry]:
    """Check, plan, execute and publish (see the module docstring and :func:`build`)."""
    checked = check(options)
    reports = checked.options.reports_dir
    client = cluster.connect(options.scheduler) if options.scheduler else None
    try:
        with build_lock(reports, checked.options.wait), deferred_signals() as stop:
            stamp.remove(reports)
            clear_leftovers(reports)
            plan = make_plan(checked, read_manifest(reports, warn), utc_now())
            publish_before(checked, plan)
            results, unfinished = execute(checked, plan, client, stop, warn)
            final = publish_site(checked, plan, results, warn)
            if stop.is_set():
                raise Interrupted(len(plan.todo) - len(unfinished), len(unfinished))
            if all_current(checked, plan, final):
                write_stamp(checked, final)
    except OSError as exc:  # what the checks could not foresee: a full disk, a lost folder
        raise BuildError(f"cannot write {exc.filename or reports}: {exc.strerror or exc}") from None
    finally:
        if client is not None:
            client.close()
    return [
        final.reports[key]
        for key, step in plan.steps.items()
        if step.chosen and key in final.reports
    ]


def publish_before(checked: Checked, plan: Plan) -> None:
    """Write what the reports' pages need before any runs.

    That is the assets, the data pages when the data or the code changed, and ``status.js`` (reports
    about to run are not marked out of date: their pages are printed to PDF during the build).
    """
    from ukcyber.site import write
    from ukcyber.site.report import install_assets

    reports = checked.options.reports_dir
    install_assets(reports)
    if (
        checked.options.force
        or plan.previous_site_fingerprint != plan.manifest.site_fingerprint
        or not (reports / "data_dictionary.html").is_file()
        or not (reports / "recommendations.html").is_file()
        or not write.reader_pages_present(reports)
    ):
        write.write_dictionary(reports, plan.manifest)
        write.write_recommendations(reports, plan.manifest)
        write.write_reader_pages(reports, plan.manifest)
    write.write_status(reports, assemble(plan, {}, pending={step.job.key for step in plan.todo}))


def _kernel_log() -> str:
    log = cache_dir() / "logs" / "kernels.log"
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text("")
    except OSError:
        return os.devnull
    return str(log)


def _task(checked: Checked, plan: Plan, step: Step, pdf: bool) -> Task:
    options = checked.options
    return Task(
        job=step.job,
        notebook_path=str(checked.infos[step.job.notebook].path),
        scratch=str(options.reports_dir / SCRATCH),
        project=str(options.project),
        data=checked.inputs.data,
        settings=options.settings(pdf),
        facts=plan.facts,
        ignore=(str(options.reports_dir), str(cache_dir())),
    )


def _runner(checked: Checked, plan: Plan, client: Any, tasks: int) -> Any:
    """Give the local worker pool, or the Dask cluster's runner (same interface)."""
    if client is not None:
        reads = tuple(
            sorted({r for s in plan.steps.values() if s.previous for r in s.previous.reads})
        )
        return cluster.DaskRunner(client, checked.options.project, Path(checked.inputs.data), reads)
    scratch = checked.options.reports_dir / SCRATCH
    try:
        (scratch / "runtime").mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BuildError(f"cannot write {scratch}: {exc.strerror or exc}") from None
    workers = max(1, min(checked.options.jobs or 1, tasks))
    return LocalRunner(Pool(workers, _kernel_log(), str(scratch / "runtime")))


def execute(
    checked: Checked, plan: Plan, client: Any, stop: threading.Event, warn: Warn
) -> tuple[dict[str, Entry], list[Task]]:
    """Run the plan's reports, publishing each as it finishes.

    Give their entries and the tasks an interruption left unfinished. Each entry's fingerprint
    covers what the report read this time.
    """
    todo, reports = plan.todo, checked.options.reports_dir
    if todo and client is None:
        start_fork_server()  # before the PDF printer starts, as early as work is known
    printer = printing.start(checked.inputs.pdf, len(todo), warn)
    tasks = [_task(checked, plan, step, printer is not None) for step in todo]
    results: dict[str, Entry] = {}

    def on_result(task: Task, result: WorkerResult) -> None:
        step = plan.steps[task.job.key]
        inputs = report_inputs(checked, plan.manifest, step.job, result.tables, result.reads)
        entry = publish(reports, step.job, result, step.previous, inputs)
        results[step.job.key] = entry
        printing.submit(printer, reports, entry)

    unfinished = tasks
    if tasks and not stop.is_set():
        runner = _runner(checked, plan, client, len(tasks))
        unfinished = runner.run(tasks, stop, on_result, checked.options.progress)
    printing.finish(printer, reports, results, stop.is_set(), warn)
    return results, unfinished


def assemble(plan: Plan, results: dict[str, Entry], pending: Collection[str] = ()) -> Manifest:
    """Give the site's manifest: each report's entry from this build or the last.

    An entry is marked out of date when its inputs changed (never a report just built, or about to
    be).
    """
    manifest = plan.manifest.model_copy(deep=True)
    for key, step in plan.steps.items():
        entry = results.get(key)
        if entry is None and step.previous is not None:
            entry = skipped(step.previous) if step.chosen else step.previous
        if entry is None:
            continue
        entry = entry.model_copy(update={"ad_hoc": step.ad_hoc})
        fresh = key in pending or (key in results and entry.status == "ok")
        manifest.reports[key] = (
            entry.model_copy(update={"stale": False, "stale_because": []})
            if fresh
            else mark(entry, step.inputs)
        )
    return manifest


def publish_site(checked: Checked, plan: Plan, results: dict[str, Entry], warn: Warn) -> Manifest:
    """Remove what left the site, then write the manifest, the history and the site's pages."""
    from ukcyber.site import write

    reports = checked.options.reports_dir
    clear_leftovers(reports)
    final = assemble(plan, results)
    final.ran = [step.job.key for step in plan.todo if step.job.key in results]
    notebooks = {step.job.notebook for step in plan.steps.values()}
    remove_unlisted(reports, list(final.reports.values()), list(plan.removed), notebooks)
    write_manifest(reports, final)
    snapshot, comparison = history.compare(reports, warn)
    log = history.record(
        reports,
        snapshot,
        comparison,
        built_at=final.generated_at,
        rebuilt=[k for k in final.ran if results[k].status == "ok"],
        failed=[k for k in final.ran if results[k].status == "failed"],
        stale=[k for k, e in final.reports.items() if e.stale],
        warn=warn,
    )
    write.write_status(reports, final)
    write.write_figure_pages(reports, final)
    jobs = [step.job for step in plan.steps.values()]
    write.write_front_pages(reports, final, notebook_sections(jobs, checked.infos), log)
    return final


def all_current(checked: Checked, plan: Plan, final: Manifest) -> bool:
    """Whether a plain build made now, from the same inputs, would run nothing.

    That is when no report failed or is out of date, and none has a reason to run.
    """
    plain = replace(checked, options=replace(checked.options, force=False))
    for key, step in plan.steps.items():
        entry = final.reports.get(key)
        if entry is None or entry.status == "failed" or entry.stale:
            return False
        inputs = report_inputs(checked, final, step.job, entry.tables, entry.reads)
        if reasons(plain, Step(step.job, inputs, entry)):
            return False
    return True


def write_stamp(checked: Checked, final: Manifest) -> None:
    """Record that nothing is left to do for these inputs (:mod:`ukcyber.build.stamp`)."""
    reads = sorted({r for entry in final.reports.values() for r in entry.reads})
    rows = [stamp.Unchanged(key, entry.ad_hoc) for key, entry in final.reports.items()]
    stamp.write(checked.options.reports_dir, checked.inputs, checked.candidates, reads, rows)
