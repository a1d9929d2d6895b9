"""Coordinator side of ``--scheduler``: the matrix on a Dask cluster, results published here.

The project files reports may read (the notebooks folder and the files reports read last time)
and the data package are scattered to the workers once per build. Workers execute and render (:func:`ukcyber.build.remote.run_remote`) and return the
report's files as bytes, which the coordinator publishes like a local build's. Ctrl-C and
SIGTERM cancel the queued and running tasks; a worker lost mid-report is retried by Dask on
another worker and, past Dask's limit, fails that report only.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ukcyber.build.inputs import library_digest
from ukcyber.build.progress import progress_bar
from ukcyber.build.remote import run_remote
from ukcyber.build.worker import Task, WorkerResult, short_error
from ukcyber.errors import BuildError

CONNECT_TIMEOUT = 10.0
"""Seconds to wait for the scheduler before the build stops with a clear message."""
POLL = 0.2


def connect(address: str, timeout: float | None = None) -> Any:
    """A Dask client of the scheduler at ``address``; one clear :class:`BuildError` otherwise.

    Waits up to ``timeout`` (default :data:`CONNECT_TIMEOUT`) seconds for the scheduler, and as
    long again for a first worker.
    """
    timeout = CONNECT_TIMEOUT if timeout is None else timeout
    try:
        import distributed
    except ImportError:
        raise BuildError(
            "--scheduler needs dask.distributed: pip install 'ukcyber[distributed]' "
            "(or 'dask[distributed]') on this machine and on every worker"
        ) from None
    make_client: Any = distributed.Client  # untyped upstream
    if "://" not in address:
        raise BuildError(f"--scheduler {address!r} is not an address like tcp://HOST:PORT")
    try:
        client: Any = make_client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise BuildError(f"cannot reach the Dask scheduler at {address}: {reason}") from None
    if not client.scheduler_info().get("workers"):
        try:
            client.wait_for_workers(1, timeout=timeout)
        except (OSError, TimeoutError) as exc:
            client.close()
            raise BuildError(
                f"the Dask scheduler at {address} has no workers (waited {timeout:g} s)"
            ) from exc
    return client


def data_files(folder: Path) -> dict[str, bytes]:
    """Give every file of the data folder (``datapackage.json`` and the CSVs), as bytes."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def project_files(project: Path, reads: Iterable[str]) -> dict[str, bytes]:
    """Give the project files a report may read, by path relative to the project.

    These are every file of ``notebooks/`` (hidden names and ``__pycache__`` left out) and
    ``reads``.
    """
    files = {}
    folder = project / "notebooks"
    for root, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d != "__pycache__"]
        for name in names:
            if not name.startswith("."):
                path = Path(root, name)
                files[path.relative_to(project).as_posix()] = path.read_bytes()
    for label in reads:
        if not label.startswith("data:") and (project / label).is_file():
            files[label] = (project / label).read_bytes()
    return files


def _submit(
    client: Any, tasks: list[Task], project: dict[str, bytes], data: dict[str, bytes]
) -> tuple[dict[Any, Task], list[Any]]:
    """Ship the files once and submit one future per task."""
    library = library_digest()
    shipped = client.scatter([project, data], broadcast=True, hash=False)
    futures = {
        client.submit(
            run_remote,
            task,
            shipped[0],
            shipped[1],
            library,
            key=f"ukcyber-report-{task.job.key}-{id(task)}",
            pure=False,
            retries=0,
        ): task
        for task in tasks
    }
    return futures, shipped


def _result(future: Any) -> WorkerResult:
    try:
        result: WorkerResult = future.result()
        return result
    except Exception as exc:  # noqa: BLE001  (a lost worker, a pickling error)
        return WorkerResult(status="failed", error=f"Dask worker error: {short_error(exc)}")


def run_cluster(
    client: Any,
    tasks: list[Task],
    files: tuple[dict[str, bytes], dict[str, bytes]],
    stop: threading.Event,
    on_result: Callable[[Task, WorkerResult], None],
    progress: bool,
) -> list[Task]:
    """Run ``tasks`` on the cluster with ``files`` (project, data), calling ``on_result`` for each.

    ``on_result`` is called here, in the coordinator, as each task finishes. Give the tasks that
    never finished because ``stop`` was set.
    """
    if not tasks:
        return []
    pending, shipped = _submit(client, tasks, *files)
    failed = 0
    with progress_bar(progress) as bar:
        row = bar.add_task("build", total=len(tasks), failed=0, last="")
        try:
            while pending and not stop.is_set():
                batch = [future for future in pending if future.done()]
                if not batch:
                    stop.wait(POLL)
                    continue
                for future in batch:
                    task = pending.pop(future)
                    result = _result(future)
                    on_result(task, result)
                    failed += result.status == "failed"
                    bar.update(
                        row, advance=1, failed=failed, last=f"{result.status} {task.job.key}"
                    )
        finally:
            if pending:
                client.cancel(list(pending), force=True)
            client.cancel(shipped, force=True)
    return list(pending.values())


@dataclass
class DaskRunner:
    """Reports on a Dask cluster's workers (``--scheduler``).

    The runner has the same interface as :class:`~ukcyber.build.executor.LocalRunner`.
    """

    client: Any
    project: Path
    data: Path
    reads: tuple[str, ...] = ()
    """The project files reports read last time (shipped beside the notebooks)."""

    def run(
        self,
        tasks: list[Task],
        stop: threading.Event,
        on_result: Callable[[Task, WorkerResult], None],
        progress: bool,
    ) -> list[Task]:
        """Run ``tasks``; give those that never finished because ``stop`` was set."""
        files = (project_files(self.project, self.reads), data_files(self.data))
        return run_cluster(self.client, tasks, files, stop, on_result, progress)

    def close(self) -> None:
        """Close the connection to the scheduler."""
        self.client.close()
