"""The public scorecard: how the area is doing, for anyone, without signing in.

    .venv/bin/streamlit run scorecard/app.py --server.port 8502

Its own entry in its own folder: Streamlit serves the ``pages/`` folder beside the main script,
and there is none beside this one, so no staff page is reachable from this port. It imports
nothing of the staff app's pages or page guard.
"""

import sys
from pathlib import Path

# Streamlit puts this file's folder on the path; the project's packages live one up.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import streamlit as st  # noqa: E402

from performance.exports import table_csv  # noqa: E402
from performance.figures import part_label  # noqa: E402
from performance.overview import counts_sentence, latest_period, period_options, rag_counts  # noqa: E402
from performance.public import chart_summary, chart_table, counts_table, parts_table  # noqa: E402
from scorecard.chart import CHART_CAPTION, PUBLIC_BENCHMARK, public_comparison, public_trajectory  # noqa: E402
from scorecard.scorecard import database_ready, load_public, load_public_benchmarks, page_setup  # noqa: E402

page_setup("How the area is doing")
st.title("Luton Forum: how the area is doing")
st.markdown("The Luton Forum's partners agreed targets for the area. This page shows, for each "
            "target, the latest figure the partnership has **published**, whether it is on track "
            "(green), close (amber) or off track (red), and why.")

problem = database_ready()
if problem:
    st.info("The scorecard is not available at the moment. Please try again later.")
    st.stop()
frameworks, register, rated = load_public()
if not frameworks or rated is None:
    st.info("No figures have been published on this page yet.")
    st.stop()


def choose(label: str, options: list[str], param: str, default: str) -> str:
    """A choice kept in the page address, so a link opens the same view."""
    wanted = st.query_params.get(param) or default
    value = st.selectbox(label, options, index=options.index(wanted) if wanted in options else
                         options.index(default), key=f"public_{param}")
    st.query_params[param] = value
    return value


titles = register.frameworks.set_index("framework")["title"].to_dict()
frameworks = [f for f in frameworks if f in titles]
framework = choose("Agreement", list(frameworks), "framework", frameworks[0]) if len(frameworks) > 1 \
    else frameworks[0]
rows = rated[rated["framework"] == framework]
periods = period_options(rows)
period = choose("Period", periods, "period", latest_period(rows) or periods[-1])
st.header(f"{titles.get(framework) or framework}, {period}")

now = rows[rows["period"] == period]
counts = rag_counts(rows, period)
st.subheader("Summary")
st.markdown(f"Indicators counted by their worst part: **{counts_sentence(counts)}**.")
st.table(counts_table(counts).set_index("Theme board"))

table = parts_table(now)
st.download_button("Download these figures (CSV)", table_csv(table),
                   file_name=f"luton-scorecard-{period.replace('/', '-').replace(' ', '-')}.csv",
                   mime="text/csv", key="public_csv", on_click="ignore")

st.subheader("Theme boards")
for board in sorted(now["theme_board"].unique()):
    board_rows = now[now["theme_board"] == board]
    st.markdown(f"### {board}")
    st.table(parts_table(board_rows).set_index("Indicator"))

st.subheader("Trajectory of an indicator")
labels = {part_label(r.code, r.part): (r.code, r.part) for r in now.itertuples(index=False)}
if not labels:
    st.stop()
chosen = choose("Indicator", list(labels), "indicator", next(iter(labels)))
code, part = labels[chosen]
part_rows = rows[(rows["code"] == code) & (rows["part"] == part)]
summary = chart_summary(part_rows)
st.markdown(summary)
compared = public_comparison(part_rows, *load_public_benchmarks())
st.plotly_chart(public_trajectory(compared, register.targets, title=chosen),
                width="stretch", key="public_trajectory",
                config={"displaylogo": False, "displayModeBar": False})
st.caption(CHART_CAPTION)
st.markdown(f"The chart as a table ({chosen}):")
st.table(chart_table(compared, PUBLIC_BENCHMARK).set_index("Period"))
