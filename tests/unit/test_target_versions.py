"""Which target version is in force: one rule, followed by the register views and the RAG engine.

The rule (``performance.register.version_precedence``): the original first, then every later
version by effective date, versions with the same date in the order they were added; the last
is in force. NI 125 (001 line 257): 2009/10 original 95%, refreshed 92% from 19 January 2010;
"revised 2010" is a third version an administrator adds.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from performance import rag
from performance.register import current_targets, target_history, target_version_order

D = dt.date
ORIGINAL = ("original", D(2008, 4, 1), 95.0)
REFRESHED = ("refreshed", D(2010, 1, 19), 92.0)
REVISED = ("revised 2010", D(2010, 6, 1), 90.0)


def version(name, effective, value):
    return (name, effective, value)


# (id, versions in the order they were added, value of the version in force)
CASES = [
    pytest.param([ORIGINAL], 95.0, id="original_alone_is_in_force"),
    pytest.param([ORIGINAL, REFRESHED], 92.0, id="refreshed_replaces_original"),
    pytest.param([ORIGINAL, REFRESHED, REVISED], 90.0, id="third_version_overrides_refreshed"),
    pytest.param([REVISED, REFRESHED, ORIGINAL], 90.0, id="order_added_does_not_matter_across_dates"),
    pytest.param([ORIGINAL, REFRESHED, version("revised 2009", D(2009, 9, 1), 91.0)], 92.0,
                 id="earlier_effective_version_does_not_override_a_later_one"),
    pytest.param([ORIGINAL, version("a", D(2010, 6, 1), 91.0), version("b", D(2010, 6, 1), 89.0)], 89.0,
                 id="same_date_the_one_added_last_wins"),
    pytest.param([version("original", D(2011, 1, 1), 95.0), REFRESHED], 92.0,
                 id="original_comes_first_whatever_its_date"),
    pytest.param([ORIGINAL, REFRESHED, version("undated", None, 80.0)], 92.0,
                 id="undated_later_version_counts_as_earliest_later_version"),
    pytest.param([ORIGINAL, version("refreshed", "2010-01-19", 92.0),
                  version("revised 2010", "2010-06-01", 90.0)], 90.0,
                 id="dates_written_as_text_order_the_same"),
    pytest.param([ORIGINAL, version(" revised 2010 ", D(2010, 6, 1), 90.0)], 90.0,
                 id="a_version_named_other_than_refreshed_still_replaces_the_original"),
]


def _targets(versions) -> pd.DataFrame:
    return pd.DataFrame([{
        "framework": "LAA", "code": "NI 125", "part": "", "year": "2009/10", "value": value,
        "text": f"{value:g}%", "status": "set", "version": name, "effective_from": effective,
        "decided_by": "", "source": "test", "measure": "",
    } for name, effective, value in versions])


def _register(build, versions):
    build.indicator("NI 125", baseline=89.0)
    for name, effective, value in versions:
        build.target("NI 125", "2009/10", value, version=name, effective_from=effective)
    build.ret("NI 125", "2009/10 Q3", 90.5)
    return build.register()


@pytest.mark.parametrize(("versions", "in_force"), CASES)
def test_current_targets_picks_the_latest_effective_version(versions, in_force):
    current = current_targets(_targets(versions))
    assert current["value"].tolist() == [in_force]


@pytest.mark.parametrize(("versions", "in_force"), CASES)
def test_rag_engine_rates_against_the_same_version_as_the_register(build, versions, in_force):
    register = _register(build, versions)
    row = rag.rate(register, ["2009/10 Q3"]).iloc[0]
    assert row["target"] == in_force
    assert row["target"] == current_targets(register.targets)["value"].iloc[0]


@pytest.mark.parametrize(("versions", "in_force"), CASES)
def test_original_target_stays_visible_beside_the_version_in_force(build, versions, in_force):
    row = rag.rate(_register(build, versions), ["2009/10 Q3"]).iloc[0]
    originals = [value for name, _, value in versions if name.strip() == "original"]
    assert row["original_target"] == originals[0]


@pytest.mark.parametrize(
    ("versions", "value", "status", "target_version"),
    [
        # 90.5 against the refreshed 92: 1.6% off, green; against a revised 95 (raised): amber
        pytest.param([ORIGINAL, REFRESHED], 90.5, "green", "refreshed", id="refreshed_92_green"),
        pytest.param([ORIGINAL, REFRESHED, version("revised 2010", D(2010, 6, 1), 96.0)], 90.5,
                     "amber", "revised 2010", id="revised_96_from_june_2010_amber"),
        pytest.param([ORIGINAL, REFRESHED, version("revised 2010", D(2010, 6, 1), 90.0)], 90.5,
                     "green", "revised 2010", id="revised_90_green"),
    ],
)
def test_third_version_overrides_refreshed_in_the_rating(build, versions, value, status, target_version):
    build.indicator("NI 125", baseline=89.0)
    for name, effective, target in versions:
        build.target("NI 125", "2009/10", target, version=name, effective_from=effective)
    build.ret("NI 125", "2009/10 Q3", value)
    row = rag.rate(build.register(), ["2009/10 Q3"]).iloc[0]
    assert (row["status"], row["target_version"], row["original_target"]) == (status, target_version, 95.0)


def test_target_version_order_puts_original_first_then_by_date_then_as_added():
    frame = _targets([REVISED, version("same day", D(2010, 6, 1), 1.0), ORIGINAL, REFRESHED])
    ordered = frame.iloc[target_version_order(frame)]["version"].tolist()
    assert ordered == ["original", "refreshed", "revised 2010", "same day"]


def test_target_history_lists_every_version_in_order_with_reason_and_the_one_in_force(build):
    register = _register(build, [ORIGINAL, REVISED, REFRESHED])
    register.targets["reason"] = ["", "Renegotiated after the recession", ""]
    history = target_history(register, "LAA", "NI 125")
    assert history["version"].tolist() == ["original", "refreshed", "revised 2010"]
    assert history["in_force"].tolist() == [False, False, True]
    assert history["reason"].tolist() == ["", "", "Renegotiated after the recession"]
    assert history["effective_from"].tolist() == [D(2008, 4, 1), D(2010, 1, 19), D(2010, 6, 1)]


def test_target_history_of_a_workbook_register_has_an_empty_reason(build):
    history = target_history(_register(build, [ORIGINAL]), "LAA", "NI 125")
    assert history["reason"].tolist() == [""] and history["in_force"].tolist() == [True]


def test_no_original_and_no_date_still_gives_one_version_in_force():
    current = current_targets(_targets([("refreshed", None, 92.0), ("revised", None, 90.0)]))
    assert current["value"].tolist() == [90.0]
