"""The rating of rows, cell by cell of the grids: status, direction and forecast of each row
as numbers and codes (``_rate_cells``), for a block of rows at a time."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from performance.rag.codes import (
    _ANNUAL_SLOT,
    _SLOTS,
    ANNUAL,
    BIENNIAL,
    NO_TARGET,
    QUARTERLY,
    T_NO_SURVEY,
    T_SET,
)
from performance.rag.directions import _comparable, _directions
from performance.rag.forecasts import year_end_forecast
from performance.rag.measures import _baseline_for, _choose, _Measures, _profile
from performance.rag.rules import rate_arrays
from performance.vocabulary import TARGET_STATUSES

if TYPE_CHECKING:
    from performance.rag.layout import _Grids


# by slot (Q1..Q4, annual): the share of the year's target due by then, and how many grid
# periods back the previous period is (Q1 -> the previous year's Q4, annual -> last year's)
_FRACTION = np.array([0.25, 0.5, 0.75, 1.0, 1.0])


_PREVIOUS_STEP = np.array([2, 1, 1, 1, _SLOTS])


class _Cells:
    """The rows to rate (part ``p``, grid period ``t``) and their cells in the grids."""

    def __init__(self, g: _Grids, p: np.ndarray, t: np.ndarray) -> None:
        self.g, self.p, self.t = g, p, t
        self.y, self.slot = t // _SLOTS, t % _SLOTS
        self.is_annual = self.slot == _ANNUAL_SLOT
        self.fraction = _FRACTION[self.slot]
        self.py = p * g.n_years + self.y  # flat index into part x year grids
        self.base = p * g.n_t  # + a grid period: flat index into part x period grids
        self.pt = self.base + t
        self.sign = g.sign[p]
        self.n_earlier = np.maximum(self.y - g.first_y[p], 0)

    def year(self, grid: np.ndarray) -> np.ndarray:
        return np.take(grid, self.py)

    def period(self, grid: np.ndarray, t: np.ndarray | None = None) -> np.ndarray:
        """Cells of a part x period grid at ``t`` (default: the row's period); NaN before it."""
        if t is None:
            return np.take(grid, self.pt)
        return np.where(t >= 0, np.take(grid, self.base + np.maximum(t, 0)), np.nan)


def _rate_cells(c: _Cells) -> dict[str, np.ndarray]:
    """Status, direction and forecast of every row (numbers and codes only)."""
    g, sign = c.g, c.sign
    raw, comp = c.period(g.own_val), c.period(g.comp_ff)
    t_status = c.year(g.tgt_status)
    has_target = t_status == T_SET
    m = _Measures(c.year(g.measure_in_force))
    year_target = c.year(g.year_target)
    earlier_target, earlier_value = c.year(g.earlier_target), c.year(g.earlier_value)
    baseline = g.baseline[c.p]

    def in_measure(own):  # a return's value in the measure's terms
        return _choose(
            own, (m.gap, lambda: sign * (own - comp)), (m.cum_agreement, lambda: earlier_value + own)
        )

    freq = g.frequency[c.p]
    due_annual = _choose(
        np.isfinite(raw), (freq == ANNUAL, lambda: True), (freq == BIENNIAL, lambda: c.year(g.survey_year))
    )
    due = np.where(c.is_annual, due_annual, freq == QUARTERLY) & (t_status != T_NO_SURVEY)
    removed = g.removed[c.p]
    rules = {
        "polarity": sign, "tolerance_pct": g.tolerance_pct[c.p],
        "tolerance_points": g.tolerance_points[c.p], "scheme": g.scheme[c.p], "measure": m.code,
        "has_target": has_target,
    }
    value = in_measure(raw)
    target = _profile(m, year_target, earlier_target, c.fraction)
    baseline_used = _baseline_for(m, baseline, c.n_earlier, c.fraction)
    status = rate_arrays(value, target, baseline_used, due=due, **rules)
    orig_m = _Measures(c.year(g.orig_in_force))

    # direction of travel: against the previous period and the same period a year earlier
    t = c.t
    prev_t = t - _PREVIOUS_STEP[c.slot]  # Q1 -> the previous year's Q4
    year_t = t - _SLOTS

    def comparable(tt, own=None, other=None):
        if own is None:
            own, other = c.period(g.own_val, tt), c.period(g.comp_ff, tt)
        return _comparable(m, sign, own, other, tt % _SLOTS)

    # the row's own period is always on the grid: its cells are raw and comp already
    current = comparable(t, raw, comp)
    previous, year_earlier = comparable(prev_t), comparable(year_t)
    dir_sign = np.where(m.gap & (sign != 0), 1, sign)
    threshold = g.direction_threshold_pct

    forecast = year_end_forecast(c, m, rules, in_measure, year_target, earlier_target, baseline, removed)
    status[removed] = NO_TARGET

    # codes are stored as int8 (a million rows: 1 MB a column instead of 8 MB of fresh memory)
    return {
        "measure": m.code.astype(np.int8),
        "value": value,
        "period_value": raw,
        "target": target,
        "original_target": _profile(orig_m, c.year(g.orig_val), c.year(g.earlier_orig), c.fraction),
        "original_measure": orig_m.code.astype(np.int8),
        "year_target": year_target,
        "baseline_used": baseline_used,
        "due": due,
        "status": status,
        "direction": _directions(current, previous, dir_sign, threshold),
        "direction_year": _directions(current, year_earlier, dir_sign, threshold),
        "previous_value": previous,
        "year_earlier_value": year_earlier,
        **forecast,
        "comparator_value": np.where(g.has_comparator[c.p], comp, np.nan),
        # no target row reads "" (the code one past the vocabulary: see rate())
        "target_status": np.where(t_status < 0, len(TARGET_STATUSES), t_status).astype(np.int8),
        "removed": removed,
        "return_row": c.period(g.own_row),  # rows of the returns and targets frames, for the
        "target_row": c.year(g.tgt_row),  # text columns (worked out here, block by block)
    }
