"""Staleness: which reports no longer match the current inputs, and why, in words.

The site shows it (:mod:`ukcyber.site.status` writes ``assets/status.js`` from the manifest).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

from ukcyber.build.jobs import Job
from ukcyber.build.manifest import Entry

INPUT_WORDS = {
    "data": "the data changed",
    "notebook": "its notebook changed",
    "settings": "its title, description or settings changed",
    "library": "the ukcyber code or page templates changed",
    "lockfile": "the pinned package versions changed",
}
"""Each recorded input of a report, and what it means for a reader when it differs."""


def report_inputs(job: Job, notebook: bytes, common: Mapping[str, object]) -> dict[str, str]:
    """Digests of one report's inputs, recorded in its entry so a later build can say why it is
    out of date (the fingerprint alone says only that it is)."""
    settings = [job.params, job.title, job.description, common["show_code"], common["kernel"]]
    return {
        "data": str(common["data"]),
        "notebook": hashlib.sha256(notebook).hexdigest(),
        "settings": hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest(),
        "library": str(common["library"]),
        "lockfile": str(common["lockfile"]),
    }


def stale_reasons(recorded: Mapping[str, str], current: Mapping[str, str]) -> list[str]:
    """What changed since a report was built, in words; a generic reason when not recorded."""
    reasons = [words for key, words in INPUT_WORDS.items() if recorded.get(key) != current[key]]
    if not recorded:
        return ["its inputs changed since it was built"]
    return reasons or ["the build format changed"]


def mark(entry: Entry, fingerprint: str, inputs: Mapping[str, str]) -> Entry:
    """``entry`` with ``stale`` set when its recorded fingerprint is not ``fingerprint``."""
    stale = bool(entry.html) and entry.fingerprint != fingerprint
    reasons = stale_reasons(entry.inputs, inputs) if stale else []
    return entry.model_copy(update={"stale": stale, "stale_because": reasons})
