"""Threading: the two worker threads shared by every rating, and the rating of blocks of rows
on them (NumPy and pyarrow let go of the GIL)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import numpy as np

from performance.rag.cells import _Cells, _rate_cells
from performance.rag.codes import _CHUNK

if TYPE_CHECKING:
    from performance.rag.layout import _Grids


_WORKERS: ThreadPoolExecutor | None = None


def _workers() -> ThreadPoolExecutor:
    """Two threads shared by every rating (the machines have two cores); made on first use."""
    global _WORKERS
    if _WORKERS is None:
        _WORKERS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="rag")
    return _WORKERS


class _Rating:
    """:func:`_rate_cells` of every row, in blocks of rows (see ``_CHUNK``) written into whole
    columns: the same numbers, with the temporaries of a block kept in cache.

    The first block is rated at once (it gives the columns' types); the others go to the
    worker threads, and :meth:`result` waits for them, so the caller can build the columns
    that do not depend on the rating in the meantime.
    """

    def __init__(self, g: _Grids, p: np.ndarray, t: np.ndarray) -> None:
        self._pending: list = []
        self._fill = None
        if len(p) <= _CHUNK:
            self._out = _rate_cells(_Cells(g, p, t))
            return
        blocks = [slice(start, start + _CHUNK) for start in range(0, len(p), _CHUNK)]
        first = _rate_cells(_Cells(g, p[blocks[0]], t[blocks[0]]))
        out = {name: np.empty(len(p), dtype=values.dtype) for name, values in first.items()}

        def fill(block: slice, cells: dict | None = None) -> None:
            cells = cells if cells is not None else _rate_cells(_Cells(g, p[block], t[block]))
            for name, values in cells.items():
                out[name][block] = values

        fill(blocks[0], first)
        # NumPy lets go of the GIL inside each operation, so two threads rate blocks side by
        # side on a 2-core machine; the blocks write disjoint slices of the same columns.
        self._pending = [(block, _workers().submit(fill, block)) for block in blocks[1:]]
        self._fill, self._out = fill, out

    def result(self) -> dict[str, np.ndarray]:
        # blocks still queued are rated here rather than waited for (last first: the
        # workers take them from the front)
        for block, done in reversed(self._pending):
            if done.cancel():
                self._fill(block)
        for _, done in self._pending:
            if not done.cancelled():
                done.result()  # re-raises an error of a block
        return self._out
