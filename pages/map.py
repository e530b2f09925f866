"""/map — built in its own issue."""
from cchc_data.ui.page import run_page


def render(lang: str) -> None:
    import streamlit as st

    from cchc_data.i18n import t

    st.info(t("notice.no_data", lang))


run_page("nav.map", render)
