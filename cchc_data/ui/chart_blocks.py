"""Draw helpers shared by the pages whose views hand over ready-to-draw chart blocks (views.components.ChartBlock):
the chart with its alt text and an expander with its table, downloads and SVG image; and a page's embed option."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from ..charts.components import svg_bytes
from ..i18n import t
from ..views.components import ChartBlock
from .charts import plain_spec
from .download import download_buttons


def chart_block(key: str, block: ChartBlock, lang: str, extra: Callable[[], None] | None = None) -> None:
    """The chart, its alt text, and an expander with the table (where the view gives one on screen), the data
    downloads (CSV/XLSX with the citation), `extra` (more buttons) and the chart image (SVG, made on click only)."""
    show_table = block.arrow is not None
    st.vega_lite_chart(spec=block.spec, width="stretch", alt=block.alt)
    st.caption(block.alt)
    with st.expander(t("common.table_alt", lang) if show_table else t("compare.downloads", lang)):
        if show_table:
            st.dataframe(block.arrow, hide_index=True, width="stretch", placeholder="–")
        download_buttons(block.table, block.citation, block.basename, lang, key=key)
        if extra is not None:
            extra()
        st.download_button(t("components.download_svg", lang), lambda: svg_bytes(plain_spec(block.spec)),
                           file_name=f"{block.basename}.svg", mime="image/svg+xml", key=f"{key}_svg",
                           icon=":material/image:", on_click="ignore")  # fmt: skip


def embed_code(url: str, title: str, help_text: str, height: int = 900) -> None:
    """A page's embed option: the iframe code of this view with ?embed=true (what the page draws as an embed)."""
    with st.expander(title, icon=":material/code:"):
        src = url + ("&" if "?" in url else "?") + "embed=true"
        st.code(f'<iframe src="{src}" width="100%" height="{height}" style="border:0" loading="lazy"></iframe>',
                language="html", wrap_lines=True)  # fmt: skip
        st.caption(help_text)
