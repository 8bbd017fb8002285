"""Who may do what, checked on the server: every page opened by a signed-in user of each role.

Sign-in is configured the way a deployment configures it (an [auth] section in secrets) and
AppTest supplies the signed-in user, as ``st.user`` would after a real sign-in.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from data_loaders import audit, users
from data_loaders.database import open_database, pending_returns
from tests.e2e.test_pages import _filled_template

REPO_ROOT = Path(__file__).resolve().parents[2]
AUTH = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "test-secret",
        "client_id": "dashboard", "client_secret": "secret",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}
PEOPLE = {
    "viewer": "viewer@luton.gov.uk",
    "editor": "officer@nhs.net",  # Health and Well-Being Board only
    "performance_officer": "subgroup@luton.gov.uk",
    "admin": "admin@luton.gov.uk",
}
PAGES = {  # page file -> the least role that may open it
    "app.py": "viewer", "pages/1_Register.py": "viewer", "pages/3_Theme_board.py": "viewer",
    "pages/4_Indicator.py": "viewer", "pages/2_Returns.py": "editor",
    "pages/5_Sign_off.py": "performance_officer", "pages/6_Audit.py": "performance_officer",
    "pages/7_Admin.py": "admin", "pages/8_Returns_due.py": "performance_officer",
}
RANK = {"viewer": 0, "editor": 1, "performance_officer": 2, "admin": 3}


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('roles') / 'roles.sqlite'}"
    engine = open_database(url)
    for role, email in PEOPLE.items():
        if role != "viewer":  # a viewer is anyone signed in without a grant
            users.grant(engine, email, role, actor="test set-up",
                        **({"scope_kind": "theme_board", "scope_value": "Health and Well-Being Board"}
                           if role == "editor" else {}))
    return url, engine


@pytest.fixture
def signed_in(database, monkeypatch):
    url, _ = database
    monkeypatch.setenv("DATABASE_URL", url)

    def run(role: str | None, page: str = "app.py", query: dict | None = None) -> AppTest:
        at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60)
        at.secrets["auth"] = AUTH
        at.user = {"is_logged_in": True, "email": PEOPLE[role]} if role else {"is_logged_in": False}
        for key, value in (query or {}).items():
            at.query_params[key] = value
        at.run()
        if page != "app.py":
            at.switch_page(page)
            at.run()
        return at
    return run


def _refused(at: AppTest) -> bool:
    return any("does not have that role" in e.value for e in at.error)


@pytest.mark.parametrize("role", list(PEOPLE))
@pytest.mark.parametrize("page", list(PAGES))
def test_each_role_opens_only_its_pages(signed_in, role, page):
    at = signed_in(role, page)
    assert not at.exception, at.exception
    allowed = RANK[role] >= RANK[PAGES[page]]
    assert _refused(at) is (not allowed), f"{role} on {page}"
    if not allowed:
        assert not at.dataframe and not at.title  # nothing of the page is shown


def test_not_signed_in_sees_only_the_sign_in_button(signed_in):
    at = signed_in(None, "pages/1_Register.py")
    assert [b.label for b in at.button] == ["Sign in"]
    assert not at.dataframe


def test_menu_lists_only_the_pages_of_the_role(signed_in):
    labels = {link.label for link in signed_in("viewer").get("page_link")}
    assert "Overview" in labels and "Quarterly returns" not in labels and "Administration" not in labels
    labels = {link.label for link in signed_in("admin").get("page_link")}
    assert {"Sign-off", "Audit trail", "Administration"} <= labels


def test_editor_template_covers_only_their_board_and_upload_outside_it_is_refused(signed_in, database):
    _, engine = database
    at = signed_in("editor", "pages/2_Returns.py")
    assert at.multiselect(key="template_board").options == ["Health and Well-Being Board"]
    before = len(audit.read(engine))
    at.file_uploader(key="returns_upload").upload("q3.xlsx", _filled_template({"NI 117": 6.9}))
    at.run()
    assert any("You may not submit returns for NI 117" in e.value for e in at.error)
    assert len(audit.read(engine)) == before


def _pending_table(at: AppTest):
    return next(d for d in at.dataframe if "Submitted by" in d.value.columns)


def _select_rows(at: AppTest, rows: list[int]) -> AppTest:
    """Tick rows of the Sign-off page's table, as a reviewer's clicks on their checkboxes would.

    AppTest has no row-selection method for ``st.dataframe``; its own error message points to
    the element's key in ``at.session_state``. The selection goes in there, the state the
    browser sends, and the page's own code turns the positions into returns.
    """
    at.session_state[_pending_table(at).key] = {"selection": {"rows": rows, "columns": [], "cells": []}}
    return at.run()


def test_sign_off_flow_submit_approve_and_audit(signed_in, database):
    _, engine = database
    admin = signed_in("admin", "pages/7_Admin.py")
    admin.toggle(key="sign_off").set_value(True).run()
    assert any("Sign-off is now on" in s.value for s in admin.success)

    editor = signed_in("editor", "pages/2_Returns.py")
    editor.file_uploader(key="returns_upload").upload("q3.xlsx", _filled_template({"NI 123": 410}))
    editor.run()
    next(b for b in editor.button if b.label == "Confirm and save").click().run()
    assert any("wait for a performance officer's sign-off" in s.value for s in editor.success)
    waiting = pending_returns(engine)
    assert waiting["code"].tolist() == ["NI 123"] and waiting["submitted_by"].tolist() == [PEOPLE["editor"]]

    overview = signed_in("performance_officer")
    assert any("1 returns are waiting" in i.value for i in overview.info)
    officer = signed_in("performance_officer", "pages/5_Sign_off.py")
    assert _pending_table(officer).value["Code"].tolist() == ["NI 123"]
    assert officer.button(key="approve").disabled  # nothing selected yet
    _select_rows(officer, [0])
    assert any(f"1 selected: NI 123 2009/10 Q3 from {PEOPLE['editor']}" in c.value for c in officer.caption)
    officer.button(key="approve").click().run()
    assert not officer.exception, officer.exception
    assert any("1 returns approved and published" in s.value for s in officer.success)
    assert pending_returns(engine).empty
    assert any("0 returns waiting" in h.value for h in officer.subheader)

    trail = audit.read(engine)
    actions = set(zip(trail["actor"], trail["action"], strict=True))
    assert {(PEOPLE["admin"], "setting_changed"), (PEOPLE["editor"], "return_submitted"),
            (PEOPLE["performance_officer"], "return_approved"),
            ("test set-up", "role_granted")} <= actions
    page = signed_in("performance_officer", "pages/6_Audit.py")
    shown = next(d for d in page.dataframe if "Action" in d.value.columns).value
    assert "Return approved" in set(shown["Action"])  # the action in words, not its code
    assert not any(b.label in ("Delete", "Edit") for b in page.button)  # the trail cannot be changed


def test_officer_edits_commentary_as_a_new_version_viewer_sees_published_only(signed_in, database):
    import pandas as pd

    from data_loaders.database import return_history, store_returns

    _, engine = database
    rows = pd.DataFrame([{"framework": "Luton LAA 2008-11", "code": "NI 124", "part": "",
                          "period": "2009/10 Q2",
                          "value": 67.0, "comparator": "", "comparator_value": float("nan"),
                          "forecast_year_end": float("nan"), "provisional": False,
                          "commentary": "On track", "action": ""}])
    store_returns(engine, rows, file_name="q2.xlsx", checksum="q2", submitted_by=PEOPLE["editor"])
    store_returns(engine, rows.assign(value=68.0, period="2009/10 Q3"), file_name="q3.xlsx",
                  checksum="q3", submitted_by=PEOPLE["editor"], state="submitted")
    officer = signed_in("performance_officer", "pages/4_Indicator.py", {"code": "NI 124"})
    assert not officer.exception, officer.exception
    officer.selectbox(key="edit_value").select("2009/10 Q2").run()
    officer.text_area(key="edit_commentary").input("Steady; new care plans from October")
    next(b for b in officer.button if b.label == "Save as a new version").click().run()
    assert any("Saved as version" in s.value for s in officer.success)
    history = return_history(engine, "Luton LAA 2008-11", "NI 124")
    q2 = history[~history["is_demo"].astype(bool) & (history["period"] == "2009/10 Q2")]
    assert q2["commentary"].tolist()[-2:] == ["On track", "Steady; new care plans from October"]
    assert set(q2["value"]) == {67.0}  # the value itself is unchanged
    assert "commentary_edited" in set(audit.read(engine)["action"])
    viewer = signed_in("viewer", "pages/4_Indicator.py", {"code": "NI 124"})
    shown = next(d for d in viewer.dataframe if "State" in d.value.columns).value
    assert set(shown["State"]) == {"Published"} and "2009/10 Q3" not in set(
        shown[shown["Illustrative"] == ""]["Period"])


def _submit(engine, values: dict[str, float], period: str = "2009/10 Q3") -> None:
    """Returns waiting for sign-off, stored as an import with sign-off on stores them."""
    import pandas as pd

    from data_loaders.database import store_returns

    rows = pd.DataFrame([{"framework": "Luton LAA 2008-11", "code": code, "part": "", "period": period,
                          "value": value, "comparator": "", "comparator_value": float("nan"),
                          "forecast_year_end": float("nan"), "provisional": False,
                          "commentary": "", "action": ""} for code, value in values.items()])
    store_returns(engine, rows, file_name="q3.xlsx", checksum=f"q3 {sorted(values)}",
                  submitted_by=PEOPLE["editor"], state="submitted")


def test_officer_sends_back_the_selected_return_with_a_reason(signed_in, database):
    from data_loaders.database import return_history

    _, engine = database
    _submit(engine, {"NI 130": 41.0, "NI 135": 23.0})
    officer = signed_in("performance_officer", "pages/5_Sign_off.py")
    codes = _pending_table(officer).value["Code"].tolist()
    _select_rows(officer, [codes.index("NI 135")])
    assert officer.button(key="send_back").disabled  # no reason yet: nothing can be sent back
    reason = "Q3 is year to date; give the quarter's own figure"
    officer.text_area(key="review_reason").input(reason).run()
    officer.button(key="send_back").click().run()
    assert not officer.exception, officer.exception
    assert any("1 returns sent back with your reason" in s.value for s in officer.success)
    assert _pending_table(officer).value["Code"].tolist() == [c for c in codes if c != "NI 135"]
    assert officer.text_area(key="review_reason").value == ""  # cleared for the next decision

    sent_back = return_history(engine, "Luton LAA 2008-11", "NI 135")
    sent_back = sent_back[sent_back["period"] == "2009/10 Q3"].iloc[-1]
    assert (sent_back["state"], sent_back["reviewed_by"], sent_back["review_reason"]) == (
        "returned", PEOPLE["performance_officer"], reason)
    assert pending_returns(engine)["code"].tolist() == [c for c in codes if c != "NI 135"]
    entry = audit.read(engine, action="return_sent_back").iloc[0]
    assert (entry["actor"], entry["reason"]) == (PEOPLE["performance_officer"], reason)
    assert "2009/10 Q3" in entry["entity_key"]


def test_sign_off_clears_a_selection_when_the_waiting_list_changed_meanwhile(signed_in, database):
    """Positions select rows of the table on the officer's screen: when another officer decided
    a return in the meantime, the click must not land on its neighbour."""
    from data_loaders.database import review_returns

    _, engine = database
    for waiting in pending_returns(engine)["id"]:  # start from an empty queue
        review_returns(engine, [int(waiting)], approve=True, actor="test set-up")
    _submit(engine, {"NI 142": 30.0, "NI 192": 25.0, "NI 193": 40.0}, period="2010/11 Q1")
    officer = signed_in("performance_officer", "pages/5_Sign_off.py")
    assert _pending_table(officer).value["Code"].tolist() == ["NI 142", "NI 192", "NI 193"]
    ids = dict(zip(pending_returns(engine)["code"], pending_returns(engine)["id"], strict=True))
    review_returns(engine, [int(ids["NI 142"])], approve=True, actor="another officer")  # meanwhile
    _select_rows(officer, [1])  # the officer ticks NI 192, second on their screen
    assert any("your selection was cleared" in w.value for w in officer.warning)
    assert officer.button(key="approve").disabled
    assert _pending_table(officer).value["Code"].tolist() == ["NI 192", "NI 193"]
    _select_rows(officer, [0])  # NI 192 again, on the table as it is now
    officer.button(key="approve").click().run()
    assert not officer.exception, officer.exception
    assert any("1 returns approved" in s.value for s in officer.success)
    assert pending_returns(engine)["code"].tolist() == ["NI 193"]
    mine = audit.read(engine, action="return_approved", actor=PEOPLE["performance_officer"])
    assert mine.iloc[0]["entity_key"].startswith(f"return {ids['NI 192']} ")


# --- the Administration page's target and register sections --------------------------------

def _click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click()
    return at.run()


def test_admin_adds_a_target_version_and_every_page_shows_it(signed_in, database):
    import datetime as dt

    _, engine = database
    admin = signed_in("admin", "pages/7_Admin.py")
    admin.selectbox(key="target_part").select("NI 125").run()
    admin.selectbox(key="target_year").select("2009/10").run()
    versions = next(d.value for d in admin.dataframe if "Decided by" in d.value.columns)
    assert versions["Version"].tolist() == ["original", "refreshed"]
    admin.text_input(key="target_version").input("revised 2010")
    admin.number_input(key="target_value").set_value(90.0)
    admin.date_input(key="target_effective").set_value(dt.date(2010, 6, 1))
    admin.text_input(key="target_decided_by").input("Health and Well-Being Board 14 June 2010")
    admin.text_area(key="target_reason").input("Reablement service cut; target renegotiated")
    _click(admin, "Add the new version")
    assert not admin.exception, admin.exception
    assert any("Target version 'revised 2010' of NI 125 for 2009/10 added: 90.0%, in force from "
               "1 June 2010" in s.value for s in admin.success)
    versions = next(d.value for d in admin.dataframe if "Decided by" in d.value.columns)
    assert versions["Version"].tolist() == ["original", "refreshed", "revised 2010"]
    assert admin.text_input(key="target_version").value == ""  # the form is ready for the next one

    entry = audit.read(engine, action="target_version_added").iloc[0]
    assert (entry["actor"], entry["entity_key"], entry["reason"]) == (
        PEOPLE["admin"], "NI 125 2009/10 revised 2010", "Reablement service cut; target renegotiated")

    viewer = signed_in("viewer", "pages/4_Indicator.py", {"code": "NI 125"})
    targets = next(d.value for d in viewer.dataframe if "Decided by" in d.value.columns)
    year = targets[targets["Year"] == "2009/10"]
    assert year["Version"].tolist() == ["original", "refreshed", "revised 2010"]
    assert year["In force"].tolist() == [False, False, True]
    assert year["Reason"].tolist()[-1] == "Reablement service cut; target renegotiated"
    statuses = next(d.value for d in viewer.dataframe if "Reason" in d.value.columns
                    and "Original target" in d.value.columns)
    rated = statuses[statuses["Period"] == "2009/10"]  # rated against the new version
    assert rated[["Target", "Original target"]].values.tolist() == [[90.0, 95.0]]


def test_admin_target_version_refused_names_every_problem_and_writes_nothing(signed_in, database):
    _, engine = database
    before = len(audit.read(engine))
    admin = signed_in("admin", "pages/7_Admin.py")
    admin.selectbox(key="target_part").select("NI 117").run()
    admin.text_input(key="target_version").input("original")
    admin.selectbox(key="target_status").select("to_be_confirmed")
    admin.number_input(key="target_value").set_value(6.0)
    _click(admin, "Add the new version")
    assert not admin.exception, admin.exception
    shown = " ".join(e.value for e in admin.error)
    for words in ("**version**: NI 117 already has a version 'original' for 2008/09",
                  "**value**: a target with status", "**effective from**: give the date",
                  "**decided by**: say who decided", "**reason**: give the reason"):
        assert words in shown
    assert len(audit.read(engine)) == before


def test_admin_edits_an_indicators_description_with_a_reason(signed_in, database):
    _, engine = database
    admin = signed_in("admin", "pages/7_Admin.py")
    admin.selectbox(key="edit_part").select("NI 142").run()
    admin.text_input(key="edit_lead_partner|NI 142|").input("LBC Supporting People")
    admin.text_area(key="edit_notes|NI 142|").input("Figures from the Supporting People client record")
    _click(admin, "Save the changes")
    assert any("**reason**: give the reason" in e.value for e in admin.error)  # refused: no reason
    admin.text_input(key="edit_reason").input("Lead partner confirmed by the sub-group, 3 March 2010")
    _click(admin, "Save the changes")
    assert not admin.exception, admin.exception
    assert any("NI 142: lead partner, notes changed" in s.value for s in admin.success)

    entry = audit.read(engine, action="register_edited").iloc[0]
    assert (entry["actor"], entry["entity_key"]) == (PEOPLE["admin"], "NI 142")
    assert '"lead_partner": "LBC"' in entry["before"]
    assert '"lead_partner": "LBC Supporting People"' in entry["after"]
    assert entry["reason"] == "Lead partner confirmed by the sub-group, 3 March 2010"
    register = signed_in("viewer", "pages/1_Register.py", {"code": "NI 142"})
    table = register.dataframe[0].value
    assert table[table["Code"] == "NI 142"]["Lead partner"].tolist() == ["LBC Supporting People"]


@pytest.mark.parametrize("role", ["viewer", "editor", "performance_officer"])
def test_admin_sections_are_refused_on_the_server_to_other_roles(signed_in, database, role):
    _, engine = database
    before = len(audit.read(engine))
    at = signed_in(role, "pages/7_Admin.py")
    assert _refused(at)
    keys = {w.key for w in (*at.selectbox, *at.text_input, *at.text_area, *at.number_input)}
    assert not keys & {"target_part", "target_version", "edit_part", "edit_reason", "tolerance_part"}
    assert not [b for b in at.button if b.label in ("Add the new version", "Save the changes")]
    assert len(audit.read(engine)) == before
