"""Year-end forecasts: the officer's forecast, else a projection of the latest quarter of the
year so far, rated against the year's target (``docs/rag-rules.md``, forecasts)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from performance.rag.codes import _SLOTS, NO_TARGET
from performance.rag.measures import _ANNUALISE, _baseline_for, _choose, _Measures, _profile
from performance.rag.rules import rate_arrays

if TYPE_CHECKING:
    from performance.rag.cells import _Cells


def year_end_forecast(c: _Cells, m: _Measures, rules: dict, in_measure: Callable[[np.ndarray], np.ndarray],
                      year_target: np.ndarray, earlier_target: np.ndarray, baseline: np.ndarray,
                      removed: np.ndarray) -> dict[str, np.ndarray]:
    """The forecast columns of rows ``c`` (numbers and codes): forecast_year_end,
    forecast_basis (0 officer, 1 projection, -1 none), forecast_target and forecast_status
    (-1 where there is no forecast; ``no_target`` for a removed indicator).

    ``rules``: the rating arguments of :func:`~performance.rag.rules.rate_arrays` for these
    rows; ``in_measure``: a return's value in the measure's terms.
    """
    g = c.g
    # from the latest quarterly entry (value or officer forecast) of the year so far
    latest = np.where(c.is_annual, -1, np.take(g.latest_entry_slot, c.py * 4 + np.minimum(c.slot, 3)))
    latest_t = np.where(latest >= 0, c.y * _SLOTS + latest, -1)
    officer, latest_value = c.period(g.own_fc, latest_t), c.period(g.own_val, latest_t)
    scale = _choose(np.ones(len(c.t)), (m.cumulative, lambda: _ANNUALISE[np.maximum(latest, 0)]))
    projection = latest_value * scale
    has_officer = np.isfinite(officer)
    basis = np.where(has_officer, 0, np.where(np.isfinite(projection), 1, -1))
    forecast = in_measure(np.where(has_officer, officer, projection))
    forecast_target = _profile(m, year_target, earlier_target, 1.0)
    forecast_baseline = _baseline_for(m, baseline, c.n_earlier, 1.0)
    forecast_status = rate_arrays(forecast, forecast_target, forecast_baseline, due=True, **rules)
    has_forecast = basis >= 0
    forecast_status[removed] = NO_TARGET
    forecast_status[~has_forecast] = -1
    return {
        "forecast_year_end": np.where(has_forecast, forecast, np.nan),
        "forecast_basis": basis.astype(np.int8),
        "forecast_target": np.where(has_forecast, forecast_target, np.nan),
        "forecast_status": forecast_status,
    }
