"""Administration: who may do what, tolerances, and whether returns need sign-off."""

import streamlit as st

from data_loaders import users
from data_loaders.database import set_setting, set_tolerance, sign_off_required
from performance.access import ROLE_LABELS, ROLES, SCOPE_KINDS
from performance.register import filter_indicators, lead_partner_options
from ui.page import engine, page_setup
from ui.tables import show_table

ctx = page_setup("Administration", required_role="admin")
st.title("Administration")

st.subheader("People and roles")
show_table(users.list_users(engine()), key="users", title="Users and roles")
indicators = filter_indicators(ctx.register.indicators, framework=ctx.framework)
with st.form("grant"):
    email = st.text_input("Email", key="grant_email")
    role = st.selectbox("Role", ROLES, format_func=ROLE_LABELS.get, key="grant_role")
    scope_kind = st.selectbox("Scope (editors)", ["", *SCOPE_KINDS],
                              format_func=lambda k: k.replace("_", " ") or "none", key="grant_scope_kind")
    options = (sorted(indicators["theme_board"].unique()) if scope_kind == "theme_board"
               else lead_partner_options(indicators))
    scope_value = st.selectbox("Theme board or lead partner", ["", *options], key="grant_scope_value")
    grant, revoke = st.columns(2)
    if grant.form_submit_button("Grant"):
        done = users.grant(engine(), email, role, scope_kind=scope_kind, scope_value=scope_value,
                           actor=ctx.user.email)
        st.success("Granted." if done else "They already had it.")
    if revoke.form_submit_button("Remove"):
        done = users.revoke(engine(), email, role, scope_kind=scope_kind, scope_value=scope_value,
                            actor=ctx.user.email)
        st.success("Removed." if done else "They did not have it.")

st.subheader("Tolerance of an indicator part")
labels = [f"{r.code} {r.part}".strip() for r in indicators.itertuples()]
chosen = st.selectbox("Indicator part", labels, key="tolerance_part")
part = indicators.iloc[labels.index(chosen)]
current = part["tolerance_pct"]
st.caption(f"Now: {current:g}% of target" if current == current
           else f"Now: the partnership default, {ctx.register.settings['default_tolerance_pct']}% of target")
new = st.number_input("New tolerance (% of target)", min_value=0.0, max_value=100.0, value=5.0,
                      step=0.5, key="tolerance_value")
reason = st.text_input("Reason (recorded in the audit trail)", key="tolerance_reason")
if st.button("Change tolerance", disabled=not reason.strip(), key="tolerance_save"):
    set_tolerance(engine(), ctx.framework, part["code"], part["part"], new, actor=ctx.user.email,
                  reason=reason)
    st.success(f"Tolerance of {chosen} set to {new:g}%.")

st.subheader("Sign-off of returns")
on = st.toggle("Imported returns wait for a performance officer's approval",
               value=sign_off_required(engine()), key="sign_off")
if on != sign_off_required(engine()):
    set_setting(engine(), "sign_off_required", "yes" if on else "no", actor=ctx.user.email)
    st.success("Sign-off is now " + ("on." if on else "off."))
