"""Theme board page: a board chair's indicators, RAG counts and trajectories at a glance."""

import streamlit as st

from performance.benchmark_figures import add_benchmark_to_multiples
from performance.benchmark_rating import with_benchmarks
from performance.exports import overview_table
from performance.figures import small_multiples
from performance.overview import counts_sentence, latest_period, period_options, rag_counts
from performance.register import board_details
from ui.benchmarks import benchmark_picker, load_benchmark_data
from ui.filters import url_select
from ui.page import demo_banner, load_rated, page_setup, with_reasons
from ui.tables import show_table

ctx = page_setup("Theme boards")
rated = load_rated(ctx.framework)
boards = sorted(rated["theme_board"].unique())
left, middle, right = st.columns([3, 1, 1])
board = url_select("Theme board", boards, "board", default=boards[0], container=left)
period = url_select("Period", period_options(rated), "period", default=latest_period(rated),
                    container=middle)
benchmark = benchmark_picker(container=right)
details = board_details(ctx.register, ctx.framework, board)

st.title(board)
st.markdown(f"**Chair:** {details['chair'] or 'not named in the source documents'} · "
            f"**Theme:** {details['theme'] or '—'}")
rows = with_reasons(rated[rated["theme_board"] == board])  # the charts' hover texts and the table
counts = rag_counts(rows, period)
st.subheader(f"{period}: {counts_sentence(counts)}")

_, benchmark_values, series = load_benchmark_data()
charts = add_benchmark_to_multiples(small_multiples(rows, ctx.register.targets, ctx.register),
                                    with_benchmarks(rows, benchmark, benchmark_values, series), benchmark)
st.caption("Each chart: baseline (dashed), target for each year (refreshed solid, original dotted), "
           "tolerance band, values marked by status (symbol and colour), the year-end forecast, and "
           f"{benchmark} (dashed, where it has values) with this area's 95% interval.")
for start in range(0, len(charts), 3):
    for column, (label, figure) in zip(st.columns(3), charts[start:start + 3], strict=False):
        column.plotly_chart(figure, width="stretch", key=f"chart_{label}",
                            config={"displaylogo": False, "displayModeBar": False})
        column.page_link("pages/4_Indicator.py", label=f"{label}: details",
                         query_params={"code": label.split(" ")[0] + " " + label.split(" ")[1]})

st.subheader(f"The figures for {period}")
table = overview_table(rows, period)
demo_banner(table)
show_table(table, key="board_table", title=f"{board} {period}",
           about={"Theme board": board, "Period": period})
