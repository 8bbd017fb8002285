"""Measures: a value, target or baseline in the measure's terms (snapshot, year to date, running
total since the agreement began, level, gap to a comparator area)."""

from __future__ import annotations

import numpy as np

from performance.rag.codes import CUM_AGREEMENT, CUM_YEAR, GAP


def _choose(default: np.ndarray, *cases) -> np.ndarray:
    """``np.select`` that works out a choice only where some row needs it; a new array.

    ``cases`` are ``(condition, compute)`` pairs, the first true condition wins, as in
    ``np.select``; ``compute()`` gives that case's values. Most registers use one or two
    measures, so on a million rows this skips whole-array arithmetic for the others.
    """
    out = np.array(default, copy=True)
    for condition, compute in reversed(cases):
        if condition.any():
            out = np.where(condition, compute(), out)
    return out


class _Measures:
    """Which rows have which measure, worked out once for all the rules that depend on it."""

    def __init__(self, measure: np.ndarray) -> None:
        self.code = measure
        self.gap = measure == GAP
        self.cum_year = measure == CUM_YEAR
        self.cum_agreement = measure == CUM_AGREEMENT
        self.cumulative = self.cum_year | self.cum_agreement


def _profile(m: _Measures, year_value, earlier, fraction):
    """A year's figure profiled to the period: quarter/4 of it year to date; plus earlier years
    for a running total since the agreement began."""
    return _choose(
        year_value,
        (m.cum_year, lambda: year_value * fraction),
        (m.cum_agreement, lambda: earlier + year_value * fraction),
    )


def _baseline_for(m: _Measures, baseline, n_earlier, fraction):
    """The baseline in the measure's terms (profiled like the target; none for a gap)."""
    return _choose(
        baseline,
        (m.cum_year, lambda: baseline * fraction),
        (m.cum_agreement, lambda: baseline * (n_earlier + fraction)),
        (m.gap, lambda: np.nan),
    )


# 4/q for a year-to-date count in quarter q, by slot (the annual outturn is a whole year)
_ANNUALISE = np.array([4.0 / 1.0, 4.0 / 2.0, 4.0 / 3.0, 4.0 / 4.0, 1.0])
