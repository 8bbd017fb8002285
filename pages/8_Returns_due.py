"""Returns due: every part due in a period, its officer and state; counts, progress, reminders."""

import datetime as dt

import streamlit as st

from data_loaders import cycle_store, reminders
from performance import cycle
from performance.changes import ChangeRefused
from performance.register import lead_partner_options, reportable_periods
from ui.filters import url_select
from ui.page import engine, load_rated, page_setup
from ui.tables import show_table

ctx = page_setup("Returns due", required_role="performance_officer")
st.title("Returns due")

ALL_BOARDS, ALL_LEADS, ALL_STATES = "All theme boards", "All lead partners", "All states"
indicators = ctx.register.indicators[ctx.register.indicators["framework"] == ctx.framework]
periods = reportable_periods(ctx.register, ctx.framework)
if not periods:
    st.info("No period of this framework has ended yet.")
    st.stop()
left, middle, right, last = st.columns(4)
period = url_select("Period", periods, "period", container=left)
board = url_select("Theme board", [ALL_BOARDS, *sorted(indicators["theme_board"].unique())],
                   "theme_board", default=ALL_BOARDS, container=middle)
lead = url_select("Lead partner", [ALL_LEADS, *lead_partner_options(indicators)], "lead_partner",
                  default=ALL_LEADS, container=right)
state_labels = {cycle.RETURN_STATE_LABELS[s]: s for s in cycle.RETURN_STATES}
state = url_select("State", [ALL_STATES, *state_labels], "state", default=ALL_STATES, container=last)

everything = cycle_store.returns_due_table(engine(), ctx.register, ctx.framework, period,
                                           rated=load_rated(ctx.framework))
table = cycle.filter_table(everything, theme_board="" if board == ALL_BOARDS else board,
                           lead_partner="" if lead == ALL_LEADS else lead)
deadline = cycle_store.deadline(engine(), ctx.register, ctx.framework, period)
collected, due = cycle.progress(table)
st.progress(collected / due if due else 1.0,
            text=f"**{collected} of {due}** parts due for {period} are in "
                 f"({collected / due if due else 1:.0%}); returns were due on {deadline:%d %B %Y}.")
st.caption("Annual parts in a quarter, survey indicators outside their survey years and removed "
           "indicators are not due and never chased. Illustrative demo values do not count as a return.")

by_board, by_lead = st.tabs(["By theme board", "By lead partner"])
with by_board:
    st.dataframe(cycle.state_counts(table, "theme_board"), hide_index=True, width="stretch")
with by_lead:
    st.dataframe(cycle.state_counts(cycle.by_each_lead_partner(table), "lead_partner"),
                 hide_index=True, width="stretch")

shown = table if state == ALL_STATES else cycle.filter_table(table, states=[state_labels[state]])
st.subheader(f"{len(shown)} parts" + ("" if state == ALL_STATES else f" {state.lower()}"))
show_table(cycle.display_table(shown), key="returns_due", title=f"Returns due {period}",
           about={"Framework": ctx.framework, "Period": period, "Theme board": board,
                  "Lead partner": lead, "State": state, "Collected": f"{collected} of {due}"})

st.subheader("Reminders")
planned = reminders.plan_reminders(engine(), ctx.register, ctx.framework, period, table=table)
nobody = cycle.without_contact(table)
if not nobody.empty:
    st.warning(f"{len(nobody)} parts to chase have no responsible officer kept: "
               + ", ".join(f"{c} {p}".strip() for c, p in zip(nobody["code"], nobody["part"], strict=True))
               + ". An administrator adds them below.", icon=":material/person_off:")
if not planned:
    st.info("No reminder to send: every part to chase here is in, or has no officer kept.")
else:
    for r in planned:
        with st.expander(f"To {r.officer} <{r.email}>: {r.subject}"):
            st.text(r.body)
            st.caption(f"Attached: {r.attachment_name} ({', '.join(r.part_names)})")
    if done := st.session_state.pop("reminders_done", None):
        (st.error if done["failed"] else st.success)(done["text"])
    confirm = st.checkbox(f"Send {len(planned)} reminders by email now", key="confirm_reminders")
    if st.button("Send reminders", type="primary", disabled=not confirm, icon=":material/send:"):
        try:
            result = reminders.send_reminders(engine(), planned, reminders.SmtpSettings.from_env(),
                                              actor=ctx.user.email, framework=ctx.framework, period=period)
        except reminders.MailNotConfigured as exc:
            st.error(str(exc))
        except OSError as exc:
            st.error(f"The mail server could not be reached ({exc}); nothing was sent.")
        else:
            failed = "; ".join(f"{e}: {why}" for e, why in result.failed.items())
            st.session_state["reminders_done"] = {
                "failed": bool(result.failed),
                "text": f"{len(result.sent)} {'reminder' if len(result.sent) == 1 else 'reminders'} sent"
                        + (f". Not sent to {failed}" if failed else ".")}
            st.session_state.pop("confirm_reminders", None)
            st.rerun()

if ctx.user.may_open("admin"):
    with st.expander("Responsible officers and due dates (administrators)"):
        st.dataframe(cycle_store.read_contacts(engine(), ctx.framework), hide_index=True, width="stretch")
        with st.form("contact"):
            st.markdown("**Keep a responsible officer** (for a lead partner, or for one indicator part; "
                        "an empty name and email removes the contact)")
            c1, c2 = st.columns(2)
            who_lead = c1.selectbox("Lead partner", ["", *lead_partner_options(indicators)])
            part_keys = ["", *sorted({f"{c}|{p}" for c, p in zip(indicators["code"], indicators["part"],
                                                                   strict=True)})]
            who_part = c2.selectbox("or indicator part", part_keys,
                                    format_func=lambda k: k.replace("|", " ").strip())
            officer = c1.text_input("Officer")
            email = c2.text_input("Email")
            reason = st.text_input("Reason", key="contact_reason")
            if st.form_submit_button("Save contact"):
                code, _, part = who_part.partition("|")
                try:
                    cycle_store.set_contact(engine(), ctx.framework, lead_partner=who_lead, code=code,
                                            part=part, officer=officer, email=email, actor=ctx.user.email,
                                            reason=reason, register=ctx.register)
                except ChangeRefused as refused:
                    for field, message in refused.problems:
                        st.error(f"{field.replace('_', ' ').capitalize()}: {message}")
                else:
                    st.success("Contact saved; the change is in the audit trail.")
                    st.rerun()
        with st.form("deadline"):
            st.markdown(f"**Due date for {period}** (now {deadline:%d %B %Y}; by default "
                        f"{cycle.due_days(ctx.register.settings)} days after the period ends)")
            new_date = st.date_input("Due on", value=deadline, min_value=dt.date(2000, 1, 1))
            back = st.checkbox("Back to the default")
            why = st.text_input("Reason", key="deadline_reason")
            if st.form_submit_button("Save due date"):
                try:
                    cycle_store.set_deadline(engine(), ctx.framework, period, None if back else new_date,
                                             actor=ctx.user.email, reason=why)
                except ChangeRefused as refused:
                    for field, message in refused.problems:
                        st.error(f"{field.capitalize()}: {message}")
                else:
                    st.rerun()
