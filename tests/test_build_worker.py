"""The worker interface and the coordinator's pool, exercised in this process (real kernels).

The worker contract other outputs rely on: ``run_report`` returns ``{path relative to
reports/<notebook>/: bytes}`` plus the executed notebook, and writes nothing into ``reports/``.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from dataclasses import replace
from pathlib import Path

import nbformat
import pytest
from helpers import DATA
from test_build import notebook
from ukcyber.build.dating import DataFacts
from ukcyber.build.executor import Pool, deferred_signals, run_tasks
from ukcyber.build.jobs import Job
from ukcyber.build.worker import RunSettings, Task, run_report
from ukcyber.pagedates import SourceDate, TableDate

pytestmark = pytest.mark.kernel


FACTS = DataFacts(
    tables={"norms": TableDate("norms", "UN GGE norms", "2026-01-01T09:00:00Z")},
    sources={"s1": SourceDate("s1", "Some paper", "2025-03")},
)


def task(
    tmp_path: Path, code: str, *, timeout: float = 60, params=None, kernels: str = "forked"
) -> Task:
    path = tmp_path / "notebooks" / "hello.ipynb"
    notebook(path, code)
    scratch = tmp_path / "scratch"
    scratch.mkdir(exist_ok=True)
    params = {"label": "a"} if params is None else params
    job = Job("hello", params, "Hello", "Says hello.", "label-a")
    settings = RunSettings(kernels=kernels, timeout=timeout)
    return Task(job, str(path), str(scratch), str(tmp_path), str(DATA), settings, FACTS)


def test_worker_returns_bytes_and_writes_nothing_outside_its_scratch(tmp_path):
    result = run_report(task(tmp_path, "print(f'hello {label}')"))
    assert result.status == "ok", result.error
    assert set(result.files) == {"label-a.html"}
    assert all(isinstance(content, bytes) for content in result.files.values())
    html = result.files["label-a.html"].decode()
    assert "Says hello." in html and "Data last changed" not in html  # it read no table
    assert (
        "hello a"
        in nbformat.reads(result.notebook.decode(), as_version=4).cells[-1].outputs[0].text
    )
    assert result.built_at and result.seconds > 0
    assert list((tmp_path / "scratch").iterdir()) == []


def test_the_page_is_dated_by_the_tables_the_notebook_read(tmp_path):
    result = run_report(task(tmp_path, "from ukcyber.data import load\nload('norms')"))
    assert result.status == "ok", result.error
    assert result.tables == ["norms"]
    html = result.files["label-a.html"].decode()
    assert "<dt>Data last changed</dt><dd>1 January 2026</dd>" in html


def test_parameter_values_with_quotes_backslashes_and_newlines_arrive_exactly(tmp_path):
    value = "a \"quoted\" \\ back\nslash 'x' {y} Île"
    result = run_report(task(tmp_path, "print(repr(label))", params={"label": value}))
    assert result.status == "ok", result.error
    output = nbformat.reads(result.notebook.decode(), as_version=4).cells[-1].outputs[0].text
    assert output.strip() == repr(value)


def test_worker_failure_carries_the_notebook_and_the_error(tmp_path):
    result = run_report(task(tmp_path, "raise RuntimeError('deliberate')"))
    assert result.status == "failed" and result.error == "RuntimeError: deliberate"
    assert b"deliberate" in result.notebook and "Traceback" in result.detail
    assert result.files == {}


def test_worker_timeout_is_a_wall_clock_deadline_over_all_cells(tmp_path):
    code = "import time\ntime.sleep(0.8)"
    t = task(tmp_path, code, timeout=2)
    nb = nbformat.read(t.notebook_path, as_version=4)
    nb.cells += [nbformat.v4.new_code_cell("time.sleep(0.8)") for _ in range(3)]
    nbformat.write(nb, t.notebook_path)
    started = time.monotonic()
    result = run_report(t)
    assert time.monotonic() - started < 10
    assert result.status == "failed"
    assert result.error.startswith("timed out: the notebook ran longer than --timeout 2 s")


def test_stopping_the_pool_kills_running_kernels_and_returns_unfinished_tasks(tmp_path):
    slow = task(tmp_path, "import time\nfor _ in range(100):\n    time.sleep(0.2)")
    queued = replace(slow, job=Job("hello", {"label": "b"}, "H", "", "label-b"))
    tasks = [slow, queued]
    runtime = tmp_path / "scratch" / "runtime"
    runtime.mkdir()
    pool = Pool(workers=1, log_path=str(tmp_path / "kernels.log"), runtime_dir=str(runtime))
    stop, seen = threading.Event(), []

    def stop_once_a_kernel_runs() -> None:
        deadline = time.monotonic() + 60
        while not list(runtime.glob("*.json")) and time.monotonic() < deadline:
            time.sleep(0.05)
        stop.set()

    threading.Thread(target=stop_once_a_kernel_runs, daemon=True).start()
    started = time.monotonic()
    unfinished = run_tasks(tasks, pool, stop, lambda t, r: seen.append(r), progress=False)
    assert time.monotonic() - started < 20
    assert seen == [] and [t.job.key for t in unfinished] == ["hello/label-a", "hello/label-b"]
    assert list(runtime.glob("*.json")), "the stop came before any kernel ran"


def test_pool_runs_every_task_and_reports_each_result(tmp_path):
    first = task(tmp_path, "print(label)")
    second = replace(first, job=Job("hello", {"label": "b"}, "H", "", "label-b"))
    runtime = tmp_path / "scratch" / "runtime"
    runtime.mkdir()
    pool = Pool(workers=2, log_path=str(tmp_path / "kernels.log"), runtime_dir=str(runtime))
    seen: dict[str, str] = {}
    unfinished = run_tasks(
        [first, second],
        pool,
        threading.Event(),
        lambda t, r: seen.update({t.job.key: r.status}),
        progress=True,
    )
    assert unfinished == [] and seen == {"hello/label-a": "ok", "hello/label-b": "ok"}


def test_deferred_signals_set_a_flag_and_a_second_signal_interrupts():
    with deferred_signals() as stop:
        os.kill(os.getpid(), signal.SIGTERM)
        assert stop.wait(5)
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(5)


def test_remote_run_uses_the_shipped_notebook_and_data_only(tmp_path, monkeypatch):
    from ukcyber.build import remote
    from ukcyber.build.inputs import library_digest

    monkeypatch.setattr(remote.tempfile, "gettempdir", lambda: str(tmp_path / "worker-tmp"))
    data = {p.name: p.read_bytes() for p in DATA.iterdir() if p.is_file()}
    data["norms.csv"] = data["norms.csv"].replace(
        b"International cooperation for ICT stability", b"Shipped norm", 1
    )
    code = "from ukcyber.data import load\nprint(load('norms').iloc[0]['short_name'])"
    shipped = task(tmp_path, code)
    nb = {"notebooks/hello.ipynb": Path(shipped.notebook_path).read_bytes()}
    far = replace(shipped, notebook_path="/nowhere/hello.ipynb", scratch="/nowhere")
    result = remote.run_remote(far, nb, data, library_digest())
    assert result.status == "ok", result.error
    assert b"Shipped norm" in result.notebook and result.tables == ["norms"]
    again = remote.run_remote(far, nb, data, library_digest())  # same files: written once
    assert (
        again.status == "ok"
        and len(list((tmp_path / "worker-tmp" / remote.ROOT).glob("data-*"))) == 1
    )

    other = remote.run_remote(far, nb, data, "0" * 64)
    assert other.status == "failed" and "library differs" in other.error
