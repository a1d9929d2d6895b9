"""Write the site's own files into ``reports/``, each atomically, from the typed manifest.

``index.html`` (front page), ``build.html``, ``changes.html``, ``recommendations.html`` with its
CSV, ``data_dictionary.html`` and ``assets/status.js`` (which marks out-of-date report pages).
The build decides when each is written; these functions only write.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ukcyber.atomic import atomic_write
from ukcyber.manifest import Manifest
from ukcyber.site.front import (
    NotebookSection,
    build_page_html,
    changes_page_html,
    dates_meta,
    front_page_html,
)
from ukcyber.site.status import STATUS_JS, status_js

HEADLINES_CACHE = "_data/headlines.json"


def write_status(reports: Path, manifest: Manifest) -> None:
    """Rewrite ``assets/status.js`` from ``manifest`` (which reports are out of date or failed)."""
    atomic_write(reports / STATUS_JS, status_js(manifest))


def _headlines(reports: Path, fingerprint: str) -> list[dict[str, Any]]:
    """Give the headline figures, kept in ``_data/headlines.json`` while the data and code are
    the same (``fingerprint``), so a build that changes nothing does not recompute them."""
    from ukcyber.headlines import headline_figures

    cache = reports / HEADLINES_CACHE
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
    page = recommendations_html(rows, meta=dates_meta(manifest))
    atomic_write(reports / "recommendations.html", page)


def write_dictionary(reports: Path, manifest: Manifest) -> None:
    """Write ``reports/data_dictionary.html`` from ``datapackage.json`` and the tables."""
    from ukcyber.data import descriptor, load
    from ukcyber.site.dictionary import dictionary_html

    package = descriptor()
    tables = {r["name"]: load(r["name"]) for r in package["resources"]}
    page = dictionary_html(package, tables, dates_meta(manifest))
    atomic_write(reports / "data_dictionary.html", page)


def write_front_pages(
    reports: Path,
    manifest: Manifest,
    notebooks: Sequence[NotebookSection],
    log: Sequence[Mapping[str, Any]],
) -> None:
    """Write the front page, the build page and the changes page (every build: they report the
    build and each report's state)."""
    headlines = _headlines(reports, manifest.site_fingerprint)
    front = front_page_html(manifest, notebooks=notebooks, headlines=headlines, log=log)
    atomic_write(reports / "index.html", front)
    atomic_write(reports / "build.html", build_page_html(manifest))
    atomic_write(reports / "changes.html", changes_page_html(manifest, log))
