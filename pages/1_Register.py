"""The indicator register: every indicator part, filterable, with its definition and targets."""

import streamlit as st

from performance.register import (
    filter_indicators,
    indicator_parts,
    indicator_summary,
    lead_partner_options,
    register_table,
    stated_values,
    target_history,
)
from performance.tables import TARGET_BLANKS
from performance.vocabulary import KIND_LABELS, KINDS
from ui.page import demo_banner, page_setup
from ui.tables import show_table

ctx = page_setup("Indicator register")
st.title("Indicator register")

indicators = filter_indicators(ctx.register.indicators, framework=ctx.framework)
col_board, col_kind, col_lead, col_search = st.columns([3, 2, 2, 3])
boards = col_board.multiselect("Theme board", sorted(indicators["theme_board"].unique()),
                               key="board")
kinds = col_kind.multiselect("Kind", [k for k in KINDS if k in set(indicators["kind"])],
                             format_func=KIND_LABELS.get, key="kind")
leads = col_lead.multiselect("Lead partner", lead_partner_options(indicators), key="lead")
search = col_search.text_input("Search code, title or partner", key="search")

parts = filter_indicators(indicators, theme_boards=boards, kinds=kinds, lead_partners=leads,
                          search=search)
table = register_table(ctx.register, parts)
st.caption(f"{table['code'].nunique()} indicators, {len(table)} indicator parts shown. "
           "Select a row to see its definition, targets and sources.")
event = show_table(table.drop(columns="framework"), key="register_table", title="Indicator register",
                   about={"Framework": ctx.framework}, on_select="rerun",
                   selection_mode="single-row")

rows = event.selection.rows if event else []
code = table.iloc[rows[0]]["code"] if rows else st.query_params.get("code")
if code and code in set(table["code"]):
    st.query_params["code"] = code
    detail = indicator_parts(ctx.register, ctx.framework, code)
    first = detail.iloc[0]
    st.subheader(f"{code} · {first['title']}")
    st.markdown(indicator_summary(first))
    show_table(detail[["part", "unit", "polarity", "measure", "frequency", "baseline",
                       "baseline_period", "baseline_text", "comparator", "notes", "source"]],
               key="register_definition", title=f"{code} definition")
    st.markdown("**Targets by year and version** (the original first, then later versions in the "
                "order they took effect; the one in force is ticked)")
    show_table(target_history(ctx.register, ctx.framework, code), key="register_targets",
               title=f"{code} targets", blanks=TARGET_BLANKS)
    values = stated_values(ctx.register, ctx.framework, code)
    if len(values):
        st.markdown("**Values**")
        demo_banner(values)
        show_table(values, key="register_values", title=f"{code} values")
