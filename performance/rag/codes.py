"""Codes of the vectorised path (indices into the vocabulary tuples) and the grid's shape."""

from __future__ import annotations

import numpy as np

from performance.vocabulary import DIRECTIONS, MEASURES, RAG_SCHEMES, STATUSES, TARGET_STATUSES

RED, AMBER, GREEN, NO_DATA, NOT_DUE, NO_TARGET = (
    STATUSES.index(s) for s in ("red", "amber", "green", "no_data", "not_due", "no_target")
)


SNAPSHOT, CUM_YEAR, CUM_AGREEMENT, LEVEL, GAP = (
    MEASURES.index(m)
    for m in ("snapshot", "cumulative_in_year", "cumulative_agreement", "level", "gap_to_comparator")
)


BASELINE_AND_TARGET, TARGET_WITH_TOLERANCE = (
    RAG_SCHEMES.index(s) for s in ("baseline_and_target", "target_with_tolerance")
)


IMPROVING, NO_CHANGE, WORSENING = (DIRECTIONS.index(d) for d in ("improving", "no_change", "worsening"))


T_SET, T_NO_SURVEY, T_TO_BE_CONFIRMED, T_NOT_APPLICABLE = (
    TARGET_STATUSES.index(s) for s in ("set", "no_survey", "to_be_confirmed", "not_applicable")
)


QUARTERLY, ANNUAL, BIENNIAL = 0, 1, 2


_FREQUENCY = {"quarterly": QUARTERLY, "annual": ANNUAL, "biennial_survey": BIENNIAL}


_SIGN = {"higher_is_better": 1, "lower_is_better": -1}


FORECAST_BASES = ("officer", "projection")


_STATUS_NAMES = np.array(STATUSES, dtype=object)


# A period on the grid: 5 slots per financial year, Q1..Q4 then the annual outturn, which is
# the timeline order of performance.periods.Period.
_SLOTS = 5


_ANNUAL_SLOT = 4


_YEARS_BEFORE = 10  # years kept before the earliest framework (comparator values, directions)


_EPS = 1e-9  # relative slack for float comparisons (6.5 * 1.05 must count as within 5%)


# Rows rated per block: a block's temporary arrays (512 KB of floats) stay in the CPU cache
# and are reused by the allocator; whole-million temporaries cost page faults on every one.
_CHUNK = 1 << 16
