"""Router: page config, language, navigation. Pages live in pages/, logic in cchc_data/."""

import os

import streamlit as st

from cchc_data.i18n import LANGS, t
from cchc_data.ui.page import embedded, routed
from cchc_data.ui.state import raw_param, read_lang, set_param

# The icon is our own file, served by this server: a ":material/…:" page icon made every browser fetch it from
# Google's font CDN on each page load (issue 17 §5: works offline, no reader leaks to a third party). Named by its
# static URL (static/page_icon.png, server.enableStaticServing), Streamlit hands it to the browser as it is; a file
# path made every run decode the PNG with PIL and register it with the media file manager (~0.4 ms a new session).
ICON_URL = "/app/static/page_icon.png"
st.set_page_config(page_icon=ICON_URL, layout="wide")

# The URL decides the language when it names one we have not applied yet; otherwise the session keeps
# its language across page changes (navigation drops query params) and writes it back to the URL.
_raw_lang = raw_param("lang")
if "lang" not in st.session_state or (_raw_lang is not None and _raw_lang != st.session_state.get("_seen_lang")):
    st.session_state["lang"] = read_lang()
# An embed (?embed=true, the pages' "embed" option) shows the view alone: no sidebar, no navigation, no switch.
EMBED = embedded()
if EMBED:
    lang = st.session_state["lang"]
else:
    lang = st.sidebar.segmented_control(
        t("lang.label", st.session_state["lang"]),
        LANGS,
        key="lang",
        format_func=lambda code: t(f"lang.{code}", code),
        required=True,
    )
set_param("lang", lang)

PAGES = [
    st.Page("pages/overview.py", title=t("nav.overview", lang), icon=":material/home:", default=True),
    st.Page(
        "pages/rankings.py", title=t("nav.rankings", lang), icon=":material/format_list_numbered:", url_path="rankings"
    ),
    st.Page("pages/map.py", title=t("nav.map", lang), icon=":material/map:", url_path="map"),
    st.Page("pages/components.py", title=t("nav.components", lang), icon=":material/grid_on:", url_path="components"),
    st.Page("pages/compare.py", title=t("nav.compare", lang), icon=":material/compare_arrows:", url_path="compare"),
    st.Page("pages/unit.py", title=t("nav.unit", lang), icon=":material/badge:", url_path="unit"),
    st.Page(
        "pages/methodology.py", title=t("nav.methodology", lang), icon=":material/menu_book:", url_path="methodology"
    ),
    st.Page("pages/data.py", title=t("nav.data", lang), icon=":material/database:", url_path="data"),
]
# The benchmark's floor page (benchmarks/floor_page.py): served only when the benchmark asks, never in production.
if os.environ.get("CCHC_BENCH_FLOOR") == "1":
    PAGES.append(st.Page("benchmarks/floor_page.py", title="floor", url_path="floor"))
page = st.navigation(PAGES, position="hidden" if EMBED else "sidebar")
# The browser tab names the page, in the reader's language.
st.set_page_config(page_title=f"{page.title} · {t('app.short', lang)}")
# Streamlit serves <html lang="en"> whatever the page language and has no setting for it; screen readers and
# the browser's translate offer read it, so the page sets it (a one-line script, no iframe).
(st if EMBED else st.sidebar).html(
    f"<script>document.documentElement.lang = {lang!r};</script>", unsafe_allow_javascript=True
)
with routed():
    page.run()
