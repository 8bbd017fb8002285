"""The RAG engine: status, direction of travel and year-end forecast of every indicator part.

Pure pandas/numpy. Pages, exports and the command line all call :func:`rate`; nothing else
computes a status. The rules are written out with worked Luton examples in
``docs/rag-rules.md``; this docstring is the short version.

Layers, from the bottom:

- :func:`rate_arrays` rates numpy arrays (vectorised, in cache-sized blocks; about 0.03 s for
  a million values on a 2-core machine). :func:`rate_value` rates one value through it, so
  the scalar and the vectorised path cannot disagree.
- :func:`rate` turns a :class:`~performance.register.Register` into one row per indicator part
  and period: due or not, the target version in force, the measure (snapshot, year-to-date,
  running total since the agreement began, level, gap to a comparator area), status, direction
  of travel and the year-end forecast. It works on dense ``part x period`` grids, so a
  whole agreement is rated in one pass with no row-wise Python.

Speed (measured by ``python -m bench --only rag_1m``, a million rows): text columns are
factorized once (the key columns and the copied texts by two worker threads, since pyarrow and
NumPy let go of the GIL; the blocks of rows are rated on the same two threads), cleaned once
per distinct value, and matched and copied as integer codes;
rules that apply to no row are skipped; the numbers are worked out in blocks of rows that stay
in the CPU cache, since fresh whole-million temporaries cost page faults on every one.
- :func:`explain` writes the one-line reason for the rows it is given (on demand only: never in
  the rating path). :func:`indicator_status` takes the worst part of each indicator.

Where each part lives (``docs/rag-rules.md`` points at these files rule by rule):

- ``rules.py``: the status rules (:func:`rate_arrays`, :func:`rate_value`);
- ``measures.py``: values, targets and baselines in the measure's terms;
- ``directions.py``: direction of travel; ``forecasts.py``: the year-end forecast;
- ``layout.py``: the register as dense grids (``texts.py`` reads its columns);
- ``cells.py``: a block of rows rated from the grids; ``threads.py``: the worker threads;
- ``engine.py``: :func:`rate` and :func:`latest_period_with_data` (``columns.py`` builds the
  frame's categorical columns); ``summary.py``: :func:`status_severity`,
  :func:`indicator_status`; ``reasons.py``: :func:`explain`, :func:`format_value`;
- ``codes.py``: the vocabulary codes of the vectorised path.

Status precedence (first that applies wins): a removed indicator is ``no_target`` in every
period; ``not_due``; ``no_target``; ``no_data``; then ``green``/``amber``/``red``.

Text columns of the frame :func:`rate` returns are pandas categoricals with alphabetical
categories: a million rows name a few thousand distinct texts, and a small integer per row
instead of a Python object per row keeps the rating quick and the cached frame small. Status,
direction, direction_year, forecast_status, forecast_basis and polarity stay ``object``, since
callers map them to severities, badges and signs (a mapped categorical still sorts in its old
order), and so do the free texts (commentary, action, source, target_text), which callers may
edit. Missing directions, forecasts and the like are NaN.
"""

from performance.rag.codes import (
    AMBER,
    ANNUAL,
    BASELINE_AND_TARGET,
    BIENNIAL,
    CUM_AGREEMENT,
    CUM_YEAR,
    FORECAST_BASES,
    GAP,
    GREEN,
    IMPROVING,
    LEVEL,
    NO_CHANGE,
    NO_DATA,
    NO_TARGET,
    NOT_DUE,
    QUARTERLY,
    RED,
    SNAPSHOT,
    T_NO_SURVEY,
    T_NOT_APPLICABLE,
    T_SET,
    T_TO_BE_CONFIRMED,
    TARGET_WITH_TOLERANCE,
    WORSENING,
)
from performance.rag.engine import RATED_COLUMNS, latest_period_with_data, rate
from performance.rag.reasons import explain, format_value
from performance.rag.rules import rate_arrays, rate_value, status_names
from performance.rag.summary import indicator_status, status_severity
from performance.vocabulary import STATUSES

__all__ = [
    "AMBER",
    "ANNUAL",
    "BASELINE_AND_TARGET",
    "BIENNIAL",
    "CUM_AGREEMENT",
    "CUM_YEAR",
    "FORECAST_BASES",
    "GAP",
    "GREEN",
    "IMPROVING",
    "LEVEL",
    "NOT_DUE",
    "NO_CHANGE",
    "NO_DATA",
    "NO_TARGET",
    "QUARTERLY",
    "RATED_COLUMNS",
    "RED",
    "SNAPSHOT",
    "STATUSES",
    "TARGET_WITH_TOLERANCE",
    "T_NOT_APPLICABLE",
    "T_NO_SURVEY",
    "T_SET",
    "T_TO_BE_CONFIRMED",
    "WORSENING",
    "explain",
    "format_value",
    "indicator_status",
    "latest_period_with_data",
    "rate",
    "rate_arrays",
    "rate_value",
    "status_names",
    "status_severity",
]
