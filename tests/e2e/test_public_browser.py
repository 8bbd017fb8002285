"""The public scorecard in Chromium: ``streamlit run scorecard/app.py`` with sign-in configured.

It shows published values and never an unpublished one (page text, page source and the CSV
download), has no upload, admin or sign-in widgets, serves no staff page by URL, can be used
from the keyboard, and axe-core finds no serious or critical accessibility violation.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import skip_or_fail
from tests.e2e.browser import REPO_ROOT, streamlit_server, wait_for_app
from tests.public_data import PERIOD, PUBLISHED_COMMENTARY, SECRETS, prepare_public_database

SCREENSHOTS = REPO_ROOT / "artifacts" / "screenshots"
AXE = REPO_ROOT / "tests" / "e2e" / "node_modules" / "axe-core" / "axe.min.js"
STAFF_PAGES = ("Register", "Returns", "Theme_board", "Indicator", "Sign_off", "Audit", "Admin")


@pytest.fixture(scope="module")
def public_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("public")
    url = f"sqlite:///{folder / 'public.sqlite'}"
    import os
    before = os.environ.get("DEMO_DATA")
    os.environ["DEMO_DATA"] = "off"
    try:
        prepare_public_database(url).dispose()
    finally:
        os.environ.pop("DEMO_DATA") if before is None else os.environ.__setitem__("DEMO_DATA", before)
    # Sign-in is configured, as in a shared deployment: the public entry must not ask for it.
    secrets = folder / "secrets.toml"
    secrets.write_text('[auth]\nredirect_uri = "http://127.0.0.1:1/oauth2callback"\n'
                       'cookie_secret = "not-a-secret"\nclient_id = "x"\nclient_secret = "y"\n'
                       'server_metadata_url = "http://127.0.0.1:1/.well-known/openid-configuration"\n')
    with streamlit_server(url, page="scorecard/app.py", extra_args=("--secrets.files", str(secrets)),
                          env={"DEMO_DATA": "off"}) as base:
        yield base


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 2400}, accept_downloads=True)
    page = context.new_page()
    yield page
    context.close()


def _open(page, url: str) -> None:
    page.goto(url)
    wait_for_app(page, timeout_ms=120_000)
    page.get_by_text("Luton Forum: how the area is doing").first.wait_for(timeout=120_000)
    page.locator('[data-testid="stPlotlyChart"] .main-svg').first.wait_for(timeout=120_000)


def test_public_page_shows_published_values_and_never_an_unpublished_one(public_server, page):
    _open(page, f"{public_server}/?period={PERIOD}&indicator=NI%20156")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "public.png"))
    text = page.inner_text("body")
    html = page.content()
    ni156 = page.locator("tr", has_text="NI 156").first.inner_text()
    assert "612" in ni156 and PUBLISHED_COMMENTARY in ni156
    assert "17 days" in page.locator("tr", has_text="NI 181").first.inner_text()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download these figures (CSV)").click()
    csv = download.value.path().read_bytes().decode("utf-8-sig")
    assert "NI 156" in csv and "612" in csv and PUBLISHED_COMMENTARY in csv
    for secret in SECRETS:
        assert secret not in text, secret
        assert secret not in html, secret
        assert secret not in csv, secret


def test_public_page_has_no_upload_admin_or_sign_in(public_server, page):
    _open(page, public_server)
    assert page.locator('[data-testid="stFileUploader"]').count() == 0
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0
    for words in ("Sign in", "Sign out", "Administration", "Quarterly returns", "Audit trail", "Sign-off",
                  "Local use, no sign-in"):
        assert page.get_by_text(words, exact=False).count() == 0, words
    assert page.get_by_role("button", name="Sign in").count() == 0


@pytest.mark.parametrize("staff_page", STAFF_PAGES)
def test_no_staff_page_is_reachable_by_url_from_the_public_port(public_server, page, staff_page):
    _open(page, f"{public_server}/{staff_page}")
    text = page.inner_text("body")
    assert "Luton Forum: how the area is doing" in text
    assert "Administration" not in text and "Upload" not in text and "Sign in" not in text


def test_public_page_can_be_used_from_the_keyboard(public_server, page):
    _open(page, public_server)
    reached = []
    for _ in range(40):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("""() => { const e = document.activeElement;
            const words = e.getAttribute('aria-label') || e.innerText || e.tagName || '';
            return words.trim().slice(0, 60); }"""))
    joined = " | ".join(reached)
    assert any("Period" in r for r in reached), joined
    assert any("Download these figures" in r for r in reached), joined
    assert any("Indicator" in r for r in reached), joined
    # The period picker opens and chooses from the keyboard alone.
    picker = page.get_by_role("combobox", name="Selected " + PERIOD, exact=False).or_(
        page.locator('[data-testid="stSelectbox"]').first.get_by_role("combobox"))
    picker.first.focus()
    page.keyboard.press("ArrowDown")
    page.get_by_role("option").first.wait_for()
    page.keyboard.press("Enter")
    wait_for_app(page, timeout_ms=120_000)
    assert "period=" in page.url


def test_public_page_has_no_serious_accessibility_violation(public_server, page):
    if not AXE.exists():
        skip_or_fail(f"axe-core not installed at {AXE} (npm ci --prefix tests/e2e; .ci/run does)")
    _open(page, f"{public_server}/?period={PERIOD}")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => await axe.run(document, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})""")
    serious = [{"id": v["id"], "impact": v["impact"], "help": v["help"],
                "where": [n["target"] for n in v["nodes"][:5]]}
               for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert result["passes"], "axe ran no check"
    assert not serious, json.dumps(serious, indent=1)
