"""The site's own pages: the front page, the build page and the "what changed" page.

Pages are made from the typed manifest (:mod:`ukcyber.manifest`), the changes log, notebook
summaries (:class:`NotebookSection`) and headline figures, so they can be tested without a build. A report's state is said in words,
and a report whose inputs changed since it was built is "out of date", never "built".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ukcyber.formatting import day_words, join_words, plural, when_words, words
from ukcyber.manifest import Entry, Manifest, State
from ukcyber.templating import render

FRONT_PAGE_BUILDS = 3
"""Builds summarised in the front page's "What changed" box (the changes page lists all)."""
MAX_SHOWN_CHANGES = 200
"""Changes listed per build on the changes page; the rest are counted (all are in the log)."""


def params_words(defaults: Mapping[str, Any], params: Mapping[str, Any]) -> str:
    """A report's settings in words: those that differ from the defaults (``Region: Wales``).

    When none does, every default is given (``Start year: 2017; End year: 2024 (the default
    settings)``).
    """
    chosen = {k: v for k, v in params.items() if k not in defaults or defaults[k] != v}
    shown = chosen or {**defaults, **params}
    text = "; ".join(f"{k.replace('_', ' ').capitalize()}: {words(v)}" for k, v in shown.items())
    if chosen or not text:
        return text
    return f"{text} (the default settings)"


@dataclass(frozen=True)
class NotebookSection:
    """One notebook as the front page introduces it.

    That is its name, title, what it answers and the defaults its reports' settings are compared
    with.
    """

    name: str
    title: str
    description: str = ""
    defaults: Mapping[str, Any] = field(default_factory=dict)


READER_REASONS = {
    "its notebook changed": "its analysis changed",
    "the ukcyber code or page templates changed": "the code that draws the pages changed",
    "the pinned package versions changed": "the software it is built with changed",
    "the build format changed": "the way reports are built changed",
}
"""Why a report is out of date, in a reader's words (the build records its own)."""


def state_words(entry: Entry) -> tuple[State, str]:
    """(state, words) of one report: ``current``, ``stale`` or ``failed``."""
    reasons = join_words([READER_REASONS.get(r, r) for r in entry.stale_because])
    state = entry.state
    if state == "failed":
        if not entry.last_good:
            return state, f"Failed, no report yet: {entry.error}"
        text = f"Failed at the last build, showing the last good version: {entry.error}"
        if entry.stale:
            text += f". Out of date: {reasons}" if reasons else ". Out of date"
        return state, text
    if state == "stale":
        return state, f"Out of date: {reasons}" if reasons else "Out of date"
    return state, "Up to date"


def _entry(entry: Entry, defaults: Mapping[str, Any], shows: str = "") -> dict[str, Any]:
    state, label = state_words(entry)
    params = params_words(defaults, entry.params) or "Default settings"
    return {
        "key": entry.key,
        "title": entry.title,
        "href": entry.html,
        "pdf": entry.pdf,
        "params": params,
        "ad_hoc": entry.ad_hoc,
        "state": state,
        "label": label,
        "built": when_words(entry.built_at),
        "search": " ".join([entry.title, params, "ad hoc" if entry.ad_hoc else "", shows]),
    }


def sections(
    manifest: Manifest,
    notebooks: Sequence[NotebookSection],
    shows: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """One section per notebook (in ``notebooks`` order) listing its reports, ad hoc last.

    ``shows`` gives, by report page, the words of the figures it shows (which search matches too:
    "jobs" finds the reports that chart employment).
    """
    by_notebook: dict[str, list[Entry]] = {}
    for entry in manifest.reports.values():
        by_notebook.setdefault(entry.notebook, []).append(entry)
    known = {nb.name for nb in notebooks}
    extra = [NotebookSection(name, name) for name in by_notebook if name not in known]
    out = []
    for nb in [*notebooks, *extra]:
        entries = sorted(by_notebook.get(nb.name, []), key=lambda e: e.ad_hoc)
        if entries:
            rows = [_entry(e, nb.defaults, (shows or {}).get(e.html, "")) for e in entries]
            section: dict[str, Any] = {"name": nb.name, "title": nb.title}
            section |= {"description": nb.description, "defaults": dict(nb.defaults)}
            out.append({**section, "entries": rows, "anchor": f"nb-{nb.name}"})
    return out


def status_counts(manifest: Manifest) -> dict[str, int]:
    """How many reports are up to date, out of date and failed."""
    counts = {"current": 0, "stale": 0, "failed": 0}
    for entry in manifest.reports.values():
        counts[entry.state] += 1
    return counts


def dates_meta(manifest: Manifest) -> list[tuple[str, str]]:
    """When the data last changed (curation) and when the site was built, for page headers."""
    return [
        ("Data last changed", day_words(manifest.data_changed_at) or "not known"),
        ("Built", when_words(manifest.generated_at)),
    ]


def change_words(record: Mapping[str, Any]) -> str:
    """One sentence on a build's data changes, such as ``1 row changed in regional.``."""
    if record.get("first"):
        return "First build: no earlier data to compare."
    if not record.get("data_changed"):
        return "The data did not change."
    parts = []
    for table, counts in record.get("summary", {}).items():
        done = [plural(n, "row") + f" {kind}" for kind, n in counts.items() if n]
        parts.append(f"{join_words(done)} in {table}")
    return f"The data changed: {'; '.join(parts)}." if parts else "The data changed."


def _report_links(keys: Sequence[str], manifest: Manifest) -> list[dict[str, str]]:
    reports = manifest.reports
    return [
        {
            "title": reports[k].title if k in reports else k,
            "href": reports[k].html if k in reports else "",
        }
        for k in keys
    ]


def change_records(log: Sequence[Mapping[str, Any]], manifest: Manifest) -> list[dict[str, Any]]:
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


def report_search_words(
    usage: Mapping[str, Sequence[Mapping[str, str]]], figures: Sequence[Mapping[str, str]]
) -> dict[str, str]:
    """By report page, the search words of every figure it shows (title, topic, synonyms)."""
    words_of = {f["metric"]: f["search"] for f in figures}
    out: dict[str, list[str]] = {}
    for metric, reports in usage.items():
        for report in reports:
            out.setdefault(report["href"], []).append(words_of.get(metric, ""))
    return {href: " ".join(dict.fromkeys(w for w in texts if w)) for href, texts in out.items()}


def figure_groups(figures: Sequence[Mapping[str, str]]) -> list[dict[str, Any]]:
    """The figure pages by topic, in the order the topics first appear."""
    groups: dict[str, list[Mapping[str, str]]] = {}
    for figure in figures:
        groups.setdefault(figure["topic"], []).append(figure)
    return [
        {
            "topic": topic,
            "anchor": "fig-" + "".join(c if c.isalnum() else "-" for c in topic.lower()),
            "figures": sorted(items, key=lambda f: f["title"].casefold()),
        }
        for topic, items in groups.items()
    ]


def headline_links(headlines: Sequence[Mapping[str, Any]], pages: set[str]) -> list[dict[str, Any]]:
    """The headline figures, each with the address of its figure page when it has one."""
    from ukcyber.headlines import HEADLINES

    metric_of = {label: metric for _, metric, label in HEADLINES}
    out = []
    for h in headlines:
        metric = str(h.get("metric") or metric_of.get(str(h.get("label")), ""))
        href = f"figures/{metric}.html" if metric in pages else ""
        out.append({**h, "figure_href": href})
    return out


def front_page_html(
    manifest: Manifest,
    *,
    notebooks: Sequence[NotebookSection],
    headlines: Sequence[Mapping[str, Any]],
    log: Sequence[Mapping[str, Any]],
    figures: Sequence[Mapping[str, str]] = (),
    usage: Mapping[str, Sequence[Mapping[str, str]]] | None = None,
) -> str:
    """``reports/index.html``: purpose, headline figures, what changed, figure pages and reports.

    The figure pages are by topic and every report is by notebook; search finds both by title,
    settings and the words of the figures they show.
    """
    groups = sections(manifest, notebooks, report_search_words(usage or {}, figures))
    latest = change_records(log[:FRONT_PAGE_BUILDS], manifest)
    return str(
        render(
            "index.html.j2",
            title="UK cyber security evidence kit",
            meta=dates_meta(manifest),
            headlines=headline_links(headlines, {f["metric"] for f in figures}),
            latest=latest,
            groups=groups,
            figure_groups=figure_groups(figures),
            figure_count=len(figures),
            total=sum(len(g["entries"]) for g in groups),
            counts=status_counts(manifest),
            built=when_words(manifest.generated_at),
            root="",
            assets="assets",
        )
    )


def build_page_html(manifest: Manifest) -> str:
    """``reports/build.html``: the last build, and every report's state, time and any error."""
    ran = set(manifest.ran)
    rows = []
    for entry in manifest.reports.values():
        state, label = state_words(entry)
        rows.append(
            {
                "title": entry.title,
                "href": entry.html,
                "ran": entry.key in ran,
                "state": state,
                "label": label,
                "built": when_words(entry.built_at),
                "seconds": entry.seconds if entry.key in ran else None,
                "failed": f"_failed/{entry.key}" if entry.status == "failed" else "",
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


def changes_page_html(manifest: Manifest, log: Sequence[Mapping[str, Any]]) -> str:
    """``reports/changes.html``: per build, newest first, the data rows added, removed and changed.

    Each change gives the table, row, field, old → new; the page also lists the reports rebuilt or
    left out of date.
    """
    return str(
        render(
            "changes.html.j2",
            title="What changed",
            meta=dates_meta(manifest),
            records=change_records(log, manifest),
            checked=when_words(manifest.generated_at),
            root="",
            assets="assets",
        )
    )
