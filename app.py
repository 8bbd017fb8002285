"""Overview: the Performance Management Sub-Group's quarterly review (streamlit run app.py)."""

import streamlit as st

from data_loaders.database import count_pending, database_description
from performance.benchmark_rating import red_red, with_labels
from performance.exports import overview_table, report_pack
from performance.overview import (
    apply_filters,
    board_counts_table,
    counts_sentence,
    exceptions,
    latest_period,
    period_options,
    previous_quarter,
    rag_counts,
    signed,
)
from performance.vocabulary import METRIC_DELTA_COLOURS, STATUSES, status_badge
from ui.benchmarks import benchmark_picker, period_with_benchmarks
from ui.filters import filter_widgets, url_select
from ui.page import demo_banner, engine, load_rated, page_setup
from ui.tables import XLSX, show_status_matrix, show_table

ctx = page_setup("Overview")
st.title("Performance overview")
if ctx.user.can("sign_off") and (waiting := count_pending(engine())):
    st.info(f"**{waiting} returns are waiting for sign-off.**", icon=":material/task_alt:")
    st.page_link("pages/5_Sign_off.py", label="Review them", icon=":material/task_alt:")

rated = load_rated(ctx.framework)
periods = period_options(rated)
period = url_select("Period", periods, "period", default=latest_period(rated))
benchmark = benchmark_picker()
filters = filter_widgets(rated)
rows = apply_filters(rated, filters)

counts = rag_counts(rows, period)
st.subheader(f"{period}: {counts_sentence(counts)}")
st.caption(f"Indicators counted by their worst part; change since {previous_quarter(period)}. "
           f"Filters: {filters.describe()}.")
overall = counts.iloc[0]
for column, status in zip(st.columns(len(STATUSES)), STATUSES, strict=True):
    change = int(overall[f"{status}_change"])
    column.metric(status_badge(status), int(overall[status]), delta=change or None,
                  delta_color=METRIC_DELTA_COLOURS[status],
                  help=f"{signed(change)} since {previous_quarter(period)}")
show_table(board_counts_table(counts), key="board_counts", title=f"RAG counts {period}",
           about={"Period": period, "Filters": filters.describe()})

st.subheader("Exceptions")
chased = exceptions(rows, period)
if chased.empty:
    st.success("No reds, no worsening ambers and no forecasts short of target.")
else:
    show_table(chased[["code", "part", "title", "theme_board", "listed_for", "value", "unit", "target",
                       "status", "direction", "forecast_year_end", "forecast_status", "reason",
                       "commentary", "action", "is_demo"]],
               key="exceptions", title=f"Exceptions {period}",
               about={"Period": period, "Filters": filters.describe()})

st.subheader(f"Red-red: off target and worse than {benchmark}")
st.caption(f"Red against the target and significantly worse than {benchmark} (its value outside the "
           "95% confidence interval, on the worse side), or getting worse over the last five points.")
compared = period_with_benchmarks(ctx.framework, period, benchmark)
reds = red_red(compared.loc[compared.index.intersection(rows.index)])
if reds.empty:
    st.success(f"No indicator is both red and worse than {benchmark} or getting worse.")
else:
    show_table(with_labels(reds)[["code", "part", "title", "theme_board", "value", "unit", "target", "status",
                                  "lower_95", "upper_95", "benchmark_value", "benchmark_period",
                                  "compared_with_benchmark", "trend", "reason"]],
               key="red_red", title=f"Red-red {period}",
               about={"Period": period, "Compared with": benchmark, "Filters": filters.describe()})

st.subheader("Every indicator part")
table = overview_table(rows, period)
demo_banner(table)
show_table(table, key="parts", title=f"Indicators {period}",
           about={"Period": period, "Filters": filters.describe()})

if ctx.user.can("sign_off"):
    st.subheader("Quarterly report pack")
    st.caption("The workbook the sub-group circulates: summary with change since last quarter, one "
               "sheet per theme board, and the exceptions with commentary and action.")
    if st.button(f"Build the report pack for {period}", icon=":material/summarize:", key="build_pack"):
        bar = st.progress(0.0, text="Building the report pack…")
        st.session_state["report_pack"] = (period, report_pack(
            ctx.register, rated, period, framework=ctx.framework,
            about={"Data": database_description(), "Built by": ctx.user.email},
            progress=lambda done, total: bar.progress(done / max(total, 1), text=f"Rows {done}/{total}")))
    built = st.session_state.get("report_pack")
    if built and built[0] == period:
        st.download_button(f"Download the report pack {period}", built[1],
                           file_name=f"report pack {period.replace('/', '-')}.xlsx", mime=XLSX,
                           icon=":material/download:", key="download_pack")

st.subheader("Three years at a glance")
st.caption(f"Every indicator part in every quarter and at each year end; {period} is marked. Hover "
           "over a cell for the reason; grey statuses are never counted as red.")
show_status_matrix(rows, key="matrix", period=period)
