"""The real sign-in flow in Chromium against an OpenID Connect provider on localhost.

PyPI's oidc-provider-mock is a real OIDC provider (discovery, authorisation form, tokens);
the app is ``streamlit run`` with an [auth] section, as a council would configure Entra ID.
"""

from __future__ import annotations

import pytest

from data_loaders import audit, users
from data_loaders.database import open_database
from tests.e2e.browser import (
    chromium,
    free_port,
    new_context,
    open_app,
    streamlit_server,
    wait_for_app,
    write_sign_in_secrets,
)
from tests.e2e.test_browser import _shot

ADMIN, VIEWER = "admin@luton.gov.uk", "viewer@luton.gov.uk"


@pytest.fixture(scope="module")
def provider():
    from oidc_provider_mock import User, run_server_in_thread

    people = [User(sub=email, claims={"email": email, "name": email.split("@")[0].title()})
              for email in (ADMIN, VIEWER)]
    with run_server_in_thread(port=free_port(), user_claims=people) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def app_with_sign_in(provider, tmp_path_factory):
    folder = tmp_path_factory.mktemp("sign_in")
    url = f"sqlite:///{folder / 'app.sqlite'}"
    engine = open_database(url)
    users.grant(engine, ADMIN, "admin", actor="test set-up")
    port = free_port()
    secrets = write_sign_in_secrets(folder / "secrets.toml", provider=provider,
                                    redirect_uri=f"http://127.0.0.1:{port}/oauth2callback")
    with streamlit_server(url, extra_args=("--secrets.files", str(secrets)), port=port) as base:
        yield base, engine


@pytest.fixture(scope="module")
def browser(app_with_sign_in):
    """Chromium for this module, started after the provider and closed before it: the
    provider's server waits for open keep-alive connections when it stops."""
    with chromium() as browser:
        yield browser


def _sign_in(page, base: str, email: str) -> None:
    open_app(page, base)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/authorize**")  # the provider's own form
    page.get_by_role("button", name=email).click()
    page.wait_for_url(f"{base}/**")
    wait_for_app(page)
    page.get_by_text(f"Signed in as {email}").wait_for()


def test_admin_signs_in_and_opens_the_admin_page(browser, app_with_sign_in):
    base, engine = app_with_sign_in
    context = new_context(browser, viewport={"width": 1400, "height": 1400})
    page = context.new_page()
    _sign_in(page, base, ADMIN)
    page.get_by_role("link", name="Administration").click()
    wait_for_app(page)
    page.get_by_role("heading", name="Administration").wait_for()
    _shot(page, "admin_signed_in")
    context.close()
    assert (ADMIN, "role_granted") in set(zip(audit.read(engine)["entity_key"], audit.read(engine)["action"],
                                              strict=True))


def test_viewer_deep_link_to_admin_is_refused(browser, app_with_sign_in):
    base, _ = app_with_sign_in
    context = new_context(browser, viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    _sign_in(page, base, VIEWER)
    assert page.get_by_role("link", name="Administration").count() == 0
    open_app(page, f"{base}/Admin")
    page.get_by_text("does not have that role").wait_for()
    assert page.get_by_role("heading", name="Administration").count() == 0
    _shot(page, "viewer_refused")
    context.close()


def test_signed_out_visitor_sees_only_sign_in(browser, app_with_sign_in):
    base, _ = app_with_sign_in
    context = new_context(browser)
    page = context.new_page()
    open_app(page, f"{base}/Register")
    page.get_by_role("button", name="Sign in").wait_for()
    assert page.get_by_text("Indicator register").count() == 0
    context.close()
