"""People and their roles, as the app records them (sign-in only says who someone is)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, delete, func, insert, select

from data_loaders import audit
from data_loaders import schema as s
from performance.access import ROLES, SCOPE_KINDS, User


class UnknownRole(ValueError):
    """A role or scope kind that the app does not have."""


def _check(role: str, scope_kind: str) -> None:
    if role not in ROLES:
        raise UnknownRole(f"unknown role '{role}'; roles are {', '.join(ROLES)}")
    if scope_kind and scope_kind not in SCOPE_KINDS:
        raise UnknownRole(f"unknown scope '{scope_kind}'; scopes are {', '.join(SCOPE_KINDS)}")


def grant(engine: Engine, email: str, role: str, *, scope_kind: str = "", scope_value: str = "",
          actor: str, name: str = "") -> bool:
    """Give ``email`` a role (for an editor, within a theme board or lead partner).

    Creates the user on first grant. Returns False when the grant already existed.
    """
    _check(role, scope_kind)
    email = email.strip().lower()
    with engine.begin() as conn:
        user = conn.execute(select(s.users).where(s.users.c.email == email)).first()
        user_id = user.id if user else conn.execute(insert(s.users).values(
            email=email, name=name, active=True, created_at=dt.datetime.now(dt.UTC))).inserted_primary_key[0]
        exists = conn.execute(select(s.user_roles.c.id).where(
            s.user_roles.c.user_id == user_id, s.user_roles.c.role == role,
            s.user_roles.c.scope_kind == scope_kind, s.user_roles.c.scope_value == scope_value)).first()
        if exists:
            return False
        conn.execute(insert(s.user_roles).values(user_id=user_id, role=role, scope_kind=scope_kind,
                                                 scope_value=scope_value))
        audit.record(conn, actor=actor, action="role_granted", entity="user", key=email,
                     after={"role": role, "scope": f"{scope_kind}: {scope_value}" if scope_kind else ""})
    return True


def revoke(engine: Engine, email: str, role: str, *, scope_kind: str = "", scope_value: str = "",
           actor: str) -> bool:
    """Take a role (and scope) away. Returns False when the user did not hold it."""
    email = email.strip().lower()
    with engine.begin() as conn:
        user = conn.execute(select(s.users).where(s.users.c.email == email)).first()
        if user is None:
            return False
        gone = conn.execute(delete(s.user_roles).where(
            s.user_roles.c.user_id == user.id, s.user_roles.c.role == role,
            s.user_roles.c.scope_kind == scope_kind, s.user_roles.c.scope_value == scope_value)).rowcount
        if gone:
            audit.record(conn, actor=actor, action="role_removed", entity="user", key=email,
                         before={"role": role, "scope": f"{scope_kind}: {scope_value}" if scope_kind else ""})
    return bool(gone)


def load_user(engine: Engine, email: str) -> User:
    """The roles and scopes of a signed-in person; someone not recorded is a viewer."""
    email = (email or "").strip().lower()
    with engine.connect() as conn:
        rows = conn.execute(select(s.user_roles.c.role, s.user_roles.c.scope_kind,
                                   s.user_roles.c.scope_value)
                            .join(s.users).where(s.users.c.email == email, s.users.c.active)).all()
    roles = {r.role for r in rows} or {"viewer"}
    scopes = [(r.scope_kind, r.scope_value) for r in rows if r.scope_kind]
    return User(email=email, roles=roles, scopes=scopes)


def list_users(engine: Engine) -> pd.DataFrame:
    """Every grant: email, role, scope."""
    with engine.connect() as conn:
        return pd.read_sql_query(select(s.users.c.email, s.user_roles.c.role, s.user_roles.c.scope_kind,
                                  s.user_roles.c.scope_value)
                           .join(s.user_roles).order_by(s.users.c.email, s.user_roles.c.role), conn)


def count_admins(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(s.user_roles)
                            .where(s.user_roles.c.role == "admin")).scalar_one()
