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
    "pages/7_Admin.py": "admin",
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
    table = next(d for d in officer.dataframe if "Submitted by" in d.value.columns)
    assert table.value["Code"].tolist() == ["NI 123"]
    # Approve through the domain call the button makes: AppTest cannot select dataframe rows.
    from data_loaders.database import review_returns
    officer_email = PEOPLE["performance_officer"]
    assert review_returns(engine, waiting["id"].tolist(), approve=True, actor=officer_email) == 1
    assert pending_returns(engine).empty

    trail = audit.read(engine)
    actions = set(zip(trail["actor"], trail["action"], strict=True))
    assert {(PEOPLE["admin"], "setting_changed"), (PEOPLE["editor"], "return_submitted"),
            (PEOPLE["performance_officer"], "return_approved"),
            ("test set-up", "role_granted")} <= actions
    page = signed_in("performance_officer", "pages/6_Audit.py")
    shown = next(d for d in page.dataframe if "Action" in d.value.columns).value
    assert "return_approved" in set(shown["Action"])
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
    assert set(shown["State"]) == {"published"} and "2009/10 Q3" not in set(
        shown[shown["Illustrative"] == ""]["Period"])
