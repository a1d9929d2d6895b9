"""nbval really guards the figures: change one number in data/ and the stored outputs disagree."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from helpers import REPO, edit_cell, find_row

pytestmark = pytest.mark.kernel


def run_nbval(notebook: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-q",
            "--nbval",
            "--nbval-kernel-name=ukcyber",
            f"notebooks/{notebook}.ipynb",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_nbval_fails_on_the_printed_cell_when_a_figure_changes(data_copy):
    env = dict(os.environ)
    assert run_nbval("sector_overview", env).returncode == 0
    row = find_row(data_copy, "sector_statistics", metric="revenue", as_printed="£13.2 billion")
    edit_cell(data_copy, "sector_statistics", row, "value", "13.9")  # a correction: value and print
    edit_cell(data_copy, "sector_statistics", row, "as_printed", "£13.9 billion")
    result = run_nbval("sector_overview", env)
    assert result.returncode == 1, result.stdout[-2000:]
    assert "£13.2 billion in 2024" in result.stdout and "£13.9 billion in 2024" in result.stdout
