"""The loader: good data loads typed; each kind of bad data gives one clear DataError."""

from __future__ import annotations

import json
import os

import pytest
from helpers import edit_cell, find_row, read_rows, write_rows
from ukcyber import csv_problems
from ukcyber import data as data_module
from ukcyber.data import DataError, catalog, data_dir, load, validate


def problems_of(folder) -> list[str]:
    with pytest.raises(DataError) as info:
        validate(folder, use_cache=False)
    return [str(p) for p in info.value.problems]


def test_the_loader_records_every_table_read(data_copy):
    from ukcyber.changes import snapshot
    from ukcyber.data import forget_tables_read, tables_read, typed_tables

    forget_tables_read()
    validate(data_copy, use_cache=False)
    assert tables_read() == []  # validation reads every table for the checks, not for a report
    load("sources")
    load("norms")
    load("sources")
    assert tables_read() == ["norms", "sources"]
    forget_tables_read()
    assert tables_read() == []
    data_module.resource("regional", data_copy)
    assert tables_read() == ["regional"]
    forget_tables_read()
    names = sorted(r["name"] for r in data_module.descriptor(data_copy)["resources"])
    typed_tables(data_copy)
    assert tables_read() == names
    forget_tables_read()
    catalog(data_copy)
    assert tables_read() == names
    forget_tables_read()
    snapshot(data_copy)
    assert tables_read() == names
    forget_tables_read()


def test_load_returns_typed_tables():
    stats = load("sector_statistics")
    assert len(stats) >= 20
    assert stats["value"].dtype == "float64"
    assert str(stats["year"].dtype) == "Int64"
    firms = stats[
        (stats["metric"] == "active_firms") & (stats["source_id"] == "cybersecuronomics_2023")
    ]
    assert firms["value"].tolist() == [1979.0]
    assert firms["as_printed"].tolist() == ["1,979"]


def test_catalog_lists_every_table_with_row_counts():
    cat = catalog()
    meta = json.loads((data_dir() / "datapackage.json").read_text())
    assert set(cat["name"]) == {r["name"] for r in meta["resources"]}
    assert (cat.set_index("name").loc["sources", "rows"]) == len(load("sources"))
    assert cat["title"].str.len().min() > 0


def test_unknown_table_lists_valid_names():
    with pytest.raises(KeyError, match="valid tables: .*sector_statistics"):
        load("no_such_table")


def test_text_in_numeric_cell_names_file_row_and_field(data_copy):
    line = edit_cell(data_copy, "sector_statistics", 3, "value", "abc")
    found = problems_of(data_copy)
    assert any(p.startswith(f"sector_statistics.csv:{line}:value — found 'abc'") for p in found), (
        found
    )
    assert any("expected type number" in p for p in found)


def test_load_raises_for_bad_data(data_copy):
    edit_cell(data_copy, "regional", 0, "year", "twenty")
    with pytest.raises(
        DataError, match=r"regional.csv:2:year — found 'twenty', expected type integer"
    ):
        load("regional")


def test_every_problem_reported_at_once(data_copy):
    edit_cell(data_copy, "sector_statistics", 0, "value", "x")
    edit_cell(data_copy, "sector_statistics", 5, "qualifier", "roughly")
    found = problems_of(data_copy)
    assert any(":2:value" in p for p in found)
    assert any(":7:qualifier — found 'roughly'" in p and "enum" in p for p in found)


def test_missing_file(data_copy):
    (data_copy / "regional.csv").unlink()
    assert problems_of(data_copy) == [
        "regional.csv:-:- — found no such file, expected the CSV named in datapackage.json"
    ]


def test_empty_file(data_copy):
    (data_copy / "norms.csv").write_text("")
    found = problems_of(data_copy)
    assert found == ["norms.csv:-:- — found an empty file, expected a header row and data rows"]


def test_wrong_header(data_copy):
    path = data_copy / "partnerships.csv"
    text = path.read_text(encoding="utf-8").replace("partnership,", "programme,", 1)
    path.write_text(text, encoding="utf-8")
    found = problems_of(data_copy)
    assert (
        "partnerships.csv:1:partnership — found header 'programme', expected header 'partnership' (datapackage.json)"
        in found
    )


def test_extra_column(data_copy):
    path = data_copy / "norms.csv"
    header, rows = read_rows(path)
    for row in rows:
        row["extra"] = "1"
    write_rows(path, header + ["extra"], rows)
    found = problems_of(data_copy)
    assert any(p.startswith("norms.csv:1:extra") for p in found), found


def test_bad_encoding(data_copy):
    path = data_copy / "sources.csv"
    path.write_bytes(path.read_bytes().replace("Hüsch".encode(), "Hüsch".encode("latin-1")))
    found = problems_of(data_copy)
    assert found == ["sources.csv:5:- — found byte 0xfc, which is not UTF-8, expected UTF-8 text"]


def test_duplicate_primary_key(data_copy):
    first = read_rows(data_copy / "norms.csv")[1][0]["norm_id"]
    line = edit_cell(data_copy, "norms", 1, "norm_id", first)
    found = problems_of(data_copy)
    assert any(
        p.startswith(f"norms.csv:{line}:norm_id — found a duplicate primary key") for p in found
    ), found


def test_dangling_foreign_key(data_copy):
    line = edit_cell(data_copy, "regional", 2, "source_id", "no_such_source")
    found = problems_of(data_copy)
    assert any(
        p
        == f"regional.csv:{line}:source_id — found 'no_such_source', expected a source_id present in sources.csv"
        for p in found
    ), found


def test_a_mistyped_metric_gets_a_did_you_mean(data_copy):
    row = find_row(data_copy, "sector_statistics", metric="revenue")
    line = edit_cell(data_copy, "sector_statistics", row, "metric", "revenu")
    assert (
        f"sector_statistics.csv:{line}:metric — found 'revenu', expected a metric present in "
        "metrics.csv (did you mean 'revenue'?)"
    ) in problems_of(data_copy)


def test_a_place_in_the_wrong_case_names_the_canonical_name(data_copy):
    row = find_row(data_copy, "regional", geography="Wales")
    line = edit_cell(data_copy, "regional", row, "geography", "wales")
    assert (
        f"regional.csv:{line}:geography — found 'wales', expected a name present in "
        "geographies.csv (did you mean 'Wales'?)"
    ) in problems_of(data_copy)


def test_closest_names_need_a_near_spelling():
    assert csv_problems.closest("revenu", ["revenue", "employment"]) == ["revenue"]
    assert csv_problems.closest("Île-de-France", ["Ile de France", "Wales"]) == ["Ile de France"]
    assert csv_problems.closest("zzz", ["revenue", "employment"]) == []


def test_missing_data_package(tmp_path):
    with pytest.raises(DataError, match="no such file"):
        validate(tmp_path)


def test_corrupt_data_package(data_copy):
    (data_copy / "datapackage.json").write_text("{not json")
    with pytest.raises(DataError, match="datapackage.json.*invalid JSON"):
        validate(data_copy)


def test_validation_is_cached_by_content(data_copy, monkeypatch):
    digest = validate(data_copy)
    calls = []
    monkeypatch.setattr(
        csv_problems, "frictionless_problems", lambda folder, meta: calls.append(1) or []
    )
    assert validate(data_copy) == digest
    assert calls == [], "an unchanged package was validated again"
    os.utime(data_copy / "norms.csv")
    assert validate(data_copy) == digest
    assert calls == [], "touching a file without changing it re-validated"
    edit_cell(data_copy, "sector_statistics", 0, "note", "changed")
    assert validate(data_copy) != digest
    assert calls == [1], "a changed package was not validated"


def test_empty_text_cells_load_as_empty_strings_not_missing_values():
    recs = load("recommendations")
    text_columns = [c for c in recs.columns if recs[c].dtype == "string"]
    assert "comparator_countries" in text_columns
    for column in text_columns:
        assert not recs[column].isna().any(), column
    assert (recs["comparator_countries"] == "").any()


def test_locator_pattern_enforced(data_copy):
    row = find_row(data_copy, "sector_statistics", source_id="cybersecuronomics_2023")
    line = edit_cell(data_copy, "sector_statistics", row, "locator", "page 4")
    found = problems_of(data_copy)
    assert any(p.startswith(f"sector_statistics.csv:{line}:locator") for p in found), found


@pytest.mark.parametrize(
    "value",
    ["NaN", "nan", "inf", "-inf", "Infinity", "1_979", "١٩٧٩", "１９７９", "1e3", "+5", " 5", ".5"],
)
def test_numbers_that_are_not_plain_decimals_are_data_errors(data_copy, value):
    line = edit_cell(data_copy, "sector_statistics", 3, "value", value)
    assert (
        f"sector_statistics.csv:{line}:value — found {value!r}, expected a plain decimal number (like 1979 or -0.5)"
        in problems_of(data_copy)
    )


def test_a_number_too_long_to_store_exactly_is_a_data_error(data_copy):
    line = edit_cell(data_copy, "sector_statistics", 3, "value", "1" + "0" * 400)
    assert (
        f"sector_statistics.csv:{line}:value — found '10000000000000000000…' (401 significant "
        "digits), expected a plain decimal number of at most 15 digits, stored exactly"
    ) in problems_of(data_copy)
    edit_cell(data_copy, "sector_statistics", 3, "value", "3.14159265358979323846")
    assert any(
        ":value — found '3.14159265358979323846' (21 significant" in p
        for p in problems_of(data_copy)
    )
    edit_cell(data_copy, "sector_statistics", 3, "value", "123456789012.345")
    edit_cell(data_copy, "sector_statistics", 3, "as_printed", "123,456,789,012.345")
    validate(data_copy, use_cache=False)  # 15 significant digits load exactly


def test_non_ascii_digits_in_an_integer_field_are_data_errors(data_copy):
    line = edit_cell(data_copy, "regional", 0, "year", "２０２３")
    assert (
        f"regional.csv:{line}:year — found '２０２３', expected a plain whole number (like 1979)"
        in problems_of(data_copy)
    )


def test_rows_are_csv_lines_after_a_quoted_field_with_embedded_newlines(data_copy):
    path = data_copy / "sector_statistics.csv"
    header, rows = read_rows(path)
    rows[0]["note"] = "first line\nsecond line\nthird line"
    rows[4]["value"] = "abc"
    rows[6]["value"] = "1_979"
    write_rows(path, header, rows)
    lines = path.read_text(encoding="utf-8").splitlines()
    abc = next(i for i, text in enumerate(lines, start=1) if ",abc," in text)
    underscore = next(i for i, text in enumerate(lines, start=1) if ",1_979," in text)
    assert (abc, underscore) == (8, 10)  # record numbers would be 6 and 8
    found = problems_of(data_copy)
    assert any(p.startswith(f"sector_statistics.csv:{abc}:value — found 'abc'") for p in found), (
        found
    )
    assert any(
        p.startswith(f"sector_statistics.csv:{underscore}:value — found '1_979'") for p in found
    )


def test_cross_table_problems_are_located_by_csv_line_after_embedded_newlines(data_copy):
    path = data_copy / "sector_statistics.csv"
    header, rows = read_rows(path)
    rows[0]["note"] = "two\nlines"
    share = next(i for i, r in enumerate(rows) if r["unit"] == "percent")
    rows[share]["value"] = "175"
    write_rows(path, header, rows)
    assert any(
        p.startswith(f"sector_statistics.csv:{share + 3}:value — found 175 percent")
        for p in problems_of(data_copy)
    )


def test_one_trailing_blank_line_is_harmless(data_copy):
    path = data_copy / "norms.csv"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    validate(data_copy, use_cache=False)
    assert len(load("norms", data_copy)) == len(read_rows(path)[1])


def test_validation_stamp_is_keyed_on_the_checks_source(data_copy, monkeypatch, tmp_path):
    import shutil

    validate(data_copy)
    library = tmp_path / "lib"
    library.mkdir()
    shutil.copytree(data_module.LIBRARY / "checks", library / "checks")
    for name in ("data.py", "datapackage.py", "csv_problems.py", "units.py"):
        shutil.copy(data_module.LIBRARY / name, library / name)
    monkeypatch.setattr(data_module, "LIBRARY", library)
    validate(data_copy)  # same sources: the stamp is found again
    new_check = [data_module.Problem("norms.csv", 2, "norm_id", "'13a'", "a new rule")]
    monkeypatch.setattr(data_module, "run_checks", lambda tables, files: new_check)
    validate(data_copy)  # the checks' source unchanged: the stamp still says valid
    (library / "checks" / "rules.py").write_text("# a new module of checks\n")
    with pytest.raises(DataError, match="norms.csv:2:norm_id — found '13a', expected a new rule"):
        validate(data_copy)


def _descriptor_problems(folder, change) -> list[str]:
    path = folder / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(change(package)), encoding="utf-8")
    with pytest.raises(DataError) as info:
        load("norms", folder)
    return [str(p).split(":", 1)[1] for p in info.value.problems]


def _without_schema(package):
    del package["resources"][3]["schema"]
    return package


def _escaping_path(package):
    package["resources"][2]["path"] = "../outside.csv"
    package["resources"][4]["schema"]["fields"][0]["type"] = 3
    return package


def _twice(package):
    package["resources"][2]["name"] = package["resources"][1]["name"]
    return package


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda package: [], ["-:- — found list [], expected a JSON object"]),
        (_without_schema, ["-:resources[3].schema — found nothing, expected a value (required)"]),
        (
            _escaping_path,
            [
                "-:resources[2].path — found str '../outside.csv', expected a CSV file name in "
                "the data folder (like regional.csv)",
                "-:resources[4].schema.fields[0].type — found int 3, expected text",
            ],
        ),
        (
            _twice,
            ["-:resources — found resources named 'metrics' twice, expected one resource per name"],
        ),
    ],
)
def test_a_data_package_of_the_wrong_shape_says_where(data_copy, change, expected):
    assert _descriptor_problems(data_copy, change) == expected


def test_a_header_with_spaces_around_a_name_is_a_data_error_not_a_crash(data_copy):
    path = data_copy / "sector_statistics.csv"
    path.write_text(" id" + path.read_text(encoding="utf-8")[2:], encoding="utf-8")
    found = problems_of(data_copy)
    assert found == [
        "sector_statistics.csv:1:id — found header ' id' (spaces around the name), expected header 'id'"
    ]


def test_an_empty_required_cell_says_the_field_is_required(data_copy):
    edit_cell(data_copy, "sector_statistics", 0, "unit", "")
    found = problems_of(data_copy)
    assert found == [
        "sector_statistics.csv:2:unit — found an empty cell, expected a value (this field is required)"
    ]
