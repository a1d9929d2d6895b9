"""Print report pages to PDF with one long-lived headless Chromium, several pages at a time.

Printing costs about 3 s a page, so a build prints only the reports it rebuilt, and starts
printing each as soon as its page is written, while other reports are still being built
(:class:`Printer` runs in a background thread). Pages are printed offline with print media at
the printable width of A4, so charts are drawn at the size they are printed. Every printed page
carries the report's title and build date at the top and "Page N of M" at the foot, so a page
quoted on its own still says where it comes from.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import threading
from collections.abc import Iterable
from pathlib import Path

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
"""Headless Chromium as root on a closed network: no sandbox, no background connections."""
PRINT_WIDTH = 688
"""CSS pixels across A4 inside the stylesheet's 14 mm margins (182 mm at 96 px an inch)."""
TIMEOUT_MS = 60_000


def running_head(title: str, date: str) -> str:
    """The running head of every printed page: the report's title, and when it was built."""
    from ukcyber.templating import render

    return str(render("pdf_running.html.j2", part="head", title=title, date=date))


def running_foot() -> str:
    """The foot of every printed page: ``Page N of M``."""
    from ukcyber.templating import render

    return str(render("pdf_running.html.j2", part="foot", title="", date=""))


async def _running_parts(page) -> tuple[str, str]:
    title = await page.evaluate(
        "() => (document.querySelector('h1') || document).textContent || document.title"
    )
    built = await page.evaluate(
        "() => { const m = document.querySelector('meta[name=\"ukc-print-date\"]'); return m ? m.content : ''; }"
    )
    return " ".join(str(title).split()), f"Built {built}" if built else ""


def find_chromium() -> str | None:
    """Debian's Chromium, if installed (``chromium`` or ``chromium-browser`` on the PATH)."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


async def _print_one(context, html: Path, pdf: Path) -> None:
    page = await context.new_page()
    try:
        await page.emulate_media(media="print")
        await page.goto(html.resolve().as_uri(), wait_until="load", timeout=TIMEOUT_MS)
        if await page.query_selector(".ukc-plot"):
            await page.wait_for_selector("html[data-charts]", timeout=TIMEOUT_MS)
        title, built = await _running_parts(page)
        tmp = pdf.with_name(f".{pdf.name}.{os.getpid()}.tmp")
        try:
            await page.pdf(
                path=str(tmp),
                prefer_css_page_size=True,
                print_background=True,
                display_header_footer=True,
                header_template=running_head(title, built),
                footer_template=running_foot(),
            )
            os.replace(tmp, pdf)
        finally:
            if tmp.exists():
                tmp.unlink()
    finally:
        await page.close()


async def _block_outside(route) -> None:
    if route.request.url.startswith("file://"):
        await route.continue_()
    else:
        await route.abort()


class Printer:
    """A background thread with one Chromium that prints pages handed to :meth:`submit`.

    :meth:`close` waits for every page and returns the errors by PDF path (empty if all
    printed). Each PDF is written to a temporary name and renamed, never half-written.
    """

    def __init__(self, executable: str, *, concurrency: int = 2) -> None:
        self.executable = executable
        self.concurrency = concurrency
        self.errors: dict[Path, str] = {}
        self.printed: list[Path] = []
        self._loop = asyncio.new_event_loop()
        self._queue: asyncio.Queue[tuple[Path, Path] | None] | None = None
        self._ready = threading.Event()
        self._stops = 0
        self._thread = threading.Thread(target=self._run, name="pdf-printer", daemon=True)
        self._thread.start()
        self._ready.wait()

    def submit(self, html: Path, pdf: Path) -> None:
        """Queue ``html`` to be printed to ``pdf``."""
        assert self._queue is not None
        self._loop.call_soon_threadsafe(self._queue.put_nowait, (html, pdf))

    def close(self) -> dict[Path, str]:
        """Wait until every queued page is printed; return errors by PDF path."""
        if self._queue is not None:
            for _ in range(self.concurrency):
                self._loop.call_soon_threadsafe(self._queue.put_nowait, None)
        self._thread.join()
        return self.errors

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._queue = asyncio.Queue()
        self._ready.set()
        self._loop.run_until_complete(self._main())
        self._loop.close()

    async def _main(self) -> None:
        from playwright.async_api import async_playwright

        try:
            async with async_playwright() as pw:
                browser = await pw.chromium.launch(
                    executable_path=self.executable, args=CHROMIUM_ARGS
                )
                context = await browser.new_context(
                    offline=True, viewport={"width": PRINT_WIDTH, "height": 1000}
                )
                await context.route("**/*", _block_outside)
                await asyncio.gather(*(self._worker(context) for _ in range(self.concurrency)))
                await browser.close()
        except Exception as exc:  # noqa: BLE001  (no browser: every queued page fails, named)
            message = f"Chromium could not print: {str(exc).splitlines()[0][:200]}"
            assert self._queue is not None
            while self._stops < self.concurrency:
                item = await self._queue.get()
                if item is None:
                    self._stops += 1
                else:
                    self.errors[item[1]] = message

    async def _worker(self, context) -> None:
        assert self._queue is not None
        while (item := await self._queue.get()) is not None:
            html, pdf = item
            try:
                await _print_one(context, html, pdf)
                self.printed.append(pdf)
            except Exception as exc:  # noqa: BLE001  (one page failing does not stop the rest)
                self.errors[pdf] = str(exc).splitlines()[0][:300]
        self._stops += 1


def print_pdfs(
    pages: Iterable[tuple[Path, Path]], executable: str, *, concurrency: int = 2
) -> dict[Path, str]:
    """Print every (html, pdf) pair; return errors by PDF path."""
    printer = Printer(executable, concurrency=concurrency)
    for html, pdf in pages:
        printer.submit(html, pdf)
    return printer.close()
