"""Downloads of exactly what is shown, with a citation line."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from ..fmt import citation_text  # noqa: F401  (moved down for the views; re-exported)
from ..i18n import t

# A text cell starting with one of these is a formula to Excel/LibreOffice (CSV injection, OWASP): a unit name such as
# =HYPERLINK("http://evil.example/x","Hà Nội") or @SUM(1) must reach the reader as the text it is.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?[0-9][0-9.,]*%?$")  # "-2,5" is a number shown as text, not a formula


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START) and not _PLAIN_NUMBER.match(value)


def _defuse_csv(value: object) -> object:
    """OWASP: a text cell that a spreadsheet would run as a formula gets a leading apostrophe (numbers stay numbers)."""
    return "'" + value if isinstance(value, str) and is_formula_like(value) else value


def _defuse_text_cells(df: pd.DataFrame) -> pd.DataFrame:
    """The table with every text cell defused (a copy; the table itself when it has no text column)."""
    text_cols = [c for c in df.columns if df[c].dtype == object or pd.api.types.is_string_dtype(df[c])]
    if text_cols:
        df = df.copy()
        for c in text_cols:
            df[c] = df[c].map(_defuse_csv)
    return df


def to_csv_bytes(df: pd.DataFrame, citation: str) -> bytes:
    buf = io.StringIO()
    buf.write(f"# {citation}\r\n")  # CRLF (RFC 4180): a CR inside a cell is then quoted
    df = _defuse_text_cells(df)
    df.rename(columns={c: _defuse_csv(c) for c in df.columns if is_formula_like(c)}).to_csv(
        buf, index=False, lineterminator="\r\n"
    )
    return buf.getvalue().encode("utf-8-sig")


def to_xlsx_bytes(df: pd.DataFrame, citation: str, sheet: str = "data") -> bytes:
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        df.to_excel(writer, index=False, sheet_name=sheet, startrow=2)
        ws = writer.sheets[sheet]
        ws.cell(row=1, column=1, value=citation)
        # openpyxl stores a text starting with "=" as a formula: store every formula-like text as text, marked with
        # the quote prefix (Excel shows it as typed and keeps it text when the cell is edited).
        for row in ws.iter_rows():
            for cell in row:
                if is_formula_like(cell.value):
                    cell.data_type = "s"
                    cell.quotePrefix = True
    return buf.getvalue()


def file_button(
    where: DeltaGenerator, label: str, data: Callable[[], bytes], file_name: str, mime: str, key: str
) -> None:
    """One download button in `where` (a column or container): the file is made on click (`data` is a function)
    and a download does not rerun the page (the view does not change)."""
    where.download_button(
        label, data, file_name=file_name, mime=mime, key=key, icon=":material/download:", on_click="ignore"
    )


def download_buttons(
    df: pd.DataFrame | Callable[[], pd.DataFrame], citation: str, basename: str, lang: str, key: str
) -> None:
    """CSV and XLSX buttons. `df` may be a function returning the table, so that not even the table is built
    unless a reader clicks (a national ranking's 10,000-row download table was ~10 ms of every rerun)."""
    # The files are made on click (deferred data), not on every rerun: writing the XLSX took ~60 ms of each
    # rerun of a 63-row page (docs/performance.md). No rerun on download: the view does not change.
    table = df if callable(df) else (lambda: df)
    c1, c2 = st.columns(2)
    file_button(
        c1,
        t("common.download_csv", lang),
        lambda: to_csv_bytes(table(), citation),
        f"{basename}.csv",
        "text/csv",
        f"{key}_csv",
    )
    file_button(
        c2,
        t("common.download_xlsx", lang),
        lambda: to_xlsx_bytes(table(), citation),
        f"{basename}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"{key}_xlsx",
    )
    st.caption(f"{t('common.citation', lang)}: {citation}")


def to_plain_csv_bytes(df: pd.DataFrame) -> bytes:
    """A public data table as CSV: no citation line (the file is the table itself), formula-like text defused."""
    return _defuse_text_cells(df).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
