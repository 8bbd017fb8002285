"""The Returns due page (AppTest): progress, filters from the URL, and reminders sent through a
real SMTP server (aiosmtpd) only after the confirmation."""

from __future__ import annotations

from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from streamlit.testing.v1 import AppTest

from data_loaders import audit, cycle_store
from data_loaders.database import open_database, read_register
from tests.db.test_reminders import _free_port, _Inbox

REPO_ROOT = Path(__file__).resolve().parents[2]
FW = "Luton LAA 2008-11"


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('returns_due') / 'app.sqlite'}"
    mp = pytest.MonkeyPatch()
    mp.setenv("DEMO_DATA", "off")
    engine = open_database(url)
    cycle_store.set_contact(engine, FW, lead_partner="NHS Luton", officer="Nia Health",
                            email="nia@nhs.uk", actor="admin", reason="test",
                            register=read_register(engine))
    mp.undo()
    yield url, engine
    engine.dispose()


@pytest.fixture
def page(database, monkeypatch):
    url, _ = database
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DEMO_DATA", "off")

    def run(**query) -> AppTest:
        at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=120)
        at.run()
        at.switch_page("pages/8_Returns_due.py")
        for key, value in query.items():
            at.query_params[key] = value
        return at.run()
    return run


def _progress_text(at: AppTest) -> str:
    return at.get("progress")[0].proto.text


def test_returns_due_page_shows_progress_and_narrows_to_the_url_filters(page):
    at = page(period="2009/10 Q3")
    assert not at.exception, at.exception
    assert "**0 of 20** parts due for 2009/10 Q3 are in" in _progress_text(at)
    assert at.selectbox(key="url_period").value == "2009/10 Q3"
    narrowed = page(period="2009/10 Q3", lead_partner="NHS Luton")
    assert narrowed.selectbox(key="url_lead_partner").value == "NHS Luton"
    assert "**0 of 2** parts" in _progress_text(narrowed)
    assert [e.label for e in narrowed.expander][0].startswith("To Nia Health <nia@nhs.uk>")


def test_reminders_are_sent_from_the_page_only_after_confirming(page, database, monkeypatch):
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        for key, value in {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(controller.port),
                           "SMTP_FROM": "performance@luton.gov.uk", "SMTP_STARTTLS": "off"}.items():
            monkeypatch.setenv(key, value)
        at = page(period="2009/10 Q3", lead_partner="NHS Luton")
        send = at.button[[b.label for b in at.button].index("Send reminders")]
        assert send.disabled  # nothing goes before the confirmation is ticked
        at.checkbox(key="confirm_reminders").check().run()
        at.button[[b.label for b in at.button].index("Send reminders")].click().run()
        assert not at.exception, at.exception
        assert [s.value for s in at.success] == ["1 reminder sent."]
    finally:
        controller.stop()
    assert [r for r, _ in inbox.messages] == [["nia@nhs.uk"]]
    _, engine = database
    sent = audit.read(engine, action="reminder_sent")
    assert sent["entity_key"].tolist() == [f"{FW} 2009/10 Q3 nia@nhs.uk"]
