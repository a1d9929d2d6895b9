"""The site's own pages: the front page, the build page and the "what changed" page.

Pages are made from plain data (the manifest as JSON, the changes log, notebook summaries and
headline figures) so they can be tested without a build. A report's state is said in words,
and a report whose inputs changed since it was built is "out of date", never "built".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from ukcyber.citations import date_words
from ukcyber.formatting import join_words, plural, words
from ukcyber.templating import render

FRONT_PAGE_BUILDS = 3
"""Builds summarised in the front page's "What changed" box (the changes page lists all)."""
MAX_SHOWN_CHANGES = 200
"""Changes listed per build on the changes page; the rest are counted (all are in the log)."""


def when_words(stamp: str) -> str:
    """``2026-11-24T10:04:05Z`` or ``2026-11-24 10:04 UTC`` → ``24 November 2026, 10:04 UTC``."""
    text = (stamp or "").strip().removesuffix("Z").removesuffix(" UTC").replace("T", " ")
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return stamp
    return f"{date_words(moment.strftime('%Y-%m-%d'))}, {moment.strftime('%H:%M')} UTC"


def day_words(stamp: str) -> str:
    """The date of a timestamp in words (``24 November 2026``); other text as is."""
    return date_words((stamp or "")[:10]) if stamp else ""


def params_words(defaults: Mapping[str, Any], params: Mapping[str, Any]) -> str:
    """A report's settings in words: those that differ from the notebook's defaults
    (``Region: Wales``), or every default when none does (``Start year: 2017; End year: 2024
    (the notebook's defaults)``)."""
    chosen = {k: v for k, v in params.items() if k not in defaults or defaults[k] != v}
    shown = chosen or {**defaults, **params}
    text = "; ".join(f"{k.replace('_', ' ').capitalize()}: {words(v)}" for k, v in shown.items())
    if chosen or not text:
        return text
    return f"{text} (the notebook's defaults)"


def entry_state(entry: Mapping[str, Any]) -> tuple[str, str]:
    """(state, words) of one report: ``current``, ``stale`` or ``failed``."""
    reasons = join_words(list(entry.get("stale_because") or []))
    if entry.get("status") == "failed":
        if not entry.get("last_good"):
            return "failed", f"Failed, no report yet: {entry.get('error', '')}"
        text = f"Failed at the last build, showing the last good version: {entry.get('error', '')}"
        if entry.get("stale"):
            text += f". Out of date: {reasons}" if reasons else ". Out of date"
        return "failed", text
    if entry.get("stale"):
        return "stale", f"Out of date: {reasons}" if reasons else "Out of date"
    return "current", "Up to date"


def _entry(entry: Mapping[str, Any], defaults: Mapping[str, Any]) -> dict[str, Any]:
    state, label = entry_state(entry)
    params = params_words(defaults, entry.get("params", {})) or "Default settings"
    return {
        "key": entry["key"],
        "title": entry["title"],
        "href": entry.get("html", ""),
        "pdf": entry.get("pdf", ""),
        "params": params,
        "ad_hoc": bool(entry.get("ad_hoc")),
        "state": state,
        "label": label,
        "built": when_words(entry.get("built_at", "")),
        "search": " ".join([entry["title"], params, "ad hoc" if entry.get("ad_hoc") else ""]),
    }


def sections(
    manifest: Mapping[str, Any], notebooks: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """One section per notebook (in ``notebooks`` order) listing its reports, ad hoc last."""
    by_notebook: dict[str, list[Mapping[str, Any]]] = {}
    for entry in manifest["reports"].values():
        by_notebook.setdefault(entry["notebook"], []).append(entry)
    out = []
    known = {nb["name"] for nb in notebooks}
    extra = [{"name": n, "title": n, "description": "", "defaults": {}} for n in by_notebook]
    for nb in [*notebooks, *(e for e in extra if e["name"] not in known)]:
        entries = sorted(by_notebook.get(nb["name"], []), key=lambda e: bool(e.get("ad_hoc")))
        if entries:
            rows = [_entry(e, nb.get("defaults", {})) for e in entries]
            out.append({**nb, "entries": rows, "anchor": f"nb-{nb['name']}"})
    return out


def status_counts(manifest: Mapping[str, Any]) -> dict[str, int]:
    """How many reports are up to date, out of date and failed."""
    counts = {"current": 0, "stale": 0, "failed": 0}
    for entry in manifest["reports"].values():
        counts[entry_state(entry)[0]] += 1
    return counts


def dates_meta(manifest: Mapping[str, Any]) -> list[tuple[str, str]]:
    """ "Data as of" (when the data last changed) and "Built" (this build), for page headers."""
    return [
        ("Data as of", day_words(manifest.get("data_changed_at", "")) or "not known"),
        ("Built", when_words(manifest.get("generated_at", ""))),
    ]


def change_words(record: Mapping[str, Any]) -> str:
    """One sentence on a build's data changes: ``1 row changed in regional.``"""
    if record.get("first"):
        return "First build: no earlier data to compare."
    if not record.get("data_changed"):
        return "The data did not change."
    parts = []
    for table, counts in record.get("summary", {}).items():
        done = [plural(n, "row") + f" {kind}" for kind, n in counts.items() if n]
        parts.append(f"{join_words(done)} in {table}")
    return f"The data changed: {'; '.join(parts)}." if parts else "The data changed."


def _report_links(keys: Sequence[str], manifest: Mapping[str, Any]) -> list[dict[str, str]]:
    reports = manifest["reports"]
    return [
        {
            "title": reports[k]["title"] if k in reports else k,
            "href": reports.get(k, {}).get("html", ""),
        }
        for k in keys
    ]


def change_records(
    log: Sequence[Mapping[str, Any]], manifest: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """Each build of the log (newest first) as the changes page shows it."""
    out = []
    for record in log:
        changes = list(record.get("changes", []))
        shown = changes[:MAX_SHOWN_CHANGES]
        out.append(
            {
                "when": when_words(record.get("built_at", "")),
                "anchor": "build-" + "".join(c for c in record.get("built_at", "") if c.isdigit()),
                "sentence": change_words(record),
                "changes": shown,
                "more": len(changes) - len(shown) + int(record.get("more_changes", 0)),
                "rebuilt": _report_links(record.get("rebuilt", []), manifest),
                "failed": _report_links(record.get("failed", []), manifest),
                "stale": _report_links(record.get("stale", []), manifest),
            }
        )
    return out


def front_page_html(
    manifest: Mapping[str, Any],
    *,
    notebooks: Sequence[Mapping[str, Any]],
    headlines: Sequence[Mapping[str, Any]],
    log: Sequence[Mapping[str, Any]],
) -> str:
    """``reports/index.html``: purpose, headline figures, what changed, every report by notebook."""
    groups = sections(manifest, notebooks)
    latest = change_records(log[:FRONT_PAGE_BUILDS], manifest)
    return str(
        render(
            "index.html.j2",
            title="UK cyber security evidence kit",
            meta=dates_meta(manifest),
            headlines=headlines,
            latest=latest,
            groups=groups,
            total=sum(len(g["entries"]) for g in groups),
            counts=status_counts(manifest),
            built=when_words(manifest.get("generated_at", "")),
            root="",
            assets="assets",
        )
    )


def build_page_html(manifest: Mapping[str, Any]) -> str:
    """``reports/build.html``: the last build, and every report's state, time and any error."""
    ran = set(manifest.get("ran", []))
    rows = []
    for entry in manifest["reports"].values():
        state, label = entry_state(entry)
        failed_base = f"_failed/{entry['key']}" if entry.get("status") == "failed" else ""
        rows.append(
            {
                "title": entry["title"],
                "href": entry.get("html", ""),
                "ran": entry["key"] in ran,
                "state": state,
                "label": label,
                "built": when_words(entry.get("built_at", "")),
                "seconds": entry.get("seconds", 0.0) if entry["key"] in ran else None,
                "failed": failed_base,
            }
        )
    return str(
        render(
            "build.html.j2",
            title="Build details",
            meta=dates_meta(manifest),
            rows=rows,
            counts=status_counts(manifest),
            ran=len(ran),
            root="",
            assets="assets",
        )
    )


def changes_page_html(manifest: Mapping[str, Any], log: Sequence[Mapping[str, Any]]) -> str:
    """``reports/changes.html``: per build, newest first, the data rows added, removed and
    changed (table, row, field, old → new) and the reports rebuilt or left out of date."""
    return str(
        render(
            "changes.html.j2",
            title="What changed",
            meta=dates_meta(manifest),
            records=change_records(log, manifest),
            checked=when_words(manifest.get("generated_at", "")),
            root="",
            assets="assets",
        )
    )
