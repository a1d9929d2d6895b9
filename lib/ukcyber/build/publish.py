"""Coordinator side of publishing: a worker's bytes into ``reports/``, and the site pages.

A report's files are written all or nothing; files it published last time but no longer
produces are removed; a failure never replaces the last good version (the failed notebook and
its error go to ``reports/_failed/<notebook>/``). The site's own pages are written by
:mod:`ukcyber.site.write`.
"""

from __future__ import annotations

import os
from pathlib import Path

from ukcyber.build.files import atomic_write, check_relative, remove_files, write_group
from ukcyber.build.inputs import ReportInputs
from ukcyber.build.jobs import Job
from ukcyber.build.worker import WorkerResult
from ukcyber.errors import BuildError
from ukcyber.manifest import Entry

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


def skipped(previous: Entry) -> Entry:
    """Give the entry of an unchanged report: its last good build, status ``skipped``."""
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
    reports: Path, job: Job, result: WorkerResult, previous: Entry | None, inputs: ReportInputs
) -> Entry:
    """Publish one finished report and give its manifest entry.

    ``inputs`` are what it was built from (over the tables and files it read this time).
    """
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
                fingerprint=inputs.fingerprint,
                inputs=inputs.parts(),
                built_at=result.built_at,
                html=f"{job.key}.html",
                ipynb=f"{job.key}.ipynb",
                files=published,
                charts=result.charts,
                tables=result.tables,
                reads=result.reads,
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
        names = {"html", "ipynb", "pdf", "built_at", "charts", "files", "inputs", "tables", "reads"}
        kept = previous.model_dump(include=names)
        kept |= {"fingerprint": previous.fingerprint, "last_good": True}
    return _entry(job, status="failed", seconds=result.seconds, error=error, **kept)


def _owned(entries: list[Entry]) -> set[str]:
    """Give every path under ``reports/`` that ``entries`` publish or keep in ``_failed/``."""
    owned: set[str] = set()
    for entry in entries:
        owned.update(n for n in (entry.html, entry.ipynb, entry.pdf, *entry.files) if n)
        if entry.status == "failed":
            owned.update(f"{FAILED_DIR}/{entry.key}{suffix}" for suffix in (".ipynb", ".error.txt"))
    return owned


def _report_files(reports: Path, notebooks: set[str]) -> list[str]:
    """Give the files the build may have published for ``notebooks``.

    These are every file under ``reports/<notebook>/`` and ``reports/_failed/<notebook>/`` (hidden
    names excepted).
    """
    found = []
    for notebook in sorted(notebooks):
        for base in (reports / notebook, reports / FAILED_DIR / notebook):
            for folder, dirs, names in os.walk(base):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                found += [
                    Path(folder, name).relative_to(reports).as_posix()
                    for name in names
                    if not name.startswith(".")
                ]
    return found


def remove_unlisted(
    reports: Path, kept: list[Entry], gone: list[Entry], notebooks: set[str]
) -> int:
    """Remove every report file no kept entry owns.

    Those are the files of reports that left the site, and leftovers under the folders of
    ``notebooks`` (the site's and the gone reports' notebooks).

    Returns how many files were removed; a file that cannot be removed is left (and tried
    again by the next build).
    """
    owned = _owned(kept)
    folders = notebooks | {entry.notebook for entry in gone}
    unlisted = [name for name in _report_files(reports, folders) if name not in owned]
    unlisted += [n for n in _owned(gone) - owned if (reports / n).is_file() and n not in unlisted]
    removed = 0
    for name in unlisted:
        try:
            remove_files(reports, [name])
            removed += 1
        except BuildError:
            continue
    return removed
