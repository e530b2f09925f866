"""/compare — 2 to 6 units of the same kind side by side: trends of score and rank, component by component,
a table of differences, and a like-for-like switch across two years. The URL keeps the whole view."""
import pandas as pd
import streamlit as st

from cchc_data import queries as q
from cchc_data.charts import compare as cc
from cchc_data.charts.components import svg_bytes
from cchc_data.i18n import t
from cchc_data.ui.charts import chart_spec, plain_spec
from cchc_data.queries import compare as qp
from cchc_data.queries import component_scores as qc
from cchc_data.queries.catalog import INDEX_CODES
from cchc_data.ui import fmt
from cchc_data.ui.download import citation_text, download_buttons
from cchc_data.ui.labels import group_label, index_label, unit_name, unit_names
from cchc_data.ui.page import run_page, share_url
from cchc_data.ui.state import multi_param, notice, raw_param, select_param, set_param, view_params


def render(lang: str) -> None:
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
    years = qp.index_years(index_code, group)
    pool = qp.index_units(index_code, group)
    labels = {r.unit_id: unit_name(r, lang) for r in pool.itertuples()}
    normalise_units_param(set(labels), years[0])
    latest = q.edition(index_code, years[0])
    default = q.ranking(latest["edition_id"], group).dropna(subset=["rank"]).unit_id.head(3).tolist()
    units = multi_param("units", t("compare.units", lang, max=qp.MAX_UNITS), list(labels), default,
                        format_func=lambda u: labels.get(u, u), max_selections=qp.MAX_UNITS,
                        placeholder=t("compare.units_placeholder", lang))
    if len(units) < qp.MIN_UNITS:
        st.info(t("compare.pick_two", lang, min=qp.MIN_UNITS, max=qp.MAX_UNITS), icon=":material/info:")
        render_peers(index_code, group, years[0], units, lang)
        return

    history = qp.component_history(index_code, group)
    has_components = not history.empty
    d1, d2 = st.columns([1, 2])
    comp_years = sorted(set(history.year.astype(int)), reverse=True) if has_components else years
    with d1:
        year = select_param("year", t("compare.year", lang), comp_years, comp_years[0], parse=int)
    parent = ""
    names = {}
    if has_components:
        names = component_names(history, lang)
        parents = [""] + sorted(set(history.parent_component_id) - {""},
                                key=lambda c: (history[history.component_id == c].position.min(), c))
        with d2:
            parent = select_param("component", t("compare.level", lang), parents, "",
                                  format_func=lambda c: names.get(c, c) if c else t("components.top_level", lang))

    url = share_url("compare", view_params(index=index_code, group=group, units=",".join(units), year=year))
    source = q.edition_source(q.edition(index_code, year)["edition_id"])
    citation = citation_text(lang, f"{index_label(index_code, lang)} – {group_label(group, lang)}",
                             f"{min(years)}–{max(years)}", source, url)
    base = f"cchc_compare_{index_code}_{'-'.join(units)}_{lang}"
    changes = qp.method_changes(index_code, group) if has_components else pd.DataFrame()
    child_ids = history.groupby("parent_component_id").component_id.agg(set).to_dict() if has_components else {}
    render_changes(changes, parent, names, lang, child_ids)

    # Trends of the total score and of the rank.
    totals = qp.totals_series(index_code, group, units)
    top_breaks = sorted(set(changes[changes.parent_component_id.fillna("") == ""].year)) if len(changes) else []
    st.subheader(t("compare.trend_title", lang))
    left, right = st.columns(2)
    unit_list = ", ".join(labels[u] for u in units)
    with left:
        alt_text = t("compare.trend_alt", lang, units=unit_list, index=index_label(index_code, lang),
                     first=min(years), last=max(years))
        chart_block("trend_total", (cc.trend, totals, lang, units, "total", top_breaks), alt_text,
                    trend_table(totals, lang), citation, f"{base}_total", lang)
    with right:
        alt_text = t("compare.rank_alt", lang, units=unit_list)
        chart_block("trend_rank", (cc.trend, totals, lang, units, "rank", top_breaks), alt_text,
                    trend_table(totals, lang), citation, f"{base}_rank", lang)
        ranked = totals.dropna(subset=["rank"])
        if len(ranked) and not ranked.rank_official.fillna(False).astype(bool).all():
            st.caption(t("compare.rank_computed", lang))
    if top_breaks:
        st.caption(t("compare.total_break", lang, years=", ".join(str(y) for y in top_breaks)))

    if not has_components:
        st.info(t("components.not_published", lang, index=index_label(index_code, lang)), icon=":material/info:")
        st.page_link("pages/methodology.py", label=t("components.open_methodology", lang),
                     query_params={"lang": lang}, icon=":material/menu_book:")
        render_peers(index_code, group, year, units, lang)
        st.caption(f"{t('common.share_link', lang)}: {url}")
        return

    series = qp.component_series(index_code, group, units, parent)
    level_name = names.get(parent, t("components.top_level", lang)) if parent else t("components.top_level", lang)
    st.subheader(t("compare.components_trend_title", lang, level=level_name))
    shown = set(series.component_id)
    real = qc.drop_children_of_added(changes) if len(changes) else changes
    comp_breaks = real[real.parent_component_id.isin(shown)
                          | ((real.change == "renamed") & real.component_id.isin(shown))] \
        if len(changes) else pd.DataFrame(columns=["component_id", "year"])
    comp_breaks = pd.DataFrame({
        "component_id": [r.parent_component_id if r.parent_component_id in shown else r.component_id
                         for r in comp_breaks.itertuples()],
        "year": comp_breaks.year.tolist()}).drop_duplicates()
    alt_text = t("compare.components_trend_alt", lang, units=unit_list, m=series.component_id.nunique(),
                 level=level_name)
    chart_block("trend_components", (cc.component_trends, series, comp_breaks, lang, units), alt_text,
                series_table(series, lang), citation, f"{base}_components_trend", lang)
    if len(comp_breaks):
        st.caption(t("compare.component_break", lang))

    st.subheader(t("compare.bars_title", lang, year=year, level=level_name))
    this_year = series[series.year == year]
    if this_year.value.notna().sum() == 0:
        st.info(t("notice.no_data", lang))
    else:
        alt_text = t("compare.bars_alt", lang, units=unit_list, year=year, level=level_name)
        diff = qp.differences(this_year, units, lang)
        chart_block("bars", (cc.component_bars, this_year, lang, units), alt_text, diff_download(diff, lang),
                    citation, f"{base}_{year}_bars", lang, show_table=False)
        st.markdown(f"**{t('compare.diff_title', lang, first=labels[units[0]])}**")
        st.dataframe(diff_display(diff, lang), hide_index=True, width="stretch", placeholder="–",
                     alt=t("compare.diff_alt", lang, first=labels[units[0]]))
        st.caption(t("compare.diff_note", lang, first=labels[units[0]]))

    render_like_for_like(series, comp_years, year, units, lang, citation, base)
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


def component_names(history: pd.DataFrame, lang: str) -> dict:
    latest = history.sort_values("year").drop_duplicates("component_id", keep="last")
    return {r.component_id: (r.name_vi if lang == "vi" else (r.name_en or r.name_vi)) for r in latest.itertuples()}


def _md(text) -> str:
    out = str(text or "")
    for ch_ in "\\`*_{}[]()#+!|<>~$":
        out = out.replace(ch_, "\\" + ch_)
    return out


def render_changes(changes: pd.DataFrame, parent: str, names: dict, lang: str, child_ids: dict) -> None:
    """Where the method changed, for the level shown and the level below it, year by year."""
    if changes is None or changes.empty:
        return
    changes = qc.drop_children_of_added(changes)
    if changes.empty:
        return
    parents = changes.parent_component_id.fillna("")
    here = changes[parents == parent]
    if parent:
        kids = set(changes[parents == parent].component_id) | set(child_ids.get(parent, ()))
        below = changes[parents.isin(kids)]
    else:
        below = changes[parents != ""]
    lines = []
    for year in sorted(set(here.year) | set(below.year)):
        bits = []
        for r in here[here.year == year].itertuples():
            level = t(f"components.level.{r.level}", lang)
            name = _md(r.name_vi if lang == "vi" else (r.name_en or r.name_vi))
            if r.change == "renamed":
                old = _md(r.old_name_vi if lang == "vi" else (r.old_name_en or r.old_name_vi))
                bits.append(t("components.change.renamed", lang, level=level, old=old, name=name))
            else:
                bits.append(t(f"components.change.{r.change}", lang, level=level, name=name))
        part = below[below.year == year]
        for pid, grp in part.groupby("parent_component_id", sort=False):
            inner = []
            for change in ("added", "dropped", "renamed"):
                items = grp[grp.change == change]
                if len(items):
                    inner.append(t(f"components.below.{change}", lang, names=", ".join(
                        _md(r.name_vi if lang == "vi" else (r.name_en or r.name_vi)) for r in items.itertuples())))
            bits.append(t("components.below", lang, parent=_md(names.get(pid, pid)), changes="; ".join(inner)))
        if bits:
            lines.append(f"- **{year}**: " + " · ".join(bits))
    if lines:
        st.warning(t("compare.changes_intro", lang) + "\n" + "\n".join(lines), icon=":material/rule:")


def render_like_for_like(series, years, year, units, lang, citation, base) -> None:
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
    rows, left_out = qp.like_for_like(series, a, b)
    kind = "pct" if set(rows.value_kind) == {"pct"} else "raw"
    st.caption(t("compare.lfl_scale_pct" if kind == "pct" else "compare.lfl_scale_raw", lang))
    if len(left_out):
        items = ", ".join(f"{_md(r.component_vi if lang == 'vi' else (r.component_en or r.component_vi))} "
                          f"({t('compare.only_in', lang, year=r.only_in)})" for r in left_out.itertuples())
        st.warning(t("compare.lfl_left_out", lang, n=len(left_out), items=items), icon=":material/filter_alt:")
    else:
        st.caption(t("compare.lfl_none_left_out", lang, a=a, b=b))
    if rows.empty or rows[["value_a", "value_b"]].notna().sum().sum() == 0:
        st.info(t("notice.no_data", lang))
        return
    alt_text = t("compare.lfl_alt", lang, a=a, b=b, m=rows.component_id.nunique())
    table = lfl_table(rows, lang, a, b)
    chart_block("lfl", (cc.like_for_like_chart, rows, lang, units, a, b), alt_text, table, citation,
                f"{base}_like_for_like_{a}_{b}", lang)


def render_peers(index_code, group, year, units, lang) -> None:
    ed = q.edition(index_code, year)
    if not ed or len(units) >= qp.MAX_UNITS:
        return
    peers = qp.suggested_peers(ed["edition_id"], group, units)
    if peers.empty:
        return
    st.markdown(f"**{t('compare.peers_title', lang, year=year)}**")
    st.caption(t("compare.peers_note", lang))
    cols = st.columns(2)
    for i, r in enumerate(peers.itertuples()):
        why = t("compare.peer_parent", lang) if r.same_parent else t(
            "compare.peer_rank", lang, rank=fmt.integer(r.rank, lang), d=fmt.integer(r.rank_distance, lang))
        params = {**view_params(), "units": ",".join([*units, r.unit_id])}
        cols[i % 2].page_link("pages/compare.py", label=f"+ {unit_name(r, lang)} · {why}", query_params=params)


def chart_block(key, chart, alt_text, table, citation, basename, lang, show_table: bool = True) -> None:
    """The chart, its alt text, and an expander with the table, data downloads and the chart image (SVG,
    made only when the button is pressed and cached on the chart spec)."""
    spec = chart_spec(*chart)  # chart = (builder, *args): the spec is cached on them
    st.vega_lite_chart(spec=spec, width="stretch", alt=alt_text)
    st.caption(alt_text)
    with st.expander(t("common.table_alt", lang) if show_table else t("compare.downloads", lang)):
        if show_table:
            st.dataframe(table, hide_index=True, width="stretch", placeholder="–")
        download_buttons(table, citation, basename, lang, key=f"compare_{key}")
        st.download_button(t("components.download_svg", lang), lambda: svg_bytes(plain_spec(spec)), file_name=f"{basename}.svg",
                           mime="image/svg+xml", key=f"compare_{key}_svg", icon=":material/image:", on_click="ignore")


def trend_table(totals: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        t("common.year", lang): totals.year,
        "unit_id": totals.unit_id,
        t("common.unit", lang): unit_names(totals, lang).tolist(),
        t("metric.total", lang): totals.total,
        t("common.rank", lang): totals["rank"].astype("Int64"),
        t("compare.rank_official_col", lang): totals.rank_official,
        t("compare.n_ranked", lang): totals.n_ranked,
    })


def series_table(series: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        t("common.year", lang): series.year,
        "unit_id": series.unit_id,
        t("common.unit", lang): unit_names(series, lang).tolist(),
        "component_id": series.component_id,
        t("components.component", lang): series.component_vi if lang == "vi" else
        series.component_en.fillna(series.component_vi),
        t("common.score", lang): series.score,
        t("compare.max_score", lang): series.max_score,
        t("components.value_pct", lang): series.pct_of_max,
    })


def diff_download(diff: pd.DataFrame, lang: str) -> pd.DataFrame:
    return diff.rename(columns={"component": t("components.component", lang), "spread": t("compare.spread", lang)})


def diff_display(diff: pd.DataFrame, lang: str) -> pd.DataFrame:
    out = diff.drop(columns=["component_id"]).copy()
    for col in out.columns:
        if col == "component":
            continue
        signed = str(col).startswith("Δ")
        out[col] = [fmt.number(v, lang, signed=signed) for v in out[col]]
    return out.rename(columns={"component": t("components.component", lang), "spread": t("compare.spread", lang)})


def lfl_table(rows: pd.DataFrame, lang: str, a: int, b: int) -> pd.DataFrame:
    return pd.DataFrame({
        "unit_id": rows.unit_id,
        t("common.unit", lang): rows.name_vi if lang == "vi" else rows.name_en.fillna(rows.name_vi),
        "component_id": rows.component_id,
        t("components.component", lang): rows.component_vi if lang == "vi" else
        rows.component_en.fillna(rows.component_vi),
        str(a): rows.value_a,
        str(b): rows.value_b,
        t("compare.change", lang): rows.change,
        t("compare.value_kind", lang): rows.value_kind.map(
            {"pct": t("components.value_pct", lang), "raw": t("components.value_raw", lang)}),
    })


run_page("nav.compare", render)
