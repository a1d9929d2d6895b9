"""Notebook parameters: documented for papermill, validated with messages that list valid values."""

from __future__ import annotations

import subprocess
import sys

import papermill as pm
import pytest
from helpers import REPO
from ukcyber import options

pytestmark = pytest.mark.kernel

NOTEBOOKS = REPO / "notebooks"
EXPECTED_PARAMETERS = {
    "sector_overview": {"start_year", "end_year"},
    "exports_and_market": {"series", "currency"},
    "regional_investment": {"region", "year"},
    "recommendations": {"theme", "actor", "instrument", "country"},
    "norms_implementation": {"norm"},
    "country_briefing": {"country"},
    "explore": {"dataset", "metric"},
}


def run(notebook: str, tmp_path, **parameters):
    return pm.execute_notebook(
        str(NOTEBOOKS / f"{notebook}.ipynb"),
        str(tmp_path / f"{notebook}.ipynb"),
        parameters=parameters,
        kernel_name="ukcyber",
        progress_bar=False,
        cwd=str(NOTEBOOKS),
    )


def failure(notebook: str, tmp_path, **parameters) -> str:
    with pytest.raises(pm.PapermillExecutionError) as info:
        run(notebook, tmp_path, **parameters)
    assert info.value.ename == "ParameterError"
    return info.value.evalue


def test_every_notebook_is_covered_and_documents_its_parameters():
    assert {p.stem for p in NOTEBOOKS.glob("*.ipynb")} == set(EXPECTED_PARAMETERS)
    for name, expected in EXPECTED_PARAMETERS.items():
        found = pm.inspect_notebook(str(NOTEBOOKS / f"{name}.ipynb"))
        assert set(found) == expected, name
        for parameter in found.values():
            assert parameter["help"], f"{name}.{parameter['name']} has no help comment"


def test_help_notebook_shows_parameters():
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "papermill",
            "--help-notebook",
            str(NOTEBOOKS / "regional_investment.ipynb"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    assert "region: str" in out and "region for the briefing" in out
    assert "year:" in out and '"all"' in out


@pytest.mark.parametrize(
    "notebook, parameters, message",
    [
        (
            "regional_investment",
            {"region": "Atlantis"},
            "region='Atlantis' is not valid; valid values: Belfast,",
        ),
        ("regional_investment", {"region": 7}, "region=7 must be text (str), not int"),
        ("regional_investment", {"region": None}, "region=None must be text (str), not NoneType"),
        (
            "regional_investment",
            {"region": "Wales", "year": 1066},
            "year=1066 is not valid; valid values: all, 2021",
        ),
        (
            "country_briefing",
            {"country": "Atlantis"},
            "country='Atlantis' is not valid; valid values: ASEAN,",
        ),
        (
            "recommendations",
            {"theme": "Cheese"},
            "theme='Cheese' is not valid; valid values: all, ",
        ),
        (
            "recommendations",
            {"instrument": "tariffs"},
            "instrument='tariffs' is not valid; valid values: all, funding,",
        ),
        (
            "norms_implementation",
            {"norm": "13z"},
            "norm='13z' is not valid; valid values: all, 13a, 13b",
        ),
        (
            "exports_and_market",
            {"currency": "BTC"},
            "currency='BTC' is not valid; valid values: GBP, USD",
        ),
        (
            "sector_overview",
            {"start_year": "2019"},
            "start_year='2019' must be a whole number (int), not str",
        ),
        (
            "sector_overview",
            {"start_year": 2024, "end_year": 2020},
            "start_year=2024 must be before end_year=2020",
        ),
        (
            "explore",
            {"dataset": "secrets"},
            "dataset='secrets' is not valid; valid values: exports_and_market,",
        ),
    ],
)
def test_bad_parameters_fail_in_the_validation_cell(tmp_path, notebook, parameters, message):
    assert message in failure(notebook, tmp_path, **parameters)


def test_valid_lists_in_messages_come_from_the_data(tmp_path):
    evalue = failure("country_briefing", tmp_path, country="Narnia")
    for country in options.countries():
        assert country in evalue
