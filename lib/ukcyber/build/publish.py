"""Coordinator side of publishing: a worker's bytes into ``reports/``, and the site pages.

A report's files are written all or nothing; files it published last time but no longer
produces are removed; a failure never replaces the last good version (the failed notebook and
its error go to ``reports/_failed/<notebook>/``). The site's own pages are written by
:mod:`ukcyber.site.write`.
"""

from __future__ import annotations

from pathlib import Path

from ukcyber.build.files import atomic_write, check_relative, remove_files, write_group
from ukcyber.build.jobs import Job
from ukcyber.build.manifest import Entry
from ukcyber.build.worker import WorkerResult
from ukcyber.errors import BuildError

FAILED_DIR = "_failed"


def _entry(job: Job, **fields: object) -> Entry:
    base: dict[str, object] = {
        "key": job.key,
        "notebook": job.notebook,
        "slug": job.slug,
        "title": job.title,
        "description": job.description,
        "params": job.params,
    }
    return Entry.model_validate({**base, **fields})


def is_current(previous: Entry | None, fingerprint: str, reports: Path) -> bool:
    """Whether ``previous`` was built from the same inputs and all its files are still there."""
    if previous is None or previous.fingerprint != fingerprint or not previous.html:
        return False
    names = previous.files or [previous.html]
    return all((reports / name).is_file() for name in names)


def skipped(job: Job, previous: Entry) -> Entry:
    """The entry of an unchanged report: its last good build, status ``skipped``."""
    return previous.model_copy(update={"status": "skipped", "seconds": 0.0, "error": ""})


def _own(job: Job, names: list[str]) -> dict[str, str]:
    """Check a report's relative file names; each must be ``<slug>.*`` or under ``<slug>/``."""
    checked = {}
    for name in names:
        path = check_relative(name)
        if not (path.parts[0].startswith(f"{job.slug}.") or path.parts[0] == job.slug):
            raise BuildError(f"refusing to publish {name!r} for {job.key}: not named after it")
        checked[name] = f"{job.notebook}/{path.as_posix()}"
    return checked


def publish(
    reports: Path, job: Job, result: WorkerResult, previous: Entry | None, fingerprint: str
) -> Entry:
    """Publish one finished report and return its manifest entry."""
    if result.status == "ok":
        files = dict(result.files)
        files.setdefault(f"{job.slug}.ipynb", result.notebook)
        try:
            names = _own(job, list(files))
            write_group(reports / job.notebook, files)
        except BuildError as exc:
            result = WorkerResult(status="failed", notebook=result.notebook, error=str(exc))
        else:
            published = sorted(names.values())
            stale = sorted(set(previous.files if previous else []) - set(published))
            try:
                remove_files(reports, [n for n in stale if n.startswith(f"{job.notebook}/")])
                remove_files(reports, _failed_names(job))
            except BuildError:
                pass  # a leftover file is harmless; the new report is published
            return _entry(
                job,
                status="ok",
                seconds=result.seconds,
                fingerprint=fingerprint,
                built_at=result.built_at,
                html=f"{job.key}.html",
                ipynb=f"{job.key}.ipynb",
                files=published,
                charts=result.charts,
                tables=result.tables,
            )
    return failed(reports, job, result, previous)


def _failed_names(job: Job) -> list[str]:
    return [f"{FAILED_DIR}/{job.key}.ipynb", f"{FAILED_DIR}/{job.key}.error.txt"]


def failed(reports: Path, job: Job, result: WorkerResult, previous: Entry | None) -> Entry:
    """Record a failed report: ``_failed/`` copies, and its last good build kept in the entry."""
    error = result.error
    folder = reports / FAILED_DIR / job.notebook
    try:
        if result.notebook:
            atomic_write(folder / f"{job.slug}.ipynb", result.notebook)
        atomic_write(folder / f"{job.slug}.error.txt", f"{job.key}\n{error}\n\n{result.detail}")
    except BuildError as exc:
        error = f"{error}; and {exc}"
    kept: dict[str, object] = {}
    if previous and previous.html and (reports / previous.html).is_file():
        names = {"html", "ipynb", "pdf", "built_at", "charts", "files", "inputs", "tables"}
        kept = previous.model_dump(include=names)
        kept |= {"fingerprint": previous.fingerprint, "last_good": True}
    return _entry(job, status="failed", seconds=result.seconds, error=error, **kept)
