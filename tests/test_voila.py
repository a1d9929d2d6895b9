"""The explorer notebook also works as a voila app: served locally, it renders its widgets."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from helpers import REPO

pytestmark = pytest.mark.kernel


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_explore_renders_under_voila():
    port = free_port()
    voila = Path(sys.executable).parent / "voila"
    server = subprocess.Popen(
        [
            str(voila),
            "--no-browser",
            f"--port={port}",
            "--Voila.ip=127.0.0.1",
            "notebooks/explore.ipynb",
        ],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        page, deadline = "", time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=90) as response:
                    assert response.status == 200
                    page = response.read().decode("utf-8")
                    break
            except OSError:
                time.sleep(0.5)
        assert "application/vnd.jupyter.widget-view+json" in page
        assert "sector_statistics / revenue: 6 series" in page
        assert "Traceback" not in page and "ParameterError" not in page
    finally:
        server.terminate()
        server.wait(timeout=30)
