"""Audit trail: every change, who, when, before and after. Read-only: nothing can be edited here."""

import streamlit as st

from data_loaders import audit
from performance.vocabulary import AUDIT_ACTION_LABELS
from ui.page import engine, page_setup
from ui.tables import page_picker, show_table

ctx = page_setup("Audit trail", required_role="performance_officer")
PER_PAGE = 1000  # entries on screen at once; the exports hold every entry that matches
st.title("Audit trail")
left, middle, right = st.columns(3)
action = left.selectbox("Action", ["", *audit.ACTIONS],
                        format_func=lambda a: AUDIT_ACTION_LABELS.get(a, a) or "All", key="audit_action")
actor = middle.text_input("Who (email)", key="audit_actor")
search = right.text_input("Indicator, period or user contains", key="audit_search")
# a control character (a pasted NUL) cannot be in any entry: it is left out of the filters
filters = {"actor": audit.searchable(actor).strip().lower(), "action": action,
           "search": audit.searchable(search).strip()}
total = audit.count(engine(), **filters)
start, stop = page_picker(total, PER_PAGE, key="audit_page", what="entries")
entries = audit.read(engine(), **filters, offset=start, limit=stop - start)
st.caption(f"{total:,} entries, newest first" + (
    f"; {start + 1:,} to {stop:,} shown. Excel and CSV export all {total:,}." if total > PER_PAGE else "."))
show_table(entries, key="audit", title="Audit trail", export=lambda: audit.read(engine(), **filters),
           about={"Filters": f"action: {AUDIT_ACTION_LABELS.get(action, 'all')}; "
                             f"who: {filters['actor'] or 'all'}; contains: {filters['search'] or '—'}",
                  "Entries": f"{total:,}, newest first"})
