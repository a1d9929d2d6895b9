"""Coordinator side of execution: a process pool, a progress bar, and prompt interruption.

Workers are processes (papermill changes the working directory, so threads are unsafe) forked
from a fork server, so they inherit no lock or open file of the coordinator; each is fed one
task at a time over a pipe, and a worker that dies fails only its own report and is replaced. Ctrl-C and SIGTERM
only set a flag (:func:`deferred_signals`), so a file being published is never torn; within a
fraction of a second the loop sees it, cancels queued reports and kills running workers and
their kernels (kernels run in their own sessions, so they are found by process tree).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from types import FrameType

from ukcyber.build.progress import progress_bar
from ukcyber.build.worker import (
    Task,
    WorkerResult,
    close_kernels,
    init_worker,
    run_report,
    short_error,
)

SIGNALS = (signal.SIGINT, signal.SIGTERM)
POLL = 0.2
"""Seconds between checks of the stop flag while reports run."""


@contextmanager
def deferred_signals() -> Iterator[threading.Event]:
    """Turn Ctrl-C and SIGTERM into a flag for the block; a second signal interrupts at once."""
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    previous = {sig: signal.signal(sig, handler) for sig in SIGNALS}
    try:
        yield stop
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


@dataclass(frozen=True)
class Pool:
    """How to start workers: how many, where kernels log, where connection files go."""

    workers: int
    log_path: str
    runtime_dir: str
    environ: dict[str, str] = field(default_factory=lambda: dict(os.environ))
    """The coordinator's environment (data folder, cache): the fork server may be older."""


def serve(conn: Connection, spec: Pool) -> None:
    """A worker process: run each task received on ``conn`` and send back its result."""
    os.environ.clear()
    os.environ.update(spec.environ)
    init_worker(spec.log_path, spec.runtime_dir)
    while True:
        task = conn.recv()
        if task is None:
            close_kernels()
            return
        try:
            result = run_report(task)
        except Exception as exc:  # noqa: BLE001  (never leave the coordinator waiting)
            result = WorkerResult(status="failed", error=f"worker error: {short_error(exc)}")
        conn.send(result)


@dataclass
class Worker:
    """A worker process of the pool, its end of the pipe, and the task it is running (if any)."""

    process: BaseProcess
    conn: Connection
    task: Task | None = None


PRELOAD = ["ukcyber.build.worker", "ukcyber.build.kernels", "ukcyber.site.report", "papermill"]
"""Imported once by the fork server, so each worker starts ready in milliseconds."""


def start_fork_server() -> None:
    """Start the fork server now, so its imports (about 1.5 s) overlap the build's checks.

    Started with Ctrl-C and SIGTERM blocked, like :func:`_start`: workers inherit the fork
    server's signal mask, not the coordinator's. Its stdout and stderr are ``/dev/null``: a
    build with nothing to run exits while the server is still importing, and a caller reading
    the build's output (cron, a pipe) must not wait for it (workers send their stderr to the
    kernel log anyway). Idempotent (the server is started once).
    """
    from multiprocessing import forkserver

    multiprocessing.get_context("forkserver").set_forkserver_preload(PRELOAD)
    in_main = threading.current_thread() is threading.main_thread()
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS) if in_main else None
    sys.stdout.flush()
    sys.stderr.flush()
    saved = [os.dup(1), os.dup(2)]
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        forkserver.ensure_running()
    finally:
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in [*saved, devnull]:
            os.close(fd)
        if mask is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def _start(spec: Pool) -> Worker:
    """Start one worker with Ctrl-C and SIGTERM blocked, so it cannot die before ignoring them.

    Workers fork from a fork server (started once per process, with the heavy imports done),
    so they inherit nothing of the coordinator: no lock, no thread, no open report file.
    """
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    parent, child = context.Pipe()
    process = context.Process(target=serve, args=(child, spec), daemon=True)
    in_main = threading.current_thread() is threading.main_thread()
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS) if in_main else None
    try:
        process.start()
    finally:
        if mask is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    child.close()
    return Worker(process, parent)


def _kill(workers: list[Worker]) -> None:
    """Kill the workers and every process they started (kernels, in their own sessions), now."""
    import psutil

    victims: list[psutil.Process] = []
    for worker in workers:
        try:
            parent = psutil.Process(worker.process.pid)
            victims += parent.children(recursive=True) + [parent]
        except psutil.Error:
            continue
    for victim in victims:
        try:
            victim.kill()
        except psutil.Error:
            pass
    for worker in workers:
        worker.process.join(timeout=2)
        worker.conn.close()


def _stop(workers: list[Worker]) -> None:
    """Ask idle workers to exit; kill any that do not within a few seconds."""
    for worker in workers:
        try:
            worker.conn.send(None)
        except OSError:
            pass
    for worker in workers:
        worker.process.join(timeout=5)
    _kill([w for w in workers if w.process.is_alive()])
    for worker in workers:
        worker.conn.close()


def _receive(worker: Worker) -> WorkerResult:
    try:
        result: WorkerResult = worker.conn.recv()
        return result
    except (EOFError, OSError):
        code = worker.process.exitcode
        return WorkerResult(status="failed", error=f"worker crashed (exit code {code})")


def run_tasks(
    tasks: list[Task],
    pool_spec: Pool,
    stop: threading.Event,
    on_result: Callable[[Task, WorkerResult], None],
    progress: bool,
) -> list[Task]:
    """Run ``tasks`` in worker processes, calling ``on_result`` in this process as each finishes.

    Returns the tasks that never finished because ``stop`` was set (empty when all ran).
    """
    if not tasks:
        return []
    queue = deque(tasks)
    workers: list[Worker] = []
    failed = 0
    with progress_bar(progress) as bar:
        row = bar.add_task("build", total=len(tasks), failed=0, last="")
        try:
            while (queue or any(w.task for w in workers)) and not stop.is_set():
                for worker in workers:
                    if worker.task is None and queue and worker.process.is_alive():
                        worker.task = queue.popleft()
                        worker.conn.send(worker.task)
                if queue and len(workers) < pool_spec.workers:
                    workers.append(_start(pool_spec))
                    continue
                busy = [w for w in workers if w.task is not None]
                handles = [w.conn for w in busy] + [w.process.sentinel for w in busy]
                ready = set(wait(handles, timeout=POLL))
                for worker in busy:
                    if worker.conn not in ready and worker.process.sentinel not in ready:
                        continue
                    if not worker.conn.poll() and stop.wait(0.5):
                        break  # killed by the interruption, not a failure of the report
                    task, worker.task = worker.task, None
                    assert task is not None
                    result = _receive(worker)
                    on_result(task, result)
                    failed += result.status == "failed"
                    bar.update(
                        row, advance=1, failed=failed, last=f"{result.status} {task.job.key}"
                    )
                workers = [w for w in workers if w.process.is_alive() or w.task is not None]
        finally:
            unfinished = [w.task for w in workers if w.task is not None] + list(queue)
            if unfinished:
                _kill(workers)
            else:
                _stop(workers)
    return unfinished


@dataclass(frozen=True)
class LocalRunner:
    """Reports on this machine's worker processes (see :func:`run_tasks`)."""

    pool: Pool

    def run(
        self,
        tasks: list[Task],
        stop: threading.Event,
        on_result: Callable[[Task, WorkerResult], None],
        progress: bool,
    ) -> list[Task]:
        """Run ``tasks``; give those that never finished because ``stop`` was set."""
        return run_tasks(tasks, self.pool, stop, on_result, progress)

    def close(self) -> None:
        """Nothing to close: :func:`run_tasks` stops its workers."""
