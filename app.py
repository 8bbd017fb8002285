"""Home page of the LSP performance dashboard (run: streamlit run app.py)."""

import streamlit as st

from performance.register import filter_indicators
from ui.page import page_setup

ctx = page_setup("Home")

st.title("Luton Forum performance dashboard")
fw = ctx.register.frameworks.set_index("framework").loc[ctx.framework]
parts = filter_indicators(ctx.register.indicators, framework=ctx.framework)
st.markdown(
    f"**{fw['title'] or ctx.framework}**, {fw['first_year']} to {fw['last_year']}: "
    f"{parts['code'].nunique()} indicators ({len(parts)} indicator parts) across "
    f"{parts['theme_board'].nunique()} theme boards."
)
counts = parts.drop_duplicates("code").groupby(["theme_board", "kind"]).size().unstack(fill_value=0)
st.dataframe(counts, width="stretch")
st.page_link("pages/1_Register.py", label="Open the indicator register", icon=":material/list_alt:")
