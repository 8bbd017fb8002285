"""The public scorecard's page setup and cached loaders (its own: nothing of ``ui.page``).

No sign-in, no menu of staff pages, no upload or admin: the public entry reads the database
through :mod:`data_loaders.public` only and never writes to it (it does not migrate or seed;
the staff app or ``manage.py`` does). In a deployment it can use a database role that may
only read.
"""

from __future__ import annotations

import streamlit as st

from data_loaders.database import data_version, database_url, make_engine
from data_loaders.operations import health
from data_loaders.public import public_frameworks, read_public_benchmarks, read_public_register

VERSION_TTL_SECONDS = 2  # another process's change shows within this (plus a render)


def page_setup(title: str) -> None:
    """The first call of the public page: title and layout, and nothing that signs in."""
    st.set_page_config(page_title=f"{title} · Luton Forum", layout="wide",
                       initial_sidebar_state="collapsed", menu_items={})


@st.cache_resource
def _engine(url: str):
    return make_engine(url)


def engine():
    return _engine(database_url())


@st.cache_data(ttl=VERSION_TTL_SECONDS, show_spinner=False)
def _version(url: str) -> str:
    return data_version(_engine(url))


@st.cache_resource(show_spinner="Loading the figures…", max_entries=4)
def _rated(url: str, version: str, frameworks: tuple[str, ...]):
    from performance import rag
    from performance.overview import with_reasons, with_register_columns

    register = read_public_register(_engine(url), list(frameworks))
    if not len(register.indicators):
        return register, None
    return register, with_reasons(with_register_columns(rag.rate(register), register), register)


@st.cache_resource(show_spinner=False, max_entries=4)
def _benchmarks(url: str, version: str, frameworks: tuple[str, ...]):
    register, _ = _rated(url, version, frameworks)
    return read_public_benchmarks(_engine(url), register)


def load_public_benchmarks():
    """(England's values, the own series with published counts) for the public frameworks
    (those of :func:`load_public`, whose register it reads), cached per data version like it;
    shared: read them, never assign into them."""
    url = database_url()
    version = _version(url)
    return _benchmarks(url, version, tuple(_public_names(url, version)))


def database_ready() -> str | None:
    """None when the database can be read, else why not (in words for the public)."""
    url = database_url()
    result = health(url)
    return None if result.ok else result.reason


def load_public():
    """(frameworks made public, their register, their rated rows or None), cached until the
    data version in the database changes (checked at most every couple of seconds)."""
    url = database_url()
    version = _version(url)
    names = tuple(_public_names(url, version))
    if not names:
        return names, None, None
    register, rated = _rated(url, version, names)
    return names, register, rated


@st.cache_data(show_spinner=False, max_entries=4)
def _public_names(url: str, version: str) -> list[str]:
    return public_frameworks(_engine(url))
