"""Shared fixtures and test lanes.

- Validation stamps go to one temporary cache for the whole session, never the developer's:
  stamps are keyed by the content of the data (and the validating code), so tests that edit a
  copy of the data get their own stamp and tests of the real data validate once, not per test.
- Lanes: tests that start Jupyter kernels are marked ``kernel`` (nbval's notebook items are
  marked by ``notebooks/conftest.py``); ``make test-fast`` deselects them and fails any unmarked test that
  tries to start a kernel, so the fast lane stays fast and honest.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from helpers import DATA

FAST_LANE = os.environ.get("UKCYBER_FAST_LANE") == "1"


@pytest.fixture(scope="session", autouse=True)
def _session_cache(tmp_path_factory):
    """One private validation cache for the session."""
    cache = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("UKCYBER_CACHE", str(cache))
        yield cache


@pytest.fixture(autouse=True)
def _no_kernels_in_the_fast_lane(monkeypatch):
    """In the fast lane a kernel start is a mislabelled test: fail it with the fix."""
    if not FAST_LANE:
        return

    def refuse(*args, **kwargs):
        raise AssertionError(
            "this test starts a Jupyter kernel: mark it `pytest.mark.kernel` (module-level "
            "`pytestmark`) so that `make test-fast` deselects it"
        )

    from jupyter_client.manager import AsyncKernelManager, KernelManager

    monkeypatch.setattr(KernelManager, "start_kernel", refuse)
    monkeypatch.setattr(AsyncKernelManager, "start_kernel", refuse)


@pytest.fixture
def data_copy(tmp_path, monkeypatch) -> Path:
    """A writable copy of data/, made the active data folder for the test."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    monkeypatch.setenv("UKCYBER_DATA", str(target))
    return target
