"""/unit — one unit's profile: where it stands, what pulls it up or down, why its rank moved, how it looks on the
other indices the same year, its trend and its administrative history. Share link: unit, index, year, lang.

Cost per new session: the pickers come from look-ups shared per data version, and everything below them is
computed once per view as a cached plan of ready-to-draw elements (cchc_data/ui/unit_view.py) that a run draws
(ui.plan.draw): no per-unit pandas work, chart-frame hashing or DataFrame-to-Arrow conversion per session."""
from __future__ import annotations

import re

import streamlit as st

from cchc_data import queries as q
from cchc_data.i18n import t
from cchc_data.ui import fmt
from cchc_data.ui import search
from cchc_data.ui import unit_view as uv
from cchc_data.ui.labels import index_label
from cchc_data.ui.page import run_page, share_url
from cchc_data.ui.plan import draw
from cchc_data.ui.state import raw_param, select_param, set_param

DEFAULT_UNIT = "p01"
# Static print styles only (no data inside): hide chrome, keep charts whole, one column.
PRINT_CSS = """<style>
@media print {
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
  [data-testid="stDownloadButton"], [data-testid="stExpander"], [data-testid="stSelectbox"],
  [data-testid="stElementToolbar"], [data-testid="stTextInput"], .stPageLink { display: none !important; }
  [data-testid="stMain"] { margin-left: 0 !important; }
  .block-container { padding-top: 0 !important; max-width: 100% !important; }
  [data-testid="stVegaLiteChart"], [data-testid="stMetric"] { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
}
</style>"""


def _quiet(name: str, options: list, default) -> None:
    """After a widget change elsewhere, drop a now-invalid dependent param without a notice."""
    raw = raw_param(name)
    if raw is not None and raw not in [str(o) for o in options]:
        set_param(name, default)
        st.session_state.pop(f"param_{name}", None)


def render(lang: str) -> None:
    st.html(PRINT_CSS)
    version = q.data_version()
    year_hint = raw_param("year")
    year_hint = int(year_hint) if year_hint and re.fullmatch(r"[0-9]{4}", year_hint) else None
    c0, c1, c2, c3 = st.columns([2, 3, 2, 1])
    with c0:
        unit_id = _search_pick(c1, lang, version, year_hint)
    ctx = uv.context(unit_id, version)
    indices = ctx["indices"]
    changed_unit = st.session_state.get("_unit_prev") not in (None, unit_id)
    st.session_state["_unit_prev"] = unit_id

    if not indices:
        draw(uv.plan(unit_id, None, None, lang, _share_link(unit_id, None, None, lang), version))
        return
    default_index = indices[0]
    if changed_unit:
        _quiet("index", indices, default_index)
    with c2:
        index_code = select_param("index", t("control.index", lang), indices, default_index,
                                  format_func=lambda c: index_label(c, lang))
    years, default_year = ctx["years"][index_code]
    if changed_unit or st.session_state.get("_index_prev") not in (None, index_code):
        # another unit or index: open on its latest year with a figure, not the year left in the URL (issue 14)
        set_param("year", default_year)
        st.session_state.pop("param_year", None)
    st.session_state["_index_prev"] = index_code
    with c3:
        year = select_param("year", t("control.year", lang), years, default_year, parse=int)
    draw(uv.plan(unit_id, index_code, year, lang, _share_link(unit_id, index_code, year, lang), version))


def _search_pick(select_col, lang: str, version: str, year_hint: int | None) -> str:
    """The unit picker: an accent-insensitive search box (names, aliases such as 'hcm', parent, admin code; one
    search for every picker, ui/search.py) and, in `select_col`, a select. Up to LARGE_PICKER units the select
    lists every unit while the box is empty; with a query (and always above LARGE_PICKER) it lists the current
    unit and at most MATCH_LIMIT matches, and a new query picks its first match. The `unit` param (a unit id or
    an admin code such as 01) still opens its unit; a bad one falls back to DEFAULT_UNIT with a notice."""
    ids, recs = uv.picker(version)
    labels = uv.labels(lang, version)
    large = uv.is_large(version)
    token = raw_param("unit")
    resolved = q.resolve_unit(token, year_hint) if token else None
    current = resolved if resolved in recs else (DEFAULT_UNIT if DEFAULT_UNIT in recs else ids[0])
    if st.session_state.get("param_unit") in recs and st.session_state.get("_seen_unit") == token:
        current = st.session_state["param_unit"]  # the reader's pick of the last run
    query = search.box("unit_q", lang)
    matches, n_match = uv.search(lang, query, version)
    if search.query_changed("unit_q", query) and matches:
        current = matches[0]
        st.session_state["param_unit"] = current  # before the select is drawn: a new query picks its first match
        if token is not None:
            set_param("unit", current)
    if query or large:
        options = [current] + [m for m in matches if m != current]
    else:
        options = list(ids)
    with select_col:
        unit_id = select_param("unit", t("unit.pick", lang), options, current, format_func=labels.__getitem__,
                               parse=lambda raw: q.resolve_unit(raw, year_hint) or raw)
    if query:
        search.caption(query, len(matches), n_match, lang)
    elif large:
        st.caption(t("unit.search_prompt", lang, n=fmt.integer(len(ids), lang)))
    return unit_id


def _share_link(unit_id, index_code, year, lang) -> str:
    params = {"unit": unit_id, "index": index_code, "year": year, "lang": lang}
    return share_url("unit", {k: str(v) for k, v in params.items() if v is not None})


run_page("nav.unit", render)
