"""/compare's view, computed once and cached: the pickers' options and labels per index/group/language (shared
read-only), and per view everything /compare draws (texts, cached chart specs, Arrow tables for the expanders, the
frames behind the downloads), keyed on the data version and the share link. pages/compare.py draws it."""
from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit import dataframe_util

from .. import queries as q
from ..charts import compare as cc
from ..i18n import t
from ..queries import compare as qp
from ..queries import component_scores as qc
from . import fmt
from .charts import chart_spec
from .download import citation_text
from .labels import group_label, index_label, unit_name, unit_names


@st.cache_resource(max_entries=64, ttl=3600, show_spinner=False)
def pool(index_code: str, group: str, lang: str, version: str) -> dict:
    """The unit picker's options as {unit_id: name} in picker order (shared: never mutate)."""
    pool = qp.index_units(index_code, group)
    return dict(zip(pool.unit_id.tolist(), unit_names(pool, lang).tolist()))


@st.cache_data(max_entries=128, ttl=3600, show_spinner=False)
def defaults(index_code: str, group: str, version: str) -> tuple[list[int], list[str]]:
    """Years with results (newest first) and the default units: the three leaders of the latest edition."""
    years = qp.index_years(index_code, group)
    latest = q.edition(index_code, years[0])
    default = q.ranking(latest["edition_id"], group).dropna(subset=["rank"]).unit_id.head(3).tolist()
    return years, default


@st.cache_data(max_entries=128, ttl=3600, show_spinner=False)
def levels(index_code: str, group: str, lang: str, version: str) -> dict:
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



def block(chart: tuple, alt_text: str, table: pd.DataFrame, citation: str, basename: str,
           show_table: bool = True) -> dict:
    """What chart_block draws: the cached spec of chart = (builder, *args), its alt text, the table (as a frame
    for the downloads and, when shown, already in Arrow for st.dataframe), the citation and the file name."""
    return {"spec": chart_spec(*chart), "alt": alt_text, "table": table,
            "arrow": dataframe_util.convert_pandas_df_to_arrow_table(table) if show_table else None,
            "citation": citation, "basename": basename}


def panels_block(series: pd.DataFrame, breaks: pd.DataFrame, lang: str, units: list[str], alt_text: str,
                 table: pd.DataFrame, citation: str, basename: str) -> dict:
    """The small multiples as one legend and one chart per component (each as wide as its column, so they stack
    on a phone), plus what block() gives. The SVG of the whole set is made from the facet spec
    (charts.compare.component_trends) only when asked for: `svg_args` are its arguments."""
    parts = cc.component_parts(series, breaks, lang, units)
    common = (lang, parts["units"], parts["years"])
    return {"legend": chart_spec(cc.unit_legend, lang, parts["units"]),
            "panels": [chart_spec(cc.component_panel, p["rows"], *common, p["breaks"], p["title"], parts["kind"])
                       for p in parts["panels"]],
            "titles": [p["title"] for p in parts["panels"]],
            "svg_args": (series, breaks, lang, units),
            "alt": alt_text, "table": table, "arrow": dataframe_util.convert_pandas_df_to_arrow_table(table),
            "citation": citation, "basename": basename}


def components_svg(series: pd.DataFrame, breaks: pd.DataFrame, lang: str, units: list[str]) -> bytes:
    """The SVG image of the whole set of panels (the facet chart), made on the download button's click."""
    from ..charts.components import svg_bytes
    from .charts import plain_spec

    return svg_bytes(plain_spec(chart_spec(cc.component_trends, series, breaks, lang, units)))


@st.cache_data(max_entries=256, ttl=3600, show_spinner=False)
def view(index_code: str, group: str, units: tuple, year: int, parent: str, lang: str, url: str,
          version: str) -> dict:
    """Everything /compare draws between the pickers and the like-for-like switch, for one view."""
    units = list(units)
    years = qp.index_years(index_code, group)
    labels = pool(index_code, group, lang, version)
    lv = levels(index_code, group, lang, version)
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
    out["trend_total"] = block((cc.trend, totals, lang, units, "total", top_breaks),
                                t("compare.trend_alt", lang, units=unit_list, index=index_label(index_code, lang),
                                  first=min(years), last=max(years)), trend, citation, f"{base}_total")
    out["trend_rank"] = block((cc.trend, totals, lang, units, "rank", top_breaks),
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
    out["components"] = panels_block(series, comp_breaks, lang, units,
                                     t("compare.components_trend_alt", lang, units=unit_list,
                                       m=series.component_id.nunique(), level=level_name),
                                     series_table(series, lang), citation, f"{base}_components_trend")
    out["comp_breaks"] = bool(len(comp_breaks))

    this_year = series[series.year == year]
    out["bars"] = None
    if this_year.value.notna().sum() > 0:
        diff = qp.differences(this_year, units, lang)
        out["bars"] = block((cc.component_bars, this_year, lang, units),
                             t("compare.bars_alt", lang, units=unit_list, year=year, level=level_name),
                             diff_download(diff, lang), citation, f"{base}_{year}_bars", show_table=False)
        out["first_name"] = labels[units[0]]
        out["diff_display"] = dataframe_util.convert_pandas_df_to_arrow_table(diff_display(diff, lang))
    return out



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



@st.cache_data(max_entries=256, ttl=3600, show_spinner=False)
def lfl_view(index_code: str, group: str, units: tuple, parent: str, a: int, b: int, year: int, lang: str,
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
    out["block"] = block((cc.like_for_like_chart, rows, lang, units, a, b),
                          t("compare.lfl_alt", lang, a=a, b=b, m=rows.component_id.nunique()),
                          lfl_table(rows, lang, a, b), citation, f"{base}_like_for_like_{a}_{b}")
    return out


@st.cache_data(max_entries=256, ttl=3600, show_spinner=False)
def peers_view(index_code: str, group: str, year: int, units: tuple, lang: str, version: str) -> list:
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
