"""Operations: health check, backup during an import and restore, structured event log."""

from __future__ import annotations

import logging
import shlex
import sqlite3
import subprocess
import sys
import threading

import pytest
from sqlalchemy import func, select

from data_loaders import schema as s
from data_loaders.database import (
    file_checksum,
    make_engine,
    open_database,
    read_register,
    review_returns,
    store_returns,
    upgrade,
)
from data_loaders.operations import OperationRefused, backup, health, restore
from performance import rag
from performance.demo import generate_demo_returns
from performance.events import LOGGER_NAME, format_event
from tests.conftest import REPO_ROOT


@pytest.fixture(autouse=True)
def _no_demo(monkeypatch):
    monkeypatch.setenv("DEMO_DATA", "off")


def test_health_of_a_migrated_database_is_ok(database_url):
    engine = make_engine(database_url)
    upgrade(engine)
    engine.dispose()
    result = health(database_url)
    assert result.ok, result.reason
    assert "schema at revision" in result.reason


def test_health_of_an_unmigrated_database_says_to_upgrade(database_url):
    engine = make_engine(database_url)
    with engine.begin() as conn:  # a database that exists, reachable, with no schema
        conn.exec_driver_sql("CREATE TABLE other (id INTEGER)")
    engine.dispose()
    result = health(database_url)
    assert not result.ok
    assert "no schema" in result.reason and "alembic upgrade head" in result.reason


def test_health_of_an_unreachable_postgres_is_not_ok_with_the_reason():
    result = health("postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert not result.ok
    assert "unreachable" in result.reason and "\n" not in result.reason


def test_health_of_a_missing_sqlite_file_is_not_ok_and_creates_nothing(tmp_path):
    path = tmp_path / "absent.sqlite"
    result = health(f"sqlite:///{path}")
    assert not result.ok and "no such file" in result.reason
    assert not path.exists()


def test_health_command_exits_0_or_1_with_one_line(tmp_path):
    url = f"sqlite:///{tmp_path / 'h.sqlite'}"
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": url, "DEMO_DATA": "off"}
    run = lambda: subprocess.run([sys.executable, "manage.py", "health"], cwd=REPO_ROOT, env=env,
                                 capture_output=True, text=True, timeout=120)
    missing = run()
    assert missing.returncode == 1
    assert missing.stderr.startswith("not ok: ") and missing.stderr.count("\n") == 1
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    ok = run()
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("ok: ") and ok.stdout.count("\n") == 1


def _import_rows(engine):
    """Every part of the real register in every quarter: a real-sized import (thousands of values)."""
    return generate_demo_returns(read_register(engine, include_demo=False))


def _loads_are_whole(path) -> dict[int, int]:
    """Each load in the file has exactly the values it says it wrote: no import half-copied."""
    conn = sqlite3.connect(path)
    try:
        said = dict(conn.execute("SELECT id, rows_written FROM loads WHERE kind = 'returns'"))
        found = dict(conn.execute("SELECT load_id, count(*) FROM returns WHERE load_id IN "
                                  "(SELECT id FROM loads WHERE kind = 'returns') GROUP BY load_id"))
    finally:
        conn.close()
    assert found == {k: v for k, v in said.items() if v}, (said, found)
    return said


def test_backup_taken_during_imports_restores_to_a_database_that_opens_and_rates(tmp_path):
    url = f"sqlite:///{tmp_path / 'live.sqlite'}"
    engine = open_database(url)
    rows = _import_rows(engine)
    assert len(rows) > 300
    started, failures = threading.Event(), []

    def importing():
        try:
            for i in range(6):
                started.set()
                # each import gives every value a new version (a different value each time)
                store_returns(engine, rows.assign(value=rows["value"] + i + 1), file_name=f"import {i}.xlsx",
                              checksum=file_checksum(str(i).encode()), submitted_by="importer")
        except Exception as exc:  # reported by the main thread
            failures.append(exc)

    worker = threading.Thread(target=importing)
    worker.start()
    started.wait(30)
    backups = []
    while worker.is_alive() or not backups:
        backups.append(backup(tmp_path / f"backup-{len(backups)}.sqlite", url))
    worker.join()
    backups.append(backup(tmp_path / f"backup-{len(backups)}.sqlite", url))  # after the last import
    assert not failures, failures
    with engine.connect() as conn:
        final_loads = conn.execute(select(func.count()).select_from(s.loads)
                                   .where(s.loads.c.kind == "returns")).scalar_one()
    assert final_loads == 6

    # Each backup holds whole imports only; the one taken mid-run restores and rates.
    counts = [len(_loads_are_whole(b)) for b in backups]
    assert counts == sorted(counts) and counts[-1] == 6
    # One taken mid-run (some imports whole, not all) where the timing gave one; on a loaded
    # machine the early backups may all precede the first import's commit, which rates nothing.
    mid_run = [i for i, c in enumerate(counts) if 0 < c < 6] or [len(counts) - 1]
    chosen_at = mid_run[len(mid_run) // 2]
    chosen = backups[chosen_at]
    target = f"sqlite:///{tmp_path / 'restored.sqlite'}"
    assert restore(chosen, target) is None  # nothing was there to keep
    restored = open_database(target)
    register = read_register(restored)
    rated = rag.rate(register, periods=["2009/10 Q3"])
    assert len(rated) and set(rated["status"]) & {"red", "amber", "green"}
    assert len(_loads_are_whole(tmp_path / "restored.sqlite")) == counts[chosen_at]
    restored.dispose()
    engine.dispose()


def test_restore_over_a_live_database_keeps_the_replaced_one(tmp_path):
    url = f"sqlite:///{tmp_path / 'live.sqlite'}"
    engine = open_database(url)
    saved = backup(tmp_path / "before.sqlite", url)
    rows = _import_rows(engine).head(50)
    store_returns(engine, rows, file_name="after.xlsx", checksum="after", submitted_by="importer")
    kept = restore(saved, url)
    assert kept is not None and kept.exists()
    with engine.connect() as conn:  # the running engine sees the restored data
        assert conn.execute(select(func.count()).select_from(s.loads)
                            .where(s.loads.c.file_name == "after.xlsx")).scalar_one() == 0
    assert sqlite3.connect(kept).execute(
        "SELECT count(*) FROM loads WHERE file_name = 'after.xlsx'").fetchone()[0] == 1
    engine.dispose()


@pytest.mark.parametrize("content, message", [
    (b"not a database at all", "is not a SQLite database"),
    (None, "not a backup of this dashboard"),
])
def test_restore_refuses_a_file_that_is_not_a_backup_and_changes_nothing(tmp_path, content, message):
    url = f"sqlite:///{tmp_path / 'live.sqlite'}"
    open_database(url).dispose()
    before = (tmp_path / "live.sqlite").read_bytes()
    bad = tmp_path / "bad.sqlite"
    if content is None:
        sqlite3.connect(bad).execute("CREATE TABLE something (id INTEGER)").connection.commit()
    else:
        bad.write_bytes(content)
    with pytest.raises(OperationRefused, match=message):
        restore(bad, url)
    assert (tmp_path / "live.sqlite").read_bytes() == before


def test_backup_of_postgres_is_refused_naming_pg_dump(postgres_url):
    with pytest.raises(OperationRefused, match="pg_dump"):
        backup("x.sqlite", postgres_url)


@pytest.mark.parametrize("fields, line", [
    ({"who": "a@b", "seconds": 0.5}, "event=import who=a@b seconds=0.500"),
    ({"file": "q3 return.xlsx"}, 'event=import file="q3 return.xlsx"'),
    ({"file": 'say "hi"', "gone": None}, r'event=import file="say \"hi\""'),
    ({"who": ""}, 'event=import who=""'),
])
def test_format_event_writes_key_value_pairs_that_split_back(fields, line):
    formatted = format_event("import", **fields)
    assert formatted == line
    assert dict(p.split("=", 1) for p in shlex.split(formatted))["event"] == "import"


def test_import_and_sign_off_each_log_one_line_with_who_what_and_how_long(tmp_path, caplog):
    engine = open_database(f"sqlite:///{tmp_path / 'log.sqlite'}")
    rows = _import_rows(engine).head(3)
    with caplog.at_level(logging.INFO, logger=LOGGER_NAME):
        stored = store_returns(engine, rows, file_name="q3.xlsx", checksum="c", submitted_by="officer@luton",
                               state="submitted")
        with engine.connect() as conn:
            ids = [r.id for r in conn.execute(select(s.returns.c.id).where(s.returns.c.state == "submitted"))]
        review_returns(engine, ids, approve=True, actor="po@luton")
    lines = [dict(p.split("=", 1) for p in shlex.split(r.getMessage()))
             for r in caplog.records if r.name == LOGGER_NAME]
    assert [(line["event"], line["who"]) for line in lines] == [("import", "officer@luton"),
                                                                 ("sign_off", "po@luton")]
    assert lines[0]["values"] == str(stored["values"]) and lines[0]["file_name"] == "q3.xlsx"
    assert lines[1]["returns"] == str(len(ids)) and lines[1]["approve"] == "True"
    assert all(float(line["seconds"]) >= 0 and line["outcome"] == "ok" for line in lines)
    engine.dispose()
