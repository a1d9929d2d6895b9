"""Staleness: which reports no longer match the current inputs, why, and ``assets/status.js``.

A report page is not rewritten when it is not rebuilt (``--only``, a failure), so its own HTML
cannot say that it went out of date. Every page loads ``assets/status.js``, which each build
rewrites: it lists the reports that are out of date or failed, with the reason in words, and
puts a banner at the top of such a page. It is a script that sets a global (not JSON read with
``fetch``), so it works from ``file://``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

from ukcyber.build.jobs import Job
from ukcyber.build.manifest import Entry, Manifest
from ukcyber.escaping import script_json

STATUS_JS = "assets/status.js"

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


def status_data(manifest: Manifest) -> dict[str, object]:
    """What report pages need: each out-of-date or failed report with its state in words."""
    from ukcyber.site.front import entry_state

    reports: dict[str, dict[str, str]] = {}
    for key, entry in manifest.reports.items():
        state, label = entry_state(entry.model_dump(mode="json"))
        if state != "current":
            reports[key] = {"state": state, "text": label}
    return {"generated": manifest.generated_at, "reports": reports}


def status_js(manifest: Manifest) -> str:
    """The text of ``assets/status.js``: the status as a global, then the banner script."""
    from ukcyber.templating import template_text

    data = script_json(status_data(manifest))
    return f"window.UKCYBER_STATUS = {data};\n{template_text('status.js')}"
