"""Reasons built the first time a row is shown, kept for the rows of one rated frame.

:func:`performance.rag.explain` writes a row's one-line reason in Python, row by row: for every
row of every period at the 150-area scale (145,000 rows) that is several seconds, most of it
for rows nobody opens. The app caches one rated frame per data version; a :class:`ReasonCache`
beside it builds the reasons of the rows a page shows (the period's table, the page of the
status matrix on screen) when they are first asked for, and keeps them for every later render
of every session until the data changes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from performance import rag

__all__ = ["ReasonCache"]


class ReasonCache:
    """The reasons of the rows of ``rated`` (a frame of :func:`performance.rag.rate`), each
    built once, the first time it is asked for.

    Shared by every session of the app: building is idempotent, so two sessions that ask for
    the same rows at once at worst both build them (the same texts), and no lock is held while
    building.
    """

    def __init__(self, rated: pd.DataFrame) -> None:
        if not rated.index.is_unique:
            raise ValueError("the rated frame's index must be unique to keep reasons by row")
        self._rated = rated
        self._reasons = np.full(len(rated), None, dtype=object)

    @property
    def built(self) -> int:
        """How many rows have their reason built so far."""
        return int(np.count_nonzero(np.not_equal(self._reasons, None)))

    def reasons(self, rows: pd.DataFrame) -> pd.Series:
        """The reason of each of ``rows`` (rows of the rated frame, any filter applied, by their
        index labels), building those not built yet."""
        positions = self._rated.index.get_indexer(rows.index)
        if (positions < 0).any():
            raise ValueError("rows that are not rows of this rated frame (another data version?)")
        known = self._reasons[positions]
        missing = np.unique(positions[np.equal(known, None)])
        if len(missing):
            self._reasons[missing] = rag.explain(self._rated.iloc[missing]).to_numpy(dtype=object)
            known = self._reasons[positions]
        return pd.Series(known, index=rows.index, dtype=object, name="reason")

    def with_reasons(self, rows: pd.DataFrame, only: np.ndarray | None = None) -> pd.DataFrame:
        """``rows`` with their ``reason`` column (``rows`` itself if it has one).

        ``only``: a boolean mask of the rows whose reasons are wanted; the others get an empty
        reason (for a view that reads the reasons of a few of the rows it is given).
        """
        if "reason" in rows.columns:
            return rows
        if only is None:
            return rows.assign(reason=self.reasons(rows).to_numpy())
        reason = np.full(len(rows), "", dtype=object)
        reason[only] = self.reasons(rows[only]).to_numpy()
        return rows.assign(reason=reason)
