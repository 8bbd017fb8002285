"""Benchmark areas and values on SQLite and PostgreSQL: import, versions, audit, all-or-nothing."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from data_loaders import schema as s
from data_loaders.benchmarks_store import (
    benchmark_areas,
    fingertips_parts,
    known_areas,
    read_benchmark_values,
    set_fingertips_indicator,
    set_group_members,
    store_benchmark_values,
)
from data_loaders.comparators_file import check_comparators_file
from data_loaders.database import file_checksum, make_engine, read_register, seed_register, upgrade
from data_loaders.workbook import DEFAULT_REGISTER_PATH

REPO_ROOT = Path(__file__).resolve().parents[2]
HEADER = "code,part,area,period,value,count,denominator,lower_95,upper_95,lower_998,upper_998,source"
GOOD = "NI 117,,England,2009/10 Q3,50.0,50,100,40.38,59.62,,,ONS table A (example)"
TABLES = [s.benchmark_values, s.benchmark_areas, s.benchmark_group_members, s.loads, s.audit_log]


@pytest.fixture
def engine(database_url):
    engine = make_engine(database_url)
    upgrade(engine)
    seed_register(engine, DEFAULT_REGISTER_PATH)
    yield engine
    engine.dispose()


def _snapshot(engine) -> dict[str, list]:
    with engine.connect() as conn:
        return {t.name: sorted(map(tuple, conn.execute(select(t))), key=repr) for t in TABLES}


def _import(engine, text: str, name: str = "comparators.csv"):
    register = read_register(engine, include_demo=False)
    data = text.encode()
    check = check_comparators_file(register, data, name, known_areas(engine), fingertips_parts(engine))
    if check.ok:
        return check, store_benchmark_values(engine, check.rows, file_name=name,
                                             checksum=file_checksum(data), submitted_by="analyst")
    return check, None


def test_default_benchmark_areas_are_england_region_gb_and_an_empty_neighbour_group(engine):
    areas = benchmark_areas(engine).set_index("name")
    assert list(areas.index) == ["England", "East of England", "Great Britain", "Statistical neighbours"]
    assert areas.loc["Statistical neighbours", "kind"] == "neighbour_group"
    assert areas.loc["Statistical neighbours", "members"] == []
    assert "CIPFA" in areas.loc["Statistical neighbours", "notes"]


def test_import_stores_values_then_a_changed_value_is_a_new_version_with_audit(engine):
    check, result = _import(engine, f"{HEADER}\n{GOOD}\n")
    assert check.ok, check.errors
    assert result["values"] == 1
    _, again = _import(engine, f"{HEADER}\n{GOOD}\n")
    assert again["values"] == 0  # the same value is not stored twice
    corrected = GOOD.replace("50.0,50,100,40.38,59.62", "51.0,51,100,41.35,60.55")
    _, changed = _import(engine, f"{HEADER}\n{corrected}\n")
    assert changed["values"] == 1
    with engine.connect() as conn:
        versions = [r.version for r in conn.execute(select(s.benchmark_values.c.version))]
        actions = [r.action for r in conn.execute(select(s.audit_log.c.action)
                                                  .where(s.audit_log.c.entity == "benchmark_value"))]
    assert sorted(versions) == [1, 2]
    assert actions == ["benchmark_value_imported", "benchmark_value_corrected"]
    current = read_benchmark_values(engine)
    assert current["value"].tolist() == [51.0]


@pytest.mark.parametrize(("row", "column", "message"), [
    (GOOD.replace("England", "Narnia"), "area", "unknown area 'Narnia'"),
    (GOOD.replace("NI 117", "NI 999"), "code", "unknown indicator code 'NI 999'"),
    (GOOD.replace("40.38,59.62", "51.00,59.62"), "lower_95", "not around the value"),
    (GOOD.replace("50,100", "150,100"), "count", "more than the denominator"),
    (GOOD.replace("2009/10 Q3", "2012/13 Q3"), "period", "outside Luton LAA 2008-11"),
    (GOOD.replace("50.0,50,100", "inf,50,100"), "value", "not a finite number"),
    (GOOD.replace("50.0,50,100,40.38,59.62", "150,,,,"), "value", "not a percentage"),
    (GOOD.replace("50.0,50,100", "55.0,50,100"), "value", "does not agree with count 50"),
    (GOOD.replace("ONS table A (example)", ""), "source", "the source is missing"),
])
def test_a_refused_file_names_row_and_column_and_leaves_the_database_unchanged(engine, row, column, message):
    _import(engine, f"{HEADER}\n{GOOD.replace('2009/10 Q3', '2009/10 Q2')}\n")
    before = _snapshot(engine)
    check, result = _import(engine, f"{HEADER}\n{GOOD.replace('2009/10 Q3', '2009/10 Q1')}\n{row}\n")
    assert result is None
    assert any(e.row == 3 and e.column == column and message in e.message for e in check.errors), check.errors
    assert _snapshot(engine) == before


def test_stated_comparator_values_are_benchmark_values(engine):
    # GB 74.3 (NI 151) and England 12.3 (NI 152), 001_7c62a6d3c6b93d0e.txt lines 247-248
    values = read_benchmark_values(engine, read_register(engine, include_demo=False))
    got = {(r.code, r.area): r.value for r in values.itertuples()}
    assert got[("NI 151", "Great Britain")] == 74.3
    assert got[("NI 152", "England")] == 12.3


def test_an_xlsx_comparators_file_is_read_from_its_first_sheet(engine):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Comparators"
    ws.append(HEADER.split(","))
    ws.append(["NI 117", None, "England", "2009/10 Q3", 50.0, 50, 100, 40.38, 59.62, None, None, "ONS"])
    buffer = io.BytesIO()
    wb.save(buffer)
    register = read_register(engine, include_demo=False)
    check = check_comparators_file(register, buffer.getvalue(), "c.xlsx", known_areas(engine))
    assert check.ok, check.errors
    assert check.rows.iloc[0]["lower_95"] == 40.38


def test_a_fingertips_download_is_read_where_the_register_maps_the_indicator(engine):
    set_fingertips_indicator(engine, "Luton LAA 2008-11", "NI 117", "", 93203,
                             source="Fingertips", actor="admin")
    csv_text = ("Indicator ID,Indicator Name,Area Code,Area Name,Area Type,Time period,Value,"
                "Lower CI 95.0 limit,Upper CI 95.0 limit,Count,Denominator\n"
                "93203,NEET,E92000001,England,England,2009/10,50.0,40.38,59.62,50,100\n"
                "93203,NEET,E12000006,East of England region,Region,2009/10,50.0,40.38,59.62,50,100\n"
                "93203,NEET,E06000032,Luton,UA,2009/10,50.0,40.38,59.62,50,100\n")
    check, result = _import(engine, csv_text, "fingertips.csv")
    assert check.ok, check.errors
    assert result["values"] == 2
    assert check.warnings == ["1 rows for areas that are not benchmark areas were left out"]
    assert set(read_benchmark_values(engine)["area"]) == {"England", "East of England"}


def test_a_fingertips_indicator_the_register_does_not_map_is_refused(engine):
    before = _snapshot(engine)
    check, result = _import(engine, "Indicator ID,Area Name,Time period,Value\n12345,England,2009/10,5\n",
                            "fingertips.csv")
    assert result is None
    assert check.errors[0].row == 2 and "not mapped" in check.errors[0].message
    assert _snapshot(engine) == before


def test_neighbour_group_members_are_edited_with_source_and_reason_then_take_values(engine):
    with pytest.raises(ValueError, match="source"):
        set_group_members(engine, "Statistical neighbours", [("Slough", "")], actor="admin", reason="x")
    set_group_members(engine, "Statistical neighbours", [("Slough", "CIPFA 2019 list")],
                      actor="admin", reason="agreed at the sub-group")
    assert benchmark_areas(engine).set_index("name").loc["Statistical neighbours", "members"] == ["Slough"]
    check, result = _import(engine, f"{HEADER}\n{GOOD.replace('England', 'Slough')}\n")
    assert check.ok and result["values"] == 1


def test_import_comparators_command_exits_0_then_2_for_a_bad_file(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite'}", "DEMO_DATA": "off"}
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(f"{HEADER}\n{GOOD}\n")
    bad.write_text(f"{HEADER}\n{GOOD.replace('England', 'Narnia')}\n")

    def run(path):
        return subprocess.run([sys.executable, "manage.py", "import-comparators", str(path)],
                              cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120)

    ok = run(good)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("imported good.csv: 1 benchmark values, 1 stored")
    refused = run(bad)
    assert refused.returncode == 2
    assert "row 2, column 'area': unknown area 'Narnia'" in refused.stderr


def test_rag_command_compares_a_return_with_its_counts_against_the_benchmark(tmp_path):
    import csv

    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite'}", "DEMO_DATA": "off"}

    def run(*args):
        done = subprocess.run([sys.executable, "manage.py", *args], cwd=REPO_ROOT, env=env,
                              capture_output=True, text=True, timeout=180)
        assert done.returncode == 0, done.stderr
        return done

    template = tmp_path / "q3.xlsx"
    run("template", "--period", "2009/10 Q3", "--out", str(template))
    wb = openpyxl.load_workbook(template)
    ws = wb["Returns"]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == "NI 117":  # NEET, lower is better: 67 of 1,000 is 6.7% (5.31% to 8.42%)
            for column, value in (("value", 6.7), ("numerator", 67), ("denominator", 1000)):
                row[header.index(column)].value = value
    wb.save(template)
    run("import-returns", str(template))
    comparators = tmp_path / "england.csv"
    comparators.write_text(f"{HEADER}\nNI 117,,England,2009/10 Q2,9.0,,,,,,,illustrative England value\n")
    run("import-comparators", str(comparators))
    out = run("rag", "--period", "2009/10 Q3", "--benchmark", "England").stdout
    neet = next(r for r in csv.DictReader(io.StringIO(out)) if r["code"] == "NI 117")
    assert (neet["count"], neet["denominator"]) == ("67.0", "1000.0")
    assert float(neet["lower_95"]) == pytest.approx(5.31, abs=0.01)
    assert neet["benchmark"] == "England" and neet["benchmark_value"] == "9.0"
    assert neet["compared_with_benchmark"] == "Better than benchmark"  # England above the interval
