"""The quarterly cycle in the database: responsible officers (contacts), the due date set for a
period, what has come in for a period, and the audit of reminders sent.

Every change is written with its audit entry in one transaction (as
:func:`data_loaders.database.edit_register` does), or not at all.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
from sqlalchemy import Engine, delete, func, insert, select, update

from data_loaders import audit
from data_loaders import schema as s
from performance import cycle, rag
from performance.changes import ChangeRefused
from performance.periods import PeriodError, parse_period
from performance.register import Register

CONTACT_COLUMNS = ["lead_partner", "code", "part", "officer", "email"]
# An address as SMTP takes it: something@domain.tld, no spaces or angle brackets.
_EMAIL_RE = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")


def read_contacts(engine: Engine, framework: str) -> pd.DataFrame:
    """The framework's contacts: lead partner (code "") or part (lead_partner ""), officer, email."""
    c = s.contacts
    with engine.connect() as conn:
        rows = conn.execute(select(*(c.c[n] for n in CONTACT_COLUMNS))
                            .where(c.c.framework == framework).order_by(c.c.id)).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=CONTACT_COLUMNS).astype(str)


def set_contact(engine: Engine, framework: str, *, officer: str, email: str, actor: str,
                reason: str, lead_partner: str = "", code: str = "", part: str = "",
                register: Register | None = None) -> dict | None:
    """Keep (or change, or with an empty officer and email remove) the responsible officer of a
    lead partner or of one indicator part: an administrator's edit, audited with before and
    after in the same transaction. Returns the stored contact (None when removed).

    Refused with :class:`ChangeRefused` naming the field: no actor or reason, both or neither
    of lead partner and code, a lead partner or part the register does not have, a bad email.
    """
    lead_partner, code, part = lead_partner.strip(), code.strip(), part.strip()
    officer, email = officer.strip(), email.strip().lower()
    problems = []
    if not str(actor or "").strip():
        problems.append(("actor", "who makes the change must be known"))
    if not str(reason or "").strip():
        problems.append(("reason", "say why the contact changes"))
    if bool(lead_partner) == bool(code):
        problems.append(("lead_partner", "give a lead partner or an indicator code, not both"))
    if register is not None:
        indicators = register.indicators[register.indicators["framework"] == framework]
        from performance.register import lead_partner_options
        if lead_partner and lead_partner not in lead_partner_options(indicators):
            problems.append(("lead_partner", f"{framework} has no lead partner '{lead_partner}'"))
        if code and not ((indicators["code"] == code) & (indicators["part"] == part)).any():
            problems.append(("code", f"{framework} has no indicator part '{f'{code} {part}'.strip()}'"))
    if email and not _EMAIL_RE.match(email):
        problems.append(("email", f"'{email}' is not an email address"))
    if bool(officer) != bool(email):
        problems.append(("email" if officer else "officer",
                         "give the officer's name and email together (both empty removes the contact)"))
    if problems:
        raise ChangeRefused(problems)
    c = s.contacts
    key = dict(framework=framework, lead_partner=lead_partner, code=code, part=part)
    where = [c.c[k] == v for k, v in key.items()]
    entity_key = f"{framework}: " + (lead_partner or f"{code} {part}".strip())
    with engine.begin() as conn:
        row = conn.execute(select(c).where(*where).with_for_update()).first()
        before = {"officer": row.officer, "email": row.email} if row else None
        after = {"officer": officer, "email": email} if officer else None
        if before == after:
            return after
        if row is None:
            conn.execute(insert(c).values(**key, **after))
        elif after is None:
            conn.execute(delete(c).where(c.c.id == row.id))
        else:
            conn.execute(update(c).where(c.c.id == row.id).values(**after))
        audit.record(conn, actor=actor, action="contact_changed", entity="contact", key=entity_key,
                     before=before, after=after, reason=reason.strip())
    return after


def read_deadlines(engine: Engine, framework: str) -> dict[str, dt.date]:
    """The due dates an administrator set, by period."""
    d = s.return_deadlines
    with engine.connect() as conn:
        rows = conn.execute(select(d.c.period, d.c.due_date).where(d.c.framework == framework)).all()
    return {p: (v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v))) for p, v in rows}


def set_deadline(engine: Engine, framework: str, period: str, due: dt.date | None, *, actor: str,
                 reason: str) -> None:
    """Set (or with ``due`` None, clear back to the default) the date ``period``'s returns are
    due; audited in the same transaction."""
    problems = []
    try:
        period = str(parse_period(period))
    except PeriodError as exc:
        problems.append(("period", str(exc)))
    if not str(actor or "").strip():
        problems.append(("actor", "who makes the change must be known"))
    if not str(reason or "").strip():
        problems.append(("reason", "say why the due date changes"))
    if problems:
        raise ChangeRefused(problems)
    d = s.return_deadlines
    with engine.begin() as conn:
        row = conn.execute(select(d).where(d.c.framework == framework, d.c.period == period)
                           .with_for_update()).first()
        if row is None and due is None:
            return
        if row is None:
            conn.execute(insert(d).values(framework=framework, period=period, due_date=due))
        elif due is None:
            conn.execute(delete(d).where(d.c.id == row.id))
        else:
            conn.execute(update(d).where(d.c.id == row.id).values(due_date=due))
        audit.record(conn, actor=actor, action="deadline_set", entity="deadline",
                     key=f"{framework} {period}", before=str(row.due_date) if row else "",
                     after=due.isoformat() if due else "", reason=reason.strip())


def deadline(engine: Engine, register: Register, framework: str, period: str) -> dt.date:
    """When ``period``'s returns are due: the date set for it, else the setting's days after."""
    return cycle.due_date(period, cycle.due_days(register.settings), read_deadlines(engine, framework))


def submissions(engine: Engine, framework: str, period: str) -> pd.DataFrame:
    """The newest real (not demo) version of each part's value for the framework's own area in
    ``period``: code, part, state, signed_off (reviewed by a performance officer, or loaded
    from the register's source papers), submitted_by, submitted_at."""
    fw, ind, part, r, loads = s.frameworks, s.indicators, s.indicator_parts, s.returns, s.loads
    newest = (select(r.c.part_id, func.max(r.c.version).label("version"))
              .select_from(r.join(part, r.c.part_id == part.c.id).join(ind)
                           .join(fw, ind.c.framework_id == fw.c.id)
                           .join(s.areas, (r.c.area_id == s.areas.c.id) & (s.areas.c.name == fw.c.own_area)))
              .where(fw.c.name == framework, r.c.period == period, r.c.is_demo.is_(False))
              .group_by(r.c.part_id).subquery())
    query = (select(ind.c.code, part.c.part, r.c.state, r.c.reviewed_by, loads.c.kind,
                    r.c.submitted_by, r.c.submitted_at)
             .select_from(r.join(newest, (r.c.part_id == newest.c.part_id)
                                 & (r.c.version == newest.c.version))
                          .join(part, r.c.part_id == part.c.id).join(ind)
                          .join(fw, ind.c.framework_id == fw.c.id)
                          .join(s.areas, (r.c.area_id == s.areas.c.id) & (s.areas.c.name == fw.c.own_area))
                          .outerjoin(loads, r.c.load_id == loads.c.id))
             .where(r.c.period == period, r.c.is_demo.is_(False)))
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return pd.DataFrame([{"code": x.code, "part": x.part, "state": x.state,
                          "signed_off": bool(x.reviewed_by) or x.kind == "register",
                          "submitted_by": x.submitted_by, "submitted_at": x.submitted_at}
                         for x in rows],
                        columns=["code", "part", "state", "signed_off", "submitted_by", "submitted_at"])


def returns_due_table(engine: Engine, register: Register, framework: str, period: str, *,
                      as_of: dt.date | None = None, rated: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every part due in ``period`` with its officer, due date and state (see
    :func:`performance.cycle.returns_due`); ``rated`` may be passed in (the app's cached rating)."""
    period = str(parse_period(period))
    if rated is None:
        rated = rag.rate(register, periods=[period])
    return cycle.returns_due(rated, register.indicators, framework, period,
                             submissions=submissions(engine, framework, period),
                             contacts=read_contacts(engine, framework),
                             deadline=deadline(engine, register, framework, period),
                             as_of=as_of or dt.date.today())


def record_reminder(engine: Engine, *, actor: str, email: str, framework: str, period: str,
                    parts: list[str]) -> None:
    """One reminder sent, in the audit trail (who sent it, to whom, for which parts)."""
    with engine.begin() as conn:
        audit.record(conn, actor=actor, action="reminder_sent", entity="reminder",
                     key=f"{framework} {period} {email}", after={"to": email, "parts": parts})
