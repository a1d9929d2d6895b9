"""The report builder: skip-unchanged, --force, failure isolation, atomic writes, index, manifest."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
from pathlib import Path

import nbformat
import pytest
from ukcyber import atomic
from ukcyber.build import atomic_write, build, load_matrix, slugify
from ukcyber.cli import main
from ukcyber.errors import BuildError

pytestmark = pytest.mark.kernel


def notebook(path: Path, code: str, params: str = "label = 'x'") -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "ukcyber", "display_name": "ukcyber", "language": "python"}
    cell = nbformat.v4.new_code_cell(params)
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Test report"),
        cell,
        nbformat.v4.new_code_cell(code),
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


def tiny_notebooks(project: Path) -> None:
    """Two small notebooks: ``hello`` (prints its ``label``) and ``chart`` (one bar chart)."""
    notebook(project / "notebooks" / "hello.ipynb", "print(f'hello {label}')")
    notebook(
        project / "notebooks" / "chart.ipynb",
        "from ukcyber import charts\nimport pandas as pd\n"
        "rows = pd.DataFrame({'label': ['a', 'b'], 'value': [1, 2], 'source': 'Test source', 'unit': 'items'})\n"
        "charts.show(charts.bar_chart(rows, 'Test chart', None, x_title='n'), caption='Two bars.')",
    )


@pytest.fixture
def project(tmp_path) -> Path:
    """A tiny project: one good notebook with two parameter sets, one good single report."""
    tiny_notebooks(tmp_path)
    (tmp_path / "reports.toml").write_text(
        '[[report]]\nnotebook = "hello"\nparams = [{label = "one"}, {label = "two"}]\n\n'
        '[[report]]\nnotebook = "chart"\n'
    )
    return tmp_path


def run(project: Path, **kw):
    return {r.key: r for r in build(project, jobs=kw.pop("jobs", 2), progress=False, **kw)}


def test_build_writes_reports_index_and_manifest(project):
    results = run(project)
    assert {k: r.status for k, r in results.items()} == {
        "hello/label-one": "ok",
        "hello/label-two": "ok",
        "chart/default": "ok",
    }
    reports = project / "reports"
    assert "hello one" in (reports / "hello" / "label-one.ipynb").read_text()
    html = (reports / "chart" / "default.html").read_text()
    assert (
        'class="ukc-plot-data"' in html and '<h3 class="ukc-figure-title">Test chart</h3>' in html
    )
    assert "a,2" not in html and (reports / "chart" / "default" / "figure-1.csv").is_file()
    assert "Test source" in (reports / "chart" / "default" / "figure-1.csv").read_text("utf-8-sig")
    assert '<script src="../assets/plotly.min.js">' in html
    assert (reports / "assets" / "plotly.min.js").stat().st_size > 1_000_000
    manifest = json.loads((reports / "manifest.json").read_text())
    entry = manifest["reports"]["hello/label-two"]
    assert entry["params"] == {"label": "two"} and entry["html"] == "hello/label-two.html"
    assert entry["status"] == "ok" and entry["fingerprint"] and entry["built_at"]
    index = (reports / "index.html").read_text()
    for key in results:
        assert f'href="{key}.html"' in index
    assert "Label: two" in index and "data_dictionary.html" in index
    assert (reports / "data_dictionary.html").is_file()


def test_unchanged_reports_are_skipped_and_changes_rebuild(project):
    run(project)
    before = (project / "reports" / "hello" / "label-one.html").stat().st_mtime_ns
    assert {r.status for r in run(project).values()} == {"skipped"}
    assert (project / "reports" / "hello" / "label-one.html").stat().st_mtime_ns == before
    notebook(project / "notebooks" / "chart.ipynb", "print('changed')")
    statuses = {k: r.status for k, r in run(project).items()}
    assert statuses == {
        "hello/label-one": "skipped",
        "hello/label-two": "skipped",
        "chart/default": "ok",
    }


def test_a_table_edit_rebuilds_only_the_reports_that_read_it(project, data_copy):
    from helpers import edit_cell

    notebook(project / "notebooks" / "norm.ipynb", "from ukcyber.data import load\nload('norms')")
    notebook(
        project / "notebooks" / "sector.ipynb",
        "from ukcyber.data import load\nload('sector_statistics')",
    )
    toml = project / "reports.toml"
    toml.write_text(
        toml.read_text() + '\n[[report]]\nnotebook = "norm"\n\n[[report]]\nnotebook = "sector"\n'
    )
    run(project)
    manifest = json.loads((project / "reports" / "manifest.json").read_text())
    tables = {key: entry["tables"] for key, entry in manifest["reports"].items()}
    assert tables["norm/default"] == ["norms"] and tables["sector/default"] == ["sector_statistics"]
    assert tables["hello/label-one"] == [] and tables["chart/default"] == []

    edit_cell(data_copy, "norms", 0, "short_name", "Edited by a test")
    statuses = {k: r.status for k, r in run(project).items()}
    assert statuses == {
        "hello/label-one": "skipped",
        "hello/label-two": "skipped",
        "chart/default": "skipped",
        "norm/default": "ok",
        "sector/default": "skipped",
    }
    # A notebook that starts reading another table changes its own source: it rebuilds, and
    # from then on the other table's edits reach it.
    notebook(
        project / "notebooks" / "sector.ipynb",
        "from ukcyber.data import load\nload('sector_statistics')\nload('norms')",
    )
    assert run(project)["sector/default"].status == "ok"
    edit_cell(data_copy, "norms", 0, "short_name", "Edited again")
    statuses = {k: r.status for k, r in run(project).items()}
    assert {k for k, v in statuses.items() if v == "ok"} == {"norm/default", "sector/default"}


def test_unknown_tables_count_the_whole_package(project, data_copy):
    from helpers import edit_cell

    run(project)
    path = project / "reports" / "manifest.json"
    manifest = json.loads(path.read_text())
    for entry in manifest["reports"].values():
        del entry["tables"]  # a manifest written before tables were recorded
    path.write_text(json.dumps(manifest))
    assert {r.status for r in run(project).values()} == {"ok"}
    assert {r.status for r in run(project).values()} == {"skipped"}
    edit_cell(data_copy, "norms", 0, "short_name", "Edited by a test")
    assert {r.status for r in run(project).values()} == {"skipped"}


def test_force_rebuilds_all_and_only_selects(project):
    run(project)
    assert {r.status for r in run(project, force=True).values()} == {"ok"}
    selected = run(project, force=True, only="label-two")
    assert list(selected) == ["hello/label-two"]
    with pytest.raises(BuildError, match="matches no report"):
        run(project, only="nothing-matches")


def test_failure_keeps_last_good_report_and_other_reports_build(project):
    run(project)
    good = (project / "reports" / "chart" / "default.html").read_bytes()
    notebook(project / "notebooks" / "chart.ipynb", "raise RuntimeError('deliberate failure')")
    notebook(project / "notebooks" / "hello.ipynb", "print('new hello', label)")
    results = run(project)
    assert results["chart/default"].status == "failed"
    assert "deliberate failure" in results["chart/default"].error
    assert results["hello/label-one"].status == "ok"
    assert (project / "reports" / "chart" / "default.html").read_bytes() == good
    failed_nb = project / "reports" / "_failed" / "chart" / "default.ipynb"
    assert "deliberate failure" in failed_nb.read_text()
    assert "deliberate failure" in (failed_nb.parent / "default.error.txt").read_text()
    manifest = json.loads((project / "reports" / "manifest.json").read_text())
    entry = manifest["reports"]["chart/default"]
    assert (
        entry["status"] == "failed" and entry["last_good"] and entry["html"] == "chart/default.html"
    )
    index = (project / "reports" / "index.html").read_text()
    assert (
        "Failed at the last build, showing the last good version: RuntimeError: deliberate failure"
    ) in index
    assert not list((project / "reports").rglob("*.tmp")) and not list(
        (project / "reports").rglob(".*.run.ipynb")
    )


def test_dead_kernel_fails_one_report_only(project):
    notebook(project / "notebooks" / "chart.ipynb", "import os\nos._exit(1)")
    results = run(project)
    assert results["chart/default"].status == "failed"
    assert (
        "Dead" in results["chart/default"].error or "died" in results["chart/default"].error.lower()
    )
    assert results["hello/label-one"].status == "ok"


def test_cli_exit_codes(project, capsys):
    assert main(["build", "--project", str(project), "--no-progress"]) == 0
    notebook(project / "notebooks" / "hello.ipynb", "1/0")
    assert main(["build", "--project", str(project), "--no-progress"]) == 1
    err = capsys.readouterr().err
    assert "FAILED hello/label-one: ZeroDivisionError" in err
    assert main(["build", "--project", str(project), "--jobs", "0"]) == 2


@contextlib.contextmanager
def read_only(folder: Path):
    """Make ``folder`` read-only even for root (chattr +i), or by mode for other users."""
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(folder)], check=True)
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
    else:
        folder.chmod(0o500)
        try:
            yield
        finally:
            folder.chmod(0o755)


def test_read_only_reports_folder_fails_clearly_and_keeps_reports(project):
    run(project)
    reports = project / "reports"
    before = {p: p.read_bytes() for p in reports.rglob("*") if p.is_file()}
    with read_only(reports):
        with pytest.raises(BuildError, match=f"reports folder {reports} is not writable"):
            build(project, force=True, progress=False)
        assert main(["build", "--project", str(project), "--force", "--no-progress"]) == 2
    assert {p: p.read_bytes() for p in reports.rglob("*") if p.is_file()} == before


def test_unwritable_reports_folder_is_a_clear_error(project):
    with pytest.raises(BuildError, match="is not writable"):
        build(project, reports=Path("/proc/ukcyber-reports"), progress=False)
    assert main(["build", "--project", str(project), "--reports", "/proc/ukcyber-reports"]) == 2


def test_invalid_data_builds_nothing(project, data_copy, capsys):
    path = data_copy / "norms.csv"
    path.write_text(path.read_text().replace(",1,", ",one,", 1))
    assert main(["build", "--project", str(project), "--no-progress"]) == 2
    assert "invalid data, nothing built" in capsys.readouterr().err
    assert not (project / "reports" / "index.html").exists()


def test_missing_kernel_is_a_clear_error(project):
    with pytest.raises(BuildError, match="kernel 'no-such-kernel' is not installed"):
        build(project, kernel="no-such-kernel", progress=False)


@pytest.mark.parametrize(
    "toml, message",
    [
        ('[[report]]\nnotebook = "missing"\n', "notebook .*missing.ipynb not found"),
        ('[[report]]\ntitle = "x"\n', r"\[\[report\]\] #1: missing key 'notebook'"),
        ('[[report]]\nnotebook = "hello"\ncolour = 1\n', "unknown key 'colour'; valid keys"),
        ("[[report]\n", "invalid TOML"),
        (
            '[[report]]\nnotebook = "hello"\ngrid = {label = "data:nope"}\n',
            "unknown grid source 'data:nope'",
        ),
        ('[[report]]\nnotebook = "hello"\n[[report]]\nnotebook = "hello"\n', "listed twice"),
    ],
)
def test_bad_matrix_is_rejected(project, toml, message):
    (project / "reports.toml").write_text(toml)
    with pytest.raises(BuildError, match=message):
        load_matrix(project / "reports.toml")


def test_grid_from_data_expands_every_value(project):
    (project / "reports.toml").write_text(
        '[[report]]\nnotebook = "hello"\ngrid = {label = "data:themes"}\n'
    )
    jobs = load_matrix(project / "reports.toml")
    from ukcyber.options import themes

    assert [j.params["label"] for j in jobs] == themes()
    assert len({j.slug for j in jobs}) == len(jobs)


def test_slugify():
    assert slugify({}) == "default"
    assert slugify({"region": "London and the South East", "year": 2023}) == (
        "region-london-and-the-south-east__year-2023"
    )


def test_atomic_write_never_leaves_a_half_written_file(tmp_path, monkeypatch):
    target = tmp_path / "report.html"
    atomic_write(target, "old complete report")

    def crash(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(atomic.os, "replace", crash)
    with pytest.raises(BuildError, match=f"cannot write {target}: disk full"):
        atomic_write(target, "new report that never lands")
    assert target.read_text() == "old complete report"
    assert os.listdir(tmp_path) == ["report.html"]


def test_reverting_a_failed_report_skips_it_cleanly(project):
    run(project)
    good = (project / "notebooks" / "chart.ipynb").read_bytes()
    notebook(project / "notebooks" / "chart.ipynb", "raise RuntimeError('temporary')")
    assert run(project)["chart/default"].status == "failed"
    (project / "notebooks" / "chart.ipynb").write_bytes(good)
    results = run(project)
    assert {r.status for r in results.values()} == {"skipped"}
    assert "FAILED" not in (project / "reports" / "index.html").read_text()


def test_only_keeps_the_other_reports_in_the_index(project):
    run(project)
    run(project, force=True, only="chart")
    manifest = json.loads((project / "reports" / "manifest.json").read_text())
    assert set(manifest["reports"]) == {"hello/label-one", "hello/label-two", "chart/default"}
    assert manifest["reports"]["hello/label-one"]["status"] == "ok"
    assert 'href="hello/label-two.html"' in (project / "reports" / "index.html").read_text()
    with pytest.raises(BuildError, match="not a valid regular expression"):
        run(project, only="chart[")


def test_pdfs_are_printed_for_rebuilt_reports_and_linked(project, monkeypatch):
    from ukcyber.site import pdf

    if pdf.find_chromium() is None:
        pytest.skip("chromium not installed")
    results = run(project, pdf=True)
    reports = project / "reports"
    assert results["chart/default"].pdf == "chart/default.pdf"
    data = (reports / "chart" / "default.pdf").read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 5_000
    assert '<a href="default.pdf">' in (reports / "chart" / "default.html").read_text()
    manifest = json.loads((reports / "manifest.json").read_text())
    assert manifest["reports"]["chart/default"]["pdf"] == "chart/default.pdf"
    assert 'href="chart/default.pdf"' in (reports / "index.html").read_text()
    # unchanged: kept, not printed again
    before = (reports / "chart" / "default.pdf").stat().st_mtime_ns
    assert run(project, pdf=True)["chart/default"].pdf == "chart/default.pdf"
    assert (reports / "chart" / "default.pdf").stat().st_mtime_ns == before
    # rebuilt without PDFs: the old PDF would no longer match the page, so it goes
    assert run(project, force=True)["chart/default"].pdf == ""
    assert not (reports / "chart" / "default.pdf").exists()
    assert ".pdf" not in (reports / "index.html").read_text()


def test_without_chromium_the_build_says_so_and_goes_on(project, monkeypatch, capsys):
    from ukcyber.site import pdf

    monkeypatch.setattr(pdf, "find_chromium", lambda: None)
    results = run(project, pdf=True)
    assert {r.status for r in results.values()} == {"ok"}
    err = capsys.readouterr().err
    assert err.count("PDFs skipped: Chromium not found") == 1
    assert not list((project / "reports").rglob("*.pdf"))
    assert ".pdf" not in (project / "reports" / "chart" / "default.html").read_text()


def test_cli_no_pdf_skips_printing(project, capsys):
    assert main(["build", "--project", str(project), "--no-progress", "--no-pdf"]) == 0
    assert "PDFs skipped (--no-pdf)" in capsys.readouterr().err
    assert not list((project / "reports").rglob("*.pdf"))
