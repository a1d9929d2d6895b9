"""Check everything a person can get wrong, before anything is written.

:func:`check` reads the build's inputs first (so the no-op stamp is keyed on what the build
saw), then the matrix, the notebooks' declared parameters, the kernel, the data, the ``-p``
values and the output folder. Each mistake is one :class:`~ukcyber.errors.BuildError` or
:class:`~ukcyber.errors.DataError`, and leaves ``reports/`` exactly as it was. The result,
:class:`Checked`, says which reports the site has and which this build may run.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ukcyber.build import adhoc, matrix
from ukcyber.build.inputs import BuildInputs
from ukcyber.build.jobs import Job
from ukcyber.build.manifest import read_manifest
from ukcyber.build.notebooks import NotebookInfo, inspect
from ukcyber.build.options import BuildOptions
from ukcyber.build.stamp import build_inputs, kernel_candidates
from ukcyber.errors import BuildError
from ukcyber.manifest import Entry, Manifest


@dataclass(frozen=True)
class Checked:
    """A build whose every input was checked: what the site has, and what may run."""

    options: BuildOptions
    """The options, checked, with the folders resolved."""
    inputs: BuildInputs
    candidates: list[str]
    """Where Jupyter looks for the kernel spec (the stamp records it)."""
    jobs: tuple[Job, ...]
    """Every report of the site, in order: the matrix, kept ad-hoc cuts, a requested cut."""
    chosen: frozenset[str]
    """Keys of the reports this build may run (``--only``, ``-p``; else all)."""
    ad_hoc: frozenset[str]
    """Keys of the ad-hoc reports among :attr:`jobs`."""
    infos: Mapping[str, NotebookInfo]


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


def check_data(dry_run: bool, local: bool) -> None:
    """Validate the whole data package (:class:`DataError` lists every problem).

    A dry run writes nothing, not even the validation cache; otherwise, when the data changed,
    the worker fork server starts first, so its imports overlap the validation.
    """
    from ukcyber.data import is_validated, validate

    if is_validated():
        validate()
    elif dry_run:
        validate(use_cache=False)
    else:
        if local:
            from ukcyber.build.executor import start_fork_server

            start_fork_server()
        validate()


def select(jobs: list[Job], only: str | None) -> list[Job]:
    """Give the jobs whose key (``notebook/slug``) matches the ``--only`` regular expression."""
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


def kept_ad_hoc(
    old: Mapping[str, Entry], matrix_keys: set[str], folder: Path, infos: dict[str, NotebookInfo]
) -> list[Job]:
    """Give the jobs of the ad-hoc reports a previous build recorded whose notebook still exists.

    Their notebooks join ``infos``; the reports are kept across builds and rebuilt when out of date.
    """
    jobs = []
    for entry in old.values():
        if not entry.ad_hoc or entry.key in matrix_keys or not entry.html:
            continue  # an ad-hoc cut that never built a page is not kept
        if entry.notebook not in infos:
            try:
                infos[entry.notebook] = inspect(folder / f"{entry.notebook}.ipynb")
            except BuildError:
                continue  # its notebook is gone: the report goes with it
        jobs.append(
            adhoc.from_entry(
                entry.notebook, entry.slug, entry.title, entry.description, entry.params
            )
        )
    return jobs


def ad_hoc_request(
    options: BuildOptions, everything: list[Job], folder: Path, infos: dict[str, NotebookInfo]
) -> tuple[Job, bool]:
    """Give the one job ``--only NOTEBOOK -p name=value ...`` asks for, checked like the matrix.

    Also give whether it is ad hoc (``False``: the matrix has it).
    """
    only = options.only
    if not only or not matrix.NAME.fullmatch(only):
        raise BuildError(
            "-p needs --only NOTEBOOK naming one notebook in notebooks/ (without .ipynb), "
            "e.g. --only recommendations -p actor='UK government'"
        )
    if only not in infos:
        infos[only] = inspect(folder / f"{only}.ipynb")
    typed = adhoc.check_params(only, infos[only], dict(options.params))
    return adhoc.ad_hoc_job(only, typed, everything)


def _jobs(
    options: BuildOptions,
    everything: list[Job],
    previous: Manifest | None,
    infos: dict[str, NotebookInfo],
) -> tuple[list[Job], set[str], set[str]]:
    """Give the site's jobs, the keys this build may run and the ad-hoc keys."""
    folder = Path(options.project) / "notebooks"
    matrix_keys = {job.key for job in everything}
    kept = kept_ad_hoc(previous.reports if previous else {}, matrix_keys, folder, infos)
    jobs = everything + kept
    if options.params:
        requested, is_ad_hoc = ad_hoc_request(options, everything, folder, infos)
        if is_ad_hoc and requested.key not in {job.key for job in jobs}:
            jobs.append(requested)
        chosen = {requested.key}
    else:
        chosen = {job.key for job in select(jobs, options.only)}
    return jobs, chosen, {job.key for job in jobs} - matrix_keys


def check(options: BuildOptions) -> Checked:
    """Check everything a user can get wrong; write nothing (see the module docstring).

    Raises
    ------
    BuildError
        If the matrix, a notebook, an option, a ``-p`` value, the kernel or the reports
        folder is unusable.
    DataError
        If the data package does not validate.
    """
    options = options.checked()
    candidates = kernel_candidates(options.kernel)
    try:  # read first: an edit made while the build runs is never stamped as built
        inputs: BuildInputs | None = build_inputs(options, candidates)
    except OSError:
        inputs = None  # the checks below say what is unreadable
    source = Path(options.project) / "reports.toml"
    spec = matrix.read(source)
    infos = matrix.check_notebooks(spec, source.parent / "notebooks", source.name)
    check_kernel(options.kernel)
    check_data(options.dry_run, local=not options.scheduler)
    everything = matrix.expand(spec, source.name, matrix.resolve)
    previous = read_manifest(options.reports_dir, lambda message: None)  # written atomically
    jobs, chosen, ad_hoc = _jobs(options, everything, previous, infos)
    if not options.dry_run:
        check_writable(options.reports_dir)
    if inputs is None:
        raise BuildError(f"cannot read the project folder {options.project}")
    return Checked(
        options, inputs, candidates, tuple(jobs), frozenset(chosen), frozenset(ad_hoc), infos
    )
