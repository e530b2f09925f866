"""Controls several pages share, bound to the URL through ui.state."""

from __future__ import annotations

import streamlit as st

from .. import queries as q
from ..i18n import t
from ..queries.catalog import unpublished_index_codes
from .labels import index_label
from .state import notice, raw_param, select_param, set_param


def index_and_year(lang: str, default_index: str, index_col=None, year_col=None) -> tuple[str, int, dict]:
    """The `index` and `year` pickers (indices that have editions; the newest year first).
    Returns the index code, the year and the edition row."""
    choices = q.index_year_choices()
    indices = list(choices)
    if (asked := raw_param("index")) in unpublished_index_codes():  # an index with no table yet (issue 13)
        fallback = default_index if default_index in indices else indices[0]
        notice(t("unpub.not_here", lang, index=index_label(asked, lang), fallback=index_label(fallback, lang)))
        set_param("index", fallback)  # said plainly above, instead of "not a valid value"
    with index_col or st.container():
        index_code = select_param(
            "index", t("control.index", lang), indices, default_index, format_func=lambda c: index_label(c, lang)
        )
    years = list(choices[index_code])
    with year_col or st.container():
        year = select_param("year", t("control.year", lang), years, years[0], parse=int)
    edition = q.edition(index_code, year)
    assert edition is not None, (index_code, year)  # the years offered are this index's editions
    return index_code, year, edition
