"""The indicator register in memory: one typed bundle of pandas frames.

Both the workbook reader (``data_loaders.workbook``) and the database reader
(``data_loaders.database``) produce a :class:`Register`; the RAG engine, pages and
exports consume it. Conventions, so that every consumer can rely on them:

- ``part`` is ``""`` (never NaN) for an indicator reported as a whole;
- numeric columns (``baseline``, ``value``, ``tolerance_pct`` ...) are float, NaN when empty;
- ``year`` is written ``"2009/10"`` and ``period`` ``"2009/10 Q3"`` or ``"2009/10"``;
- ``reward_eligible`` and ``provisional`` are bool.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from performance.vocabulary import DEFAULT_SETTINGS


@dataclass
class Register:
    """Frameworks, indicator parts, targets (all versions), returns and settings.

    ``indicators``: one row per indicator part, the columns of the ``Indicators`` sheet.
    ``targets``: one row per part, year and version, the columns of ``Targets`` plus ``measure``
    (``""`` where the indicator's own measure applies).
    ``returns``: the current version of each value, columns ``framework, code, part, area,
    period, value, provisional, commentary, action, forecast_year_end, source, is_demo``.
    """

    frameworks: pd.DataFrame
    indicators: pd.DataFrame
    targets: pd.DataFrame
    returns: pd.DataFrame
    theme_boards: pd.DataFrame
    settings: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_SETTINGS))
