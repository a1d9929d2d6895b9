"""What changed, staleness and ad-hoc cuts, on a small project built with the real notebooks.

One module fixture builds three reports, edits one figure in a copy of the data, rebuilds only
the Wales report (``--only``), then builds an ad-hoc cut through the command line. The pages are
then read in headless Chromium from ``file://`` with the network cut off.
"""

from __future__ import annotations

import json
import os
import shutil

import pytest
from helpers import CHROMIUM, CHROMIUM_ARGS, DATA, REPO, edit_cell, find_row
from ukcyber import cli
from ukcyber.build import build

pytestmark = [pytest.mark.kernel, pytest.mark.browser]

if CHROMIUM is None:
    if os.environ.get("CI") == "true":
        pytest.fail("chromium is required under CI=true (make test installs it)", pytrace=False)
    pytest.skip("chromium not installed and could not be installed here", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")

MATRIX = """
[[report]]
notebook = "regional_investment"
title = "Regional concentration"
params = [{region = "Wales"}, {region = "London"}]

[[report]]
notebook = "recommendations"
title = "Recommendations"
params = [{theme = "all"}]
"""
STALE = ["regional_investment/region-london"]
"""Reports that read the edited table and were not rebuilt (recommendations does not read it)."""
AD_HOC = ["build", "--only", "recommendations", "-p", "actor=UK government"]


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    root = tmp_path_factory.mktemp("small")
    project, data = root / "project", root / "data"
    (project / "notebooks").mkdir(parents=True)
    for name in ("regional_investment", "recommendations"):
        shutil.copy(REPO / "notebooks" / f"{name}.ipynb", project / "notebooks")
    (project / "reports.toml").write_text(MATRIX)
    shutil.copytree(DATA, data)
    row = find_row(data, "regional", metric="mean_advertised_salary", geography="Wales")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("UKCYBER_DATA", str(data))
        assert {r.status for r in build(project, jobs=2, progress=False)} == {"ok"}
        edit_cell(data, "regional", row, "value", "53200")  # a correction: value and print
        edit_cell(data, "regional", row, "as_printed", "£53,200")
        results = build(project, jobs=1, progress=False, only="region-wales")
        assert [(r.key, r.status) for r in results] == [("regional_investment/region-wales", "ok")]
        flags = ["--project", str(project), "--no-pdf", "--no-progress", "--jobs", "1"]
        assert cli.main([*AD_HOC, *flags]) == 0
        assert build(project, progress=False, only="region-wales")[0].status == "skipped"
        yield {"project": project, "reports": project / "reports", "flags": flags}


@pytest.fixture(scope="module")
def tab():
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(offline=True, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.seen = []
        page.on("pageerror", lambda e: page.seen.append(str(e)))
        page.on("console", lambda m: page.seen.append(m.text) if m.type == "error" else None)
        yield page
        browser.close()


def open_page(tab, path):
    tab.goto(path.as_uri())
    tab.wait_for_load_state("load")
    assert tab.seen == [], tab.seen
    return tab


def test_changes_page_names_the_edited_value_and_the_rebuilt_report(tab, small):
    page = open_page(tab, small["reports"] / "changes.html")
    sections = page.eval_on_selector_all(".ukc-build-record", "els => els.map(e => e.innerText)")
    edited = [s for s in sections if "53200" in s]
    assert len(edited) == 1, sections
    text = edited[0]
    assert "The data changed: 1 row changed in regional." in text
    row = next(line for line in text.splitlines() if "53200" in line)
    assert row.split("\t") == ["regional", "reg-000-06", "changed", "value", "52200", "53200"]
    rebuilt = text.split("Reports rebuilt in this build (1)")[1]
    assert rebuilt.split("\n")[1].strip() == "Regional concentration: Wales"
    assert "Out of date after this build (1)" in text
    front = open_page(tab, small["reports"] / "index.html").inner_text(".ukc-changed")
    assert "The data changed: 1 row changed in regional. 1 report rebuilt." in front


def test_reports_not_rebuilt_are_out_of_date_on_the_index_and_their_pages(tab, small):
    manifest = json.loads((small["reports"] / "manifest.json").read_text())
    assert sorted(k for k, e in manifest["reports"].items() if e["stale"]) == sorted(STALE)
    page = open_page(tab, small["reports"] / "index.html")
    entries = dict(
        page.eval_on_selector_all(
            ".ukc-entry",
            "els => els.map(e => [e.querySelector('.ukc-entry-title').getAttribute('href'), e.innerText])",
        )
    )
    for key in STALE:
        assert "Out of date: the data changed" in entries[f"{key}.html"]
    assert "Out of date" not in entries["regional_investment/region-wales.html"]
    assert "Out of date" not in entries["recommendations/theme-all.html"]
    assert "built" not in " ".join(entries.values()).lower()
    for key in STALE:
        page = open_page(tab, small["reports"] / f"{key}.html")
        assert page.is_visible(".ukc-banner")
        assert page.inner_text(".ukc-banner").startswith("Out of date: the data changed.")
    page = open_page(tab, small["reports"] / "regional_investment" / "region-wales.html")
    assert page.query_selector(".ukc-banner") is None
    assert "Wales" in page.inner_text("header")


def test_every_page_dates_the_data_apart_from_the_build(tab, small):
    manifest = json.loads((small["reports"] / "manifest.json").read_text())
    for name in (
        "index.html",
        "changes.html",
        "build.html",
        "recommendations.html",
        "regional_investment/region-wales.html",
    ):
        meta = open_page(tab, small["reports"] / name).inner_text(".ukc-meta")
        assert "Data last changed" in meta and "Built" in meta, name
    assert manifest["data_changed_at"] > next(
        e["built_at"] for e in manifest["reports"].values() if e["key"] == STALE[0]
    ).replace(" UTC", "").replace(" ", "T")


def test_an_ad_hoc_cut_is_built_listed_and_kept(tab, small):
    manifest = json.loads((small["reports"] / "manifest.json").read_text())
    entry = manifest["reports"]["recommendations/actor-uk-government"]
    assert entry["ad_hoc"] and entry["params"] == {"actor": "UK government"}
    assert entry["status"] == "ok" and not entry["stale"]
    page = open_page(tab, small["reports"] / "index.html")
    text = page.inner_text("a[href='recommendations/actor-uk-government.html'] >> xpath=..")
    assert "Recommendations: UK government" in text and "AD HOC" in text.upper()
    assert "Actor: UK government" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-p", "actr=UK government"], "has no parameter 'actr'; did you mean 'actor'?"),
        (["-p", "actor=Nobody"], "-p actor='Nobody' for recommendations is not valid"),
        (["-p", "actor"], "expected name=value"),
    ],
)
def test_ad_hoc_mistakes_are_one_message_and_exit_2(small, capsys, args, message):
    before = (small["reports"] / "manifest.json").read_bytes()
    code = cli.main(["build", "--only", "recommendations", *args, *small["flags"]])
    err = capsys.readouterr().err
    assert code == 2 and message in err and "Traceback" not in err
    assert (small["reports"] / "manifest.json").read_bytes() == before
