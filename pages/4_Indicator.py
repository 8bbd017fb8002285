"""Indicator detail: definition, trajectory, targets, every return with its versions, reasons."""

import streamlit as st

from data_loaders.database import edit_commentary, return_history
from performance.access import sees_pending
from performance.benchmark_figures import (
    add_benchmark,
    area_figure,
    area_rows,
    area_sentence,
    area_table,
    compare_areas_figure,
    compare_areas_values,
    no_benchmark_note,
    part_title,
)
from performance.benchmark_rating import with_benchmarks, with_labels
from performance.figures import trajectory_figure
from performance.register import indicator_parts, indicator_summary, target_history
from performance.returns import commentable_values
from performance.tables import TARGET_BLANKS, direction_badge
from ui.areas import area_picker
from ui.benchmarks import benchmark_picker, load_benchmark_data
from ui.filters import url_select
from ui.page import demo_banner, engine, load_rated, page_setup, saving, with_reasons
from ui.tables import show_table

ctx = page_setup("Indicator detail")
rated = load_rated(ctx.framework)
codes = list(dict.fromkeys(rated["code"]))
code = url_select("Indicator", codes, "code", default=codes[0])
benchmark = benchmark_picker()
_, benchmark_values, series = load_benchmark_data()
own_area = ctx.register.frameworks.set_index("framework").loc[ctx.framework, "own_area"]
area = area_picker(benchmark_values, ctx.framework, own_area)
parts = indicator_parts(ctx.register, ctx.framework, code)
first = parts.iloc[0]

st.title(f"{code} · {first['title']}")
st.markdown(indicator_summary(first))
show_table(parts[["part", "unit", "polarity", "measure", "frequency", "baseline", "baseline_period",
                  "baseline_text", "comparator", "notes", "source"]],
           key="definition", title=f"{code} definition")

rows = with_benchmarks(with_reasons(rated[rated["code"] == code]), benchmark, benchmark_values, series)
other = area if area != own_area else None  # another area of the own kind, from the area picker
if other:
    st.info(f"Showing {other}'s values, from the benchmark values, compared with {benchmark}. "
            f"Targets and RAG statuses are {own_area}'s only: {other} has neither here, and the "
            f"targets, statuses and returns further down are {own_area}'s.", icon=":material/info:")
    others = area_rows(rows, benchmark_values, other, benchmark)
for part in parts["part"]:
    part_rows = rows[rows["part"] == part]
    label = f"{code} {part}".strip()
    if other:
        mine = others[others["part"] == part]
        st.markdown(area_sentence(mine, label, other, benchmark))
        if len(mine):
            st.plotly_chart(area_figure(mine, other, benchmark, title=f"{label}: {other}"), width="stretch",
                            key=f"area_{part}", config={"displaylogo": False})
    else:
        latest = part_rows[part_rows["period_value"].notna()].tail(1)
        if len(latest):
            r = latest.iloc[0]
            st.markdown(f"**{label}, {r['period']}:** {r['reason'].rstrip('.')}. "
                        f"Direction: {direction_badge(r['direction']) or 'not known'} on the previous "
                        f"period, {direction_badge(r['direction_year']) or 'not known'} on a year earlier.")
        figure = add_benchmark(trajectory_figure(part_rows, ctx.register.targets, title=label),
                               part_rows, benchmark)
        st.plotly_chart(figure, width="stretch", key=f"trajectory_{part}", config={"displaylogo": False})
        if note := no_benchmark_note(part_rows, benchmark, label):
            st.caption(note)
    areas = compare_areas_values(benchmark_values, part_rows, part_rows["own_area"].iloc[0])
    if len(areas) > 1:
        chart = compare_areas_figure(areas, part_rows["own_area"].iloc[0], title=part_title(part_rows),
                                     unit=str(part_rows["unit"].iloc[0]), chosen=other)
        st.plotly_chart(chart, width="stretch", key=f"compare_areas_{part}", config={"displaylogo": False})

if other:
    st.subheader(f"{other}: values compared with {benchmark}")
    show_table(area_table(others), key="area_values", title=f"{code} {other} values")

st.subheader("Targets: every version")
st.caption("Each year's versions in the order they took effect: the original first, then each "
           "later version from its effective date, with who decided it and why. The one in force "
           "is ticked; values are rated against it.")
show_table(target_history(ctx.register, ctx.framework, code), key="targets", title=f"{code} targets",
           blanks=TARGET_BLANKS)

st.subheader("Status in every period, with the reason")
statuses = with_labels(rows[rows["status"] != "not_due"])
show_table(statuses[["part", "period", "value", "unit", "target", "original_target", "status",
                     "direction", "direction_year", "forecast_year_end", "forecast_basis",
                     "forecast_status", "comparator_value", "reason", "provisional", "is_demo",
                     "lower_95", "upper_95", "benchmark", "benchmark_value", "benchmark_period",
                     "compared_with_benchmark", "trend"]],
           key="statuses", title=f"{code} statuses")

st.subheader("Every return, with its versions")
history = return_history(engine(), ctx.framework, code, include_pending=sees_pending(ctx.user, parts))
demo_banner(history)
show_table(history, key="history", title=f"{code} returns")
st.caption("State: published values are on every page; submitted ones wait for sign-off; "
           "returned ones were sent back with the reason shown.")

if ctx.user.can("sign_off"):
    st.subheader("Edit the commentary of a value")
    values = commentable_values(history, rows["own_area"].iloc[0])
    if not values:
        st.caption("No submitted value yet.")
    else:
        latest = values[st.selectbox("Value", list(values), key="edit_value")]
        with st.form("edit_commentary"):
            commentary = st.text_area("Commentary", value=latest["commentary"], key="edit_commentary")
            action = st.text_area("Action", value=latest["action"], key="edit_action")
            internal = st.checkbox("For the partnership only: keep this commentary and action off "
                                   "the public scorecard", key="edit_internal")
            if st.form_submit_button("Save as a new version"):
                with saving():
                    version = edit_commentary(engine(), ctx.framework, code, latest["part"],
                                              latest["period"], commentary=commentary, action=action,
                                              actor=ctx.user.email, internal=internal)
                st.success(f"Saved as version {version}; the earlier words stay in the history.")
