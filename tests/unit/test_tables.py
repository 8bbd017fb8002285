"""Statuses and directions as people read them: symbol and word, never colour alone."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from performance.tables import direction_badge, for_display, html_table


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
    assert shown["Forecast basis"].tolist() == ["Officer's forecast", ""]
    assert shown["Value"].iloc[0] == 7.0 and math.isnan(shown["Value"].iloc[1])


@pytest.mark.parametrize(("name", "label"), [
    ("theme_board", "Theme board"), ("code", "Code"), ("forecast_year_end", "Forecast year end"),
])
def test_column_label_writes_headings_in_words(name, label):
    from performance.tables import column_label
    assert column_label(name) == label


@pytest.mark.parametrize(("column", "code", "words"), [
    ("polarity", "higher_is_better", "Higher is better"),
    ("polarity", "lower_is_better", "Lower is better"),
    ("measure", "snapshot", "Snapshot"),
    ("measure", "cumulative_in_year", "Cumulative in year"),
    ("original_measure", "gap_to_comparator", "Gap to comparator"),
    ("frequency", "biennial_survey", "Biennial survey"),
    ("target_status", "not_applicable", "Not applicable"),
    ("target_status", "no_survey", "No survey"),
    ("unit", "rate_per_1000", "Rate per 1,000"),
    ("unit", "rate_per_100000", "Rate per 100,000"),
    ("kind", "designated", "Designated"),
    ("status", "active", "Active"),
    ("status", "removed", "Removed"),
    ("status", "amber", "▲ Amber"),
    ("direction", "no_change", "→ no change"),
    ("state", "submitted", "Submitted"),
    ("role", "performance_officer", "Performance officer (sub-group)"),
    ("scope_kind", "theme_board", "Theme board"),
    ("action", "target_version_added", "Target version added"),
])
def test_for_display_writes_every_code_in_the_clients_words(column, code, words):
    for dtype in (object, "str", "category"):
        shown = for_display(pd.DataFrame({column: pd.Series([code], dtype=dtype)}))
        assert shown.iloc[0, 0] == words


@pytest.mark.parametrize(("column", "text"), [
    ("action", "LBC to report progress at the next meeting."),  # an action plan, not an audit code
    ("unit", "furlongs"),  # not a code: left as written rather than hidden
    ("title", "higher_is_better"),  # only coded columns are translated
])
def test_for_display_leaves_free_text_as_written(column, text):
    assert for_display(pd.DataFrame({column: [text]})).iloc[0, 0] == text


def test_every_allowed_value_of_the_register_has_a_label():
    from performance import vocabulary as v
    for values, labels in ((v.KINDS, v.KIND_LABELS), (v.POLARITIES, v.POLARITY_LABELS),
                           (v.MEASURES, v.MEASURE_LABELS), (v.FREQUENCIES, v.FREQUENCY_LABELS),
                           (v.UNITS, v.UNIT_LABELS), (v.INDICATOR_STATUSES, v.INDICATOR_STATUS_LABELS),
                           (v.TARGET_STATUSES, v.TARGET_STATUS_LABELS), (v.RAG_SCHEMES, v.RAG_SCHEME_LABELS)):
        assert set(values) == set(labels), labels
        assert all(label[:1].isupper() and "_" not in label for label in labels.values())


def test_every_audit_action_forecast_basis_and_role_has_a_label():
    from data_loaders.audit import ACTIONS
    from performance.access import ROLE_LABELS, ROLES
    from performance.rag import FORECAST_BASES
    from performance.vocabulary import AUDIT_ACTION_LABELS, FORECAST_BASIS_LABELS
    assert set(ACTIONS) == set(AUDIT_ACTION_LABELS)
    assert set(FORECAST_BASES) == set(FORECAST_BASIS_LABELS)
    assert set(ROLES) == set(ROLE_LABELS)


@pytest.mark.parametrize(("frame", "note"), [
    (pd.DataFrame({"value": [1.0, 2.0], "part": ["", "male"]}), ""),
    (pd.DataFrame({"value": [1.0, math.nan]}), "Blank cells: Value, no value recorded."),
    (pd.DataFrame({"target": [math.nan], "forecast_year_end": [math.nan]}),
     "Blank cells: Target, no usable target (the reason says why); Forecast year end, no year-end "
     "forecast given."),
    (pd.DataFrame({"measure": ["", "snapshot"]}), "Blank cells: Measure, the indicator's own measure."),
    (pd.DataFrame({"2009/10": ["*21.5%", None]}), "Blank cells: 2009/10, no target for that year."),
    (pd.DataFrame({"notes": ["", None], "source": [None, "x"]}), ""),  # nothing to explain
])
def test_blank_note_says_what_each_blank_column_means(frame, note):
    from performance.tables import blank_note
    assert blank_note(frame) == note


def test_display_codes_hold_the_issues_examples_and_no_label():
    from performance.tables import CODED_COLUMNS, display_codes
    codes = display_codes()
    assert {"higher_is_better", "lower_is_better", "snapshot", "cumulative_in_year", "biennial_survey",
            "not_applicable", "no_survey", "rate_per_1000", "no_data", "improving"} <= codes
    assert not codes & {label for labels in CODED_COLUMNS.values() for label in labels.values()}


def test_filters_describe_their_codes_in_words():
    from performance.overview import Filters
    described = Filters(status=["red", "no_data"], kind=["designated"], reward_eligible="yes").describe()
    assert described == "kind: Designated; status: ■ Red, ○ No data; reward eligible: yes"


def test_blank_note_says_a_blank_forecast_once():
    from performance.tables import blank_note
    frame = pd.DataFrame({"forecast_year_end": [math.nan], "forecast_basis": [""], "forecast_status": [""]})
    assert blank_note(frame) == "Blank cells: Forecast year end, no year-end forecast given."
    assert blank_note(frame.drop(columns="forecast_year_end")) == (
        "Blank cells: Forecast basis, no forecast; Forecast status, no forecast to rate.")


@pytest.mark.parametrize(("cells", "expected"), [
    (["All theme boards", "4 (+1)"], '<tr><th scope="row">All theme boards</th><td>4 (+1)</td></tr>'),
    (["<b>x</b> & y", "=1+1"], '<tr><th scope="row">&lt;b&gt;x&lt;/b&gt; &amp; y</th><td>=1+1</td></tr>'),
    (["Health", None], '<tr><th scope="row">Health</th><td></td></tr>'),
    (["Health", math.nan], '<tr><th scope="row">Health</th><td></td></tr>'),
])
def test_html_table_escapes_every_cell_and_leaves_a_missing_one_blank(cells, expected):
    html = html_table(pd.DataFrame([cells], columns=["Theme board", "■ Red"]), label="RAG counts 2009/10 Q3")
    assert '<th scope="col">Theme board</th><th scope="col">■ Red</th>' in html
    assert expected in html
    assert 'aria-label="RAG counts 2009/10 Q3"' in html and "None" not in html and "nan" not in html
