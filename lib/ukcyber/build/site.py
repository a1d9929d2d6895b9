"""The site's own files, rewritten by every build under the lock.

``index.html`` (front page), ``build.html``, ``changes.html``, ``recommendations.html`` with its
CSV, and ``assets/status.js`` (which marks out-of-date report pages). Each is written atomically.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ukcyber.build.files import atomic_write
from ukcyber.build.jobs import Job
from ukcyber.build.manifest import Manifest
from ukcyber.build.notebooks import NotebookInfo, declared_parameters
from ukcyber.build.status import STATUS_JS, status_js


def _description(info: NotebookInfo) -> str:
    try:
        meta = json.loads(info.raw.decode("utf-8")).get("metadata", {}).get("ukcyber", {})
    except (UnicodeDecodeError, ValueError, AttributeError):
        return ""
    return str(meta.get("description", "")) if isinstance(meta, dict) else ""


def notebook_sections(
    jobs: Sequence[Job], infos: Mapping[str, NotebookInfo]
) -> list[dict[str, Any]]:
    """One front-page section per notebook, in matrix order: title, what it answers, defaults."""
    from ukcyber.build.adhoc import base_title

    sections: dict[str, dict[str, Any]] = {}
    for job in jobs:
        if job.notebook in sections or job.notebook not in infos:
            continue
        info = infos[job.notebook]
        defaults = {d.name: d.default for d in declared_parameters(info.raw)}
        sections[job.notebook] = {
            "name": job.notebook,
            "title": base_title(job),
            "description": _description(info),
            "defaults": {k: v for k, v in defaults.items() if v is not None},
        }
    return list(sections.values())


def dates_meta(manifest: Manifest) -> list[tuple[str, str]]:
    """ "Data as of" (when the data last changed) and "Built", for a page's header."""
    from ukcyber.site.front import dates_meta as meta

    return meta(manifest.model_dump(mode="json"))


def write_status(reports: Path, manifest: Manifest) -> None:
    """Rewrite ``assets/status.js`` from ``manifest`` (which reports are out of date or failed)."""
    atomic_write(reports / STATUS_JS, status_js(manifest))


def _headlines(reports: Path, fingerprint: str) -> list[dict[str, Any]]:
    """The headline figures, kept in ``_data/headlines.json`` while the data and code are the
    same (``fingerprint``), so a build that changes nothing does not recompute them."""
    from ukcyber.headlines import headline_figures

    cache = reports / "_data" / "headlines.json"
    try:
        saved = json.loads(cache.read_text(encoding="utf-8"))
        if saved["fingerprint"] == fingerprint:
            return list(saved["figures"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    figures = [h.to_dict() for h in headline_figures()]
    atomic_write(cache, json.dumps({"fingerprint": fingerprint, "figures": figures}))
    return figures


def write_recommendations(reports: Path, manifest: Manifest) -> None:
    """Write ``recommendations.html`` and the full ``recommendations.csv`` beside it."""
    from ukcyber.data import load
    from ukcyber.site.recommendations import (
        CSV_NAME,
        recommendation_rows,
        recommendations_csv,
        recommendations_html,
    )

    rows = recommendation_rows(load("recommendations"), load("sources"))
    atomic_write(reports / CSV_NAME, recommendations_csv(rows))
    atomic_write(
        reports / "recommendations.html", recommendations_html(rows, meta=dates_meta(manifest))
    )


def write_pages(
    reports: Path,
    manifest: Manifest,
    sections: Sequence[Mapping[str, Any]],
    log: Sequence[Mapping[str, Any]],
) -> None:
    """Write the front page, the build page and the changes page (every build: they report the
    build and each report's state)."""
    from ukcyber.site.front import build_page_html, changes_page_html, front_page_html

    data = manifest.model_dump(mode="json")
    headlines = _headlines(reports, manifest.site_fingerprint)
    atomic_write(
        reports / "index.html",
        front_page_html(data, notebooks=sections, headlines=headlines, log=log),
    )
    atomic_write(reports / "build.html", build_page_html(data))
    atomic_write(reports / "changes.html", changes_page_html(data, log))
