"""Parts of the site build without kernels: ad-hoc parameters, staleness, the changes log."""

from __future__ import annotations

import json

import pytest
from helpers import REPO, edit_cell, find_row
from ukcyber.build import adhoc, history
from ukcyber.build.inputs import ReportInputs, Shared, TableInput
from ukcyber.build.jobs import Job
from ukcyber.build.manifest import Entry, Manifest
from ukcyber.build.notebooks import inspect, parse_parameters
from ukcyber.build.plan import mark
from ukcyber.errors import BuildError
from ukcyber.site.status import status_js

NOTEBOOKS = REPO / "notebooks"


def info(name: str):
    return inspect(NOTEBOOKS / f"{name}.ipynb")


def test_declared_parameters_are_read_with_types_defaults_and_comments():
    found = info("regional_investment").parameters
    assert [(d.name, d.annotation, d.default) for d in found] == [
        ("region", "str", "London and the South East"),
        ("year", "Union[int, str]", "all"),
    ]
    assert parse_parameters("not python (") == ()
    [listed] = parse_parameters("x: str = 'a'  # see the list\nimport os\ny, z = 1, 2\n")
    assert (listed.name, listed.default, listed.comment) == ("x", "a", "see the list")


def test_every_notebook_declares_its_parameters_as_papermill_finds_them():
    from papermill.translators import PythonTranslator

    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        [cell] = [c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", [])]
        papermill = {p.name for p in PythonTranslator.inspect({"source": "".join(cell["source"])})}
        assert info(path.stem).declared == papermill, path.name


def test_every_declared_choice_resolves_to_values_from_the_data():
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        notebook = info(path.stem)
        for name, choices in notebook.choices.items():
            values = adhoc.allowed(path.stem, name, choices)
            assert len(values) >= 2 and ("all" in values) == choices.all, (path.name, name)
    assert set(info("recommendations").choices) == {"theme", "actor", "instrument", "country"}
    assert "13b" in adhoc.allowed("norms", "norm", info("norms_implementation").choices["norm"])


@pytest.mark.parametrize(
    ("meta", "message"),
    [
        (
            {"parameters": {"nope": {"options": "actors"}}},
            "does not declare 'nope'; it declares: label",
        ),
        ({"parameters": {"label": {"option": "actors"}}}, "unknown key 'option'"),
        ({"parameters": {"label": {"all": True}}}, "exactly one of options, column or values"),
        ({"parameters": {"label": {"options": 5}}}, r"label.options: expected the name of a list"),
        ({"parameters": {"label": {"column": "norms"}}}, "expected 'table.column'"),
        ({"parameters": {"label": "actors"}}, "expected a table like"),
        ({"parameters": ["label"]}, "expected a table of parameter names"),
    ],
)
def test_malformed_parameter_metadata_is_one_build_error(tmp_path, meta, message):
    from test_build import notebook

    path = tmp_path / "x.ipynb"
    notebook(path, "print(label)")
    nb = json.loads(path.read_text())
    nb["metadata"]["ukcyber"] = meta
    path.write_text(json.dumps(nb))
    with pytest.raises(BuildError, match=message):
        inspect(path)


def test_a_value_outside_the_declared_list_is_refused_with_the_list(tmp_path, data_copy):
    from ukcyber.build.notebooks import Choices, NotebookInfo, parse_parameters

    cell = parse_parameters("currency: str = 'USD'\nlabel: str = 'x'\n")
    listed = NotebookInfo(
        tmp_path / "x.ipynb",
        b"{}",
        cell,
        {"currency": Choices(values=("USD", "GBP")), "label": Choices(options=("nope",))},
    )
    assert adhoc.check_params("x", listed, {"currency": "GBP"}) == {"currency": "GBP"}
    with pytest.raises(BuildError, match="valid values: USD; GBP"):
        adhoc.check_params("x", listed, {"currency": "EUR"})
    with pytest.raises(BuildError, match="names 'nope', which is not a list of ukcyber.options"):
        adhoc.check_params("x", listed, {"label": "y"})


def test_ad_hoc_values_are_typed_and_checked_against_the_options():
    assert adhoc.check_params(
        "recommendations", info("recommendations"), {"actor": "UK government"}
    ) == {"actor": "UK government"}
    assert adhoc.check_params(
        "sector_overview", info("sector_overview"), {"end_year": "2024", "start_year": "2019"}
    ) == {"start_year": 2019, "end_year": 2024}  # in the cell's order
    assert adhoc.check_params(
        "regional_investment", info("regional_investment"), {"year": "2022"}
    ) == {"year": 2022}


@pytest.mark.parametrize(
    ("notebook", "raw", "message"),
    [
        ("recommendations", {"actr": "x"}, "has no parameter 'actr'; did you mean 'actor'?"),
        ("recommendations", {"theme": "Nope"}, "-p theme='Nope' for recommendations is not valid"),
        ("sector_overview", {"start_year": "abc"}, "expected a whole number"),
    ],
)
def test_ad_hoc_mistakes_are_build_errors(notebook, raw, message):
    with pytest.raises(BuildError, match=message):
        adhoc.check_params(notebook, info(notebook), raw)


def test_assignments_need_a_name_and_an_equals_sign_once():
    assert adhoc.parse_assignments(["actor=UK government", "theme=a=b"]) == {
        "actor": "UK government",
        "theme": "a=b",
    }
    for bad in (["actor"], ["=x"], ["a=1", "a=2"]):
        with pytest.raises(BuildError):
            adhoc.parse_assignments(bad)


def test_ad_hoc_job_reuses_a_matrix_report_or_names_a_new_one():
    matrix = [
        Job("recommendations", {"theme": "all"}, "Recommendations: all", "", "theme-all"),
        Job("norms", {}, "UN GGE norms: UK implementation", "", "default"),
    ]
    assert adhoc.ad_hoc_job("recommendations", {"theme": "all"}, matrix) == (matrix[0], False)
    job, is_ad_hoc = adhoc.ad_hoc_job("recommendations", {"actor": "UK government"}, matrix)
    assert is_ad_hoc and job.title == "Recommendations: UK government"
    assert job.key == "recommendations/actor-uk-government"
    job, _ = adhoc.ad_hoc_job("norms", {"norm": "13b"}, matrix)
    assert job.title == "UN GGE norms: UK implementation: 13b"
    clash = [Job("x", {"a": "b"}, "X: b", "", "a-b-")]
    job, _ = adhoc.ad_hoc_job("x", {"a": "b-"}, [*clash, Job("x", {}, "X", "", "a-b")])
    assert job.slug != "a-b"


def entry(**fields) -> Entry:
    base = {"key": "n/s", "notebook": "n", "slug": "s", "title": "T", "status": "ok"}
    return Entry.model_validate({**base, "html": "n/s.html", "fingerprint": "old", **fields})


NOW = ReportInputs(
    "n1", "s1", (TableInput("norms", "d2", "t"),), "p", (), Shared("l", "k", "k", False)
)


def test_staleness_names_what_changed():
    before = ReportInputs("n1", "s1", (TableInput("norms", "d1", "t"),), "p", (), NOW.shared)
    stale = mark(entry(inputs=before.parts(), fingerprint=before.fingerprint), NOW)
    assert stale.stale and stale.stale_because == ["the data changed"]
    assert not mark(entry(fingerprint=NOW.fingerprint), NOW).stale
    assert mark(entry(), NOW).stale_because == ["its inputs changed since it was built"]
    assert not mark(entry(html=""), NOW).stale  # no page: nothing to mark


def test_status_js_lists_only_reports_that_are_not_current():
    manifest = Manifest(
        reports={
            "a/x": entry(key="a/x", stale=True, stale_because=["the data changed"]),
            "a/y": entry(key="a/y"),
            "a/z": entry(key="a/z", status="failed", error="</script>boom", last_good=True),
        }
    )
    text = status_js(manifest)
    first = text.splitlines()[0]
    data = json.loads(first.removeprefix("window.UKCYBER_STATUS = ").removesuffix(";"))
    assert set(data["reports"]) == {"a/x", "a/z"}
    assert data["reports"]["a/x"] == {"state": "stale", "text": "Out of date: the data changed"}
    assert "</script>" not in first and "textContent" in text


def test_history_records_edits_keeps_a_bounded_log_and_survives_junk(tmp_path, data_copy):
    warnings: list[str] = []
    current, comparison = history.compare(tmp_path, warnings.append)
    assert comparison["first"]
    log = history.record(
        tmp_path,
        current,
        comparison,
        built_at="t0",
        rebuilt=["a"],
        failed=[],
        stale=[],
        warn=warnings.append,
    )
    assert len(log) == 1
    row = find_row(data_copy, "regional", metric="mean_advertised_salary", geography="Wales")
    edit_cell(data_copy, "regional", row, "value", "53200")
    current, comparison = history.compare(tmp_path, warnings.append)
    assert comparison["changes"] == [
        {
            "table": "regional",
            "row": "reg-000-06",
            "kind": "changed",
            "field": "value",
            "old": "52200",
            "new": "53200",
        }
    ]
    for n in range(history.KEEP_BUILDS + 5):
        log = history.record(
            tmp_path,
            current,
            comparison,
            built_at=f"t{n + 1}",
            rebuilt=[],
            failed=[],
            stale=["b"],
            warn=warnings.append,
        )
    assert len(log) == history.KEEP_BUILDS and log[0]["built_at"] == f"t{history.KEEP_BUILDS + 5}"
    # nothing changed and nothing rebuilt: not recorded
    _, same = history.compare(tmp_path, warnings.append)
    assert not same["data_changed"]
    kept = history.record(
        tmp_path,
        current,
        same,
        built_at="later",
        rebuilt=[],
        failed=[],
        stale=[],
        warn=warnings.append,
    )
    assert kept[0]["built_at"] != "later"
    (tmp_path / history.SNAPSHOT).write_text("{not json")
    (tmp_path / history.LOG).write_text("[")
    _, fresh = history.compare(tmp_path, warnings.append)
    assert fresh["first"] and history.read_log(tmp_path, warnings.append) == []
    assert len(warnings) == 2 and all("starting it afresh" in w for w in warnings)
