"""How the client's indicator register, ``indicators.xlsx``, was transcribed from the papers.

The workbook is the client's file: it is what the partnership edits, uploads and reads, and
``data_loaders.workbook`` is what checks it. This module is only the record of how the first
version was typed in from the source documents in ``/work/shared/seeds`` (plain-text copies
of Luton Forum and Health and Wellbeing Board papers), kept as plain Python data so that
every transcribed cell can be reviewed in a diff and traced to its file and line:

- ``001_7c62a6d3c6b93d0e.txt`` lines 275-375: the table "Luton's Local Area Agreement
  2008 - 2011 (2nd revision 2009-10)" and the statutory education indicators; lines 244-261:
  the refresh report (targets renegotiated in 2009-10); line 441: NI 173 removed;
  line 576: NEET 6.55% rated green.
- ``004_da7029e05c67a984.txt`` lines 3826-3851: Schedule A of the 2013/14 Section 256
  agreement, loaded as a second framework.
- ``000_4cf77ccc92adbf24.txt`` and ``001`` attendance lists: the theme board chairs.

Every cell whose reading needed a decision is listed, with its line, in
``docs/data-notes.md`` and in the row's ``notes``. Once the client edits the workbook, the
workbook wins: do not regenerate it over their changes.

Run ``python -m data_loaders.luton_register`` from the repository root to write
``indicators.xlsx``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from performance import vocabulary as v

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PATH = REPO_ROOT / "indicators.xlsx"

SEED_FILES = {
    "000": "000_4cf77ccc92adbf24.txt",
    "001": "001_7c62a6d3c6b93d0e.txt",
    "004": "004_da7029e05c67a984.txt",
}


def cite(doc: str, *lines: int) -> str:
    """Cite lines of a seed file the register's way, main line first.

    ``cite("001", 290, 294)`` gives ``"001_7c62a6d3c6b93d0e.txt line 290; line 294"``.
    """
    first, *rest = lines
    return "; ".join([f"{SEED_FILES[doc]} line {first}", *(f"line {n}" for n in rest)])


# --- frameworks --------------------------------------------------------------------------

LAA = "Luton LAA 2008-11"
S256 = "Luton Section 256 2013/14"
LAA_YEARS = ("2008/09", "2009/10", "2010/11")
S256_YEARS = ("2013/14",)

FRAMEWORKS = [
    {
        "framework": LAA,
        "title": "Luton's Local Area Agreement 2008 – 2011 (2nd revision 2009-10)",
        "first_year": "2008/09", "last_year": "2010/11", "own_area": "Luton",
        "source": cite("001", 275, 421),
    },
    {
        "framework": S256,
        "title": "Section 256 agreement 2013/14, Schedule A: Measures for Monitoring LBC "
                 "Performance against Section 256 Transfer",
        "first_year": "2013/14", "last_year": "2013/14", "own_area": "Luton",
        "source": cite("004", 3826, 3828),
    },
]

# Who decided a target version, and from when it counts. Original LAA targets count from the
# start of the agreement (1 April 2008), whatever month they were typed in; the 2009-10
# refresh counts from the Full Council decision, not from the later submission to GO-East.
ORIGINAL_FROM = dt.date(2008, 4, 1)
ORIGINAL_DECIDED_BY = "LAA agreed with Government Office for the Eastern Region"
REFRESH_FROM = dt.date(2010, 1, 19)
REFRESH_DECIDED_BY = "Full Council 19 January 2010; submitted to Government Office 12 March 2010"
S256_FROM = dt.date(2013, 4, 1)
S256_DECIDED_BY = ("Health and Wellbeing Board 17 July 2013: Section 256 agreement between "
                   "Luton Borough Council and NHS England, Schedule A")

# --- themes and theme boards -------------------------------------------------------------

SSC = "Safer Stronger Communities"
CYP = "Children & Young People"
AH = "Adult health & well-being and tackling exclusion and promoting equality"
LEES = "Local Economy and Environmental Sustainability"
CYP_STATUTORY = "Children and Young People"  # how the statutory table writes the same theme
S256_THEME = "Measures for Monitoring LBC Performance against Section 256 Transfer"

SSC_BOARD = "Stronger and Safer Communities Board"
CYP_BOARD = "Children and Young People's Trust Board"
HWB_BOARD = "Health and Well-Being Board"
EE_BOARD = "Environment and Economy Board"
HWB_2013 = "Health and Wellbeing Board (2013)"

BOARD_OF_THEME = {
    SSC: SSC_BOARD, CYP: CYP_BOARD, CYP_STATUTORY: CYP_BOARD, AH: HWB_BOARD, LEES: EE_BOARD,
    S256_THEME: HWB_2013,
}

THEME_BOARDS = [
    # The papers never name this board's chair; 001 line 602 only mentions "the Chair of the
    # Stronger and Safer Board", and 000 line 249 has a police officer reporting for it.
    {"theme_board": SSC_BOARD, "chair": "", "theme": SSC, "framework": LAA,
     "source": cite("000", 415) + "; " + cite("001", 602)},
    {"theme_board": CYP_BOARD, "chair": "Debbie Jones", "theme": CYP, "framework": LAA,
     "source": cite("001", 92, 69) + "; " + cite("000", 70)},
    {"theme_board": HWB_BOARD, "chair": "Penny Furness-Smith", "theme": AH, "framework": LAA,
     "source": cite("000", 56, 245) + "; " + cite("001", 88)},
    # Also written "Economy and Environment Board" (000 line 55, 001 line 56); 000 line 235
    # and the theme board reports use "Environment and Economy Board".
    {"theme_board": EE_BOARD, "chair": "Colin Chick", "theme": LEES, "framework": LAA,
     "source": cite("000", 235, 55) + "; " + cite("001", 56)},
    {"theme_board": HWB_2013, "chair": "Councillor Hazel Simmons", "theme": S256_THEME,
     "framework": S256, "source": cite("004", 14, 4252)},
]

SETTINGS = [
    ("default_tolerance_pct", 5),
    ("rag_scheme", "baseline_and_target"),
    ("own_area", "Luton"),
    ("direction_threshold_pct", 1),
]

# --- target cells ------------------------------------------------------------------------

SET, NO_SURVEY, TBC, NA = "set", "no_survey", "to_be_confirmed", "not_applicable"


class Cell(NamedTuple):
    """One year's target cell: the number it is set on, the cell as written, its status.

    ``source`` is given only when the cell is read from another line than its indicator's.
    """

    value: float | None
    text: str
    status: str
    source: str = ""


EMPTY = Cell(None, "", NA)  # an empty cell: no target that year


def _set(value: float, text: str, source: str = "") -> Cell:
    return Cell(value, text, SET, source)


def _no_survey(text: str = "No survey") -> Cell:
    return Cell(None, text, NO_SURVEY)


# --- indicators: the LAA table, 001 lines 279-362 ------------------------------------------
# One dict per indicator part, in the table's order. Fields not given take the defaults in
# _INDICATOR_DEFAULTS. "targets" holds the 08/09, 09/10 and 10/11 cells of the original
# version; refreshed versions are in REFRESHED_TARGETS below.

_INDICATOR_DEFAULTS = {
    "framework": LAA, "part": "", "tolerance_pct": None, "comparator": "", "status": "active",
    "tolerance_points": None, "rag_scheme": "", "survey_years": "", "baseline_period": "",
    "notes": "",
}

PLACE_SURVEY_YEARS = "2008/09;2010/11"
PLACE_SURVEY_NOTE = (
    "Place Survey indicator (biennial): the 08/09 cell is empty, the baseline survey year "
    "(autumn 2008), and 09/10 reads 'No survey'. Baseline period not written in the table.")

LSC_LEAD_NOTE = ("Lead partner is the Learning & Skills Council (italic in the source); the "
                 "refresh report says the LSC may be removed as lead partner for NIs 162 and "
                 "163 (001 line 261).")

LAA_INDICATORS: list[dict] = [
    {
        "code": "NI 001", "kind": "designated", "theme": SSC,
        "title": "% of people who believe people from different backgrounds get on well "
                 "together in their local area.",
        "unit": "percent", "polarity": "higher_is_better", "measure": "snapshot",
        "frequency": "biennial_survey", "survey_years": PLACE_SURVEY_YEARS,
        "baseline": 72.5, "baseline_text": "72.5%",
        "lead_partner": "LBC",
        "partners": "LBC*, NHS Luton, Fire & Rescue, Police, LSC, VAL, Luton Assembly, Chamber",
        "reward_eligible": "yes",
        "targets": (EMPTY, _no_survey(), _set(76.5, "*76.5%")),
        "notes": PLACE_SURVEY_NOTE,
        "source": cite("001", 279),
    },
    {
        "code": "NI 007", "kind": "designated", "theme": SSC,
        "title": "Environment for a thriving 3rd Sector",
        "unit": "percent", "polarity": "higher_is_better", "measure": "snapshot",
        "frequency": "biennial_survey", "survey_years": "2008/09;2010/11",
        "baseline": 18.7, "baseline_text": "18.7%",
        "lead_partner": "LBC",
        "partners": "LBC*, NHS Luton, Fire & Rescue, Police, LSC, VAL, Luton Assembly, Chamber",
        "reward_eligible": "yes",
        "targets": (
            EMPTY,
            _no_survey(""),
            Cell(None, "* A measurable improvement, calculated in accordance with published OTS "
                       "guidance. Based on the results of the 2008 national survey of third "
                       "sector organisations, it is estimated that the required improvement in "
                       "Luton UA will be 7.2 percentage points. This remains an estimate. The "
                       "final target will be confirmed once the 2010 national survey of third "
                       "sector organisations has reported.", TBC),
        ),
        "notes": "The target cell is one statement merged across 08/09-10/11: an improvement "
                 "estimated at 7.2 percentage points (18.7% + 7.2 = 25.9% if the estimate "
                 "stands), confirmed only after the 2010 national survey of third sector "
                 "organisations. Read as 08/09 not applicable (2008 survey = baseline), 09/10 "
                 "no survey, 10/11 to be confirmed with no value. Frequency biennial_survey "
                 "(national surveys in 2008 and 2010). Title written '3 rd' (superscript).",
        "source": cite("001", 280),
    },
    {
        "code": "NI 008", "kind": "designated", "theme": SSC,
        "title": "Adult participation in sport and active recreation",
        "unit": "percent", "polarity": "higher_is_better", "measure": "snapshot",
        "frequency": "annual",
        "baseline": 18.5, "baseline_text": "18.5%",
        "lead_partner": "Active Luton",
        "partners": "Active Luton*, LBC, NHS Luton, Luton Sports Network, Team Beds and Luton.",
        "reward_eligible": "yes",
        "targets": (_set(20.5, "*20.5%"), _set(21.5, "*21.5%"), _set(23.0, "*23.0%")),
        "source": cite("001", 281),
    },
    {
        "code": "NI 011", "kind": "local", "theme": SSC,
        "title": "Engagement in the Arts.",
        "unit": "percent", "polarity": "higher_is_better", "measure": "snapshot",
        "frequency": "annual",
        "baseline": 37.9, "baseline_text": "37.9%",
        "lead_partner": "Luton Cultural Services Trust",
        "partners": "Luton Cultural Services Trust*, local voluntary & community sector & "
                    "independent sectors.",
        "reward_eligible": "no",
        "targets": (EMPTY, EMPTY, _set(43.0, "10/11: 43.0%")),
        "notes": "The only target cell, '10/11: 43.0%', is not in the 10/11 column (it sits in "
                 "an earlier column of the row) but is labelled 10/11: read as the 2010/11 "
                 "target, with no target for 08/09 or 09/10.",
        "source": cite("001", 285),
    },
    {
        "code": "NI 015", "kind": "designated", "theme": SSC,
        "title": "Serious Violent Crime Rate per 1,000 population.",
        "unit": "rate_per_1000", "polarity": "lower_is_better", "measure": "cumulative_in_year",
        "frequency": "quarterly",
        "baseline": 0.72, "baseline_text": "0.72 (136 offences)",
        "lead_partner": "SoLUTiONs", "partners": "SoLUTiONs*",
        "reward_eligible": "yes",
        "targets": (EMPTY, _set(0.70, "*0.70 (132 offences)"), _set(0.68, "*0.68 (128 offences)")),
        "notes": "08/09 cell empty: no target that year. Value is the rate per 1,000; the "
                 "offences in brackets are what the rate means in numbers. Offences count "
                 "from April, so quarterly returns are year to date (cumulative_in_year).",
        "source": cite("001", 286),
    },
    {
        "code": "NI 016", "kind": "designated", "theme": SSC,
        "title": "Serious acquisitive crime rate per 1,000 population",
        "unit": "rate_per_1000", "polarity": "lower_is_better", "measure": "cumulative_in_year",
        "frequency": "quarterly",
        "baseline": 37.93, "baseline_text": "37.93 (7,085 offences)",
        "lead_partner": "SoLUTiONs", "partners": "SoLUTiONs*",
        "reward_eligible": "yes",
        "targets": (
            _set(35.65, "*35.65 (6,660 offences)"),
            _set(33.37, "*33.37 (6,235 offences)"),
            _set(31.10, "*31.10 (5,810 offences)"),
        ),
        "notes": "Value is the rate per 1,000; offences in brackets. Year-to-date returns.",
        "source": cite("001", 287),
    },
    {
        "code": "NI 017", "kind": "designated", "theme": SSC,
        "title": "Perceptions of anti social behaviour",
        "unit": "percent", "polarity": "lower_is_better", "measure": "snapshot",
        "frequency": "biennial_survey", "survey_years": PLACE_SURVEY_YEARS,
        "baseline": 28.1, "baseline_text": "28.1%",
        "lead_partner": "SoLUTiONs", "partners": "SoLUTiONs*",
        "reward_eligible": "yes",
        "targets": (EMPTY, _no_survey(), _set(24.1, "*24.1%")),
        "notes": PLACE_SURVEY_NOTE,
        "source": cite("001", 288),
    },
    {
        "code": "NI 019", "kind": "local", "theme": SSC,
        "title": "Rate of proven re-offending by young offenders",
        "unit": "ratio", "polarity": "lower_is_better", "measure": "snapshot",
        "frequency": "annual",
        "baseline": 0.96, "baseline_period": "2005/06",
        "baseline_text": "05/06 Offences: 138 / Cohort:144 = 0.96",
        "lead_partner": "LBC YOS",
        "partners": "LBC YOS*, LBC, Police, NHS Luton/Health, Probation, Victim Support, "
                    "Bedfordshire Local Criminal Justice Board, SoLUTiONs",
        "reward_eligible": "no",
        "targets": (
            _set(0.94, "0.94 Offences: 135"),
            _set(0.92, "0.92 Offences: 133"),
            _set(0.91, "0.91 Offences: 131"),
        ),
        "notes": "Value is the rate (offences per young offender in the cohort); 'Offences: "
                 "135' is the count it implies. The cohort size for the target years is not "
                 "written.",
        "source": cite("001", 289),
    },
    {
        "code": "NI 021", "kind": "local", "theme": SSC,
        "title": "Dealing with local concerns about anti-social behaviour and crime issues by "
                 "the local authority and police",
        "unit": "percent", "polarity": "higher_is_better", "measure": "snapshot",
        "frequency": "biennial_survey", "survey_years": PLACE_SURVEY_YEARS,
        "baseline": 22.2, "baseline_text": "22.2%",
        "lead_partner": "SoLUTiONs", "partners": "SoLUTiONs*",
        "reward_eligible": "no",
        "targets": (EMPTY, _no_survey(), _set(27.2, "27.2%")),
        "notes": PLACE_SURVEY_NOTE + " Title continues on line 294 after a page break.",
        "source": cite("001", 290, 294),
    },
    {
        "code": "NI 023", "kind": "designated", "theme": SSC,
        "title": "Perceptions that people in the area do not treat one another with respect "
                 "and consideration.",
        "unit": "percent", "polarity": "lower_is_better", "measure": "snapshot",
        "frequency": "biennial_survey", "survey_years": PLACE_SURVEY_YEARS,
        "baseline": 38.3, "baseline_text": "38.3%",
        "lead_partner": "LBC",
        "partners": "LBC*, Police, Fire and Rescue, NHS Luton, voluntary & community sector, "
                    "Chamber, SoLUTiONs",
        "reward_eligible": "yes",
        "targets": (EMPTY, _no_survey(), _set(33.3, "*33.3%")),
        "notes": PLACE_SURVEY_NOTE,
        "source": cite("001", 295),
    },
    {
        "code": "NI 030", "kind": "designated", "theme": SSC,
        "title": "Re-offending rate of prolific and other priority offenders",
        "unit": "count", "polarity": "lower_is_better", "measure": "cumulative_in_year",
        "frequency": "quarterly",
        "baseline": 198,
        "baseline_text": "2009/10 (Oct 07 – Sept 08 = 198) 2010/11 (baseline year to be "
                         "confirmed)",
        "lead_partner": "SoLUTiONs", "partners": "SoLUTiONs*",
        "reward_eligible": "yes",
        "targets": (
            EMPTY,
            _set(163, "18% reduction in offences from 198 baseline (no more than 163 offences)"),
            Cell(None, "The target will be arrived at by applying the common ratio 1.13 to the "
                       "performance ceiling % target identified after the cohort has been "
                       "refreshed", TBC),
        ),
        "notes": "Baseline 198 offences by the cohort, Oct 2007 - Sept 2008 (not a financial "
                 "year, so baseline_period is empty); it is the baseline for the 2009/10 "
                 "target only, the 2010/11 baseline year is to be confirmed. 08/09 cell empty. "
                 "2009/10: no more than 163 offences. 2010/11: to be confirmed (common ratio "
                 "1.13 applied after the cohort refresh).",
        "source": cite("001", 296),
    },
    {
        "code": "NI 032", "kind": "designated", "theme": SSC,
        "title": "Repeat incidents of domestic violence",
        "unit": "percent", "polarity": "lower_is_better", "measure": "snapshot",
        "frequency": "quarterly",
        "baseline": 31.0, "baseline_text": "National Baseline 31.00%",
        "lead_partner": "SoLUTiONs", "partners": "SoLUTiONs*",
        "reward_eligible": "yes",
        "targets": (EMPTY, EMPTY, _set(28.0, "10/11: 28.00%")),
        "notes": "'10/11: 28.00%' is written in the 08/09 column (a cell merged across the "
                 "years) but labelled 10/11: read as the 2010/11 target only. The baseline "
                 "is the national figure, not Luton's own.",
        "source": cite("001", 297),
    },
    {
        "code": "NI 039", "kind": "designated", "theme": SSC,
        "title": "Rate of hospital admissions per 100,000 for alcohol related harm",
        "unit": "rate_per_100000", "polarity": "lower_is_better",
        "measure": "cumulative_in_year", "frequency": "quarterly",
        "baseline": 1513, "baseline_text": "1,513",
        "lead_partner": "NHS Luton",
        "partners": "NHS Luton*, social care, voluntary agencies, criminal justice agencies, "
                    "police",
        "reward_eligible": "yes",
        "targets": (_set(1957, "*1,957"), _set(2165, "*2,165"), _set(2373, "*2,373")),
        "notes": "Targets are above the baseline: they cap the expected rise in admissions. "
                 "Polarity is lower_is_better from what the indicator measures.",
        "source": cite("001", 301),
    },
    {
        "code": "NI 051", "kind": "local", "theme": CYP,
        "title": "Effectiveness of Child and Adolescent Mental Health Services (CAMHS)",
        "unit": "score", "polarity": "higher_is_better", "measure": "snapshot",
        "frequency": "annual",
        "baseline": 12, "baseline_text": "12",
        "lead_partner": "NHS Luton", "partners": "NHS Luton*, LBC, BLPT, L&D Hospital",
        "reward_eligible": "no",
        "targets": (_set(13, "13"), _set(14, "14"), _set(16, "16")),
        "notes": "Unit not written: read as the CAMHS self-assessment score (16 is the maximum).",
        "source": cite("001", 302),
    },
    {
        "code": "NI 054", "kind": "designated", "theme": CYP,
        "title": "Services for disabled children",
        "unit": "score", "polarity": "higher_is_better", "measure": "snapshot",
        "frequency": "annual",
        "baseline": 58, "baseline_text": "58",
        "lead_partner": "LBC",
        "partners": "NHS Luton, LBC*, Bedfordshire PCT, L&D Hospital, voluntary & community "
                    "sector",
        "reward_eligible": "no",
        "targets": (EMPTY, _set(60, "*60"), _set(62, "*62")),
        "notes": "One cell merged across 08/09-10/11 reads '*60 *62 Not subject to reward but a "
                 "continuing LAA indicator.' Two targets for three years: read as 09/10 = 60 "
                 "and 10/11 = 62, 08/09 being the year the baseline survey (58) was taken. Not "
                 "subject to reward, so reward_eligible is no.",
        "source": cite("001", 303),
    },
    {
        "code": "NI 056", "kind": "designated", "theme": CYP,
        "title": "Obesity among primary school age children in Year 6",
        "unit": "percent", "polarity": "lower_is_better", "measure": "snapshot",
        "frequency": "annual",
        "baseline": 21.1, "baseline_text": "21.1",
        "lead_partner": "NHS Luton",
        "partners": "NHS Luton *, LBC, Active Luton, MEND, Sustrans, voluntary & community "
                    "sector, schools",
        "reward_eligible": "yes",
        "targets": (_set(22.0, "*22.0"), _set(22.0, "*22.0"), _set(22.0, "*22.0")),
        "notes": "Targets (22.0) are above the baseline (21.1): they hold the expected rise. "
                 "Polarity lower_is_better. Unit percent (prevalence), though no % is written.",
        "source": cite("001", 304),
    },
    {
        "code": "NI 057", "kind": "local", "theme": CYP,
        "title": "Children and young people's participation in high quality PE & Sport",
        "unit": "percent", "polarity": "higher_is_better", "measure": "snapshot",
        "frequency": "annual",
        "baseline": 93, "baseline_text": "93%",
        "lead_partner": "LBC",
        "partners": "LBC*, Schools, School Sports Partnership, Active Luton, Youth Sport Trust",
        "reward_eligible": "no",
        "targets": (EMPTY, _set(95, "95%"), _set(97, "97%")),
        "notes": "08/09 cell empty: no target that year.",
        "source": cite("001", 305),
    },
    {
        "code": "NI 063", "kind": "designated", "theme": CYP,
        "title": "Stability of placements of looked after children: length of placement",
        "unit": "percent", "polarity": "higher_is_better", "measure": "snapshot",
        "frequency": "quarterly",
        "baseline": 60.9, "baseline_text": "60.9%",
        "lead_partner": "LBC",
        "partners": "LBC*, NHS Luton, Schools, private & voluntary providers of fostering and "
                    "residential care; BLPT",
        "reward_eligible": "yes",
        "targets": (_set(63.0, "*63.0%"), _set(65.0, "*65.0%"), _set(67.0, "*67.0%")),
        "source": cite("001", 306),
    },
    {
        "code": "NI 069", "kind": "designated", "theme": CYP,
        "title": "Children who have experienced Bullying",
        "unit": "percent", "polarity": "lower_is_better", "measure": "snapshot",
        "frequency": "annual",
        "baseline": 42.9, "baseline_text": "42.9%",
        "lead_partner": "LBC",
        "partners": "NHS Luton, Police, VCS organisations, LBC*, schools",
        "reward_eligible": "yes",
        "targets": (_set(42.9, "*42.9%"), _set(40.9, "*40.9%"), _set(38.9, "*38.9%")),
        "source": cite("001", 310),
    },
    {
        "code": "NI 110", "kind": "designated", "theme": CYP,
        "title": "Young people's participation in positive activities",
        "unit": "percent", "polarity": "higher_is_better", "measure": "snapshot",
        "frequency": "annual",
        "baseline": 66.0, "baseline_text": "66.0%",
        "lead_partner": "LBC including Youth Services",
        "partners": "Voluntary & community sector, Schools, Duke of Edinburgh award scheme, LBC "
                    "including Youth Services*",
        "reward_eligible": "yes",
        "targets": (_set(66.0, "*66.0%"), _set(70.0, "*70.0%"), _set(72.9, "*72.9%")),
        "source": cite("001", 311),
    },
    {
        "code": "NI 111", "kind": "designated", "theme": CYP,
        "title": "First time entrants into Youth Justice System aged 10-17",
        "unit": "rate_per_100000", "polarity": "lower_is_better",
        "measure": "cumulative_in_year", "frequency": "quarterly",
        "baseline": 1960, "baseline_text": "1960",
        "lead_partner": "LBC YOS",
        "partners": "LBC YOS*, Beds Police, LBC, NHS Luton, Bedfordshire Probation, SoLUTiONs",
        "reward_eligible": "yes",
        "targets": (_set(1940, "*1940"), _set(1900, "*1900"), _set(1840, "*1840")),
        "notes": "Unit not written: read as the national definition, first time entrants per "
                 "100,000 aged 10-17 (1,960 entrants a year would be about 9% of Luton's "
                 "10-17 year olds). Entrants count from April: year-to-date returns.",
        "source": cite("001", 312),
    },
    {
        "code": "NI 112", "kind": "designated", "theme": CYP,
        "title": "Under 18 conception rate reduction (per 1,000 girls aged 15-17 years old)",
        "unit": "rate_per_1000", "polarity": "lower_is_better", "measure": "snapshot",
        "frequency": "annual",
        "baseline": 43.1, "baseline_text": "43.1 (1998 baseline rate)",
        "lead_partner": "NHS Luton",
        "partners": "LBC, NHS Luton*, L&D Hospital, VCS organisations",
        "reward_eligible": "yes",
        "targets": (
            _set(29.3, "*-32.0% (29.3)"),
            _set(26.4, "*-38.7% (26.4)"),
            _set(23.7, "*-45.0% (23.7)"),
        ),
        "notes": "Targets are written as the % change from the 1998 rate with the rate in "
                 "brackets; value is the rate. The baseline is calendar year 1998, not a "
                 "financial year, so baseline_period is empty.",
        "source": cite("001", 313),
    },
    {
        "code": "NI 117", "kind": "designated", "theme": CYP,
        "title": "16-18 year olds who are not in education, employment or training (NEET)",
        "unit": "percent", "polarity": "lower_is_better", "measure": "snapshot",
        "frequency": "quarterly",
        "baseline": 7.2, "baseline_text": "7.2%",
        "lead_partner": "Campus Luton",
        "partners": "Campus Luton*, LBC, Learning and Skills Council, LBC YOS, schools, "
                    "colleges, business, VCS organisations",
        "reward_eligible": "yes",
        "targets": (_set(6.9, "*6.9%"), _set(6.5, "*6.5%"), _set(6.2, "*6.2%")),
        "notes": "The refresh report removes the Learning and Skills Council as a named partner "
                 "(001 line 261) but the refreshed table still lists it; partners kept as "
                 "written.",
        "source": cite("001", 314),
    },
    {
        "code": "NI 120", "part": "male", "kind": "designated", "theme": AH,
        "title": "All –age all cause mortality rate",
        "unit": "rate_per_100000", "polarity": "lower_is_better", "measure": "snapshot",
        "frequency": "annual",
        "baseline": 791, "baseline_text": "791 (m) 561 (f)",
        "lead_partner": "NHS Luton",
        "partners": "NHS Luton*, LBC, GPs, Job Centre Plus, Business & VCS organisations",
        "reward_eligible": "yes",
        "targets": (
            _set(800, "*800 (m) *587 (f)"),
            _set(770, "*770 (m) *575 (f)"),
            _set(730, "*730 (m) *560 (f)"),
        ),
        "notes": "Males (m) figures of each cell. The 08/09 target (800) is above the baseline "
                 "(791); polarity stays lower_is_better. Theme continues on line 319.",
        "source": cite("001", 315, 319),
    },
    {
        "code": "NI 120", "part": "female", "kind": "designated", "theme": AH,
        "title": "All –age all cause mortality rate",
        "unit": "rate_per_100000", "polarity": "lower_is_better", "measure": "snapshot",
        "frequency": "annual",
        "baseline": 561, "baseline_text": "791 (m) 561 (f)",
        "lead_partner": "NHS Luton",
        "partners": "NHS Luton*, LBC, GPs, Job Centre Plus, Business & VCS organisations",
        "reward_eligible": "yes",
        "targets": (
            _set(587, "*800 (m) *587 (f)"),
            _set(575, "*770 (m) *575 (f)"),
            _set(560, "*730 (m) *560 (f)"),
        ),
        "notes": "Females (f) figures of each cell. The 08/09 (587) and 09/10 (575) targets are "
                 "above the baseline (561); polarity stays lower_is_better. Theme continues on "
                 "line 319.",
        "source": cite("001", 315, 319),
    },
    {
        "code": "NI 121", "kind": "designated", "theme": AH,
        "title": "Mortality rate from all circulatory diseases at ages under 75",
        "unit": "rate_per_100000", "polarity": "lower_is_better", "measure": "snapshot",
        "frequency": "annual",
        "baseline": 98, "baseline_text": "98",
        "lead_partner": "NHS Luton", "partners": "NHS Luton*, LBC, VCS organisations",
        "reward_eligible": "yes",
        "targets": (EMPTY, _set(99, "*99"), _set(90, "*90")),
        "notes": "08/09 cell empty: no target that year. The 09/10 target (99) is above the "
                 "baseline (98); polarity stays lower_is_better.",
        "source": cite("001", 320),
    },
    {
        "code": "NI 123", "kind": "designated", "theme": AH,
        "title": "Stopping Smoking",
        "unit": "rate_per_100000", "polarity": "higher_is_better",
        "measure": "cumulative_in_year", "frequency": "quarterly",
        "baseline": 945, "baseline_text": "945",
        "lead_partner": "NHS Luton",
        "partners": "NHS Luton*, LBC, Fire and Rescue Service, VCS organisations, Marsh Farm CDT",
        "reward_eligible": "yes",
        "targets": (_set(955, "*955"), _set(940, "*940"), _set(946, "*946")),
        "notes": "Unit not written: read as the national definition, 4-week quitters per "
                 "100,000 aged 16+, counted from April (year-to-date returns). Targets for "
                 "09/10 (940) and 10/11 (946) are below the baseline; polarity stays "
                 "higher_is_better.",
        "source": cite("001", 321),
    },
    {
        "code": "NI 124", "kind": "designated", "theme": AH,
        "title": "People with long term conditions supported to be independent and in control "
                 "of their condition",
        "unit": "percent", "polarity": "higher_is_better", "measure": "snapshot",
        "frequency": "annual",
        "baseline": 63, "baseline_text": "63%",
        "lead_partner": "LBC ASC", "partners": "NHS Luton, LBC ASC*,",
        "reward_eligible": "yes",
        "targets": (_set(66, "66%"), _set(69, "69%"), _set(73, "73%")),
        "notes": "Designated (*NI 124) although its targets are written without *.",
        "source": cite("001", 322),
    },
    {
        "code": "NI 125", "kind": "local", "theme": AH,
        "title": "Achieving independence for older people through rehabilitation/intermediate "
                 "care",
        "unit": "percent", "polarity": "higher_is_better", "measure": "snapshot",
        "frequency": "annual",
        "baseline": 89.0, "baseline_text": "89.0%",
        "lead_partner": "LBC ASC",
        "partners": "LBC ASC*, NHS Luton, VCS organisations & Independent Sectors",
        "reward_eligible": "no",
        "targets": (
            _set(92.0, "92.0%"),
            _set(95, "09/10 – 95%", cite("001", 257, 323)),
            _set(97, "10/11 – 97%", cite("001", 257, 323)),
        ),
        "notes": "Original 09/10 95% and 10/11 97% are from the refresh report (line 257); the "
                 "refreshed table already shows the new 92.0% and 95.0%, which are the "
                 "refreshed version. Theme and title continue on line 327.",
        "source": cite("001", 323, 327),
    },
    {
        "code": "NI 130", "kind": "local", "theme": AH,
        "title": "Social care clients receiving self directed support per 100,000 population",
        "unit": "percent", "polarity": "higher_is_better", "measure": "snapshot",
        "frequency": "quarterly",
        "baseline": 6, "baseline_period": "2008/09", "baseline_text": "6% (2008/09)",
        "lead_partner": "LBC ASC",
        "partners": "LBC ASC*, NHS Luton, VCS organisations & Independent Sectors",
        "reward_eligible": "no",
        "targets": (EMPTY, _set(15, "15%"), _set(30, "30%")),
        "notes": "One cell merged across the years reads '15% 30% The definition was updated "
                 "for 09/10 to include clients on personal budgets and changed to a "
                 "percentage'. Read as 09/10 = 15%, 10/11 = 30%; 08/09 is the baseline year. "
                 "Unit percent under the new definition, although the title still says per "
                 "100,000 population.",
        "source": cite("001", 328),
    },
    {
        "code": "NI 135", "kind": "designated", "theme": AH,
        "title": "Carers receiving needs assessment or review and a specific carer's service, "
                 "or advice and information",
        "unit": "percent", "polarity": "higher_is_better", "measure": "snapshot",
        "frequency": "quarterly",
        "baseline": 25.4, "baseline_text": "25.4%",
        "lead_partner": "LBC", "partners": "LBC*, NHS Luton",
        "reward_eligible": "yes",
        "targets": (_set(28.0, "*28.0%"), _set(30.8, "*30.8%"), _set(33.9, "*33.9%")),
        "source": cite("001", 329),
    },
    {
        "code": "NI 142", "kind": "designated", "theme": AH,
        "title": "% of vulnerable people who are supported to maintain independent living",
        "unit": "percent", "polarity": "higher_is_better", "measure": "snapshot",
        "frequency": "quarterly",
        "baseline": 90.43, "baseline_text": "90.43%",
        "lead_partner": "LBC",
        "partners": "LBC*, NHS Luton, Probation Service, Supporting People",
        "reward_eligible": "yes",
        "targets": (_set(95.00, "*95.00%"), _set(97.00, "*97.00%"), _set(99.00, "*99.00%")),
        "source": cite("001", 330),
    },
    {
        "code": "NI 151", "kind": "designated", "theme": LEES,
        "title": "Overall employment rate",
        "unit": "percent", "polarity": "higher_is_better", "measure": "snapshot",
        "frequency": "quarterly",
        "baseline": 70.5, "baseline_text": "70.5%",
        "comparator": "Great Britain",
        "lead_partner": "Job Centre Plus",
        "partners": "Job Centre Plus*, Chamber Business, Central Bedfordshire Council, Local "
                    "Businesses, EEDA, Prince's Trust, VCS organisations",
        "reward_eligible": "yes",
        "targets": (EMPTY, EMPTY,
                    _set(72, "Original Target: 72% by 10/11", cite("001", 247, 335))),
        "notes": "The refreshed table has no baseline and one cell across the years: 'Narrow "
                 "the gap to the GB average rate to a maximum of -7.5 percentage points by Q2 "
                 "May 2011'. Baseline 70.5% and the original 10/11 target 72% are from the "
                 "refresh report (line 247); original 08/09 and 09/10 targets are not in the "
                 "papers. Refreshed 2010/11 target: gap (Luton minus Great Britain) of -7.5 "
                 "points or better, measured as gap_to_comparator. 'By Q2 May 2011' is read as "
                 "the end-of-agreement target, 2010/11.",
        "source": cite("001", 335, 247),
    },
    {
        "code": "NI 152", "kind": "designated", "theme": LEES,
        "title": "Working age people on out of work benefits",
        "unit": "percent", "polarity": "lower_is_better", "measure": "snapshot",
        "frequency": "quarterly",
        "baseline": 12.9, "baseline_text": "12.9%",
        "comparator": "England",
        "lead_partner": "Job Centre Plus",
        "partners": "Job Centre Plus*, EEDA, Central Bedfordshire Council, Shaw Trust, VCS "
                    "organisations",
        "reward_eligible": "yes",
        "targets": (EMPTY, EMPTY, _set(11.9, "Original Target: 11.9%", cite("001", 248, 336))),
        "notes": "The refreshed table has no baseline and one cell across the years: 'Narrow "
                 "the gap to the England average rate to a maximum of -0.5 percentage points "
                 "by Q2 May 2011'. Baseline 12.9% and the original target 11.9% (year not "
                 "written; read as 2010/11, the end of the agreement) are from the refresh "
                 "report (line 248). Refreshed 2010/11 target: gap (England minus Luton) of "
                 "-0.5 points or better, measured as gap_to_comparator.",
        "source": cite("001", 336, 248),
    },
    {
        "code": "NI 153", "kind": "local", "theme": LEES,
        "title": "Working age people claiming out of work benefits in worst performing "
                 "neighbourhoods",
        "unit": "count", "polarity": "higher_is_better", "measure": "cumulative_in_year",
        "frequency": "quarterly",
        "baseline": None, "baseline_text": "Biscot 4.0% Dallow 4.6% Northwell 4.1%",
        "lead_partner": "Job Centre Plus",
        "partners": "Job Centre Plus*, Marsh Farm CDT, Employers, Prince's Trust, EEDA, Shaw "
                    "Trust, Childcare providers, ESF co financing",
        "reward_eligible": "no",
        "targets": tuple(_set(100, "100 taken off benefits in key wards") for _ in LAA_YEARS),
        "notes": "The targets count people taken off benefits in the key wards (100 a year), "
                 "so the indicator is recorded as that count: higher_is_better, year to date. "
                 "The baseline is three ward claimant rates, a different measure, so no "
                 "numeric baseline.",
        "source": cite("001", 337),
    },
    {
        "code": "NI 154", "kind": "designated", "theme": LEES,
        "title": "Net additional homes provided",
        "unit": "count", "polarity": "higher_is_better", "measure": "cumulative_agreement",
        "frequency": "annual",
        "baseline": None, "baseline_text": "Not applicable",
        "lead_partner": "LBC",
        "partners": "Central Bedfordshire Council, local developers, Housing Corporation, LBC*. "
                    "# Joint targets with Central Bedfordshire Council",
        "reward_eligible": "yes",
        "targets": (
            _set(640, "*640"),
            _set(720, "*720"),
            _set(695, "Original target: 2,055", cite("001", 249, 338)),
        ),
        "notes": "A 3-year cumulative target: each year's value is that year's share and the "
                 "RAG engine adds them up. Original 3-year total 2,055 (refresh report, line "
                 "249) = 640 + 720 + 695, so the original 10/11 share is 695. Renegotiated "
                 "total 1,500 (line 249; Full Council 19 January 2010): the refreshed 10/11 "
                 "share is 1,500 - 640 - 720 = 140. The table's 10/11 cell '*1,500 3 year "
                 "cumulative target of 2,860' adds 1,500 to 640 + 720, which contradicts the "
                 "refresh report (and would raise a target the refresh lowered); the report "
                 "is followed. Joint target with Central Bedfordshire Council ('#').",
        "source": cite("001", 338, 249),
    },
    {
        "code": "NI 155", "kind": "local", "theme": LEES,
        "title": "Number of affordable homes delivered (gross)",
        "unit": "count", "polarity": "higher_is_better", "measure": "cumulative_in_year",
        "frequency": "quarterly",
        "baseline": None, "baseline_text": "Not applicable",
        "lead_partner": "LBC",
        "partners": "LBC*, Central Bedfordshire Council, local developers Housing corporation, "
                    "Marsh Farm CDT, VCS organisations. # Joint targets with Central "
                    "Bedfordshire Council",
        "reward_eligible": "no",
        "targets": (_set(30, "30"), _set(80, "80"), _set(80, "80")),
        "notes": "Theme and partners continue on line 343 after a page break ('Sustainability'; "
                 "'Farm CDT, VCS organisations. # Joint targets with Central Bedfordshire "
                 "Council'). Annual targets, homes counted from April.",
        "source": cite("001", 339, 343),
    },
    {
        "code": "NI 156", "kind": "designated", "theme": LEES,
        "title": "Number of households living in temporary accommodation",
        "unit": "count", "polarity": "lower_is_better", "measure": "snapshot",
        "frequency": "quarterly",
        "baseline": 892, "baseline_text": "892",
        "lead_partner": "LBC",
        "partners": "LBC*, Registered Social Landlords, Private sector landlords, CLG",
        "reward_eligible": "yes",
        "targets": (_set(740, "*740"), _set(677, "*677"), _set(570, "*570")),
        "source": cite("001", 344),
    },
    {
        "code": "NI 162", "kind": "designated", "theme": LEES,
        "title": "Number of entry level qualifications in numeracy achieved",
        "unit": "count", "polarity": "higher_is_better", "measure": "cumulative_agreement",
        "frequency": "annual",
        "baseline": 0, "baseline_text": "0",
        "lead_partner": "Learning & Skills Council",
        "partners": "Learning & Skills Council*, LBC, Barnfield College, Learning Partnership, "
                    "Jobcentre Plus, Trade Unions, Business Link East, Train to Gain Skills "
                    "Brokers, The Chamber.",
        "reward_eligible": "yes",
        "targets": (_set(950, "950"), _set(1000, "1,000"),
                    _set(1050, "1,050 Cumulative 3 year target = 3,000")),
        "notes": "3-year cumulative target of 3,000 = 950 + 1,000 + 1,050: each year's value "
                 "is that year's share and the RAG engine adds them up. Designated although "
                 "the targets are written without *. " + LSC_LEAD_NOTE,
        "source": cite("001", 345),
    },
    {
        "code": "NI 163", "kind": "designated", "theme": LEES,
        "title": "Proportion of 19-64 males and 19-59 females qualified to at least Level 2 or "
                 "higher",
        "unit": "percent", "polarity": "higher_is_better", "measure": "snapshot",
        "frequency": "annual",
        "baseline": 58, "baseline_text": "58%",
        "lead_partner": "Learning & Skills Council",
        "partners": "Learning & Skills Council*, LBC, Barnfield College, Learning Partnership, "
                    "Jobcentre Plus, Trade Unions/UnionLearn, Business Link East/Train to Gain "
                    "Skills Brokers, The Chamber",
        "reward_eligible": "yes",
        "targets": (EMPTY, EMPTY, _set(65, "*65%")),
        "notes": "Only a 10/11 target; the 08/09 and 09/10 cells are empty. " + LSC_LEAD_NOTE,
        "source": cite("001", 346),
    },
    {
        "code": "NI 171", "kind": "designated", "theme": LEES,
        "title": "Number of new business registrations per 10,000 resident population aged "
                 "sixteen and above",
        "unit": "rate_per_10000", "polarity": "higher_is_better", "measure": "snapshot",
        "frequency": "annual",
        "baseline": 46.8, "baseline_text": "46.8",
        "lead_partner": "LBC",
        "partners": "LBC*, Chamber, Business Link East, Barnfield, LSC, Job Centre Plus",
        "reward_eligible": "yes",
        "targets": (EMPTY, EMPTY,
                    _set(56.4, "Original Target: 56.4 by 10/11", cite("001", 250, 350))),
        "notes": "Only a 10/11 target (08/09 and 09/10 cells empty). The table shows the "
                 "refreshed 51.5; the original 56.4 is from the refresh report (line 250). "
                 "Designated although 51.5 is written without *. Data are for calendar years.",
        "source": cite("001", 350, 250),
    },
    {
        "code": "NI 172", "kind": "local", "theme": LEES,
        "title": "% of small businesses in area showing growth",
        "unit": "percent", "polarity": "higher_is_better", "measure": "snapshot",
        "frequency": "annual",
        "baseline": 13.3, "baseline_period": "2006/07", "baseline_text": "13.3% (2006/07)",
        "lead_partner": "LBC",
        "partners": "LBC*, Chamber, Business Link East, Barnfield, LSC, Job Centre +",
        "reward_eligible": "no",
        "targets": (_set(8.0, "8.0%"), _set(8.0, "8.0%"), _set(8.0, "8.0%")),
        "notes": "Targets (8.0%) are below the baseline (13.3%); polarity stays "
                 "higher_is_better (growth is good).",
        "source": cite("001", 351),
    },
    {
        # Removed: only what line 441 says is known. unit, measure and frequency are
        # required by the register reader, so they are filled from the national indicator's
        # definition and said to be so; the engine never rates a removed indicator.
        "code": "NI 173", "kind": "local", "theme": LEES,
        "title": "flows on to incapacity benefits",
        "unit": "percent", "polarity": "lower_is_better", "measure": "snapshot",
        "frequency": "quarterly",
        "baseline": None, "baseline_text": "",
        "lead_partner": "", "partners": "",
        "reward_eligible": "no", "status": "removed",
        "targets": (),
        "notes": "Removed from the original 14 local indicators by the Local Public Service "
                 "Board on 19 November 2009: not a local issue as once thought, and too little "
                 "DWP data. Baseline, targets and partners are not in the papers. Unit, "
                 "measure and frequency are not in the papers either: filled (percent, "
                 "snapshot, quarterly) only because the register requires them.",
        "source": cite("001", 441),
    },
    {
        "code": "NI 181", "kind": "designated", "theme": LEES,
        "title": "Time taken to process Housing Benefit/Council Tax Benefit new claims and "
                 "change events",
        "unit": "days", "polarity": "lower_is_better", "measure": "snapshot",
        "frequency": "quarterly",
        "baseline": 48, "baseline_text": "48 days",
        "lead_partner": "LBC",
        "partners": "LBC*, DWP, Marsh Farm CDT, VCS organisations",
        "reward_eligible": "yes",
        "targets": (_set(42, "*42 days"), _set(30, "*30 days"), _set(15, "*15 days")),
        "source": cite("001", 352),
    },
    {
        "code": "NI 186", "kind": "local", "theme": LEES,
        "title": "Per capita reduction in CO2 emissions in the LA area",
        "unit": "tonnes_per_capita", "polarity": "lower_is_better", "measure": "snapshot",
        "frequency": "annual",
        "baseline": 5.3, "baseline_text": "5.3 tonnes",
        "lead_partner": "LBC", "partners": "LBC*, Public Businesses",
        "reward_eligible": "no",
        "targets": (
            _set(5.1, "5.1 3% reduction from baseline"),
            _set(4.9, "4.9 6% reduction from baseline"),
            _set(4.7, "4.7 10% reduction from baseline"),
        ),
        "notes": "Recorded as tonnes of CO2 per head, so lower_is_better although the title "
                 "says 'reduction'. Value is the tonnes figure; the % reductions written with "
                 "it are rounded.",
        "source": cite("001", 353),
    },
    {
        "code": "NI 187", "part": "SAP below 35", "kind": "local", "theme": LEES,
        "title": "Tackling fuel poverty- % people receiving income based benefits living in "
                 "homes with low energy rating",
        "unit": "percent", "polarity": "lower_is_better", "measure": "snapshot",
        "frequency": "annual",
        "baseline": 10.0, "baseline_text": "SAP below 35: 10.00%",
        "lead_partner": "LBC",
        "partners": "LBC*, RSL's, Luton CAB, BFR, Eastern Training, NHS Luton, VCS "
                    "organisations, Pension Service, SoLUTiONS",
        "reward_eligible": "no",
        "targets": (EMPTY, _set(9.25, "9.25%"), _set(8.50, "8.50%")),
        "notes": "Homes with SAP rating below 35 (poor energy efficiency): lower is better. "
                 "08/09 cell empty.",
        "source": cite("001", 354),
    },
    {
        "code": "NI 187", "part": "SAP 65 and above", "kind": "local", "theme": LEES,
        "title": "Tackling fuel poverty- % people receiving income based benefits living in "
                 "homes with low energy rating",
        "unit": "percent", "polarity": "higher_is_better", "measure": "snapshot",
        "frequency": "annual",
        "baseline": 29.25, "baseline_text": "SAP 65 & above: 29.25%",
        "lead_partner": "LBC",
        "partners": "LBC*, RSL's, Luton CAB, BFR, Eastern Training, NHS Luton, VCS "
                    "organisations, Pension Service, SoLUTiONS",
        "reward_eligible": "no",
        "targets": (EMPTY, _set(30.25, "30.25%"), _set(31.25, "31.25%")),
        "notes": "Homes with SAP rating 65 and above (written 'SAP 65 & above'): higher is "
                 "better. 08/09 cell empty.",
        "source": cite("001", 355, 354),
    },
    {
        "code": "NI 188", "kind": "designated", "theme": LEES,
        "title": "Planning to adapt to climate change",
        "unit": "level", "polarity": "higher_is_better", "measure": "level",
        "frequency": "annual",
        "baseline": 0, "baseline_text": "Level 0",
        "lead_partner": "LBC",
        "partners": "LBC*, Environment Agency, NHS Luton, Thames Water, UKCIP",
        "reward_eligible": "yes",
        "targets": (_set(2, "*Level 2"), _set(3, "*Level 3"), _set(4, "*Level 4")),
        "notes": "Value is the level number.",
        "source": cite("001", 359),
    },
    {
        "code": "NI 192", "kind": "local", "theme": LEES,
        "title": "% of household waste sent for reuse, recycling and composting",
        "unit": "percent", "polarity": "higher_is_better", "measure": "snapshot",
        "frequency": "quarterly",
        "baseline": 32.49, "baseline_text": "32.49%",
        "lead_partner": "LBC",
        "partners": "LBC*, Waste Recycling Group, all LBC waste stakeholders, Milton Keynes "
                    "Council (WEEE Partnership on HWRC sites)",
        "reward_eligible": "no",
        "targets": (_set(37.36, "37.36%"), _set(40.00, "40.00%"), _set(42.57, "42.57%")),
        "source": cite("001", 360),
    },
    {
        "code": "NI 193", "kind": "designated", "theme": LEES,
        "title": "Percentage of municipal waste land filled",
        "unit": "percent", "polarity": "lower_is_better", "measure": "snapshot",
        "frequency": "quarterly",
        "baseline": 65.50, "baseline_text": "65.50%",
        "lead_partner": "LBC", "partners": "LBC*, Waste Recycling Group Limited",
        "reward_eligible": "yes",
        "targets": (_set(62.47, "*62.47%"), _set(50.50, "*50.50%"), _set(44.14, "*44.14%")),
        "source": cite("001", 361),
    },
    {
        "code": "NI 198", "kind": "designated", "theme": LEES,
        "title": "Children travelling to school – mode of travel used (5-16yrs – car "
                 "(including vans & taxis))",
        "unit": "percent", "polarity": "lower_is_better", "measure": "snapshot",
        "frequency": "annual",
        "baseline": 26.9, "baseline_text": "26.9%",
        "lead_partner": "LBC", "partners": "LBC*, Sustrans, all schools, bus companies",
        "reward_eligible": "yes",
        "targets": (_set(25.5, "*25.5%"), _set(25.0, "*25.0%"), _set(24.5, "*24.5%")),
        "source": cite("001", 362),
    },
]

# --- statutory education indicators, 001 lines 364-375 -------------------------------------
# Columns "Baseline 2008 2009 2010" are exam years. The "2008" column is the summer 2008
# results (academic year 2007/08), published and reported in financial year 2008/09; so
# 2008 -> 2008/09, 2009 -> 2009/10, 2010 -> 2010/11. Baselines written "06/07: ..." are the
# summer 2007 results, which on the same rule fall in 2007/08 (and "07/08" in 2008/09).
# Row: code, title, baseline, baseline_period, baseline_text, polarity, 2008, 2009, 2010,
# partners, line.

STATUTORY_NOTE = ("Statutory (DCSF) target. Exam-year columns 2008/2009/2010 read as "
                  "financial years 2008/09, 2009/10, 2010/11 (results of summer 2008 reported "
                  "in 2008/09); baseline '{written}' = academic year results reported in "
                  "{period}. Unit percent (no unit written).")

STATUTORY: list[tuple] = [
    ("NI 072", "Achievement of at least 78 points across the Early Years Foundation Stage "
               "with at least 6 in each of the scales in Personal Social and Emotional "
               "Development and Communication, Language and Literacy",
     34.8, "2007/08", "06/07: 34.8", "higher_is_better",
     _set(37.0, "37.0"), _set(37.5, "37.5"), _set(47.0, "47.0"),
     "LBC*, Pre-school Learning Alliance, National Childminders Association, NHS Luton", 365),
    ("NI 073", "Achievement at level 4 or above in both English and Maths at Key Stage 2 "
               "(Threshold)",
     62.7, "2007/08", "06/07: 62.7", "higher_is_better",
     _set(78.0, "78.0"), _set(76.0, "76.0"), _set(74.0, "74.0"), "LBC*, schools", 366),
    ("NI 075", "Achievement of 5 or more A*-C grades at GCSE or equivalent including English "
               "and Maths (Threshold)",
     36.5, "2007/08", "06/07: 36.5", "higher_is_better",
     _set(45.7, "45.7"), _set(51.0, "51.0"), _set(55.0, "55.0"), "LBC*, schools", 367),
    ("NI 087", "Secondary school persistent absence rate",
     5.1, "2007/08", "06/07: 5.1", "lower_is_better",
     _set(5.2, "5.2"), _set(5.0, "5.0"), _set(4.9, "4.9"), "LBC*, schools", 368),
    ("NI 092", "Narrowing the gap between the lowest achieving 20% in the Early Years "
               "Foundation Stage Profile and the rest",
     39.4, "2007/08", "06/07: 39.4 (39.6)", "lower_is_better",
     _set(36.8, "36.8"), _set(35.6, "35.6"), _set(34.8, "34.8"), "LBC*, schools", 369),
    ("NI 093", "Progression by 2 levels in English between Key Stage 1 and Key Stage 2",
     81.3, "2008/09", "07/08: 81.3%", "higher_is_better",
     Cell(None, "0", NA), _set(87.0, "87.0"), _set(84.0, "84.0"), "LBC*, schools", 370),
    ("NI 094", "Progression by 2 levels in Maths between Key Stage 1 and Key Stage 2",
     68.7, "2008/09", "07/08: 68.7%", "higher_is_better",
     Cell(None, "0", NA), _set(79.0, "79.0"), _set(81.0, "81.0"), "LBC*, schools", 371),
    ("NI 099", "Children in care reaching level 4 in English at Key Stage 2",
     44.4, "2007/08", "06/07: 44.4", "higher_is_better",
     _set(26.0, "26.0"), _set(53.3, "53.3"), _set(66.7, "66.7"), "LBC*, schools", 373),
    ("NI 100", "Children in care reaching level 4 in Maths at Key Stage 2",
     38.9, "2007/08", "06/07: 38.9", "higher_is_better",
     _set(32.0, "32.0"), _set(53.3, "53.3"), _set(72.2, "72.2"), "LBC*, schools", 374),
    ("NI 101", "Children in care achieving 5 A*-C GCSEs (or equivalent) at Key Stage 4 "
               "(including English and Maths)",
     21, "2007/08", "06/07: 21", "higher_is_better",
     _set(20.0, "20.0"), _set(28.9, "28.9"), _set(13.9, "13.9"),
     "LBC*, Schools, University of Bedfordshire", 375),
]

STATUTORY_EXTRA_NOTES = {
    "NI 087": " The 2008 target (5.2) is above the baseline (5.1); polarity lower_is_better.",
    "NI 092": " Baseline written '39.4 (39.6)': 39.4 taken, the bracketed 39.6 is unexplained "
              "(probably a revised figure). The gap is lower_is_better.",
    "NI 093": " The 2008 cell '0' is a placeholder, not a target of zero: the 2008 results "
              "are the baseline (07/08), so no 2008 target; recorded not_applicable with no "
              "value.",
    "NI 094": " The 2008 cell '0' is a placeholder, not a target of zero: the 2008 results "
              "are the baseline (07/08), so no 2008 target; recorded not_applicable with no "
              "value.",
    "NI 099": " The 2008 target (26.0) is below the baseline (44.4): small cohort of "
              "children in care; polarity stays higher_is_better.",
    "NI 100": " The 2008 target (32.0) is below the baseline (38.9): small cohort; polarity "
              "stays higher_is_better.",
    "NI 101": " The 2008 (20.0) and 2010 (13.9) targets are below the baseline (21): small "
              "cohort; polarity stays higher_is_better.",
    "NI 073": " Targets fall from 78.0 to 74.0 (cohort-based statutory targets); polarity "
              "stays higher_is_better.",
}


def _statutory_indicators() -> list[dict]:
    rows = []
    for (code, title, baseline, period, written, polarity, t08, t09, t10, partners,
         line) in STATUTORY:
        # The theme "Children and Young People" and the column years are written only on the
        # table's first lines (364-365), so every row cites them after its own line.
        source = cite("001", line, 364) if line == 365 else cite("001", line, 364, 365)
        rows.append({
            "code": code, "kind": "statutory", "theme": CYP_STATUTORY, "title": title,
            "unit": "percent", "polarity": polarity, "measure": "snapshot",
            "frequency": "annual",
            "baseline": baseline, "baseline_period": period, "baseline_text": written,
            "lead_partner": "LBC", "partners": partners,
            "reward_eligible": "yes",
            "targets": (t08, t09, t10),
            "notes": STATUTORY_NOTE.format(written=written.split(":")[0], period=period)
                     + STATUTORY_EXTRA_NOTES.get(code, ""),
            "source": source,
        })
    return rows


# --- Section 256 Schedule A, 004 lines 3837-3851 ------------------------------------------
# Codes are ours where the schedule has none ("Local measure", "Local indicator", "NHS"):
# LOCAL EQUIP7, LOCAL LDHC, NHS READMIT30 (see docs/data-notes.md). "Influenced by Adult
# Social Care": 'Yes' = LBC leads and performance may affect NHS England's funding (line 3832),
# recorded as lead_partner LBC and reward_eligible yes; 'Partially' = performance will not
# affect the funding (line 3833), recorded as no lead and reward_eligible no.

S256_INDICATORS: list[dict] = [
    {
        "code": "ASCOF 1A", "kind": "national",
        "title": "Social care related quality of life for users (composite measure)",
        "unit": "score", "polarity": "higher_is_better", "frequency": "annual",
        "influenced": "Partially", "data_source": "Adult Social Care Survey",
        "basis": "Maintain current performance",
        "targets": (_set(18.4, "18.4"),),
        "notes": "Written 'ASCOF 1 A'.",
        "source": cite("004", 3838),
    },
    {
        "code": "ASCOF 1C", "kind": "national",
        "title": "Proportion of people using social care who receive self-directed support, "
                 "and those receiving direct payments",
        "unit": "percent", "polarity": "higher_is_better", "frequency": "annual",
        "influenced": "Yes", "data_source": "ASC RAP",
        "basis": "Maintain current performance",
        "targets": (_set(73, "73 % of eligible users"),),
        "notes": "Written 'ASCOF 1C -old N1 130': successor of NI 130.",
        "source": cite("004", 3839),
    },
    {
        "code": "ASCOF 1D", "kind": "national",
        "title": "Carer reported quality of life (composite measure)",
        "unit": "score", "polarity": "higher_is_better", "frequency": "biennial_survey",
        "survey_years": "2014/15",
        "influenced": "Partially", "data_source": "Carers Survey",
        "basis": "Maintain current performance",
        "targets": (_no_survey("8.1 in 14/15"),),
        "notes": "Collected every 2 years. The target '8.1 in 14/15' is for the 2014/15 Carers "
                 "Survey, outside this one-year framework: 2013/14 is recorded as no survey "
                 "and the 8.1 is kept in the text only.",
        "source": cite("004", 3840),
    },
    {
        "code": "LOCAL EQUIP7", "kind": "local",
        "title": "Equipment delivered within 7 days (integrated service includes social care "
                 "and NHS)",
        "unit": "percent", "polarity": "higher_is_better", "frequency": "annual",
        "influenced": "Yes", "data_source": "Local data base",
        "basis": "To maintain current high performance",
        "targets": (_set(95, "95%"),),
        "notes": "Written 'Local measure'; code LOCAL EQUIP7 is ours.",
        "source": cite("004", 3841),
    },
    {
        "code": "NHS READMIT30", "kind": "national",
        "title": "Percentage of emergency re admissions to any hospital in England occurring "
                 "within 30 days of the last, previous discharge from hospital",
        "unit": "percent", "polarity": "lower_is_better", "frequency": "annual",
        "influenced": "Partially", "data_source": "NHS HES",
        "basis": "Maintain current performance",
        "targets": (Cell(None, "Not yet set", TBC),),
        "notes": "Written 'NHS'; code NHS READMIT30 is ours.",
        "source": cite("004", 3842),
    },
    {
        "code": "ASCOF 2B(1)", "kind": "national",
        "title": "Older people discharged from hospital to rehabilitation or intermediate care, "
                 "who are living at home 91 days after discharge",
        "unit": "percent", "polarity": "higher_is_better", "frequency": "annual",
        "influenced": "Partially", "data_source": "ASC CAR",
        "basis": "Maintain current performance",
        "targets": (_set(73.9, "73.9"),),
        "notes": "Written 'ASCOF' / '2B part 1-old NI125 NHSOF 3.6i' across a page break "
                 "(lines 3843 and 3846): successor of NI 125. Frequency 'Annual (but only "
                 "captures 3 months of year Oct-Dec)'.",
        "source": cite("004", 3843, 3846),
    },
    {
        "code": "ASCOF 2C(2)", "kind": "national",
        "title": "Delayed transfers of care attributable to ASC",
        "unit": "rate_per_100000", "polarity": "lower_is_better", "frequency": "quarterly",
        "influenced": "Yes", "data_source": "UNIFY2",
        "basis": "Maintain current performance",
        "targets": (_set(5.8, "5.8"),),
        "notes": "Written 'ASCOF 2C part 2'. Collected weekly; the register has no weekly "
                 "frequency, so quarterly (the most frequent reporting it has). Unit not "
                 "written: read as the ASCOF definition, delays per 100,000 population aged 18+.",
        "source": cite("004", 3847),
    },
    {
        "code": "ASCOF 2C(1)", "kind": "national",
        "title": "Delayed transfers of care ASC ie 2C part 1",
        "unit": "rate_per_100000", "polarity": "lower_is_better", "frequency": "quarterly",
        "influenced": "Partially", "data_source": "UNIFY2",
        "basis": "Maintain current performance",
        "targets": (_set(14.1, "Target of 14.1"),),
        "notes": "Written 'ASCOF 2C part 1'. Collected weekly; recorded as quarterly. Unit "
                 "read as the ASCOF definition, delays per 100,000 population aged 18+.",
        "source": cite("004", 3848),
    },
    {
        "code": "ASCOF 1E", "kind": "national",
        "title": "Proportion of adults with Learning Disabilities in employment",
        "unit": "percent", "polarity": "higher_is_better", "frequency": "annual",
        "baseline": 14.7, "baseline_period": "2012/13", "baseline_text": "12/13 outturn 14.7%",
        "influenced": "Yes", "data_source": "ASC CAR",
        "basis": "Maintain top quartile performance (12/13 outturn 14.7%)",
        "targets": (_set(13, "13"),),
        "notes": "Written 'ASCOF 1E (was NI146)'. Baseline is the 12/13 outturn given in the "
                 "basis of target; the target (13) is below it, polarity stays "
                 "higher_is_better.",
        "source": cite("004", 3849),
    },
    {
        "code": "LOCAL LDHC", "kind": "local",
        "title": "Numbers of LD patients who have had a health check",
        "unit": "percent", "polarity": "higher_is_better", "frequency": "annual",
        "influenced": "Partially", "data_source": "",
        "basis": "Maintain current performance",
        "targets": (_set(61.6, "61.6"),),
        "notes": "Written 'Local indicator'; code LOCAL LDHC is ours. The title says "
                 "'Numbers' but the target 61.6 is not a whole number: read as a percentage "
                 "of LD patients. Data source not written.",
        "source": cite("004", 3850),
    },
    {
        "code": "ASCOF 1F", "kind": "national",
        "title": "Proportion of adults in contact with secondary mental health services in "
                 "employment",
        "unit": "percent", "polarity": "higher_is_better", "frequency": "annual",
        "influenced": "Partially", "data_source": "MH Provider Database",
        "basis": "Maintain current performance",
        "targets": (_set(6, "6%"),),
        "source": cite("004", 3851),
    },
]


def _s256_indicators() -> list[dict]:
    rows = []
    for spec in S256_INDICATORS:
        row = dict(spec)
        influenced = row.pop("influenced")
        data_source = row.pop("data_source")
        basis = row.pop("basis")
        facts = (f"Influenced by Adult Social Care: {influenced}. "
                 f"Source: {data_source or 'not written'}. Basis of target: {basis}.")
        row.update({
            "framework": S256, "theme": S256_THEME, "measure": "snapshot",
            "lead_partner": "LBC" if influenced == "Yes" else "",
            "partners": "", "reward_eligible": "yes" if influenced == "Yes" else "no",
            "notes": " ".join(filter(None, (row.get("notes", ""), facts))),
        })
        row.setdefault("baseline", None)
        row.setdefault("baseline_text", "")
        rows.append(row)
    return rows


# --- refreshed targets (2009-10 refresh report, 001 lines 244-261) -------------------------
# Only the years the refresh changed; the original rows stay. Columns: code, part, year,
# value, text, measure (overriding the indicator's for this version), source.

REFRESHED_TARGETS: list[tuple] = [
    ("NI 151", "", "2010/11", -7.5,
     "Narrow the gap to the GB average rate to a maximum of -7.5 percentage points by Q2 May "
     "2011", "gap_to_comparator", cite("001", 335, 247)),
    ("NI 152", "", "2010/11", -0.5,
     "Narrow the gap to the England average rate to a maximum of -0.5 percentage points by Q2 "
     "May 2011", "gap_to_comparator", cite("001", 336, 248)),
    # 1,500 is the renegotiated 3-year total; the 10/11 share is 1,500 - 640 - 720 (see notes).
    ("NI 154", "", "2010/11", 140, "*1,500 3 year cumulative target of 2,860", "",
     cite("001", 338, 249)),
    ("NI 171", "", "2010/11", 51.5, "51.5", "", cite("001", 350, 250)),
    ("NI 125", "", "2009/10", 92.0, "92.0%", "", cite("001", 323, 257)),
    ("NI 125", "", "2010/11", 95.0, "95.0%", "", cite("001", 323, 257)),
]

# --- returns: actual values stated in the papers -------------------------------------------
# Columns: code, part, area, period, value, provisional, commentary, source.

RETURNS: list[tuple] = [
    ("NI 151", "", "Luton", "2009/10 Q1", 66.4, "no",
     "Most recent data at the refresh (Q1 09/10)", cite("001", 247)),
    # The GB figure is for calendar year 2007; stored in the financial year it starts.
    ("NI 151", "", "Great Britain", "2007/08", 74.3, "no", "calendar year 2007",
     cite("001", 247)),
    ("NI 152", "", "Luton", "2009/10 Q2", 14, "no",
     "Most recent data at the refresh (Q2 09/10); key wards are Dallow, South, Biscot and "
     "Northwell", cite("001", 248)),
    ("NI 152", "", "England", "2009/10 Q1", 12.3, "no", "May 2009", cite("001", 248)),
    ("NI 154", "", "Luton", "2008/09", 640, "no", "640 homes built in 2008/09",
     cite("001", 249)),
    ("NI 171", "", "Luton", "2008/09", 49.6, "no",
     "calendar year 2008 (latest data at the refresh)", cite("001", 250)),
    ("NI 117", "", "Luton", "2009/10", 6.55, "yes",
     "unconfirmed; reported green against 6.5%", cite("001", 576)),
]


# --- assembling the sheets ---------------------------------------------------------------

INDICATOR_HEADERS = (*v.INDICATOR_COLUMNS, *v.INDICATOR_OPTIONAL_COLUMNS)
TARGET_HEADERS = (*v.TARGET_COLUMNS, *v.TARGET_OPTIONAL_COLUMNS)
RETURN_HEADERS = (*v.RETURN_COLUMNS, *v.RETURN_OPTIONAL_COLUMNS)
THEME_BOARD_HEADERS = (*v.THEME_BOARD_COLUMNS, *v.THEME_BOARD_OPTIONAL_COLUMNS)


def indicator_specs() -> list[dict]:
    """Every indicator part of both frameworks, defaults filled, with its target cells."""
    specs = []
    for spec in [*LAA_INDICATORS, *_statutory_indicators(), *_s256_indicators()]:
        row = {**_INDICATOR_DEFAULTS, **spec}
        row["theme_board"] = BOARD_OF_THEME[row["theme"]]
        specs.append(row)
    return specs


def indicator_rows() -> list[dict]:
    """Rows of the ``Indicators`` sheet, one per indicator part."""
    return [{c: spec.get(c) for c in INDICATOR_HEADERS} for spec in indicator_specs()]


def target_rows() -> list[dict]:
    """Rows of the ``Targets`` sheet: original cells of every part and year, then refreshed."""
    rows = []
    for spec in indicator_specs():
        if not spec["targets"]:  # a removed indicator keeps no targets
            continue
        laa = spec["framework"] == LAA
        years = LAA_YEARS if laa else S256_YEARS
        for year, cell in zip(years, spec["targets"], strict=True):
            rows.append({
                "framework": spec["framework"], "code": spec["code"], "part": spec["part"],
                "year": year, "value": cell.value, "text": cell.text, "status": cell.status,
                "version": "original",
                "effective_from": ORIGINAL_FROM if laa else S256_FROM,
                "decided_by": ORIGINAL_DECIDED_BY if laa else S256_DECIDED_BY,
                "source": cell.source or spec["source"], "measure": "",
            })
    for code, part, year, value, text, measure, source in REFRESHED_TARGETS:
        rows.append({
            "framework": LAA, "code": code, "part": part, "year": year, "value": value,
            "text": text, "status": SET, "version": "refreshed",
            "effective_from": REFRESH_FROM, "decided_by": REFRESH_DECIDED_BY,
            "source": source, "measure": measure,
        })
    return rows


def return_rows() -> list[dict]:
    """Rows of the ``Returns`` sheet: the actual values the papers state."""
    keys = ("code", "part", "area", "period", "value", "provisional", "commentary", "source")
    return [{**dict(zip(keys, r, strict=True)), "framework": LAA} for r in RETURNS]


def sheets() -> dict[str, tuple[Sequence[str], list[dict]]]:
    """Every sheet of the workbook: name -> (column headers, rows as dicts)."""
    return {
        v.SHEET_FRAMEWORKS: (v.FRAMEWORK_COLUMNS, FRAMEWORKS),
        v.SHEET_INDICATORS: (INDICATOR_HEADERS, indicator_rows()),
        v.SHEET_TARGETS: (TARGET_HEADERS, target_rows()),
        v.SHEET_RETURNS: (RETURN_HEADERS, return_rows()),
        v.SHEET_THEME_BOARDS: (THEME_BOARD_HEADERS, THEME_BOARDS),
        v.SHEET_SETTINGS: (v.SETTING_COLUMNS,
                           [{"setting": k, "value": val} for k, val in SETTINGS]),
    }


# Allowed values per column, checked before writing so a typo in the data above fails here
# rather than when the client uploads the file.
_ALLOWED = {
    "kind": v.KINDS, "unit": v.UNITS, "polarity": v.POLARITIES, "measure": v.MEASURES,
    "frequency": v.FREQUENCIES, "status": (*v.INDICATOR_STATUSES, *v.TARGET_STATUSES),
    "version": v.TARGET_VERSIONS, "reward_eligible": v.YES_NO, "provisional": v.YES_NO,
    "rag_scheme": v.RAG_SCHEMES,
}
_WIDE_COLUMNS = {"title", "notes", "partners", "baseline_text", "text", "commentary",
                 "decided_by", "source", "theme"}


def check(all_sheets: dict[str, tuple[Sequence[str], list[dict]]]) -> list[str]:
    """Problems in the transcription: values outside the vocabulary, text where a number
    belongs. Empty when the data can be written."""
    problems = []
    for name, (_, rows) in all_sheets.items():
        for i, row in enumerate(rows, start=2):
            for column, value in row.items():
                allowed = _ALLOWED.get(column)
                if allowed and value not in ("", None) and value not in allowed:
                    problems.append(f"{name} row {i}: {column} '{value}' is not allowed")
                numeric = column in ("baseline", "tolerance_pct", "tolerance_points") or (
                    column == "value" and name != v.SHEET_SETTINGS)
                if numeric and value is not None and not isinstance(value, int | float):
                    problems.append(f"{name} row {i}: {column} '{value}' is not a number")
    return problems


def _cell_value(value: object) -> object:
    # Empty means an empty cell, never a zero-length string.
    return None if value == "" else value


def write_workbook(path: str | Path = DEFAULT_PATH) -> Path:
    """Write the transcribed register to ``path`` (default ``indicators.xlsx`` at the repo root).

    Headers are bold and frozen, columns sized to their content and long text wrapped.
    Raises ``ValueError`` listing every problem if the data above breaks the vocabulary.
    """
    all_sheets = sheets()
    problems = check(all_sheets)
    if problems:
        raise ValueError("cannot write the register:\n" + "\n".join(problems))
    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    for name, (headers, rows) in all_sheets.items():
        ws = wb.create_sheet(name)
        ws.append(list(headers))
        for cell in ws[1]:
            cell.font = bold
        for row in rows:
            ws.append([_cell_value(row.get(h)) for h in headers])
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions
        _format_columns(ws, headers, rows)
    path = Path(path)
    wb.save(path)
    return path


def _format_columns(ws, headers: Sequence[str], rows: Iterable[dict]) -> None:
    rows = list(rows)
    for i, header in enumerate(headers, start=1):
        letter = get_column_letter(i)
        longest = max([len(header), *(len(str(r.get(header) or "")) for r in rows)])
        wide = header in _WIDE_COLUMNS
        ws.column_dimensions[letter].width = min(longest + 2, 60 if wide else 30)
        for cell in ws[letter][1:]:
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            elif wide:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            else:
                cell.alignment = Alignment(vertical="top")


def main() -> None:
    """Write ``indicators.xlsx`` at the repository root and say how many rows each sheet has."""
    path = write_workbook()
    counts = ", ".join(f"{name}: {len(rows)}" for name, (_, rows) in sheets().items())
    print(f"wrote {path} ({counts})")


if __name__ == "__main__":
    main()
