"""Hidden inputs caught, dry runs, PDFs after --no-pdf, removal: real builds of a tiny project.

Each test builds a temporary project with real kernels through the command line, then changes
one thing and checks what the next build (or ``--dry-run``) does about it.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from helpers import CHROMIUM, edit_cell, find_row
from test_build import notebook
from ukcyber.cli import main

pytestmark = pytest.mark.kernel

NOTEBOOKS = {
    "plain": "print(label)",
    "pandas": "import pandas as pd\nrows = pd.read_csv('../data/norms.csv')\nprint(len(rows))",
    "helper": "import helpers\nprint(helpers.WORD)",
    "csvfile": "import csv\nprint(list(csv.reader(open('../extra/words.csv'))))",
    "package": "from pathlib import Path\nprint(len(Path('../data/datapackage.json').read_text()))",
    "loader": "from ukcyber.data import load\nprint(len(load('regional')))",
    "writer": "open('../extra/written.txt', 'w').write('out')\nprint('wrote')",
}


@pytest.fixture
def project(tmp_path, data_copy) -> Path:
    for name, code in NOTEBOOKS.items():
        notebook(tmp_path / "notebooks" / f"{name}.ipynb", code)
    (tmp_path / "notebooks" / "helpers.py").write_text("WORD = 'first'\n")
    (tmp_path / "extra").mkdir()
    (tmp_path / "extra" / "words.csv").write_text("a,b\n")
    matrix = "".join(f'[[report]]\nnotebook = "{name}"\n\n' for name in NOTEBOOKS)
    (tmp_path / "reports.toml").write_text(matrix)
    return tmp_path


def build(project: Path, *args: str) -> int:
    return main(
        ["build", "--project", str(project), "--no-progress", "--jobs", "2", "--no-pdf", *args]
    )


def manifest(project: Path) -> dict:
    return json.loads((project / "reports" / "manifest.json").read_text())["reports"]


def ran(project: Path) -> set[str]:
    return {key for key, entry in manifest(project).items() if entry["status"] == "ok"}


def test_every_kind_of_read_is_recorded_and_rebuilds_its_reader(project, data_copy, capsys):
    assert build(project) == 0
    entries = manifest(project)
    assert entries["pandas/default"]["tables"] == ["norms"]  # read with pandas, not the loader
    assert entries["loader/default"]["tables"] == ["regional"]  # the loader's table only
    assert entries["helper/default"]["reads"] == ["notebooks/helpers.py"]
    assert entries["csvfile/default"]["reads"] == ["extra/words.csv"]
    assert entries["package/default"]["reads"] == ["data:datapackage.json"]
    assert entries["writer/default"]["reads"] == []  # a file written is not an input
    assert entries["plain/default"]["tables"] == [] and entries["plain/default"]["reads"] == []

    wales = find_row(data_copy, "regional", metric="mean_advertised_salary", geography="Wales")
    edits = {
        "pandas/default": lambda: edit_cell(data_copy, "norms", 0, "short_name", "Edited"),
        "helper/default": lambda: (project / "notebooks" / "helpers.py").write_text("WORD = 2\n"),
        "csvfile/default": lambda: (project / "extra" / "words.csv").write_text("c,d\n"),
        "loader/default": lambda: (
            edit_cell(data_copy, "regional", wales, "value", "53200"),
            edit_cell(data_copy, "regional", wales, "as_printed", "£53,200"),
        ),
    }
    for key, edit in edits.items():
        edit()
        assert build(project) == 0
        assert ran(project) == {key}, key
    assert "c" in (project / "reports" / "csvfile" / "default.ipynb").read_text()


def test_a_module_beside_the_notebook_imports_under_both_kernel_strategies(project, capsys):
    """The build runs a notebook in its folder with that folder on the import path, as in
    JupyterLab, whichever way its kernel starts; and both ways see the same path."""
    probe = "import os, sys\nprint(repr((os.getcwd(), sys.path)))"
    notebook(project / "notebooks" / "probe.ipynb", probe)
    (project / "reports.toml").write_text(
        '[[report]]\nnotebook = "helper"\n\n[[report]]\nnotebook = "probe"\n'
    )
    seen = {}
    for strategy in ("forked", "fresh"):
        assert build(project, "--kernels", strategy, "--force") == 0, strategy
        assert "first" in (project / "reports" / "helper" / "default.ipynb").read_text()
        nb = json.loads((project / "reports" / "probe" / "default.ipynb").read_text())
        seen[strategy] = nb["cells"][-1]["outputs"][0]["text"]
    assert seen["forked"] == seen["fresh"]
    cwd, path = eval("".join(seen["fresh"]))  # noqa: S307  (our own repr)
    assert cwd == str(project / "notebooks") and "" in path


def test_a_dry_run_says_what_would_run_and_why_and_writes_nothing(project, data_copy, capsys):
    assert build(project) == 0
    edit_cell(data_copy, "norms", 0, "short_name", "Edited")
    (project / "notebooks" / "helpers.py").write_text("WORD = 'second'\n")
    notebook(project / "notebooks" / "plain.ipynb", "print('changed')")

    def tree() -> dict[str, tuple[int, int]]:
        folders = [project, Path(os.environ["UKCYBER_CACHE"])]
        return {
            str(p): (p.stat().st_size, p.stat().st_mtime_ns)
            for folder in folders
            for p in folder.rglob("*")
        }

    before = tree()
    capsys.readouterr()
    assert build(project, "--dry-run") == 0
    out = capsys.readouterr().out
    assert tree() == before
    assert "3 of 7 reports would run (nothing written)" in out
    assert "pandas/default  table norms changed" in out
    assert "helper/default  file notebooks/helpers.py changed" in out
    assert "plain/default   notebook changed" in out
    assert "loader/default" not in out
    assert "4 would stay as they are" in out
    (project / "reports.toml").write_text('[[report]]\nnotebook = "loader"\n')
    before = tree()
    assert build(project, "--dry-run") == 0
    out = capsys.readouterr().out
    assert "would remove pandas/default: no longer in reports.toml" in out
    assert tree() == before


def test_a_dry_run_of_a_fresh_project_creates_no_reports_folder(project, capsys):
    assert build(project, "--dry-run") == 0
    assert "7 of 7 reports would run" in capsys.readouterr().out
    assert not (project / "reports").exists()


def test_a_report_that_leaves_the_matrix_leaves_no_file_behind(project, capsys):
    (project / "notebooks" / "fails.ipynb").write_text(
        (project / "notebooks" / "plain.ipynb").read_text().replace("print(label)", "1/0")
    )
    (project / "reports.toml").write_text(
        (project / "reports.toml").read_text()
        + '[[report]]\nnotebook = "fails"\n\n[[report]]\nnotebook = "plain"\nparams = [{label = "b"}]\n'
    )
    assert build(project) == 1
    reports = project / "reports"
    assert (reports / "_failed" / "fails" / "default.error.txt").is_file()
    assert (reports / "plain" / "label-b.html").is_file()
    (reports / "plain" / "label-zzz.html").write_text("a leftover no manifest names")
    (project / "reports.toml").write_text('[[report]]\nnotebook = "helper"\n')
    assert build(project) == 0
    names = sorted(p.relative_to(reports).as_posix() for p in reports.rglob("*") if p.is_file())
    assert not [n for n in names if n.startswith(("plain", "fails", "_failed", "pandas"))], names
    assert "helper/default.html" in names
    site = "".join((reports / n).read_text() for n in ("index.html", "build.html"))
    site += (reports / "assets" / "status.js").read_text()
    assert "plain/" not in site and "fails/" not in site
    assert list(manifest(project)) == ["helper/default"]


@pytest.mark.skipif(CHROMIUM is None and os.environ.get("CI") != "true", reason="no chromium")
def test_a_plain_build_prints_the_pdfs_a_no_pdf_build_left_out(project, capsys):
    (project / "reports.toml").write_text('[[report]]\nnotebook = "plain"\n')
    assert build(project) == 0  # --no-pdf
    assert manifest(project)["plain/default"]["pdf"] == ""
    assert main(["build", "--project", str(project), "--no-progress", "--dry-run"]) == 0
    assert "plain/default  missing PDF" in capsys.readouterr().out
    assert main(["build", "--project", str(project), "--no-progress"]) == 0
    entry = manifest(project)["plain/default"]
    assert entry["status"] == "ok" and entry["pdf"] == "plain/default.pdf"
    assert (project / "reports" / "plain" / "default.pdf").read_bytes().startswith(b"%PDF")
    capsys.readouterr()
    assert main(["build", "--project", str(project), "--no-progress"]) == 0
    assert "0 built, 1 unchanged" in capsys.readouterr().err


def test_the_fresh_strategy_builds_and_records_like_the_forked_one(project, capsys):
    assert build(project, "--kernels", "fresh") == 0
    entries = manifest(project)
    assert entries["pandas/default"]["tables"] == ["norms"]
    assert entries["helper/default"]["reads"] == ["notebooks/helpers.py"]
    assert build(project, "--kernels", "forked", "--dry-run") == 0
    assert "nothing to do" in capsys.readouterr().out  # the strategy changes no page


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-q"]))
