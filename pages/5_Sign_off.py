"""Sign-off: performance officers approve submitted returns or send them back with a reason."""

import streamlit as st

from data_loaders.database import pending_returns, review_returns, sign_off_required
from performance.returns import describe_selection
from ui.page import engine, page_setup, saving
from ui.tables import show_table

ctx = page_setup("Sign-off", required_role="performance_officer")
st.title("Sign-off of returns")
# A decision reruns the page (the table then lists what still waits); its message survives.
if done := st.session_state.pop("sign_off_done", None):
    st.success(done)
if not sign_off_required(engine()):
    st.info("Sign-off is switched off: returns are published as they are imported. "
            "An administrator can switch it on.")

pending = pending_returns(engine())
st.subheader(f"{len(pending)} returns waiting")
if pending.empty:
    st.stop()
# A selection is row positions in the table on the officer's screen, drawn on the previous run.
# If the waiting list has changed since (another officer decided, an editor submitted), those
# positions would land on other returns: the selection is cleared (the table gets a new key)
# and the officer selects again, rather than a decision falling on the wrong return.
table_round = st.session_state.setdefault("pending_round", 0)
waiting_ids = pending["id"].tolist()
shown = st.session_state.get("pending_shown") or waiting_ids
if shown != waiting_ids:
    earlier = st.session_state.get(f"pending_{table_round}") or {}
    if earlier.get("selection", {}).get("rows"):
        st.warning("The waiting returns changed since the table was drawn (someone else decided or "
                   "submitted returns), so your selection was cleared: select again.")
    table_round += 1
    st.session_state["pending_round"] = table_round
st.session_state["pending_shown"] = waiting_ids
event = show_table(pending, key=f"pending_{table_round}", title="Returns waiting for sign-off",
                   on_select="rerun", selection_mode="multi-row")
rows = event.selection.rows if event else []
chosen = [waiting_ids[r] for r in rows if 0 <= r < len(waiting_ids)]
st.caption(describe_selection(pending, chosen))
reason = st.text_area("Reason (needed to send back)", key="review_reason")
approve, send_back, _ = st.columns([1, 1, 4])


def decided(message: str) -> None:
    """Remember the message, clear the selection and the reason, and show the new table."""
    st.session_state["sign_off_done"] = message
    st.session_state["pending_round"] = table_round + 1
    st.session_state.pop("pending_shown", None)  # the next table is drawn afresh
    st.session_state.pop("review_reason", None)
    st.rerun()


if approve.button("Approve and publish", type="primary", disabled=not chosen, key="approve") and chosen:
    with saving():
        n = review_returns(engine(), chosen, approve=True, actor=ctx.user.email)
    decided(f"{n} returns approved and published." + (
        f" {len(chosen) - n} had already been decided by someone else." if n < len(chosen) else ""))
if send_back.button("Send back", disabled=not (chosen and reason.strip()), key="send_back") and chosen:
    with saving():
        n = review_returns(engine(), chosen, approve=False, actor=ctx.user.email, reason=reason)
    decided(f"{n} returns sent back with your reason." + (
        f" {len(chosen) - n} had already been decided by someone else." if n < len(chosen) else ""))
