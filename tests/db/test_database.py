"""The database on SQLite and PostgreSQL: migrations, seeding, round trip, all-or-nothing."""

from __future__ import annotations

import pandas as pd
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from data_loaders import schema as s
from data_loaders.database import make_engine, read_register, seed_register, upgrade
from data_loaders.excel import WorkbookRefused
from data_loaders.workbook import DEFAULT_REGISTER_PATH
from data_loaders.workbook import read_register as read_workbook
from tests.builders import database_at_revision, register_rows, write_register

TABLES = [s.frameworks, s.theme_boards, s.indicators, s.indicator_parts, s.targets, s.areas,
          s.returns, s.settings, s.loads]


def _snapshot(engine) -> dict[str, list[tuple]]:
    """Every row of every table, for before/after comparisons."""
    with engine.connect() as conn:
        return {t.name: sorted(map(tuple, conn.execute(select(t))), key=repr) for t in TABLES}


@pytest.fixture
def engine(database_url):
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


def test_migrations_match_the_schema_module(engine):
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), s.metadata)
    assert diff == []


def test_seed_real_register_round_trips(engine):
    seed_register(engine, DEFAULT_REGISTER_PATH)
    stored = read_register(engine)
    source = read_workbook(DEFAULT_REGISTER_PATH)
    key = ["framework", "code", "part"]
    columns = list(source.indicators.columns)
    pd.testing.assert_frame_equal(
        stored.indicators[columns].sort_values(key).reset_index(drop=True),
        source.indicators.sort_values(key).reset_index(drop=True), check_dtype=False)
    tkey = ["framework", "code", "part", "year", "version"]
    pd.testing.assert_frame_equal(
        stored.targets[source.targets.columns].sort_values(tkey).reset_index(drop=True),
        source.targets.sort_values(tkey).reset_index(drop=True), check_dtype=False)
    rkey = ["framework", "code", "part", "area", "period"]
    pd.testing.assert_frame_equal(
        stored.returns.sort_values(rkey).reset_index(drop=True),
        source.returns.sort_values(rkey).reset_index(drop=True), check_dtype=False)
    assert stored.settings == source.settings
    assert len(stored.theme_boards) == len(source.theme_boards)


def test_seed_twice_changes_nothing(engine):
    first = seed_register(engine, DEFAULT_REGISTER_PATH)
    before = _snapshot(engine)
    second = seed_register(engine, DEFAULT_REGISTER_PATH)
    assert first["changed"] and not second["changed"]
    assert _snapshot(engine) == before


def test_seed_invalid_workbook_writes_nothing(engine, tmp_path):
    seed_register(engine, write_register(tmp_path / "good.xlsx"))
    before = _snapshot(engine)
    rows = register_rows()
    rows["Targets"][0]["value"] = 6.0  # a change that would be written ...
    rows["Indicators"][1]["polarity"] = "sideways"  # ... were the workbook valid
    with pytest.raises(WorkbookRefused, match="row 3, column 'polarity'"):
        seed_register(engine, write_register(tmp_path / "bad.xlsx", rows))
    assert _snapshot(engine) == before


def test_seed_changed_value_adds_a_version_and_logs_the_load(engine, tmp_path):
    seed_register(engine, write_register(tmp_path / "v1.xlsx"), loaded_by="first")
    rows = register_rows()
    rows["Returns"][0]["value"] = 6.4
    rows["Returns"][0]["provisional"] = "no"
    seed_register(engine, write_register(tmp_path / "v2.xlsx", rows), loaded_by="second")
    with engine.connect() as conn:
        versions = conn.execute(select(s.returns.c.version, s.returns.c.value)
                                .order_by(s.returns.c.version)).all()
        loads = conn.execute(select(s.loads.c.loaded_by, s.loads.c.file_name, s.loads.c.checksum)
                             .order_by(s.loads.c.id)).all()
    assert [tuple(r) for r in versions] == [(1, 6.55), (2, 6.4)]
    assert [(r.loaded_by, r.file_name) for r in loads] == [("first", "v1.xlsx"), ("second", "v2.xlsx")]
    assert all(len(r.checksum) == 64 for r in loads)
    current = read_register(engine).returns
    assert current["value"].tolist() == [6.4] and not current["provisional"].iloc[0]


def test_read_register_counts_parts_once(engine, tmp_path):
    seed_register(engine, write_register(tmp_path / "r.xlsx"))
    with engine.connect() as conn:
        indicators = conn.execute(select(func.count()).select_from(s.indicators)).scalar_one()
        parts = conn.execute(select(func.count()).select_from(s.indicator_parts)).scalar_one()
    assert (indicators, parts) == (3, 4)


def test_upgrade_in_place_keeps_existing_returns(database_url):
    """A shared database made by an earlier release is upgraded, its rows kept and filled."""
    engine = database_at_revision(
        database_url, "0001",
        "INSERT INTO areas (id, name) VALUES (1, 'Luton')",
        "INSERT INTO returns (part_id, area_id, period, version, value, provisional, commentary, "
        "action, source, is_demo, state, submitted_by, submitted_at) VALUES (1, 1, '2009/10 Q3', 1, "
        "6.6, false, '', '', 'test', false, 'published', 'someone', CURRENT_TIMESTAMP)",
    )
    upgrade(engine)
    with engine.connect() as conn:
        row = conn.execute(select(s.returns.c.value, s.returns.c.reviewed_by,
                                  s.returns.c.review_reason)).one()
    assert tuple(row) == (6.6, "", "")
    engine.dispose()


def test_seed_impossible_values_writes_nothing(engine, tmp_path):
    """A register with a figure that cannot be (a negative rate, a percentage of 650) is
    refused by sheet, row and column, and the database keeps what it held."""
    seed_register(engine, write_register(tmp_path / "good.xlsx"))
    before = _snapshot(engine)
    rows = register_rows()
    rows["Targets"][0]["value"] = 6.0  # a change that would be written ...
    rows["Indicators"][1]["baseline"] = -5  # ... were NI 120 male's rate not negative
    rows["Returns"][0]["value"] = 655
    with pytest.raises(WorkbookRefused) as refused:
        seed_register(engine, write_register(tmp_path / "bad.xlsx", rows))
    located = {(e.sheet, e.row, e.column) for e in refused.value.errors}
    assert located == {("Indicators", 3, "baseline"), ("Returns", 2, "value")}
    assert _snapshot(engine) == before


def test_seed_stores_the_plausible_range_and_clears_it_when_blank(engine, tmp_path):
    rows = register_rows()
    rows["Indicators"][0].update(plausible_min=3, plausible_max=12)
    seed_register(engine, write_register(tmp_path / "with.xlsx", rows))
    part = read_register(engine).indicators.set_index("code").loc["NI 117"]
    assert (part["plausible_min"], part["plausible_max"]) == (3.0, 12.0)
    seed_register(engine, write_register(tmp_path / "without.xlsx"))  # the columns absent
    assert read_register(engine).indicators[["plausible_min", "plausible_max"]].isna().all().all()


def test_upgrade_in_place_from_0003_adds_an_empty_plausible_range(database_url):
    """A database made before migration 0004 keeps its parts; they have no range until the
    register gives one."""
    engine = database_at_revision(database_url, "0003")
    upgrade(engine)
    with engine.connect() as conn:
        row = conn.execute(select(s.indicator_parts.c.unit, s.indicator_parts.c.plausible_min,
                                  s.indicator_parts.c.plausible_max)).one()
    assert tuple(row) == ("percent", None, None)
    engine.dispose()


def test_reading_the_register_reports_no_database_failure(engine, caplog):
    # pandas' read_sql first asks whether its query is a table's name; on PostgreSQL that
    # failed inside the driver on every read, and our failure hook logged each one as "the
    # database server cannot be reached" (found by the two-process test, issue 16).
    seed_register(engine, DEFAULT_REGISTER_PATH)
    with caplog.at_level("WARNING", logger="lsp.database"):
        register = read_register(engine)
    assert not register.indicators.empty
    assert [r.getMessage() for r in caplog.records if r.name == "lsp.database"] == []
