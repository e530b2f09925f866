"""/components — where a unit is strong or weak: heatmap, distributions, drill-down, self/appraised scores,
and the method changes between editions."""
import pandas as pd
import streamlit as st

from cchc_data import queries as q
from cchc_data.charts import components as ch
from cchc_data.i18n import t
from cchc_data.ui.charts import chart_spec, plain_spec
from cchc_data.queries import component_scores as qc
from cchc_data.queries.catalog import INDEX_CODES
from cchc_data.ui import fmt
from cchc_data.ui.download import citation_text, download_buttons, to_csv_bytes
from cchc_data.ui.labels import group_label, index_label, unit_names
from cchc_data.ui.page import run_page, share_url
from cchc_data.ui.state import raw_param, select_param, set_param, view_params


def render(lang: str) -> None:
    all_editions = q.editions()
    indices = [c for c in INDEX_CODES if c in set(all_editions.index_code)]
    c1, c2, c3 = st.columns([2, 1, 2])
    with c1:
        index_code = select_param("index", t("control.index", lang), indices, "papi" if "papi" in indices else
                                  indices[0], format_func=lambda c: index_label(c, lang))
    available = qc.component_editions(index_code)
    if available.empty:
        render_no_components(index_code, lang)
        return
    years = sorted(set(available.year.astype(int)), reverse=True)
    with c2:
        year = select_param("year", t("control.year", lang), years, years[0], parse=int)
    groups = available[available.year == year].unit_group.tolist()
    with c3:
        group = select_param("group", t("control.group", lang), groups, groups[0],
                             format_func=lambda g: group_label(g, lang))
    ed = q.edition(index_code, year)
    edition_id = ed["edition_id"]
    tree = qc.component_tree(edition_id, group)
    names = {r.component_id: (r.name_vi if lang == "vi" else (r.name_en or r.name_vi)) for r in tree.itertuples()}
    parents = [""] + tree[tree.n_children > 0].component_id.tolist()
    d1, d2 = st.columns([3, 2])
    with d1:
        parent = select_param("component", t("components.drill", lang), parents, "",
                              format_func=lambda c: names.get(c, t("components.top_level", lang)) if c else
                              t("components.top_level", lang))
    token = raw_param("unit")
    resolved = q.resolve_unit(token, year) if token else None
    view = qc.component_view(edition_id, group, parent, resolved or token)
    units = view["units"]
    labels = dict(zip(units.unit_id, unit_names(units, lang)))
    with d2:
        if token and resolved in labels and token != resolved:
            set_param("unit", resolved)  # an admin code such as 01 becomes its unit id
        options = [""] + sorted(labels, key=labels.__getitem__)
        unit = select_param("unit", t("components.highlight", lang), options, "",
                            format_func=lambda u: labels.get(u, t("components.none", lang)))
    unit = unit or None
    if unit != (resolved or token or None):
        view = qc.component_view(edition_id, group, parent, unit)
    data = view["heat"]

    render_breadcrumb(tree, parent, lang)
    render_method_changes(index_code, year, edition_id, group, lang, parent, tree)
    if view["n_scored"] == 0:
        st.info(t("notice.no_data", lang))
        return
    kind = view["kind"]
    st.caption(t("components.scale_pct" if kind == "pct" else "components.scale_raw", lang))

    url = share_url("components", view_params(index=index_code, year=year, group=group))
    citation = citation_text(lang, f"{index_label(index_code, lang)} – {group_label(group, lang)}", year,
                             q.edition_source(edition_id), url)
    level_name = names.get(parent, t("components.top_level", lang)) if parent else t("components.top_level", lang)
    base = f"cchc_{index_code}_{year}_{group}_{parent or 'top'}_{lang}".replace(".", "-")

    st.subheader(t("components.heatmap_title", lang))
    sel_text = t("components.alt_highlight", lang, unit=labels[unit]) if unit else ""
    dot_text = t("components.alt_highlight_dot", lang, unit=labels[unit]) if unit else ""
    n_shown = data.unit_id.nunique()
    alt_text = t("components.heatmap_alt", lang, n=n_shown, m=view["n_components"], level=level_name,
                 index=index_label(index_code, lang), year=year, highlight=sel_text)
    full = None
    if view["reduced"]:
        st.caption(t("components.reduced_heatmap", lang, n=fmt.integer(view["n_units"], lang), edge=qc.EDGE,
                     highlight=t("components.reduced_highlight", lang) if unit else ""))

        def full():  # the whole matrix, made on click only
            all_rows = qc.component_scores(edition_id, group, parent)
            return to_csv_bytes(heatmap_table(all_rows, lang, kind), citation)
    chart_block("heatmap", (ch.heatmap, data, lang, unit), alt_text, heatmap_table(data, lang, kind), citation,
                f"{base}_heatmap", lang, full=full, n_full=view["n_units"])

    st.subheader(t("components.distribution_title", lang))
    summary = view["summary"]
    if view["reduced"]:
        alt_text = t("components.distribution_binned_alt", lang, m=len(summary), level=level_name,
                     n=fmt.integer(view["n_units"], lang), highlight=dot_text)
        chart = (ch.distribution_binned, view["bins"], summary, lang, view["mine"] if unit else None)
    else:
        alt_text = t("components.distribution_alt", lang, m=len(summary), level=level_name, highlight=dot_text)
        chart = (ch.distribution, data, summary, lang, unit)
    chart_block("distribution", chart, alt_text, summary_table(summary, view["mine"], unit, lang), citation,
                f"{base}_distribution", lang)
    render_drill_links(tree, parent, index_code, year, group, unit, lang)

    st.subheader(t("components.self_title", lang))
    sa = view["self"]
    if sa.empty:
        st.info(t("components.self_missing", lang, index=index_label(index_code, lang), year=year),
                icon=":material/info:")
    else:
        alt_text = t("components.self_alt", lang, n=sa.unit_id.nunique(), m=sa.component_id.nunique())
        chart_block("self", (ch.self_appraised_chart, sa, lang), alt_text, self_table(sa, lang), citation,
                    f"{base}_self_appraised", lang)

    st.caption(f"{t('common.share_link', lang)}: {url}")
    with st.expander(t("components.method_note", lang)):
        st.text(ed.get("method_note") or "")


def render_no_components(index_code: str, lang: str) -> None:
    st.info(t("components.not_published", lang, index=index_label(index_code, lang)), icon=":material/info:")
    st.page_link("pages/methodology.py", label=t("components.open_methodology", lang),
                 query_params={"lang": lang}, icon=":material/menu_book:")


def render_breadcrumb(tree: pd.DataFrame, parent: str, lang: str) -> None:
    path = qc.component_path(tree, parent) if parent else []
    crumbs = [t("components.top_level", lang)] + [p["name_vi"] if lang == "vi" else (p["name_en"] or p["name_vi"])
                                                  for p in path]
    st.caption(t("components.showing", lang) + " " + " › ".join(crumbs))


def render_drill_links(tree, parent, index_code, year, group, unit, lang) -> None:
    children = tree[(tree.parent_component_id == (parent or "")) & (tree.n_children > 0)]
    params = {"lang": lang, "index": index_code, "year": str(year), "group": group}
    if unit:
        params["unit"] = unit
    if parent or len(children):
        st.markdown(f"**{t('components.drill_links', lang)}**")
    if parent:
        up = tree[tree.component_id == parent].parent_component_id.iloc[0]
        st.page_link("pages/components.py", label=t("components.drill_up", lang), icon=":material/arrow_upward:",
                     query_params={**params, **({"component": up} if up else {})})
    for r in children.itertuples():
        name = r.name_vi if lang == "vi" else (r.name_en or r.name_vi)
        st.page_link("pages/components.py", label=t("components.drill_into", lang, name=name, n=r.n_children),
                     icon=":material/subdirectory_arrow_right:", query_params={**params, "component": r.component_id})


def change_lines(changes: pd.DataFrame, parent: str, lang: str, names: dict) -> list[str]:
    """Markdown bullets: each change at the level shown (children of `parent`), then one line per component
    of that level whose own sub-components changed. `names` maps component ids to display names."""
    def name(r, old=False):
        vi, en = (r.old_name_vi, r.old_name_en) if old else (r.name_vi, r.name_en)
        return _md(vi if lang == "vi" else (en or vi))

    parents = changes.parent_component_id.fillna("")
    here = changes[parents == (parent or "")]
    lines = []
    for r in here.itertuples():
        level = t(f"components.level.{r.level}", lang)
        if r.change == "renamed":
            lines.append("- " + t("components.change.renamed", lang, level=level, old=name(r, True), name=name(r)))
        else:
            lines.append("- " + t(f"components.change.{r.change}", lang, level=level, name=name(r)))
    shown_level = set(names.get("__children__", []))
    below = changes[(parents != (parent or "")) & parents.isin(shown_level | set(here.component_id))]
    below = below[~below.parent_component_id.isin(set(here[here.change != "renamed"].component_id))]
    for pid, part in below.groupby("parent_component_id", sort=False):
        bits = []
        for change in ("added", "dropped", "renamed"):
            items = part[part.change == change]
            if len(items):
                bits.append(t(f"components.below.{change}", lang,
                              names=", ".join(name(r) for r in items.itertuples())))
        lines.append("- " + t("components.below", lang, parent=_md(names.get(pid, pid)), changes="; ".join(bits)))
    return lines


def render_method_changes(index_code: str, year: int, edition_id: str, group: str, lang: str,
                          parent: str = "", tree: pd.DataFrame | None = None) -> None:
    prev = q.previous_edition(index_code, year)
    if not prev:
        st.caption(t("components.first_edition", lang))
        return
    changes = qc.method_changes(edition_id, prev["edition_id"], group)
    if changes.empty:
        st.caption(t("components.no_changes", lang, prev=prev["year"]))
        return
    lines = [t("components.changes_intro", lang, prev=prev["year"], year=year)]
    tree = tree if tree is not None else qc.component_tree(edition_id, group)
    names = {r.component_id: (r.name_vi if lang == "vi" else (r.name_en or r.name_vi)) for r in tree.itertuples()}
    names["__children__"] = tree[tree.parent_component_id == (parent or "")].component_id.tolist()
    body = change_lines(qc.drop_children_of_added(changes), parent, lang, names)
    if not body:
        st.caption(t("components.no_changes_here", lang, prev=prev["year"]))
        return
    lines += body
    st.warning("\n".join(lines), icon=":material/rule:")


def _md(text) -> str:
    """Data text shown in markdown: escape the characters markdown would interpret."""
    out = str(text or "")
    for ch_ in "\\`*_{}[]()#+!|<>~$":
        out = out.replace(ch_, "\\" + ch_)
    return out


def chart_block(key: str, chart, alt_text: str, table: pd.DataFrame, citation: str, basename: str,
                lang: str, full=None, n_full: int = 0) -> None:
    """The chart, its alt text, and an expander with the table, data downloads and the chart image."""
    spec = chart_spec(*chart)  # chart = (builder, *args): the spec is cached on them
    st.vega_lite_chart(spec=spec, width="stretch", alt=alt_text)
    st.caption(alt_text)
    with st.expander(t("common.table_alt", lang)):
        st.dataframe(table, hide_index=True, width="stretch", placeholder="–")
        download_buttons(table, citation, basename, lang, key=f"components_{key}")
        if full is not None:
            st.download_button(t("components.download_full", lang, n=fmt.integer(n_full, lang)), full,
                               file_name=f"{basename}_all.csv", mime="text/csv", key=f"components_{key}_full",
                               icon=":material/download:", on_click="ignore")
        st.download_button(t("components.download_svg", lang), lambda: ch.svg_bytes(plain_spec(spec)),
                           file_name=f"{basename}.svg", mime="image/svg+xml", key=f"components_{key}_svg",
                           icon=":material/image:", on_click="ignore")


def heatmap_table(data: pd.DataFrame, lang: str, kind: str) -> pd.DataFrame:
    d = ch.labelled(data, lang)
    order = ch.component_order(d)
    base = d.drop_duplicates("unit_id")[["unit_id", "unit", "rank", "total"]].set_index("unit_id")
    values = d.set_index(["unit_id", "component"])["value"].unstack("component").reindex(columns=order)
    wide = base.join(values).reset_index()
    wide = wide.assign(_m=wide.total.isna()).sort_values(["_m", "total"], ascending=[True, False]).drop(columns="_m")
    suffix = " (%)" if kind == "pct" else ""
    return wide.rename(columns={"unit": t("common.unit", lang), "rank": t("common.rank", lang),
                                "total": t("metric.total", lang), **{c: c + suffix for c in order}})


def summary_table(summary: pd.DataFrame, data: pd.DataFrame, unit: str | None, lang: str) -> pd.DataFrame:
    s = ch.labelled(summary, lang)
    out = pd.DataFrame({
        t("components.component", lang): s.component,
        t("components.col_n", lang): s.n,
        t("components.role_median", lang): s["median"],
        t("components.role_best", lang): s.best,
        t("components.col_best_unit", lang): s.best_vi if lang == "vi" else s.best_en,
    })
    if unit:
        mine = data[data.unit_id == unit].set_index("component_id").value  # data: the unit's rows
        out[t("components.role_selected", lang)] = s.component_id.map(mine).values
    return out


def self_table(sa: pd.DataFrame, lang: str) -> pd.DataFrame:
    d = ch.labelled(sa, lang)
    return pd.DataFrame({
        t("common.unit", lang): d.unit,
        t("components.component", lang): d.component,
        t("components.self", lang): d.score_self,
        t("components.appraised", lang): d.score_appraised,
        t("components.final", lang): d.score,
        t("components.gap", lang): d.gap_self_minus_appraised,
    })


run_page("nav.components", render)
