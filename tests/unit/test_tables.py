"""Statuses and directions as people read them: symbol and word, never colour alone."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from performance.tables import direction_badge, for_display


@pytest.mark.parametrize(("direction", "text"), [
    ("improving", "↑ improving"), ("worsening", "↓ worsening"), ("no_change", "→ no change"),
    (math.nan, ""), ("sideways", ""),
])
def test_direction_badge_has_arrow_and_word(direction, text):
    assert direction_badge(direction) == text


def test_for_display_writes_statuses_and_demo_flag_and_keeps_the_raw_frame():
    raw = pd.DataFrame({"status": ["amber", "not_due", math.nan], "forecast_status": ["red", "", "green"],
                        "direction": ["worsening", math.nan, "improving"], "is_demo": [True, False, True],
                        "value": [7.0, math.nan, 6.1]})
    shown = for_display(raw)
    assert shown["status"].tolist() == ["▲ Amber", "– Not due", ""]
    assert shown["forecast_status"].tolist() == ["■ Red", "", "● Green"]
    assert shown["direction"].tolist() == ["↓ worsening", "", "↑ improving"]
    assert shown["illustrative"].tolist() == ["demo", "", "demo"] and "is_demo" not in shown
    assert raw["status"].iloc[0] == "amber"  # the exportable frame is untouched
