"""Statuses summarised: severity order and the worst part of each indicator."""

from __future__ import annotations

import numpy as np
import pandas as pd

from performance.rag.codes import _STATUS_NAMES
from performance.rag.columns import _obj
from performance.vocabulary import STATUS_SEVERITY, STATUSES


def status_severity(statuses: pd.Series, missing: int = len(STATUSES)) -> np.ndarray:
    """``STATUS_SEVERITY`` of each status (0 red ... 5 no_target; ``missing`` where there is
    none), looked up once per distinct status.

    For any frame's statuses: plain text (``indicator_status``, a return's preview) sorts
    alphabetically, and mapping a categorical gives a categorical that sorts in its old
    category order, so sort by these numbers."""
    codes, labels = pd.factorize(statuses)  # a categorical's own codes: no hashing
    known = [STATUS_SEVERITY.get(s, missing) for s in labels]
    return np.array([*known, missing], dtype=np.int64)[codes]


def indicator_status(rated: pd.DataFrame) -> pd.DataFrame:
    """The worst part of each indicator in each period (order red, amber, green, no_data,
    not_due, no_target).

    Columns: framework, code, period, period_order, status, parts (how many), worst_part (the
    first part with that status, "" for an indicator reported as a whole) and forecast_status
    (worst forecast of the parts, NaN where none). Register order, then timeline order.
    """
    indicator = rated.groupby(["framework", "code"], sort=False).ngroup().to_numpy()
    frame = pd.DataFrame({
        "_indicator": indicator,
        "period_order": rated["period_order"].to_numpy(),
        "_row": np.arange(len(rated)),
        "_sev": status_severity(rated["status"]),
        "_fc": status_severity(rated["forecast_status"]),
    })
    # worst first (stable), so the first row of each group is its worst part
    frame = frame.sort_values("_sev", kind="stable")
    out = frame.groupby(["_indicator", "period_order"], sort=True).agg(
        _row=("_row", "first"), _sev=("_sev", "first"), parts=("_sev", "size"), _fc=("_fc", "min"),
    ).reset_index()
    rows = out["_row"].to_numpy()
    with_missing = np.array((*STATUSES, np.nan), dtype=object)
    columns = {c: _obj(rated[c].to_numpy(dtype=object)[rows]) for c in ("framework", "code", "period")}
    return pd.DataFrame({
        **columns,
        "period_order": out["period_order"].to_numpy(),
        "status": _obj(_STATUS_NAMES[out["_sev"].to_numpy()]),
        "parts": out["parts"].to_numpy(),
        "worst_part": _obj(rated["part"].to_numpy(dtype=object)[rows]),
        "forecast_status": _obj(with_missing[out["_fc"].to_numpy(dtype=np.int64)]),
    })
