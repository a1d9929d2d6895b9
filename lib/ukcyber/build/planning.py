"""Planning a build: each report's fingerprint and page dates, which reports run, and which
ad-hoc cuts are kept; all from digests and the manifest, before anything is written.

:func:`fingerprint_of` is the one place a report's inputs are put together: the plan, the
record of a finished report and the build stamp's check (:func:`all_current`) all use it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ukcyber.build import adhoc, matrix, status
from ukcyber.build.fingerprint import data_digest, report_fingerprint
from ukcyber.build.jobs import Job
from ukcyber.build.manifest import Entry, Manifest
from ukcyber.build.notebooks import NotebookInfo, inspect
from ukcyber.build.publish import is_current, skipped
from ukcyber.errors import BuildError


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


def report_meta(tables: list[str] | None, common: dict[str, Any]) -> dict[str, str]:
    """The change date of each table the report read (every table when not known): what the
    page's "Data as of" follows, so part of its fingerprint."""
    dates: dict[str, str] = common["table_dates"]
    names = sorted(dates) if tables is None else sorted(tables)
    return {name: dates.get(name, "") for name in names}


def fingerprint_of(
    job: Job, tables: list[str] | None, infos: dict[str, NotebookInfo], common: dict[str, Any]
) -> tuple[str, dict[str, str]]:
    """The fingerprint of ``job`` when it reads ``tables`` (``None``: every table), and the
    digests of its inputs (recorded so a later build can say which of them changed).

    ``common`` holds what every report shares: per-table ``digests`` and the ``whole``
    package's fingerprint, the library, lock file, kernel and show-code; the page's dates
    follow the tables read (:func:`report_meta`).
    """
    data = data_digest(tables, common["digests"], common["whole"])
    shared = {k: common[k] for k in ("show_code", "kernel", "library", "lockfile")}
    raw = infos[job.notebook].raw
    fingerprint = report_fingerprint(
        notebook=raw,
        params=job.params,
        title=job.title,
        description=job.description,
        data=data,
        meta=report_meta(tables, common),
        **shared,
    )
    return fingerprint, status.report_inputs(job, raw, {**shared, "data": data})


def plan(
    chosen: list[Job],
    current: dict[str, tuple[str, dict[str, str]]],
    old: dict[str, Entry],
    reports: Path,
    force: bool,
) -> tuple[dict[str, Entry], dict[str, Job]]:
    """Split the chosen jobs into unchanged ones (their skipped entries) and ones to run.

    A report is unchanged when the fingerprint over the tables it read last time is its
    manifest's fingerprint and its files are there.
    """
    results: dict[str, Entry] = {}
    todo: dict[str, Job] = {}
    for job in chosen:
        fingerprint = current[job.key][0]
        last = old.get(job.key)
        if not force and last is not None and is_current(last, fingerprint, reports):
            results[job.key] = skipped(job, last)
        else:
            todo[job.key] = job
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


def all_current(
    jobs: list[Job],
    final: Manifest,
    infos: dict[str, NotebookInfo],
    common: dict[str, Any],
    reports: Path,
) -> bool:
    """Whether a build made now, from the same inputs, would skip every report: none failed or
    out of date, and each one's fingerprint over the tables it read is its recorded one."""
    for job in jobs:
        entry = final.reports.get(job.key)
        if entry is None or entry.status == "failed" or entry.stale:
            return False
        if not is_current(entry, fingerprint_of(job, entry.tables, infos, common)[0], reports):
            return False
    return True


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
