"""/data — the public tables for download (CSV and Parquet), the schema, and licences.

One view (cchc_data.views.data.build_data_view), drawn top to bottom; the files are made on click."""

import streamlit as st

from cchc_data import queries as q
from cchc_data.i18n import t
from cchc_data.ui.download import file_button, to_plain_csv_bytes
from cchc_data.ui.page import run_page
from cchc_data.views.data import build_data_view


def render(lang: str) -> None:
    view = build_data_view(lang)
    st.write(view.intro)
    st.caption(view.version)
    st.subheader(t("data.tables", lang))
    for table in view.tables:
        # One wrapping row per table: name and rows, then the two buttons together (under the text on a phone):
        # two blocks and three elements instead of a bordered box with three columns.
        with st.container(border=True, horizontal=True, vertical_alignment="center", gap="small"):
            st.markdown(f"**`{table.name}`** · {table.label}  \n:small[:gray[{table.rows}]]", width="stretch")
            buttons = st.container(horizontal=True, width="content", gap="small")
            file_button(
                buttons,
                t("common.download_csv", lang),
                lambda n=table.name: to_plain_csv_bytes(q.table_for_download(n)),
                f"cchc_{table.name}.csv",
                "text/csv",
                f"csv_{table.name}",
            )
            file_button(
                buttons,
                t("data.download_parquet", lang),
                lambda n=table.name: q.table_parquet_bytes(n),
                f"cchc_{table.name}.parquet",
                "application/vnd.apache.parquet",
                f"pq_{table.name}",
            )
    with st.expander(t("data.schema", lang)):
        st.markdown(view.schema)
    with st.expander(t("data.sources", lang), expanded=True):  # reader-facing, in the page language
        for paragraph in view.sources:
            st.markdown(paragraph)


run_page("nav.data", render)
