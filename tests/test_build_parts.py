"""Fingerprints, manifest, file groups, leftovers and publishing: pure logic, no kernel."""

from __future__ import annotations

import json
import os

import pytest
from ukcyber import atomic
from ukcyber.build import files as files_module
from ukcyber.build.files import SCRATCH, clear_leftovers, write_group
from ukcyber.build.fingerprint import BUILD_EPOCH, data_digest, report_fingerprint, table_digests
from ukcyber.build.jobs import Job
from ukcyber.build.manifest import Entry, Manifest, data_changed_at, read_manifest, write_manifest
from ukcyber.build.publish import publish
from ukcyber.build.worker import WorkerResult
from ukcyber.errors import BuildError

INPUTS = dict(
    notebook=b"{}",
    params={"region": "Wales"},
    title="T",
    description="D",
    show_code=False,
    kernel="ukcyber",
    data="d1",
    library="l1",
    lockfile="k1",
)


@pytest.mark.parametrize(
    "name, value",
    [
        ("notebook", b"{ }"),
        ("params", {"region": "London"}),
        ("title", "Renamed"),
        ("description", "Other"),
        ("show_code", True),
        ("kernel", "other"),
        ("data", "d2"),
        ("library", "l2"),
        ("lockfile", "k2"),
        ("meta", {"Data as of": "March 2026"}),
        ("epoch", BUILD_EPOCH + 1),
    ],
)
def test_fingerprint_changes_with_every_input(name, value):
    assert report_fingerprint(**INPUTS) == report_fingerprint(**INPUTS)
    assert report_fingerprint(**{**INPUTS, name: value}) != report_fingerprint(**INPUTS)


def test_a_table_digest_covers_its_bytes_and_its_descriptor_only(data_copy):
    from helpers import edit_cell

    before = table_digests(data_copy)
    assert set(before) >= {"norms", "sources", "regional"}
    edit_cell(data_copy, "norms", 0, "short_name", "Edited")
    after = table_digests(data_copy)
    assert {name for name in before if before[name] != after[name]} == {"norms"}
    package = json.loads((data_copy / "datapackage.json").read_text())
    [norms] = [r for r in package["resources"] if r["name"] == "norms"]
    norms["description"] = "Edited description"
    (data_copy / "datapackage.json").write_text(json.dumps(package))
    again = table_digests(data_copy)
    assert {name for name in after if after[name] != again[name]} == {"norms"}


def test_data_digest_covers_only_the_tables_read_or_everything_when_unknown():
    digests = {"norms": "n1", "sources": "s1", "regional": "r1"}
    read = data_digest(["sources", "norms"], digests, "whole")
    assert read == data_digest(["norms", "sources"], {**digests, "regional": "r2"}, "whole2")
    assert read != data_digest(["norms", "sources"], {**digests, "norms": "n2"}, "whole")
    assert data_digest([], digests, "whole") != read
    assert data_digest(["gone"], digests, "w") != data_digest([], digests, "w")
    assert data_digest(None, digests, "whole") != data_digest(None, digests, "whole2")
    assert data_digest(None, digests, "whole") != read


def test_library_digest_covers_templates(monkeypatch, tmp_path):
    import shutil

    import ukcyber
    from ukcyber.build.fingerprint import library_digest

    package = tmp_path / "ukcyber"
    shutil.copytree(os.path.dirname(ukcyber.__file__), package)
    monkeypatch.setattr(ukcyber, "__file__", str(package / "__init__.py"))
    before = library_digest()
    (package / "templates" / "page.html.j2").write_text("changed", encoding="utf-8")
    assert library_digest() != before


@pytest.mark.parametrize(
    "content", ["[]", "null", "5", '{"reports": []}', '{"schema_version": 99}', "{not json", "\xff"]
)
def test_wrong_shape_manifest_is_treated_as_absent_with_one_warning(tmp_path, content):
    (tmp_path / "manifest.json").write_text(content, encoding="latin-1")
    warnings: list[str] = []
    assert read_manifest(tmp_path, warnings.append) is None
    assert len(warnings) == 1 and "\n" not in warnings[0]
    assert warnings[0].startswith("warning: ") and "treating it as absent" in warnings[0]


def test_manifest_round_trips_and_keeps_the_data_date(tmp_path):
    entry = Entry(key="a/default", notebook="a", slug="default", title="A", status="ok")
    manifest = Manifest(data_fingerprint="f1", data_changed_at="2026-01-01T00:00:00Z")
    manifest.reports["a/default"] = entry
    write_manifest(tmp_path, manifest)
    again = read_manifest(tmp_path, pytest.fail)
    assert again == manifest and again.schema_version == 1
    assert data_changed_at(again, "f1", "2026-02-02T00:00:00Z") == "2026-01-01T00:00:00Z"
    assert data_changed_at(again, "f2", "2026-02-02T00:00:00Z") == "2026-02-02T00:00:00Z"
    assert read_manifest(tmp_path / "absent", pytest.fail) is None


def test_write_group_is_all_or_nothing_and_leaves_no_temporaries(tmp_path, monkeypatch):
    write_group(tmp_path, {"a.html": b"old a", "a/fig.csv": b"old fig"})
    real_replace, calls = os.replace, []

    def flaky(src, dst):
        calls.append(dst)
        if len(calls) == 1:
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(files_module.os, "replace", flaky)
    with pytest.raises(BuildError, match="cannot write .*a.html: No space left on device"):
        write_group(tmp_path, {"a.html": b"new a", "a/fig.csv": b"new fig"})
    assert (tmp_path / "a.html").read_bytes() == b"old a"
    assert (tmp_path / "a" / "fig.csv").read_bytes() == b"old fig"
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a", "a.html", "fig.csv"]


def test_full_disk_during_a_write_names_the_path_and_leaves_no_partial_file(tmp_path, monkeypatch):
    real_open = open

    class FullDisk:
        """A file that takes three bytes and then reports a full disk."""

        def __init__(self, *args, **kwargs):
            self.fh = real_open(*args, **kwargs)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

        def write(self, data):
            self.fh.write(data[:3])
            raise OSError(28, "No space left on device")

    target = tmp_path / "index.html"
    target.write_text("last good")
    monkeypatch.setattr(atomic, "open", FullDisk, raising=False)
    with pytest.raises(BuildError, match=f"cannot write {target}: No space left on device"):
        atomic.atomic_write(target, "x" * 10)
    assert [p.name for p in tmp_path.iterdir()] == ["index.html"]
    assert target.read_text() == "last good"


def test_temporary_names_are_unique_per_process_and_call(tmp_path):
    first, second = (
        atomic.temp_path(tmp_path / "plotly.min.js"),
        atomic.temp_path(tmp_path / "plotly.min.js"),
    )
    assert first != second
    assert first.name.startswith(f".plotly.min.js.{os.getpid()}.") and first.name.endswith(".tmp")


def test_clear_leftovers_removes_scratch_and_temporaries_only(tmp_path):
    (tmp_path / SCRATCH / "runtime").mkdir(parents=True)
    (tmp_path / "hello").mkdir()
    keep = [tmp_path / "hello" / "a.html", tmp_path / "index.html"]
    junk = [
        tmp_path / "hello" / ".a.html.123.abcd.tmp",
        tmp_path / "hello" / ".a.4321.run.ipynb",
        tmp_path / "assets" / "plotly.min.tmp",
    ]
    for path in keep + junk:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    assert clear_leftovers(tmp_path) == 4
    assert all(p.exists() for p in keep) and not any(p.exists() for p in junk)
    assert not (tmp_path / SCRATCH).exists()


def job() -> Job:
    return Job("hello", {"label": "a"}, "Hello: a", "", "label-a")


def test_publish_writes_worker_bytes_and_removes_files_no_longer_produced(tmp_path):
    first = WorkerResult(
        status="ok",
        files={"label-a.html": b"<p>1</p>", "label-a/figure-1.csv": b"x,y"},
        notebook=b"{}",
    )
    entry = publish(tmp_path, job(), first, None, "fp1")
    assert entry.files == [
        "hello/label-a.html",
        "hello/label-a.ipynb",
        "hello/label-a/figure-1.csv",
    ]
    second = WorkerResult(status="ok", files={"label-a.html": b"<p>2</p>"}, notebook=b"{}")
    entry = publish(tmp_path, job(), second, entry, "fp2")
    assert entry.files == ["hello/label-a.html", "hello/label-a.ipynb"]
    assert not (tmp_path / "hello" / "label-a").exists()
    assert (tmp_path / "hello" / "label-a.html").read_bytes() == b"<p>2</p>"


@pytest.mark.parametrize("name", ["../escape.html", "/abs.html", "other.html", ".label-a.html"])
def test_publish_refuses_files_outside_the_report(tmp_path, name):
    result = WorkerResult(status="ok", files={name: b"x"}, notebook=b"{}")
    entry = publish(tmp_path, job(), result, None, "fp")
    assert entry.status == "failed" and "refusing to publish" in entry.error
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == [
        "label-a.error.txt",
        "label-a.ipynb",
    ]


def test_failed_publish_keeps_the_last_good_report(tmp_path):
    good = publish(
        tmp_path,
        job(),
        WorkerResult(status="ok", files={"label-a.html": b"good"}, notebook=b"{}"),
        None,
        "fp1",
    )
    failed = publish(
        tmp_path,
        job(),
        WorkerResult(status="failed", error="RuntimeError: x", notebook=b"{}"),
        good,
        "fp2",
    )
    assert failed.status == "failed" and failed.last_good and failed.html == "hello/label-a.html"
    assert failed.fingerprint == "fp1"
    assert (tmp_path / "hello" / "label-a.html").read_bytes() == b"good"
    assert (
        (tmp_path / "_failed" / "hello" / "label-a.error.txt")
        .read_text()
        .startswith("hello/label-a\nRuntimeError: x")
    )
    json.dumps(failed.model_dump())


@pytest.mark.parametrize("name", ["../../etc/passwd", "/etc/passwd", "hello/../../x"])
def test_manifest_naming_files_outside_reports_is_treated_as_absent(tmp_path, name):
    entry = {"key": "a/b", "notebook": "a", "slug": "b", "title": "A", "status": "ok"}
    manifest = {"schema_version": 1, "reports": {"a/b": {**entry, "files": [name]}}}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    warnings: list[str] = []
    assert read_manifest(tmp_path, warnings.append) is None
    assert len(warnings) == 1


def test_lock_names_an_unknown_holder_when_its_pid_file_is_unreadable(tmp_path):
    from ukcyber.build.lock import PID_NAME, build_lock

    with build_lock(tmp_path, wait=0):
        (tmp_path / PID_NAME).write_text("garbage")
        with pytest.raises(BuildError, match=r"another build \(pid unknown\) is writing"):
            with build_lock(tmp_path, wait=0.2):
                pass
    assert not (tmp_path / PID_NAME).exists()


@pytest.mark.parametrize(
    "kw, message",
    [
        ({"timeout": 0}, "--timeout must be a positive number of seconds, got 0"),
        ({"timeout": float("nan")}, "--timeout must be a positive number of seconds, got nan"),
        ({"wait": -1}, "--wait must be 0 or more seconds, got -1"),
        ({"jobs": 0}, "--jobs must be at least 1, got 0"),
    ],
)
def test_build_rejects_option_values_before_reading_anything(tmp_path, kw, message):
    from ukcyber.build import build

    with pytest.raises(BuildError, match=message):
        build(tmp_path, progress=False, **kw)
    assert list(tmp_path.iterdir()) == []


def test_cli_interruption_is_exit_130_with_one_line(monkeypatch, capsys):
    import ukcyber.build
    from ukcyber.build.run import Interrupted
    from ukcyber.cli import main

    def interrupted(*args, **kwargs):
        raise Interrupted(1, 6)

    monkeypatch.setattr(ukcyber.build, "build", interrupted)
    assert main(["build", "--no-progress"]) == 130
    assert capsys.readouterr().err == (
        "interrupted: stopped (1 report finished and recorded, 6 cancelled); "
        "reports not rebuilt keep their last good version\n"
    )


@pytest.mark.parametrize("args", [["--jobs", "x"], ["--timeout", "soon"], ["--wait", "inf"]])
def test_cli_bad_option_types_are_exit_2(args, capsys):
    from ukcyber.cli import main

    assert main(["build", *args]) == 2
    assert "ukcyber build: error: argument" in capsys.readouterr().err


def test_reports_path_that_is_a_file_is_a_clear_error(tmp_path):
    from ukcyber.build.run import check_writable

    (tmp_path / "reports").write_text("not a folder")
    with pytest.raises(BuildError, match="reports folder .*reports is a file, expected a folder"):
        check_writable(tmp_path / "reports")


@pytest.mark.parametrize(
    "command, parts",
    [
        (["/py", "-m", "ipykernel_launcher", "-f", "c.json"], (["/py"], ["-f", "c.json"])),
        (
            ["/py", "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f", "c.json"],
            (["/py", "-Xfrozen_modules=off"], ["-f", "c.json"]),
        ),
        (["/py", "-m", "other_kernel", "-f", "c.json"], None),
        (["/py", "-I", "-m", "ipykernel_launcher"], None),
        (["/usr/bin/julia", "kernel.jl", "c.json"], None),
        (["/py", "-m"], None),
    ],
)
def test_only_plain_ipykernel_commands_are_forked(command, parts):
    from ukcyber.build.forks import split_command

    assert split_command(command) == parts


def test_a_forked_kernel_handle_follows_its_process():
    import signal
    import subprocess

    from ukcyber.build.forks import Forked

    process = subprocess.Popen(["sleep", "30"])
    handle = Forked(process.pid)
    assert handle.poll() is None and handle.wait() is None
    handle.send_signal(signal.SIGCONT)
    handle.kill()
    process.wait(timeout=10)  # reaped, as the template process reaps its kernels
    assert handle.poll() == -signal.SIGKILL
    handle.terminate()  # a gone process: no error


def test_a_table_keeps_its_change_date_until_its_own_content_changes():
    from ukcyber.build.manifest import tables_changed_at

    first = tables_changed_at(None, {"norms": "a", "regional": "b"}, "2026-01-01T00:00:00Z")
    previous = Manifest(table_digests={"norms": "a", "regional": "b"}, tables_changed_at=first)
    later = tables_changed_at(previous, {"norms": "a2", "regional": "b"}, "2026-02-01T00:00:00Z")
    assert later == {"norms": "2026-02-01T00:00:00Z", "regional": "2026-01-01T00:00:00Z"}


def test_a_report_fingerprint_follows_the_change_dates_of_the_tables_it_read():
    from ukcyber.build.planning import report_meta

    common = {"table_dates": {"norms": "2026-02-01T00:00:00Z", "regional": "2026-01-01T00:00:00Z"}}
    assert report_meta(["regional"], common) == {"regional": "2026-01-01T00:00:00Z"}
    assert report_meta(None, common) == common["table_dates"]  # unknown: every table
    assert report_meta([], common) == {}


def test_page_dates_pick_the_tables_read_the_years_shown_and_the_sources_cited():
    from ukcyber.build.dating import DateFacts, page_dates
    from ukcyber.mime import FIGURE_MIME, TABLE_MIME
    from ukcyber.pagedates import SourceDate, TableDate

    def cite(key, title):
        return {"label": title, "where": "", "source": {"key": key, "short_title": title}}

    figure = {"rows": [{"period": "2018-2019"}, {"period": "2017"}], "citations": [cite("a", "A")]}
    table = {"rows": [{"year": 2021}, {"period": ""}], "row_citations": [cite("b", "B")]}
    nb = {"cells": [{"outputs": [{"data": {FIGURE_MIME: figure}}, {"data": {TABLE_MIME: table}}]}]}
    facts = DateFacts(
        tables={
            n: TableDate(n, n.title(), f"2026-0{i}-01T00:00:00Z")
            for i, n in enumerate(["norms", "regional", "sources"], 1)
        },
        sources={"a": SourceDate("a", "A paper", "2023-09"), "b": SourceDate("b", "B", "c. 2024")},
    )
    dates = page_dates(nb, ["regional"], facts, "2026-03-04T05:06:07Z")
    assert dates.tables == (TableDate("regional", "Regional", "2026-02-01T00:00:00Z"),)
    assert dates.years == (2017, 2018, 2019, 2021)
    assert [(s.key, s.title, s.published) for s in dates.sources] == [
        ("a", "A", "2023-09"),
        ("b", "B", "c. 2024"),
    ]
    assert dates.data_changed_at == "2026-02-01T00:00:00Z"
    assert dates.latest_source == SourceDate("a", "A", "2023-09")  # "c. 2024" is not a date
    assert page_dates(nb, None, facts, "").data_changed_at == "2026-03-01T00:00:00Z"


def test_no_schema_the_build_validates_asks_for_the_iri_checks_it_skips():
    """Build processes treat ``rfc3987_syntax`` as not installed (``build.slowimports``), which
    removes jsonschema's ``iri`` and ``iri-reference`` checks: no installed schema of nbformat
    or frictionless (what the build validates with) may use them."""
    import re
    from pathlib import Path

    import frictionless
    import nbformat

    asks = re.compile(r'"format"\s*:\s*"iri(-reference)?"')
    schemas = [
        path
        for package in (nbformat, frictionless)
        for path in Path(package.__file__).parent.rglob("*.json")
    ]
    assert len(schemas) > 5
    assert [
        p for p in schemas if asks.search(p.read_text(encoding="utf-8", errors="replace"))
    ] == []


def test_build_processes_import_jsonschema_without_the_slow_optional_module():
    import subprocess
    import sys

    probe = (
        "import sys; import ukcyber.build; "
        "import jsonschema, nbformat; "
        "print(sys.modules['rfc3987_syntax'] is None, 'iri' in jsonschema.FormatChecker.checkers)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert out.stdout.split() == ["True", "False"], out.stderr
