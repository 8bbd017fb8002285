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
    shown = for_display(raw).rename(columns=str.lower).rename(columns=lambda c: c.replace(" ", "_"))
    assert shown["status"].tolist() == ["▲ Amber", "– Not due", ""]
    assert shown["forecast_status"].tolist() == ["■ Red", "", "● Green"]
    assert shown["direction"].tolist() == ["↓ worsening", "", "↑ improving"]
    assert shown["illustrative"].tolist() == ["demo", "", "demo"] and "is_demo" not in shown
    assert raw["status"].iloc[0] == "amber"  # the exportable frame is untouched


@pytest.mark.parametrize("text", [
    pd.Series(["officer", math.nan], dtype=object),
    pd.Series(["officer", math.nan], dtype="str"),
    pd.Series(["officer", math.nan], dtype="category"),
])
def test_for_display_shows_missing_text_blank_and_missing_numbers_missing(text):
    shown = for_display(pd.DataFrame({"forecast_basis": text, "value": [7.0, math.nan]}))
    assert shown["Forecast basis"].tolist() == ["officer", ""]
    assert shown["Value"].iloc[0] == 7.0 and math.isnan(shown["Value"].iloc[1])


@pytest.mark.parametrize(("name", "label"), [
    ("theme_board", "Theme board"), ("code", "Code"), ("forecast_year_end", "Forecast year end"),
])
def test_column_label_writes_headings_in_words(name, label):
    from performance.tables import column_label
    assert column_label(name) == label
