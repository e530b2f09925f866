"""Downloads of exactly what is shown, with a citation line."""
from __future__ import annotations

import io
from typing import Callable

import pandas as pd
import streamlit as st

from ..fmt import citation_text  # noqa: F401  (moved down for the views; re-exported)
from ..i18n import t


def to_csv_bytes(df: pd.DataFrame, citation: str) -> bytes:
    buf = io.StringIO()
    buf.write(f"# {citation}\n")
    df.to_csv(buf, index=False)
    return buf.getvalue().encode("utf-8-sig")


def to_xlsx_bytes(df: pd.DataFrame, citation: str, sheet: str = "data") -> bytes:
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        df.to_excel(writer, index=False, sheet_name=sheet, startrow=2)
        ws = writer.sheets[sheet]
        ws.cell(row=1, column=1, value=citation)
    return buf.getvalue()


def download_buttons(df: pd.DataFrame | Callable[[], pd.DataFrame], citation: str, basename: str, lang: str,
                     key: str) -> None:
    """CSV and XLSX buttons. `df` may be a function returning the table, so that not even the table is built
    unless a reader clicks (a national ranking's 10,000-row download table was ~10 ms of every rerun)."""
    # The files are made on click (deferred data), not on every rerun: writing the XLSX took ~60 ms of each
    # rerun of a 63-row page (docs/performance.md). No rerun on download: the view does not change.
    table = df if callable(df) else (lambda: df)
    c1, c2 = st.columns(2)
    c1.download_button(t("common.download_csv", lang), lambda: to_csv_bytes(table(), citation), file_name=f"{basename}.csv",
                       mime="text/csv", key=f"{key}_csv", icon=":material/download:", on_click="ignore")
    c2.download_button(t("common.download_xlsx", lang), lambda: to_xlsx_bytes(table(), citation),
                       file_name=f"{basename}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       key=f"{key}_xlsx", icon=":material/download:", on_click="ignore")
    st.caption(f"{t('common.citation', lang)}: {citation}")
