"""Widgets whose values live in the URL, so a filtered view can be shared as a link."""

from __future__ import annotations

import streamlit as st

from performance.overview import Filters
from performance.register import split_partners
from performance.vocabulary import KIND_LABELS, KINDS, STATUS_LABELS, STATUSES


def url_select(label: str, options: list[str], param: str, default: str | None = None,
               container=st) -> str:
    """A selectbox that starts from ``?param=`` and writes its choice back to the URL."""
    wanted = st.query_params.get(param) or default or options[-1]
    index = options.index(wanted) if wanted in options else len(options) - 1
    value = container.selectbox(label, options, index=index, key=f"url_{param}")
    st.query_params[param] = value
    return value


#: The widget of each filter, drawn by :func:`_filter_widgets`.
_WIDGET_KEYS = {"theme_board": "f_theme_board", "kind": "f_kind", "lead_partner": "f_lead_partner",
                "status": "f_status", "reward_eligible": "f_reward"}


def filter_panel(rated) -> Filters:
    """The overview's filters in a panel labelled with those in force: its widgets are drawn
    only while it is open (it opens by itself when the URL sets a filter); closed, the URL's
    filters still apply, kept to the values the register has."""
    current = Filters.from_query(st.query_params)
    boards, kinds, leads = _options(rated)
    kept = Filters(theme_board=_keep(current.theme_board, boards), kind=_keep(current.kind, kinds),
                   lead_partner=_keep(current.lead_partner, leads),
                   status=_keep(current.status, list(STATUSES)), reward_eligible=current.reward_eligible)
    active = kept != Filters()
    panel = st.expander(f"Filters: {kept.describe()}" if active else "Filters: none set", expanded=active,
                        key="filters", icon=":material/filter_alt:", on_change="rerun")
    if not panel.open:
        return kept
    with panel:
        return _filter_widgets(kept, boards, kinds, leads)


def _options(rated) -> tuple[list[str], list[str], list[str]]:
    """The theme boards, kinds and lead partners ``rated`` has (from its distinct values only:
    the rated frame has a row per part and period)."""
    boards = sorted(rated["theme_board"].dropna().unique())
    present = set(rated["kind"].dropna().unique())
    kinds = [k for k in KINDS if k in present]
    leads = sorted({p for t in rated["lead_partner"].dropna().unique() for p in split_partners(t)},
                   key=str.casefold)
    return boards, kinds, leads


def _filter_widgets(current: Filters, boards: list[str], kinds: list[str], leads: list[str]) -> Filters:
    """The filters' widgets, starting from ``current`` (the URL's, kept to the options); their
    choice is written back to the URL."""
    cols = st.columns([3, 2, 2, 2, 2])

    def own(name: str) -> dict:  # each widget's key, and its change written to the URL at once
        return {"key": _WIDGET_KEYS[name], "on_change": _to_url}

    chosen = Filters(
        theme_board=cols[0].multiselect("Theme board", boards, default=current.theme_board,
                                        **own("theme_board")),
        kind=cols[1].multiselect("Kind", kinds, default=current.kind,
                                 format_func=lambda k: KIND_LABELS.get(k, k), **own("kind")),
        lead_partner=cols[2].multiselect("Lead partner", leads, default=current.lead_partner,
                                         **own("lead_partner")),
        status=cols[3].multiselect("Status", list(STATUSES), default=current.status,
                                   format_func=STATUS_LABELS.get, **own("status")),
        reward_eligible=cols[4].selectbox("Reward eligible", ["", "yes", "no"],
                                          index=["", "yes", "no"].index(current.reward_eligible),
                                          format_func=lambda v: v or "all", **own("reward_eligible")),
    )
    _write_url(chosen)
    return chosen


def _to_url() -> None:
    # A filter's widget changed: write the URL before the script runs (a callback runs first),
    # so the panel, drawn before its widgets, is labelled with the filters this run applies
    # and stays open or closes by them, not by the last run's.
    url = Filters.from_query(st.query_params)
    _write_url(Filters(**{name: st.session_state.get(key, getattr(url, name))
                          for name, key in _WIDGET_KEYS.items()}))


def _write_url(chosen: Filters) -> None:
    for name in _WIDGET_KEYS:
        value = getattr(chosen, name)
        if value:
            st.query_params[name] = value
        elif name in st.query_params:
            del st.query_params[name]


def _keep(values: list[str], options: list[str]) -> list[str]:
    return [v for v in values if v in options]
