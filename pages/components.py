"""/components — where a unit is strong or weak: heatmap, distributions, drill-down, self/appraised scores, and the
method changes since the previous edition (stated first). The view is built and cached in cchc_data/views/components.py;
this script reads the pickers and draws it. `?embed=true` draws the charts, their title and citation only."""

import streamlit as st

from cchc_data.i18n import t
from cchc_data.ui import fmt, search
from cchc_data.ui.chart_blocks import chart_block as draw_block
from cchc_data.ui.chart_blocks import embed_code
from cchc_data.ui.download import to_csv_bytes
from cchc_data.ui.page import embedded, run_page, share_url
from cchc_data.ui.state import raw_param, select_param, set_param, validated, view_params
from cchc_data.ui.text import md_escape
from cchc_data.views import components as vc


def render(lang: str) -> None:
    embed = embedded()
    pick = embed_param if embed else select_param
    first = vc.build_components_pickers(raw_param("index"), None, lang)
    c1, c2, c3 = st.columns([2, 1, 2]) if not embed else (st.container(),) * 3
    with c1:
        index_code = pick("index", t("control.index", lang), first.indices, "papi" if "papi" in first.indices
                          else first.indices[0], format_func=first.index_labels.get)  # fmt: skip
    year_param = raw_param("year")
    pickers = vc.build_components_pickers(index_code, int(year_param) if (year_param or "").isdigit() else None, lang)
    if not pickers.has_components:
        st.info(pickers.not_published, icon=":material/info:")
        st.page_link("pages/methodology.py", label=t("components.open_methodology", lang),
                     query_params={"lang": lang}, icon=":material/menu_book:")  # fmt: skip
        return
    with c2:
        year = pick("year", t("control.year", lang), pickers.years, pickers.years[0], parse=int)
    pickers = vc.build_components_pickers(index_code, year, lang)
    with c3:
        group = pick("group", t("control.group", lang), pickers.groups, pickers.groups[0],
                     format_func=pickers.group_labels.get)  # fmt: skip
    top = t("components.top_level", lang)
    if embed:
        parent = embed_param("component", "", pickers.parents, "")
        unit = raw_param("unit") or ""
    else:
        d1, d2 = st.columns([3, 2])
        with d1:
            keep_pick("component", pickers.parents)
            parent = select_param("component", t("components.drill", lang), pickers.parents, "",
                                  format_func=lambda c: pickers.names.get(c, top) if c else top)  # fmt: skip
        with d2:
            unit = pick_unit(pickers.edition_id, group, year, lang)
    url = share_url("components", view_params(index=index_code, year=year, group=group))
    view = vc.build_components_view(index_code, year, group, parent, unit, lang, url)

    if embed:
        draw_embed(view, lang)
        return
    st.caption(view.breadcrumb)
    for kind, text in view.changes:  # the method changes come before any figure
        if kind == "warning":
            st.warning(text, icon=":material/rule:")
        else:
            st.caption(text)
    if view.n_scored == 0:
        st.info(t("notice.no_data", lang))
        return
    st.caption(view.scale)

    st.subheader(t("components.heatmap_title", lang))
    if view.reduced_caption:
        st.caption(view.reduced_caption)
    chart_block("heatmap", view.heat, lang, full=view.full_csv_args, n_full=view.n_units)

    st.subheader(t("components.distribution_title", lang))
    chart_block("distribution", view.distribution, lang)
    if view.drill:
        st.markdown(f"**{t('components.drill_links', lang)}**")
    for link in view.drill:
        st.page_link("pages/components.py", label=link.label, icon=link.icon, query_params=link.params)

    st.subheader(t("components.self_title", lang))
    if view.self_block is None:
        st.info(view.self_missing, icon=":material/info:")
    else:
        chart_block("self", view.self_block, lang)

    st.caption(f"{t('common.share_link', lang)}: {url}")
    embed_code(url, t("components.embed", lang), t("components.embed_help", lang), height=720)
    if view.method_note:
        with st.expander(view.method_note_title):
            st.text(view.method_note)


def embed_param(name: str, label: str, options, default, format_func=str, parse=str):
    """An embed has no pickers: the param's value (validated, with the same notice for a bad one)."""
    return validated(name, list(options), default, describe=format_func, parse=parse)


def draw_embed(view: vc.ComponentsView, lang: str) -> None:
    """The embed: the method changes, the heatmap and the distribution with their alt texts and the citation."""
    st.caption(view.breadcrumb)
    for kind, text in view.changes:
        (st.warning if kind == "warning" else st.caption)(text)
    if view.n_scored == 0:
        st.info(t("notice.no_data", lang))
        return
    for block in (view.heat, view.distribution):
        st.vega_lite_chart(spec=block.spec, width="stretch", alt=block.alt)
        st.caption(block.alt)
    st.caption(f"{t('common.citation', lang)}: {md_escape(view.citation)}")


def pick_unit(edition_id: str, group: str, year: int, lang: str) -> str:
    """The highlighted unit ("" for none), bound to the `unit` param (a unit id or an admin code such as 01), with
    the one accent-insensitive unit search (cchc_data.ui.search) above it. Up to LARGE_GROUP units the select
    lists them all and a new query picks its first match; above, the select holds the highlighted unit and at
    most MATCH_LIMIT matches, so a rerun never lists 10,000 units."""
    token = raw_param("unit")
    resolved, current_label = vc.highlight_lookup(edition_id, group, year, lang, token)
    label, none = t("components.highlight", lang), t("components.none", lang)
    n_units, ids, labels = vc.unit_options(edition_id, group, lang)
    query = search.box("components_unit_q", lang)
    matches, n_match = vc.highlight_search(edition_id, group, lang, query) if query else ([], 0)
    if ids:
        if token and resolved in labels and token != resolved:
            set_param("unit", resolved)  # an admin code such as 01 becomes its unit id
        if matches and search.query_changed("components_unit_q", query):
            st.session_state["param_unit"] = matches[0][0]  # a new query picks its first match
            set_param("unit", matches[0][0])
        keep_pick("unit", [""] + ids)
        unit = select_param("unit", label, [""] + ids, "", format_func=lambda u: labels.get(u, none))
        search.caption(query, len(matches), n_match, lang)
        return unit or ""
    current = resolved if current_label else None
    if current and token != current:
        set_param("unit", current)
    labels = {current: current_label} if current else {}
    labels.update(matches)
    keep_pick("unit", [""] + list(labels))
    unit = select_param("unit", label, [""] + list(labels), "", format_func=lambda u: labels.get(u, none))
    if query:
        search.caption(query, len(matches), n_match, lang)
    elif not unit:
        st.caption(t("components.search_prompt", lang, n=fmt.integer(n_units, lang)))
    return unit or ""


def keep_pick(name: str, options: list) -> None:
    """Keep what the reader just picked in a picker whose param is not in the URL yet (its default, "", writes
    none): `ui.state.select_param` would otherwise reset the widget to the default, so picking a unit or a level
    from "(none)"/the top level did nothing. Writing the param first makes select_param keep the pick."""
    picked = st.session_state.get(f"param_{name}")
    if picked and picked in options and raw_param(name) is None and st.session_state.get(f"_seen_{name}") is None:
        set_param(name, picked)


def chart_block(key: str, block: vc.ChartBlock, lang: str, full: tuple | None = None, n_full: int = 0) -> None:
    """A chart block; under a reduced heatmap, also the download of the whole matrix (made on click)."""

    def full_download() -> None:
        st.download_button(t("components.download_full", lang, n=fmt.integer(n_full, lang)),
                           lambda: to_csv_bytes(vc.full_matrix(*full), block.citation),
                           file_name=f"{block.basename}_all.csv", mime="text/csv", key=f"components_{key}_full",
                           icon=":material/download:", on_click="ignore")  # fmt: skip

    draw_block(f"components_{key}", block, lang, extra=full_download if full is not None else None)


run_page("nav.components", render)
