"""Overview: the Performance Management Sub-Group's quarterly review (streamlit run app.py)."""

from functools import partial

import streamlit as st

from data_loaders.database import count_pending, database_description
from performance import reward
from performance.benchmark_rating import red_red, with_labels
from performance.exports import COMPARISON_BLANKS, overview_table, report_pack
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
from ui.filters import filter_panel, url_select
from ui.page import demo_banner, engine, load_rated, open_view, page_setup, with_reasons
from ui.reasons import matrix_rows
from ui.tables import TABLE_PAGE_ROWS, XLSX, page_picker, show_status_matrix, show_table

ctx = page_setup("Overview")
st.title("Performance overview")
if ctx.user.can("sign_off") and (waiting := count_pending(engine())):
    st.info(f"**{waiting} returns are waiting for sign-off.**", icon=":material/task_alt:")
    st.page_link("pages/5_Sign_off.py", label="Review them", icon=":material/task_alt:")

rated = load_rated(ctx.framework)
periods = period_options(rated)
period = url_select("Period", periods, "period", default=latest_period(rated))
benchmark = benchmark_picker()
filters = filter_panel(rated)
rows = apply_filters(rated, filters)
# Reasons are built for the rows shown (the exceptions, the table's page, the matrix's page).
in_period = rows[rows["period"] == period]
demo_banner(in_period)

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
           about={"Period": period, "Filters": filters.describe()}, plain=True)

# The detail is in views (tabs): only the open one is built and drawn (a first visit draws the
# exceptions, not every table and the three-year matrix); the URL names it (?view=Red-red).
EXCEPTIONS, RED_RED, PARTS = "Exceptions", "Red-red", "Every indicator part"
MATRIX, REWARD, REPORTS = "Three years at a glance", "Reward estimate", "Report pack and paper"
views = [EXCEPTIONS, RED_RED, PARTS, MATRIX, REWARD] + ([REPORTS] if ctx.user.can("sign_off") else [])
view, tab = open_view(views, key="view")
with tab:
    if view == EXCEPTIONS:
        st.caption("Reds, ambers getting worse and year-end forecasts short of target, with their "
                   "commentary and action.")
        chased = with_reasons(exceptions(in_period, period))
        if chased.empty:
            st.success("No reds, no worsening ambers and no forecasts short of target.")
        else:
            show_table(chased[["code", "part", "title", "theme_board", "listed_for", "value", "unit",
                               "target", "status", "direction", "forecast_year_end", "forecast_status",
                               "reason", "commentary", "action", "is_demo"]],
                       key="exceptions", title=f"Exceptions {period}",
                       about={"Period": period, "Filters": filters.describe()})

    elif view == RED_RED:
        st.subheader(f"Red-red: off target and worse than {benchmark}")
        st.caption(f"Red against the target and significantly worse than {benchmark} (its value outside the "
                   "95% confidence interval, on the worse side), or getting worse over the last five points.")
        compared = period_with_benchmarks(ctx.framework, period, benchmark)
        reds = with_reasons(red_red(compared.loc[compared.index.intersection(rows.index)]))
        if reds.empty:
            st.success(f"No indicator is both red and worse than {benchmark} or getting worse.")
        else:
            show_table(with_labels(reds)[["code", "part", "title", "theme_board", "value", "unit", "target",
                                          "status", "lower_95", "upper_95", "benchmark_value",
                                          "benchmark_period", "compared_with_benchmark", "trend", "reason"]],
                       key="red_red", title=f"Red-red {period}",
                       about={"Period": period, "Compared with": benchmark, "Filters": filters.describe()})

    elif view == PARTS:
        st.caption(f"Compared with {benchmark}: the count and denominator, the 95% interval, {benchmark}'s "
                   "value and its period, the comparison at 95% and 99.8% and the recent trend follow the "
                   "action.")
        compared = period_with_benchmarks(ctx.framework, period, benchmark)
        first, last = page_picker(len(in_period), TABLE_PAGE_ROWS, key="parts_page", what="indicator parts")
        table = overview_table(with_reasons(in_period.iloc[first:last]), period, compared)
        show_table(table, key="parts", title=f"Indicators {period}", blanks=COMPARISON_BLANKS,
                   about={"Period": period, "Compared with": benchmark, "Filters": filters.describe()},
                   # every row on a click; a partial, not a lambda, which would keep this run's
                   # variables (every frame above) alive with the session until it ends
                   export=partial(overview_table, rows if rows is rated else in_period, period, compared))

    elif view == MATRIX:
        st.caption(f"Every indicator part in every quarter and at each year end; {period} is marked. Hover "
                   "over a cell for the reason; grey statuses are never counted as red.")
        show_status_matrix(matrix_rows(rows, key="matrix"), key="matrix", period=period)

    elif view == REWARD:
        estimate = reward.estimate(rows, period, ctx.register.settings, ctx.register.indicators)
        if estimate.empty:
            st.caption("No reward-eligible indicator parts among those shown.")
        else:
            st.caption("**Indicative only.** For each reward-eligible part, the share of the improvement "
                       "from its baseline to this year's target achieved so far and at the year-end forecast."
                       + ("" if reward.rule(ctx.register.settings) else " " + reward.NOT_TRACED))
            show_table(reward.display(estimate), key="reward", title=f"Indicative reward estimate {period}",
                       about={"Period": period, "Filters": filters.describe(), "Basis": "Indicative"})

    elif view == REPORTS:
        compared = period_with_benchmarks(ctx.framework, period, benchmark)
        st.caption("The workbook the sub-group circulates: summary with change since last quarter, one "
                   f"sheet per theme board, the exceptions with commentary and action, and every part "
                   f"compared with {benchmark}.")
        if st.button(f"Build the report pack for {period}", icon=":material/summarize:", key="build_pack"):
            bar = st.progress(0.0, text="Building the report pack…")
            st.session_state["report_pack"] = (period, report_pack(
                ctx.register, rated, period, framework=ctx.framework, compared=compared,
                about={"Data": database_description(), "Built by": ctx.user.email},
                progress=lambda done, total: bar.progress(done / max(total, 1), text=f"Rows {done}/{total}")))
            st.session_state["report_pack_benchmark"] = benchmark
        built = st.session_state.get("report_pack")
        if built and built[0] == period and st.session_state.get("report_pack_benchmark") == benchmark:
            st.download_button(f"Download the report pack {period}", built[1],
                               file_name=f"report pack {period.replace('/', '-')}.xlsx", mime=XLSX,
                               icon=":material/download:", key="download_pack")
        st.caption("The Forum's paper (PDF, A4): summary, the exceptions with commentary, action and "
                   f"trajectory, and a section per theme board with its charts, compared with {benchmark}.")
        if st.button(f"Build the Forum's paper for {period} (PDF)", icon=":material/picture_as_pdf:",
                     key="build_paper"):
            from performance.benchmark_rating import with_benchmarks
            from performance.paper import build_paper
            from ui.benchmarks import load_benchmark_data

            with st.spinner("Laying out the paper…"):
                _, benchmark_values, series = load_benchmark_data()
                # once for every period the paper's charts show (the picker's comparison is one period's)
                every_period = with_benchmarks(rated, benchmark, benchmark_values, series)
                st.session_state["forum_paper"] = (period, ctx.framework, benchmark, build_paper(
                    ctx.register, rated, period, framework=ctx.framework, data_note=database_description(),
                    benchmark=benchmark, compared=every_period))
        paper = st.session_state.get("forum_paper")
        if paper and paper[:3] == (period, ctx.framework, benchmark):
            st.download_button(f"Download the Forum's paper {period}", paper[3],
                               file_name=f"forum paper {period.replace('/', '-')}.pdf",
                               mime="application/pdf", icon=":material/download:", key="download_paper")
