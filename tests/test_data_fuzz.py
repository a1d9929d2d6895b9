"""Property-based: whatever a CSV contains, the loader raises only its own DataError."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from helpers import DATA
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ukcyber.data import DataError, load, validate

cells = st.one_of(
    st.text(max_size=12),
    st.integers(-(10**6), 10**6).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(
        ["", "exact", "GBP", "percent", "line 12", "cybersecuronomics_2023", "13a", "1e309"]
    ),
)
rows = st.lists(st.lists(cells, min_size=0, max_size=20), min_size=0, max_size=8)
SETTINGS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("fuzz") / "data"
    shutil.copytree(DATA, target)
    return target


def check(folder: Path) -> None:
    try:
        validate(folder, use_cache=False)
        load("norms", folder)
    except DataError as exc:
        assert exc.problems and all(":" in str(p) for p in exc.problems)


@SETTINGS
@given(header_keep=st.booleans(), body=rows)
def test_random_rows_raise_only_data_error(fuzz_dir, header_keep, body):
    path = fuzz_dir / "norm_measures.csv"
    original = (DATA / "norm_measures.csv").read_text(encoding="utf-8")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if header_keep:
        out.write(original.splitlines()[0] + "\n")
    writer.writerows(body)
    path.write_text(out.getvalue(), encoding="utf-8")
    try:
        check(fuzz_dir)
    finally:
        path.write_text(original, encoding="utf-8")


@SETTINGS
@given(blob=st.binary(max_size=400))
def test_random_bytes_raise_only_data_error(fuzz_dir, blob):
    path = fuzz_dir / "partnerships.csv"
    original = (DATA / "partnerships.csv").read_bytes()
    path.write_bytes(blob)
    try:
        check(fuzz_dir)
    finally:
        path.write_bytes(original)
