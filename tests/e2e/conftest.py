"""Fixtures of the browser tests: one Chromium per test module, and a fresh page for a test."""

from __future__ import annotations

import pytest

from tests.e2e.browser import chromium, new_context


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium for the module's tests (a module may define its own, e.g. to start it
    after a server it needs)."""
    with chromium() as browser:
        yield browser


@pytest.fixture
def page(browser):
    """A page in a context of its own (1400 x 1800), closed after the test."""
    context = new_context(browser, viewport={"width": 1400, "height": 1800})
    page = context.new_page()
    yield page
    context.close()
