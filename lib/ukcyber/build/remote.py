"""What a Dask worker runs: one report, from bytes shipped by the coordinator, back as bytes.

No shared file system is assumed. The coordinator ships the data package (scattered once per
build) and the notebook's bytes with each task; the worker writes them under its own temporary
folder, keyed by their hashes so a build writes each once per machine, and points the kernel at
them through ``UKCYBER_DATA`` (a private ``UKCYBER_CACHE`` holds the validation stamp). A worker
whose ``ukcyber`` library differs from the coordinator's refuses the report: its page would not
match the fingerprint recorded for it.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import replace
from pathlib import Path

from ukcyber.build.fingerprint import library_digest
from ukcyber.build.worker import LOCK, Task, WorkerResult, run_report

ROOT = "ukcyber-dask"


def _materialise(folder: Path, files: dict[str, bytes]) -> Path:
    """Write ``files`` into ``folder`` once (all or nothing: written aside, then renamed)."""
    if folder.is_dir():
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=folder.parent))
    for name, content in files.items():
        if "/" in name or name.startswith("."):
            raise ValueError(f"refusing to write {name!r}: not a plain file name")
        (staging / name).write_bytes(content)
    try:
        staging.rename(folder)
    except OSError:  # another worker process of this machine wrote it first
        if not folder.is_dir():
            raise
    return folder


def _digest(files: dict[str, bytes]) -> str:
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    return digest.hexdigest()[:32]


def run_remote(task: Task, notebook: bytes, data: dict[str, bytes], library: str) -> WorkerResult:
    """Run ``task`` on this Dask worker with the shipped ``notebook`` and ``data``."""
    mine = library_digest()
    if mine != library:
        return WorkerResult(
            status="failed",
            error=(
                "this Dask worker's ukcyber library differs from the coordinator's "
                f"(library digest {mine[:12]} here, {library[:12]} there); install the same version"
            ),
        )
    root = Path(tempfile.gettempdir()) / ROOT
    with LOCK:
        data_dir = _materialise(root / f"data-{_digest(data)}", data)
        name = f"{task.job.notebook}.ipynb"
        folder = _materialise(root / f"notebook-{_digest({name: notebook})}", {name: notebook})
        scratch = root / "scratch" / str(os.getpid())
        scratch.mkdir(parents=True, exist_ok=True)
    environ = {
        **task.environ,
        "UKCYBER_DATA": str(data_dir),
        "UKCYBER_CACHE": str(root / "cache"),
    }
    local = replace(task, notebook_path=str(folder / name), scratch=str(scratch), environ=environ)
    return run_report(local)
