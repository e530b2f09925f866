"""A view's tables in the form st.dataframe sends them: Arrow, converted once per view, not once per session.

Given a pandas frame, st.dataframe converts it to Arrow on every call (py-spy: 15–20% of a new /rankings or
/methodology session's CPU); given an Arrow table it only serialises it. The conversion is Streamlit's own, with
its fixes for mixed-type columns, so the screen shows what it showed before."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
from streamlit import dataframe_util


def arrow_table(df: pd.DataFrame) -> pa.Table:
    """`df` as Arrow for st.dataframe, without its index (the pages draw every table with hide_index=True)."""
    return dataframe_util.convert_pandas_df_to_arrow_table(df.reset_index(drop=True), preserve_index=False)
