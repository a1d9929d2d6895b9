"""The plan of a build: every report of the site, what it depends on, and whether and why it runs.

Made under the build lock from the checked build (:mod:`ukcyber.build.check`) and the previous
manifest, before anything is written. Each :class:`Step` holds a report's inputs as they are
now, over the tables and files it read when last built; the reasons it runs are worked out
from them (:func:`reasons`). ``ukcyber build --dry-run`` prints the plan and stops.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ukcyber.build.check import Checked
from ukcyber.build.dating import DataFacts, date_facts
from ukcyber.build.inputs import BUILD_EPOCH, ReportInputs, changes, reader_reasons, settings_digest
from ukcyber.build.jobs import Job
from ukcyber.build.manifest import data_changed_at, tables_changed_at
from ukcyber.manifest import Entry, Manifest


@dataclass(frozen=True)
class Step:
    """One report of the site in this build."""

    job: Job
    inputs: ReportInputs
    """Its inputs now, over the tables and files it read when last built."""
    previous: Entry | None
    """Its entry in the previous manifest (``None``: new)."""
    reasons: tuple[str, ...] = ()
    """Why it runs (empty: it is current, or this build may not run it)."""
    chosen: bool = True
    """Whether this build may run it (``--only``, ``-p``)."""
    ad_hoc: bool = False

    @property
    def runs(self) -> bool:
        """Whether this build runs the report."""
        return self.chosen and bool(self.reasons)


@dataclass(frozen=True)
class Plan:
    """What a build will do: every step in site order and the reports to remove.

    It also holds the facts every report shares.
    """

    manifest: Manifest
    """This build's facts (dates, digests), without reports yet."""
    steps: dict[str, Step]
    removed: tuple[Entry, ...] = ()
    """Reports of the previous manifest that left the site (their files are removed)."""
    facts: DataFacts = field(default_factory=DataFacts)
    previous_site_fingerprint: str = ""
    """What the site's data pages were last written from ("": never)."""

    @property
    def todo(self) -> list[Step]:
        """Give the steps that run, in site order."""
        return [step for step in self.steps.values() if step.runs]


def report_inputs(
    checked: Checked, manifest: Manifest, job: Job, tables: list[str] | None, reads: list[str]
) -> ReportInputs:
    """Give ``job``'s inputs when it reads ``tables`` (``None``: unknown) and ``reads``."""
    return checked.inputs.report(
        job.notebook,
        settings_digest(job.params, job.title, job.description),
        tables,
        reads,
        manifest.tables_changed_at,
    )


def reasons(checked: Checked, step: Step) -> list[str]:
    """Say why ``step`` must run (nothing when its last build is current)."""
    previous, reports = step.previous, Path(checked.options.reports_dir)
    if checked.options.force:
        return ["--force"]
    if previous is None:
        return ["new"]
    if not previous.html:
        return ["no page yet (it failed)"]
    if previous.fingerprint != step.inputs.fingerprint:
        return changes(previous.inputs, step.inputs.parts())
    missing = next(
        (name for name in previous.files or [previous.html] if not (reports / name).is_file()), None
    )
    if missing is not None:
        return [f"missing {missing}"]
    if checked.inputs.pdf and not previous.pdf:
        return ["missing PDF"]
    return []


def mark(entry: Entry, inputs: ReportInputs) -> Entry:
    """Give ``entry`` marked out of date, with the reasons in words, when its inputs have changed.

    Its inputs have changed when its recorded fingerprint is not what ``inputs`` give now.
    """
    stale = bool(entry.html) and entry.fingerprint != inputs.fingerprint
    because = reader_reasons(entry.inputs, inputs.parts()) if stale else []
    return entry.model_copy(update={"stale": stale, "stale_because": because})


def base_manifest(checked: Checked, previous: Manifest | None, now: str) -> Manifest:
    """Give this build's manifest without reports: the data's digests and dates."""
    inputs = checked.inputs
    return Manifest(
        generated_at=now,
        build_epoch=BUILD_EPOCH,
        data_fingerprint=inputs.package,
        data_changed_at=data_changed_at(previous, inputs.package, now),
        table_digests=dict(inputs.tables),
        tables_changed_at=tables_changed_at(previous, dict(inputs.tables), now),
        site_fingerprint=inputs.site_fingerprint,
    )


def make_plan(checked: Checked, previous: Manifest | None, now: str) -> Plan:
    """Plan the build (see the module docstring); reads the data's descriptor, writes nothing."""
    from ukcyber.data import descriptor

    manifest = base_manifest(checked, previous, now)
    old = previous.reports if previous else {}
    steps = {}
    for job in checked.jobs:
        last = old.get(job.key)
        tables, reads = (last.tables, last.reads) if last else (None, [])
        step = Step(job, report_inputs(checked, manifest, job, tables, reads), last)
        chosen = job.key in checked.chosen
        why = tuple(reasons(checked, step)) if chosen else ()
        steps[job.key] = Step(job, step.inputs, last, why, chosen, job.key in checked.ad_hoc)
    removed = tuple(entry for key, entry in old.items() if key not in steps)
    resources = descriptor()["resources"]
    facts = date_facts(resources, manifest.tables_changed_at, Path(checked.inputs.data))
    return Plan(manifest, steps, removed, facts, previous.site_fingerprint if previous else "")
