"""An administrator's changes, checked before anything is written: every problem names its field."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from performance.changes import ChangeRefused, check_register_edit, check_target_version

D = dt.date
# NI 125 2009/10 as stored: original 95% (1 April 2008), refreshed 92% (19 January 2010).
STORED = pd.DataFrame([
    {"version": "original", "effective_from": D(2008, 4, 1), "value": 95.0},
    {"version": "refreshed", "effective_from": D(2010, 1, 19), "value": 92.0},
])
GOOD = {"code": "NI 125", "part": "", "year": "2009/10", "version": "revised 2010", "value": 90.0,
        "status": "set", "text": "", "measure": "", "effective_from": D(2010, 6, 1),
        "decided_by": "LSP Board 14 June 2010", "source": "", "reason": "Renegotiated after the recession"}


def _check(existing=STORED, unit="percent", part_measure="snapshot", **changes):
    return check_target_version({**GOOD, **changes}, first_year="2008/09", last_year="2010/11",
                                unit=unit, part_measure=part_measure, existing=existing)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        pytest.param({"year": "2011/12"}, "year", "outside the framework's years", id="year_after_framework"),
        pytest.param({"year": "2007/08"}, "year", "outside the framework's years",
                     id="year_before_framework"),
        pytest.param({"year": "2009-10"}, "year", "not a financial year", id="year_badly_written"),
        pytest.param({"version": ""}, "version", "give the new version a name", id="version_empty"),
        pytest.param({"version": "refreshed"}, "version", "already has a version 'refreshed'",
                     id="version_duplicate"),
        pytest.param({"version": "Refreshed "}, "version", "already has a version 'refreshed'",
                     id="version_duplicate_in_other_case"),
        pytest.param({"version": "x" * 21}, "version", "longer than 20", id="version_too_long"),
        pytest.param({"status": "agreed"}, "status", "not a target status", id="status_unknown"),
        pytest.param({"status": "to_be_confirmed"}, "value", "has no number",
                     id="value_with_a_non_set_status"),
        pytest.param({"value": None}, "value", "is empty but the status is 'set'", id="set_without_value"),
        pytest.param({"value": math.nan}, "value", "is empty but the status is 'set'", id="set_with_nan"),
        pytest.param({"value": "ninety"}, "value", "'ninety' is not a number", id="value_not_a_number"),
        pytest.param({"value": math.inf}, "value", "finite", id="value_infinite"),
        pytest.param({"value": 120.0}, "value", "not a percentage", id="percent_above_100"),
        pytest.param({"unit": "count", "value": -5.0}, "value", "-5 is negative; a count cannot be",
                     id="negative_count"),
        pytest.param({"unit": "rate_per_1000", "value": 1.7e308}, "value", "beyond any plausible rate",
                     id="rate_beyond_any_bound"),
        pytest.param({"measure": "rolling"}, "measure", "not a measure", id="measure_unknown"),
        pytest.param({"effective_from": None}, "effective_from", "give the date", id="no_effective_date"),
        pytest.param({"effective_from": "1 June"}, "effective_from", "not a date", id="date_unreadable"),
        pytest.param({"effective_from": D(2009, 12, 1)}, "effective_from",
                     "before 19 January 2010, when the version in force ('refreshed')",
                     id="effective_before_the_version_in_force"),
        pytest.param({"effective_from": D(2099, 1, 1)}, "effective_from",
                     "1 January 2099 is in the future", id="effective_in_the_future"),
        pytest.param({"decided_by": " "}, "decided_by", "say who decided", id="decided_by_empty"),
        pytest.param({"reason": ""}, "reason", "give the reason", id="reason_empty"),
    ],
)
def test_check_target_version_refuses_naming_the_field(changes, field, words):
    with pytest.raises(ChangeRefused) as refused:
        _check(**changes)
    assert [f for f, _ in refused.value.problems] == [field]
    assert words in refused.value.problems[0][1]


def test_check_target_version_reports_every_problem_at_once():
    with pytest.raises(ChangeRefused) as refused:
        _check(version="", value=None, effective_from=None, decided_by="", reason="")
    assert [f for f, _ in refused.value.problems] == [
        "version", "value", "effective_from", "decided_by", "reason"]
    assert str(refused.value).startswith("version: give the new version a name")


@pytest.mark.parametrize("name", ["original", "refreshed", "Original"])
def test_the_workbooks_version_names_are_refused_for_a_year_without_them(name):
    # a later load of indicators.xlsx would overwrite a row of the same name
    with pytest.raises(ChangeRefused, match=f"version: '{name}' is a version name of the register workbook"):
        _check(existing=STORED.iloc[[]], version=name)


@pytest.mark.parametrize(
    ("changes", "kwargs", "expected"),
    [
        pytest.param({}, {}, {"text": "90.0%", "version": "revised 2010", "value": 90.0},
                     id="text_defaults_to_the_value_in_the_unit"),
        pytest.param({"text": "90% (revised)"}, {}, {"text": "90% (revised)"}, id="text_as_written_kept"),
        pytest.param({"status": "to_be_confirmed", "value": None}, {},
                     {"text": "To be confirmed", "value": None}, id="status_words_when_no_number"),
        pytest.param({"year": "2009 / 10", "version": "  revised   2010 "}, {},
                     {"year": "2009/10", "version": "revised 2010"}, id="year_and_name_tidied"),
        pytest.param({"effective_from": D(2010, 1, 19)}, {}, {"effective_from": D(2010, 1, 19)},
                     id="same_day_as_the_version_in_force_is_allowed"),
        pytest.param({"effective_from": "2010-06-01"}, {}, {"effective_from": D(2010, 6, 1)},
                     id="date_as_text"),
        pytest.param({"value": -7.5, "measure": "gap_to_comparator"}, {}, {"value": -7.5},
                     id="negative_gap_is_no_percentage"),
        pytest.param({"value": "1500"}, {"unit": "count"}, {"value": 1500.0, "text": "1,500"},
                     id="count_as_text"),
        pytest.param({"version": "agreed 2010"}, {"existing": STORED.iloc[[]]}, {"version": "agreed 2010"},
                     id="first_version_of_a_year_without_targets"),
    ],
)
def test_check_target_version_returns_the_row_to_store(changes, kwargs, expected):
    row = _check(**kwargs, **changes)
    assert {k: row[k] for k in expected} == expected
    assert row["reason"] == GOOD["reason"]


CURRENT = {"title": "Achieving independence for older people", "theme": "Adult social care",
           "theme_board": "Health and Well-Being Board", "lead_partner": "LBC", "partners": "LBC, NHS Luton",
           "notes": "Original 95% from the refresh report", "source": "001 line 323"}
BOARDS = ["Health and Well-Being Board", "Children and Young People's Trust Board"]


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        pytest.param({"code": "NI 999"}, "code", "cannot be changed from the app", id="code"),
        pytest.param({"part": "male"}, "part", "cannot be changed from the app", id="part"),
        pytest.param({"polarity": "lower_is_better"}, "polarity", "how every value is rated", id="polarity"),
        pytest.param({"baseline": "80"}, "baseline", "how every value is rated", id="baseline"),
        pytest.param({"tolerance_pct": "10"}, "tolerance_pct", "tolerance section", id="tolerance"),
        pytest.param({"status": "removed"}, "status", "agreement decision", id="removing_an_indicator"),
        pytest.param({"colour": "red"}, "colour", "not a field of the register", id="unknown_field"),
        pytest.param({"title": "  "}, "title", "cannot be empty", id="empty_title"),
        pytest.param({"theme_board": "Nowhere Board"}, "theme_board", "not a theme board",
                     id="unknown_board"),
    ],
)
def test_check_register_edit_refuses_naming_the_field(changes, field, words):
    with pytest.raises(ChangeRefused) as refused:
        check_register_edit(changes, CURRENT, theme_boards=BOARDS, reason="typo")
    assert [f for f, _ in refused.value.problems] == [field]
    assert words in refused.value.problems[0][1]


def test_check_register_edit_needs_a_reason():
    with pytest.raises(ChangeRefused, match="reason: give the reason"):
        check_register_edit({"title": "New"}, CURRENT, theme_boards=BOARDS, reason=" ")


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param({"title": "Independence for older people"},
                     {"title": (CURRENT["title"], "Independence for older people")}, id="title"),
        pytest.param({"lead_partner": " NHS  Luton "}, {"lead_partner": ("LBC", "NHS Luton")},
                     id="spaces_tidied"),
        pytest.param({**CURRENT, "theme_board": BOARDS[1]},
                     {"theme_board": (BOARDS[0], BOARDS[1])}, id="only_the_changed_field_of_a_whole_form"),
        pytest.param({"notes": "Line one\nline two"}, {"notes": (CURRENT["notes"], "Line one\nline two")},
                     id="notes_keep_their_lines"),
        pytest.param(dict(CURRENT), {}, id="nothing_differs"),
    ],
)
def test_check_register_edit_returns_before_and_after_of_what_changes(changes, expected):
    assert check_register_edit(changes, CURRENT, theme_boards=BOARDS, reason="sub-group 3 March") == expected


def test_check_register_edit_refuses_a_field_someone_else_changed_meanwhile():
    seen = {**CURRENT, "title": "The title when the page was opened"}
    with pytest.raises(ChangeRefused, match="title: was changed by someone else"):
        check_register_edit({"title": "Mine"}, CURRENT, theme_boards=BOARDS, reason="r", expected=seen)


def test_check_target_version_any_later_version_may_predate_the_original_date():
    # Only the original is stored: a later version beats it whatever its date, so no date
    # comparison applies (a refresh dated before the original's own date is still the later word).
    only_original = STORED[STORED["version"] == "original"]
    row = _check(existing=only_original, effective_from=D(2008, 1, 1))
    assert row["effective_from"] == D(2008, 1, 1)
