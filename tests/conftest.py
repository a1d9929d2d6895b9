"""Shared fixtures, test lanes, and the guard that keeps tests off the project's own folders.

- Hermetic: :mod:`helpers` points ``$UKCYBER_DATA`` at a private copy of the data and
  ``$UKCYBER_CACHE`` at a private cache before any test is collected. An audit hook then turns
  any read or write to the project's ``data/``, ``reports/`` or ``.cache/`` from the
  test process into an error naming the path; and at the end of the session those folders must
  be exactly as they were at its start (which catches the processes tests start: builds,
  kernels). A test that runs the command line must pass ``--project`` / ``--reports`` of its own.
- Lanes: tests that start Jupyter kernels are marked ``kernel`` (nbval's notebook items are
  marked by ``notebooks/conftest.py``); ``make test-fast`` deselects them and fails any unmarked
  test that tries to start one, so the fast lane stays fast and honest.
- Browser tests (``test_browser*.py``) share one session build of the whole site (``site``)
  and per-module offline tabs at 1280 and 390 px (``tab``, ``phone``).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from helpers import CACHE, CHROMIUM, CHROMIUM_ARGS, DATA, PROTECTED, REPO, edit_cell, find_row

FAST_LANE = os.environ.get("UKCYBER_FAST_LANE") == "1"
WATCHED = {"open", "os.remove", "os.rename", "os.mkdir", "os.rmdir", "os.truncate", "os.utime"}
"""Opening a file (to read or write) and changing the file tree. Listing a folder is allowed:
importers and plugin finders list every folder on the import path."""


class ProjectFolderTouched(AssertionError):
    """A test read or wrote the project's own data, reports or cache."""


def touches_project(path: object) -> Path | None:
    """The protected folder ``path`` lies in, if any."""
    if isinstance(path, int) or path is None:
        return None
    try:
        full = Path(os.path.abspath(os.fsdecode(path)))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return next((folder for folder in PROTECTED if full.is_relative_to(folder)), None)


GUARD = {"on": False}
"""Off while the conftest itself lists the protected folders."""


def _guard(event: str, args: tuple) -> None:
    if not GUARD["on"] or event not in WATCHED or not args:
        return
    if touches_project(args[0]) is not None:
        raise ProjectFolderTouched(
            f"a test touched the project's own {args[0]} ({event}); use temporary folders "
            "(the data_copy fixture, tmp_path, --project and --reports)"
        )


def _listing() -> dict[str, tuple[int, int]]:
    """Every file of the protected folders, with size and modification time."""
    found = {}
    for folder in PROTECTED:
        for root, _, names in os.walk(folder):
            for name in names:
                path = Path(root, name)
                info = path.stat()
                found[str(path)] = (info.st_size, info.st_mtime_ns)
    return found


BEFORE = _listing()
sys.addaudithook(_guard)  # after the copy in helpers and the listing above
GUARD["on"] = True


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the session if anything changed in the project's own folders."""
    GUARD["on"] = False
    changed = {path for path, _ in set(BEFORE.items()) ^ set(_listing().items())}
    if changed:
        names = ", ".join(sorted(changed)[:10])
        print(f"\nERROR: tests changed the project's own data, reports or cache: {names}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session", autouse=True)
def _session_cache():
    """The session's private validation cache (made by :mod:`helpers`)."""
    return CACHE


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
    """A writable copy of the data, made the active data folder for the test."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    monkeypatch.setenv("UKCYBER_DATA", str(target))
    return target


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium (Debian's), for one test module."""
    from playwright import sync_api

    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def tab(browser):
    """An offline tab 1280 px wide."""
    from page_checks import open_tab

    context, page = open_tab(browser, 1280)
    yield page
    context.close()


@pytest.fixture(scope="module")
def phone(browser):
    """An offline tab 390 px wide."""
    from page_checks import open_tab

    context, page = open_tab(browser, 390)
    yield page
    context.close()


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The full report matrix with PDFs, from a copy of the data with markup in two fields.

    Built once a session, for every browser test module.
    """
    from page_checks import MARKUP
    from ukcyber.build import build

    root = tmp_path_factory.mktemp("site")
    data = root / "data"
    shutil.copytree(DATA, data)
    row = find_row(data, "recommendations", id="rec-000-01")
    edit_cell(data, "recommendations", row, "summary", f"Injected {MARKUP} summary")
    row = find_row(data, "partnerships", country="Japan")
    edit_cell(data, "partnerships", row, "partnership", f"Injected {MARKUP} partnership")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("UKCYBER_DATA", str(data))
        mp.setenv("UKCYBER_CACHE", str(root / "cache"))
        results = build(
            REPO, reports=root / "reports", jobs=os.cpu_count(), progress=False, pdf=True
        )
    assert [r.key for r in results if r.status != "ok"] == []
    return root / "reports"
