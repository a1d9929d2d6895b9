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
    """Give the headline figures, kept in ``_data/headlines.json``.

    They are kept while the data and code are the same (``fingerprint``), so a build that changes
    nothing does not recompute them.
    """
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
        documents_of,
        recommendation_rows,
        recommendations_csv,
        recommendations_html,
    )

    recs, sources = load("recommendations"), load("sources")
    rows = recommendation_rows(recs, sources)
    atomic_write(reports / CSV_NAME, recommendations_csv(rows))
    page = recommendations_html(
        rows, meta=dates_meta(manifest), document_list=documents_of(recs, sources)
    )
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
    """Write the front page, the build page and the changes page.

    They are written every build: they report the build and each report's state.
    """
    headlines = _headlines(reports, manifest.site_fingerprint)
    state = figure_pages_state(reports)
    front = front_page_html(
        manifest,
        notebooks=notebooks,
        headlines=headlines,
        log=log,
        figures=state.get("index", []),
        usage=state.get("usage", {}),
    )
    atomic_write(reports / "index.html", front)
    atomic_write(reports / "build.html", build_page_html(manifest))
    atomic_write(reports / "changes.html", changes_page_html(manifest, log))


# --- figure pages and reader pages ---------------------------------------------------------

FIGURE_PAGES_STATE = "_data/figure-pages.json"
"""The figure pages' index (for the front page's list and search), which reports show which
metric, and the key of the inputs they were last written from."""


def _write_changed(reports: Path, files: Mapping[str, str | bytes]) -> int:
    """Write each file whose bytes differ from what is there; return how many were written."""
    written = 0
    for name, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        target = reports / name
        try:
            if target.read_bytes() == data:
                continue
        except OSError:
            pass
        atomic_write(target, data)
        written += 1
    return written


def _report_csvs(reports: Path, manifest: Manifest) -> list[tuple[str, str, str]]:
    """(title, address, text) of every chart and table CSV of every published report."""
    out = []
    for entry in manifest.reports.values():
        if not entry.html:
            continue
        for name in entry.files:
            if name.endswith(".csv"):
                try:
                    out.append((entry.title, entry.html, (reports / name).read_text("utf-8")))
                except OSError:
                    continue
    return out


def figure_pages_state(reports: Path) -> dict[str, Any]:
    """What :func:`write_figure_pages` recorded last (empty when nothing is recorded)."""
    try:
        state = json.loads((reports / FIGURE_PAGES_STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def write_figure_pages(reports: Path, manifest: Manifest) -> None:
    """Write a page for every metric with a preferred row, and the index of them.

    Each page is ``figures/<metric>.html`` with its CSVs; the front page lists and searches the
    index.

    Pages are rewritten only when what they show changes: the data and library
    (``site_fingerprint``), the tables' change dates, or which reports show which metric. A
    build that changes none of these reads the reports' CSVs and writes nothing.
    """
    import hashlib

    from ukcyber.data import descriptor, load
    from ukcyber.formatting import day_words, when_words
    from ukcyber.site.dates import sources_words, years_words
    from ukcyber.site.figure_pages import FIGURES_DIR, figure_site, usage_from_csvs

    usage = usage_from_csvs(_report_csvs(reports, manifest))
    key = hashlib.sha256(
        json.dumps(
            [manifest.site_fingerprint, usage, manifest.tables_changed_at], sort_keys=True
        ).encode("utf-8")
    ).hexdigest()
    state = figure_pages_state(reports)
    pages = [reports / FIGURES_DIR / f"{e['metric']}.html" for e in state.get("index", [])]
    if state.get("key") == key and pages and all(p.is_file() for p in pages):
        return
    tables = {r["name"]: load(r["name"]) for r in descriptor()["resources"]}
    source_dates = dict(zip(tables["sources"]["source_id"], tables["sources"]["date"], strict=True))

    def meta_of(rows: Any) -> list[tuple[str, str]]:
        changed = max(
            (manifest.tables_changed_at.get(t, "") for t in set(rows["table"])), default=""
        )
        meta = [("Figures for", years_words(rows.to_dict("records")))]
        meta += [("Data last changed", day_words(changed))]
        meta += [
            ("Sources published", sources_words(source_dates.get(s, "") for s in rows["source_id"]))
        ]
        meta += [("Built", when_words(manifest.generated_at))]
        return [(k, v) for k, v in meta if v]

    files, index = figure_site(
        tables, usage=usage, meta_of=meta_of, accessed=day_words(manifest.generated_at)
    )
    files.pop("_data/figure-pages.json", None)
    _write_changed(reports, files)
    wanted = {reports / name for name in files}
    folder = reports / FIGURES_DIR
    for old in folder.rglob("*") if folder.is_dir() else []:
        if old.is_file() and old not in wanted:
            old.unlink(missing_ok=True)
    record = {"key": key, "index": [e.to_dict() for e in index], "usage": usage}
    atomic_write(reports / FIGURE_PAGES_STATE, json.dumps(record, indent=1))


def reader_pages_present(reports: Path) -> bool:
    """Whether every reader page and the data ZIP are there (else they are written afresh)."""
    from ukcyber.site.reader import DATA_ZIP, PAGES

    return all((reports / name).is_file() for name in (*PAGES, DATA_ZIP))


def write_reader_pages(reports: Path, manifest: Manifest) -> None:
    """Write the reader pages and the data package as one ZIP.

    The reader pages are about the data and methods, glossary, how to cite, corrections and
    licences; only files whose bytes changed are written.
    """
    from ukcyber.data import descriptor, load
    from ukcyber.paths import data_dir
    from ukcyber.site.reader import reader_site

    package = descriptor()
    tables = {r["name"]: load(r["name"]) for r in package["resources"]}
    meta = [(k, v) for k, v in dates_meta(manifest) if k != "Built"]
    _write_changed(reports, reader_site(package, tables, data_dir(), meta=meta))
