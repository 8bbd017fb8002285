"""The audit trail: every change, who, when, what, before and after. Only ever appended to."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
from sqlalchemy import Engine, insert, select
from sqlalchemy.engine import Connection

from data_loaders import schema as s

ACTIONS = ("return_submitted", "return_corrected", "return_approved", "return_sent_back",
           "commentary_edited", "tolerance_changed", "setting_changed", "role_granted",
           "role_removed", "target_version_added", "register_edited",
           # issue 14: benchmark values and areas
           "benchmark_value_imported", "benchmark_value_corrected", "benchmark_group_edited",
           "fingertips_id_set")


def _text(value) -> str:
    if value is None or value == "":
        return ""
    return value if isinstance(value, str) else json.dumps(value, default=str, sort_keys=True)


def record(conn: Connection, *, actor: str, action: str, entity: str, key: str,
           before=None, after=None, reason: str = "") -> None:
    """Append one entry, inside the caller's transaction (so it stands or falls with the change)."""
    record_many(conn, [dict(actor=actor, action=action, entity=entity, key=key, before=before,
                            after=after, reason=reason)])


def record_many(conn: Connection, entries: list[dict]) -> None:
    """Append many entries in one statement (an import of thousands of values)."""
    if not entries:
        return
    now = dt.datetime.now(dt.UTC)
    conn.execute(insert(s.audit_log), [
        {"at": now, "actor": e["actor"], "action": e["action"], "entity": e["entity"],
         "entity_key": e["key"], "before": _text(e.get("before")), "after": _text(e.get("after")),
         "reason": e.get("reason") or ""} for e in entries])


def read(engine: Engine, *, actor: str = "", action: str = "", search: str = "",
         limit: int = 5000) -> pd.DataFrame:
    """The newest entries first, filtered by actor, action and a text search of the key."""
    query = select(s.audit_log.c.at, s.audit_log.c.actor, s.audit_log.c.action, s.audit_log.c.entity,
                   s.audit_log.c.entity_key, s.audit_log.c.before, s.audit_log.c.after,
                   s.audit_log.c.reason).order_by(s.audit_log.c.id.desc()).limit(limit)
    if actor:
        query = query.where(s.audit_log.c.actor == actor)
    if action:
        query = query.where(s.audit_log.c.action == action)
    if search:
        query = query.where(s.audit_log.c.entity_key.contains(search))
    with engine.connect() as conn:
        return pd.read_sql(query, conn)
