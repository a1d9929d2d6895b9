"""``assets/status.js``: which reports are out of date or failed, for the banner on their pages.

A report page is not rewritten when it is not rebuilt (``--only``, a failure), so its own HTML
cannot say that it went out of date. Every page loads ``assets/status.js``, which each build
rewrites: it lists the reports that are out of date or failed, with the reason in words, and
puts a banner at the top of such a page. It is a script that sets a global (not JSON read with
``fetch``), so it works from ``file://``.
"""

from __future__ import annotations

from ukcyber.escaping import script_json
from ukcyber.manifest import Manifest
from ukcyber.site.front import state_words
from ukcyber.templating import template_text

STATUS_JS = "assets/status.js"


def status_data(manifest: Manifest) -> dict[str, object]:
    """Give what report pages need: each out-of-date or failed report with its state in words."""
    reports: dict[str, dict[str, str]] = {}
    for key, entry in manifest.reports.items():
        state, label = state_words(entry)
        if state != "current":
            reports[key] = {"state": state, "text": label}
    return {"generated": manifest.generated_at, "reports": reports}


def status_js(manifest: Manifest) -> str:
    """Give the text of ``assets/status.js``: the status as a global, then the banner script."""
    return f"window.UKCYBER_STATUS = {script_json(status_data(manifest))};\n{template_text('status.js')}"
