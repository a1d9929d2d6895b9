"""The explorer notebook as a voila app, driven in headless Chromium.

Served locally exactly as a user runs it (`.venv/bin/voila notebooks/explore.ipynb`, with the
template and config that `make venv` installs), the explorer must draw every trace of its
starting selection on first load, redraw when a control changes, log no console error and ask
for nothing outside the machine.
"""

from __future__ import annotations

import os
import queue
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from helpers import CHROMIUM, CHROMIUM_ARGS, REPO
from ukcyber import dashboard
from ukcyber.data import load
from ukcyber.formatting import plain_title

pytestmark = [pytest.mark.kernel, pytest.mark.browser]
sync_api = pytest.importorskip("playwright.sync_api")

TRACES = "() => document.querySelectorAll('.js-plotly-plot .scatterlayer .trace').length"
TITLE = "() => (document.querySelector('.js-plotly-plot .gtitle') || {}).textContent || ''"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def voila_url():
    """Start voila on the explorer; yield its URL once it says it is running."""
    port = free_port()
    voila = Path(sys.executable).parent / "voila"
    server = subprocess.Popen(
        [str(voila), "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1"]
        + ["notebooks/explore.ipynb"],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(x) for x in server.stderr], daemon=True).start()
    url, log = None, []
    deadline = time.monotonic() + 120
    while url is None and time.monotonic() < deadline:
        try:
            line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
        except queue.Empty:
            break
        log.append(line)
        found = re.search(rf"http://127\.0\.0\.1:{port}/\S*", line)
        url = found.group(0) if found else None
    try:
        assert url, "voila did not start:\n" + "".join(log[-20:])
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def expected_traces(table: str, metric: str) -> int:
    rows = load(table)
    years = rows.loc[(rows["metric"] == metric) & rows["year"].notna(), "year"]
    selected = dashboard.selection(rows, metric, "all", (int(years.min()), int(years.max())))
    return len(dashboard.traces(selected, load("sources")))


def test_explorer_draws_on_first_load_and_redraws_offline(voila_url, capsys):
    if CHROMIUM is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is required under CI=true (make test installs it)")
        pytest.skip("chromium not installed and could not be installed here")
    titles = load("metrics").set_index("metric")["title"].map(plain_title)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        errors, outside = [], []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        origin = voila_url.split("/", 3)[:3]
        page.on(
            "request",
            lambda r: (
                None
                if r.url.startswith(("/".join(origin), "blob:", "data:"))
                else outside.append(r.url)
            ),
        )
        first = expected_traces("sector_statistics", "revenue")
        started = time.perf_counter()
        page.goto(voila_url)
        page.wait_for_function(f"() => ({TRACES[6:]}) === {first}", timeout=90_000)
        paint = time.perf_counter() - started
        with capsys.disabled():  # the figure the explorer's target is stated in (6 s idle)
            print(f"\nexplorer first chart paint under voila: {paint:.1f} s")
        assert page.evaluate(TITLE) == titles["revenue"]

        regional = dict((name, label) for label, name in dashboard.table_options())["regional"]
        page.locator("select").first.select_option(label=regional)
        metric = dashboard.metric_options(load("regional"), load("metrics"))[0][1]
        page.wait_for_function(f"() => ({TITLE[6:]}) === {titles[metric]!r}", timeout=30_000)
        page.wait_for_function(
            f"() => ({TRACES[6:]}) === {expected_traces('regional', metric)}", timeout=30_000
        )
        browser.close()
    assert errors == [], errors
    assert outside == [], outside
