"""reports.toml as a typed model: every mistake is one BuildError naming file, entry and key.

Fast tests: no kernel starts. The notebooks are tiny JSON files.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ukcyber.build import load_matrix, slugify
from ukcyber.build.jobs import SLUG_LIMIT
from ukcyber.build.matrix import check_notebooks, expand, read
from ukcyber.errors import BuildError


def write_notebook(path: Path, params: str | None = "label = 'x'\nyear: int = 2020") -> None:
    cells = [{"cell_type": "markdown", "metadata": {}, "source": "# T"}]
    if params is not None:
        meta = {"tags": ["parameters"]}
        cells.append(
            {
                "cell_type": "code",
                "metadata": meta,
                "source": params,
                "outputs": [],
                "execution_count": None,
            }
        )
    nb = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb))


@pytest.fixture
def project(tmp_path) -> Path:
    write_notebook(tmp_path / "notebooks" / "hello.ipynb")
    write_notebook(tmp_path / "notebooks" / "untagged.ipynb", params=None)
    return tmp_path


def matrix_error(project: Path, toml: str) -> str:
    (project / "reports.toml").write_text(toml, encoding="utf-8")
    with pytest.raises(BuildError) as info:
        load_matrix(project / "reports.toml")
    return str(info.value)


HELLO = '[[report]]\nnotebook = "hello"\n'


@pytest.mark.parametrize(
    "toml, message",
    [
        ("", "reports.toml: no [[report]] tables; an empty matrix builds nothing"),
        ("# nothing\n", "no [[report]] tables"),
        ('[[reports]]\nnotebook = "hello"\n', "unknown key 'reports' (did you mean 'report'?)"),
        (
            '[report]\nnotebook = "hello"\n',
            "report: found a table {'notebook': 'hello'}, expected a list of [[report]] tables",
        ),
        ("report = [1]\n", "[[report]] #1: found a whole number 1, expected a table"),
        (
            HELLO + 'params = {label = "x"}\n',
            "params: found a table {'label': 'x'}, expected a list of tables, e.g. params = [{region = \"Wales\"}]",
        ),
        (HELLO + 'params = ["a"]\n', "params[0]: found text 'a', expected a list of tables"),
        (HELLO + "params = [1]\n", "params[0]: found a whole number 1, expected a list of tables"),
        (HELLO + "params = []\n", "params: is empty; expected a list of tables"),
        (HELLO + 'grid = ["a"]\n', "grid: found a list ['a'], expected a table of lists"),
        (HELLO + "grid = {label = []}\n", "grid.label: is an empty list: it would build no report"),
        (
            HELLO + "grid = {label = 5}\n",
            "grid.label: found a whole number, expected a list of values or 'data:<name>'",
        ),
        (
            "[[report]]\nnotebook = 5\n",
            "[[report]] #1, notebook: found a whole number 5, expected text",
        ),
        ("[[report]]\nnotebook = true\n", "notebook: found true/false True, expected text"),
        ("[[report]]\nnotebook = 1.5\n", "notebook: found a number 1.5, expected text"),
        ("[[report]]\ntitle = 'x'\n", "[[report]] #1: missing key 'notebook'"),
        (HELLO + "title = 2024-01-01\n", "title: found a date 2024-01-01, expected text"),
        (HELLO + "title = ''\n", "title: is empty; expected text"),
        (HELLO + 'title = "a\\nb"\n', "title: found 'a\\nb', expected one line of text"),
        (
            HELLO + "params = [{label = 2024-01-01}]\n",
            "params[0].label: found a date 2024-01-01, expected text, a whole number, a number or true/false",
        ),
        (
            HELLO + "params = [{label = {x = 1}}]\n",
            "params[0].label: found a table {'x': 1}, expected text",
        ),
        (HELLO + "params = [{label = [1]}]\n", "params[0].label: found a list [1], expected text"),
        (
            HELLO + "params = [{label = nan}]\n",
            "params[0].label: found nan, expected a finite number",
        ),
        (
            HELLO + "params = [{label = inf}]\n",
            "params[0].label: found inf, expected a finite number",
        ),
        (
            HELLO + "colour = 1\n",
            "[[report]] #1 (notebook \"hello\"): unknown key 'colour'; valid keys: notebook, title, description, params, grid",
        ),
        (HELLO + "titel = 'x'\n", "unknown key 'titel' (did you mean 'title'?)"),
        (HELLO + "[report.extra]\nx = 1\n", "unknown key 'extra'"),
        ("[[report\n", "invalid TOML"),
    ],
)
def test_malformed_matrix_is_one_error_naming_entry_and_key(project, toml, message):
    assert message in matrix_error(project, toml)


@pytest.mark.parametrize(
    "name",
    ["../notebooks/hello", "/etc/passwd", "sub/hello", ".hidden", "_failed", "assets", "a b", ""],
)
def test_notebook_outside_notebooks_folder_is_rejected(project, name):
    message = matrix_error(project, f'[[report]]\nnotebook = "{name}"\n')
    assert "expected the name of a notebook in notebooks/" in message
    assert "[[report]] #1" in message


def test_notebook_name_with_suffix_says_how_to_fix_it(project):
    message = matrix_error(project, '[[report]]\nnotebook = "hello.ipynb"\n')
    assert "write the notebook name without .ipynb: 'hello'" in message


@pytest.mark.parametrize(
    "name",
    ["__import__('os').system('echo x')", "a b", "1x", "class", "label;x", "x=1"],
)
def test_parameter_name_holding_code_is_rejected(project, name):
    message = matrix_error(project, HELLO + f"params = [{{{json.dumps(name)} = 1}}]\n")
    assert "is not a Python identifier" in message and "params[0]" in message


def test_misspelt_parameter_name_is_rejected_with_the_declared_names(project):
    message = matrix_error(project, HELLO + 'params = [{regoin = "Scotland"}]\n')
    assert message == (
        "reports.toml: [[report]] #1 (notebook \"hello\"): unknown parameter 'regoin'; "
        "its parameters cell declares: label, year"
    )
    assert "did you mean 'label'?" in matrix_error(project, HELLO + 'params = [{labl = "x"}]\n')
    assert "unknown parameter 'regoin'" in matrix_error(
        project, HELLO + 'grid = {regoin = ["a"]}\n'
    )


def test_parameters_for_a_notebook_without_parameters_cell_are_rejected(project):
    message = matrix_error(project, '[[report]]\nnotebook = "untagged"\nparams = [{label = "x"}]\n')
    assert "has no cell tagged 'parameters', so its defaults would overwrite them" in message
    (project / "reports.toml").write_text('[[report]]\nnotebook = "untagged"\n')
    assert [j.key for j in load_matrix(project / "reports.toml")] == ["untagged/default"]


@pytest.mark.parametrize(
    "content, message",
    [
        (b"{not json", "is not a Jupyter notebook (invalid JSON"),
        (b"\xff\xfe", "is not a Jupyter notebook (invalid JSON"),
        (b"[]", "is not a Jupyter notebook (no list of cells)"),
        (b'{"cells": 5}', "is not a Jupyter notebook (no list of cells)"),
    ],
)
def test_notebook_that_is_not_a_notebook_is_a_clear_error(project, content, message):
    (project / "notebooks" / "hello.ipynb").write_bytes(content)
    assert message in matrix_error(project, HELLO)


def test_unreadable_or_missing_notebook_is_a_clear_error(project, monkeypatch):
    assert "notebooks/nope.ipynb not found" in matrix_error(
        project, '[[report]]\nnotebook = "nope"\n'
    )
    (project / "notebooks" / "folder.ipynb").mkdir()
    assert "is a folder" in matrix_error(project, '[[report]]\nnotebook = "folder"\n')

    def denied(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", denied)
    assert "cannot read notebook" in matrix_error(project, HELLO)
    assert "Permission denied" in matrix_error(project, HELLO)


def test_reports_toml_that_is_a_folder_or_not_text_is_a_clear_error(project):
    (project / "reports.toml").mkdir()
    with pytest.raises(BuildError, match="is a folder, expected a TOML file"):
        read(project / "reports.toml")
    (project / "reports.toml").rmdir()
    (project / "reports.toml").write_bytes(b"\xff\xfe")
    with pytest.raises(BuildError, match="not UTF-8"):
        read(project / "reports.toml")


def test_reports_toml_saved_with_a_byte_order_mark_reads_normally(project):
    text = '[[report]]\nnotebook = "hello"\ntitle = "Hello"\n'
    (project / "plain.toml").write_text(text, encoding="utf-8")
    (project / "marked.toml").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert read(project / "marked.toml") == read(project / "plain.toml")


def test_repeated_report_is_rejected_and_equal_slugs_get_distinct_hashed_names(project):
    assert "listed twice ([[report]] #1, same parameters)" in matrix_error(
        project, HELLO + "params = [{}, {}]\n"
    )
    assert "listed twice ([[report]] #1 and #2" in matrix_error(project, HELLO + HELLO)
    (project / "reports.toml").write_text(HELLO + 'params = [{label = "a b"}, {label = "a-b"}]\n')
    jobs = load_matrix(project / "reports.toml")
    assert len({j.key for j in jobs}) == 2
    assert all(j.slug.startswith("label-a-b-") for j in jobs)


def test_parameter_also_in_grid_is_rejected(project):
    message = matrix_error(project, HELLO + 'params = [{label = "x"}]\ngrid = {label = ["a"]}\n')
    assert "params[0].label is also a grid axis; set it once" in message


def test_unknown_grid_source_names_entry_and_lists_valid_sources(project):
    message = matrix_error(project, HELLO + 'grid = {label = "data:nope"}\n')
    assert (
        'reports.toml: [[report]] #1 (notebook "hello"), grid.label: unknown grid source' in message
    )
    assert "data:regions" in message


def test_grid_source_without_values_is_rejected(project):
    spec = read_spec(project, HELLO + 'grid = {label = "data:empty"}\n')
    with pytest.raises(BuildError, match="grid.label: 'data:empty' gives no values"):
        expand(spec, "reports.toml", lambda source: [])


def read_spec(project: Path, toml: str):
    (project / "reports.toml").write_text(toml)
    spec = read(project / "reports.toml")
    check_notebooks(spec, project / "notebooks", "reports.toml")
    return spec


def test_typed_values_titles_and_descriptions_reach_the_jobs(project):
    spec = read_spec(
        project,
        HELLO + 'title = "Hello"\ndescription = "One sentence."\n'
        'params = [{}, {label = "Île", year = 2024}]\n',
    )
    jobs = expand(spec, "reports.toml", lambda source: [])
    assert [(j.key, j.title, j.description) for j in jobs] == [
        ("hello/default", "Hello", "One sentence."),
        ("hello/label-ile__year-2024", "Hello: Île, 2024", "One sentence."),
    ]
    assert jobs[1].params == {"label": "Île", "year": 2024}


def test_long_parameter_values_give_bounded_distinct_slugs():
    long_a, long_b = "x" * 300 + "a", "x" * 300 + "b"
    a, b = slugify({"label": long_a}), slugify({"label": long_b})
    assert len(a) <= SLUG_LIMIT and len(b) <= SLUG_LIMIT and a != b
    assert slugify({}) == "default"
    assert slugify({"region": "London and the South East", "year": 2023}) == (
        "region-london-and-the-south-east__year-2023"
    )
    assert slugify({"flag": True}) == "flag-true"
    assert slugify({"label": "a"}, hashed=True) != slugify({"label": "a"})


def test_the_real_matrix_loads():
    from helpers import REPO

    jobs = load_matrix(REPO / "reports.toml")
    assert len(jobs) == len({j.key for j in jobs}) > 10
