"""The one model of what a build and a report depend on: fingerprints, reasons, the stamp key."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
from pathlib import Path

import pytest
from helpers import edit_cell
from ukcyber.build.inputs import (
    MISSING,
    BuildInputs,
    ReportInputs,
    Shared,
    TableInput,
    changes,
    library_digest,
    reader_reasons,
)


def collect(project: Path, data: Path, **options) -> BuildInputs:
    settings = {"kernel": "ukcyber", "kernels": "forked", "show_code": False, "pdf": False}
    return BuildInputs.collect(project, data, candidates=[], **{**settings, **options})


@pytest.fixture
def project(tmp_path, data_copy) -> Path:
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "a.ipynb").write_text("{}")
    (tmp_path / "notebooks" / "helpers.py").write_text("X = 1\n")
    (tmp_path / "reports.toml").write_text('[[report]]\nnotebook = "a"\n')
    return tmp_path


BASE = ReportInputs(
    notebook="n1",
    settings="s1",
    tables=(TableInput("norms", "d1", "2026-01-01T00:00:00Z"),),
    package="p1",
    files=(("notebooks/helpers.py", "h1"),),
    shared=Shared(library="l1", lockfile="k1", kernel="ukcyber", show_code=False),
)


@pytest.mark.parametrize(
    "change",
    [
        {"notebook": "n2"},
        {"settings": "s2"},
        {"tables": (TableInput("norms", "d2", "2026-01-01T00:00:00Z"),)},
        {"tables": (TableInput("norms", "d1", "2026-02-01T00:00:00Z"),)},
        {"tables": ()},
        {"tables": None},
        {"files": (("notebooks/helpers.py", "h2"),)},
        {"files": ()},
        {"shared": Shared("l2", "k1", "ukcyber", False)},
        {"shared": Shared("l1", "k2", "ukcyber", False)},
        {"shared": Shared("l1", "k1", "other", False)},
        {"shared": Shared("l1", "k1", "ukcyber", True)},
        {"shared": Shared("l1", "k1", "ukcyber", False, epoch=99)},
    ],
)
def test_the_fingerprint_changes_with_every_input(change):
    assert dataclasses.replace(BASE).fingerprint == BASE.fingerprint
    assert dataclasses.replace(BASE, **change).fingerprint != BASE.fingerprint


def test_the_package_counts_only_when_the_tables_read_are_unknown():
    assert dataclasses.replace(BASE, package="p2").fingerprint == BASE.fingerprint
    unknown = dataclasses.replace(BASE, tables=None)
    assert dataclasses.replace(unknown, package="p2").fingerprint != unknown.fingerprint


def test_the_plan_and_the_reader_are_told_what_changed():
    now = dataclasses.replace(
        BASE,
        notebook="n2",
        tables=(TableInput("norms", "d2", "x"), TableInput("regional", "r", "x")),
        files=(),
    )
    assert changes(BASE.parts(), now.parts()) == [
        "no longer reads notebooks/helpers.py",
        "notebook changed",
        "table norms changed",
        "now reads regional",
    ]
    assert reader_reasons(BASE.parts(), now.parts()) == [
        "a file its notebook reads changed",
        "its notebook changed",
        "the data changed",
    ]
    assert changes({}, now.parts()) == ["inputs not recorded"]
    assert reader_reasons({}, now.parts()) == ["its inputs changed since it was built"]


def test_a_table_digest_covers_its_bytes_and_its_descriptor_only(project, data_copy):
    before = collect(project, data_copy).tables
    assert set(before) >= {"norms", "sources", "regional"}
    edit_cell(data_copy, "norms", 0, "short_name", "Edited")
    after = collect(project, data_copy).tables
    assert {name for name in before if before[name] != after[name]} == {"norms"}
    package = json.loads((data_copy / "datapackage.json").read_text())
    [norms] = [r for r in package["resources"] if r["name"] == "norms"]
    norms["description"] = "Edited description"
    (data_copy / "datapackage.json").write_text(json.dumps(package))
    again = collect(project, data_copy).tables
    assert {name for name in after if after[name] != again[name]} == {"norms"}


def test_a_report_reads_its_tables_and_files_from_the_build_inputs(project, data_copy):
    inputs = collect(project, data_copy)
    dates = {"norms": "2026-01-01T00:00:00Z"}
    report = inputs.report("a", "s", ["norms", "gone"], ["notebooks/helpers.py", "x.csv"], dates)
    assert report.notebook == inputs.notebooks["a"]
    assert report.tables == (
        TableInput("gone", MISSING, ""),
        TableInput("norms", inputs.tables["norms"], "2026-01-01T00:00:00Z"),
    )
    assert dict(report.files)["x.csv"] == MISSING
    assert dict(report.files)["notebooks/helpers.py"] != MISSING
    assert inputs.report("a", "s", None, [], dates).parts()["package"] == inputs.package
    data_file = inputs.report("a", "s", [], ["data:datapackage.json"], dates)
    assert dict(data_file.files)["data:datapackage.json"] != MISSING


@pytest.mark.parametrize(
    "edit",
    [
        lambda p, d: (p / "reports.toml").write_text("# edited\n"),
        lambda p, d: (p / "notebooks" / "b.ipynb").write_text("{}"),
        lambda p, d: (p / "notebooks" / "a.ipynb").write_text("{ }"),
        lambda p, d: (d / "extra.txt").write_text("new file in the data folder"),
        lambda p, d: edit_cell(d, "norms", 0, "short_name", "Edited"),
        lambda p, d: (p / "notebooks" / "helpers.py").write_text("X = 2\n"),
    ],
)
def test_the_stamp_key_changes_with_every_input_the_reports_depend_on(project, data_copy, edit):
    reads = ["notebooks/helpers.py"]
    before = collect(project, data_copy).key(reads)
    assert collect(project, data_copy).key(reads) == before
    os.utime(data_copy / "norms.csv")  # a touch is not a change
    assert collect(project, data_copy).key(reads) == before
    edit(project, data_copy)
    assert collect(project, data_copy).key(reads) != before


@pytest.mark.parametrize(
    "option", [{"kernel": "other"}, {"kernels": "fresh"}, {"show_code": True}, {"pdf": True}]
)
def test_the_stamp_key_changes_with_every_option_that_changes_pages(project, data_copy, option):
    assert collect(project, data_copy, **option).key([]) != collect(project, data_copy).key([])


def test_library_digest_covers_templates(monkeypatch, tmp_path):
    import ukcyber

    package = tmp_path / "ukcyber"
    shutil.copytree(os.path.dirname(ukcyber.__file__), package)
    monkeypatch.setattr(ukcyber, "__file__", str(package / "__init__.py"))
    before = library_digest()
    (package / "templates" / "page.html.j2").write_text("changed", encoding="utf-8")
    assert library_digest() != before
