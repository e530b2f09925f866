"""One accent-insensitive unit search for every unit picker (/unit, /compare, /components, /map, /rankings) and
the overview.

Streamlit's own select/multiselect filter runs in the browser on the option labels and is accent-sensitive
("ha noi" finds nothing), so each picker gets a text box whose query is matched by
cchc_data.queries.units.match_units against every unit's folded names in both languages, aliases and
abbreviations ("hcm", "tp hcm", "so tu phap"), its parent's name, admin code and id.

Public functions (stable; other pages import them):
- matches(lang, query, pool, version=None, limit=8) -> (ids, total): the ids of `pool` matching `query`, best
  first, at most `limit`, and how many of `pool` matched in all. `version` is accepted for old callers and unused
  (match_units caches per data version itself).
- box(key, lang, compare=False) -> str: the search text box (stripped value; session state under `key`).
- query_changed(key, query) -> bool: whether the box holds a new query since the last run.
- caption(query, shown, total, lang) -> None: "n units match …" / "none match …" under the box (query escaped).
"""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st

from ..fmt import integer
from ..i18n import t
from ..queries.units import match_units
from .text import md_escape


def matches(
    lang: str, query: str | None, pool: Iterable[str], version: str | None = None, limit: int = 8
) -> tuple[list[str], int]:
    """The units of `pool` matching `query` (best first, at most `limit`) and how many matched in all."""
    return match_units(query, lang, pool=pool, limit=limit)


def box(key: str, lang: str, compare: bool = False) -> str:
    """The search text box (its value in session state under `key`)."""
    suffix = "_compare" if compare else ""
    return st.text_input(
        t(f"search.box{suffix}", lang), key=key, max_chars=100, help=t(f"search.help{suffix}", lang)
    ).strip()


def query_changed(key: str, query: str) -> bool:
    """Whether the box holds a new query since the last run (a new query picks its first match once)."""
    prev_key = f"_{key}_prev"
    changed = st.session_state.get(prev_key, "") != query
    st.session_state[prev_key] = query
    return changed


def caption(query: str, shown: int, total: int, lang: str) -> None:
    """How many units matched the query, under the box (the query shown as text, never as Markdown)."""
    needle = md_escape(query[:60])
    if not needle:
        return
    if not total:
        st.caption(t("search.none", lang, query=needle))
    elif total > shown:
        st.caption(t("search.more", lang, n=integer(total, lang), query=needle, limit=shown))
    elif total == 1:
        st.caption(t("search.count_one", lang, query=needle))
    else:
        st.caption(t("search.count", lang, n=integer(total, lang), query=needle))
