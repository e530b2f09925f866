"""/compare — 2 to 6 units of the same kind side by side: trends of score and rank, component by component,
a table of differences, and a like-for-like switch across two years. The URL keeps the whole view.

Cost per new session: the pickers' options and labels are built once per index/group/language and data version
(`_pool`: shared read-only; `_levels`), and everything a view draws (texts, chart specs, Arrow tables for the
expanders, the tables behind the downloads) once per view (`_view`, `_lfl_view`, `_peers_view`, cached on the data
version): a run draws them without per-unit pandas work, frame hashing or DataFrame-to-Arrow conversion."""
import pandas as pd
import streamlit as st
from streamlit import dataframe_util

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


@st.cache_resource(max_entries=64, ttl=3600, show_spinner=False)
def _pool(index_code: str, group: str, lang: str, version: str) -> dict:
    """The unit picker's options as {unit_id: name} in picker order (shared: never mutate)."""
    pool = qp.index_units(index_code, group)
    return dict(zip(pool.unit_id.tolist(), unit_names(pool, lang).tolist()))


@st.cache_data(max_entries=128, ttl=3600, show_spinner=False)
def _defaults(index_code: str, group: str, version: str) -> tuple[list[int], list[str]]:
    """Years with results (newest first) and the default units: the three leaders of the latest edition."""
    years = qp.index_years(index_code, group)
    latest = q.edition(index_code, years[0])
    default = q.ranking(latest["edition_id"], group).dropna(subset=["rank"]).unit_id.head(3).tolist()
    return years, default


@st.cache_data(max_entries=128, ttl=3600, show_spinner=False)
def _levels(index_code: str, group: str, lang: str, version: str) -> dict:
    """The year and level pickers: component years (newest first), component names in `lang`, the parents
    (top level first, then by position) and each parent's children."""
    history = qp.component_history(index_code, group)
    if history.empty:
        return {"has_components": False, "comp_years": None, "names": {}, "parents": [""], "child_ids": {}}
    first_pos = history.groupby("component_id").position.min()
    return {"has_components": True,
            "comp_years": sorted(set(history.year.astype(int)), reverse=True),
            "names": component_names(history, lang),
            "parents": [""] + sorted(set(history.parent_component_id) - {""}, key=lambda c: (first_pos[c], c)),
            "child_ids": history.groupby("parent_component_id").component_id.agg(set).to_dict()}


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
    years, default = _defaults(index_code, group, version)
    labels = _pool(index_code, group, lang, version)
    normalise_units_param(labels, years[0])
    units = multi_param("units", t("compare.units", lang, max=qp.MAX_UNITS), list(labels), default,
                        format_func=lambda u: labels.get(u, u), max_selections=qp.MAX_UNITS,
                        placeholder=t("compare.units_placeholder", lang))
    if len(units) < qp.MIN_UNITS:
        st.info(t("compare.pick_two", lang, min=qp.MIN_UNITS, max=qp.MAX_UNITS), icon=":material/info:")
        render_peers(index_code, group, years[0], units, lang)
        return

    lv = _levels(index_code, group, lang, version)
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
    v = _view(index_code, group, tuple(units), year, parent, lang, url, version)
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
    chart_block("trend_components", v["components"], lang)
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


def _block(chart: tuple, alt_text: str, table: pd.DataFrame, citation: str, basename: str,
           show_table: bool = True) -> dict:
    """What chart_block draws: the cached spec of chart = (builder, *args), its alt text, the table (as a frame
    for the downloads and, when shown, already in Arrow for st.dataframe), the citation and the file name."""
    return {"spec": chart_spec(*chart), "alt": alt_text, "table": table,
            "arrow": dataframe_util.convert_pandas_df_to_arrow_table(table) if show_table else None,
            "citation": citation, "basename": basename}


@st.cache_data(max_entries=256, ttl=3600, show_spinner=False)
def _view(index_code: str, group: str, units: tuple, year: int, parent: str, lang: str, url: str,
          version: str) -> dict:
    """Everything /compare draws between the pickers and the like-for-like switch, for one view."""
    units = list(units)
    years = qp.index_years(index_code, group)
    labels = _pool(index_code, group, lang, version)
    lv = _levels(index_code, group, lang, version)
    has_components, names = lv["has_components"], lv["names"]
    history = qp.component_history(index_code, group)
    source = q.edition_source(q.edition(index_code, year)["edition_id"])
    citation = citation_text(lang, f"{index_label(index_code, lang)} – {group_label(group, lang)}",
                             f"{min(years)}–{max(years)}", source, url)
    base = f"cchc_compare_{index_code}_{'-'.join(units)}_{lang}"
    changes = qp.method_changes(index_code, group) if has_components else pd.DataFrame()
    out = {"changes": changes_text(changes, parent, names, lang, lv["child_ids"])}

    totals = qp.totals_series(index_code, group, units)
    top_breaks = sorted(set(changes[changes.parent_component_id.fillna("") == ""].year)) if len(changes) else []
    unit_list = ", ".join(labels[u] for u in units)
    trend = trend_table(totals, lang)
    out["trend_total"] = _block((cc.trend, totals, lang, units, "total", top_breaks),
                                t("compare.trend_alt", lang, units=unit_list, index=index_label(index_code, lang),
                                  first=min(years), last=max(years)), trend, citation, f"{base}_total")
    out["trend_rank"] = _block((cc.trend, totals, lang, units, "rank", top_breaks),
                               t("compare.rank_alt", lang, units=unit_list), trend, citation, f"{base}_rank")
    ranked = totals.dropna(subset=["rank"])
    out["rank_computed"] = bool(len(ranked) and not ranked.rank_official.fillna(False).astype(bool).all())
    out["top_breaks"] = top_breaks
    if not has_components:
        return out

    series = qp.component_series(index_code, group, units, parent)
    level_name = names.get(parent, t("components.top_level", lang)) if parent else t("components.top_level", lang)
    out["level_name"] = level_name
    shown = set(series.component_id)
    real = qc.drop_children_of_added(changes) if len(changes) else changes
    comp_breaks = real[real.parent_component_id.isin(shown)
                       | ((real.change == "renamed") & real.component_id.isin(shown))] \
        if len(changes) else pd.DataFrame(columns=["component_id", "year"])
    comp_breaks = pd.DataFrame({
        "component_id": [r.parent_component_id if r.parent_component_id in shown else r.component_id
                         for r in comp_breaks.itertuples()],
        "year": comp_breaks.year.tolist()}).drop_duplicates()
    out["components"] = _block((cc.component_trends, series, comp_breaks, lang, units),
                               t("compare.components_trend_alt", lang, units=unit_list,
                                 m=series.component_id.nunique(), level=level_name),
                               series_table(series, lang), citation, f"{base}_components_trend")
    out["comp_breaks"] = bool(len(comp_breaks))

    this_year = series[series.year == year]
    out["bars"] = None
    if this_year.value.notna().sum() > 0:
        diff = qp.differences(this_year, units, lang)
        out["bars"] = _block((cc.component_bars, this_year, lang, units),
                             t("compare.bars_alt", lang, units=unit_list, year=year, level=level_name),
                             diff_download(diff, lang), citation, f"{base}_{year}_bars", show_table=False)
        out["first_name"] = labels[units[0]]
        out["diff_display"] = dataframe_util.convert_pandas_df_to_arrow_table(diff_display(diff, lang))
    return out


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


def changes_text(changes: pd.DataFrame, parent: str, names: dict, lang: str, child_ids: dict) -> str | None:
    """Where the method changed, for the level shown and the level below it, year by year (None: nowhere)."""
    if changes is None or changes.empty:
        return None
    changes = qc.drop_children_of_added(changes)
    if changes.empty:
        return None
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
    return t("compare.changes_intro", lang) + "\n" + "\n".join(lines) if lines else None


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
    v = _lfl_view(index_code, group, tuple(units), parent, a, b, year, lang, url, version)
    st.caption(t("compare.lfl_scale_pct" if v["kind"] == "pct" else "compare.lfl_scale_raw", lang))
    if v["left_out"]:
        st.warning(v["left_out"], icon=":material/filter_alt:")
    else:
        st.caption(t("compare.lfl_none_left_out", lang, a=a, b=b))
    if v["block"] is None:
        st.info(t("notice.no_data", lang))
        return
    chart_block("lfl", v["block"], lang)


@st.cache_data(max_entries=256, ttl=3600, show_spinner=False)
def _lfl_view(index_code: str, group: str, units: tuple, parent: str, a: int, b: int, year: int, lang: str,
              url: str, version: str) -> dict:
    """The like-for-like comparison of years a < b for one view: value kind, the left-out sentence, the chart."""
    units = list(units)
    years = qp.index_years(index_code, group)
    source = q.edition_source(q.edition(index_code, year)["edition_id"])
    citation = citation_text(lang, f"{index_label(index_code, lang)} – {group_label(group, lang)}",
                             f"{min(years)}–{max(years)}", source, url)
    base = f"cchc_compare_{index_code}_{'-'.join(units)}_{lang}"
    series = qp.component_series(index_code, group, units, parent)
    rows, left_out = qp.like_for_like(series, a, b)
    out = {"kind": "pct" if set(rows.value_kind) == {"pct"} else "raw", "left_out": None, "block": None}
    if len(left_out):
        items = ", ".join(f"{_md(r.component_vi if lang == 'vi' else (r.component_en or r.component_vi))} "
                          f"({t('compare.only_in', lang, year=r.only_in)})" for r in left_out.itertuples())
        out["left_out"] = t("compare.lfl_left_out", lang, n=len(left_out), items=items)
    if rows.empty or rows[["value_a", "value_b"]].notna().sum().sum() == 0:
        return out
    out["block"] = _block((cc.like_for_like_chart, rows, lang, units, a, b),
                          t("compare.lfl_alt", lang, a=a, b=b, m=rows.component_id.nunique()),
                          lfl_table(rows, lang, a, b), citation, f"{base}_like_for_like_{a}_{b}")
    return out


@st.cache_data(max_entries=256, ttl=3600, show_spinner=False)
def _peers_view(index_code: str, group: str, year: int, units: tuple, lang: str, version: str) -> list:
    """Suggested peers as (unit_id, link label), best first."""
    ed = q.edition(index_code, year)
    if not ed or len(units) >= qp.MAX_UNITS:
        return []
    peers = qp.suggested_peers(ed["edition_id"], group, list(units))
    out = []
    for r in peers.itertuples():
        why = t("compare.peer_parent", lang) if r.same_parent else t(
            "compare.peer_rank", lang, rank=fmt.integer(r.rank, lang), d=fmt.integer(r.rank_distance, lang))
        out.append((r.unit_id, f"+ {unit_name(r, lang)} · {why}"))
    return out


def render_peers(index_code, group, year, units, lang) -> None:
    peers = _peers_view(index_code, group, int(year), tuple(units), lang, q.data_version())
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
