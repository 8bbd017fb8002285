"""The quarterly cycle in the database (SQLite and PostgreSQL): contacts and due dates edited
with their audit entry, and each part's state read from what was stored."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import select

from data_loaders import audit, cycle_store
from data_loaders import schema as s
from data_loaders.database import (
    make_engine,
    read_register,
    review_returns,
    seed_register,
    store_returns,
    upgrade,
)
from performance.changes import ChangeRefused
from tests.builders import FW, register_rows, write_register

D = dt.date


@pytest.fixture
def engine(database_url, tmp_path):
    engine = make_engine(database_url)
    upgrade(engine)
    seed_register(engine, write_register(tmp_path / "register.xlsx", register_rows()))
    yield engine
    engine.dispose()


def _store(engine, code, period, value, state="published"):
    rows = pd.DataFrame([{"framework": FW, "code": code, "part": "", "area": "Luton", "period": period,
                          "value": value, "provisional": False, "commentary": "", "action": "",
                          "forecast_year_end": None, "source": "return"}])
    store_returns(engine, rows, file_name="r.xlsx", checksum="x", submitted_by="kim@luton.gov.uk",
                  state=state)


def test_set_contact_stores_changes_and_removes_each_with_its_audit_entry(engine):
    register = read_register(engine)
    cycle_store.set_contact(engine, FW, lead_partner="LBC", officer="Lee Council", email="Lee@Luton.gov.uk",
                            actor="admin@luton.gov.uk", reason="new officer", register=register)
    cycle_store.set_contact(engine, FW, lead_partner="LBC", officer="Lee Council", email="lee2@luton.gov.uk",
                            actor="admin@luton.gov.uk", reason="new address", register=register)
    contacts = cycle_store.read_contacts(engine, FW)
    assert contacts[["lead_partner", "officer", "email"]].values.tolist() == [
        ["LBC", "Lee Council", "lee2@luton.gov.uk"]]
    cycle_store.set_contact(engine, FW, lead_partner="LBC", officer="", email="",
                            actor="admin@luton.gov.uk", reason="left", register=register)
    assert cycle_store.read_contacts(engine, FW).empty
    entries = audit.read(engine, action="contact_changed")
    assert entries["reason"].tolist() == ["left", "new address", "new officer"]
    assert '"lee@luton.gov.uk"' in entries["after"].iloc[2] and entries["after"].iloc[0] == ""


@pytest.mark.parametrize(("kwargs", "field"), [
    (dict(lead_partner="LBC", officer="Lee", email="not-an-address"), "email"),
    (dict(lead_partner="LBC", officer="Lee", email=""), "email"),
    (dict(lead_partner="Nobody", officer="Lee", email="lee@luton.gov.uk"), "lead_partner"),
    (dict(code="NI 999", officer="Lee", email="lee@luton.gov.uk"), "code"),
    (dict(lead_partner="LBC", code="NI 117", officer="Lee", email="lee@luton.gov.uk"), "lead_partner"),
    (dict(lead_partner="LBC", officer="Lee", email="lee@luton.gov.uk", reason=""), "reason"),
])
def test_set_contact_refuses_bad_input_naming_the_field_and_writes_nothing(engine, kwargs, field):
    kwargs = {"actor": "admin@luton.gov.uk", "reason": "r", **kwargs}
    with pytest.raises(ChangeRefused) as refused:
        cycle_store.set_contact(engine, FW, register=read_register(engine), **kwargs)
    assert field in [f for f, _ in refused.value.problems]
    with engine.connect() as conn:
        assert conn.execute(select(s.contacts)).all() == []
        assert conn.execute(select(s.audit_log).where(s.audit_log.c.action == "contact_changed")).all() == []


def test_set_deadline_overrides_the_default_and_is_audited(engine):
    register = read_register(engine)
    assert cycle_store.deadline(engine, register, FW, "2009/10 Q3") == D(2010, 1, 30)
    cycle_store.set_deadline(engine, FW, "2009/10 Q3", D(2010, 1, 22), actor="admin", reason="Forum on 28th")
    assert cycle_store.deadline(engine, register, FW, "2009/10 Q3") == D(2010, 1, 22)
    assert cycle_store.deadline(engine, register, FW, "2009/10 Q2") == D(2009, 10, 30)
    cycle_store.set_deadline(engine, FW, "2009/10 Q3", None, actor="admin", reason="back to default")
    assert cycle_store.deadline(engine, register, FW, "2009/10 Q3") == D(2010, 1, 30)
    entries = audit.read(engine, action="deadline_set")
    assert entries["after"].tolist() == ["", "2010-01-22"]


def test_returns_due_table_reads_each_state_from_what_was_stored(engine):
    register = read_register(engine)
    due = cycle_store.returns_due_table(engine, register, FW, "2009/10 Q3", as_of=D(2010, 2, 9))
    assert sorted(due["code"] + " " + due["part"]) == ["NI 117 ", "NI 120 female", "NI 120 male", "NI 155 "]
    first, second = "NI 117", "NI 155"
    _store(engine, first, "2009/10 Q3", 6.1)                        # sign-off off: submitted
    _store(engine, second, "2009/10 Q3", 20.0, state="submitted")   # awaiting sign-off
    table = cycle_store.returns_due_table(engine, read_register(engine), FW, "2009/10 Q3",
                                          as_of=D(2010, 2, 9)).drop_duplicates("code").set_index("code")
    assert table.loc[first, "state"] == "submitted"
    assert table.loc[first, "submitted_by"] == "kim@luton.gov.uk"
    assert table.loc[second, "state"] == "awaiting_sign_off"
    others = table.drop([first, second])  # NI 120: nothing in, ten days after 30 January
    assert set(others["state"]) <= {"overdue"} and set(others["days_overdue"]) <= {10}
    pending = pd.read_sql_query(select(s.returns.c.id).where(s.returns.c.state == "submitted"), engine)
    review_returns(engine, pending["id"].tolist(), approve=False, actor="po", reason="check the figure")
    table = cycle_store.returns_due_table(engine, read_register(engine), FW, "2009/10 Q3",
                                          as_of=D(2010, 2, 9)).drop_duplicates("code").set_index("code")
    assert (table.loc[second, "state"], table.loc[second, "days_overdue"]) == ("sent_back", 10)
    _store(engine, second, "2009/10 Q3", 21.0, state="submitted")
    pending = pd.read_sql_query(select(s.returns.c.id).where(s.returns.c.state == "submitted"), engine)
    review_returns(engine, pending["id"].tolist(), approve=True, actor="po")
    table = cycle_store.returns_due_table(engine, read_register(engine), FW, "2009/10 Q3",
                                          as_of=D(2010, 2, 9)).drop_duplicates("code").set_index("code")
    assert table.loc[second, "state"] == "published"


def test_returns_due_command_writes_csv_filtered_and_refuses_unknown_names(database_url, monkeypatch,
                                                                            capsys, tmp_path):
    import manage  # opens the database as the app does: Luton's register from indicators.xlsx

    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("DEMO_DATA", "off")
    args = ["returns-due", "--period", "2009/10 Q3", "--as-of", "2010-02-09"]
    assert manage.main([*args, "--lead-partner", "NHS Luton"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Code,Part,Indicator,State,Days overdue,Due,Lead partner,Responsible officer")
    assert [line.split(",")[0] for line in lines[1:]] == ["NI 039", "NI 123"]
    assert all(",Overdue,10,2010-01-30,NHS Luton,not recorded,," in line for line in lines[1:])
    assert manage.main([*args, "--theme-board", "Nowhere Board"]) == 2
    assert "unknown theme board 'Nowhere Board'" in capsys.readouterr().err
    out = tmp_path / "due.xlsx"
    assert manage.main([*args, "--out", str(out)]) == 0
    import openpyxl
    sheet = openpyxl.load_workbook(out).worksheets[0]
    assert sheet.max_row == 21 and [c.value for c in sheet[1]][:2] == ["Code", "Part"]
