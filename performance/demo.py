"""Illustrative quarterly returns ("demo data") so an otherwise empty dashboard has something to show.

The source documents state only a handful of actual values (NEET at 6.55% for 2009/10, employment
at 66.4% in Q1 2009/10, 640 homes built in 2008/09 ...). A dashboard fed with those alone shows no
trend lines, no RAG mix and no commentary, so nobody can judge whether the pages work. This module
makes up a full set of quarterly returns that look like a partnership's monitoring: most indicators
on track, some just short, some improving but short, a few stuck, with commentary and actions on
the ones that are off track.

**Every value made here is illustrative: none of it was reported by anyone.** Each row carries
``source = "demo"`` and ``is_demo = True`` so pages can label it and exports can leave it out. Real
values always win: a key ``(framework, code, part, area, period)`` already in ``register.returns``
is never generated, and real values are used as anchors for the made-up ones around them.

How a part's values are made (:func:`generate_demo_returns`):

- Each active indicator part gets its own random generator, seeded from ``seed`` and a stable hash
  (BLAKE2b) of framework, code and part. The same register and seed always give the same frame,
  and one part's numbers do not depend on which other parts the register holds.
- The generator draws a *profile* (:data:`PROFILES`, about 45% on track, 20% slightly short but
  within tolerance, 20% short but better than the baseline, 15% stuck at or worse than the
  baseline) and a *trend* (improving, steady or worsening over the agreement). The profile fixes
  the last year; the trend moves the earlier years, so an improving part starts further back.
  Where the baseline is already within tolerance of the target no value can be amber, and a
  "short but improving" part then rates red.
- The profile places each year's figure against that year's current target (refreshed over
  original) and the baseline; where either is missing, one is made up around what exists. Quarters
  move from the previous year's figure towards this year's, with a little noise. Year-to-date
  measures (``cumulative_in_year``, ``cumulative_agreement``) grow through the year, Q4 being the
  year's figure. ``gap_to_comparator`` parts get comparator-area rows too, with the own-area value
  set so that the gap follows the profile.
- About 5% of due quarterly values are left out, about 10% of values are provisional (mostly the
  latest quarter), officers forecast the year end on about half of the Q2 and Q3 returns, and
  off-track returns carry a commentary and an action written around the indicator's title.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from performance.periods import Period, PeriodError, financial_year, parse_period, parse_year
from performance.register import Register, current_targets, split_partners
from performance.vocabulary import DEFAULT_SETTINGS

__all__ = [
    "DEMO_COLUMNS",
    "DEMO_SOURCE",
    "OFF_TRACK_PROFILES",
    "PROFILES",
    "PROFILE_SHARES",
    "TRENDS",
    "demo_profiles",
    "generate_demo_returns",
]

DEMO_SOURCE = "demo"
# The columns of Register.returns, in order.
DEMO_COLUMNS = (
    "framework", "code", "part", "area", "period", "value", "provisional", "commentary",
    "action", "forecast_year_end", "source", "is_demo",
)

PROFILES = ("on_track", "slightly_short", "short_improving", "stuck")
PROFILE_SHARES = (0.45, 0.20, 0.20, 0.15)
OFF_TRACK_PROFILES = ("short_improving", "stuck")
TRENDS = ("improving", "steady", "worsening")
# Chance of each trend (improving, steady, worsening) for a part of each profile.
_TREND_SHARES = {
    "on_track": (0.50, 0.35, 0.15),
    "slightly_short": (0.35, 0.35, 0.30),
    "short_improving": (0.80, 0.20, 0.00),
    "stuck": (0.00, 0.50, 0.50),
}
_TREND_SIGN = {"improving": 1, "steady": 0, "worsening": -1}

MISSING_SHARE = 0.05  # due quarterly values left out
FORECAST_SHARE = 0.5  # Q2 and Q3 returns that carry an officer's year-end forecast
GREEN_COMMENTARY_SHARE = 0.3  # on-track returns that carry a commentary anyway
_PROVISIONAL_LATEST, _PROVISIONAL_Q4, _PROVISIONAL_OTHER = 0.3, 0.08, 0.04

SNAPSHOT, CUM_YEAR, CUM_AGREEMENT, LEVEL, GAP = (
    "snapshot", "cumulative_in_year", "cumulative_agreement", "level", "gap_to_comparator",
)
_SIGN = {"higher_is_better": 1, "lower_is_better": -1}
_ANNUAL = 4  # slot of the annual outturn after the four quarters

# A plausible figure for a part with neither baseline nor target, and the unit's bounds.
_UNIT_DEFAULT = {
    "percent": 50.0, "percentage_points": 0.0, "count": 100.0, "rate_per_1000": 10.0,
    "rate_per_10000": 50.0, "rate_per_100000": 300.0, "days": 20.0, "tonnes_per_capita": 5.0,
    "level": 1.0, "score": 50.0, "ratio": 1.0,
}
_UNIT_BOUNDS = {"percent": (0.0, 100.0), "level": (0.0, 4.0), "percentage_points": (-math.inf, math.inf)}
_UNIT_DECIMALS = {
    "percent": 1, "percentage_points": 1, "count": 0, "level": 0, "days": 1, "score": 1,
    "tonnes_per_capita": 2, "ratio": 2,
}

# --- text: short, generic, in the indicator's own words ---------------------------------------

_RED_TEXT = (
    "{Title} is no better than the baseline and short of the {year} target.",
    "{Title} remains off track for {year}; the recession is adding to demand.",
    "{Title} is behind target; partners report delays in new provision starting.",
    "{Title} has not improved on the baseline; the {year} target is at risk.",
)
_AMBER_TEXT = (
    "{Title} is improving on the baseline but is still short of the {year} target.",
    "Progress on {title}, but the gap to the {year} target is closing slowly.",
    "{Title} is better than the baseline but outside tolerance of the {year} target.",
)
_ON_TRACK_TEXT = (
    "{Title} is on track for the {year} target.",
    "Ahead of target this period; {lead} expects the improvement to be sustained.",
    "{Title} is ahead of the {year} target.",
)
_NEAR_TEXT = (
    "{Title} is just short of the {year} target but within tolerance.",
    "{Title} is close to target; {lead} expects to reach it by year end.",
)
_NEUTRAL_TEXT = (  # no target set for the year
    "{Title}: the {period} figure is in line with what {lead} expected.",
    "{Lead} reports {title} broadly stable this period.",
)
_ACTION_TEXT = (
    "Action plan reviewed by the {board}; {lead} to report progress at the next meeting.",
    "{Lead} to bring a recovery plan for {title} to the Performance Management Sub-Group.",
    "Resources re-targeted by {lead}; data quality check on the {period} return.",
    "Deep dive on {title} at the {board}; partners to agree extra capacity.",
    "Monthly monitoring introduced by {lead}; exception report to the {board}.",
)


@dataclass
class _Part:
    """What the generator needs to know about one active indicator part."""

    framework: str
    code: str
    part: str
    title: str
    board: str
    lead: str
    unit: str
    sign: int  # +1 higher is better, -1 lower is better, 0 not applicable
    measure: str
    frequency: str
    baseline: float
    tol_pct: float
    tol_points: float
    strict: bool  # RAG scheme target_with_tolerance: green only on target
    survey_years: set[int]  # years a biennial survey is due
    comparator: str
    own_area: str
    years: list[int]
    targets: dict[int, tuple[float, str, str]]  # year -> (value, status, measure) of the current target
    real: dict[tuple[str, str], float]  # (area, period) -> value stated in the source documents


# --- public API -----------------------------------------------------------------------------


def generate_demo_returns(register: Register, seed: int = 2008) -> pd.DataFrame:
    """Illustrative returns for every active indicator part of every framework.

    One row per part, area and due period of the framework's years (quarters and annual outturn
    for quarterly parts, the annual outturn for annual parts, survey years only for biennial
    surveys), for the framework's own area and, where the part names one, its comparator area.
    Columns are those of ``Register.returns`` (:data:`DEMO_COLUMNS`), with ``source = "demo"`` and
    ``is_demo = True`` on every row. Keys already in ``register.returns`` are never generated.

    Deterministic: the same register and ``seed`` give an identical frame; another seed gives
    other values. Every value is illustrative; see the module docstring for how they are made.
    """
    rows: list[dict] = []
    for part in _parts(register):
        rng = _rng(seed, part)
        profile, trend = _character(rng)
        rows.extend(_part_rows(part, rng, profile, trend))
    return _frame(rows)


def demo_profiles(register: Register, seed: int = 2008) -> pd.DataFrame:
    """The profile and trend :func:`generate_demo_returns` gives each active part for ``seed``.

    Columns: ``framework, code, part, profile, trend``, one row per active indicator part in
    register order. Profiles are :data:`PROFILES`; for a part whose polarity is
    ``not_applicable`` the profile has no effect on its values.
    """
    records = []
    for part in _parts(register):
        profile, trend = _character(_rng(seed, part))
        records.append({"framework": part.framework, "code": part.code, "part": part.part,
                        "profile": profile, "trend": trend})
    return pd.DataFrame(records, columns=["framework", "code", "part", "profile", "trend"])


# --- reading the register ---------------------------------------------------------------------


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _number(value: object) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan
    return number


def _year(text: object) -> int | None:
    try:
        return parse_year(text)
    except PeriodError:
        return None


def _period_label(text: object) -> str:
    try:
        return str(parse_period(text))
    except PeriodError:
        return _text(text)


def _parts(register: Register) -> list[_Part]:
    """Every active indicator part of a framework whose years are known, in register order."""
    settings = {**DEFAULT_SETTINGS, **(register.settings or {})}
    default_tol = _number(settings.get("default_tolerance_pct"))
    default_tol = 5.0 if math.isnan(default_tol) else default_tol
    default_scheme = _text(settings.get("rag_scheme")) or "baseline_and_target"
    frameworks: dict[str, tuple[list[int], str]] = {}
    for fw in register.frameworks.to_dict("records"):
        first, last = _year(fw.get("first_year")), _year(fw.get("last_year"))
        if first is not None and last is not None and first <= last:
            area = _text(fw.get("own_area")) or _text(settings.get("own_area")) or "Luton"
            frameworks[_text(fw.get("framework"))] = (list(range(first, last + 1)), area)

    targets: dict[tuple[str, str, str], dict[int, tuple[float, str, str]]] = {}
    if len(register.targets):
        for t in current_targets(register.targets).to_dict("records"):
            year = _year(t.get("year"))
            if year is not None:
                key = (_text(t.get("framework")), _text(t.get("code")), _text(t.get("part")))
                targets.setdefault(key, {})[year] = (
                    _number(t.get("value")), _text(t.get("status")), _text(t.get("measure")))

    real: dict[tuple[str, str, str], dict[tuple[str, str], float]] = {}
    indicators = register.indicators.to_dict("records")
    framework_of: dict[tuple[str, str], set[str]] = {}
    for ind in indicators:
        framework_of.setdefault((_text(ind.get("code")), _text(ind.get("part"))), set()).add(
            _text(ind.get("framework")))
    for r in register.returns.to_dict("records"):
        code, part = _text(r.get("code")), _text(r.get("part"))
        framework = _text(r.get("framework"))
        if not framework and len(framework_of.get((code, part), ())) == 1:
            framework = next(iter(framework_of[(code, part)]))
        real.setdefault((framework, code, part), {})[
            (_text(r.get("area")), _period_label(r.get("period")))] = _number(r.get("value"))

    parts = []
    for ind in indicators:
        framework = _text(ind.get("framework"))
        if framework not in frameworks or (_text(ind.get("status")) or "active") != "active":
            continue
        years, own_area = frameworks[framework]
        key = (framework, _text(ind.get("code")), _text(ind.get("part")))
        part_targets = targets.get(key, {})
        frequency = _text(ind.get("frequency")) or "quarterly"
        tol_pct = _number(ind.get("tolerance_pct"))
        leads = [p.rstrip("*").strip() for p in split_partners(_text(ind.get("lead_partner")))]
        parts.append(_Part(
            framework=framework, code=key[1], part=key[2],
            title=_text(ind.get("title")).rstrip(".") or key[1],
            board=_text(ind.get("theme_board")) or "theme board",
            lead=next((p for p in leads if p), "the lead partner"),
            unit=_text(ind.get("unit")) or "percent",
            sign=_SIGN.get(_text(ind.get("polarity")), 0),
            measure=_text(ind.get("measure")) or SNAPSHOT,
            frequency=frequency,
            baseline=_number(ind.get("baseline")),
            tol_pct=default_tol if math.isnan(tol_pct) else tol_pct,
            tol_points=_number(ind.get("tolerance_points")),
            strict=(_text(ind.get("rag_scheme")) or default_scheme) == "target_with_tolerance",
            survey_years=_survey_years(_text(ind.get("survey_years")), years, part_targets),
            comparator=_text(ind.get("comparator")),
            own_area=own_area, years=years, targets=part_targets, real=real.get(key, {}),
        ))
    return parts


def _survey_years(text: str, years: list[int], targets: dict[int, tuple[float, str, str]]) -> set[int]:
    """Years a biennial survey is due: those listed, else years whose target is not ``no_survey``."""
    listed = {_year(y) for y in text.replace(",", ";").split(";") if y.strip()} - {None}
    if listed:
        return {y for y in listed if y is not None}
    return {y for y in years if targets.get(y, (math.nan, "", ""))[1] != "no_survey"}


# --- randomness ------------------------------------------------------------------------------


def _rng(seed: int, part: _Part) -> np.random.Generator:
    """The part's own generator: ``seed`` plus a stable hash of framework, code and part."""
    key = "\x1f".join((part.framework, part.code, part.part)).encode("utf-8")
    digest = int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "little")
    return np.random.default_rng([int(seed) % 2**63, digest])


def _character(rng: np.random.Generator) -> tuple[str, str]:
    """Draw a part's profile and trend (the first two draws of its generator)."""
    index = int(np.searchsorted(np.cumsum(PROFILE_SHARES), rng.random(), side="right"))
    profile = PROFILES[min(index, len(PROFILES) - 1)]
    shares = np.cumsum(_TREND_SHARES[profile])
    index = int(np.searchsorted(shares / shares[-1], rng.random(), side="right"))
    return profile, TRENDS[min(index, len(TRENDS) - 1)]


# --- values ------------------------------------------------------------------------------------


def _decimals(unit: str, reference: float) -> int:
    if unit in _UNIT_DECIMALS:
        return _UNIT_DECIMALS[unit]
    size = abs(reference) if math.isfinite(reference) else 0.0  # rates: by magnitude
    return 0 if size >= 100 else 1 if size >= 10 else 2


def _tidy(values, unit: str, decimals: int) -> np.ndarray:
    """Round to the unit's precision and keep within its bounds (percent 0..100, counts >= 0)."""
    low, high = _UNIT_BOUNDS.get(unit, (0.0, math.inf))
    return np.clip(np.round(np.asarray(values, dtype=float), decimals), low, high) + 0.0  # no -0.0


def _usable_target(part: _Part, year: int) -> float:
    """The year's current target value if it is set and real (not the NI 093 placeholder 0)."""
    value, status, measure = part.targets.get(year, (math.nan, "", ""))
    if not math.isfinite(value) or status not in ("set", ""):
        return math.nan
    placeholder = value == 0 and math.isnan(part.tol_points) and part.baseline != 0 and (
        (measure or part.measure) != GAP)
    return math.nan if placeholder else value


def _fill(start: float, known: np.ndarray, step: float) -> np.ndarray:
    """Targets for every year: known ones kept, gaps interpolated from the start, last held."""
    have = np.flatnonzero(np.isfinite(known))
    if not len(have):
        return start + step * np.arange(1, len(known) + 1)
    xs = np.concatenate([[-1], have])
    ys = np.concatenate([[start], known[have]])
    return np.interp(np.arange(len(known)), xs, ys)


def _latest(real: dict[tuple[str, str], float], area: str) -> float:
    """The latest value stated for ``area`` (by period), NaN if none."""
    found = []
    for (where, label), value in real.items():
        if where == area and math.isfinite(value):
            try:
                found.append((parse_period(label), value))
            except PeriodError:
                continue
    return max(found)[1] if found else math.nan


def _positions(profile: str, xb: float, xt: np.ndarray, tol: np.ndarray, m: np.ndarray,
               u: np.ndarray, step: float, has_baseline: bool) -> np.ndarray:
    """Each year's figure in oriented terms (higher is better) for a profile.

    ``xb`` baseline, ``xt`` targets, ``tol`` tolerance, ``m`` a scale of plausible movement,
    ``u`` a 0..1 draw placing the figure inside the profile's band. Short but improving means
    better than the baseline but outside tolerance; with no baseline, within twice the tolerance
    (how the RAG rules rate amber then).
    """
    if profile == "on_track":
        return xt + (0.1 + 0.7 * u) * m
    if profile == "slightly_short":
        return xt - (0.2 + 0.65 * u) * tol
    if profile == "short_improving":
        high = xt - tol
        low = xb if has_baseline else xt - 2.0 * tol
        band = high - low
        return np.where(band > step, low + (0.2 + 0.6 * u) * band, high - (0.3 + 0.5 * u) * m)
    worst_amber = xb if has_baseline else xt - 2.0 * tol  # stuck: red, at or below the baseline
    return np.minimum(worst_amber, xt - tol) - (0.05 + 0.45 * u) * m


@dataclass
class _Space:
    """Where a part's figures live: its own values, or the oriented gap to its comparator."""

    start: float  # the baseline (stated or made up), or the starting gap
    known: np.ndarray  # the set target of each year in these terms, NaN where none
    orient: int  # +1 when a higher figure is better here, -1 lower, 0 no polarity
    reference: float  # a typical own value, for the precision of rates
    comp_anchor: float  # comparator level (gap parts; NaN otherwise)
    has_baseline: bool


def _gap_space(p: _Part, set_targets: np.ndarray, target_measures: list[str]) -> _Space:
    """The gap ``sign * (own - comparator)``, anchored on the latest values the documents state."""
    gap_sign = p.sign or 1
    is_gap_target = np.array([m == GAP for m in target_measures])
    own_real = _latest(p.real, p.own_area)
    comp_real = _latest(p.real, p.comparator)
    first_value = next((t for t, g in zip(set_targets, is_gap_target, strict=True)
                        if math.isfinite(t) and not g), math.nan)
    own_anchor = next((v for v in (own_real, p.baseline, first_value) if math.isfinite(v)),
                      _UNIT_DEFAULT.get(p.unit, 50.0))
    if math.isfinite(comp_real):
        comp_anchor = comp_real
        start = gap_sign * (own_anchor - comp_anchor)
    else:  # no comparator figure stated: start a little short of the first gap target
        first_gap = next((t for t in set_targets[is_gap_target] if math.isfinite(t)), math.nan)
        start = first_gap - max(0.15 * abs(first_gap), 0.5) if math.isfinite(first_gap) else -1.0
        comp_anchor = own_anchor - gap_sign * start
    # a year whose current target is a value, not a gap: the gap that value means
    known = np.where(is_gap_target, set_targets, gap_sign * (set_targets - comp_anchor))
    return _Space(start, known, 1 if p.sign else 0, own_anchor, comp_anchor, True)


def _value_space(p: _Part, set_targets: np.ndarray, target_measures: list[str]) -> _Space:
    """The part's own values; a missing baseline is made up a little short of the first target."""
    known = np.where([m != GAP for m in target_measures], set_targets, np.nan)
    first_known = next((t for t in known if math.isfinite(t)), math.nan)
    start = p.baseline
    if not math.isfinite(start):
        if not math.isfinite(first_known):
            start = _UNIT_DEFAULT.get(p.unit, 50.0)
        elif p.unit == "level" or p.measure == LEVEL:
            start = max(first_known - 2.0, 0.0)
        else:
            start = first_known - p.sign * max(0.08 * abs(first_known), 1.0 if p.unit == "count" else 0.0)
    start = float(_tidy(start, p.unit, 6))
    reference = next((v for v in (start, first_known) if math.isfinite(v) and v != 0), start)
    return _Space(start, known, p.sign, reference, math.nan, math.isfinite(p.baseline))


def _part_rows(p: _Part, rng: np.random.Generator, profile: str, trend: str) -> list[dict]:
    """The demo rows of one part (own area, then comparator), real keys left out."""
    n = len(p.years)
    u = np.clip(rng.random() + rng.normal(0.0, 0.08, n), 0.0, 1.0)
    trend_size = rng.uniform(0.4, 1.0)

    target_measures = [p.targets.get(y, (math.nan, "", ""))[2] or p.measure for y in p.years]
    set_targets = np.array([_usable_target(p, y) for y in p.years])
    is_gap = bool(p.comparator) and GAP in (p.measure, *target_measures)
    space = (_gap_space if is_gap else _value_space)(p, set_targets, target_measures)
    year_measure = [GAP] * n if is_gap else target_measures
    start, orient, reference = space.start, space.orient, space.reference
    decimals = _decimals(p.unit, reference)
    step = 10.0 ** -decimals
    is_level = p.unit == "level" or p.measure == LEVEL

    targets = _fill(start, space.known, orient * max(0.03 * abs(start), 1.0 if is_level else step))
    tol = np.full(n, p.tol_points) if math.isfinite(p.tol_points) else p.tol_pct / 100.0 * np.abs(targets)
    if is_level:
        tol = np.zeros(n)
    xb, xt = orient * start, orient * targets
    scale = np.maximum.reduce([tol, 0.25 * np.abs(xt - xb), np.full(n, step), 0.02 * np.abs(xt)])
    if orient:
        x = _positions(profile, xb, xt, tol, scale, u, step, space.has_baseline)
        x = x + _TREND_SIGN[trend] * trend_size * scale[-1] * (np.arange(n) - (n - 1))
        work = orient * x
    else:  # no polarity: a gentle random walk around the starting figure
        work = start + np.cumsum(rng.normal(0.0, max(0.03 * abs(start), step), n))

    # a real annual figure anchors its year
    if not is_gap:
        for i, y in enumerate(p.years):
            stated = p.real.get((p.own_area, financial_year(y)), math.nan)
            if math.isfinite(stated):
                work[i] = stated

    # --- values per year and slot (Q1..Q4, annual) -------------------------------------------
    own = np.zeros((n, 5))
    comp = np.full((n, 5), math.nan)
    if p.comparator:
        comp_anchor = space.comp_anchor
        if not is_gap:  # a comparator for context: near the own area's starting figure
            comp_real = _latest(p.real, p.comparator)
            comp_anchor = comp_real if math.isfinite(comp_real) else start * (1 + rng.normal(0.0, 0.06))
        comp_scale = max(0.02 * abs(comp_anchor), step)
        drift = rng.normal(0.0, comp_scale)
        t = np.arange(n)[:, None] + np.arange(1, 5)[None, :] / 4.0
        comp[:, :4] = comp_anchor + drift * t + rng.normal(0.0, 0.25 * comp_scale, (n, 4))
        comp[:, _ANNUAL] = comp[:, :4].mean(axis=1)
        comp = _tidy(comp, p.unit, decimals)
        comp = _override(comp, p, p.comparator)
    fractions = np.arange(1, 5) / 4.0
    for i in range(n):
        previous = start if i == 0 else work[i - 1]
        if year_measure[i] in (CUM_YEAR, CUM_AGREEMENT):
            shares = np.cumsum(rng.dirichlet(np.full(4, 30.0)))
            shares[-1] = 1.0
            own[i, :4] = work[i] * shares
        else:
            noise = rng.normal(0.0, 0.2 * scale[i], 4) * np.array([1.0, 1.0, 1.0, 0.5])
            own[i, :4] = previous + fractions * (work[i] - previous) + noise
        own[i, _ANNUAL] = work[i]
    if is_gap:  # the work space held the gap: own = comparator + gap in the unit's direction
        own = comp + (p.sign or 1) * own
    own = _override(_tidy(own, p.unit, decimals), p, p.own_area)
    for i in range(n):
        if year_measure[i] in (CUM_YEAR, CUM_AGREEMENT):
            own[i, :4] = np.maximum.accumulate(own[i, :4])

    return _rows(p, rng, profile, own, comp, set_targets, year_measure, scale, decimals, start)


def _override(values: np.ndarray, p: _Part, area: str) -> np.ndarray:
    """Put the values stated in the source documents in their slots (they win)."""
    values = values.copy()
    for i, y in enumerate(p.years):
        for k in range(5):
            label = str(Period(y, None if k == _ANNUAL else k + 1))
            stated = p.real.get((area, label), math.nan)
            if math.isfinite(stated):
                values[i, k] = stated
    return values


@dataclass
class _Judgement:
    """Where one own-area value stands, in the terms of its measure."""

    state: str  # "on_target", "within_tolerance", "off_track" or "no_target"
    beats_baseline: bool


def _judge(p: _Part, value: float, comp_value: float, target: float, measure: str, fraction: float,
           earlier_value: float, earlier_target: float, start: float) -> _Judgement:
    """Judge a value roughly as the RAG engine (``performance.rag``) would, closely enough to
    choose a commentary: against the set target with its tolerance, and against the baseline.

    ``start`` is the part's starting figure in the work space: the baseline (stated or made up),
    or the starting gap of a ``gap_to_comparator`` part.
    """
    sign = p.sign
    baseline = start
    if measure == GAP:
        value, sign = (p.sign or 1) * (value - comp_value), 1
    elif measure == CUM_YEAR:
        target, baseline = target * fraction, start * fraction
    elif measure == CUM_AGREEMENT:
        baseline = start * fraction  # this year's figure so far against a year's baseline
        target_now = earlier_target + target * fraction
        beats = sign * (value - baseline) > 0
        return _rate(p, earlier_value + value, target_now, beats)
    return _rate(p, value, target, sign * (value - baseline) > 0 if sign else False, sign)


def _rate(p: _Part, value: float, target: float, beats_baseline: bool, sign: int | None = None) -> _Judgement:
    sign = p.sign if sign is None else sign
    if not p.sign or not (math.isfinite(value) and math.isfinite(target)):
        return _Judgement("no_target", bool(beats_baseline))
    tol = p.tol_points if math.isfinite(p.tol_points) else p.tol_pct / 100.0 * abs(target)
    if p.strict or p.measure == LEVEL or p.unit == "level":
        tol = 0.0  # green only on target
    shortfall = sign * (target - value)
    eps = 1e-9 * max(1.0, abs(target))
    state = "on_target" if shortfall <= eps else "within_tolerance" if shortfall <= tol + eps else "off_track"
    return _Judgement(state, bool(beats_baseline))


def _rows(p: _Part, rng: np.random.Generator, profile: str, own: np.ndarray, comp: np.ndarray,
          set_targets: np.ndarray, year_measure: list[str], scale: np.ndarray, decimals: int,
          start: float) -> list[dict]:
    """Rows for the due periods: values, provisional flags, forecasts and text."""
    rows: list[dict] = []
    comparator_rows: list[dict] = []
    last_year = p.years[-1]
    quarterly = p.frequency == "quarterly"
    forecast_sign = p.sign or 1
    earlier_value = earlier_target = 0.0
    words = {"Title": p.title[:1].upper() + p.title[1:], "title": _lower_first(p.title),
             "board": p.board, "lead": p.lead, "Lead": p.lead[:1].upper() + p.lead[1:]}
    for i, y in enumerate(p.years):
        due = p.frequency != "biennial_survey" or y in p.survey_years
        slots = [0, 1, 2, 3, _ANNUAL] if quarterly else [_ANNUAL]
        for k in slots:
            # the same draws for every slot, so one choice never shifts the others
            missing, provisional, forecast, extra_text = rng.random(4)
            pick, noise = int(rng.integers(0, 1 << 30)), rng.normal()
            if not due:
                continue
            label = str(Period(y, None if k == _ANNUAL else k + 1))
            if p.comparator and (p.comparator, label) not in p.real:
                comparator_rows.append(_row(p, p.comparator, label, comp[i, k]))
            if (k != _ANNUAL and missing < MISSING_SHARE) or (p.own_area, label) in p.real:
                continue
            latest = y == last_year and k in (3, _ANNUAL)
            chance = _PROVISIONAL_LATEST if latest else _PROVISIONAL_Q4 if k == 3 else _PROVISIONAL_OTHER
            row = _row(p, p.own_area, label, own[i, k], provisional=bool(provisional < chance))
            if quarterly and k in (1, 2) and forecast < FORECAST_SHARE:
                guess = own[i, _ANNUAL] + scale[i] * (0.3 * noise + 0.15 * forecast_sign)
                row["forecast_year_end"] = float(_tidy(guess, p.unit, decimals))
            fraction = 1.0 if k == _ANNUAL else (k + 1) / 4.0
            judged = _judge(p, own[i, k], comp[i, k], set_targets[i], year_measure[i], fraction,
                            earlier_value, earlier_target, start)
            off_profile = profile in OFF_TRACK_PROFILES
            fill = {**words, "year": financial_year(y), "period": label}
            if judged.state == "off_track" or (judged.state == "no_target" and off_profile):
                choices = _AMBER_TEXT if judged.beats_baseline else _RED_TEXT
                row["commentary"] = choices[pick % len(choices)].format(**fill)
                row["action"] = _ACTION_TEXT[(pick // 7) % len(_ACTION_TEXT)].format(**fill)
            elif off_profile or extra_text < GREEN_COMMENTARY_SHARE:
                choices = {"on_target": _ON_TRACK_TEXT, "within_tolerance": _NEAR_TEXT}.get(
                    judged.state, _NEUTRAL_TEXT)
                row["commentary"] = choices[pick % len(choices)].format(**fill)
            rows.append(row)
        earlier_value += own[i, _ANNUAL] if due else math.nan
        earlier_target += set_targets[i]
    return rows + comparator_rows


def _lower_first(title: str) -> str:
    """A title for the middle of a sentence: ``"Overall employment rate"`` -> ``"overall employment
    rate"``; titles written in title case (``"Stopping Smoking"``) or starting with an acronym stay."""
    words = title.split()
    if not words or not words[0][:1].isupper() or words[0][1:2].isupper():
        return title
    if any(w[:1].isupper() for w in words[1:]):
        return title
    return title[0].lower() + title[1:]


def _row(p: _Part, area: str, period: str, value: float, provisional: bool = False) -> dict:
    return {
        "framework": p.framework, "code": p.code, "part": p.part, "area": area, "period": period,
        "value": float(value), "provisional": provisional, "commentary": "", "action": "",
        "forecast_year_end": math.nan, "source": DEMO_SOURCE, "is_demo": True,
    }


def _frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(DEMO_COLUMNS))
    return frame.astype({"value": float, "forecast_year_end": float, "provisional": bool,
                         "is_demo": bool}).reset_index(drop=True)
