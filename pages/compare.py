"""/compare — 2 to 6 units of the same kind side by side: trends of score and rank, component by component,
a table of differences, and a like-for-like switch across two years. The URL keeps the whole view.

The view models are built and cached in cchc_data/views/compare.py; this script reads the pickers and draws them.
Units are added through the one accent-insensitive unit search ("ha noi", "tp hcm") or the picker itself.
`?embed=true` draws the charts, the method changes and the citation without pickers."""

import streamlit as st

from cchc_data.i18n import t
from cchc_data.ui import search
from cchc_data.ui.chart_blocks import chart_block, embed_code
from cchc_data.ui.download import download_buttons
from cchc_data.ui.page import embedded, run_page, share_url
from cchc_data.ui.state import multi_param, notice, raw_param, select_param, set_param, validated, view_params
from cchc_data.ui.text import md_escape
from cchc_data.views import compare as vcmp

PANEL_WIDTH = 300  # px: three panels to a row in the main column at 1400 px (about 940 px wide), one on a phone


def render(lang: str) -> None:
    embed = embedded()
    pick = embed_param if embed else select_param
    first = vcmp.build_compare_choices(raw_param("index"), None, lang)
    c1, c2 = st.columns([1, 1]) if not embed else (st.container(), st.container())
    with c1:
        index_code = pick("index", t("control.index", lang), first.indices, first.index_code,
                          format_func=first.index_labels.get)  # fmt: skip
    first = vcmp.build_compare_choices(index_code, raw_param("group"), lang)
    with c2:
        group = pick("group", t("control.group", lang), first.groups, first.group, format_func=first.group_labels.get)
    ch = vcmp.build_compare_choices(index_code, group, lang)
    labels = ch.unit_labels
    normalise_units_param(labels, ch.years[0], lang)
    if embed:
        units = [u for u in dict.fromkeys((raw_param("units") or "").split(",")) if u in labels][: vcmp.MAX_UNITS]
        units = units or ch.default_units
    else:
        units = pick_units(ch, lang)
    if len(units) < vcmp.MIN_UNITS:
        st.info(t("compare.pick_two", lang, min=vcmp.MIN_UNITS, max=vcmp.MAX_UNITS), icon=":material/info:")
        draw_peers(vcmp.build_peers(index_code, group, ch.years[0], tuple(units), lang), ch.years[0], units, lang)
        return

    comp_years = ch.comp_years if ch.has_components else ch.years
    parent = ""
    if embed:
        year = embed_param("year", "", comp_years, comp_years[0], parse=int)
        parent = embed_param("component", "", ch.parents, "") if ch.has_components else ""
    else:
        d1, d2 = st.columns([1, 2])
        with d1:
            year = select_param("year", t("compare.year", lang), comp_years, comp_years[0], parse=int)
        if ch.has_components:
            with d2:
                top = t("components.top_level", lang)
                parent = select_param("component", t("compare.level", lang), ch.parents, "",
                                      format_func=lambda c: ch.level_names.get(c, c) if c else top)  # fmt: skip

    url = share_url("compare", view_params(index=index_code, group=group, units=",".join(units), year=year))
    v = vcmp.build_compare_view(index_code, group, tuple(units), year, parent, lang, url)
    if v.changes:  # the method changes come before any figure
        st.warning(v.changes, icon=":material/rule:")
        with st.expander(v.changes_details_title, icon=":material/rule:"):
            st.markdown(v.changes_details)
    if embed:
        draw_embed(v, lang)
        return

    st.subheader(t("compare.trend_title", lang))
    left, right = st.columns(2)
    with left:
        chart_block("compare_trend_total", v.trend_total, lang)
    with right:
        chart_block("compare_trend_rank", v.trend_rank, lang)
        if v.rank_computed:
            st.caption(v.rank_computed)
    if v.total_break:
        st.caption(v.total_break)

    if v.not_published:
        st.info(v.not_published, icon=":material/info:")
        st.page_link("pages/methodology.py", label=t("components.open_methodology", lang),
                     query_params={"lang": lang}, icon=":material/menu_book:")  # fmt: skip
    else:
        st.subheader(t("compare.components_trend_title", lang, level=v.level_name))
        panels_block(v.components, lang)
        if v.component_break:
            st.caption(v.component_break)
        st.subheader(t("compare.bars_title", lang, year=year, level=v.level_name))
        if v.bars is None:
            st.info(t("notice.no_data", lang))
        else:
            chart_block("compare_bars", v.bars, lang)
            st.markdown(f"**{v.diff_title}**")
            st.dataframe(v.diff_display, hide_index=True, width="stretch", placeholder="–", alt=v.diff_alt)
            st.caption(v.diff_note)
        like_for_like(index_code, group, units, parent, comp_years, year, lang, url)

    draw_peers(v.peers, year, units, lang)
    st.caption(f"{t('common.share_link', lang)}: {url}")
    embed_code(url, t("compare.embed", lang), t("compare.embed_help", lang))


def embed_param(name: str, label: str, options, default, format_func=str, parse=str):
    """An embed has no pickers: the param's value (validated, with the same notice for a bad one)."""
    return validated(name, list(options), default, describe=format_func, parse=parse)


def pick_units(ch: vcmp.CompareChoices, lang: str) -> list[str]:
    """The units picker (bound to `units`; its × clears all) and, beside it, the one accent-insensitive unit search
    ("ha noi", "da nang", "tp hcm"): each match is an "Add …" button."""
    labels = ch.unit_labels
    units = multi_param("units", t("compare.units", lang, max=vcmp.MAX_UNITS), list(labels), ch.default_units,
                        format_func=lambda u: labels.get(u, u), max_selections=vcmp.MAX_UNITS,
                        placeholder=t("compare.units_placeholder", lang))  # fmt: skip
    query = search.box("compare_unit_q", lang, compare=True)
    if not query:
        return units
    if len(units) >= vcmp.MAX_UNITS:
        st.caption(t("search.full", lang, max=vcmp.MAX_UNITS))
        return units
    hits, total = vcmp.find_units(ch.index_code, ch.group, query, lang, tuple(units))
    cols = st.columns(3)
    for i, uid in enumerate(hits):
        cols[i % 3].button(t("search.add", lang, unit=labels[uid]), key=f"compare_add_{uid}", on_click=add_unit,
                           args=(uid,), icon=":material/add:", width="stretch")  # fmt: skip
    search.caption(query, len(hits), total, lang)
    return units


def add_unit(unit_id: str) -> None:
    """An "Add …" button: the unit joins the picker (the URL follows on the rerun) and the search box empties."""
    chosen = list(st.session_state.get("param_units") or [])
    if unit_id not in chosen and len(chosen) < vcmp.MAX_UNITS:
        st.session_state["param_units"] = chosen + [unit_id]
    st.session_state["compare_unit_q"] = ""


def normalise_units_param(known, year: int, lang: str) -> None:
    """Admin codes (01, 79) and repeated ids in `units=` become unit ids before the widget reads the param."""
    raw = raw_param("units")
    text, repeated, too_many = vcmp.normalise_units(raw, known, year)
    if repeated:  # repeated units: say so, then show each once
        notice(t("notice.bad_param", lang, value=md_escape(raw[:40] + ("…" if len(raw) > 40 else "")),
                 param="units", fallback=md_escape((text or raw)[:80])))  # fmt: skip
    if too_many:
        notice(t("compare.too_many", lang, max=vcmp.MAX_UNITS))
    if text is not None:
        st.query_params["units"] = text


def like_for_like(index_code, group, units, parent, years, year, lang, url) -> None:
    st.subheader(t("compare.lfl_title", lang))
    raw = raw_param("lfl")
    if "param_lfl" not in st.session_state or st.session_state.get("_seen_lfl") != raw:
        st.session_state["param_lfl"] = raw in ("1", "true", "on")
        if raw not in (None, "0", "1", "true", "false", "on", "off"):
            notice(t("notice.bad_param", lang, value=md_escape(raw[:40]), param="lfl", fallback="0"))
    on = st.toggle(t("compare.lfl_toggle", lang), key="param_lfl", help=t("compare.lfl_help", lang))
    set_param("lfl", "1" if on else None)
    if not on:
        return
    others = [y for y in years if y != year]
    if not others:
        st.info(t("notice.no_data", lang))
        return
    earlier = [y for y in others if y < year]
    base_year = select_param("base", t("compare.lfl_base", lang), others, earlier[0] if earlier else others[0],
                             parse=int)  # fmt: skip
    a, b = sorted((base_year, year))
    v = vcmp.build_like_for_like(index_code, group, tuple(units), parent, a, b, year, lang, url)
    st.caption(v.scale)
    if v.left_out:  # what was left out is said before the changes are shown
        st.warning(v.left_out, icon=":material/filter_alt:")
    else:
        st.caption(v.none_left_out)
    if v.block is None:
        st.info(t("notice.no_data", lang))
        return
    chart_block("compare_lfl", v.block, lang)


def draw_peers(peers: list[tuple[str, str]], year: int, units: list[str], lang: str) -> None:
    if not peers:
        return
    st.markdown(f"**{t('compare.peers_title', lang, year=year)}**")
    st.caption(t("compare.peers_note", lang))
    cols = st.columns(2)
    here = view_params()
    for i, (unit_id, label) in enumerate(peers):
        cols[i % 2].page_link(
            "pages/compare.py", label=label, query_params={**here, "units": ",".join([*units, unit_id])}
        )


def draw_embed(v: vcmp.CompareView, lang: str) -> None:
    """The embed: the trends (and the component panels where published) with their alt texts, and the citation."""
    for block in (v.trend_total, v.trend_rank):
        st.vega_lite_chart(spec=block.spec, width="stretch", alt=block.alt)
        st.caption(block.alt)
    if v.total_break:
        st.caption(v.total_break)
    if v.components is not None:
        st.subheader(t("compare.components_trend_title", lang, level=v.level_name))
        draw_panels(v.components, lang)
    st.caption(f"{t('common.citation', lang)}: {md_escape(v.citation)}")


def draw_panels(p: vcmp.Panels, lang: str) -> None:
    """One legend, then one chart per component in one wrapping row: three to a row at 1400 px, one on a phone, in
    reading order (one flex block instead of a row of columns per three panels: fewer elements per session)."""
    st.vega_lite_chart(spec=p.legend, width="stretch", alt=t("compare.legend_alt", lang))
    with st.container(horizontal=True, gap="small"):
        for spec, title in zip(p.panels, p.titles):
            st.vega_lite_chart(spec=spec, width=PANEL_WIDTH, alt=t("compare.panel_alt", lang, component=title))
    st.caption(p.alt)


def panels_block(p: vcmp.Panels, lang: str) -> None:
    """The small multiples, then their table, downloads and the SVG of the whole set (made on click)."""
    draw_panels(p, lang)
    with st.expander(t("common.table_alt", lang)):
        st.dataframe(p.arrow, hide_index=True, width="stretch", placeholder="–")
        download_buttons(p.table, p.citation, p.basename, lang, key="compare_trend_components")
        st.download_button(t("components.download_svg", lang), lambda: vcmp.components_svg(*p.svg_args),
                           file_name=f"{p.basename}.svg", mime="image/svg+xml", key="compare_trend_components_svg",
                           icon=":material/image:", on_click="ignore")  # fmt: skip


run_page("nav.compare", render)
