"""The query API (ukcyber.evidence): tidy answers with readable citations and clear errors."""

from __future__ import annotations

import re

import pytest
from helpers import edit_cell, find_row
from ukcyber import evidence
from ukcyber.data import load
from ukcyber.errors import ParameterError


def test_series_has_every_figure_with_preferred_marked_and_citations():
    rows = evidence.series("employment")
    stats = load("sector_statistics")
    expected = stats[(stats["metric"] == "employment") & (stats["geography"] == "UK")]
    assert sorted(rows["id"]) == sorted(expected["id"])
    shown = [c for c in evidence.SERIES_COLUMNS if c != "series_name"]
    assert list(rows.columns[: len(shown)]) == shown
    assert rows["year"].is_monotonic_increasing
    preferred = rows[rows["preferred"]]
    assert not preferred.duplicated(["period"]).any()
    assert (rows.loc[~rows["preferred"], "not_preferred_because"].str.len() > 0).all()
    assert set(rows["title"]) == {"Cyber security sector employment"}
    assert rows["citation"].str.len().gt(20).all()


def test_bounds_stay_bounds_in_words():
    rows = evidence.series("revenue", alternatives=False)
    bound = rows[rows["qualifier"] == "more_than"]
    assert len(bound) and bound["figure"].str.startswith("more than ").all()
    assert set(evidence.series("revenue", alternatives=False)["preferred"]) == {True}


def test_year_and_basis_filters():
    rows = evidence.series("revenue", years=(2020, 2021))
    assert set(rows["year"]) <= {2020, 2021} and len(rows)
    observed = evidence.series("global_security_spending", "World", basis="observed")
    assert set(observed["basis"]) == {"observed"}
    with pytest.raises(ParameterError, match="did you mean 'forecast'"):
        evidence.series("revenue", basis="forcast")


def test_a_metric_can_be_named_by_its_title():
    by_title = evidence.series("Sector revenue")
    assert list(by_title["id"]) == list(evidence.series("revenue")["id"])


def test_a_place_other_than_the_uk():
    rows = evidence.series("active_firms", "Wales")
    assert set(rows["geography"]) == {"Wales"} and len(rows)
    assert set(rows["table"]) == {"regional"}


def test_citations_name_document_and_words_never_ids_or_files():
    ids = set(load("sources")["source_id"])
    for rows in (evidence.series("employment"), evidence.recommendations(theme="all")):
        for text in rows["citation"]:
            assert not any(i in text for i in ids), text
            assert ".txt" not in text and not re.search(r"\bline \d", text), text
            assert "“" in text


def test_cite_a_press_report_of_official_statistics():
    row = evidence.series("employment").iloc[0]
    text = evidence.cite(row)
    assert text.startswith("Cyber Security Sectoral Analysis 2021, as reported by ITPro, “")
    assert f"printed as “{row['as_printed']}”" in text
    assert text.endswith(row["source_url"])


def test_cite_a_source_without_an_address():
    rows = evidence.norm_figures("13b")
    assert rows["citation"].str.endswith("(No public web address is known.)").all()
    assert rows["citation"].str.startswith("Foreign & Commonwealth Office, “").all()


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: evidence.series("employmnet"), "did you mean 'employment'"),
        (lambda: evidence.series("jobs"), "did you mean 'employment' (Cyber security sector"),
        (lambda: evidence.series("qwxzv"), "unknown metric 'qwxzv'; valid: "),
        (lambda: evidence.series("employment", "Walse"), "did you mean 'Wales'"),
        (lambda: evidence.series("employment", "United Kingdom"), "the data call it 'UK'"),
        (lambda: evidence.series("revenue", "Wales"), "no figures for 'Wales'; places with"),
        (lambda: evidence.recommendations(theme="skils"), "unknown theme 'skils'"),
        (lambda: evidence.recommendations(instrument="fundng"), "did you mean 'funding'"),
        (lambda: evidence.recommendations(country="Japn"), "did you mean 'Japan'"),
        (lambda: evidence.recommendations(document="Cybersecuronomix"), "'Cybersecuronomics'"),
        (lambda: evidence.norm_figures("13z"), "unknown norm '13z'"),
        (lambda: evidence.ranks("Narnia"), "unknown country 'Narnia'"),
    ],
)
def test_unknown_names_get_one_clear_error(call, message):
    with pytest.raises(ParameterError) as info:
        call()
    assert message in str(info.value)
    assert "Traceback" not in str(info.value)


def test_find_uses_synonyms_titles_and_printed_words():
    assert "employment" in set(evidence.find("jobs")["metric"])
    assert "gva" in set(evidence.find("GVA")["metric"])
    assert "gva" in set(evidence.find("gross value added")["metric"])
    assert "mean_advertised_salary" in set(evidence.find("pay")["metric"])
    found = evidence.find("46,683")
    assert "employment" in set(found["metric"])
    assert found.set_index("metric").at["employment", "matched"] == "printed as “46,683”"
    assert evidence.find("jobs")["matched"].iloc[0] == "title"


def test_find_matches_whole_words_only():
    ai = evidence.find("AI")
    assert len(ai)
    for text in ai["title"] + " " + ai["description"]:
        assert re.search(r"\b(AI|artificial)", text, re.I), text
    assert evidence.find("zzzz nothing").empty


def test_recommendations_filters_narrow_and_keep_document_order():
    everything = evidence.recommendations()
    assert len(everything) == len(load("recommendations"))
    japan = evidence.recommendations(country="Japan")
    assert len(japan) and japan["countries"].str.contains("Japan").all()
    doc = evidence.recommendations(document="Cybersecuronomics", instrument="procurement")
    assert set(doc["document"]) == {"Cybersecuronomics"} and set(doc["instrument"]) == {
        "procurement"
    }
    assert list(doc["id"]) == sorted(doc["id"])
    skills = evidence.recommendations(words="skills")
    assert len(skills) and skills["summary"].str.contains("skill", case=False).all()


def test_norm_figures_by_id_paragraph_or_name():
    by_id = evidence.norm_figures("13b")
    assert list(evidence.norm_figures("13(b)")["id"]) == list(by_id["id"])
    assert list(evidence.norm_figures("Weigh full context of incidents")["id"]) == list(by_id["id"])
    measures = load("norm_measures")
    assert sorted(by_id["id"]) == sorted(measures.loc[measures["norm_id"] == "13b", "id"])


def test_latest_is_the_last_preferred_observed_dated_figure():
    row = evidence.latest("active_firms")
    rows = evidence.series("active_firms", alternatives=False, basis="observed")
    assert row["year"] == rows["year"].max() and bool(row["preferred"])


def test_results_display_escaped_with_linked_sources(data_copy):
    line = find_row(data_copy, "sector_statistics", metric="employment", geography="UK")
    edit_cell(data_copy, "sector_statistics", line, "caveat", "<script>alert(1)</script>")
    html = evidence.series("employment")._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<a href="https://' in html
    # no id column: a cell that is just a row id or a source id (data text may mention ids)
    assert not re.search(r">\s*sec-[\w-]+\s*<", html)
    assert not any(f">{s}<" in html for s in load("sources")["source_id"])
    assert "<caption" in html and "Cyber security sector employment, UK" in html


def test_pandas_operations_keep_the_evidence_display():
    rows = evidence.series("employment")
    narrowed = rows[rows["preferred"]]
    assert isinstance(narrowed, evidence.Evidence)
    assert "<table>" in narrowed._repr_html_()
    bare = narrowed[["year", "value"]]
    assert "year" in bare._repr_html_()


def test_metrics_and_places_list_what_can_be_asked():
    table = evidence.metrics()
    assert set(table["metric"]) == {
        m for name in evidence.FIGURE_TABLES for m in load(name)["metric"]
    }
    assert "Wales" in evidence.places("active_firms") and "UK" in evidence.places()


def test_the_examples_in_the_docstrings_run():
    import doctest

    result = doctest.testmod(evidence, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 10 and result.failed == 0


def test_series_of_several_producers_are_named_for_a_reader():
    rows = evidence.series("cyber_exports")
    names = set(rows["series_name"])
    assert "UK cyber security exports, DIT (formerly UKTI DSO)" in names
    assert not any("_" in n for n in names)
