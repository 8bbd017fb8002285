"""An administrator's changes on SQLite and PostgreSQL: new target versions and register edits,
each written with its audit entry in one transaction, or not at all."""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest
from sqlalchemy import func, select, text

from data_loaders import audit
from data_loaders import schema as s
from data_loaders.database import (
    add_target_version,
    edit_register,
    make_engine,
    read_register,
    seed_register,
    upgrade,
)
from performance import rag
from performance.changes import ChangeRefused
from performance.register import current_targets, target_history
from tests.builders import FW, database_at_revision, register_rows, write_register

D = dt.date
REVISED = dict(version="revised 2010", value=6.3, status="set", text="6.3%", measure="",
               effective_from=D(2010, 6, 1), decided_by="Children's Trust Board 14 June 2010",
               reason="NEET fell faster than forecast; the board raised the target",
               actor="admin@luton.gov.uk")


@pytest.fixture
def engine(database_url, tmp_path):
    """A database holding the small test register, with NI 117 2009/10 refreshed to 6.4%."""
    engine = make_engine(database_url)
    upgrade(engine)
    rows = register_rows()
    original = next(t for t in rows["Targets"] if (t["code"], t["year"]) == ("NI 117", "2009/10"))
    rows["Targets"].append({**original, "value": 6.4, "text": "6.4%", "version": "refreshed",
                            "effective_from": D(2010, 1, 19), "decided_by": "Full Council 19 January 2010"})
    seed_register(engine, write_register(tmp_path / "register.xlsx", rows))
    yield engine
    engine.dispose()


def _snapshot(engine) -> dict[str, list[tuple]]:
    with engine.connect() as conn:
        return {t.name: sorted(map(tuple, conn.execute(select(t))), key=repr)
                for t in (s.targets, s.indicators, s.indicator_parts, s.audit_log)}


def _ni117_2009(engine):
    history = target_history(read_register(engine), FW, "NI 117")
    return history[history["year"] == "2009/10"]


def test_add_target_version_stores_it_in_force_with_its_reason(engine):
    row = add_target_version(engine, FW, "NI 117", "", "2009/10", **REVISED)
    assert (row["version"], row["value"], row["effective_from"]) == ("revised 2010", 6.3, D(2010, 6, 1))
    history = _ni117_2009(engine)
    assert history["version"].tolist() == ["original", "refreshed", "revised 2010"]
    assert history["in_force"].tolist() == [False, False, True]
    assert history["reason"].tolist()[-1] == REVISED["reason"]
    register = read_register(engine)
    current = current_targets(register.targets)
    assert current[(current["code"] == "NI 117") & (current["year"] == "2009/10")]["value"].tolist() == [6.3]
    rated = rag.rate(register, ["2009/10"])
    r = rated[rated["code"] == "NI 117"].iloc[0]
    assert (r["target"], r["original_target"], r["target_version"]) == (6.3, 6.5, "revised 2010")


def test_add_target_version_audits_who_what_before_and_after(engine):
    add_target_version(engine, FW, "NI 117", "", "2009/10", **REVISED)
    entry = audit.read(engine, action="target_version_added").iloc[0]
    assert (entry["actor"], entry["entity"], entry["entity_key"]) == (
        "admin@luton.gov.uk", "target", "NI 117 2009/10 revised 2010")
    assert entry["reason"] == REVISED["reason"]
    before, after = json.loads(entry["before"]), json.loads(entry["after"])
    assert (before["version"], before["value"], before["effective_from"]) == ("refreshed", 6.4, "2010-01-19")
    assert (after["version"], after["value"], after["effective_from"]) == ("revised 2010", 6.3, "2010-06-01")


def test_add_target_version_never_changes_the_versions_already_stored(engine):
    with engine.connect() as conn:
        before = conn.execute(select(s.targets).order_by(s.targets.c.id)).all()
    add_target_version(engine, FW, "NI 117", "", "2009/10", **REVISED)
    with engine.connect() as conn:
        after = conn.execute(select(s.targets).order_by(s.targets.c.id)).all()
    assert after[:len(before)] == before and len(after) == len(before) + 1


@pytest.mark.parametrize(
    ("where", "changes", "field"),
    [
        pytest.param(("NI 117", "boys", "2009/10"), {}, "part", id="unknown_part"),
        pytest.param(("NI 999", "", "2009/10"), {}, "code", id="unknown_code"),
        pytest.param(("NI 117", "", "2011/12"), {}, "year", id="year_outside_framework"),
        pytest.param(("NI 117", "", "2009/10"), {"version": "refreshed"}, "version", id="duplicate_version"),
        pytest.param(("NI 117", "", "2009/10"), {"reason": " "}, "reason", id="no_reason"),
        pytest.param(("NI 117", "", "2009/10"), {"status": "to_be_confirmed"}, "value", id="value_not_set"),
        pytest.param(("NI 117", "", "2009/10"), {"effective_from": D(2009, 10, 1)}, "effective_from",
                     id="before_the_version_in_force"),
        pytest.param(("NI 117", "", "2009/10"), {"actor": ""}, "actor", id="nobody"),
    ],
)
def test_add_target_version_refused_writes_nothing(engine, where, changes, field):
    before = _snapshot(engine)
    code, part, year = where
    with pytest.raises(ChangeRefused) as refused:
        add_target_version(engine, FW, code, part, year, **{**REVISED, **changes})
    assert field in [f for f, _ in refused.value.problems]
    assert _snapshot(engine) == before


def _break_the_audit_trail(engine) -> None:
    """Make every insert into audit_log fail, as a full disk or lost permission would."""
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(text("CREATE TRIGGER audit_down BEFORE INSERT ON audit_log "
                              "BEGIN SELECT RAISE(ABORT, 'audit trail unavailable'); END"))
        else:
            conn.execute(text("CREATE FUNCTION audit_down() RETURNS trigger AS $$ BEGIN "
                              "RAISE EXCEPTION 'audit trail unavailable'; END $$ LANGUAGE plpgsql"))
            conn.execute(text("CREATE TRIGGER audit_down BEFORE INSERT ON audit_log "
                              "FOR EACH ROW EXECUTE FUNCTION audit_down()"))


def test_change_without_its_audit_entry_is_not_written(engine):
    before = _snapshot(engine)
    _break_the_audit_trail(engine)
    with pytest.raises(Exception, match="audit trail unavailable"):
        add_target_version(engine, FW, "NI 117", "", "2009/10", **REVISED)
    with pytest.raises(Exception, match="audit trail unavailable"):
        edit_register(engine, FW, "NI 117", "", {"title": "NEET 16-18"}, actor="admin@luton.gov.uk",
                      reason="shorter")
    assert _snapshot(engine) == before


def test_two_admins_adding_the_same_version_at_once_store_it_once(engine):
    barrier, outcomes = threading.Barrier(2), []

    def add(value: float) -> None:
        barrier.wait()
        try:
            add_target_version(engine, FW, "NI 117", "", "2009/10", **{**REVISED, "value": value})
            outcomes.append("added")
        except ChangeRefused as refused:
            outcomes.append(refused.problems[0][0])

    threads = [threading.Thread(target=add, args=(v,)) for v in (6.3, 6.2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["added", "version"]
    with engine.connect() as conn:
        stored = conn.execute(select(func.count()).select_from(s.targets)
                              .where(s.targets.c.version == "revised 2010")).scalar_one()
    assert stored == 1
    assert len(audit.read(engine, action="target_version_added")) == 1


def test_edit_register_changes_descriptive_fields_and_audits_before_and_after(engine):
    changed = edit_register(
        engine, FW, "NI 120", "male",
        {"title": "Mortality from all causes", "theme_board": "Children and Young People's Trust Board",
         "lead_partner": "NHS Luton", "notes": "Age-standardised"},
        actor="admin@luton.gov.uk", reason="Sub-group 3 March 2010")
    assert changed["lead_partner"] == ("Campus Luton", "NHS Luton")
    parts = read_register(engine).indicators.set_index(["code", "part"])
    # indicator fields hold for both parts; notes only for the part edited
    assert parts.loc[("NI 120", "female"), "title"] == "Mortality from all causes"
    assert parts.loc[("NI 120", "female"), "theme_board"] == "Children and Young People's Trust Board"
    assert (parts.loc[("NI 120", "male"), "notes"], parts.loc[("NI 120", "female"), "notes"]) == (
        "Age-standardised", "")
    entry = audit.read(engine, action="register_edited").iloc[0]
    assert (entry["actor"], entry["entity_key"], entry["reason"]) == (
        "admin@luton.gov.uk", "NI 120 male", "Sub-group 3 March 2010")
    assert json.loads(entry["before"]) == {"title": "Title of NI 120", "lead_partner": "Campus Luton",
                                           "theme_board": "Health and Well-Being Board", "notes": ""}
    assert json.loads(entry["after"])["theme_board"] == "Children and Young People's Trust Board"


@pytest.mark.parametrize(
    ("changes", "expected", "field"),
    [
        pytest.param({"polarity": "higher_is_better"}, None, "polarity", id="polarity_refused"),
        pytest.param({"code": "NI 118"}, None, "code", id="code_refused"),
        pytest.param({"theme_board": "Nowhere Board"}, None, "theme_board", id="unknown_board"),
        pytest.param({"title": "Mine"}, {"title": "An older title"}, "title", id="changed_meanwhile"),
    ],
)
def test_edit_register_refused_writes_nothing(engine, changes, expected, field):
    before = _snapshot(engine)
    with pytest.raises(ChangeRefused) as refused:
        edit_register(engine, FW, "NI 117", "", changes, actor="admin@luton.gov.uk", reason="r",
                      expected=expected)
    assert [f for f, _ in refused.value.problems] == [field]
    assert _snapshot(engine) == before


def test_edit_register_with_nothing_different_writes_nothing(engine):
    before = _snapshot(engine)
    assert edit_register(engine, FW, "NI 117", "", {"title": "Title of NI 117"},
                         actor="admin@luton.gov.uk", reason="r") == {}
    assert _snapshot(engine) == before


def test_upgrade_to_0003_keeps_targets_with_an_empty_reason(database_url):
    """A shared database at 0002 is upgraded in place: its targets stay, with reason ''."""
    engine = database_at_revision(
        database_url, "0002",
        "INSERT INTO targets (part_id, year, version, value, text, status, measure, decided_by, source) "
        "VALUES (1, '2009/10', 'original', 6.5, '6.5%', 'set', '', '', 'line 314')",
    )
    upgrade(engine)
    with engine.connect() as conn:
        row = conn.execute(select(s.targets.c.value, s.targets.c.source, s.targets.c.reason)).one()
    assert tuple(row) == (6.5, "line 314", "")
    engine.dispose()
