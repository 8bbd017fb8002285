"""Direction of travel: against the previous period and the same period a year earlier
(``docs/rag-rules.md``, directions)."""

from __future__ import annotations

import numpy as np

from performance.rag.codes import _EPS, IMPROVING, NO_CHANGE, WORSENING
from performance.rag.measures import _ANNUALISE, _choose, _Measures


def _comparable(m: _Measures, sign, own, comp, slot):
    """A period's value made comparable across periods for direction of travel: year-to-date
    counts annualised (x 4/q), gaps worked out; the rest as recorded."""
    return _choose(
        own,
        (m.gap, lambda: sign * (own - comp)),
        (m.cumulative, lambda: own * _ANNUALISE[slot]),
    )


def _directions(current, earlier, sign, threshold_pct) -> np.ndarray:
    """Direction codes (index into DIRECTIONS, -1 where either value is missing)."""
    with np.errstate(invalid="ignore"):
        # worked in place: a block's temporaries are few (slack is the threshold share of the
        # earlier value plus float slack: threshold/100 x |earlier| + EPS x max(1, |earlier|))
        change = np.subtract(current, earlier)
        change *= sign
        size = np.abs(earlier)
        slack = np.maximum(size, 1.0)
        slack *= _EPS
        size *= threshold_pct / 100.0
        slack += size
        codes = np.full(change.shape, NO_CHANGE, dtype=np.int8)
        codes[change > slack] = IMPROVING
        codes[change < np.negative(slack, out=slack)] = WORSENING
        # a value missing on either side (NaN or infinite change) or no polarity: unknown
        codes[~np.isfinite(change) | (np.asarray(sign) == 0)] = -1
        return codes
