"""Shared fixtures: a private validation cache and a writable copy of the data package."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import DATA


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    """Validation stamps go to a temp folder, never the developer's cache."""
    monkeypatch.setenv("UKCYBER_CACHE", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture
def data_copy(tmp_path, monkeypatch) -> Path:
    """A writable copy of data/, made the active data folder for the test."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    monkeypatch.setenv("UKCYBER_DATA", str(target))
    return target
