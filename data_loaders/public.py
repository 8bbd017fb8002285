"""What the public scorecard may read: the frameworks made public, and a register of published,
real values with internal commentary removed.

The public entry (``scorecard/app.py``) reads only through here, so what is public is decided in
one place.
"""

from __future__ import annotations

import json

import pandas as pd
from sqlalchemy import Engine, select

from data_loaders import schema as s
from data_loaders.benchmarks_store import own_series, read_benchmark_values
from data_loaders.database import read_register, set_setting
from performance.register import Register
from performance.vocabulary import DEFAULT_BENCHMARK

PUBLIC_FRAMEWORKS_SETTING = "public_frameworks"


def public_frameworks(engine: Engine) -> list[str]:
    """The frameworks the public scorecard shows, in the order set (none by default)."""
    with engine.connect() as conn:
        value = conn.execute(select(s.settings.c.value).where(
            s.settings.c.setting == PUBLIC_FRAMEWORKS_SETTING)).scalar_one_or_none()
    try:
        names = json.loads(value) if value else []
    except ValueError:  # a hand-edited value that is not a list: show nothing rather than guess
        return []
    return [n for n in names if isinstance(n, str)] if isinstance(names, list) else []


def set_public_frameworks(engine: Engine, names: list[str], *, actor: str, reason: str = "") -> None:
    """Choose the frameworks the public scorecard shows (audited like every setting)."""
    set_setting(engine, PUBLIC_FRAMEWORKS_SETTING, json.dumps(list(names)), actor=actor,
                reason=reason or "frameworks shown on the public scorecard")


def _internal_keys(engine: Engine) -> pd.DataFrame:
    """(framework, code, part, area, period) of each published real value whose current
    version's commentary is marked internal."""
    fw, ind, part, r = s.frameworks, s.indicators, s.indicator_parts, s.returns
    with engine.connect() as conn:
        versions = pd.read_sql_query(select(
            fw.c.name.label("framework"), ind.c.code, part.c.part, s.areas.c.name.label("area"),
            r.c.period, r.c.version, r.c.commentary_internal)
            .select_from(r.join(part, r.c.part_id == part.c.id).join(ind)
                         .join(fw, ind.c.framework_id == fw.c.id).join(s.areas))
            .where(r.c.state == "published", r.c.is_demo.is_(False)), conn)
    key = ["framework", "code", "part", "area", "period"]
    current = versions.sort_values("version").drop_duplicates(key, keep="last")
    return current.loc[current["commentary_internal"].astype(bool), key]


def read_public_register(engine: Engine, frameworks: list[str]) -> Register:
    """The register for the public: only ``frameworks``, only published values from the source
    documents and returns (never illustrative demo values, never submitted or sent-back ones),
    and the commentary and action of a value marked internal left blank."""
    register = read_register(engine, include_demo=False)

    def only(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[frame["framework"].isin(frameworks)].reset_index(drop=True)

    returns = only(register.returns)
    internal = _internal_keys(engine)
    if len(internal) and len(returns):
        key = list(internal.columns)
        hidden = returns[key].merge(internal.assign(_hide=True), on=key, how="left")["_hide"]
        mask = hidden.fillna(False).astype(bool).to_numpy()
        returns.loc[mask, ["commentary", "action"]] = ""
    return Register(frameworks=only(register.frameworks), indicators=only(register.indicators),
                    targets=only(register.targets), returns=returns,
                    theme_boards=only(register.theme_boards), settings=register.settings)


def read_public_benchmarks(engine: Engine, register: Register, area: str = DEFAULT_BENCHMARK
                           ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(``area``'s benchmark values for the frameworks of ``register``, the own area's series
    with counts) for the public scorecard's benchmark line and intervals.

    ``register``: :func:`read_public_register`'s, so the own series holds only the published,
    real values it holds, and the counts of their published versions
    (``data_loaders.benchmarks_store.own_series``): a count on a return still waiting for
    sign-off never makes a public interval. Benchmark values (England, the region, Great
    Britain) are published figures; only ``area``'s are read out.
    """
    frameworks = set(register.frameworks["framework"])
    values = read_benchmark_values(engine, register)
    values = values[(values["area"] == area) & values["framework"].isin(frameworks)].reset_index(drop=True)
    series = own_series(engine, register)
    return values, series[series["framework"].isin(frameworks)].reset_index(drop=True)
