"""/map — choropleths of provinces (63 before 2025, 34 after) and districts; change and small multiples.

The pickers, then one view (cchc_data.views.map.build_map_view), drawn top to bottom."""

import streamlit as st

from cchc_data.i18n import t
from cchc_data.ui.controls import index_and_year
from cchc_data.ui.download import download_buttons
from cchc_data.ui.page import base_url, run_page, share_url
from cchc_data.ui.state import multi_param, select_param, view_params
from cchc_data.views.map import MAX_YEARS, build_map_choices, build_map_view


def render(lang: str) -> None:
    st.caption(t("map.intro", lang))
    c1, c2, c3, c4 = st.columns([2, 1, 3, 2])
    index_code, year, _ = index_and_year(lang, "pci", c1, c2)
    choices = build_map_choices(index_code, year, lang)
    with c3:
        metric = labelled_param("metric", t("control.metric", lang), choices.metrics, "total", choices.metric_labels)
    with c4:
        layer = labelled_param("layer", t("map.control.layer", lang), choices.layers, None, choices.layer_labels)
    kind = labelled_param(
        "view", t("map.control.view", lang), choices.views, "map", choices.view_labels, widget="radio", horizontal=True
    )
    same = choices.same_map_years.get(layer, []) if layer else []
    compare: tuple[int, ...] = ()
    if layer and kind == "change":
        others = [y for y in same if y != year]
        if others:
            earlier = [y for y in others if y < year]
            compare = (select_param("year2", t("map.control.year2", lang), others, (earlier or others)[0], parse=int),)
        else:
            st.info(t("map.change_none", lang), icon=":material/info:")
    elif layer and kind == "multiples":
        options = [str(y) for y in sorted(same)]
        default = options[-4:]
        chosen = multi_param(
            "years",
            t("map.control.years", lang),
            options,
            default,
            max_selections=MAX_YEARS,
            help=t("map.multiples_max", lang, n=MAX_YEARS),
        )
        compare = tuple(sorted(int(y) for y in (chosen or default)))

    view = build_map_view(index_code, year, metric, layer, kind, compare, lang, base_url())
    for notice in view.notices:  # a method change or a partial table is stated before any figure
        (st.warning if notice.kind == "warning" else st.info)(notice.text, icon=f":material/{notice.kind}:")

    if view.kind == "multiples":
        # One legend per method period, then one map per year, `columns` to a row: each map is as wide as its
        # column and Streamlit stacks the columns on a phone (a Vega-Lite facet has fixed-width panels).
        for period in view.periods:
            if period.heading:
                st.markdown(f"**{period.heading}**")
            st.vega_lite_chart(spec=period.legend, width="stretch", alt=t("map.legend_alt", lang))
            for start in range(0, len(period.panels), view.columns):
                row = period.panels[start : start + view.columns]
                for col, panel in zip(st.columns(view.columns, gap="small"), row):
                    col.vega_lite_chart(spec=panel.spec, width="stretch", alt=panel.alt)
    elif view.spec is not None:
        left, right = st.columns([3, 2], gap="medium") if view.strip else (st.container(), None)
        with left:
            st.vega_lite_chart(spec=view.spec, width="stretch", alt=view.alt)
            for caption in view.captions:
                st.caption(caption)
        if right is not None:
            with right:
                draw_strip(view.strip)
    elif view.strip:
        draw_strip(view.strip)
    if view.kind == "multiples":
        st.caption(view.alt)

    with st.expander(t("map.table_title", lang), expanded=False):
        st.dataframe(view.table.head(view.shown_rows), hide_index=True, width="stretch", placeholder="–")
        for note in view.table_notes:
            st.caption(note)
        if view.table_cut:
            url = share_url("map", view_params())
            citation = view.citation(lang, year, url)
            download_buttons(lambda: view.table, citation, view.basename, lang, key="map_table")
    st.caption(t("common.share_link", lang) + ": " + share_url("map", view_params()))


def labelled_param(name: str, label: str, options: list, default, labels: dict[str, str], **kwargs):
    """A picker bound to query param `name` that shows each option by its label (the option itself without one)."""
    return select_param(name, label, options, default, format_func=lambda v: labels.get(v, v), **kwargs)


def draw_strip(strip) -> None:
    st.subheader(strip.title)
    st.caption(strip.caption)
    if strip.spec is not None:
        st.vega_lite_chart(spec=strip.spec, width="stretch", alt=strip.alt)
        st.caption(strip.alt)
    for note in strip.notes:
        st.caption(note)


run_page("nav.map", render)
