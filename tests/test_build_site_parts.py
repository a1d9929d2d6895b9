"""Parts of the site build without kernels: ad-hoc parameters, staleness, the changes log."""

from __future__ import annotations

import json

import pytest
from helpers import REPO, edit_cell, find_row
from ukcyber.build import adhoc, history, status
from ukcyber.build.jobs import Job
from ukcyber.build.manifest import Entry, Manifest
from ukcyber.build.notebooks import declared_parameters, inspect
from ukcyber.errors import BuildError
from ukcyber.site.status import status_js

NOTEBOOKS = REPO / "notebooks"


def info(name: str):
    return inspect(NOTEBOOKS / f"{name}.ipynb")


def test_declared_parameters_are_read_with_types_defaults_and_comments():
    found = declared_parameters(info("regional_investment").raw)
    assert [(d.name, d.annotation, d.default) for d in found] == [
        ("region", "str", "London and the South East"),
        ("year", "Union[int, str]", "all"),
    ]
    assert declared_parameters(b"not json") == []


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


INPUTS = {"data": "d2", "notebook": "n1", "settings": "s1", "library": "l1", "lockfile": "k1"}


def test_staleness_names_what_changed():
    recorded = {**INPUTS, "data": "d1"}
    stale = status.mark(entry(inputs=recorded), "new", INPUTS)
    assert stale.stale and stale.stale_because == ["the data changed"]
    assert not status.mark(entry(fingerprint="new"), "new", INPUTS).stale
    assert status.mark(entry(), "new", INPUTS).stale_because == [
        "its inputs changed since it was built"
    ]
    assert not status.mark(entry(html=""), "new", INPUTS).stale  # no page: nothing to mark


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
