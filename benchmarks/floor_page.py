"""The benchmark's floor: a page that runs app.py's router, language switch and sidebar and draws nothing else.

Served only when CCHC_BENCH_FLOOR=1 (benchmarks/browser.py sets it), so each page's server CPU per new session
can be printed as a ratio to what any page costs before it draws. With ?elements=N it also draws N one-line
Markdown elements (the cheapest element a page draws): the benchmark's probe of what one more element costs."""

import streamlit as st

from cchc_data.ui.page import run_page


def _draw(lang: str) -> None:
    try:
        n = min(int(st.query_params.get("elements", "0")), 500)
    except ValueError:
        n = 0
    for i in range(n):
        st.markdown(f"element {i}")


run_page("nav.overview", _draw)
