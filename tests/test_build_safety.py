"""Trustworthy builds (issue #9): no stale or unvalidated pages, no traceback, one build at a time,
prompt interruption, wall-clock timeouts, clear file-system errors. These run real kernels on a
tiny project, through the real command line where the exit code and message matter.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest
from helpers import edit_cell, find_row, read_rows
from test_build import notebook, read_only, tiny_notebooks
from ukcyber.build import build
from ukcyber.build.lock import build_lock
from ukcyber.cli import main

CODE = "print(f&#39;hello {label}&#39;)"  # the input code of hello.ipynb, escaped
pytestmark = pytest.mark.kernel
SLOW = "import time\nfor _ in range(60):\n    time.sleep(0.5)\nprint(label)"


def titled_project(folder: Path) -> Path:
    """Two small notebooks in ``folder``: ``hello`` (two reports, titled) and ``chart`` (one)."""
    tiny_notebooks(folder)
    matrix(
        folder,
        '[[report]]\nnotebook = "hello"\ntitle = "Hello"\n'
        'params = [{label = "one"}, {label = "two"}]\n\n[[report]]\nnotebook = "chart"\n',
    )
    return folder


@pytest.fixture
def project(tmp_path) -> Path:
    return titled_project(tmp_path)


def matrix(project: Path, text: str) -> None:
    (project / "reports.toml").write_text(text, encoding="utf-8")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def cli(project: Path, *args: str) -> int:
    return main(["build", "--project", str(project), "--no-progress", "--no-pdf", *args])


def statuses(project: Path, **kw) -> dict[str, str]:
    return {r.key: r.status for r in build(project, jobs=2, progress=False, **kw)}


def command(project: Path, *args: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "ukcyber.cli",
        "build",
        "--project",
        str(project),
        "--no-progress",
        *args,
    ]


def env() -> dict[str, str]:
    return dict(os.environ)


def wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"timed out after {seconds} s waiting for {what}")


def test_renamed_title_rebuilds_the_report_without_force(project):
    statuses(project)
    matrix(project, (project / "reports.toml").read_text().replace('"Hello"', '"Greetings"'))
    assert statuses(project) == {
        "hello/label-one": "ok",
        "hello/label-two": "ok",
        "chart/default": "skipped",
    }
    assert (
        "<title>Greetings: one</title>"
        in (project / "reports" / "hello" / "label-one.html").read_text()
    )


def test_a_page_built_with_show_code_is_replaced_by_the_next_normal_build(project):
    statuses(project)
    assert set(statuses(project, show_code=True).values()) == {"ok"}
    assert CODE in (project / "reports" / "hello" / "label-one.html").read_text()
    assert set(statuses(project).values()) == {"ok"}
    assert CODE not in (project / "reports" / "hello" / "label-one.html").read_text()
    assert set(statuses(project).values()) == {"skipped"}


def test_misspelt_parameter_name_is_rejected_before_anything_is_written(project, capsys):
    assert cli(project) == 0
    before = snapshot(project / "reports")
    capsys.readouterr()
    matrix(project, '[[report]]\nnotebook = "hello"\nparams = [{lable = "Scotland"}]\n')
    assert cli(project, "--force") == 2
    err = capsys.readouterr().err
    assert err.strip() == (
        "error: reports.toml: [[report]] #1 (notebook \"hello\"): unknown parameter 'lable'; "
        "did you mean 'label'? its parameters cell declares: label"
    )
    assert snapshot(project / "reports") == before


@pytest.mark.parametrize(
    "toml",
    [
        "",
        '[[reports]]\nnotebook = "hello"\n',
        '[[report]]\nnotebook = "hello"\nparams = {label = "x"}\n',
        '[[report]]\nnotebook = "../notebooks/hello"\n',
        "[[report]]\nnotebook = \"hello\"\nparams = [{\"__import__('os').system('touch pwned')\" = 1}]\n",
    ],
)
def test_bad_matrix_is_exit_2_without_traceback_and_reports_untouched(project, capsys, toml):
    assert cli(project) == 0
    before = snapshot(project / "reports")
    capsys.readouterr()
    matrix(project, toml)
    assert cli(project) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("error: reports.toml: ") and "Traceback" not in captured.err
    assert captured.out == ""
    assert snapshot(project / "reports") == before
    assert not (project / "notebooks" / "pwned").exists()


def test_error_text_from_data_is_printed_literally(project, data_copy, capsys):
    edit_cell(data_copy, "sector_statistics", 0, "value", "[/x]")
    edit_cell(data_copy, "sector_statistics", 1, "value", "[red]12")
    row = 98
    assert read_rows(data_copy / "recommendations.csv")[1][row]
    line = edit_cell(data_copy, "recommendations", row, "source_id", ":100:")
    assert line == 100
    assert cli(project) == 2
    err = capsys.readouterr().err
    assert "sector_statistics.csv:2:value — found '[/x]', expected type number" in err
    assert "sector_statistics.csv:3:value — found '[red]12', expected type number" in err
    assert "recommendations.csv:100:source_id — found ':100:'" in err
    assert "💯" not in err and "Traceback" not in err
    assert not (project / "reports").exists()


def test_failed_report_lines_print_parameter_text_literally(project, capsys):
    notebook(project / "notebooks" / "hello.ipynb", "raise ValueError(label)")
    matrix(project, '[[report]]\nnotebook = "hello"\nparams = [{label = "[/x] [red]12 :100:"}]\n')
    assert cli(project) == 1
    err = capsys.readouterr().err
    assert "FAILED hello/label-x-red-12-100: ValueError: [/x] [red]12 :100:" in err


def test_inf_firm_count_is_a_data_error_and_nothing_is_built(project, data_copy, capsys):
    row = find_row(data_copy, "sector_statistics", metric="active_firms")
    line = edit_cell(data_copy, "sector_statistics", row, "value", "inf")
    assert cli(project) == 2
    err = capsys.readouterr().err
    assert (
        f"sector_statistics.csv:{line}:value — found 'inf', expected a plain decimal number" in err
    )
    assert not (project / "reports").exists()


def test_second_build_exits_2_naming_the_running_builds_pid(project, capsys):
    reports = project / "reports"
    reports.mkdir()
    with build_lock(reports, wait=0):
        assert cli(project) == 2
    err = capsys.readouterr().err
    assert f"error: another build (pid {os.getpid()}) is writing {reports}; waited 0 s" in err
    assert "--wait SECONDS" in err
    assert sorted(p.name for p in reports.iterdir()) == [".build.lock"]


def test_second_build_with_wait_runs_once_the_first_finishes(project):
    reports = project / "reports"
    reports.mkdir()
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with build_lock(reports, wait=0):
            held.set()
            release.wait(30)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(10)
    threading.Timer(1.0, release.set).start()
    started = time.monotonic()
    assert cli(project, "--wait", "60") == 0
    assert time.monotonic() - started >= 1.0
    holder.join()


def test_overlapping_only_builds_into_a_fresh_folder_keep_each_others_entries(project):
    runs = [
        subprocess.Popen(
            command(project, "--only", only, "--wait", "300"),
            env=env(),
            stderr=subprocess.PIPE,
            text=True,
        )
        for only in ("hello", "chart")
    ]
    for run in runs:
        _, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
        assert "Traceback" not in err
    manifest = json.loads((project / "reports" / "manifest.json").read_text())
    assert sorted(manifest["reports"]) == ["chart/default", "hello/label-one", "hello/label-two"]
    assert not list((project / "reports").rglob("*.tmp"))


def descendants(pid: int) -> list[psutil.Process]:
    with contextlib.suppress(psutil.Error):
        return psutil.Process(pid).children(recursive=True)
    return []


def command_line(process: psutil.Process) -> str:
    with contextlib.suppress(psutil.Error):
        return " ".join(process.cmdline())
    return ""


def is_kernel(process: psutil.Process) -> bool:
    """A kernel started from its command line, or forked from a worker's kernel template."""
    if "ipykernel" in command_line(process):
        return True
    with contextlib.suppress(psutil.Error):
        parent = process.parent()
        return parent is not None and "zygote.py" in command_line(parent)
    return False


def still_running(processes: list[psutil.Process], seconds: float = 3) -> list[psutil.Process]:
    """The processes that have not exited (zombies count as exited) within ``seconds``."""

    def running() -> list[psutil.Process]:
        alive = []
        for process in processes:
            with contextlib.suppress(psutil.Error):
                if process.status() != psutil.STATUS_ZOMBIE:
                    alive.append(process)
        return alive

    deadline = time.monotonic() + seconds
    while running() and time.monotonic() < deadline:
        time.sleep(0.05)
    return running()


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_interrupt_stops_within_5_seconds_and_keeps_last_good_reports(project, signum):
    assert cli(project) == 0
    good = snapshot(project / "reports" / "hello")
    notebook(project / "notebooks" / "slow.ipynb", SLOW)
    matrix(
        project,
        (project / "reports.toml").read_text()
        + '\n[[report]]\nnotebook = "slow"\ngrid = {label = ["a", "b", "c", "d", "e"]}\n',
    )
    run = subprocess.Popen(
        command(project, "--force", "--jobs", "2"), env=env(), stderr=subprocess.PIPE, text=True
    )
    kernels = wait_for(
        lambda: [p for p in descendants(run.pid) if is_kernel(p)],
        60,
        "a running kernel",
    )
    spawned = descendants(run.pid)
    started = time.monotonic()
    run.send_signal(signum)
    _, err = run.communicate(timeout=30)
    elapsed = time.monotonic() - started
    assert run.returncode == 130, err
    assert elapsed < 5, elapsed
    assert err.startswith("interrupted: stopped") and "Traceback" not in err
    assert kernels and set(kernels) <= set(spawned)
    assert still_running(spawned) == []
    reports = project / "reports"
    assert not (reports / ".scratch").exists() and not list(reports.rglob("*.tmp"))
    assert not (reports / "slow").exists()
    manifest = json.loads((reports / "manifest.json").read_text())
    assert "slow/label-a" not in manifest["reports"]
    for name, content in snapshot(reports / "hello").items():
        assert name in good and content.startswith(
            b"<!DOCTYPE html>" if name.endswith(".html") else b"{"
        )


def test_killed_build_leaves_scratch_that_the_next_build_removes(project):
    notebook(project / "notebooks" / "slow.ipynb", SLOW)
    matrix(project, '[[report]]\nnotebook = "slow"\nparams = [{label = "a"}]\n')
    run = subprocess.Popen(command(project), env=env(), stderr=subprocess.DEVNULL)
    scratch = project / "reports" / ".scratch"
    wait_for(lambda: list(scratch.glob("slow-*/")), 60, "a report's scratch folder")
    run.kill()
    run.wait(10)
    assert list(scratch.glob("slow-*/"))
    notebook(project / "notebooks" / "slow.ipynb", "print(label)")
    assert cli(project) == 0
    assert not scratch.exists()
    assert not list((project / "reports").rglob(".*.run.ipynb"))


def test_timeout_bounds_the_whole_notebook_not_only_each_cell(project, capsys):
    path = project / "notebooks" / "hello.ipynb"
    notebook(path, "import time\ntime.sleep(1.5)")
    import nbformat

    nb = nbformat.read(path, as_version=4)
    nb.cells += [
        nbformat.v4.new_code_cell("time.sleep(1.5)"),
        nbformat.v4.new_code_cell("time.sleep(1.5)"),
    ]
    nbformat.write(nb, path)
    matrix(project, '[[report]]\nnotebook = "hello"\n')
    started = time.monotonic()
    assert cli(project, "--timeout", "2") == 1
    assert time.monotonic() - started < 30
    err = capsys.readouterr().err
    assert "FAILED hello/default: timed out: the notebook ran longer than --timeout 2 s" in err
    assert (project / "reports" / "_failed" / "hello" / "default.error.txt").is_file()
    # papermill writes only at the end, so what ran before the timeout is written on failure
    ran = json.loads((project / "reports" / "_failed" / "hello" / "default.ipynb").read_text())
    statuses = [c["metadata"]["papermill"]["status"] for c in ran["cells"] if c["source"]]
    assert statuses[0] == "completed" and statuses[-1] == "pending", statuses


@pytest.mark.parametrize(
    "args, message",
    [
        (["--timeout", "0"], "argument --timeout: must be more than 0 seconds, got '0'"),
        (["--timeout", "-1"], "argument --timeout: must be more than 0 seconds, got '-1'"),
        (["--timeout", "nan"], "argument --timeout: must be more than 0 seconds, got 'nan'"),
        (["--timeout", "soon"], "argument --timeout: expected seconds, got 'soon'"),
        (["--wait", "-5"], "argument --wait: must be 0 or more seconds, got '-5'"),
        (["--jobs", "0"], "argument --jobs/-j: must be at least 1, got 0"),
    ],
)
def test_bad_option_values_are_exit_2(project, capsys, args, message):
    assert cli(project, *args) == 2
    assert message in capsys.readouterr().err
    assert not (project / "reports").exists()


@contextlib.contextmanager
def tiny_disk(folder: Path, size: str = "3m"):
    """A tmpfs of ``size`` at ``folder`` (needs root), or skip."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_full_disk_is_one_clear_message_and_leaves_no_partial_file(project, capsys):
    with tiny_disk(project / "full") as reports:
        assert cli(project, "--reports", str(reports)) == 2
        err = capsys.readouterr().err
        assert (
            err.strip()
            == f"error: cannot write {reports}/assets/plotly.min.js: No space left on device"
        )
        assert not [p for p in reports.rglob("*") if p.name.endswith(".tmp")]


def test_unwritable_report_folder_fails_that_report_with_its_failed_entry(project, capsys):
    assert cli(project) == 0
    folder = project / "reports" / "hello"
    good = snapshot(folder)
    with read_only(folder):
        assert cli(project, "--force") == 1
    err = capsys.readouterr().err
    assert f"FAILED hello/label-one: cannot write {folder}/label-one" in err
    assert "chart/default" not in err.split("FAILED", 1)[1]
    assert snapshot(folder) == good
    assert (project / "reports" / "_failed" / "hello" / "label-one.error.txt").is_file()
    manifest = json.loads((project / "reports" / "manifest.json").read_text())
    assert manifest["reports"]["hello/label-one"]["last_good"] is True


@pytest.mark.parametrize("content", ["[]", "null", '{"reports": []}'])
def test_wrong_shape_manifest_is_treated_as_absent_with_a_warning(project, capsys, content):
    assert cli(project) == 0
    (project / "reports" / "manifest.json").write_text(content)
    capsys.readouterr()
    assert cli(project) == 0
    err = capsys.readouterr().err
    assert err.startswith(f"warning: {project / 'reports' / 'manifest.json'} is ")
    assert "treating it as absent, rebuilding every report" in err
    assert "3 built, 0 unchanged, 0 failed" in err
    assert json.loads((project / "reports" / "manifest.json").read_text())["schema_version"] == 1
    assert cli(project) == 0


def test_long_parameter_value_gives_a_bounded_file_name(project):
    matrix(project, f'[[report]]\nnotebook = "hello"\nparams = [{{label = "{"x" * 300}"}}]\n')
    (key,) = statuses(project)
    assert len(key.split("/")[1]) <= 80
    assert (project / "reports" / f"{key}.html").is_file()


def test_description_data_date_and_build_time_reach_the_page_and_manifest(project):
    matrix(
        project,
        '[[report]]\nnotebook = "hello"\ndescription = "Says hello."\nparams = [{label = "one"}]\n',
    )
    statuses(project)
    manifest = json.loads((project / "reports" / "manifest.json").read_text())
    changed = manifest["data_changed_at"]
    html = (project / "reports" / "hello" / "label-one.html").read_text()
    assert "Says hello." in html and changed.startswith("20")
    # hello reads no table, so its page claims no data date; the manifest keeps the site's
    assert "Data last changed" not in html
    assert "<dt>Built</dt>" in html
    assert manifest["reports"]["hello/label-one"]["description"] == "Says hello."
    statuses(project, force=True)
    assert (
        json.loads((project / "reports" / "manifest.json").read_text())["data_changed_at"]
        == changed
    )
