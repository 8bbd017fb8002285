"""Counts and denominators on returns (issue 14): stored with the value, checked against it."""

from __future__ import annotations

import io

import openpyxl
import pytest

from data_loaders.benchmarks_store import own_series
from data_loaders.database import make_engine, read_register, seed_register, store_returns, upgrade
from data_loaders.returns_file import build_template, check_returns_file
from tests.builders import FW, write_register
from tests.db.test_database import _snapshot

PERIOD = "2009/10 Q3"


@pytest.fixture
def engine(database_url, tmp_path):
    engine = make_engine(database_url)
    upgrade(engine)
    seed_register(engine, write_register(tmp_path / "indicators.xlsx"))
    yield engine
    engine.dispose()


def _filled(register, values: dict, drop_counts: bool = False) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(build_template(register, FW, PERIOD)))
    ws = wb["Returns"]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        for column, value in values.get((row[0].value, row[1].value or ""), {}).items():
            row[header.index(column)].value = value
    if drop_counts:  # a template made before the count columns
        ws.delete_cols(header.index("numerator") + 1, 2)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_numerator_and_denominator_are_stored_with_the_value(engine):
    register = read_register(engine)
    data = _filled(register, {("NI 117", ""): {"value": 6.7, "numerator": 67, "denominator": 1000}})
    check = check_returns_file(register, data, "r.xlsx")
    assert check.ok, check.errors
    store_returns(engine, check.rows, file_name="r.xlsx", checksum="x", submitted_by="officer")
    series = own_series(engine, read_register(engine))
    row = series[(series["code"] == "NI 117") & (series["period"] == PERIOD)].iloc[0]
    assert (row["value"], row["numerator"], row["denominator"]) == (6.7, 67.0, 1000.0)


@pytest.mark.parametrize(("counts", "column", "message"), [
    # 66 of 1,000 is 6.6%, not the 6.7 written (to one decimal place)
    ({"numerator": 66, "denominator": 1000}, "value", "6.7 does not agree with numerator 66 and "
                                                      "denominator 1000, which give 6.60"),
    ({"numerator": 1200, "denominator": 1000}, "numerator", "is more than the denominator 1000"),
    ({"numerator": 67, "denominator": 0}, "denominator", "must be above 0"),
    ({"numerator": "many", "denominator": 1000}, "numerator", "is text where a number is required"),
])
def test_counts_that_disagree_with_the_value_are_refused_and_nothing_changes(engine, counts, column,
                                                                              message):
    register = read_register(engine)
    before = _snapshot(engine)
    data = _filled(register, {("NI 117", ""): {"value": 6.7, **counts}})
    check = check_returns_file(register, data, "r.xlsx")
    assert not check.ok
    assert any(e.column == column and message in e.message for e in check.errors), check.errors
    assert _snapshot(engine) == before


def test_a_template_without_the_count_columns_is_still_read(engine):
    register = read_register(engine)
    data = _filled(register, {("NI 117", ""): {"value": 6.7}}, drop_counts=True)
    check = check_returns_file(register, data, "old.xlsx")
    assert check.ok, check.errors
    assert check.rows.iloc[0]["numerator"] != check.rows.iloc[0]["numerator"]  # NaN: not given
