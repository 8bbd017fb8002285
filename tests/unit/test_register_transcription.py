"""The transcribed register, ``indicators.xlsx``, checked as a file against its sources.

These tests open the workbook itself (the client's file), not the module that first wrote it,
so they keep holding after the client edits it. The traceability tests open each cited seed
line and look for the transcribed text in it.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path

import openpyxl
import pytest

from performance import vocabulary as v

REPO_ROOT = Path(__file__).resolve().parents[2]
WORKBOOK = REPO_ROOT / "indicators.xlsx"
SEEDS_DIR = Path(__file__).resolve().parents[3] / "shared" / "seeds"

LAA = "Luton LAA 2008-11"
S256 = "Luton Section 256 2013/14"
LAA_YEARS = ("2008/09", "2009/10", "2010/11")

# One cited line: "001_7c62a6d3c6b93d0e.txt line 290"; later ones may drop the file name.
SOURCE_RE = re.compile(
    r"^\d{3}_[0-9a-f]{16}\.txt line \d+(; (\d{3}_[0-9a-f]{16}\.txt )?line \d+)*$"
)
_CITE_RE = re.compile(r"(?:(\d{3}_[0-9a-f]{16}\.txt) )?line (\d+)")


@cache
def _workbook() -> openpyxl.Workbook:
    return openpyxl.load_workbook(WORKBOOK)


@cache
def _rows(sheet: str) -> tuple[dict, ...]:
    """The sheet's data rows as dicts keyed by header; empty if the workbook is missing."""
    if not WORKBOOK.exists():
        return ()
    ws = _workbook()[sheet]
    headers = [c.value for c in ws[1]]
    return tuple(
        dict(zip(headers, values, strict=True))
        for values in ws.iter_rows(min_row=2, values_only=True)
        if any(value is not None for value in values)
    )


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _label(row: dict) -> str:
    parts = [row["code"], _text(row.get("part")), _text(row.get("year")),
             _text(row.get("version"))]
    return " ".join(p for p in parts if p)


def _indicators(framework: str = LAA) -> list[dict]:
    return [r for r in _rows(v.SHEET_INDICATORS) if r["framework"] == framework]


def _targets(code: str, year: str | None = None, version: str | None = None) -> list[dict]:
    return [
        r for r in _rows(v.SHEET_TARGETS)
        if r["code"] == code and (year is None or r["year"] == year)
        and (version is None or r["version"] == version)
    ]


def _normalise(text: str) -> str:
    return " ".join(text.split())


@cache
def _seed_lines(name: str) -> tuple[str, ...]:
    return tuple((SEEDS_DIR / name).read_text(encoding="utf-8").split("\n"))


def _cited_lines(source: str) -> list[tuple[str, int]]:
    cited, current = [], None
    for name, number in _CITE_RE.findall(source):
        current = name or current
        cited.append((current, int(number)))
    return cited


def _assert_occurs_in_cited_line(text: str, source: str) -> None:
    if not SEEDS_DIR.is_dir():
        pytest.skip(f"seed documents not found at {SEEDS_DIR}; traceability not checked")
    wanted = _normalise(text)
    seen = []
    for name, number in _cited_lines(source):
        lines = _seed_lines(name)
        assert 1 <= number <= len(lines), f"{name} has no line {number}"
        line = _normalise(lines[number - 1])
        if wanted in line:
            return
        seen.append(f"{name} line {number}: {line[:200]}")
    pytest.fail(f"'{text}' does not occur in the cited line(s):\n" + "\n".join(seen))


# --- the workbook as a file ------------------------------------------------------------------


def test_workbook_exists_at_repository_root():
    assert WORKBOOK.exists(), "run `python -m data_loaders.luton_register` to write it"


@pytest.mark.parametrize(
    ("sheet", "required"),
    [
        (v.SHEET_FRAMEWORKS, v.FRAMEWORK_COLUMNS),
        (v.SHEET_INDICATORS, v.INDICATOR_COLUMNS),
        (v.SHEET_TARGETS, v.TARGET_COLUMNS),
        (v.SHEET_RETURNS, v.RETURN_COLUMNS),
        (v.SHEET_THEME_BOARDS, v.THEME_BOARD_COLUMNS),
        (v.SHEET_SETTINGS, v.SETTING_COLUMNS),
    ],
)
def test_sheet_headers_start_with_vocabulary_columns(sheet, required):
    headers = [c.value for c in _workbook()[sheet][1]]
    assert tuple(headers[: len(required)]) == required


ALL_SHEETS = (v.SHEET_FRAMEWORKS, v.SHEET_INDICATORS, v.SHEET_TARGETS, v.SHEET_RETURNS,
              v.SHEET_THEME_BOARDS, v.SHEET_SETTINGS)


@pytest.mark.parametrize("sheet", ALL_SHEETS)
def test_sheet_header_row_is_bold_and_frozen(sheet):
    ws = _workbook()[sheet]
    assert ws.freeze_panes == "A2"
    assert all(cell.font.bold for cell in ws[1])


# --- which indicators ------------------------------------------------------------------------

DESIGNATED = (
    "NI 001 NI 007 NI 008 NI 015 NI 016 NI 017 NI 023 NI 030 NI 032 NI 039 NI 054 NI 056 "
    "NI 063 NI 069 NI 110 NI 111 NI 112 NI 117 NI 120 NI 121 NI 123 NI 124 NI 135 NI 142 "
    "NI 151 NI 152 NI 154 NI 156 NI 162 NI 163 NI 171 NI 181 NI 188 NI 193 NI 198"
)
LOCAL = ("NI 011 NI 019 NI 021 NI 051 NI 057 NI 125 NI 130 NI 153 NI 155 NI 172 NI 186 "
         "NI 187 NI 192")
STATUTORY = "NI 072 NI 073 NI 075 NI 087 NI 092 NI 093 NI 094 NI 099 NI 100 NI 101"


def _codes(text: str) -> set[str]:
    return {f"NI {n}" for n in text.replace("NI ", "").split()}


@pytest.mark.parametrize(
    ("kind", "expected", "count"),
    [("designated", _codes(DESIGNATED), 35), ("local", _codes(LOCAL), 13),
     ("statutory", _codes(STATUTORY), 10)],
)
def test_active_laa_codes_of_each_kind_match_the_agreement(kind, expected, count):
    found = {r["code"] for r in _indicators() if r["kind"] == kind and r["status"] == "active"}
    assert len(expected) == count
    assert found == expected


def test_active_laa_indicators_number_fifty_eight():
    assert len({r["code"] for r in _indicators() if r["status"] == "active"}) == 58


def test_ni_173_is_kept_with_status_removed():
    rows = [r for r in _indicators() if r["code"] == "NI 173"]
    assert len(rows) == 1
    assert rows[0]["status"] == "removed"
    assert rows[0]["kind"] == "local"
    assert rows[0]["theme_board"] == "Environment and Economy Board"
    assert _targets("NI 173") == []


def test_ni_120_has_male_and_female_parts():
    parts = {r["part"] for r in _indicators() if r["code"] == "NI 120"}
    assert parts == {"male", "female"}
    for part in parts:
        assert {t["year"] for t in _targets("NI 120") if t["part"] == part} == set(LAA_YEARS)


@pytest.mark.parametrize(
    ("part", "polarity"),
    [("SAP below 35", "lower_is_better"), ("SAP 65 and above", "higher_is_better")],
)
def test_ni_187_parts_have_opposite_polarities(part, polarity):
    rows = [r for r in _indicators() if r["code"] == "NI 187"]
    assert len(rows) == 2
    assert [r["polarity"] for r in rows if r["part"] == part] == [polarity]


@pytest.mark.parametrize(
    ("code", "polarity"),
    [("NI 039", "lower_is_better"), ("NI 056", "lower_is_better"),
     ("NI 121", "lower_is_better"), ("NI 123", "higher_is_better"),
     ("NI 172", "higher_is_better"), ("NI 087", "lower_is_better"),
     ("NI 092", "lower_is_better"), ("NI 099", "higher_is_better")],
)
def test_polarity_follows_what_is_measured_not_target_direction(code, polarity):
    assert {r["polarity"] for r in _indicators() if r["code"] == code} == {polarity}


def test_ni_120_polarity_is_lower_is_better_for_both_parts():
    assert {r["polarity"] for r in _indicators() if r["code"] == "NI 120"} == {"lower_is_better"}


# --- allowed values and types ----------------------------------------------------------------

@pytest.mark.parametrize(
    ("column", "allowed"),
    [("polarity", v.POLARITIES), ("kind", v.KINDS), ("unit", v.UNITS),
     ("measure", v.MEASURES), ("frequency", v.FREQUENCIES),
     ("status", v.INDICATOR_STATUSES), ("reward_eligible", v.YES_NO)],
)
def test_every_indicator_row_has_an_allowed_value(column, allowed):
    bad = [(_label(r), r[column]) for r in _rows(v.SHEET_INDICATORS) if r[column] not in allowed]
    assert _rows(v.SHEET_INDICATORS) and bad == []


@pytest.mark.parametrize(
    ("column", "allowed"),
    [("status", v.TARGET_STATUSES), ("version", v.TARGET_VERSIONS),
     ("year", (*LAA_YEARS, "2013/14"))],
)
def test_every_target_row_has_an_allowed_value(column, allowed):
    bad = [(_label(r), r[column]) for r in _rows(v.SHEET_TARGETS) if r[column] not in allowed]
    assert _rows(v.SHEET_TARGETS) and bad == []


@pytest.mark.parametrize(
    ("sheet", "column"),
    [(v.SHEET_INDICATORS, "baseline"), (v.SHEET_INDICATORS, "tolerance_pct"),
     (v.SHEET_TARGETS, "value"), (v.SHEET_RETURNS, "value")],
)
def test_numeric_cells_are_numbers_or_empty_never_text(sheet, column):
    bad = [(_label(r), r[column]) for r in _rows(sheet)
           if r[column] is not None and (isinstance(r[column], bool)
                                         or not isinstance(r[column], int | float))]
    assert bad == []


def test_set_targets_have_a_value_and_others_have_none():
    for r in _rows(v.SHEET_TARGETS):
        if r["status"] == "set":
            assert isinstance(r["value"], int | float), _label(r)
        else:
            assert r["value"] is None, _label(r)


def test_every_laa_part_has_one_original_target_per_year():
    for ind in _indicators():
        if ind["status"] == "removed":
            continue
        years = sorted(t["year"] for t in _targets(ind["code"], version="original")
                       if _text(t["part"]) == _text(ind["part"]))
        assert years == sorted(LAA_YEARS), _label(ind)


# --- sources and traceability ----------------------------------------------------------------

@pytest.mark.parametrize(
    "sheet", [v.SHEET_FRAMEWORKS, v.SHEET_INDICATORS, v.SHEET_TARGETS, v.SHEET_RETURNS,
              v.SHEET_THEME_BOARDS])
def test_every_row_cites_a_seed_file_line(sheet):
    bad = [_label(r) if "code" in r else r for r in _rows(sheet)
           if not SOURCE_RE.match(_text(r["source"]))]
    assert _rows(sheet) and bad == []


@pytest.mark.parametrize(
    "row",
    [pytest.param(r, id=_label(r)) for r in _rows(v.SHEET_INDICATORS)],
)
def test_indicator_baseline_text_occurs_in_cited_line(row):
    _assert_occurs_in_cited_line(_text(row["baseline_text"]), row["source"])


@pytest.mark.parametrize(
    "row",
    [pytest.param(r, id=_label(r)) for r in _rows(v.SHEET_TARGETS)],
)
def test_target_text_occurs_in_cited_line(row):
    _assert_occurs_in_cited_line(_text(row["text"]), row["source"])


@pytest.mark.parametrize(
    "row",
    [pytest.param(r, id=f"{r['code']} {r['area']} {r['period']}")
     for r in _rows(v.SHEET_RETURNS)],
)
def test_return_value_occurs_in_cited_line(row):
    value = row["value"]
    written = f"{value:g}"
    _assert_occurs_in_cited_line(written, row["source"])


# --- targets: versions, surveys, placeholders ------------------------------------------------

@pytest.mark.parametrize(
    ("code", "year", "value"),
    [("NI 151", "2010/11", -7.5), ("NI 152", "2010/11", -0.5), ("NI 154", "2010/11", 140),
     ("NI 171", "2010/11", 51.5), ("NI 125", "2009/10", 92.0), ("NI 125", "2010/11", 95.0)],
)
def test_refreshed_target_exists_with_decision_and_effective_date(code, year, value):
    refreshed = _targets(code, year, "refreshed")
    assert len(refreshed) == 1
    row = refreshed[0]
    assert row["value"] == pytest.approx(value)
    assert row["status"] == "set"
    assert "Full Council 19 January 2010" in row["decided_by"]
    assert "12 March 2010" in row["decided_by"]
    effective = row["effective_from"]
    effective = effective.date() if isinstance(effective, dt.datetime) else effective
    assert effective == dt.date(2010, 1, 19)
    # the original version stays alongside the refreshed one
    assert len(_targets(code, year, "original")) == 1


@pytest.mark.parametrize(
    ("code", "comparator", "gap"),
    [("NI 151", "Great Britain", -7.5), ("NI 152", "England", -0.5)],
)
def test_refreshed_gap_targets_measure_the_gap_to_the_comparator(code, comparator, gap):
    (ind,) = [r for r in _indicators() if r["code"] == code]
    assert ind["comparator"] == comparator
    assert ind["measure"] == "snapshot"
    (row,) = _targets(code, "2010/11", "refreshed")
    assert row["measure"] == "gap_to_comparator"
    assert row["value"] == gap


@pytest.mark.parametrize(
    ("code", "year", "value"),
    [("NI 154", "2008/09", 640), ("NI 154", "2009/10", 720), ("NI 154", "2010/11", 695),
     ("NI 162", "2008/09", 950), ("NI 162", "2009/10", 1000), ("NI 162", "2010/11", 1050)],
)
def test_cumulative_agreement_targets_hold_each_years_share(code, year, value):
    (ind,) = [r for r in _indicators() if r["code"] == code]
    assert ind["measure"] == "cumulative_agreement"
    (row,) = _targets(code, year, "original")
    assert row["value"] == value


def test_ni_154_refreshed_running_total_is_the_renegotiated_1500():
    original = {t["year"]: t["value"] for t in _targets("NI 154", version="original")}
    (refreshed,) = _targets("NI 154", "2010/11", "refreshed")
    assert original["2008/09"] + original["2009/10"] + refreshed["value"] == 1500
    assert sum(original.values()) == 2055


@pytest.mark.parametrize("code", ["NI 001", "NI 017", "NI 021", "NI 023"])
def test_place_survey_indicators_have_no_survey_in_2009_10(code):
    (row,) = _targets(code, "2009/10", "original")
    assert row["status"] == "no_survey"
    (ind,) = [r for r in _indicators() if r["code"] == code]
    assert ind["frequency"] == "biennial_survey"
    assert "2009/10" not in _text(ind["survey_years"])


@pytest.mark.parametrize("code", ["NI 007", "NI 030"])
def test_target_for_2010_11_is_to_be_confirmed(code):
    (row,) = _targets(code, "2010/11", "original")
    assert row["status"] == "to_be_confirmed"
    assert row["value"] is None


@pytest.mark.parametrize("code", ["NI 093", "NI 094"])
def test_statutory_zero_placeholder_is_not_a_target(code):
    (row,) = _targets(code, "2008/09", "original")
    assert row["text"] == "0"
    assert row["status"] == "not_applicable"
    assert row["value"] is None


def test_ni_054_is_not_reward_eligible():
    (row,) = [r for r in _indicators() if r["code"] == "NI 054"]
    assert row["reward_eligible"] == "no"


# --- the other sheets ------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("code", "area", "period", "value", "provisional"),
    [("NI 151", "Luton", "2009/10 Q1", 66.4, "no"),
     ("NI 151", "Great Britain", "2007/08", 74.3, "no"),
     ("NI 152", "Luton", "2009/10 Q2", 14, "no"),
     ("NI 152", "England", "2009/10 Q1", 12.3, "no"),
     ("NI 154", "Luton", "2008/09", 640, "no"),
     ("NI 171", "Luton", "2008/09", 49.6, "no"),
     ("NI 117", "Luton", "2009/10", 6.55, "yes")],
)
def test_returns_hold_the_values_stated_in_the_papers(code, area, period, value, provisional):
    rows = [r for r in _rows(v.SHEET_RETURNS)
            if (r["code"], r["area"], r["period"]) == (code, area, period)]
    assert len(rows) == 1
    assert rows[0]["value"] == pytest.approx(value)
    assert rows[0]["provisional"] == provisional


@pytest.mark.parametrize(
    ("framework", "first", "last"),
    [(LAA, "2008/09", "2010/11"), (S256, "2013/14", "2013/14")],
)
def test_frameworks_list_both_agreements_with_their_years(framework, first, last):
    rows = [r for r in _rows(v.SHEET_FRAMEWORKS) if r["framework"] == framework]
    assert len(rows) == 1
    assert (rows[0]["first_year"], rows[0]["last_year"], rows[0]["own_area"]) == (
        first, last, "Luton")


def test_section_256_schedule_a_is_loaded_as_second_framework():
    codes = [r["code"] for r in _indicators(S256)]
    assert codes == ["ASCOF 1A", "ASCOF 1C", "ASCOF 1D", "LOCAL EQUIP7", "NHS READMIT30",
                     "ASCOF 2B(1)", "ASCOF 2C(2)", "ASCOF 2C(1)", "ASCOF 1E", "LOCAL LDHC",
                     "ASCOF 1F"]
    assert {r["theme_board"] for r in _indicators(S256)} == {"Health and Wellbeing Board (2013)"}


def test_every_indicator_theme_board_is_listed_on_theme_boards():
    boards = {(r["framework"], r["theme_board"]) for r in _rows(v.SHEET_THEME_BOARDS)}
    used = {(r["framework"], r["theme_board"]) for r in _rows(v.SHEET_INDICATORS)}
    assert used <= boards


@pytest.mark.parametrize(
    ("board", "chair"),
    [("Stronger and Safer Communities Board", None),
     ("Children and Young People's Trust Board", "Debbie Jones"),
     ("Health and Well-Being Board", "Penny Furness-Smith"),
     ("Environment and Economy Board", "Colin Chick"),
     ("Health and Wellbeing Board (2013)", "Councillor Hazel Simmons")],
)
def test_theme_board_chairs_are_as_named_in_the_papers(board, chair):
    rows = [r for r in _rows(v.SHEET_THEME_BOARDS) if r["theme_board"] == board]
    assert len(rows) == 1
    assert rows[0]["chair"] == chair


def test_settings_hold_the_partnership_defaults():
    settings = {r["setting"]: r["value"] for r in _rows(v.SHEET_SETTINGS)}
    assert settings == {"default_tolerance_pct": 5, "rag_scheme": "baseline_and_target",
                        "own_area": "Luton", "direction_threshold_pct": 1}
