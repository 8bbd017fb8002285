"""The indicative reward estimate: for reward-eligible indicator parts, the share of the
improvement from baseline to target achieved so far and at the year-end forecast, and what a
reward rule (threshold, pro rata, cap) would make of it. Always indicative.

The rule's settings (register ``Settings``: ``reward_threshold_pct``, ``reward_pro_rata``,
``reward_cap_pct``) are blank by default: the Performance Reward Grant rule for the 2008-11
agreements has not been traced to its published guidance (docs/quarterly-cycle.md says what
was found), and a blank setting is never filled with a guess. Until they are set, only the
shares are shown, and the estimate says the rule is not traced.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

LABEL = "Indicative"
SETTINGS = ("reward_threshold_pct", "reward_pro_rata", "reward_cap_pct")
NOT_TRACED = ("The reward rule (threshold, pro rata, cap) for the 2008-11 agreements is not traced "
              "to the published Performance Reward Grant guidance, so its settings are blank and "
              "no reward share is worked out; the shares of improvement are shown alone.")
COLUMNS = ("code", "part", "title", "theme_board", "unit", "baseline_used", "value", "year_target",
           "share_so_far", "forecast_year_end", "share_at_forecast", "reward_share_so_far",
           "reward_share_at_forecast", "basis")


def rule(settings: Mapping[str, str]) -> dict | None:
    """The reward rule from the settings, or None while any of them is blank.

    ``reward_threshold_pct``: the least share of the improvement that earns anything;
    ``reward_pro_rata``: yes (the share earned, between threshold and cap) or no (all or nothing
    at the cap); ``reward_cap_pct``: the most share that counts. A setting that is not a number
    (or yes/no) raises ValueError naming it.
    """
    raw = {k: str(settings.get(k, "") or "").strip() for k in SETTINGS}
    if not all(raw.values()):
        return None
    try:
        threshold = float(raw["reward_threshold_pct"])
        cap = float(raw["reward_cap_pct"])
    except ValueError:
        raise ValueError("settings reward_threshold_pct and reward_cap_pct must be percentages") from None
    if raw["reward_pro_rata"].lower() not in ("yes", "no"):
        raise ValueError("setting reward_pro_rata must be yes or no")
    return {"threshold": threshold, "pro_rata": raw["reward_pro_rata"].lower() == "yes", "cap": cap}


def share_of_improvement(value, baseline, target) -> np.ndarray:
    """Percent of the way from baseline to target: 0 at the baseline, 100 at the target, more
    beyond it, negative when worse than the baseline; NaN without a baseline, a target or a
    value, or when the target is the baseline (no improvement asked)."""
    value, baseline, target = (np.asarray(x, dtype=float) for x in (value, baseline, target))
    asked = target - baseline
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(asked != 0, (value - baseline) / asked * 100.0, np.nan)
    return share


def reward_share(share, applied: dict | None) -> np.ndarray:
    """Percent of the part's reward the rule would give for a share of improvement (NaN when the
    rule is not set or the share unknown)."""
    share = np.asarray(share, dtype=float)
    if applied is None:
        return np.full(share.shape, np.nan)
    capped = np.minimum(share, applied["cap"])
    earned = capped / applied["cap"] * 100.0 if applied["pro_rata"] else np.where(
        share >= applied["cap"], 100.0, 0.0)
    return np.where(np.isnan(share), np.nan, np.where(share < applied["threshold"], 0.0, earned))


def estimate(rated: pd.DataFrame, period: str, settings: Mapping[str, str],
             baselines: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per reward-eligible part in ``period`` (rows of :func:`performance.rag.rate` with
    the register columns), and the reward share under the rule (NaN until it is traced).

    So far: the value against the baseline and target as the RAG engine compares them in the
    period (``baseline_used``, ``target``: year to date for a running total). At the forecast:
    the year-end forecast against the part's baseline (``baselines``: the register's indicators;
    without them, the period's) and the year-end target (``forecast_target``)."""
    rows = rated[(rated["period"] == period) & rated["reward_eligible"].astype(bool)
                 & ~rated["removed"].astype(bool)]
    if baselines is not None and len(rows):
        key = ["framework", "code", "part"]
        keyed = baselines.drop_duplicates(key).set_index(key)
        index = pd.MultiIndex.from_arrays([rows["framework"].astype(str), rows["code"].astype(str),
                                           rows["part"].astype(str)])
        year_baseline = keyed["baseline"].reindex(index).to_numpy(dtype=float)
    else:
        year_baseline = rows["baseline_used"].to_numpy(dtype=float)
    applied = rule(settings)
    so_far = share_of_improvement(rows["value"], rows["baseline_used"], rows["target"])
    at_forecast = share_of_improvement(rows["forecast_year_end"], year_baseline, rows["forecast_target"])
    out = pd.DataFrame({c: rows[c].to_numpy() for c in ("code", "part", "title", "theme_board", "unit",
                                                         "baseline_used", "value", "year_target",
                                                         "forecast_year_end")})
    out["share_so_far"] = so_far
    out["share_at_forecast"] = at_forecast
    out["reward_share_so_far"] = reward_share(so_far, applied)
    out["reward_share_at_forecast"] = reward_share(at_forecast, applied)
    out["basis"] = LABEL
    return out[list(COLUMNS)]


def display(table: pd.DataFrame) -> pd.DataFrame:
    """The estimate in words for the page and the paper: shares as "64%", blanks as words."""
    def pct(values, missing: str) -> list[str]:
        return [missing if pd.isna(v) else f"{v:.0f}%" for v in values]

    return pd.DataFrame({
        "Code": table["code"], "Part": table["part"], "Indicator": table["title"],
        "Share of improvement so far": pct(table["share_so_far"], "no value or baseline this period"),
        "At the year-end forecast": pct(table["share_at_forecast"], "no forecast"),
        "Reward share so far": pct(table["reward_share_so_far"], "rule not traced"),
        "Reward share at forecast": pct(table["reward_share_at_forecast"], "rule not traced"),
        "Basis": table["basis"],
    }).reset_index(drop=True)
