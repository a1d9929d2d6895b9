"""The no-op shortcut (``ukcyber.build.stamp``): taken only when nothing at all changed.

Each test builds a tiny project for real, then checks whether the next ``ukcyber build`` took
the shortcut (the full ``build()`` never called, nothing in ``reports/`` rewritten) or the full
path, after one kind of change.
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
from test_build_safety import matrix, titled_project
from ukcyber.build import stamp
from ukcyber.build.lock import build_lock
from ukcyber.cli import main
from ukcyber.site import write as site_write

pytestmark = [pytest.mark.kernel, pytest.mark.usefixtures("data_copy")]


@pytest.fixture
def project(tmp_path) -> Path:
    """``hello`` (two reports) and ``chart`` (one), built with a copy of the data."""
    return titled_project(tmp_path)


def cli(project: Path, *args: str) -> int:
    return main(["build", "--project", str(project), "--no-progress", "--no-pdf", *args])


@pytest.fixture
def full_builds(monkeypatch) -> list[dict]:
    """Every call of the full ``build()`` (the shortcut never makes one)."""
    import ukcyber.build.run as run

    calls: list[dict] = []
    original = run.build

    def spy(*args, **kwargs):
        calls.append(kwargs)
        return original(*args, **kwargs)

    monkeypatch.setattr(run, "build", spy)
    return calls


def state(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file's bytes and modification time."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file() and p.name not in {".build.lock", ".build.pid"}
    }


def test_a_build_with_nothing_changed_takes_the_shortcut_and_writes_nothing(
    project, full_builds, capsys
):
    assert cli(project) == 0 and len(full_builds) == 1
    reports = project / "reports"
    assert (reports / stamp.STAMP).is_file()
    before = state(reports)
    capsys.readouterr()
    assert cli(project) == 0
    assert len(full_builds) == 1  # the shortcut answered
    assert state(reports) == before
    out = capsys.readouterr().err
    assert "0 built, 3 unchanged, 0 failed; PDFs skipped (--no-pdf)" in out
    for key in ("hello/label-one", "hello/label-two", "chart/default"):
        assert key in out


def test_the_shortcut_imports_neither_pandas_nor_the_build(project):
    assert cli(project) == 0
    probe = (
        "import sys; from ukcyber.cli import main; "
        f"code = main(['build', '--project', {str(project)!r}, '--no-progress', '--no-pdf']); "
        "heavy = [m for m in ('pandas', 'jinja2', 'pydantic', 'ukcyber.build.run') "
        "if m in sys.modules]; print(code, heavy)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=dict(os.environ)
    )
    assert out.stdout.strip() == "0 []", out.stderr


def _data() -> Path:
    return Path(os.environ["UKCYBER_DATA"])


def _edit_table(folder: Path) -> None:
    _, rows = read_rows(_data() / "norms.csv")
    edit_cell(_data(), "norms", 0, "short_name", rows[0]["short_name"] + " (edited)")


def _touch_report(folder: Path) -> None:
    os.utime(folder / "reports" / "hello" / "label-one.html", ns=(1, 1))


CHANGES = {
    "a data table edited": _edit_table,
    "a new file in the data folder": lambda p: (_data() / "notes.txt").write_text("x"),
    "a notebook": lambda p: notebook(p / "notebooks" / "hello.ipynb", "print('changed', label)"),
    "a notebook added": lambda p: notebook(p / "notebooks" / "extra.ipynb", "print(label)"),
    "reports.toml": lambda p: matrix(
        p, (p / "reports.toml").read_text().replace('"Hello"', '"Greetings"')
    ),
    "a report page touched": _touch_report,
    "a report page removed": lambda p: (p / "reports" / "chart" / "default.html").unlink(),
    "a file added to reports/": lambda p: (p / "reports" / "stray.html").write_text("x"),
    "the stamp unreadable": lambda p: (p / "reports" / stamp.STAMP).write_text("{"),
}


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_any_change_takes_the_full_path(project, full_builds, change):
    assert cli(project) == 0
    CHANGES[change](project)
    assert cli(project) == 0
    assert len(full_builds) == 2, change
    assert cli(project) == 0 and len(full_builds) == 2  # and the full build stamped again


@pytest.mark.parametrize(
    "args",
    [["--force"], ["--only", "hello"], ["--show-code"], ["--kernel", "python3"], []],
    ids=["force", "only", "show-code", "other-kernel", "pdf"],
)
def test_options_that_change_pages_or_ask_for_work_take_the_full_path(project, full_builds, args):
    assert cli(project) == 0
    command = ["build", "--project", str(project), "--no-progress", *args]
    if args:
        command.append("--no-pdf")  # the empty case differs only by printing PDFs
    assert main(command) in (0, 1)
    assert len(full_builds) == 2


def test_library_or_installed_versions_changing_take_the_full_path(
    project, full_builds, monkeypatch
):
    assert cli(project) == 0
    with monkeypatch.context() as patch:
        patch.setattr(stamp, "library_digest", lambda: "another library")
        assert cli(project) == 0 and len(full_builds) == 2
    assert cli(project) == 0 and len(full_builds) == 3  # the stamp was the other library's
    monkeypatch.setattr(stamp, "_distributions", lambda: ["pandas-0.1.dist-info"])
    assert cli(project) == 0 and len(full_builds) == 4
    monkeypatch.setenv("JUPYTER_PATH", str(project))  # where kernels are found
    assert cli(project) == 0 and len(full_builds) == 5


def test_an_edit_made_while_the_build_runs_is_never_stamped(project, full_builds):
    """The inputs are hashed when the build starts: a data file changed by the time it ends
    sends the next build down the full path."""
    data = _data()
    code = f"open({str(data / 'written-during-build.txt')!r}, 'a').write(label)"
    notebook(project / "notebooks" / "hello.ipynb", code)
    assert cli(project) == 0 and len(full_builds) == 1
    assert (data / "written-during-build.txt").is_file()
    assert cli(project) == 0 and len(full_builds) == 2


def test_a_failed_report_leaves_no_stamp_and_is_retried(project, full_builds):
    notebook(project / "notebooks" / "hello.ipynb", "raise ValueError(label)")
    assert cli(project) == 1
    assert not (project / "reports" / stamp.STAMP).exists()
    assert cli(project) == 1 and len(full_builds) == 2


def test_a_full_build_removes_the_stamp_before_it_writes(project, monkeypatch):
    """A build that stops half way must not leave the last build's stamp behind."""

    assert cli(project) == 0
    assert (project / "reports" / stamp.STAMP).is_file()

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(site_write, "write_front_pages", broken)
    assert cli(project, "--force") == 2
    assert not (project / "reports" / stamp.STAMP).exists()


def test_the_shortcut_waits_for_the_build_lock_like_a_full_build(project, capsys):
    assert cli(project) == 0
    capsys.readouterr()
    with build_lock(project / "reports", 0):
        assert cli(project) == 2
    assert "another build (pid" in capsys.readouterr().err


def test_stamp_records_inputs_outputs_and_the_reports(project):
    assert cli(project) == 0
    saved = json.loads((project / "reports" / stamp.STAMP).read_text())
    assert saved["version"] == stamp.STAMP_VERSION
    assert [key for key, _ in saved["reports"]] == [
        "hello/label-one",
        "hello/label-two",
        "chart/default",
    ]
    assert saved["outputs"] == stamp.outputs_key(project / "reports")
    assert any(
        c.endswith(os.path.join("ukcyber", "kernel.json")) for c in saved["kernel_candidates"]
    )
