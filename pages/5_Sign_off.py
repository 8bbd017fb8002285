"""Sign-off: performance officers approve submitted returns or send them back with a reason."""

import streamlit as st

from data_loaders.database import pending_returns, review_returns, sign_off_required
from ui.page import engine, page_setup
from ui.tables import show_table

ctx = page_setup("Sign-off", required_role="performance_officer")
st.title("Sign-off of returns")
if not sign_off_required(engine()):
    st.info("Sign-off is switched off: returns are published as they are imported. "
            "An administrator can switch it on.")

pending = pending_returns(engine())
st.subheader(f"{len(pending)} returns waiting")
if pending.empty:
    st.stop()
event = show_table(pending, key="pending", title="Returns waiting for sign-off",
                   on_select="rerun", selection_mode="multi-row")
chosen = pending.iloc[event.selection.rows]["id"].tolist() if event and event.selection.rows else []
st.caption(f"{len(chosen)} selected.")
reason = st.text_area("Reason (needed to send back)", key="review_reason")
approve, send_back, _ = st.columns([1, 1, 4])
if approve.button("Approve and publish", type="primary", disabled=not chosen, key="approve"):
    n = review_returns(engine(), chosen, approve=True, actor=ctx.user.email)
    st.success(f"{n} returns approved and published.")
if send_back.button("Send back", disabled=not (chosen and reason.strip()), key="send_back"):
    n = review_returns(engine(), chosen, approve=False, actor=ctx.user.email, reason=reason)
    st.success(f"{n} returns sent back with your reason.")
