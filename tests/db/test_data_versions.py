"""The register's and the returns' data versions, and what the app shows after each change.

The app caches the register's tables and the published values apart, each keyed on its own
version (``data_loaders.connection.data_versions``; ``ui.page``): a target or tolerance change
must not re-read every value, an import must not re-read the register, and either must show on
the next render. Also: on SQLite a reader does not wait for a writer's transaction (WAL), while
two writers still take turns (``BEGIN IMMEDIATE``).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from data_loaders.database import (
    add_target_version,
    data_versions,
    make_engine,
    open_database,
    read_register,
    review_returns,
    set_tolerance,
    store_returns,
)
from data_loaders.workbook import RETURN_FRAME_COLUMNS

REPO_ROOT = Path(__file__).resolve().parents[2]
FW = "Luton LAA 2008-11"
CODE, PERIOD, YEAR = "NI 125", "2010/11", "2010/11"  # a part with a target set for 2010/11


@pytest.fixture
def engine(database_url, monkeypatch):
    """The app's own database (the real register and the demo values), at DATABASE_URL."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    engine = open_database(database_url)
    yield engine
    engine.dispose()


def _return(engine, value: float) -> pd.DataFrame:
    """One return row for :data:`CODE` in :data:`PERIOD` for the framework's own area."""
    register = read_register(engine)
    own = register.frameworks.set_index("framework").loc[FW, "own_area"]
    row = {"framework": FW, "code": CODE, "part": "", "area": own, "period": PERIOD,
           "value": value, "provisional": False, "commentary": "", "action": "",
           "forecast_year_end": None, "source": "Quarterly return", "is_demo": False}
    return pd.DataFrame([row], columns=RETURN_FRAME_COLUMNS)


def _import(engine, value: float = 42.5, state: str = "published") -> dict:
    return store_returns(engine, _return(engine, value), file_name="q4.xlsx", checksum=f"c{value}{state}",
                         submitted_by="officer@luton.gov.uk", state=state)


def _sign_off(engine) -> None:
    _import(engine, 41.5, state="submitted")  # a load: the returns version moves here already
    before = data_versions(engine)
    with engine.connect() as conn:
        waiting = [row.id for row in conn.execute(text("SELECT id FROM returns WHERE state = 'submitted'"))]
    assert review_returns(engine, waiting, approve=True, actor="officer@luton.gov.uk") == 1
    after = data_versions(engine)
    assert after.returns != before.returns and after.register == before.register
    assert after.targets == before.targets


def _target(engine, value: float = 43.5) -> None:
    add_target_version(engine, FW, CODE, "", YEAR, version=f"revised {value}", value=value,
                       status="set", text=f"{value}%", effective_from=dt.date(2010, 6, 1),
                       decided_by="Children's Trust Board", reason="raised", actor="admin@luton.gov.uk")


def _tolerance(engine) -> None:
    set_tolerance(engine, FW, CODE, "", 7.0, actor="admin@luton.gov.uk", reason="wider")


def _register_edit(engine) -> None:
    from data_loaders.database import edit_register

    edit_register(engine, FW, CODE, "", {"lead_partner": "Luton Borough Council (edited)"},
                  actor="admin@luton.gov.uk", reason="renamed")


@pytest.mark.parametrize(("change", "moves"), [
    (_import, {"returns"}),
    (_sign_off, {"returns"}),
    (_target, {"targets"}),
    (_tolerance, {"register"}),
    (_register_edit, {"register", "targets"}),  # the targets name their part by its indicator
], ids=["returns import", "sign-off", "target version", "tolerance", "register edit"])
def test_a_change_moves_only_its_own_data_version(engine, change, moves):
    before = data_versions(engine)
    change(engine)
    after = data_versions(engine)
    for name in ("register", "targets", "returns"):
        assert (getattr(after, name) != getattr(before, name)) == (name in moves), name


def test_a_register_load_moves_both_versions(engine, tmp_path):
    from bench.app_bench import scaled_register_rows
    from data_loaders.database import seed_register
    from tests.builders import write_register

    before = data_versions(engine)
    seed_register(engine, write_register(tmp_path / "two.xlsx", scaled_register_rows(2)))
    after = data_versions(engine)
    assert after.register != before.register and after.returns != before.returns
    assert after.targets != before.targets


def _parts_row(at: AppTest) -> pd.Series:
    """The overview's table of parts: the row of :data:`CODE`."""
    table = next(d.value for d in at.dataframe if {"Code", "Value", "Target", "Lead partner"}
                 <= set(d.value.columns))
    return table[table["Code"] == CODE].iloc[0]


def _next_render(at: AppTest) -> AppTest:
    # The change was made on an engine of its own, as another process would make it: the app
    # sees it once the versions it read are older than their ttl.
    from ui.page import DATA_VERSION_TTL_SECONDS

    time.sleep(DATA_VERSION_TTL_SECONDS + 0.2)
    at.run()
    assert not at.exception, at.exception
    return at


def test_the_overview_shows_an_import_and_a_target_change_on_the_next_render(engine):
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=180)
    at.query_params["view"] = "Every indicator part"  # the overview's view with the table of parts
    at.run()
    assert not at.exception, at.exception
    first = _parts_row(at)
    assert "42.5" not in str(first["Value"]) and "43.5" not in str(first["Target"])

    _import(engine, 42.5)
    shown = _parts_row(_next_render(at))
    assert "42.5" in str(shown["Value"])
    assert str(shown["Target"]) == str(first["Target"])

    _target(engine, 43.5)
    shown = _parts_row(_next_render(at))
    assert "43.5" in str(shown["Target"])
    assert "42.5" in str(shown["Value"])


def test_the_page_reads_only_the_part_that_changed(engine):
    """After a target change neither the values nor the parts are read again, after a
    tolerance change neither the values nor the targets, after an import not the register
    (the cached objects are the very same)."""
    from ui import page

    def parts():
        versions = page.current_versions()
        url = page.database_url()
        return (page._register_tables(url, versions.register), page._targets(url, versions.targets),
                page._returns(url, versions.returns))

    at = AppTest.from_function(_load_register, default_timeout=180)
    at.run()
    assert not at.exception, at.exception
    for change, read_again in ((_target, {1}), (_tolerance, {0}), (_import, {2})):
        before = parts()
        change(engine)
        _next_render(at)
        after = parts()
        assert {i for i in range(3) if after[i] is not before[i]} == read_again, change.__name__


def _load_register():
    from ui.page import load_register

    load_register()


# --- SQLite: readers beside a writer ---------------------------------------------------------


def test_sqlite_read_does_not_wait_for_a_writers_transaction(sqlite_url):
    engine = make_engine(sqlite_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (n INTEGER)"))
        conn.execute(text("INSERT INTO t VALUES (1)"))
    writing, read_done, seen = threading.Event(), threading.Event(), []

    def writer():
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO t VALUES (2)"))
            writing.set()
            # Hold the write transaction open until the reader is done (or long past the
            # point where a reader that waits for it would have finished).
            read_done.wait(20)

    def reader():
        writing.wait(20)
        with engine.connect() as conn:
            seen.append(conn.execute(text("SELECT count(*) FROM t")).scalar_one())
        read_done.set()

    threads = [threading.Thread(target=writer), threading.Thread(target=reader)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # the reader read while the writer held its transaction, and saw what was committed before it
    assert read_done.is_set() and seen == [1]
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM t")).scalar_one() == 2
    engine.dispose()


def test_sqlite_two_writers_that_read_then_write_take_turns(sqlite_url):
    engine = make_engine(sqlite_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE counter (n INTEGER)"))
        conn.execute(text("INSERT INTO counter VALUES (0)"))
    both_started, failures = threading.Barrier(2), []

    def add_one():
        try:
            both_started.wait(10)
            with engine.begin() as conn:
                n = conn.execute(text("SELECT n FROM counter")).scalar_one()
                time.sleep(0.3)  # the other writer tries to start meanwhile
                conn.execute(text("UPDATE counter SET n = :n"), {"n": n + 1})
        except Exception as exc:  # reported below
            failures.append(exc)

    threads = [threading.Thread(target=add_one) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures
    with engine.connect() as conn:
        assert conn.execute(text("SELECT n FROM counter")).scalar_one() == 2  # neither lost
    engine.dispose()

