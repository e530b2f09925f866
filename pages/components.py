"""/components — where a unit is strong or weak: heatmap, distributions, drill-down, self/appraised scores,
and the method changes between editions."""
import pandas as pd
import pyarrow as pa
import streamlit as st

from cchc_data import queries as q
from cchc_data.charts import components as ch
from cchc_data.i18n import t
from cchc_data.ui.charts import plain_spec
from cchc_data.queries import component_scores as qc
from cchc_data.queries.catalog import INDEX_CODES
from cchc_data.ui import fmt
from cchc_data.ui.download import citation_text, download_buttons, to_csv_bytes
from cchc_data.ui.labels import group_label, index_label, unit_names
from cchc_data.ui.page import run_page, share_url
from cchc_data.ui.state import raw_param, select_param, set_param, view_params
from cchc_data.ui.text import md_escape


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
    parents, names = qc.component_choices(edition_id, group, lang)
    top = t("components.top_level", lang)
    d1, d2 = st.columns([3, 2])
    with d1:
        keep_pick("component", [""] + parents)
        parent = select_param("component", t("components.drill", lang), [""] + parents, "",
                              format_func=lambda c: names.get(c, top) if c else top)
    with d2:
        unit = pick_unit(edition_id, group, year, lang)
    view = drawn_view(index_code, year, edition_id, group, parent, unit or "", lang, q.data_version())

    st.caption(view["breadcrumb"])
    for kind, text in view["changes"]:
        if kind == "warning":
            st.warning(text, icon=":material/rule:")
        else:
            st.caption(text)
    if view["n_scored"] == 0:
        st.info(t("notice.no_data", lang))
        return
    st.caption(view["scale"])

    url = share_url("components", view_params(index=index_code, year=year, group=group))
    citation = citation_text(lang, f"{index_label(index_code, lang)} – {group_label(group, lang)}", year,
                             q.edition_source(edition_id), url)
    base = f"cchc_{index_code}_{year}_{group}_{parent or 'top'}_{lang}".replace(".", "-")

    st.subheader(t("components.heatmap_title", lang))
    full = None
    if view["reduced"]:
        st.caption(view["reduced_caption"])

        def full():  # the whole matrix, made on click only
            all_rows = qc.component_scores(edition_id, group, parent)
            return to_csv_bytes(heatmap_table(all_rows, lang, view["kind"]), citation)
    chart_block("heatmap", view["heat"], citation, f"{base}_heatmap", lang, full=full, n_full=view["n_units"])

    st.subheader(t("components.distribution_title", lang))
    chart_block("distribution", view["distribution"], citation, f"{base}_distribution", lang)
    render_drill_links(view["drill"], lang)

    st.subheader(t("components.self_title", lang))
    if view["self"] is None:
        st.info(t("components.self_missing", lang, index=index_label(index_code, lang), year=year),
                icon=":material/info:")
    else:
        chart_block("self", view["self"], citation, f"{base}_self_appraised", lang)

    st.caption(f"{t('common.share_link', lang)}: {url}")
    with st.expander(t("components.method_note", lang)):
        st.text(ed.get("method_note") or "")


def pick_unit(edition_id: str, group: str, year: int, lang: str) -> str:
    """The highlighted unit ("" for none), bound to the `unit` param (a unit id or an admin code such as 01).
    Up to LARGE_GROUP units: a select of all of them. Above: a search box (accents optional) and a select of
    the highlighted unit and at most MATCH_LIMIT matches, so a rerun never lists 10,000 units."""
    token = raw_param("unit")
    resolved = q.resolve_unit(token, year) if token else None
    label, none = t("components.highlight", lang), t("components.none", lang)
    n_units = qc.group_size(edition_id, group)
    if n_units <= qc.LARGE_GROUP:
        ids, labels = qc.unit_choices(edition_id, group, lang)
        if token and resolved in labels and token != resolved:
            set_param("unit", resolved)  # an admin code such as 01 becomes its unit id
        keep_pick("unit", [""] + ids)
        return select_param("unit", label, [""] + ids, "", format_func=lambda u: labels.get(u, none)) or ""
    current_label = qc.unit_label(edition_id, group, lang, resolved) if token else None
    current = resolved if current_label else None
    if current and token != current:
        set_param("unit", current)
    query = st.text_input(t("components.search", lang), key="components_unit_q", max_chars=100,
                          help=t("components.search_help", lang))
    matches, n_match = qc.unit_search(edition_id, group, lang, query)
    labels = {current: current_label} if current else {}
    labels.update(matches)
    keep_pick("unit", [""] + list(labels))
    unit = select_param("unit", label, [""] + list(labels), "", format_func=lambda u: labels.get(u, none))
    needle = md_escape(query.strip()[:60])
    if needle and not n_match:
        st.caption(t("components.search_none", lang, query=needle))
    elif needle:
        key = "many" if n_match > len(matches) else "one" if n_match == 1 else "some"
        st.caption(t(f"components.search_{key}", lang, n=fmt.integer(n_match, lang), query=needle,
                     limit=len(matches)))
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


# One ready-to-draw view per (edition, group, level, highlighted unit, language): chart specs (Arrow datasets),
# tables, alt texts and notes. Held as objects (st.cache_resource), not pickles: a new session or a rerun only
# draws it, without unpickling frames or hashing chart data (py-spy: ~20% of /components' server CPU). Read-only.
# The cached function stays a short wrapper: this script is run again on every rerun, and Streamlit reads the
# decorated function's source each time (~1.4 ms for the whole builder, ~0.1 ms for the wrapper).
@st.cache_resource(max_entries=256, ttl=3600, show_spinner=False)
def drawn_view(index_code: str, year: int, edition_id: str, group: str, parent: str, unit: str, lang: str,
               version: str) -> dict:
    return build_view(index_code, year, edition_id, group, parent, unit, lang)


def build_view(index_code: str, year: int, edition_id: str, group: str, parent: str, unit: str, lang: str) -> dict:
    """Everything the page draws below the pickers (see drawn_view)."""
    view = qc.component_view(edition_id, group, parent, unit or None)
    labels = dict(zip(view["units"].unit_id, unit_names(view["units"], lang)))
    unit = unit if unit in labels else ""
    tree = qc.component_tree(edition_id, group)
    names = {r.component_id: (r.name_vi if lang == "vi" else (r.name_en or r.name_vi)) for r in tree.itertuples()}
    top = t("components.top_level", lang)
    out = {"unit": unit, "n_units": view["n_units"], "reduced": view["reduced"], "n_scored": view["n_scored"],
           "kind": view["kind"], "breadcrumb": breadcrumb(tree, parent, lang),
           "changes": method_change_notes(index_code, year, edition_id, group, lang, parent, tree),
           "drill": drill_links(tree, parent, index_code, year, group, unit, lang)}
    if view["n_scored"] == 0:
        return out
    kind = view["kind"]
    level_name = names.get(parent, top) if parent else top
    data = view["heat"]
    out["scale"] = t("components.scale_pct" if kind == "pct" else "components.scale_raw", lang)
    sel_text = t("components.alt_highlight", lang, unit=labels[unit]) if unit else ""
    dot_text = t("components.alt_highlight_dot", lang, unit=labels[unit]) if unit else ""
    if view["reduced"]:
        out["reduced_caption"] = t("components.reduced_heatmap", lang, n=fmt.integer(view["n_units"], lang),
                                   edge=qc.EDGE, highlight=t("components.reduced_highlight", lang) if unit else "")
    out["heat"] = _block(ch.heatmap(data, lang, unit or None), heatmap_table(data, lang, kind),
                         t("components.heatmap_alt", lang, n=data.unit_id.nunique(), m=view["n_components"],
                           level=level_name, index=index_label(index_code, lang), year=year, highlight=sel_text))
    summary = view["summary"]
    if view["reduced"]:
        alt_text = t("components.distribution_binned_alt", lang, m=len(summary), level=level_name,
                     n=fmt.integer(view["n_units"], lang), highlight=dot_text)
        chart = ch.distribution_binned(view["bins"], summary, lang, view["mine"] if unit else None)
    else:
        alt_text = t("components.distribution_alt", lang, m=len(summary), level=level_name, highlight=dot_text)
        chart = ch.distribution(data, summary, lang, unit or None)
    out["distribution"] = _block(chart, summary_table(summary, view["mine"], unit, lang), alt_text)
    sa = view["self"]
    out["self"] = None if sa.empty else _block(
        ch.self_appraised_chart(sa, lang), self_table(sa, lang),
        t("components.self_alt", lang, n=sa.unit_id.nunique(), m=sa.component_id.nunique()))
    return out


def _block(chart, table: pd.DataFrame, alt_text: str) -> dict:
    """A chart ready to draw: its spec, its alt text, and its table (pandas for the downloads, Arrow for display:
    st.dataframe sends a pyarrow table without converting it again)."""
    table = table.reset_index(drop=True)
    return {"spec": ch.arrow_spec(chart), "alt": alt_text, "table": table,
            "arrow": pa.Table.from_pandas(table, preserve_index=False)}


def render_no_components(index_code: str, lang: str) -> None:
    st.info(t("components.not_published", lang, index=index_label(index_code, lang)), icon=":material/info:")
    st.page_link("pages/methodology.py", label=t("components.open_methodology", lang),
                 query_params={"lang": lang}, icon=":material/menu_book:")


def breadcrumb(tree: pd.DataFrame, parent: str, lang: str) -> str:
    path = qc.component_path(tree, parent) if parent else []
    crumbs = [t("components.top_level", lang)] + [p["name_vi"] if lang == "vi" else (p["name_en"] or p["name_vi"])
                                                  for p in path]
    return t("components.showing", lang) + " " + " › ".join(crumbs)


def drill_links(tree, parent, index_code, year, group, unit, lang) -> list[tuple[str, str, dict]]:
    """(label, icon, query params) of the links one level up and into each sub-component with children."""
    children = tree[(tree.parent_component_id == (parent or "")) & (tree.n_children > 0)]
    params = {"lang": lang, "index": index_code, "year": str(year), "group": group}
    if unit:
        params["unit"] = unit
    links = []
    if parent:
        up = tree[tree.component_id == parent].parent_component_id.iloc[0]
        links.append((t("components.drill_up", lang), ":material/arrow_upward:",
                      {**params, **({"component": up} if up else {})}))
    for r in children.itertuples():
        name = r.name_vi if lang == "vi" else (r.name_en or r.name_vi)
        links.append((t("components.drill_into", lang, name=name, n=r.n_children),
                      ":material/subdirectory_arrow_right:", {**params, "component": r.component_id}))
    return links


def render_drill_links(links: list[tuple[str, str, dict]], lang: str) -> None:
    if links:
        st.markdown(f"**{t('components.drill_links', lang)}**")
    for label, icon, params in links:
        st.page_link("pages/components.py", label=label, icon=icon, query_params=params)


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


def method_change_notes(index_code: str, year: int, edition_id: str, group: str, lang: str,
                        parent: str = "", tree: pd.DataFrame | None = None) -> list[tuple[str, str]]:
    """("caption" | "warning", text): how the component tree changed since the previous edition, at this level."""
    prev = q.previous_edition(index_code, year)
    if not prev:
        return [("caption", t("components.first_edition", lang))]
    changes = qc.method_changes(edition_id, prev["edition_id"], group)
    if changes.empty:
        return [("caption", t("components.no_changes", lang, prev=prev["year"]))]
    lines = [t("components.changes_intro", lang, prev=prev["year"], year=year)]
    tree = tree if tree is not None else qc.component_tree(edition_id, group)
    names = {r.component_id: (r.name_vi if lang == "vi" else (r.name_en or r.name_vi)) for r in tree.itertuples()}
    names["__children__"] = tree[tree.parent_component_id == (parent or "")].component_id.tolist()
    body = change_lines(qc.drop_children_of_added(changes), parent, lang, names)
    if not body:
        return [("caption", t("components.no_changes_here", lang, prev=prev["year"]))]
    return [("warning", "\n".join(lines + body))]


def _md(text) -> str:
    """Data text shown in markdown: escape the characters markdown would interpret."""
    out = str(text or "")
    for ch_ in "\\`*_{}[]()#+!|<>~$":
        out = out.replace(ch_, "\\" + ch_)
    return out


def chart_block(key: str, block: dict, citation: str, basename: str, lang: str, full=None, n_full: int = 0) -> None:
    """The chart, its alt text, and an expander with the table, data downloads and the chart image."""
    spec = block["spec"]
    st.vega_lite_chart(spec=spec, width="stretch", alt=block["alt"])
    st.caption(block["alt"])
    with st.expander(t("common.table_alt", lang)):
        st.dataframe(block["arrow"], hide_index=True, width="stretch", placeholder="–")
        download_buttons(block["table"], citation, basename, lang, key=f"components_{key}")
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
