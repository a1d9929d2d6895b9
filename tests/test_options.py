"""Parameter options read from the data."""

from __future__ import annotations

import pytest
from helpers import add_geography, edit_cell, find_row, read_rows, write_rows
from ukcyber import options
from ukcyber.data import load


@pytest.mark.parametrize("name", sorted(options.OPTIONS))
def test_every_option_list_is_sorted_non_empty_text(name):
    values = options.OPTIONS[name]()
    assert values, name
    assert all(isinstance(v, str) for v in values), name
    assert values == sorted(values), name
    assert len(values) == len(set(values)), name
    assert all(v.strip() for v in values), name


def test_regions_are_uk_places_with_figures_of_their_own():
    regional, geographies = load("regional"), load("geographies").set_index("name")
    found = options.regions()
    assert "UK" not in found
    assert {"London", "Wales", "Scotland", "Northern Ireland", "Belfast"} <= set(found)
    single = set(regional.loc[regional["n_regions"] == 1, "geography"])
    assert set(found) <= single
    assert {geographies.at[name, "type"] for name in found} <= options.UK_PLACE_TYPES
    multi_only = set(regional.loc[regional["n_regions"] > 1, "geography"]) - single
    assert multi_only, "the data should have at least one multi-region row"
    assert not multi_only & set(found)


def test_groupings_are_never_listed_as_regions():
    groupings = options.region_groupings()
    assert "London and the South East" in groupings
    assert not set(groupings) & set(options.regions())
    assert options.regional_geographies() == sorted(options.regions() + groupings)
    geographies = load("geographies").set_index("name")
    assert {geographies.at[name, "type"] for name in groupings} == {"grouping"}


def test_geography_labels_name_groupings_and_cities():
    assert options.geography_label("London and the South East") == (
        "London and the South East (grouping)"
    )
    assert options.geography_label("Belfast") == "Belfast (city)"
    assert options.geography_label("Lancashire") == "Lancashire (county)"
    assert options.geography_label("London") == "London"
    assert options.geography_label("Wales") == "Wales"
    assert options.geography_type("South West") == "itl1_region"
    assert options.geography_type("Wales") == "nation"
    with pytest.raises(KeyError, match="unknown geography 'Atlantis'; valid geographies: "):
        options.geography_type("Atlantis")


def test_regions_follow_the_data(data_copy):
    index = find_row(data_copy, "regional", id="reg-ref-045")
    add_geography(data_copy, "Testshire", "county", "North West")
    edit_cell(data_copy, "regional", index, "geography", "Testshire")
    assert "Testshire" in options.regions()
    assert options.geography_label("Testshire") == "Testshire (county)"


def test_a_new_grouping_is_listed_as_a_grouping(data_copy):
    index = find_row(data_copy, "regional", id="reg-ref-045")
    add_geography(data_copy, "The North and Wales", "grouping", "UK")
    edit_cell(data_copy, "regional", index, "geography", "The North and Wales")
    assert "The North and Wales" in options.region_groupings()
    assert "The North and Wales" not in options.regions()


def test_major_themes_respect_the_minimum():
    counts = load("recommendations")["theme"].value_counts()
    for minimum in (1, 3, 5, 10):
        found = options.major_themes(minimum)
        assert found == sorted(t for t, n in counts.items() if n >= minimum), minimum
    assert options.major_themes() == options.major_themes(5)
    assert options.major_themes(1) == options.themes()
    assert options.major_themes(int(counts.max()) + 1) == []
    assert len(options.major_themes(5)) < len(options.themes())


def _name_country(folder, country: str, times: int) -> None:
    """Make ``times`` recommendation rows name ``country`` as a partner."""
    path = folder / "recommendations.csv"
    header, rows = read_rows(path)
    for row in rows[:times]:
        row["partner_countries"] = "; ".join(filter(None, [row["partner_countries"], country]))
    write_rows(path, header, rows)


def test_a_country_named_three_times_becomes_a_partner_country(data_copy):
    add_geography(data_copy, "Ruritania", "country", "World")
    add_geography(data_copy, "Freedonia", "country", "World")
    _name_country(data_copy, "Ruritania", 3)
    _name_country(data_copy, "Freedonia", 2)
    assert "Ruritania" in options.partner_countries()
    assert "Freedonia" not in options.partner_countries()
    assert "Freedonia" in options.partner_countries(minimum_rows=2)
    assert {"Ruritania", "Freedonia"} <= set(options.countries())
    assert {"Japan", "United States"} <= set(options.partner_countries())
    assert options.partner_countries(10_000) == []


def test_countries_cover_partnerships_and_rankings():
    found = set(options.countries())
    assert set(load("partnerships")["country"]) <= found
    assert set(load("cyber_power_rankings")["country"]) <= found
    assert not any(";" in name for name in found)


def test_new_themes_actors_instruments_and_series_appear_in_the_options(data_copy):
    edit_cell(data_copy, "recommendations", 0, "theme", "A theme nobody used before")
    edit_cell(data_copy, "recommendations", 1, "actor", "A new actor")
    assert "A theme nobody used before" in options.themes()
    assert "A new actor" in options.actors()
    assert {"funding", "regulation", "skills"} <= set(options.instruments())
    first_series = read_rows(data_copy / "exports_and_market.csv")[1][0]["series"]
    assert first_series in options.series()


def test_ranked_countries_offer_only_countries_with_a_stated_rank():
    from ukcyber import analysis

    ranks = load("cyber_power_rankings")
    ranked = options.ranked_countries()
    assert "ASEAN" in options.countries() and "ASEAN" not in ranked
    for country in ranked:
        assert analysis.latest_rank(ranks[ranks["country"] == country]) is not None, country
    unranked = set(options.countries()) - set(ranked)
    for country in unranked:
        assert analysis.latest_rank(ranks[ranks["country"] == country]) is None, country
