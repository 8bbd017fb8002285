"""The indicative reward estimate: shares of improvement, and the rule only when it is set."""

from __future__ import annotations

import math

import pytest

from performance import rag, reward
from performance.overview import with_register_columns

NAN = math.nan


@pytest.mark.parametrize(("value", "baseline", "target", "expected"), [
    (7.2, 7.2, 6.5, 0.0),            # at the baseline (lower is better)
    (6.5, 7.2, 6.5, 100.0),          # at the target
    (6.85, 7.2, 6.5, 50.0),          # half way
    (6.2, 7.2, 6.5, 1000 / 7),       # beyond the target
    (7.9, 7.2, 6.5, -100.0),         # worse than the baseline
    (70.0, 60.0, 80.0, 50.0),        # higher is better
    (NAN, 60.0, 80.0, NAN),          # no value
    (70.0, NAN, 80.0, NAN),          # no baseline
    (70.0, 80.0, 80.0, NAN),         # no improvement asked
])
def test_share_of_improvement_from_baseline_to_target(value, baseline, target, expected):
    got = float(reward.share_of_improvement([value], [baseline], [target])[0])
    assert (math.isnan(got) and math.isnan(expected)) or got == pytest.approx(expected)


RULE = {"threshold": 60.0, "pro_rata": True, "cap": 100.0}


@pytest.mark.parametrize(("share", "applied", "expected"), [
    (50.0, RULE, 0.0), (60.0, RULE, 60.0), (80.0, RULE, 80.0), (130.0, RULE, 100.0),
    (80.0, {**RULE, "pro_rata": False}, 0.0), (100.0, {**RULE, "pro_rata": False}, 100.0),
    (80.0, None, NAN), (NAN, RULE, NAN),
])
def test_reward_share_applies_threshold_pro_rata_and_cap_only_when_set(share, applied, expected):
    got = float(reward.reward_share([share], applied)[0])
    assert (math.isnan(got) and math.isnan(expected)) or got == pytest.approx(expected)


def test_rule_is_blank_until_every_setting_is_given_and_refuses_bad_ones():
    assert reward.rule({}) is None
    assert reward.rule({"reward_threshold_pct": "60", "reward_pro_rata": "yes"}) is None
    full = {"reward_threshold_pct": "60", "reward_pro_rata": "yes", "reward_cap_pct": "100"}
    assert reward.rule(full) == RULE
    with pytest.raises(ValueError, match="reward_pro_rata"):
        reward.rule({"reward_threshold_pct": "60", "reward_pro_rata": "maybe", "reward_cap_pct": "100"})


def test_estimate_lists_reward_eligible_parts_only_labelled_indicative(build):
    build.indicator("NI 117", polarity="lower_is_better", baseline=7.2, reward_eligible=True)
    build.target("NI 117", "2009/10", 6.5).ret("NI 117", "2009/10 Q3", 6.85)
    build.indicator("NI 8", baseline=20.0).target("NI 8", "2009/10", 25.0).ret("NI 8", "2009/10 Q3", 22.0)
    register = build.register()
    rated = with_register_columns(rag.rate(register, periods=["2009/10 Q3"]), register)
    table = reward.estimate(rated, "2009/10 Q3", register.settings)
    assert table["code"].tolist() == ["NI 117"]
    assert table["share_so_far"].iloc[0] == pytest.approx(50.0)
    shown = reward.display(table)
    assert shown["Basis"].tolist() == ["Indicative"]
    assert shown["Reward share so far"].tolist() == ["rule not traced"]
    assert shown["At the year-end forecast"].tolist() == ["50%"]  # the engine projects the value on
