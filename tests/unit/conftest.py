"""Builders for small in-memory registers (the RAG engine's tests build their data here)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from performance.register import Register
from performance.vocabulary import DEFAULT_SETTINGS

_INDICATOR_DEFAULTS = {
    "framework": "LAA", "part": "", "kind": "designated", "title": "", "theme": "",
    "theme_board": "", "unit": "percent", "polarity": "higher_is_better", "measure": "snapshot",
    "frequency": "quarterly", "baseline": math.nan, "baseline_period": "", "baseline_text": "",
    "tolerance_pct": math.nan, "tolerance_points": math.nan, "rag_scheme": "", "survey_years": "",
    "comparator": "", "lead_partner": "", "partners": "", "reward_eligible": False,
    "status": "active", "notes": "", "source": "test",
}
_TARGET_DEFAULTS = {
    "framework": "LAA", "part": "", "text": "", "status": "set", "version": "original",
    "effective_from": "", "decided_by": "", "source": "test", "measure": "",
}
_RETURN_DEFAULTS = {
    "framework": "LAA", "part": "", "area": "Luton", "provisional": False, "commentary": "",
    "action": "", "forecast_year_end": math.nan, "source": "test", "is_demo": False,
}


class RegisterBuilder:
    """Chainable: ``build.indicator("NI 117", ...).target("NI 117", "2009/10", 6.5).register()``."""

    def __init__(self) -> None:
        self.frameworks = [{
            "framework": "LAA", "title": "Luton LAA 2008-11", "first_year": "2008/09",
            "last_year": "2010/11", "own_area": "Luton", "source": "test",
        }]
        self.indicators: list[dict] = []
        self.targets: list[dict] = []
        self.returns: list[dict] = []
        self.settings = dict(DEFAULT_SETTINGS)

    def indicator(self, code: str, **columns) -> RegisterBuilder:
        self.indicators.append({**_INDICATOR_DEFAULTS, "code": code, "title": code, **columns})
        return self

    def target(self, code: str, year: str, value: float, **columns) -> RegisterBuilder:
        self.targets.append({**_TARGET_DEFAULTS, "code": code, "year": year, "value": value, **columns})
        return self

    def ret(self, code: str, period: str, value: float, **columns) -> RegisterBuilder:
        self.returns.append({**_RETURN_DEFAULTS, "code": code, "period": period, "value": value, **columns})
        return self

    def setting(self, name: str, value: str) -> RegisterBuilder:
        self.settings[name] = value
        return self

    def register(self) -> Register:
        def frame(rows: list[dict], defaults: dict, *first: str) -> pd.DataFrame:
            return pd.DataFrame(rows, columns=[*first, *defaults] if not rows else None)

        return Register(
            frameworks=pd.DataFrame(self.frameworks),
            indicators=frame(self.indicators, _INDICATOR_DEFAULTS, "code"),
            targets=frame(self.targets, _TARGET_DEFAULTS, "code", "year", "value"),
            returns=frame(self.returns, _RETURN_DEFAULTS, "code", "period", "value"),
            theme_boards=pd.DataFrame(columns=["theme_board", "chair", "theme"]),
            settings=dict(self.settings),
        )


@pytest.fixture
def build() -> RegisterBuilder:
    """A fresh builder of a Luton LAA 2008-11 register (framework ``LAA``, own area Luton)."""
    return RegisterBuilder()
