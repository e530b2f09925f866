"""/unit — one unit's profile: where it stands, what pulls it up or down, why its rank moved, how it looks on the
other indices the same year, its trend and its administrative history. Share link: unit, index, year, lang.

The pickers read the URL through ui.state; everything below them is one cached UnitView
(cchc_data/views/unit.py) that this script draws top to bottom."""

from __future__ import annotations

import re

import streamlit as st

from cchc_data import fmt
from cchc_data import queries as q
from cchc_data.i18n import t
from cchc_data.ui import search
from cchc_data.ui.download import to_csv_bytes
from cchc_data.ui.page import run_page, share_url
from cchc_data.ui.state import raw_param, select_param, set_param
from cchc_data.views import unit as vu

DEFAULT_UNIT = "p01"
METRIC_WIDTH = 165  # px: five metrics to a row in the main column at 1400 px (about 940 px), two on a phone
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


def render(lang: str) -> None:
    st.html(PRINT_CSS)
    version = q.data_version()
    year_hint = raw_param("year")
    year_hint = int(year_hint) if year_hint and re.fullmatch(r"[0-9]{4}", year_hint) else None
    c0, c1, c2, c3 = st.columns([2, 3, 2, 1])
    with c0:
        unit_id = _search_pick(c1, lang, version, year_hint)
    ctx = vu.unit_context(unit_id)
    changed_unit = st.session_state.get("_unit_prev") not in (None, unit_id)
    st.session_state["_unit_prev"] = unit_id
    if not ctx.indices:
        draw(vu.build_unit_view(unit_id, None, None, lang, _share_link(unit_id, None, None, lang)), lang)
        return
    dropped = _quiet("index", ctx.indices, ctx.indices[0]) if changed_unit else None  # kept when the unit has it
    with c2:
        index_code = select_param(
            "index",
            t("control.index", lang),
            list(ctx.indices),
            ctx.indices[0],
            format_func=lambda c: vu.index_label(c, lang),
        )
    if dropped in vu.INDEX_CODES:  # say so rather than switch the index silently
        st.caption(
            t("unit.index_missing", lang, old=vu.index_label(dropped, lang), new=vu.index_label(index_code, lang))
        )
    years, default_year = ctx.years[index_code]
    if changed_unit or st.session_state.get("_index_prev") not in (None, index_code):
        # another unit or index: open on its latest year with a figure, not the year left in the URL (issue 14)
        set_param("year", default_year)
        st.session_state.pop("param_year", None)
    st.session_state["_index_prev"] = index_code
    with c3:
        year = select_param("year", t("control.year", lang), years, default_year, parse=int)
    draw(vu.build_unit_view(unit_id, index_code, year, lang, _share_link(unit_id, index_code, year, lang)), lang)


def draw(view: vu.UnitView, lang: str) -> None:
    st.header(view.title, anchor=False)
    st.caption(view.subtitle)
    if view.notice:
        st.info(view.notice)
    if view.merged:
        st.warning(view.merged, icon=":material/merge:")
        links(view.successor_links, ":material/arrow_forward:")
    if view.standing:
        section(view.standing, view)
    if view.predecessor_cards:
        for col, card in zip(st.columns(len(view.predecessor_cards)), view.predecessor_cards):
            with col.container(border=True):
                st.markdown(f"**{card.title}**")
                section(card, view, heading=False)
    if view.strengths or view.change:
        left, right = st.columns(2)
        for col, part in ((left, view.strengths), (right, view.change)):
            if part:
                with col:
                    st.markdown(f"#### {part.title}")
                    section(part, view, heading=False)
    for part in (view.cross, view.trend, view.lineage):
        if part:
            section(part, view)
    st.subheader(view.texts["sec.share"], anchor=False)
    st.caption(view.texts["share.link"])
    st.code(view.share_url, language=None)
    st.caption(view.texts["share.print"])
    if view.png_args:
        c1, c2 = st.columns(2)
        c1.download_button(
            view.texts["share.png"],
            lambda: vu.summary_png(*view.png_args),
            file_name=view.png_name,
            mime="image/png",
            key="unit_png",
            icon=":material/download:",
            on_click="ignore",
        )
        c2.download_button(
            view.texts["share.csv"],
            lambda: to_csv_bytes(view.history_csv, view.texts["citation_plain"]),
            file_name=view.csv_name,
            mime="text/csv",
            key="unit_csv",
            icon=":material/download:",
            on_click="ignore",
        )
    if view.citation:
        st.caption(view.citation)


def section(part: vu.Section, view: vu.UnitView, heading: bool = True) -> None:
    """A part of the profile: heading, metrics, sentences, notes, warning, charts, the table behind them, links."""
    if heading and part.title:
        st.subheader(part.title, anchor=False)
    if part.metrics:  # one wrapping row (one block, not a column each): side by side, wrapped on a phone
        with st.container(horizontal=True, gap="small"):
            for m in part.metrics:
                st.metric(m.label, m.value, help=m.help, delta=m.delta, delta_color="off", delta_arrow="off",
                          width=METRIC_WIDTH)  # fmt: skip
    if part.text:
        st.markdown(part.text)
    if part.warning:
        st.warning(part.warning, icon=":material/compare_arrows:")
    for chart in part.charts:
        if chart.title:
            st.markdown(f"**{chart.title}**")
        st.vega_lite_chart(spec=chart.spec, width="stretch")
        if chart.caption:
            st.caption(chart.caption)
    for note in part.notes:
        st.caption(note)
    if part.table is not None:
        st.expander(view.texts["table_alt"]).dataframe(part.table, hide_index=True)
    links(part.links, ":material/arrow_forward:")


def links(items, icon: str) -> None:
    for link in items:
        st.page_link("pages/unit.py", label=link.label, icon=icon, query_params=link.params)


def _quiet(name: str, options, default) -> str | None:
    """After a widget change elsewhere, drop a now-invalid dependent param without a notice; return what it dropped."""
    raw = raw_param(name)
    if raw is not None and raw not in [str(o) for o in options]:
        set_param(name, default)
        st.session_state.pop(f"param_{name}", None)
        return raw
    return None


def _search_pick(select_col, lang: str, version: str, year_hint: int | None) -> str:
    """The unit picker: the one accent-insensitive search box (ui/search.py) and, in `select_col`, a select. Up to
    LARGE_PICKER units the select lists every unit while the box is empty; with a query (and always above
    LARGE_PICKER) it lists the current unit and at most MATCH_LIMIT matches, and a new query picks its first
    match. The `unit` param (a unit id or an admin code such as 01) opens its unit; a bad one falls back to
    DEFAULT_UNIT with a notice."""
    ids, recs = vu.picker(version)
    labels = vu.labels(lang, version)
    large = vu.is_large(version)
    token = raw_param("unit")
    resolved = q.resolve_unit(token, year_hint) if token else None
    current = resolved if resolved in recs else (DEFAULT_UNIT if DEFAULT_UNIT in recs else ids[0])
    if st.session_state.get("param_unit") in recs and st.session_state.get("_seen_unit") == token:
        current = st.session_state["param_unit"]  # the reader's pick of the last run
    query = search.box("unit_q", lang)
    matches, n_match = vu.search(lang, query)
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
        unit_id = select_param(
            "unit",
            t("unit.pick", lang),
            options,
            current,
            format_func=labels.__getitem__,
            parse=lambda raw: q.resolve_unit(raw, year_hint) or raw,
        )
    if query:
        search.caption(query, len(matches), n_match, lang)
    elif large:
        st.caption(t("unit.search_prompt", lang, n=fmt.integer(len(ids), lang)))
    return unit_id


def _share_link(unit_id, index_code, year, lang) -> str:
    params = {"unit": unit_id, "index": index_code, "year": year, "lang": lang}
    return share_url("unit", {k: str(v) for k, v in params.items() if v is not None})


run_page("nav.unit", render)
