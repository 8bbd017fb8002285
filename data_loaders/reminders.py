"""Reminders by email: one message per responsible officer listing what is missing, overdue or
sent back, with a link to the returns page and the returns template for just their parts.

Sent through the SMTP server the environment names (``SMTP_HOST``, ``SMTP_PORT``,
``SMTP_USER``, ``SMTP_PASSWORD``, ``SMTP_FROM``; STARTTLS unless ``SMTP_STARTTLS=off``, the
certificate checked against the system's authorities or ``SMTP_CA_FILE``).
Python's own ``smtplib`` and ``email`` do the work: they are the standard library's, kept with
Python, and a reminder needs nothing more. Every reminder sent goes into the audit trail; an
address the server refuses is reported and the others are still sent.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

import pandas as pd
from sqlalchemy import Engine

from data_loaders import cycle_store
from data_loaders.returns_file import build_template
from performance import cycle
from performance.register import Register

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DEFAULT_APP_URL = "http://127.0.0.1:8501"


class MailNotConfigured(RuntimeError):
    """SMTP_HOST or SMTP_FROM is not set."""


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send: read from the environment by :meth:`from_env`."""

    host: str
    port: int
    sender: str
    user: str = ""
    password: str = field(default="", repr=False)
    starttls: bool = True
    ca_file: str = ""  # a private certificate authority to trust (SMTP_CA_FILE); else the system's
    timeout: float = 30.0

    @classmethod
    def from_env(cls, env: os._Environ | dict | None = None) -> SmtpSettings:
        """The settings from ``SMTP_*`` variables; :class:`MailNotConfigured` names what is missing."""
        env = os.environ if env is None else env
        missing = [k for k in ("SMTP_HOST", "SMTP_FROM") if not env.get(k)]
        if missing:
            raise MailNotConfigured("email is not configured: set " + " and ".join(missing)
                                    + " (and SMTP_PORT, SMTP_USER, SMTP_PASSWORD as the server needs)")
        try:
            port = int(env.get("SMTP_PORT") or 587)
        except ValueError:
            raise MailNotConfigured(f"SMTP_PORT '{env.get('SMTP_PORT')}' is not a port number") from None
        starttls = str(env.get("SMTP_STARTTLS", "on")).strip().lower() not in ("off", "no", "false", "0")
        return cls(host=env["SMTP_HOST"], port=port, sender=env["SMTP_FROM"],
                   user=env.get("SMTP_USER", ""), password=env.get("SMTP_PASSWORD", ""),
                   starttls=starttls, ca_file=env.get("SMTP_CA_FILE", ""))


@dataclass
class Reminder:
    """One message to one officer."""

    email: str
    officer: str
    parts: pd.DataFrame  # rows of the returns-due table
    subject: str
    body: str
    attachment: bytes
    attachment_name: str

    @property
    def part_names(self) -> list[str]:
        return [f"{c} {p}".strip() for c, p in zip(self.parts["code"], self.parts["part"], strict=True)]


@dataclass
class SendResult:
    """Who got a reminder, and each address that failed with the server's reason."""

    sent: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


def returns_link(framework: str, base: str | None = None) -> str:
    """The link to the Quarterly returns page (``APP_URL``, default this machine's app)."""
    from urllib.parse import quote

    base = (base or os.environ.get("APP_URL") or DEFAULT_APP_URL).rstrip("/")
    return f"{base}/Returns?framework={quote(framework)}"


def plan_reminders(engine: Engine, register: Register, framework: str, period: str, *,
                   table: pd.DataFrame | None = None, as_of: dt.date | None = None,
                   link: str | None = None) -> list[Reminder]:
    """The reminders to send for ``period``: one per officer's email with something missing,
    overdue or sent back (see :func:`performance.cycle.reminder_groups`)."""
    if table is None:
        table = cycle_store.returns_due_table(engine, register, framework, period, as_of=as_of)
    link = link or returns_link(framework)
    indicators = register.indicators[register.indicators["framework"] == framework]
    reminders = []
    for email, parts in cycle.reminder_groups(table).items():
        officer = str(parts["officer"].iloc[0])
        deadline = parts["due_date"].iloc[0]
        theirs = indicators.merge(parts[["code", "part"]], on=["code", "part"])
        late = int((parts["state"] == "overdue").sum())
        subject = (f"Luton Forum returns for {period}: {len(parts)} "
                   f"{'part' if len(parts) == 1 else 'parts'} still needed"
                   + (f", {late} overdue" if late else ""))
        reminders.append(Reminder(
            email=email, officer=officer, parts=parts, subject=subject,
            body=cycle.reminder_text(officer, parts, period, deadline, link),
            attachment=build_template(register, framework, period, theirs),
            attachment_name=f"returns {period.replace('/', '-')}.xlsx"))
    return reminders


def build_message(reminder: Reminder, sender: str) -> EmailMessage:
    """The email of one reminder, with its template attached."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = formataddr((reminder.officer, reminder.email)) if reminder.officer else reminder.email
    msg["Subject"] = reminder.subject
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    msg.set_content(reminder.body)
    maintype, subtype = XLSX.split("/")
    msg.add_attachment(reminder.attachment, maintype=maintype, subtype=subtype,
                       filename=reminder.attachment_name)
    return msg


def send_reminders(engine: Engine, reminders: list[Reminder], settings: SmtpSettings, *,
                   actor: str, framework: str, period: str) -> SendResult:
    """Send each reminder over one SMTP session; each one sent is audited at once (so a failure
    later does not lose the record of those already sent). A recipient the server refuses, or a
    message it rejects, is reported in ``failed`` and the rest are still sent. A server that
    cannot be reached at all raises (nothing was sent)."""
    result = SendResult()
    if not reminders:
        return result
    with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout) as smtp:
        if settings.starttls:
            smtp.starttls(context=ssl.create_default_context(cafile=settings.ca_file or None))
        if settings.user:
            smtp.login(settings.user, settings.password)
        for reminder in reminders:
            try:
                refused = smtp.send_message(build_message(reminder, settings.sender))
            except smtplib.SMTPRecipientsRefused as exc:
                result.failed[reminder.email] = "; ".join(
                    f"{code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"
                    for code, text in exc.recipients.values())
                _reset(smtp)
                continue
            except (smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as exc:
                result.failed[reminder.email] = f"{exc.smtp_code} {exc.smtp_error.decode(errors='replace')}"
                _reset(smtp)
                continue
            if refused:  # one recipient per message, so this is that one
                result.failed[reminder.email] = str(refused)
                continue
            cycle_store.record_reminder(engine, actor=actor, email=reminder.email, framework=framework,
                                        period=period, parts=reminder.part_names)
            result.sent.append(reminder.email)
    return result


def _reset(smtp: smtplib.SMTP) -> None:
    """Clear a half-started transaction so the next message can start afresh."""
    with contextlib.suppress(smtplib.SMTPException):
        smtp.rset()
