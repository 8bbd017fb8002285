"""Audit trail: every change, who, when, before and after. Read-only: nothing can be edited here."""

import streamlit as st

from data_loaders import audit
from performance.vocabulary import AUDIT_ACTION_LABELS
from ui.page import engine, page_setup
from ui.tables import show_table

ctx = page_setup("Audit trail", required_role="performance_officer")
st.title("Audit trail")
left, middle, right = st.columns(3)
action = left.selectbox("Action", ["", *audit.ACTIONS],
                        format_func=lambda a: AUDIT_ACTION_LABELS.get(a, a) or "All", key="audit_action")
actor = middle.text_input("Who (email)", key="audit_actor")
search = right.text_input("Indicator, period or user contains", key="audit_search")
entries = audit.read(engine(), actor=actor.strip().lower(), action=action, search=search.strip())
st.caption(f"{len(entries)} entries, newest first.")
show_table(entries, key="audit", title="Audit trail",
           about={"Filters": f"action: {AUDIT_ACTION_LABELS.get(action, 'all')}; who: {actor or 'all'}; "
                             f"contains: {search or '—'}"})
