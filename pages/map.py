"""/map — choropleths of provinces (63 before 2025, 34 after) and districts; change and small multiples."""
import pandas as pd
import streamlit as st

from cchc_data import queries as q
from cchc_data.charts import maps as cmap
from cchc_data.i18n import t
from cchc_data.ui.charts import show_chart, show_map
from cchc_data.ui.controls import index_and_year
from cchc_data.queries import maps as qmap
from cchc_data.ui import fmt
from cchc_data.ui import map_view as mv
from cchc_data.ui.download import citation_text, download_buttons
from cchc_data.ui.labels import index_label
from cchc_data.ui.page import base_url, run_page, share_url
from cchc_data.ui.state import multi_param, select_param, view_params

MAX_YEARS = 6


def render(lang: str) -> None:
    st.caption(t("map.intro", lang))
    c1, c2, c3, c4 = st.columns([2, 1, 3, 2])
    index_code, year, ed = index_and_year(lang, "pci", c1, c2)
    years = sorted(q.editions(index_code).year.tolist(), reverse=True)
    edition_id = ed["edition_id"]
    comps = qmap.metric_options(edition_id)
    comp_names = dict(zip(comps.component_id, comps.name_vi if lang == "vi" else comps.name_en))
    with c3:
        metric = select_param("metric", t("control.metric", lang), ["total"] + comps.component_id.tolist(), "total",
                              format_func=lambda m: t("metric.total", lang) if m == "total" else comp_names.get(m, m))
    metric_label = t("metric.total", lang) if metric == "total" else comp_names.get(metric, metric)
    choices = qmap.map_layers(edition_id)
    with c4:
        choice = select_param("layer", t("map.control.layer", lang), choices, choices[0] if choices else None,
                              format_func=lambda c: t(f"map.layer.{c}", lang)) if choices else None
    view = select_param("view", t("map.control.view", lang), qmap.VIEWS, "map",
                        format_func=lambda v: t(f"map.view.{v}", lang), widget="radio", horizontal=True)

    ctx = {"lang": lang, "index": index_code, "year": year, "edition_id": edition_id, "metric": metric,
           "metric_label": metric_label, "choice": choice, "completeness": ed["completeness"]}
    if choice is None:
        st.info(t("map.no_layer", lang), icon=":material/info:")
        off_rows, table = mv.no_layer_view(edition_id, metric, lang, base_url(), _href_params(ctx))
        render_strip(off_rows, lang, ctx, cmap.value_domain(off_rows.value))
        render_table(table, lang, ctx)
        return
    if view == "change":
        render_change(lang, ctx, years)
    elif view == "multiples":
        render_multiples(lang, ctx, years)
    else:
        render_single(lang, ctx)
    st.caption(t("common.share_link", lang) + ": " + share_url("map", view_params()))


def _href_params(ctx: dict, year: int | None = None) -> dict:
    return {"lang": ctx["lang"], "index": ctx["index"], "year": str(year or ctx["year"])}


def _layer_label(ctx: dict) -> str:
    return t(f"map.layer.{ctx['choice']}", ctx["lang"])


def render_single(lang: str, ctx: dict) -> None:
    layer = qmap.layer_for(ctx["choice"], ctx["year"])
    rows, off_rows, table = mv.single_view(ctx["edition_id"], ctx["metric"], layer, ctx["choice"], lang, base_url(),
                                           _href_params(ctx))
    domain = cmap.value_domain(rows.value, off_rows.value if len(off_rows) else [])
    title = f"{index_label(ctx['index'], lang)} {ctx['year']} · {ctx['metric_label']}"
    if ctx["completeness"] == "partial":
        st.warning(t("map.partial_note", lang), icon=":material/warning:")
    if not rows.has_data.any():
        st.info(t("map.no_values", lang, metric=ctx["metric_label"]), icon=":material/info:")

    has_strip = bool(off_rows.has_data.any()) or len(off_rows) > 0
    if has_strip:
        left, right = st.columns([3, 2], gap="medium")
    else:
        left, right = st.container(), None
    with left:
        show_map("choropleth", rows, layer, lang, title, domain, alt=alt_text(rows, lang, ctx))
        st.caption(alt_text(rows, lang, ctx))
        st.caption(t(f"map.geometry.{layer if layer.startswith('provinces') else ctx['choice']}", lang))
    if right is not None:
        with right:
            render_strip(off_rows, lang, ctx, domain, title=title)
    render_table(table, lang, ctx)


def alt_text(rows: pd.DataFrame, lang: str, ctx: dict) -> str:
    data = rows[rows.has_data]
    common = dict(layer=_layer_label(ctx), metric=ctx["metric_label"], index=index_label(ctx["index"], lang),
                  year=ctx["year"])
    if data.empty:
        return t("map.alt_empty", lang, **common)
    return t("map.alt", lang, n_data=len(data), n_shapes=len(rows), lo=fmt.number(data.value.min(), lang),
             hi=fmt.number(data.value.max(), lang), n_missing=int((~rows.has_data).sum()), **common)


def render_strip(rows: pd.DataFrame, lang: str, ctx: dict, domain, title: str | None = None) -> None:
    if rows.empty:
        return
    st.subheader(t("map.strip_title", lang))
    st.caption(t("map.strip_caption", lang))
    scored = rows[rows.has_data]
    if len(scored) > cmap.STRIP_MAX:  # thousands of units: their distribution, not one dot each
        text = t("map.alt_hist", lang, n=fmt.integer(len(scored), lang))
        show_chart(cmap.no_shape_histogram, scored[["value", "has_data"]].reset_index(drop=True), lang,
                   ctx["metric_label"], domain, alt=text)
        st.caption(text)
    elif len(scored):
        scored = scored.sort_values("value").copy()
        show_chart(cmap.no_shape_strip, scored, lang, ctx["metric_label"], domain,
                   alt=t("map.alt_strip", lang, n=len(scored)))
        st.caption(t("map.alt_strip", lang, n=len(scored)))
    missing = rows[~rows.has_data]
    if len(missing):
        st.caption(t("map.strip_nodata", lang, names=name_list(missing.name, lang)))
    if (rows.unit_id == "p-hatay").any():
        st.caption(t("map.hatay_note", lang))
    lost = rows[rows.unit_group.isin(["provinces", "districts"]) & (rows.unit_id != "p-hatay")]
    if len(lost):
        st.caption(t("map.unjoined_note", lang, names=name_list(lost.name, lang)))


def name_list(names, lang: str, limit: int = 30) -> str:
    """Names joined by commas; past `limit`, the first ones and how many more (the table lists them all)."""
    names = list(names)
    if len(names) <= limit:
        return ", ".join(names)
    return t("map.names_more", lang, names=", ".join(names[:limit]), n=fmt.integer(len(names) - limit, lang))


def render_table(table: pd.DataFrame, lang: str, ctx: dict) -> None:
    """The table alternative to the map (from ui.map_view.table_frame): at most TABLE_MAX rows on the page, best
    first; past that, every row in the downloads."""
    with st.expander(t("map.table_title", lang), expanded=False):
        shown = table if len(table) <= mv.TABLE_MAX else table.head(mv.TABLE_MAX)
        st.dataframe(shown, hide_index=True, width="stretch", placeholder="–")
        if table.attrs.get("computed_ranks"):
            st.caption(t("map.computed_rank_note", lang))
        if len(table) > mv.TABLE_MAX:
            st.caption(t("map.table_cut", lang, n=fmt.integer(mv.TABLE_MAX, lang), total=fmt.integer(len(table), lang)))
            url = share_url("map", view_params())
            citation = citation_text(lang, f"{index_label(ctx['index'], lang)} · {ctx['metric_label']}", ctx["year"],
                                     q.edition_source(ctx["edition_id"]), url)
            download_buttons(lambda: table, citation, f"cchc_map_{ctx['index']}_{ctx['year']}_{lang}", lang,
                             key="map_table")


def _same_map_years(ctx: dict, years: list[int]) -> list[int]:
    """Years of the index whose edition can be drawn on the same geometry as the chosen year."""
    layer = qmap.layer_for(ctx["choice"], ctx["year"])
    out = []
    for y in years:
        ed = q.edition(ctx["index"], y)
        if ed and ctx["choice"] in qmap.map_layers(ed["edition_id"]) and qmap.layer_for(ctx["choice"], y) == layer:
            out.append(int(y))
    return out


def render_change(lang: str, ctx: dict, years: list[int]) -> None:
    others = [y for y in _same_map_years(ctx, years) if y != ctx["year"]]
    if not others:
        st.info(t("map.change_none", lang), icon=":material/info:")
        return render_single(lang, ctx)
    earlier = [y for y in others if y < ctx["year"]]
    year_from = select_param("year2", t("map.control.year2", lang), others, earlier[0] if earlier else others[0],
                             parse=int)
    ed_from = q.edition(ctx["index"], year_from)
    if ctx["metric"] != "total" and ctx["metric"] not in set(qmap.metric_options(ed_from["edition_id"]).component_id):
        st.warning(t("map.change_missing_metric", lang, metric=ctx["metric_label"], year=year_from),
                   icon=":material/warning:")
        return
    layer = qmap.layer_for(ctx["choice"], ctx["year"])
    now, _ = qmap.join_layer(qmap.map_values(ctx["edition_id"], ctx["metric"]), layer)
    then, _ = qmap.join_layer(qmap.map_values(ed_from["edition_id"], ctx["metric"]), layer)
    merged = now.merge(then[["code", "value"]].rename(columns={"value": "value_from"}), on="code", how="left")
    merged["change"] = merged["value"] - merged["value_from"]
    rows = cmap.map_rows(merged, lang, base_url(), _href_params(ctx), value_col="change")
    rows["value_text"] = [t("common.no_data", lang) if pd.isna(v) else fmt.number(v, lang, signed=True)
                          for v in rows.value]
    rows["from_text"] = [fmt.number(v, lang) if pd.notna(v) else "–" for v in merged.value_from]
    rows["to_text"] = [fmt.number(v, lang) if pd.notna(v) else "–" for v in merged["value"]]
    title = t("map.change_title", lang, year_from=year_from, year_to=ctx["year"]) + f" · {ctx['metric_label']}"
    data = rows[rows.has_data]
    alt = t("map.alt_change", lang, metric=ctx["metric_label"], index=index_label(ctx["index"], lang),
            year_from=year_from, year_to=ctx["year"], n_data=len(data), n_up=int((data.value > 0).sum()),
            n_down=int((data.value < 0).sum()))
    show_map("change_map", rows, layer, lang, title, year_from, ctx["year"], alt=alt)
    st.caption(alt)
    st.caption(t("map.change_note", lang))
    render_table(mv.table_frame(rows, rows.iloc[0:0], lang, ctx["choice"], change=True, year_from=year_from,
                                year_to=ctx["year"]), lang, ctx)


def render_multiples(lang: str, ctx: dict, years: list[int]) -> None:
    same = _same_map_years(ctx, years)
    options = [str(y) for y in sorted(same)]
    default = [str(y) for y in sorted(same)[-4:]]
    chosen = multi_param("years", t("map.control.years", lang), options, default, max_selections=MAX_YEARS,
                         help=t("map.multiples_max", lang, n=MAX_YEARS))
    chosen = sorted(int(y) for y in (chosen or default))
    layer = qmap.layer_for(ctx["choice"], ctx["year"])
    eds = [q.edition(ctx["index"], y)["edition_id"] for y in chosen]
    v = mv.multiples_view(eds, chosen, ctx["metric"], layer, ctx["choice"], lang,
                          f"{index_label(ctx['index'], lang)} · {ctx['metric_label']}", base_url(), _href_params(ctx))
    alt = t("map.alt_multiples", lang, n=len(chosen), layer=_layer_label(ctx), metric=ctx["metric_label"],
            index=index_label(ctx["index"], lang), years=", ".join(map(str, chosen)))
    # One legend for the set, then one map per year, `columns` to a row: each map is as wide as its column and
    # Streamlit stacks the columns on a phone (a Vega-Lite facet has fixed-width panels and would be cut off).
    st.vega_lite_chart(spec=v["legend"], width="stretch", alt=t("map.legend_alt", lang))
    columns = max(1, min(len(chosen), 4 if ctx["choice"] == "provinces" else 3))
    panels = v["panels"]
    for start in range(0, len(panels), columns):
        for col, (year, spec) in zip(st.columns(columns, gap="small"), panels[start:start + columns]):
            col.vega_lite_chart(spec=spec, width="stretch", alt=t("map.panel_alt", lang, year=year))
    st.caption(alt)
    render_table(v["table"], lang, ctx)


run_page("nav.map", render)
