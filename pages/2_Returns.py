"""Quarterly returns: download a template, upload it, preview the RAG status, then save."""

import streamlit as st

from data_loaders.benchmarks_store import read_benchmark_values, store_benchmark_values
from data_loaders.comparators_file import check_comparators_upload
from data_loaders.database import (
    ReturnConflict,
    current_versions,
    file_checksum,
    sign_off_required,
    store_returns,
)
from data_loaders.returns_file import build_template, check_returns_file
from performance.access import in_scope, out_of_scope
from performance.comparators import comparators_preview, preview_summary
from performance.register import filter_indicators, lead_partner_options, reportable_periods
from performance.returns import action_warnings, errors_table, name_problem, preview, preview_table
from ui.page import engine, page_setup, saving
from ui.tables import show_grid

ctx = page_setup("Quarterly returns", required_role="editor")
st.title("Quarterly returns")

st.subheader("1. Download the template")
indicators = filter_indicators(ctx.register.indicators, framework=ctx.framework)
indicators = indicators[in_scope(ctx.user, indicators)]  # an editor sees only their own
if indicators.empty:
    st.warning("No indicators are assigned to you in this framework; ask an administrator.")
    st.stop()
col_period, col_board, col_lead = st.columns(3)
periods = reportable_periods(ctx.register, ctx.framework)
period = col_period.selectbox("Period", periods, index=len(periods) - 1, key="template_period")
boards = col_board.multiselect("Theme board", sorted(indicators["theme_board"].unique()),
                               key="template_board")
leads = col_lead.multiselect("Lead partner", lead_partner_options(indicators), key="template_lead")
scope = filter_indicators(indicators, theme_boards=boards, lead_partners=leads)
st.download_button(
    f"Download the template for {period} ({scope['code'].nunique()} indicators)",
    build_template(ctx.register, ctx.framework, period, scope),
    file_name=f"returns {period.replace('/', '-')}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    icon=":material/download:")

if ctx.user.can("sign_off"):  # performance officers and administrators
    with st.expander("Benchmark values: England, the region, Great Britain, statistical neighbours"):
        st.caption("An .xlsx or .csv with the columns code, part, area, period, value, count, "
                   "denominator, lower_95, upper_95, lower_998, upper_998, source (part, the counts and "
                   "the limits optional), or a Fingertips data download (for the parts the "
                   "Administration page maps to a Fingertips ID). Checked whole, as "
                   "`python manage.py import-comparators` checks it: a file with any problem saves "
                   "nothing. See docs/benchmarks.md.")
        comparators = st.file_uploader("Benchmark values file", type=["xlsx", "csv"],
                                       key="comparators_upload")
        if done := st.session_state.pop("comparators_done", None):
            st.success(done)
        if comparators is not None:
            comparators_data = comparators.getvalue()
            checked = check_comparators_upload(engine(), ctx.register, comparators_data, comparators.name)
            for warning in checked.warnings:
                st.warning(warning)
            if not checked.ok:
                st.error(f"**{comparators.name}** cannot be imported; nothing was saved. "
                         f"Fix these {len(checked.errors)} problems and upload it again:")
                show_grid(errors_table(checked.errors))
            else:
                shown = comparators_preview(checked.rows, read_benchmark_values(engine()))
                st.markdown(f"**Check the preview** · {preview_summary(shown)} from {comparators.name}")
                show_grid(shown)
                if st.button("Confirm and save", type="primary", key="save_comparators"):
                    with saving():
                        result = store_benchmark_values(engine(), checked.rows, file_name=comparators.name,
                                                        checksum=file_checksum(comparators_data),
                                                        submitted_by=ctx.user.email)
                    # the load changes the data version: every page shows the values on its next run
                    st.session_state["comparators_done"] = (
                        f"Saved: {result['summary']} (load {result['load_id']}). "
                        "Every page now compares with them.")
                    st.rerun()

st.subheader("2. Upload the filled-in template")
if ctx.user.local:
    submitted_by = st.text_input("Submitted by", value=st.session_state.get("submitted_by", ""),
                                 placeholder="your name or email", key="submitted_by")
else:
    submitted_by = ctx.user.email
name_refused = name_problem(submitted_by)
if name_refused:
    st.error(f"**Submitted by**: {name_refused}")
upload = st.file_uploader("Returns workbook (.xlsx)", type=["xlsx"], key="returns_upload")
if upload is not None:
    data = upload.getvalue()
    check = check_returns_file(ctx.register, data, upload.name)
    if not check.ok:
        st.error(f"**{upload.name}** cannot be imported; nothing was saved. "
                 f"Fix these {len(check.errors)} problems and upload it again:")
        show_grid(errors_table(check.errors))
        st.stop()
    refused = out_of_scope(ctx.user, check.rows, ctx.register.indicators)
    if refused:  # checked on the server, whatever the template offered
        st.error(f"You may not submit returns for {', '.join(refused)}; nothing was saved.")
        st.stop()
    previewed = preview(ctx.register, check.rows)
    st.markdown(f"**3. Check the preview** · {len(previewed)} values from {upload.name}")
    show_grid(preview_table(previewed))
    warnings = check.warnings + action_warnings(previewed)
    if warnings:
        st.warning(f"{len(warnings)} things to check (they do not stop the import):")
        show_grid(errors_table(warnings))
    seen_key = f"versions:{file_checksum(data)}"
    if seen_key not in st.session_state:  # what was stored when this person first saw the preview
        st.session_state[seen_key] = current_versions(engine(), check.rows)
    if st.button("Confirm and save", type="primary", disabled=not submitted_by.strip() or bool(name_refused)):
        bar = st.progress(0.0, text="Saving…")
        try:
            with saving():
                state = "submitted" if sign_off_required(engine()) else "published"
                result = store_returns(
                    engine(), check.rows, file_name=upload.name, checksum=file_checksum(data),
                    submitted_by=submitted_by.strip(), expected_versions=st.session_state[seen_key],
                    state=state,
                    progress=lambda done, total: bar.progress(done / total, text=f"Saving {done}/{total}"))
        except ReturnConflict as conflict:
            st.error(str(conflict))
        else:
            st.session_state.pop(seen_key)
            st.success(f"Saved: {result['summary']}. " + (
                "They wait for a performance officer's sign-off before they are published."
                if state == "submitted" else "Every page now shows the new figures."))
    elif not submitted_by.strip():
        st.caption("Enter your name above to save.")
