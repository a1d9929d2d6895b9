"""Where the project's folders are: the repository, the data and the cache."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def data_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """Resolve the data folder: the argument, else ``$UKCYBER_DATA``, else the repo's ``data/``."""
    if path is not None:
        return Path(path)
    env = os.environ.get("UKCYBER_DATA")
    return Path(env) if env else REPO_ROOT / "data"


def cache_dir() -> Path:
    """Folder for validation stamps and logs: ``$UKCYBER_CACHE`` or ``<repo>/.cache/ukcyber``."""
    env = os.environ.get("UKCYBER_CACHE")
    return Path(env) if env else REPO_ROOT / ".cache" / "ukcyber"


def shared_dir() -> Path:
    """Folder of the source texts and reference files: ``$UKCYBER_SHARED`` or ``<repo>/../shared``.

    It is not part of the project: the provenance check reads it when it is there.
    """
    env = os.environ.get("UKCYBER_SHARED")
    return Path(env) if env else REPO_ROOT.parent / "shared"
