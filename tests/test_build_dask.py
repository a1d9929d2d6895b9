"""``ukcyber build --scheduler``: a real Dask scheduler and two workers on 127.0.0.1.

The workers are separate processes started by the ``dask`` command line, from another working
directory and with ``UKCYBER_DATA`` pointing nowhere, so a report that shows the coordinator's
edited data proves the data travelled with the tasks rather than through a shared folder.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import edit_cell, read_rows
from test_build import notebook
from ukcyber.cli import main

pytestmark = pytest.mark.kernel

DASK = str(Path(sys.executable).parent / "dask")


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory):
    """``tcp://127.0.0.1:PORT`` of a scheduler with two single-threaded workers, all stopped after."""
    from distributed import Client

    folder = tmp_path_factory.mktemp("dask")
    file = folder / "scheduler.json"
    env = {**os.environ, "UKCYBER_DATA": str(folder / "no-data-here")}
    common = ["--no-dashboard"]
    processes = [
        subprocess.Popen(
            [DASK, "scheduler", "--host", "127.0.0.1", "--port", "0", "--scheduler-file", str(file)]
            + common,
            cwd=folder,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    ]
    try:
        for name in ("one", "two"):
            processes.append(
                subprocess.Popen(
                    [DASK, "worker", "--scheduler-file", str(file), "--nthreads", "1"]
                    + ["--nworkers", "1", "--name", name, *common],
                    cwd=folder,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        with Client(scheduler_file=str(file), timeout=60, set_as_default=False) as client:
            client.wait_for_workers(2, timeout=60)
            address = client.scheduler.address
        yield address
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in reversed(processes):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture
def project(tmp_path) -> Path:
    notebook(tmp_path / "notebooks" / "hello.ipynb", "print(f'hello {label}')")
    notebook(
        tmp_path / "notebooks" / "norm.ipynb",
        "from ukcyber.data import load\nprint('first norm:', load('norms').iloc[0]['short_name'])",
    )
    (tmp_path / "reports.toml").write_text(
        '[[report]]\nnotebook = "hello"\nparams = [{label = "one"}, {label = "two"}]\n\n'
        '[[report]]\nnotebook = "norm"\n'
    )
    return tmp_path


def test_build_on_a_dask_cluster_publishes_every_report(scheduler, project, data_copy):
    edit_cell(data_copy, "norms", 0, "short_name", "Shipped to the workers")
    args = ["build", "--project", str(project), "--no-progress", "--no-pdf"]
    assert main([*args, "--scheduler", scheduler]) == 0
    reports = project / "reports"
    manifest = json.loads((reports / "manifest.json").read_text())
    entries = manifest["reports"]
    assert {k: e["status"] for k, e in entries.items()} == {
        "hello/label-one": "ok",
        "hello/label-two": "ok",
        "norm/default": "ok",
    }
    assert entries["norm/default"]["tables"] == ["norms"]
    assert entries["hello/label-one"]["tables"] == []
    assert "first norm: Shipped to the workers" in (reports / "norm" / "default.ipynb").read_text()
    assert "hello two" in (reports / "hello" / "label-two.ipynb").read_text()
    for entry in entries.values():
        assert (reports / entry["html"]).is_file() and (reports / entry["ipynb"]).is_file()
    assert not list(reports.rglob("*.tmp")) and not (reports / ".scratch").exists()

    def statuses() -> dict[str, str]:
        entries = json.loads((reports / "manifest.json").read_text())["reports"]
        return {key: entry["status"] for key, entry in entries.items()}

    assert main([*args, "--scheduler", scheduler]) == 0
    assert set(statuses().values()) == {"skipped"}
    _, rows = read_rows(data_copy / "norms.csv")
    edit_cell(data_copy, "norms", 0, "short_name", rows[0]["short_name"] + " again")
    assert main([*args, "--scheduler", scheduler]) == 0
    assert statuses() == {
        "hello/label-one": "skipped",
        "hello/label-two": "skipped",
        "norm/default": "ok",
    }
    assert "Shipped to the workers again" in (reports / "norm" / "default.ipynb").read_text()


def test_unreachable_scheduler_is_one_clear_message(project, monkeypatch, capsys):
    from ukcyber.build import cluster

    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", 1.0)
    args = ["build", "--project", str(project), "--no-progress", "--no-pdf", "--scheduler"]
    assert main([*args, "tcp://127.0.0.1:9"]) == 2
    err = capsys.readouterr().err
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert main([*args, "127.0.0.1:9"]) == 2
    assert "is not an address like tcp://HOST:PORT" in capsys.readouterr().err
    assert not (project / "reports" / "index.html").exists()
