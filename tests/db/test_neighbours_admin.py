"""Neighbour groups and Fingertips IDs an administrator edits, on SQLite and PostgreSQL:
refusals by field leave the database unchanged; every change is in the audit trail."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from data_loaders import audit
from data_loaders import schema as s
from data_loaders.benchmarks_store import (
    change_group,
    fingertips_ids,
    fingertips_parts,
    group_members,
    known_areas,
    read_benchmark_values,
    set_fingertips_indicator,
    store_benchmark_values,
)
from data_loaders.comparators_file import check_comparators_file
from data_loaders.database import file_checksum, make_engine, read_register, seed_register, upgrade
from data_loaders.workbook import DEFAULT_REGISTER_PATH
from performance.changes import ChangeRefused

REPO_ROOT = Path(__file__).resolve().parents[2]
GROUP = "Statistical neighbours"
FRAMEWORK = "Luton LAA 2008-11"
TABLES = [s.benchmark_areas, s.benchmark_group_members, s.fingertips_indicators, s.audit_log]
HEADER = "code,part,area,period,value,count,denominator,lower_95,upper_95,lower_998,upper_998,source"


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


def _members(engine) -> dict[str, str]:
    rows = group_members(engine)
    return dict(zip(rows.loc[rows["member"] != "", "member"], rows.loc[rows["member"] != "", "source"],
                    strict=True))


def test_add_then_remove_a_neighbour_each_with_source_and_reason_in_the_audit_trail(engine):
    change_group(engine, "add", GROUP, [("Slough", "CIPFA 2019 list (sub-group copy)")],
                 actor="admin@luton.gov.uk", reason="agreed at the sub-group, 3 March 2010")
    change_group(engine, "add", GROUP, [("Bedford", "ONS area classification 2011")],
                 actor="admin@luton.gov.uk", reason="nearest by the ONS classification")
    assert _members(engine) == {"Bedford": "ONS area classification 2011",
                                "Slough": "CIPFA 2019 list (sub-group copy)"}
    change_group(engine, "remove", GROUP, [("slough", "")], actor="admin@luton.gov.uk",
                 reason="not in the 2010 list")
    assert _members(engine) == {"Bedford": "ONS area classification 2011"}
    entries = audit.read(engine, action="benchmark_group_edited")
    assert entries["entity_key"].tolist() == [GROUP] * 3
    assert entries["reason"].iloc[0] == "not in the 2010 list"
    assert json.loads(entries["before"].iloc[0]) == {"Bedford": "ONS area classification 2011",
                                                     "Slough": "CIPFA 2019 list (sub-group copy)"}
    assert json.loads(entries["after"].iloc[0]) == {"Bedford": "ONS area classification 2011"}


@pytest.mark.parametrize(("change", "members", "reason", "expected"), [
    ("add", [("Slough", "")], "agreed", [("source", "give the source of Slough")]),
    ("add", [("Slough", "CIPFA")], " ", [("reason", "give the reason")]),
    ("add", [("Bedford", "CIPFA")], "again", [("member", "'Bedford' is already a member")]),
    ("add", [("england", "CIPFA")], "x", [("member", "England is a benchmark area (country) itself")]),
    ("add", [("Luton", "CIPFA")], "x", [("member", "Luton is the own area of Luton LAA 2008-11 and")]),
    ("add", [("", "CIPFA")], "x", [("member", "a member needs a name")]),
    ("remove", [("Narnia", "")], "x", [("member", "'Narnia' is not a member of Statistical neighbours")]),
    ("add", [("Slough", ""), ("", "x")], "", [("member", "needs a name"), ("source", "Slough"),
                                               ("reason", "give the reason")]),
    ("set", [("Slough", "A"), ("SLOUGH", "B")], "x", [("member", "is given twice")]),
])
def test_a_refused_group_change_names_each_field_and_leaves_the_database_unchanged(
        engine, change, members, reason, expected):
    change_group(engine, "add", GROUP, [("Bedford", "ONS area classification 2011")], actor="admin",
                 reason="set-up")
    before = _snapshot(engine)
    with pytest.raises(ChangeRefused) as refused:
        change_group(engine, change, GROUP, members, actor="admin", reason=reason)
    problems = refused.value.problems
    assert len(problems) == len(expected), problems
    ordered = sorted(problems, key=lambda p: p[0] != "member")
    for (field, words), (got_field, got_message) in zip(expected, ordered, strict=True):
        assert field == got_field and words in got_message, problems
    assert _snapshot(engine) == before


def test_an_unknown_group_is_refused_for_add(engine):
    before = _snapshot(engine)
    with pytest.raises(ChangeRefused, match="unknown group 'Nearest'"):
        change_group(engine, "add", "Nearest", [("Slough", "CIPFA")], actor="admin", reason="x")
    assert _snapshot(engine) == before


def test_a_removed_neighbours_values_are_kept_but_not_shown_or_imported_for(engine):
    change_group(engine, "add", GROUP, [("Slough", "CIPFA")], actor="admin", reason="x")
    register = read_register(engine, include_demo=False)
    text = f"{HEADER}\nNI 117,,Slough,2009/10 Q3,6.0,,,,,,,ONS (example)\n".encode()
    check = check_comparators_file(register, text, "s.csv", known_areas(engine), fingertips_parts(engine))
    assert check.ok, check.errors
    store_benchmark_values(engine, check.rows, file_name="s.csv", checksum=file_checksum(text),
                           submitted_by="analyst")
    assert "Slough" in set(read_benchmark_values(engine)["area"])
    change_group(engine, "remove", GROUP, [("Slough", "")], actor="admin", reason="left the list")
    assert "Slough" not in set(read_benchmark_values(engine)["area"])
    assert "Slough" not in known_areas(engine)
    with engine.connect() as conn:
        assert conn.execute(select(s.benchmark_values.c.value)).scalars().all() == [6.0]  # kept
    change_group(engine, "add", GROUP, [("Slough", "CIPFA")], actor="admin", reason="back again")
    assert "Slough" in set(read_benchmark_values(engine)["area"])


def test_fingertips_id_is_set_listed_changed_and_removed_with_audit(engine):
    set_fingertips_indicator(engine, FRAMEWORK, "NI 117", "", "93203", source="Fingertips NEET page",
                             actor="admin", reason="for the NEET download")
    set_fingertips_indicator(engine, FRAMEWORK, "NI 117", "", 93204, source="Fingertips, 2010 series",
                             actor="admin")
    ids = fingertips_ids(engine, FRAMEWORK)
    assert ids[["code", "part", "fingertips_id", "source"]].values.tolist() == [
        ["NI 117", "", 93204, "Fingertips, 2010 series"]]
    assert fingertips_parts(engine) == {93204: (FRAMEWORK, "NI 117", "")}
    set_fingertips_indicator(engine, FRAMEWORK, "NI 117", "", None, source="", actor="admin",
                             reason="no longer published")
    assert fingertips_ids(engine).empty
    entries = audit.read(engine, action="fingertips_id_set")
    assert entries["entity_key"].tolist() == ["NI 117"] * 3
    assert entries["before"].tolist() == ["", "93203", "93204"][::-1]


@pytest.mark.parametrize(("code", "part", "fid", "source", "field", "words"), [
    ("NI 999", "", "1", "x", "code", "has no indicator 'NI 999'"),
    ("NI 117", "boys", "1", "x", "part", "NI 117 has no part 'boys'"),
    ("NI 117", "", "abc", "x", "fingertips_id", "'abc' is not a whole number"),
    ("NI 117", "", "0", "x", "fingertips_id", "not a Fingertips indicator ID"),
    ("NI 117", "", "93203", "x", "fingertips_id", "already the Fingertips ID of NI 120 male"),
    ("NI 117", "", "5", " ", "source", "give the source"),
    ("NI 152", "", None, "", "fingertips_id", "has no Fingertips ID to remove"),
])
def test_a_refused_fingertips_id_names_its_field_and_leaves_the_database_unchanged(
        engine, code, part, fid, source, field, words):
    set_fingertips_indicator(engine, FRAMEWORK, "NI 120", "male", 93203, source="Fingertips", actor="admin")
    before = _snapshot(engine)
    with pytest.raises(ChangeRefused) as refused:
        set_fingertips_indicator(engine, FRAMEWORK, code, part, fid, source=source, actor="admin")
    assert any(f == field and words in m for f, m in refused.value.problems), refused.value.problems
    assert _snapshot(engine) == before


def test_neighbours_command_lists_adds_sets_and_removes_and_refuses_by_option(cli):
    listed = cli("neighbours", "list")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines() == ["group,member,source", "Statistical neighbours,,"]
    added = cli("neighbours", "add", "Slough", "--source", "CIPFA 2019 list", "--reason", "agreed")
    assert added.returncode == 0, added.stderr
    assert "Statistical neighbours: Slough" in added.stdout
    refused = cli("neighbours", "add", "Bedford", "--source", "", "--reason", "")
    assert refused.returncode == 2
    assert "--source: give the source of Bedford" in refused.stderr
    assert "--reason: give the reason" in refused.stderr
    done = cli("neighbours", "set", "Bedford", "Milton Keynes", "--source", "ONS 2011",
               "--reason", "new list")
    assert done.returncode == 0, done.stderr
    assert cli("neighbours", "list").stdout.splitlines()[1:] == [
        "Statistical neighbours,Bedford,ONS 2011", "Statistical neighbours,Milton Keynes,ONS 2011"]
    removed = cli("neighbours", "remove", "Bedford", "--reason", "not a neighbour")
    assert removed.returncode == 0, removed.stderr
    gone = cli("neighbours", "remove", "Bedford", "--reason", "again")
    assert gone.returncode == 2 and "--member: 'Bedford' is not a member" in gone.stderr


def test_fingertips_id_command_sets_lists_removes_and_refuses_unknown_code_or_part(cli):
    done = cli("fingertips-id", "set", "NI 117", "93203", "--source", "Fingertips NEET page")
    assert done.returncode == 0, done.stderr
    assert "NI 117: Fingertips indicator 93203" in done.stdout
    listed = cli("fingertips-id", "list")
    assert listed.stdout.splitlines() == ["code,part,fingertips_id,source",
                                          "NI 117,,93203,Fingertips NEET page"]
    unknown = cli("fingertips-id", "set", "NI 999", "1", "--source", "x")
    assert unknown.returncode == 2 and "--code: Luton LAA 2008-11 has no indicator 'NI 999'" in unknown.stderr
    part = cli("fingertips-id", "set", "NI 117", "1", "--part", "boys", "--source", "x")
    assert part.returncode == 2 and "--part: NI 117 has no part 'boys'" in part.stderr
    removed = cli("fingertips-id", "remove", "NI 117", "--reason", "withdrawn")
    assert removed.returncode == 0, removed.stderr
    assert cli("fingertips-id", "list").stdout.splitlines() == ["code,part,fingertips_id,source"]
