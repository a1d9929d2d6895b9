"""``ukcyber new NAME``: a scaffolded notebook that builds first time, and its mistakes."""

from __future__ import annotations

import json
import shutil
import tomllib

import pytest
from helpers import DATA, REPO
from ukcyber import cli, scaffold


@pytest.fixture
def project(tmp_path):
    """A fresh copy of the project as a clone has it: matrix, notebooks and data."""
    root = tmp_path / "clone"
    shutil.copytree(REPO / "notebooks", root / "notebooks", ignore=shutil.ignore_patterns(".*"))
    shutil.copy(REPO / "reports.toml", root / "reports.toml")
    shutil.copytree(DATA, root / "data")
    return root


def test_new_writes_a_notebook_and_its_matrix_entry(project, capsys):
    assert cli.main(["new", "probe", "--project", str(project)]) == 0
    nb = json.loads((project / "notebooks" / "probe.ipynb").read_text())
    assert nb["metadata"]["kernelspec"]["name"] == "ukcyber"
    assert nb["metadata"]["ukcyber"]["description"].startswith(
        "Cyber security sector employment, UK"
    )
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code[0]["metadata"]["tags"] == ["parameters"]
    assert "evidence.series(metric, place)" in "".join(code[1]["source"])
    matrix = tomllib.loads((project / "reports.toml").read_text())
    entry = matrix["report"][-1]
    assert entry == {
        "notebook": "probe",
        "title": "Probe",
        "description": nb["metadata"]["ukcyber"]["description"],
    }
    out = capsys.readouterr().err
    assert "wrote " in out and "ukcyber build --only probe" in out


@pytest.mark.parametrize(
    "args, message",
    [
        (["new", "../x"], "notebook name '../x': use letters, digits"),
        (["new", "probe.ipynb"], "notebook name 'probe.ipynb'"),
        (["new", "sector_overview"], "sector_overview.ipynb already exists; choose another name"),
        (["new", "p", "--metric", "jobz"], "unknown metric 'jobz'"),
        (["new", "p", "--place", "Walse"], "did you mean 'Wales'"),
    ],
)
def test_mistakes_are_one_message_exit_2_and_write_nothing(project, capsys, args, message):
    before = (project / "reports.toml").read_bytes()
    assert cli.main(args + ["--project", str(project)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert (project / "reports.toml").read_bytes() == before
    assert not (project / "notebooks" / "p.ipynb").exists()


def test_a_name_the_matrix_already_has_is_refused(project, capsys):
    (project / "notebooks" / "sector_overview.ipynb").unlink()
    assert cli.main(["new", "sector_overview", "--project", str(project)]) == 2
    assert "already has a report of notebook 'sector_overview'" in capsys.readouterr().err
    assert not (project / "notebooks" / "sector_overview.ipynb").exists()


def test_an_existing_notebook_is_never_overwritten(project, capsys):
    (project / "notebooks" / "mine.ipynb").write_text("{}")
    assert cli.main(["new", "mine", "--project", str(project)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert (project / "notebooks" / "mine.ipynb").read_text() == "{}"


def test_the_scaffold_is_thin_and_documents_its_parameters():
    nb = scaffold.notebook("x", "X", "An example.", "gva", "UK")
    lines = [
        line
        for c in nb["cells"]
        if c["cell_type"] == "code"
        for line in "".join(c["source"]).splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]
    assert len(lines) <= 10
    params = "".join(nb["cells"][1]["source"])
    assert 'metric: str = "gva"  # ' in params and 'place: str = "UK"  # ' in params


@pytest.mark.kernel
def test_new_then_build_publishes_a_page_first_time(project, monkeypatch, capsys):
    monkeypatch.setenv("UKCYBER_DATA", str(project / "data"))
    assert cli.main(["new", "probe", "--project", str(project), "--place", "Northern Ireland"]) == 0
    reports = project / "reports"
    flags = ["--project", str(project), "--reports", str(reports), "--no-pdf", "--no-progress"]
    assert cli.main(["build", "--only", "probe", "--jobs", "1", *flags]) == 0
    page = (reports / "probe" / "default.html").read_text()
    assert "Cyber security sector employment, Northern Ireland" in page
    assert "Main points" in page and "figure-1.csv" in page
    csv = (reports / "probe" / "default" / "figure-1.csv").read_text()
    assert "Northern Ireland" in csv
