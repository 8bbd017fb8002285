"""The shared page guard. Every page file calls :func:`page_setup` first.

A visitor whose first request is a deep link (``/Register``) gets that page file run without
``app.py``, so the guard, the menu and the data loading live here and each page calls them
itself (``tests/e2e/test_pages.py`` fails if a page does not).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import streamlit as st

from data_loaders.database import data_version, database_url, open_database, read_register
from performance.register import Register, framework_names

# Menu entries: (page file, label, icon). One place, so every page shows the same menu.
MENU = (
    ("app.py", "Overview", ":material/dashboard:"),
    ("pages/3_Theme_board.py", "Theme boards", ":material/groups:"),
    ("pages/4_Indicator.py", "Indicator detail", ":material/show_chart:"),
    ("pages/1_Register.py", "Indicator register", ":material/list_alt:"),
    ("pages/2_Returns.py", "Quarterly returns", ":material/upload_file:"),
)


@dataclass
class PageContext:
    """What a page needs: the register and the framework the user chose."""

    register: Register
    framework: str


@st.cache_resource(show_spinner="Opening the database…")
def _engine(url: str):
    # One engine per process and database: migrated and seeded once, shared by sessions.
    return open_database(url)


@st.cache_data(show_spinner="Loading the register…", max_entries=4)
def _register(url: str, version: int) -> Register:
    # Keyed on the newest load id, so an import or target change shows on the next render.
    return read_register(_engine(url))


def engine():
    """The database engine of this process (migrated and seeded)."""
    return _engine(database_url())


@st.cache_data(show_spinner="Rating every indicator…", max_entries=4)
def _rated(url: str, version: int):
    from performance import rag
    from performance.overview import with_register_columns

    register = _register(url, version)
    return with_register_columns(rag.rate(register), register)


def load_rated():
    """Every indicator part rated in every period (cached like the register; filter after)."""
    url = database_url()
    return _rated(url, data_version(_engine(url)))


def load_register() -> Register:
    """The register and current values, cached until the next load into the database."""
    url = database_url()
    return _register(url, data_version(_engine(url)))


def page_setup(title: str, required_role: str = "viewer") -> PageContext:
    """Configure the page, check access, draw the menu and return the loaded register.

    ``required_role`` is checked on the server. On the embedded default, without an identity
    provider configured, the local user acts as admin (issue 7 adds sign-in and roles).
    """
    st.set_page_config(page_title=f"{title} · LSP performance", layout="wide")
    register = load_register()
    with st.sidebar:
        st.markdown("**Luton Forum · performance**")
        for path, label, icon in MENU:
            st.page_link(path, label=label, icon=icon)
        st.divider()
        framework = _framework_picker(register)
        if not os.environ.get("DATABASE_URL"):
            st.caption("Embedded database (SQLite), local use only.")
    return PageContext(register=register, framework=framework)


def _framework_picker(register: Register) -> str:
    """Framework choice, kept in the URL (``?framework=...``) so a link opens the same view."""
    names = framework_names(register)
    chosen = st.query_params.get("framework") or st.session_state.get("framework") or names[0]
    if chosen not in names:
        chosen = names[0]
    framework = st.selectbox("Framework", names, index=names.index(chosen), key="framework_picker")
    st.session_state["framework"] = framework
    st.query_params["framework"] = framework
    return framework


def demo_banner(frame) -> None:
    """Say so whenever illustrative demo values are among those on screen."""
    flagged = (frame["is_demo"].astype(bool).any() if "is_demo" in frame else
               (frame["illustrative"] == "demo").any() if "illustrative" in frame else False)
    if flagged:
        st.warning("Some values shown are **illustrative demo values**, generated so the dashboard "
                   "has something to show; they are marked *demo*. Real values from the source "
                   "documents and returns always replace them. Start with `DEMO_DATA=off` to hide "
                   "them.", icon=":material/science:")
