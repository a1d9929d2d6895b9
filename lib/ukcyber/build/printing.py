"""Coordinator side of PDFs: print each rebuilt report's page while the others still build.

A thin layer over :class:`ukcyber.site.pdf.Printer` (one headless Chromium in a background thread):
pages are queued as soon as they are published; at the end each printed PDF joins its report's
manifest entry and file list. On an interruption the browser is killed first, so the build
still stops within seconds and no half-printed PDF remains.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ukcyber.build.manifest import Entry
from ukcyber.site import pdf
from ukcyber.site.pdf import Printer


def start(wanted: bool, todo: int, warn: Callable[[str], None]) -> Printer | None:
    """A printer when PDFs are wanted and reports will be rebuilt; ``None`` otherwise."""
    if not wanted or not todo:
        return None
    chromium = pdf.find_chromium()
    if chromium is None:
        warn("PDFs skipped: Chromium not found (install Debian's chromium)")
        return None
    return Printer(chromium)


def pdf_name(entry: Entry) -> str:
    """The PDF's file name beside the report's page (``x.html`` → ``x.pdf``)."""
    return entry.html.removesuffix(".html") + ".pdf"


def submit(printer: Printer | None, reports: Path, entry: Entry) -> None:
    """Queue a just-published report's page for printing."""
    if printer is not None and entry.status == "ok":
        printer.submit(reports / entry.html, reports / pdf_name(entry))


def _kill_browser() -> None:
    """Kill the printer's browser processes (children of this process running Playwright)."""
    import os

    import psutil

    for child in psutil.Process(os.getpid()).children(recursive=True):
        try:
            command = " ".join(child.cmdline())
            if "playwright" in command or "chrom" in child.name():
                child.kill()
        except psutil.Error:
            continue


def finish(
    printer: Printer | None,
    reports: Path,
    results: dict[str, Entry],
    interrupted: bool,
    warn: Callable[[str], None],
) -> None:
    """Wait for the printer (or kill it when interrupted); record each PDF in its entry."""
    if printer is None:
        return
    if interrupted:
        _kill_browser()
    errors = printer.close()
    for key, entry in results.items():
        target = reports / pdf_name(entry) if entry.html else None
        if entry.status == "ok" and target and target.is_file() and target not in errors:
            name = pdf_name(entry)
            results[key] = entry.model_copy(
                update={"pdf": name, "files": sorted({*entry.files, name})}
            )
    if not interrupted:
        for target, error in errors.items():
            warn(f"PDF not printed: {target.relative_to(reports)}: {error}")
