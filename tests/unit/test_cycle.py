"""The quarterly cycle's rules: due dates, which parts are chased, each part's state."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from performance import cycle, rag

D = dt.date


@pytest.mark.parametrize(("period", "days", "overrides", "expected"), [
    ("2009/10 Q1", 30, None, D(2009, 7, 30)),
    ("2009/10 Q2", 30, None, D(2009, 10, 30)),
    ("2009/10 Q3", 30, None, D(2010, 1, 30)),
    ("2009/10 Q4", 30, None, D(2010, 4, 30)),
    ("2009/10", 30, None, D(2010, 4, 30)),         # the year ends with Q4, 31 March
    ("2009/10 Q3", 0, None, D(2009, 12, 31)),
    ("2009/10 Q3", 45, None, D(2010, 2, 14)),
    ("2009/10 Q3", 30, {"2009/10 Q3": D(2010, 1, 15)}, D(2010, 1, 15)),   # the admin's date wins
    ("2009/10 Q3", 30, {"2009/10 Q2": D(2009, 11, 1)}, D(2010, 1, 30)),   # another period's does not
])
def test_due_date_is_days_after_period_end_unless_set(period, days, overrides, expected):
    assert cycle.due_date(period, days, overrides) == expected


@pytest.mark.parametrize(("settings", "expected"), [
    ({}, 30), ({"returns_due_days": ""}, 30), ({"returns_due_days": "21"}, 21),
    ({"returns_due_days": " 0 "}, 0),
])
def test_due_days_reads_the_setting_or_defaults_to_30(settings, expected):
    assert cycle.due_days(settings) == expected


@pytest.mark.parametrize("raw", ["thirty", "-1", "2.5"])
def test_due_days_refuses_a_setting_that_is_not_days(raw):
    with pytest.raises(ValueError, match="returns_due_days"):
        cycle.due_days({"returns_due_days": raw})


DEADLINE = D(2010, 1, 30)


@pytest.mark.parametrize(("db_state", "signed_off", "as_of", "expected"), [
    (None, False, D(2010, 1, 10), ("missing", 0)),
    (None, False, DEADLINE, ("missing", 0)),             # due today is not yet overdue
    (None, False, D(2010, 2, 1), ("overdue", 2)),
    (None, False, D(2010, 3, 1), ("overdue", 30)),
    ("published", False, D(2010, 3, 1), ("submitted", 0)),   # in, sign-off off
    ("published", True, D(2010, 3, 1), ("published", 0)),    # signed off
    ("submitted", False, D(2010, 3, 1), ("awaiting_sign_off", 0)),
    ("returned", False, D(2010, 1, 10), ("sent_back", 0)),
    ("returned", False, D(2010, 2, 4), ("sent_back", 5)),     # sent back and late
])
def test_return_state_of_each_case(db_state, signed_off, as_of, expected):
    assert cycle.return_state(db_state, signed_off=signed_off, deadline=DEADLINE, as_of=as_of) == expected


def test_return_state_refuses_an_unknown_database_state():
    with pytest.raises(ValueError, match="unknown state"):
        cycle.return_state("lost", signed_off=False, deadline=DEADLINE, as_of=DEADLINE)


def _cycle_register(build):
    build.indicator("NI 117", theme_board="Children", lead_partner="Connexions")   # quarterly
    build.target("NI 117", "2009/10", 6.5)
    build.indicator("NI 195", frequency="annual", theme_board="Environment", lead_partner="LBC")
    build.target("NI 195", "2009/10", 10.0)
    build.indicator("NI 1", frequency="biennial_survey", survey_years="2008/09;2010/11",
                    theme_board="Stronger", lead_partner="LBC")
    build.target("NI 1", "2008/09", 60.0).target("NI 1", "2010/11", 62.0)
    build.indicator("NI 173", status="removed", theme_board="Environment", lead_partner="LBC")
    build.target("NI 173", "2009/10", 1.0)
    build.indicator("NI 8", theme_board="Stronger", lead_partner="Active Luton, LBC")
    build.target("NI 8", "2009/10", 25.0)
    build.indicator("NI 4", theme_board="Stronger", lead_partner="LBC")   # a survey not held
    build.target("NI 4", "2009/10", None, status="no_survey")
    return build.register()


@pytest.mark.parametrize(("period", "expected"), [
    ("2009/10 Q3", ["NI 117", "NI 8"]),            # the annual, survey and removed parts are not
    # the year: the annual part (quarterly parts report in Q4); no survey in 2009/10
    ("2009/10", ["NI 195"]),
    ("2010/11", ["NI 1", "NI 195"]),   # the survey year
])
def test_due_parts_never_lists_annual_survey_removed_or_no_survey_parts_out_of_turn(build, period, expected):
    register = _cycle_register(build)
    rated = rag.rate(register, periods=[period])
    assert sorted(cycle.due_parts(rated, "LAA", period)["code"]) == expected


AS_OF = D(2010, 2, 9)  # ten days after the deadline


def _table(build, submissions, contacts=None, as_of=AS_OF):
    register = _cycle_register(build)
    rated = rag.rate(register, periods=["2009/10 Q3"])
    subs = pd.DataFrame(submissions, columns=["code", "part", "state", "signed_off",
                                              "submitted_by", "submitted_at"])
    contacts = pd.DataFrame(contacts or [], columns=["lead_partner", "code", "part", "officer", "email"])
    return cycle.returns_due(rated, register.indicators, "LAA", "2009/10 Q3", submissions=subs,
                             contacts=contacts, deadline=DEADLINE, as_of=as_of)


def test_returns_due_gives_each_part_its_state_and_days_overdue(build):
    table = _table(build, [("NI 117", "", "submitted", False, "kim@connexions", None)])
    states = dict(zip(table["code"], zip(table["state"], table["days_overdue"], strict=True), strict=True))
    assert states == {"NI 117": ("awaiting_sign_off", 0), "NI 8": ("overdue", 10)}
    assert table.set_index("code").loc["NI 117", "submitted_by"] == "kim@connexions"


def test_returns_due_finds_officer_by_part_first_then_first_lead_partner(build):
    contacts = [("LBC", "", "", "Lee Council", "lee@luton.gov.uk"),
                ("Connexions", "", "", "Cat Connexions", "cat@connexions.org"),
                ("", "NI 117", "", "Pat Part", "pat@luton.gov.uk")]
    table = _table(build, [], contacts).set_index("code")
    assert table.loc["NI 117", "email"] == "pat@luton.gov.uk"       # its own contact
    assert table.loc["NI 8", "email"] == "lee@luton.gov.uk"          # Active Luton has none; LBC does


def test_progress_and_counts_count_collected_states(build):
    table = _table(build, [("NI 117", "", "published", True, "kim", None)])
    assert cycle.progress(table) == (1, 2)
    counts = cycle.state_counts(table, "theme_board").set_index("Theme board")
    assert counts.loc["All", "Due"] == 2
    assert counts.loc["All", "Published"] == 1 and counts.loc["Stronger", "Overdue"] == 1
    assert counts.loc["All", "Collected"] == "1 of 2 (50%)"
    assert "state" not in counts.columns and "overdue" not in counts.columns   # client's words


def test_reminder_groups_chase_only_missing_overdue_and_sent_back_with_an_email(build):
    contacts = [("LBC", "", "", "Lee Council", "lee@luton.gov.uk"),
                ("Connexions", "", "", "Cat Connexions", "cat@connexions.org")]
    table = _table(build, [("NI 117", "", "published", True, "cat", None)], contacts)
    groups = cycle.reminder_groups(table)
    assert list(groups) == ["lee@luton.gov.uk"]
    assert groups["lee@luton.gov.uk"]["code"].tolist() == ["NI 8"]
    body = cycle.reminder_text("Lee Council", groups["lee@luton.gov.uk"], "2009/10 Q3", DEADLINE,
                               "http://app/Returns")
    assert "NI 8" in body and "10 days overdue" in body and "http://app/Returns" in body
    assert "30 January 2010" in body


def test_filter_table_by_lead_partner_matches_any_of_several(build):
    table = _table(build, [])
    assert cycle.filter_table(table, lead_partner="Active Luton")["code"].tolist() == ["NI 8"]
    assert cycle.filter_table(table, states=["overdue"])["code"].tolist() == ["NI 117", "NI 8"]


def test_counts_by_lead_partner_count_a_shared_part_for_each_partner(build):
    table = _table(build, [])
    counts = cycle.state_counts(cycle.by_each_lead_partner(table), "lead_partner").set_index("Lead partner")
    assert counts["Due"].to_dict() == {"All": 3, "Active Luton": 1, "Connexions": 1, "LBC": 1}
