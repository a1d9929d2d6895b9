"""What changed between two snapshots of the data: rows added, removed and edited by field."""

from __future__ import annotations

from helpers import edit_cell, find_row, read_rows, write_rows
from ukcyber.changes import Change, changed_tables, diff, snapshot, summary


def test_an_unchanged_package_has_no_changes(data_copy):
    assert diff(snapshot(data_copy), snapshot(data_copy)) == []


def test_an_edited_cell_is_named_by_table_row_field_old_and_new(data_copy):
    before = snapshot(data_copy)
    row = find_row(data_copy, "regional", geography="Wales", metric="mean_advertised_salary")
    old_value = read_rows(data_copy / "regional.csv")[1][row]["value"]
    edit_cell(data_copy, "regional", row, "value", "99999")
    row_id = read_rows(data_copy / "regional.csv")[1][row]["id"]
    assert diff(before, snapshot(data_copy)) == [
        Change("regional", row_id, "changed", "value", old_value, "99999")
    ]


def test_added_and_removed_rows_and_several_edits_to_one_row(data_copy):
    before = snapshot(data_copy)
    path = data_copy / "norms.csv"
    header, rows = read_rows(path)
    removed = rows.pop(0)
    added = dict(rows[0], norm_id="13z")
    rows[0] = dict(rows[0], short_name="Renamed", as_printed="Renamed too")
    write_rows(path, header, rows + [added])
    changes = diff(before, snapshot(data_copy))
    kinds = [(c.table, c.row, c.kind, c.field) for c in changes]
    assert kinds == [
        ("norms", rows[0]["norm_id"], "changed", "short_name"),
        ("norms", rows[0]["norm_id"], "changed", "as_printed"),
        ("norms", "13z", "added", ""),
        ("norms", removed["norm_id"], "removed", ""),
    ]
    assert summary(changes) == {"norms": {"added": 1, "removed": 1, "changed": 1}}
    assert changed_tables(changes) == {"norms"}


def test_rewriting_a_file_without_changing_its_cells_is_not_a_change(data_copy):
    before = snapshot(data_copy)
    path = data_copy / "partnerships.csv"
    header, rows = read_rows(path)
    write_rows(path, header, rows)  # same cells, possibly other quoting
    assert diff(before, snapshot(data_copy)) == []


def test_a_new_table_lists_all_its_rows_as_added():
    old = {"a": {"1": {"x": "1"}}}
    new = {"a": {"1": {"x": "1"}}, "b": {"k": {"y": "2"}, "m": {"y": "3"}}}
    assert diff(old, new) == [Change("b", "k", "added"), Change("b", "m", "added")]
    assert diff(new, old) == [Change("b", "k", "removed"), Change("b", "m", "removed")]
