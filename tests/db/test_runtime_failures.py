"""Reliability at run time (issue 18): a broken workbook, a database that cannot be used, sign-off
on the command line, and the audit trail past 5,000 entries. Real processes, real databases."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from sqlalchemy import create_engine, text

from data_loaders import audit
from data_loaders.database import (
    make_engine,
    open_database,
    open_database_noting,
    pending_returns,
    read_register,
    set_setting,
    store_returns,
    upgrade,
)
from data_loaders.failures import DatabaseUnavailable
from tests.checkout import REPO_ROOT, copy_checkout, run_in

RAW = ("Traceback", "[SQL:", "sqlalche.me", "psycopg.", "sqlite3.")


def _no_raw_error(output: str) -> None:
    for words in RAW:
        assert words not in output, output


@pytest.fixture(autouse=True)
def _no_demo(monkeypatch):
    monkeypatch.setenv("DEMO_DATA", "off")  # the values the tests look at are their own


def _cli(url: str, *args: str):
    return run_in(REPO_ROOT, ["manage.py", *args], url)


def _template(url: str, path: Path, values: dict[str, float]) -> Path:
    made = _cli(url, "template", "--period", "2009/10 Q3", "--out", str(path))
    assert made.returncode == 0, made.stderr
    wb = openpyxl.load_workbook(path)
    for row in wb["Returns"].iter_rows(min_row=2):
        if row[0].value in values:
            row[3].value = values[row[0].value]
    wb.save(path)
    return path


def _stored(engine, code: str, period: str = "2009/10 Q3") -> list[float]:
    returns = read_register(engine).returns
    return returns[(returns["code"] == code) & (returns["period"] == period)]["value"].tolist()


# --- 4. import-returns obeys sign-off --------------------------------------------------------

def test_import_returns_with_sign_off_on_waits_for_a_performance_officer(database_url, tmp_path):
    engine = open_database(database_url)
    set_setting(engine, "sign_off_required", "yes", actor="admin@luton.gov.uk")
    template = _template(database_url, tmp_path / "q3.xlsx", {"NI 117": 6.8})
    done = _cli(database_url, "import-returns", str(template), "--submitted-by", "officer@luton.gov.uk")
    assert done.returncode == 0, done.stderr
    assert "wait for a performance officer's sign-off" in done.stdout
    waiting = pending_returns(engine)
    assert waiting["code"].tolist() == ["NI 117"] and waiting["value"].tolist() == [6.8]
    assert 6.8 not in _stored(engine, "NI 117")  # not published until approved
    entry = audit.read(engine, action="return_submitted").iloc[0]
    assert '"state": "submitted"' in entry["after"]


def test_import_returns_with_sign_off_off_publishes_at_once(database_url, tmp_path):
    engine = open_database(database_url)
    template = _template(database_url, tmp_path / "q3.xlsx", {"NI 117": 6.8})
    done = _cli(database_url, "import-returns", str(template))
    assert done.returncode == 0, done.stderr
    assert "sign-off" not in done.stdout and pending_returns(engine).empty
    assert _stored(engine, "NI 117") == [6.8]


# --- 3. a broken indicators.xlsx --------------------------------------------------------------

def test_commands_serve_the_database_register_when_indicators_xlsx_is_broken(database_url, tmp_path):
    checkout = copy_checkout(tmp_path / "checkout")
    assert run_in(checkout, ["manage.py", "seed"], database_url).returncode == 0
    (checkout / "indicators.xlsx").write_bytes(b"this is not a workbook")

    rag = run_in(checkout, ["manage.py", "rag", "--period", "2009/10"], database_url)
    assert rag.returncode == 0, rag.stderr
    _no_raw_error(rag.stderr)
    neet = next(line for line in rag.stdout.splitlines() if line.startswith("NI 117,"))
    assert ",6.55,6.5,green," in neet  # the register the database holds, rated
    warnings = [line for line in rag.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1, rag.stderr  # said once
    assert "indicators.xlsx was not loaded" in warnings[0] and "is not an Excel .xlsx workbook" in warnings[0]
    assert "The register the database holds is used instead" in warnings[0]

    template = run_in(checkout, ["manage.py", "template", "--period", "2009/10 Q3", "--out",
                                 str(tmp_path / "q3.xlsx")], database_url)
    assert template.returncode == 0, template.stderr

    seed = run_in(checkout, ["manage.py", "seed"], database_url)
    assert seed.returncode == 2 and "refused" in seed.stderr  # seed says what is wrong with it
    _no_raw_error(seed.stderr)


def test_commands_with_a_broken_workbook_and_no_register_held_say_there_is_nothing_to_show(
        database_url, tmp_path):
    checkout = copy_checkout(tmp_path / "checkout")
    (checkout / "indicators.xlsx").unlink()
    done = run_in(checkout, ["manage.py", "rag", "--period", "2009/10"], database_url)
    assert done.returncode == 2
    _no_raw_error(done.stderr)
    assert "indicators.xlsx cannot be loaded (no such file or directory)" in done.stderr
    assert "the database holds no register yet" in done.stderr


# --- 6. a database that cannot be used --------------------------------------------------------

def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again on leaving: nothing listens there


def test_commands_with_postgresql_down_say_which_server_does_not_answer():
    port = _closed_port()
    done = _cli(f"postgresql+psycopg://lsp:secret@127.0.0.1:{port}/lsp", "rag", "--period", "2009/10")
    assert done.returncode == 1
    _no_raw_error(done.stderr)
    assert f"The database server cannot be reached: the PostgreSQL database 'lsp' on 127.0.0.1:{port} " \
           "does not answer" in done.stderr
    assert "secret" not in done.stderr


def test_commands_with_an_impossible_database_path_say_where_it_was_expected(tmp_path):
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    done = _cli(f"sqlite:///{blocker / 'performance.sqlite'}", "rag", "--period", "2009/10")
    assert done.returncode == 1
    _no_raw_error(done.stderr)
    assert (f"The database file cannot be created at {blocker / 'performance.sqlite'} ({blocker} is a "
            "file, not a folder)") in done.stderr


def read_only(url: str) -> str:
    """The same database opened read-only: SQLite's read-only mode; PostgreSQL's
    default_transaction_read_only for every new session (as a read-only replica is)."""
    if url.startswith("sqlite"):
        return f"sqlite:///file:{url.removeprefix('sqlite:///')}?mode=ro&uri=true"
    owner = create_engine(url, isolation_level="AUTOCOMMIT")
    with owner.connect() as conn:
        name = conn.execute(text("select current_database()")).scalar_one()
        conn.execute(text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on'))
    owner.dispose()
    return url


def test_import_returns_into_a_read_only_database_stores_nothing_and_says_so(database_url, tmp_path):
    engine = open_database(database_url)
    template = _template(database_url, tmp_path / "q3.xlsx", {"NI 117": 6.8})
    before = len(audit.read(engine))
    engine.dispose()
    done = _cli(read_only(database_url), "import-returns", str(template))
    assert done.returncode == 1
    _no_raw_error(done.stderr)
    assert "is read-only, so nothing can be saved to it" in done.stderr
    reader = make_engine(database_url)
    assert len(audit.read(reader)) == before and 6.8 not in _stored(reader, "NI 117")


def test_a_read_only_database_holding_a_register_is_served_with_a_note(database_url, monkeypatch):
    open_database(database_url).dispose()  # the register loaded, no demo values yet
    monkeypatch.setenv("DEMO_DATA", "on")  # which would now be written, and cannot be
    engine, note = open_database_noting(read_only(database_url))
    assert note.startswith("The database (") and "is read-only, so nothing can be saved to it" in note
    assert "Nothing new from indicators.xlsx or the demo values was loaded." in note
    assert read_register(engine).indicators["code"].nunique() > 59  # both frameworks' indicators


def _one_return(value: float = 6.8) -> pd.DataFrame:
    return pd.DataFrame([{"framework": "Luton LAA 2008-11", "code": "NI 117", "part": "",
                          "period": "2009/10 Q3", "value": value, "comparator": "",
                          "comparator_value": float("nan"), "forecast_year_end": float("nan"),
                          "provisional": False, "commentary": "", "action": ""}])


def test_a_save_after_the_database_folder_was_deleted_is_refused_not_lost(tmp_path):
    folder = tmp_path / "data"
    engine = open_database(f"sqlite:///{folder / 'performance.sqlite'}")
    shutil.rmtree(folder)  # while the dashboard runs
    with pytest.raises(DatabaseUnavailable) as refused:
        store_returns(engine, _one_return(), file_name="q3.xlsx", checksum="q3", submitted_by="officer")
    assert f"no longer where the dashboard opened it, {folder / 'performance.sqlite'}" in str(refused.value)
    assert not folder.exists()  # and no empty database in its place


def test_embedded_database_is_made_on_first_run_and_refused_once_its_folder_is_gone(tmp_path):
    checkout = copy_checkout(tmp_path / "checkout")
    database = checkout / "data" / "performance.sqlite"
    rag = ["manage.py", "rag", "--period", "2009/10"]
    first = run_in(checkout, rag)  # a fresh clone: created and seeded, as the README promises
    assert first.returncode == 0, first.stderr
    assert database.exists() and "NI 117" in first.stdout

    shutil.rmtree(checkout / "data")
    again = run_in(checkout, rag)
    assert again.returncode == 1
    _no_raw_error(again.stderr)
    assert f"The embedded database was expected at {database}, but it is not there" in again.stderr
    assert not (checkout / "data").exists()  # nothing empty was made in its place

    (checkout / ".embedded-database").unlink()  # starting afresh on purpose, as the message says
    afresh = run_in(checkout, rag)
    assert afresh.returncode == 0, afresh.stderr
    assert database.exists()


# --- 5 and 9. the audit trail -----------------------------------------------------------------

def _fill_audit(engine, keys: list[str]) -> None:
    with engine.begin() as conn:
        audit.record_many(conn, [{"actor": "officer@luton.gov.uk", "action": "return_submitted",
                                  "entity": "return", "key": key} for key in keys])


def test_audit_trail_reads_and_counts_every_entry_past_5000(database_url):
    engine = make_engine(database_url)
    upgrade(engine)
    _fill_audit(engine, [f"NI 117 entry {i}" for i in range(20_080)])
    assert audit.count(engine) == 20_080
    everything = audit.read(engine)
    assert len(everything) == 20_080
    assert everything["entity_key"].iloc[0] == "NI 117 entry 20079"  # newest first
    last_page = audit.read(engine, offset=20_000, limit=1_000)
    assert last_page["entity_key"].tolist() == [f"NI 117 entry {i}" for i in range(79, -1, -1)]
    assert audit.count(engine, search="entry 2007") == 11  # 2007 and 20070-20079


@pytest.mark.parametrize("typed, found", [
    ("50%", ["rate up 50%"]),
    ("%", ["rate up 50%"]),
    ("NI_117", ["NI_117 2009/10"]),
    ("_", ["NI_117 2009/10"]),
    ("NI 117", ["NI 117 2009/10 Q3"]),
    ("NI\x00 117", ["NI 117 2009/10 Q3"]),  # a pasted NUL: no entry can hold one
])
def test_audit_search_matches_the_text_as_typed(database_url, typed, found):
    engine = make_engine(database_url)
    upgrade(engine)
    _fill_audit(engine, ["NI 117 2009/10 Q3", "rate up 50%", "NI_117 2009/10", "NIX117 2009/10",
                         "rate up 500"])
    assert audit.read(engine, search=typed)["entity_key"].tolist() == found
    assert audit.count(engine, search=typed) == len(found)


def test_audit_actor_filter_with_a_nul_finds_without_a_database_error(database_url):
    engine = make_engine(database_url)
    upgrade(engine)
    _fill_audit(engine, ["NI 117"])
    assert len(audit.read(engine, actor="officer@luton.gov.uk\x00")) == 1

