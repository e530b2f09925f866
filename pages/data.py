"""/data — the public tables for download (CSV and Parquet), the schema, and licences."""


import streamlit as st

from cchc_data import queries as q
from cchc_data.i18n import t
from cchc_data.paths import PROJECT_ROOT
from cchc_data.ui import fmt
from cchc_data.ui.page import run_page


def render(lang: str) -> None:
    st.write(t("data.intro", lang))
    st.caption(t("data.version", lang, version=q.data_version()))
    st.subheader(t("data.tables", lang))
    rows = q.table_rows()
    for name in q.PUBLIC_TABLES:
        with st.container(border=True):
            c1, c2, c3 = st.columns([3, 1, 1])
            c1.markdown(f"**`{name}`** · {t(f'data.table.{name}', lang)}")
            c1.caption(t("data.rows", lang, n=fmt.integer(rows.get(name, 0), lang)))
            c2.download_button(
                t("common.download_csv", lang),
                data=lambda n=name: csv_bytes(n),
                file_name=f"cchc_{name}.csv",
                mime="text/csv",
                key=f"csv_{name}",
                icon=":material/download:",
                on_click="ignore",
            )
            c3.download_button(
                t("data.download_parquet", lang),
                data=lambda n=name: q.table_parquet_bytes(n),
                file_name=f"cchc_{name}.parquet",
                mime="application/vnd.apache.parquet",
                key=f"pq_{name}",
                icon=":material/download:",
                on_click="ignore",
            )
    with st.expander(t("data.schema", lang)):
        st.markdown(read_doc("data/README.md"))
    with st.expander(t("data.sources", lang), expanded=True):  # reader-facing, in the page language
        st.markdown(t("data.sources_intro", lang))
        st.markdown(t("data.sources_rows", lang))  # a list: a three-column table was unreadable at 390 px
        st.markdown(t("data.sources_partial", lang))
        st.markdown(t("data.sources_cite", lang))


def csv_bytes(name: str) -> bytes:
    return q.table_for_download(name).to_csv(index=False).encode("utf-8-sig")


@st.cache_data(max_entries=4)
def read_doc(relative: str) -> str:
    """Our own documentation files (not data), shown as Markdown."""
    return (PROJECT_ROOT / relative).read_text(encoding="utf-8")


run_page("nav.data", render)
