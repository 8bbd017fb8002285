"""The pages when things go wrong at run time (issue 18): a database down, read-only, impossible
or deleted, a NUL typed into a text box, a broken indicators.xlsx, 20,080 audit entries, and an
editor looking at another board's indicator. AppTest runs the real pages on real databases."""

from __future__ import annotations

import json
import shutil
import socket

import pytest
from streamlit.testing.v1 import AppTest

from data_loaders import audit, users
from data_loaders.database import open_database, pending_returns, store_returns
from tests.checkout import REPO_ROOT, copy_checkout, run_in
from tests.db.test_runtime_failures import _one_return, read_only
from tests.e2e.test_pages import _filled_template
from tests.e2e.test_roles import AUTH

RAW = ("Traceback", "[SQL:", "sqlalche.me", "psycopg", "sqlite3", "File \"")


@pytest.fixture(autouse=True)
def _no_demo(monkeypatch):
    monkeypatch.setenv("DEMO_DATA", "off")


def _open(url: str, page: str = "app.py", *, monkeypatch, user: str | None = None,
          query: dict | None = None) -> AppTest:
    """``page`` as the app runs it (app.py first, then the page), on the database at ``url``;
    signed in as ``user`` through a configured identity provider, or the local administrator."""
    monkeypatch.setenv("DATABASE_URL", url)
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=120)
    if user:
        at.secrets["auth"] = AUTH
        at.user = {"is_logged_in": True, "email": user}
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    if page != "app.py":
        at.switch_page(page)
        at.run()
    return at


def _words(at: AppTest) -> str:
    return " ".join(str(e.value) for e in (*at.error, *at.warning, *at.success, *at.markdown))


def _clear(at: AppTest) -> str:
    """The page's error, which must be a sentence: no exception element, no SQL, no traceback."""
    assert not at.exception, at.exception
    shown = " ".join(e.value for e in at.error)
    for words in RAW:
        assert words not in shown, shown
    return shown


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("page", ["app.py", "pages/1_Register.py", "pages/6_Audit.py"])
def test_pages_say_which_postgresql_server_does_not_answer(page, monkeypatch):
    port = _closed_port()
    at = _open(f"postgresql+psycopg://lsp@127.0.0.1:{port}/lsp", page, monkeypatch=monkeypatch)
    shown = _clear(at)
    assert ("The database server cannot be reached: the PostgreSQL database 'lsp' on "
            f"127.0.0.1:{port} does not answer") in shown
    assert not at.dataframe


def test_pages_say_where_an_impossible_database_path_was_expected(tmp_path, monkeypatch):
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    at = _open(f"sqlite:///{blocker / 'performance.sqlite'}", monkeypatch=monkeypatch)
    assert f"cannot be created at {blocker / 'performance.sqlite'} ({blocker} is a file, not a folder)" \
        in _clear(at)


def _upload_and_save(at: AppTest, values: dict[str, float], submitted_by: str = "officer@luton.gov.uk",
                     meanwhile=None):
    """Upload a template with ``values``, see the preview, then (after ``meanwhile()``) save."""
    at.text_input(key="submitted_by").input(submitted_by)
    at.file_uploader(key="returns_upload").upload("q3.xlsx", _filled_template(values))
    at.run()
    assert not at.exception, at.exception
    save = next(b for b in at.button if b.label == "Confirm and save")
    if meanwhile:
        meanwhile()
    if not save.disabled:
        save.click().run()
    return at


def test_returns_page_on_a_read_only_database_says_nothing_was_saved(database_url, monkeypatch):
    engine = open_database(database_url)
    before = len(audit.read(engine))
    engine.dispose()
    at = _upload_and_save(_open(read_only(database_url), "pages/2_Returns.py", monkeypatch=monkeypatch),
                          {"NI 117": 6.8})
    shown = _clear(at)
    assert "Nothing was saved." in shown and "is read-only, so nothing can be saved to it" in shown
    assert not any("Saved:" in s.value for s in at.success)
    assert len(audit.read(open_database(database_url))) == before


def test_returns_page_refuses_to_save_once_the_database_folder_is_deleted(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    database = folder / "performance.sqlite"
    at = _open(f"sqlite:///{database}", "pages/2_Returns.py", monkeypatch=monkeypatch)
    # deleted while the dashboard runs, between the preview and the click on save
    _upload_and_save(at, {"NI 117": 6.8}, meanwhile=lambda: shutil.rmtree(folder))
    shown = _clear(at)
    assert f"The database file is no longer where the dashboard opened it, {database}" in shown
    assert not any("Saved" in s.value for s in at.success)
    assert not folder.exists()


def test_nul_typed_into_submitted_by_is_refused_with_a_message(database_url, monkeypatch):
    engine = open_database(database_url)
    before = len(audit.read(engine))
    at = _upload_and_save(_open(database_url, "pages/2_Returns.py", monkeypatch=monkeypatch),
                          {"NI 117": 6.8}, submitted_by="off\x00icer")
    shown = _clear(at)
    assert "**Submitted by**: contains a control character (U+0000)" in shown
    assert next(b for b in at.button if b.label == "Confirm and save").disabled
    assert len(audit.read(engine)) == before


def test_nul_typed_into_the_audit_search_finds_without_an_error(database_url, monkeypatch):
    engine = open_database(database_url)
    with engine.begin() as conn:
        audit.record_many(conn, [{"actor": "a@luton.gov.uk", "action": "return_submitted",
                                  "entity": "return", "key": "NI 117 2009/10 Q3"}])
    at = _open(database_url, "pages/6_Audit.py", monkeypatch=monkeypatch)
    at.text_input(key="audit_search").input("NI 1\x0017").run()
    _clear(at)
    assert any(c.value.startswith("1 entries, newest first") for c in at.caption)
    at.text_input(key="audit_actor").input("a@luton.gov.uk\x00").run()
    _clear(at)
    assert next(d for d in at.dataframe if "Action" in d.value.columns).value["Action"].tolist() == [
        "Return submitted"]  # in words, as the audit page shows actions


def test_audit_page_counts_every_entry_and_pages_through_all_of_them(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'audit.sqlite'}"
    engine = open_database(url)
    assert audit.count(engine) == 0  # seeding is no audited change
    with engine.begin() as conn:
        audit.record_many(conn, [{"actor": "officer@luton.gov.uk", "action": "return_submitted",
                                  "entity": "return", "key": f"NI 117 entry {i}"}
                                 for i in range(20_080)])
    at = _open(url, "pages/6_Audit.py", monkeypatch=monkeypatch)
    assert not at.exception, at.exception
    assert any(c.value.startswith("20,080 entries, newest first; 1 to 1,000 shown. Excel and CSV "
                                  "export all 20,080.") for c in at.caption), [c.value for c in at.caption]
    pager = at.selectbox(key="audit_page")
    assert len(pager.options) == 21 and pager.options[-1] == "20,001–20,080"
    pager.select("20,001–20,080").run()
    shown = next(d for d in at.dataframe if "Action" in d.value.columns).value
    assert shown["Entity key"].tolist() == [f"NI 117 entry {i}" for i in range(79, -1, -1)]  # the oldest
    at.text_input(key="audit_search").input("entry 2007").run()
    assert any(c.value == "11 entries, newest first." for c in at.caption)
    assert "audit_page" not in {s.key for s in at.selectbox}  # one page: no picker


EDITOR = "officer@nhs.net"  # Health and Well-Being Board only


def test_editor_sees_unpublished_returns_only_of_indicators_in_their_scope(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'roles.sqlite'}"
    engine = open_database(url)
    users.grant(engine, EDITOR, "editor", scope_kind="theme_board",
                scope_value="Health and Well-Being Board", actor="test set-up")
    users.grant(engine, "subgroup@luton.gov.uk", "performance_officer", actor="test set-up")
    # NI 117 is the Children and Young People's Trust Board's, NI 123 Health and Well-Being's
    store_returns(engine, _one_return(7.1), file_name="cyp.xlsx", checksum="cyp",
                  submitted_by="cyp@luton.gov.uk", state="submitted")
    store_returns(engine, _one_return(430.0).assign(code="NI 123"), file_name="hwb.xlsx", checksum="hwb",
                  submitted_by=EDITOR, state="submitted")
    assert sorted(pending_returns(engine)["code"]) == ["NI 117", "NI 123"]

    def states(user: str, code: str) -> set[str]:
        at = _open(url, "pages/4_Indicator.py", monkeypatch=monkeypatch, user=user, query={"code": code})
        assert not at.exception, at.exception
        return set(next(d for d in at.dataframe if "State" in d.value.columns).value["State"])

    assert states(EDITOR, "NI 117") == {"Published"}  # another board's: published values only
    assert "Submitted" in states(EDITOR, "NI 123")  # their own board's submission
    assert "Submitted" in states("subgroup@luton.gov.uk", "NI 117")  # the sub-group sees all


_APPTEST_IN_CHECKOUT = """
import json, sys
from streamlit.testing.v1 import AppTest

at = AppTest.from_file("app.py", default_timeout=240)
at.run()
seen = {"overview": {"exception": [str(e.value) for e in at.exception],
                     "warning": [w.value for w in at.warning], "title": [t.value for t in at.title]}}
at.switch_page("pages/1_Register.py")
at.run()
seen["register"] = {"exception": [str(e.value) for e in at.exception],
                    "warning": [w.value for w in at.warning],
                    "codes": int(at.dataframe[0].value["Code"].nunique()) if at.dataframe else 0}
print(json.dumps(seen))
"""


def test_pages_serve_the_database_register_when_indicators_xlsx_is_broken(tmp_path):
    """The app in a checkout of its own whose indicators.xlsx is broken, on a database that
    already holds the register: every page works, and one warning says why."""
    checkout = copy_checkout(tmp_path / "checkout")
    url = f"sqlite:///{tmp_path / 'held.sqlite'}"
    assert run_in(checkout, ["manage.py", "seed"], url).returncode == 0
    wb = checkout / "indicators.xlsx"
    wb.write_bytes(wb.read_bytes()[: len(wb.read_bytes()) // 2])  # cut short, as a failed copy is
    done = run_in(checkout, ["-c", _APPTEST_IN_CHECKOUT], url)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["overview"]["exception"] == [] and seen["overview"]["title"] == ["Performance overview"]
    (warning,) = [w for w in seen["overview"]["warning"] if "indicators.xlsx" in w]
    assert warning.startswith("indicators.xlsx was not loaded (1 problem, the first: ")
    assert "The register the database holds is used instead" in warning
    assert seen["register"]["exception"] == [] and seen["register"]["codes"] == 59
    assert not [w for w in seen["register"]["warning"] if "indicators.xlsx" in w]  # said once


def test_pages_with_a_broken_workbook_and_no_register_held_say_there_is_nothing_to_show(tmp_path):
    checkout = copy_checkout(tmp_path / "checkout")
    (checkout / "indicators.xlsx").write_bytes(b"not a workbook")
    done = run_in(checkout, ["-c", _APPTEST_IN_CHECKOUT.replace(
        'at.switch_page("pages/1_Register.py")', 'print(json.dumps([e.value for e in at.error])); '
        'raise SystemExit(0)')], f"sqlite:///{tmp_path / 'empty.sqlite'}")
    assert done.returncode == 0, done.stderr
    (shown,) = json.loads(done.stdout.strip().splitlines()[-1])
    assert shown.startswith("indicators.xlsx cannot be loaded (1 problem, the first: indicators.xlsx is "
                            "not an Excel .xlsx workbook")
    assert "the database holds no register yet, so there is nothing to show" in shown

