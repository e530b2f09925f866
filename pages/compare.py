"""/compare — 2 to 6 units of the same kind side by side: trends of score and rank, component by component,
a table of differences, and a like-for-like switch across two years. The URL keeps the whole view.

Cost per new session: the pickers' options and labels and everything a view draws (texts, chart specs, Arrow
tables for the expanders, the frames behind the downloads) are computed once and cached
(cchc_data/ui/compare_view.py); a run draws them without per-unit pandas work, frame hashing or conversions."""
import streamlit as st

from cchc_data import queries as q
from cchc_data.charts.components import svg_bytes
from cchc_data.i18n import t
from cchc_data.queries import compare as qp
from cchc_data.queries.catalog import INDEX_CODES
from cchc_data.ui import compare_view as cv
from cchc_data.ui.charts import plain_spec
from cchc_data.ui.download import download_buttons
from cchc_data.ui.labels import group_label, index_label
from cchc_data.ui.page import run_page, share_url
from cchc_data.ui.state import multi_param, notice, raw_param, select_param, set_param, view_params


def render(lang: str) -> None:
    version = q.data_version()
    all_editions = q.editions()
    indices = [c for c in INDEX_CODES if c in set(all_editions.index_code)]
    c1, c2 = st.columns([1, 1])
    with c1:
        index_code = select_param("index", t("control.index", lang), indices, "papi" if "papi" in indices
                                  else indices[0], format_func=lambda c: index_label(c, lang))
    groups = qp.index_groups(index_code)
    with c2:
        group = select_param("group", t("control.group", lang), groups, groups[0],
                             format_func=lambda g: group_label(g, lang))
    years, default = cv.defaults(index_code, group, version)
    labels = cv.pool(index_code, group, lang, version)
    normalise_units_param(labels, years[0])
    units = multi_param("units", t("compare.units", lang, max=qp.MAX_UNITS), list(labels), default,
                        format_func=lambda u: labels.get(u, u), max_selections=qp.MAX_UNITS,
                        placeholder=t("compare.units_placeholder", lang))
    if len(units) < qp.MIN_UNITS:
        st.info(t("compare.pick_two", lang, min=qp.MIN_UNITS, max=qp.MAX_UNITS), icon=":material/info:")
        render_peers(index_code, group, years[0], units, lang)
        return

    lv = cv.levels(index_code, group, lang, version)
    has_components, names = lv["has_components"], lv["names"]
    d1, d2 = st.columns([1, 2])
    comp_years = lv["comp_years"] if has_components else years
    with d1:
        year = select_param("year", t("compare.year", lang), comp_years, comp_years[0], parse=int)
    parent = ""
    if has_components:
        with d2:
            parent = select_param("component", t("compare.level", lang), lv["parents"], "",
                                  format_func=lambda c: names.get(c, c) if c else t("components.top_level", lang))

    url = share_url("compare", view_params(index=index_code, group=group, units=",".join(units), year=year))
    v = cv.view(index_code, group, tuple(units), year, parent, lang, url, version)
    if v["changes"]:
        st.warning(v["changes"], icon=":material/rule:")

    # Trends of the total score and of the rank.
    st.subheader(t("compare.trend_title", lang))
    left, right = st.columns(2)
    with left:
        chart_block("trend_total", v["trend_total"], lang)
    with right:
        chart_block("trend_rank", v["trend_rank"], lang)
        if v["rank_computed"]:
            st.caption(t("compare.rank_computed", lang))
    if v["top_breaks"]:
        st.caption(t("compare.total_break", lang, years=", ".join(str(y) for y in v["top_breaks"])))

    if not has_components:
        st.info(t("components.not_published", lang, index=index_label(index_code, lang)), icon=":material/info:")
        st.page_link("pages/methodology.py", label=t("components.open_methodology", lang),
                     query_params={"lang": lang}, icon=":material/menu_book:")
        render_peers(index_code, group, year, units, lang)
        st.caption(f"{t('common.share_link', lang)}: {url}")
        return

    st.subheader(t("compare.components_trend_title", lang, level=v["level_name"]))
    panels_block(v["components"], lang)
    if v["comp_breaks"]:
        st.caption(t("compare.component_break", lang))

    st.subheader(t("compare.bars_title", lang, year=year, level=v["level_name"]))
    if v["bars"] is None:
        st.info(t("notice.no_data", lang))
    else:
        chart_block("bars", v["bars"], lang, show_table=False)
        first = v["first_name"]
        st.markdown(f"**{t('compare.diff_title', lang, first=first)}**")
        st.dataframe(v["diff_display"], hide_index=True, width="stretch", placeholder="–",
                     alt=t("compare.diff_alt", lang, first=first))
        st.caption(t("compare.diff_note", lang, first=first))

    render_like_for_like(index_code, group, units, parent, comp_years, year, lang, url, version)
    render_peers(index_code, group, year, units, lang)
    st.caption(f"{t('common.share_link', lang)}: {url}")



def normalise_units_param(known: set, year: int) -> None:
    """Admin codes (01, 79) and repeated ids in `units=` become unit ids before the widget reads the param."""
    raw = raw_param("units")
    if not raw:
        return
    tokens = [tok.strip() for tok in raw.split(",") if tok.strip()]
    out = []
    for tok in tokens:
        uid = tok if tok in known else q.resolve_unit(tok, year)
        out.append(uid if uid in known else tok)
    text = ",".join(dict.fromkeys(out))
    if len(dict.fromkeys(out)) < len(out):  # repeated units: say so, then show each once
        notice(t("notice.bad_param", lang_of(), value=raw[:40] + ("…" if len(raw) > 40 else ""), param="units",
                 fallback=text[:80]))
    if len(dict.fromkeys(o for o in out if o in known)) > qp.MAX_UNITS:
        notice(t("compare.too_many", lang_of(), max=qp.MAX_UNITS))
    if text != raw:
        st.query_params["units"] = text


def lang_of() -> str:
    from cchc_data.ui.state import current_lang

    return current_lang()



def render_like_for_like(index_code, group, units, parent, years, year, lang, url, version) -> None:
    st.subheader(t("compare.lfl_title", lang))
    raw = raw_param("lfl")
    on_default = raw in ("1", "true", "on")
    if "param_lfl" not in st.session_state or st.session_state.get("_seen_lfl") != raw:
        st.session_state["param_lfl"] = on_default
        if raw not in (None, "0", "1", "true", "false", "on", "off"):
            notice(t("notice.bad_param", lang, value=raw[:40], param="lfl", fallback="0"))
    on = st.toggle(t("compare.lfl_toggle", lang), key="param_lfl", help=t("compare.lfl_help", lang))
    set_param("lfl", "1" if on else None)
    if not on:
        return
    others = [y for y in years if y != year]
    if not others:
        st.info(t("notice.no_data", lang))
        return
    earlier = [y for y in others if y < year]
    default = earlier[0] if earlier else others[0]
    base_year = select_param("base", t("compare.lfl_base", lang), others, default, parse=int)
    a, b = sorted((base_year, year))
    v = cv.lfl_view(index_code, group, tuple(units), parent, a, b, year, lang, url, version)
    st.caption(t("compare.lfl_scale_pct" if v["kind"] == "pct" else "compare.lfl_scale_raw", lang))
    if v["left_out"]:
        st.warning(v["left_out"], icon=":material/filter_alt:")
    else:
        st.caption(t("compare.lfl_none_left_out", lang, a=a, b=b))
    if v["block"] is None:
        st.info(t("notice.no_data", lang))
        return
    chart_block("lfl", v["block"], lang)



def render_peers(index_code, group, year, units, lang) -> None:
    peers = cv.peers_view(index_code, group, int(year), tuple(units), lang, q.data_version())
    if not peers:
        return
    st.markdown(f"**{t('compare.peers_title', lang, year=year)}**")
    st.caption(t("compare.peers_note", lang))
    cols = st.columns(2)
    here = view_params()
    for i, (unit_id, label) in enumerate(peers):
        params = {**here, "units": ",".join([*units, unit_id])}
        cols[i % 2].page_link("pages/compare.py", label=label, query_params=params)


def chart_block(key: str, block: dict, lang: str, show_table: bool = True) -> None:
    """The chart, its alt text, and an expander with the table, data downloads and the chart image (SVG,
    made only when the button is pressed and cached on the chart spec). `block` comes from _block."""
    spec, alt_text, table = block["spec"], block["alt"], block["table"]
    st.vega_lite_chart(spec=spec, width="stretch", alt=alt_text)
    st.caption(alt_text)
    with st.expander(t("common.table_alt", lang) if show_table else t("compare.downloads", lang)):
        if show_table:
            st.dataframe(block["arrow"], hide_index=True, width="stretch", placeholder="–")
        download_buttons(table, block["citation"], block["basename"], lang, key=f"compare_{key}")
        st.download_button(t("components.download_svg", lang), lambda: svg_bytes(plain_spec(spec)),
                           file_name=f"{block['basename']}.svg", mime="image/svg+xml", key=f"compare_{key}_svg",
                           icon=":material/image:", on_click="ignore")



PANEL_COLUMNS = 3


def panels_block(block: dict, lang: str) -> None:
    """The small multiples: one legend, then one chart per component, PANEL_COLUMNS to a row (Streamlit stacks
    columns on a phone, and each chart is as wide as its column); alt text, table and downloads as chart_block,
    the SVG being the whole set (made on click)."""
    st.vega_lite_chart(spec=block["legend"], width="stretch", alt=t("compare.legend_alt", lang))
    panels = block["panels"]
    for start in range(0, len(panels), PANEL_COLUMNS):
        for col, spec, title in zip(st.columns(PANEL_COLUMNS, gap="small"), panels[start:start + PANEL_COLUMNS],
                                    block["titles"][start:start + PANEL_COLUMNS]):
            col.vega_lite_chart(spec=spec, width="stretch", alt=t("compare.panel_alt", lang, component=title))
    st.caption(block["alt"])
    with st.expander(t("common.table_alt", lang)):
        st.dataframe(block["arrow"], hide_index=True, width="stretch", placeholder="–")
        download_buttons(block["table"], block["citation"], block["basename"], lang, key="compare_trend_components")
        st.download_button(t("components.download_svg", lang), lambda: cv.components_svg(*block["svg_args"]),
                           file_name=f"{block['basename']}.svg", mime="image/svg+xml",
                           key="compare_trend_components_svg", icon=":material/image:", on_click="ignore")


run_page("nav.compare", render)
