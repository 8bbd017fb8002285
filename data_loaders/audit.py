"""The audit trail: every change, who, when, what, before and after. Only ever appended to."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
from sqlalchemy import Engine, func, insert, select
from sqlalchemy.engine import Connection

from data_loaders import schema as s

ACTIONS = ("return_submitted", "return_corrected", "return_approved", "return_sent_back",
           "commentary_edited", "tolerance_changed", "setting_changed", "role_granted",
           "role_removed", "target_version_added", "register_edited", "contact_changed",
           "deadline_set", "reminder_sent",
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


def searchable(text: str) -> str:
    """A typed filter without control characters: no stored entry holds one (PostgreSQL cannot
    store a NUL), and the driver refuses a NUL in a query."""
    return "".join(c for c in text if ord(c) >= 32 and ord(c) != 127)


def _filtered(query, *, actor: str, action: str, search: str):
    if actor := searchable(actor):
        query = query.where(s.audit_log.c.actor == actor)
    if action:
        query = query.where(s.audit_log.c.action == action)
    if search := searchable(search):
        # autoescape: % and _ are the characters typed, not LIKE's wildcards
        query = query.where(s.audit_log.c.entity_key.contains(search, autoescape=True))
    return query


def count(engine: Engine, *, actor: str = "", action: str = "", search: str = "") -> int:
    """How many entries match the filters of :func:`read`."""
    query = _filtered(select(func.count()).select_from(s.audit_log), actor=actor, action=action,
                      search=search)
    with engine.connect() as conn:
        return conn.execute(query).scalar_one()


def read(engine: Engine, *, actor: str = "", action: str = "", search: str = "",
         offset: int = 0, limit: int | None = None) -> pd.DataFrame:
    """The entries newest first, filtered by actor, action and a text search of the key (the
    text as typed: ``%`` and ``_`` are no wildcards). Every match unless ``limit`` is given;
    ``offset`` and ``limit`` page through them (:func:`count` says how many there are)."""
    query = _filtered(
        select(s.audit_log.c.at, s.audit_log.c.actor, s.audit_log.c.action, s.audit_log.c.entity,
               s.audit_log.c.entity_key, s.audit_log.c.before, s.audit_log.c.after,
               s.audit_log.c.reason), actor=actor, action=action, search=search)
    query = query.order_by(s.audit_log.c.id.desc()).offset(offset or None).limit(limit)
    with engine.connect() as conn:
        return pd.read_sql_query(query, conn)
