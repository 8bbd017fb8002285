"""Reminders by email, received by a real SMTP server (aiosmtpd) in the test process: the right
recipients, parts and attachment; a refused recipient reported and the rest sent; every
reminder sent in the audit trail."""

from __future__ import annotations

import datetime as dt
import email
import io
import smtplib
import socket
from email import policy

import openpyxl
import pytest
from aiosmtpd.controller import Controller

import manage
from data_loaders import audit, cycle_store, reminders
from data_loaders.database import make_engine, read_register, seed_register, upgrade
from tests.builders import FW, register_rows, write_register

AS_OF = dt.date(2010, 2, 9)
REFUSED = "gone@luton.gov.uk"


class _Inbox:
    """An SMTP handler that keeps every message and refuses one address, as a real server does."""

    def __init__(self):
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() == REFUSED:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos),
                              email.message_from_bytes(envelope.content, policy=policy.default)))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()


@pytest.fixture
def engine(sqlite_url, tmp_path):
    engine = make_engine(sqlite_url)
    upgrade(engine)
    seed_register(engine, write_register(tmp_path / "register.xlsx", register_rows()))
    register = read_register(engine)
    # NI 117 (Campus Luton), NI 120 male and female (Campus Luton), NI 155 (LBC)
    cycle_store.set_contact(engine, FW, lead_partner="Campus Luton", officer="Cat Campus",
                            email="cat@campus.ac.uk", actor="admin", reason="r", register=register)
    cycle_store.set_contact(engine, FW, lead_partner="LBC", officer="Lee Council",
                            email=REFUSED, actor="admin", reason="r", register=register)
    yield engine
    engine.dispose()


def _settings(port: int) -> reminders.SmtpSettings:
    return reminders.SmtpSettings(host="127.0.0.1", port=port, sender="performance@luton.gov.uk",
                                  starttls=False)


def test_reminders_reach_each_officer_with_their_parts_and_template(engine, smtp):
    inbox, port = smtp
    register = read_register(engine)
    planned = reminders.plan_reminders(engine, register, FW, "2009/10 Q3", as_of=AS_OF,
                                       link="http://dash.example/Returns")
    result = reminders.send_reminders(engine, planned, _settings(port), actor="po@luton.gov.uk",
                                      framework=FW, period="2009/10 Q3")
    assert result.sent == ["cat@campus.ac.uk"]
    assert list(result.failed) == [REFUSED] and "550" in result.failed[REFUSED]
    assert len(inbox.messages) == 1
    recipients, msg = inbox.messages[0]
    assert recipients == ["cat@campus.ac.uk"]
    assert msg["To"] == "Cat Campus <cat@campus.ac.uk>" and msg["From"] == "performance@luton.gov.uk"
    body = msg.get_body(("plain",)).get_content()
    for part in ("NI 117", "NI 120 male", "NI 120 female"):
        assert part in body
    assert "NI 155" not in body and "http://dash.example/Returns" in body and "10 days overdue" in body
    (attachment,) = list(msg.iter_attachments())
    assert attachment.get_filename() == "returns 2009-10 Q3.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(attachment.get_content()), read_only=True)
    sheet = book[book.sheetnames[0]]
    rows = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    header = rows[0]
    codes = {(r[header.index("code")], r[header.index("part")] or "") for r in rows[1:] if r[0]}
    assert codes == {("NI 117", ""), ("NI 120", "male"), ("NI 120", "female")}


def test_every_reminder_sent_is_in_the_audit_trail_and_a_refused_one_is_not(engine, smtp):
    _, port = smtp
    register = read_register(engine)
    planned = reminders.plan_reminders(engine, register, FW, "2009/10 Q3", as_of=AS_OF)
    reminders.send_reminders(engine, planned, _settings(port), actor="po@luton.gov.uk",
                             framework=FW, period="2009/10 Q3")
    entries = audit.read(engine, action="reminder_sent")
    assert entries["entity_key"].tolist() == [f"{FW} 2009/10 Q3 cat@campus.ac.uk"]
    assert entries["actor"].tolist() == ["po@luton.gov.uk"]
    assert "NI 120 male" in entries["after"].iloc[0]


def test_remind_command_prints_without_sending_and_sends_with_send(engine, smtp, sqlite_url,
                                                                   monkeypatch, capsys):
    inbox, port = smtp
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("DEMO_DATA", "off")
    for key, value in {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(port),
                       "SMTP_FROM": "performance@luton.gov.uk", "SMTP_STARTTLS": "off"}.items():
        monkeypatch.setenv(key, value)
    args = ["remind", "--period", "2009/10 Q3", "--as-of", AS_OF.isoformat()]
    assert manage.main(args) == 0
    out = capsys.readouterr().out
    assert "To: Cat Campus <cat@campus.ac.uk>" in out and f"<{REFUSED}>" in out
    assert "nothing sent" in out and inbox.messages == []
    assert manage.main([*args, "--send"]) == 2   # one address refused
    captured = capsys.readouterr()
    assert "sent 1 reminder: cat@campus.ac.uk" in captured.out
    assert f"not sent to {REFUSED}: 550" in captured.err
    assert [r for r, _ in inbox.messages] == [["cat@campus.ac.uk"]]


def test_smtp_settings_come_from_the_environment_with_starttls_by_default():
    settings = reminders.SmtpSettings.from_env({"SMTP_HOST": "smtp.luton.gov.uk", "SMTP_FROM": "p@l.gov.uk",
                                                "SMTP_USER": "u", "SMTP_PASSWORD": "secret"})
    assert (settings.host, settings.port, settings.starttls, settings.user) == (
        "smtp.luton.gov.uk", 587, True, "u")
    assert "secret" not in repr(settings)
    with pytest.raises(reminders.MailNotConfigured, match="SMTP_HOST"):
        reminders.SmtpSettings.from_env({"SMTP_FROM": "p@l.gov.uk"})


def _certificate(folder) -> tuple[str, str]:
    """A self-signed certificate for 127.0.0.1 (the test server's), as a private CA would issue."""
    import datetime as _dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = _dt.datetime.now(_dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - _dt.timedelta(minutes=5))
            .not_valid_after(now + _dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "smtp.pem", folder / "smtp.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return str(cert_path), str(key_path)


def test_reminders_go_over_starttls_by_default_and_a_server_without_it_sends_nothing(engine, tmp_path):
    import ssl

    cert, key = _certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port(), tls_context=context,
                            require_starttls=True)
    controller.start()
    try:
        settings = reminders.SmtpSettings.from_env({
            "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(controller.port),
            "SMTP_FROM": "performance@luton.gov.uk", "SMTP_CA_FILE": cert})
        assert settings.starttls
        planned = reminders.plan_reminders(engine, read_register(engine), FW, "2009/10 Q3", as_of=AS_OF)
        result = reminders.send_reminders(engine, planned, settings, actor="po", framework=FW,
                                          period="2009/10 Q3")
        assert result.sent == ["cat@campus.ac.uk"]
        assert [r for r, _ in inbox.messages] == [["cat@campus.ac.uk"]]
    finally:
        controller.stop()
    plain = Controller(_Inbox(), hostname="127.0.0.1", port=_free_port())  # offers no STARTTLS
    plain.start()
    try:
        settings = reminders.SmtpSettings(host="127.0.0.1", port=plain.port, sender="p@luton.gov.uk")
        with pytest.raises(smtplib.SMTPNotSupportedError):
            reminders.send_reminders(engine, planned, settings, actor="po", framework=FW, period="2009/10 Q3")
    finally:
        plain.stop()
    sent = audit.read(engine, action="reminder_sent")["entity_key"].tolist()
    assert sent == [f"{FW} 2009/10 Q3 cat@campus.ac.uk"]  # the refused server's attempt left none
