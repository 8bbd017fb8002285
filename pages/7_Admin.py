"""Administration: who may do what, tolerances, target versions, the register's descriptions,
the statistical neighbours and Fingertips IDs, and whether returns need sign-off."""

import datetime as dt

import streamlit as st

from data_loaders import users
from data_loaders.benchmarks_store import (
    change_group,
    fingertips_ids,
    group_members,
    set_fingertips_indicator,
)
from data_loaders.database import (
    add_target_version,
    edit_register,
    set_setting,
    set_tolerance,
    sign_off_required,
)
from performance.access import ROLE_LABELS, ROLES, SCOPE_KINDS
from performance.changes import EDITABLE_FIELDS, ChangeRefused
from performance.register import (
    filter_indicators,
    framework_years,
    lead_partner_options,
    target_history,
    theme_board_names,
)
from performance.tables import TARGET_BLANKS
from performance.vocabulary import (
    MEASURE_LABELS,
    MEASURES,
    SCOPE_KIND_LABELS,
    TARGET_STATUS_LABELS,
    TARGET_STATUSES,
    UNIT_LABELS,
)
from ui.page import engine, page_setup, saving
from ui.tables import show_table

ctx = page_setup("Administration", required_role="admin")
st.title("Administration")
# A change saved below reruns the page so every table shows it; its message survives the rerun.
if done := st.session_state.pop("admin_done", None):
    st.success(done)


def saved(message: str, *clear: str) -> None:
    """Say what was saved on the next run, forget the form's inputs, and rerun."""
    st.session_state["admin_done"] = message
    for key in clear:
        st.session_state.pop(key, None)
    st.rerun()


def refused(problem: ChangeRefused) -> None:
    st.error("Nothing was saved:\n\n" + "\n".join(
        f"- **{field.replace('_', ' ')}**: {message}" for field, message in problem.problems))


st.subheader("People and roles")
show_table(users.list_users(engine()), key="users", title="Users and roles")
indicators = filter_indicators(ctx.register.indicators, framework=ctx.framework)
with st.form("grant"):
    email = st.text_input("Email", key="grant_email")
    role = st.selectbox("Role", ROLES, format_func=ROLE_LABELS.get, key="grant_role")
    scope_kind = st.selectbox("Scope (editors)", ["", *SCOPE_KINDS],
                              format_func=lambda k: SCOPE_KIND_LABELS.get(k, k) or "No scope",
                              key="grant_scope_kind")
    options = (sorted(indicators["theme_board"].unique()) if scope_kind == "theme_board"
               else lead_partner_options(indicators))
    scope_value = st.selectbox("Theme board or lead partner", ["", *options], key="grant_scope_value")
    grant, revoke = st.columns(2)
    if grant.form_submit_button("Grant"):
        with saving():
            done = users.grant(engine(), email, role, scope_kind=scope_kind, scope_value=scope_value,
                               actor=ctx.user.email)
        st.success("Granted." if done else "They already had it.")
    if revoke.form_submit_button("Remove"):
        with saving():
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
    with saving():
        set_tolerance(engine(), ctx.framework, part["code"], part["part"], new, actor=ctx.user.email,
                      reason=reason)
    st.success(f"Tolerance of {chosen} set to {new:g}%.")

st.subheader("Targets: add a new version")
st.caption("A target is never changed or deleted: a changed target is a new version, with the date "
           "it takes effect and the reason. The original comes first; of the later versions the "
           "latest effective one is in force, and the original stays beside it on every page.")
target_label = st.selectbox("Indicator part", labels, key="target_part")
target_part = indicators.iloc[labels.index(target_label)]
years = framework_years(ctx.register, ctx.framework)
year = st.selectbox("Year", years, key="target_year")
versions = target_history(ctx.register, ctx.framework, target_part["code"], part=target_part["part"],
                          year=year)
show_table(versions, key="target_versions",
           title=f"{target_label} {year} targets", blanks=TARGET_BLANKS)
TARGET_INPUTS = ("target_version", "target_value", "target_text", "target_effective",
                 "target_decided_by", "target_source", "target_reason")
with st.form("add_target"):
    left, right = st.columns(2)
    version = left.text_input("Name of the new version", placeholder="e.g. revised 2010",
                              key="target_version")
    status = right.selectbox("Status", TARGET_STATUSES, format_func=TARGET_STATUS_LABELS.get,
                             key="target_status")
    unit_words = UNIT_LABELS.get(target_part["unit"], target_part["unit"]).lower()
    value = left.number_input(f"Target ({unit_words}; empty unless set)",
                              value=None, step=0.1, key="target_value")
    text = right.text_input("The target as written (optional)", key="target_text")
    measure = left.selectbox("Measure", ["", *MEASURES], key="target_measure",
                             format_func=lambda m: MEASURE_LABELS.get(m, m) or
                             f"The indicator's own ({MEASURE_LABELS[target_part['measure']].lower()})")
    effective = right.date_input("Takes effect from", value=None, min_value=dt.date(2000, 1, 1),
                                 max_value=dt.date.today(),
                                 format="DD/MM/YYYY", key="target_effective")
    decided_by = left.text_input("Decided by", placeholder="e.g. LSP Board 14 June 2010",
                                 key="target_decided_by")
    source = right.text_input("Source (paper or minute; optional)", key="target_source")
    target_reason = st.text_area("Reason (kept with the version and in the audit trail)",
                                 key="target_reason")
    add = st.form_submit_button("Add the new version", type="primary")
if add:
    try:
        with saving():
            row = add_target_version(
                engine(), ctx.framework, target_part["code"], target_part["part"], year,
                version=version, value=value, status=status, text=text, measure=measure,
                effective_from=effective, decided_by=decided_by, reason=target_reason,
                source=source, actor=ctx.user.email)
    except ChangeRefused as problem:
        refused(problem)
    else:
        saved(f"Target version '{row['version']}' of {target_label} for {year} added: {row['text']}, "
              f"in force from {row['effective_from'].day} {row['effective_from']:%B %Y}.", *TARGET_INPUTS)

st.subheader("Register: an indicator's description")
st.caption("Title, theme, theme board, lead partner and partners belong to the indicator (all its "
           "parts); notes and source to the part. Codes, parts, polarity, unit, measure, baseline "
           "and the other rules of rating are not changed here: they are corrected in "
           "indicators.xlsx, where each is traced to its source paper.")
edit_label = st.selectbox("Indicator part", labels, key="edit_part")
edit_part = indicators.iloc[labels.index(edit_label)]
form_id = f"{edit_part['code']}|{edit_part['part']}"
# What the administrator first saw: a field someone else changes meanwhile is refused, not
# silently overwritten with these words.
seen_key = f"edit_seen|{form_id}"
seen = st.session_state.setdefault(seen_key, {f: str(edit_part[f]) for f in EDITABLE_FIELDS})
boards = theme_board_names(ctx.register, ctx.framework)
inputs = {f: f"edit_{f}|{form_id}" for f in EDITABLE_FIELDS}
with st.form("edit_register"):
    values = {
        "title": st.text_input("Title", value=seen["title"], key=inputs["title"]),
        "theme": st.text_input("Theme", value=seen["theme"], key=inputs["theme"]),
        "theme_board": st.selectbox("Theme board", boards, index=boards.index(seen["theme_board"]),
                                    key=inputs["theme_board"]),
        "lead_partner": st.text_input("Lead partner", value=seen["lead_partner"], key=inputs["lead_partner"]),
        "partners": st.text_input("Partners", value=seen["partners"], key=inputs["partners"]),
        "notes": st.text_area(f"Notes on {edit_label}", value=seen["notes"], key=inputs["notes"]),
        "source": st.text_input(f"Source of {edit_label}", value=seen["source"], key=inputs["source"]),
    }
    edit_reason = st.text_input("Reason (recorded in the audit trail)", key="edit_reason")
    save = st.form_submit_button("Save the changes", type="primary")
if save:
    try:
        with saving():
            changed = edit_register(engine(), ctx.framework, edit_part["code"], edit_part["part"],
                                    values, actor=ctx.user.email, reason=edit_reason, expected=seen)
    except ChangeRefused as problem:
        refused(problem)
    else:
        if changed:
            saved(f"{edit_label}: {', '.join(f.replace('_', ' ') for f in changed)} changed.",
                  seen_key, "edit_reason", *inputs.values())
        st.info("Nothing differs from what is stored; nothing was saved.")

st.subheader("Statistical neighbours")
st.caption("The areas Luton is compared with besides England, the region and Great Britain. "
           "CIPFA's nearest-neighbour list is not public, so the group started empty: each member "
           "is added with the list or publication it was taken from, and every change needs a "
           "reason (kept in the audit trail). A removed member's values are kept but not shown.")
members = group_members(engine())
groups = list(dict.fromkeys(members["group"])) or ["Statistical neighbours"]
group = (st.selectbox("Group", groups, key="neighbour_group") if len(groups) > 1 else groups[0])
in_group = members[(members["group"] == group) & (members["member"] != "")]
if in_group.empty:
    st.info(f"{group} has no members yet.", icon=":material/groups:")
else:
    show_table(in_group[["member", "source"]], key="neighbours", title=group)
NEIGHBOUR_INPUTS = ("neighbour_name", "neighbour_source", "neighbour_reason")
with st.form("add_neighbour"):
    left, right = st.columns(2)
    name = left.text_input("Area to add", placeholder="the council, as the list names it",
                           key="neighbour_name")
    source = right.text_input("Source (the list it was taken from)", key="neighbour_source")
    neighbour_reason = st.text_input("Reason (recorded in the audit trail)", key="neighbour_reason")
    add_neighbour = st.form_submit_button("Add the neighbour")
if add_neighbour:
    try:
        with saving():
            change_group(engine(), "add", group, [(name, source)], actor=ctx.user.email,
                         reason=neighbour_reason)
    except ChangeRefused as problem:
        refused(problem)
    else:
        saved(f"{' '.join(name.split())} added to {group}.", *NEIGHBOUR_INPUTS)
if not in_group.empty:
    with st.form("remove_neighbour"):
        gone = st.selectbox("Area to remove", in_group["member"].tolist(), key="neighbour_remove")
        remove_reason = st.text_input("Reason (recorded in the audit trail)", key="neighbour_remove_reason")
        remove_neighbour = st.form_submit_button("Remove the neighbour")
    if remove_neighbour:
        try:
            with saving():
                change_group(engine(), "remove", group, [(gone, "")], actor=ctx.user.email,
                             reason=remove_reason)
        except ChangeRefused as problem:
            refused(problem)
        else:
            saved(f"{gone} removed from {group}.", "neighbour_remove_reason")

st.subheader("Fingertips indicator IDs")
st.caption("Which of Public Health England's Fingertips indicators a part is, so that a "
           "Fingertips data download can be imported as benchmark values (Quarterly returns page).")
mapped = fingertips_ids(engine(), ctx.framework)
if mapped.empty:
    st.info("No indicator part has a Fingertips ID yet.", icon=":material/link_off:")
else:
    show_table(mapped[["code", "part", "fingertips_id", "source"]], key="fingertips_ids",
               title="Fingertips indicator IDs")
ft_label = st.selectbox("Indicator part", labels, key="fingertips_part")
ft_part = indicators.iloc[labels.index(ft_label)]
ft_now = mapped[(mapped["code"] == ft_part["code"]) & (mapped["part"] == ft_part["part"])]
ft_form = f"{ft_part['code']}|{ft_part['part']}"
ft_inputs = {f: f"fingertips_{f}|{ft_form}" for f in ("id", "source", "reason")}
with st.form("fingertips"):
    left, right = st.columns(2)
    ft_id = left.text_input("Fingertips indicator ID", key=ft_inputs["id"],
                            value=str(ft_now["fingertips_id"].iloc[0]) if len(ft_now) else "")
    ft_source = right.text_input("Source (where the ID was looked up)", key=ft_inputs["source"],
                                 value=str(ft_now["source"].iloc[0]) if len(ft_now) else "")
    ft_reason = st.text_input("Reason (optional; recorded in the audit trail)", key=ft_inputs["reason"])
    save_left, remove_right = st.columns(2)
    save_ft = save_left.form_submit_button("Save the Fingertips ID")
    remove_ft = remove_right.form_submit_button("Remove the Fingertips ID", disabled=ft_now.empty)
if save_ft or remove_ft:
    try:
        with saving():
            set_fingertips_indicator(engine(), ctx.framework, ft_part["code"], ft_part["part"],
                                     None if remove_ft else ft_id, source=ft_source,
                                     actor=ctx.user.email, reason=ft_reason)
    except ChangeRefused as problem:
        refused(problem)
    else:
        saved(f"{ft_label}: " + ("Fingertips ID removed." if remove_ft
                                 else f"Fingertips indicator {ft_id.strip()}."), *ft_inputs.values())

st.subheader("Sign-off of returns")
on = st.toggle("Imported returns wait for a performance officer's approval",
               value=sign_off_required(engine()), key="sign_off")
if on != sign_off_required(engine()):
    with saving():
        set_setting(engine(), "sign_off_required", "yes" if on else "no", actor=ctx.user.email)
    st.success("Sign-off is now " + ("on." if on else "off."))
