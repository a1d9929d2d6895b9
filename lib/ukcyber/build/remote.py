"""What a Dask worker runs: one report, from bytes shipped by the coordinator, back as bytes.

No shared file system is assumed. The coordinator ships the project's files a report may read
(the notebooks folder, and the other project files reports read last time) and the data
package, scattered once per build; the worker lays them out as a project of its own under its
temporary folder (keyed by their hashes, so a build writes each once per machine), points the
kernel at the data through ``UKCYBER_DATA`` (a private ``UKCYBER_CACHE`` holds the validation
stamp), and runs the report there, so paths such as ``../data/x.csv`` and a helper module
beside the notebook work as they do locally. A worker whose ``ukcyber`` library differs from
the coordinator's refuses the report: its page would not match the fingerprint recorded for it.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import replace
from pathlib import Path, PurePosixPath

from ukcyber.build.inputs import library_digest
from ukcyber.build.worker import LOCK, Task, WorkerResult, run_report

ROOT = "ukcyber-dask"


def _materialise(folder: Path, files: dict[str, bytes]) -> Path:
    """Write ``files`` (relative paths) into ``folder`` once: written aside, then renamed."""
    if folder.is_dir():
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=folder.parent))
    for name, content in files.items():
        parts = PurePosixPath(name).parts
        if not parts or any(p in {"", ".", ".."} or p.startswith(".") for p in parts):
            raise ValueError(f"refusing to write {name!r}: not a plain relative path")
        target = staging.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
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


def run_remote(
    task: Task, project: dict[str, bytes], data: dict[str, bytes], library: str
) -> WorkerResult:
    """Run ``task`` on this Dask worker in a project made of the shipped files."""
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
        folder = _materialise(root / f"project-{_digest(project)}", project)
        scratch = root / "scratch" / str(os.getpid())
        scratch.mkdir(parents=True, exist_ok=True)
    cache = str(root / "cache")
    local = replace(
        task,
        notebook_path=str(folder / "notebooks" / f"{task.job.notebook}.ipynb"),
        scratch=str(scratch),
        project=str(folder),
        data=str(data_dir),
        ignore=(cache,),
        environ={**task.environ, "UKCYBER_DATA": str(data_dir), "UKCYBER_CACHE": cache},
    )
    return run_report(local)
