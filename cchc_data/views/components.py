"""/components' view: where units are strong or weak, component by component (heatmap, distributions, drill-down,
self-assessed/appraised scores) and how the method changed since the previous edition.

`build_components_view` returns one frozen `ComponentsView`, cached once per (params, language, data version);
pages/components.py only draws it. `method_change_items` is the one place the method-change text is built: /compare
(views/compare.py) uses it too."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd
import pyarrow as pa

from .. import fmt
from .. import queries as q
from ..charts import components as ch
from ..i18n import t
from ..queries import compare as qp
from ..queries import component_scores as qc
from ..queries._cache import versioned, versioned_view
from ..queries.catalog import INDEX_CODES


@dataclass(frozen=True)
class ChartBlock:
    """A chart ready to draw: its Vega-Lite spec (datasets as Arrow), alt text, the table behind it (numbers as
    published, for the downloads) and the same table in Arrow for st.dataframe."""

    spec: dict
    alt: str
    table: pd.DataFrame
    arrow: pa.Table | None
    citation: str
    basename: str


@dataclass(frozen=True)
class DrillLink:
    label: str
    icon: str
    params: dict[str, str]  # the query params of the link: lang, index, year, group, unit, component


@dataclass(frozen=True)
class ComponentsPickers:
    """The pickers' options: indices with a component tree, years (newest first) and groups of the chosen index."""

    indices: list[str]
    index_labels: dict[str, str]
    years: list[int]
    groups: list[str]
    group_labels: dict[str, str]
    parents: list[str]  # "" (top level) first, then components with sub-components, tree order
    names: dict[str, str]
    edition_id: str | None
    has_components: bool
    not_published: str  # the notice when the index has no component tree


@dataclass(frozen=True)
class ComponentsView:
    breadcrumb: str
    changes: list[tuple[str, str]]  # ("caption" | "warning", Markdown): stated before any figure
    n_scored: int
    n_units: int
    scale: str = ""
    reduced_caption: str = ""
    heat: ChartBlock | None = None
    distribution: ChartBlock | None = None
    self_block: ChartBlock | None = None
    self_missing: str = ""
    drill: list[DrillLink] = field(default_factory=list)
    method_note: str = ""
    method_note_title: str = ""
    citation: str = ""
    share_url: str = ""
    full_csv_args: tuple | None = None  # (edition_id, group, parent, lang, kind, citation): the whole matrix


def _edition(index_code: str, year: int) -> dict:
    ed = q.edition(index_code, year)
    if not ed:
        raise ValueError(f"no {index_code} edition in {year}")
    return ed


def names_in(df: pd.DataFrame, lang: str) -> dict[str, str]:
    """component_id -> name in `lang` (English falls back to Vietnamese)."""
    return dict(zip(df.component_id, fmt.unit_names(df, lang)))


# --- The method-change text, built here only (also for /compare). ---


def method_change_items(
    changes: pd.DataFrame, parent: str, names: dict, lang: str, children: Iterable = ()
) -> list[tuple[int | None, str]]:
    """(year, Markdown text) of each change at the level shown (the children of `parent`), then one item per
    component of that level whose own sub-components changed. `changes` holds `diff_components` rows, with a
    `year` column when it spans several editions. `names` maps component ids to display names and `children`
    lists the level's component ids (those of other editions too). Data names are escaped."""
    if changes is None or changes.empty:
        return []
    changes = qc.drop_children_of_added(changes)
    if changes.empty:
        return []
    years = changes["year"] if "year" in changes else pd.Series([None] * len(changes), index=changes.index)
    parents = changes.parent_component_id.fillna("")
    parent = parent or ""

    def name(r, old: bool = False) -> str:
        vi, en = (r.old_name_vi, r.old_name_en) if old else (r.name_vi, r.name_en)
        return fmt.md_escape(vi if lang == "vi" or not isinstance(en, str) or not en else en)

    said: set = set()

    def since(r, year) -> list:  # compared with an older edition (those between did not publish the level): said once
        skipped = getattr(r, "skipped", False)
        if skipped is None or not bool(skipped) or (year, r.prev_year) in said:
            return []
        said.add((year, r.prev_year))
        return [(year, t("components.compared_with", lang, prev=int(r.prev_year)))]

    items: list[tuple[int | None, str]] = []
    here = changes[parents == parent]
    for r, year in zip(here.itertuples(), years[here.index]):
        level = t(f"components.level.{r.level}", lang)
        if r.change == "renamed":
            if name(r, True) == name(r):
                continue  # renamed in the other language only: nothing changed for this reader
            text = t("components.change.renamed", lang, level=level, old=name(r, True), name=name(r))
        else:
            text = t(f"components.change.{r.change}", lang, level=level, name=name(r))
        items.extend(since(r, year) + [(year, text)])
    level_ids = set(children) | set(here.component_id)
    below = changes[(parents != parent) & parents.isin(level_ids)]
    if len(below):  # renamed in the other language only: nothing changed for this reader
        seen = [r.change != "renamed" or name(r, True) != name(r) for r in below.itertuples()]
        below = below[seen]
    for (year, pid), part in below.groupby([years[below.index].fillna(-1), "parent_component_id"], sort=False):
        bits = []
        for change in ("added", "dropped", "renamed"):
            rows = part[part.change == change]
            if len(rows):
                bits.append(t(f"components.below.{change}", lang, names=", ".join(name(r) for r in rows.itertuples())))
        text = t("components.below", lang, parent=fmt.md_escape(names.get(pid, pid)), changes="; ".join(bits))
        year = None if year == -1 else year
        items.extend(since(part.iloc[0], year) + [(year, text)])
    return items


# --- Pickers and view ---


@versioned_view
def build_components_pickers(index_code: str | None, year: int | None, lang: str) -> ComponentsPickers:
    """Options of the index, year and group pickers (and the level picker's for the edition of `year`)."""
    available_idx = set(q.editions().index_code)
    indices = [c for c in INDEX_CODES if c in available_idx]
    index_code = index_code if index_code in indices else ("papi" if "papi" in indices else indices[0])
    labels = {c: t(f"index.{c}", lang) for c in indices}
    available = qc.component_editions(index_code)
    if available.empty:
        return ComponentsPickers(
            indices, labels, [], [], {}, [""], {}, None, False,
            t("components.not_published", lang, index=labels[index_code]),
        )  # fmt: skip
    years = sorted(set(available.year.astype(int)), reverse=True)
    chosen = int(year) if year in years else years[0]  # type: ignore[arg-type]
    groups = available[available.year == chosen].unit_group.tolist()
    edition_id = _edition(index_code, chosen)["edition_id"]
    parents, names = qc.component_choices(edition_id, groups[0], lang)
    return ComponentsPickers(
        indices, labels, years, groups, {g: t(f"group.{g}", lang) for g in groups}, [""] + parents, names,
        edition_id, True, "",
    )  # fmt: skip


@versioned
def unit_options(edition_id: str, group: str, lang: str) -> tuple[int, list[str], dict[str, str]]:
    """The highlight picker: the group's size and, up to LARGE_GROUP units, every unit in label order with labels."""
    n_units = qc.group_size(edition_id, group)
    if n_units > qc.LARGE_GROUP:
        return n_units, [], {}
    ids, labels = qc.unit_choices(edition_id, group, lang)
    return n_units, ids, labels


def highlight_lookup(
    edition_id: str, group: str, year: int, lang: str, token: str | None
) -> tuple[str | None, str | None]:
    """The `unit` param (a unit id, or an admin code such as 01) as a unit id, and its picker label when the unit
    is in the group (None otherwise)."""
    if not token:
        return None, None
    resolved = q.resolve_unit(token, year)
    return resolved, qc.unit_label(edition_id, group, lang, resolved)


def highlight_search(edition_id: str, group: str, lang: str, query: str) -> tuple[list[tuple[str, str]], int]:
    """The highlight picker's search: the group's units matching `query` through the one unit search
    (queries.units.match_units: accents optional, aliases such as "hcm", admin codes), best first, as at most
    MATCH_LIMIT (unit_id, label) pairs, and how many matched in all."""
    ids, labels = qc.group_units(edition_id, group, lang)
    hits, total = q.match_units(query, lang, pool=ids, limit=qc.MATCH_LIMIT)
    return [(u, labels[u]) for u in hits], total


def method_change_notes(
    index_code: str, year: int, edition_id: str, group: str, lang: str, parent: str, tree: pd.DataFrame
) -> list[tuple[str, str]]:
    """("caption" | "warning", text): how the component tree changed since the previous edition, at this level."""
    prev = q.previous_edition(index_code, year)
    if not prev:
        return [("caption", t("components.first_edition", lang))]
    history = qp.method_changes(index_code, group)  # the one list of method changes (/compare reads it too)
    changes = history[history.year == year].reset_index(drop=True)
    if changes.empty:
        return [("caption", t("components.no_changes", lang, prev=prev["year"]))]
    children = tree[tree.parent_component_id == (parent or "")].component_id.tolist()
    items = method_change_items(changes, parent, names_in(tree, lang), lang, children)
    if not items:
        return [("caption", t("components.no_changes_here", lang, prev=prev["year"]))]
    intro = t("components.changes_intro", lang, prev=prev["year"], year=year)
    return [("warning", "\n".join([intro] + ["- " + text for _, text in items]))]


def display_arrow(table: pd.DataFrame) -> pa.Table:
    """A table for st.dataframe: without its id columns (no raw codes on screen) and with repeated text
    dictionary-encoded (a component's name once, not once per row: /compare's panel table went 61 -> ~15 KB)."""
    shown = table.drop(columns=[c for c in ("unit_id", "component_id") if c in table])
    for col in shown.columns:
        values = shown[col]
        if (pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values)) and values.nunique() < len(
            values
        ) / 2:
            shown[col] = values.astype("category")
    return pa.Table.from_pandas(shown, preserve_index=False)


def _block(chart, table: pd.DataFrame, alt_text: str, citation: str, basename: str) -> ChartBlock:
    """The chart ready to draw; the table on screen is the download without its id columns (no raw codes)."""
    table = table.reset_index(drop=True)
    return ChartBlock(ch.arrow_spec(chart), alt_text, table, display_arrow(table), citation, basename)


def _sources(edition_id: str, group: str) -> list[dict]:
    """The sources that supplied the view's figures (the rows' own sources, most-used first), else the edition's."""
    return q.view_sources(edition_id, group) or [q.edition_source(edition_id)]


def method_note(edition: dict, lang: str) -> str:
    """The edition's method note in the reader's language (the Vietnamese text where the data has one)."""
    vi, en = edition.get("method_note_vi"), edition.get("method_note")
    text = vi if lang == "vi" and isinstance(vi, str) and vi.strip() else en
    return text.strip() if isinstance(text, str) else ""


@versioned_view
def build_components_view(
    index_code: str, year: int, group: str, parent: str, unit: str, lang: str, url: str
) -> ComponentsView:
    """Everything /components draws below its pickers, for one edition, group, level and highlighted unit."""
    ed = _edition(index_code, year)
    edition_id = ed["edition_id"]
    view = qc.component_view(edition_id, group, parent, unit or None)
    labels = dict(zip(view["units"].unit_id, fmt.unit_names(view["units"], lang)))
    unit = unit if unit in labels else ""
    tree = qc.component_tree(edition_id, group)
    names = names_in(tree, lang)
    top = t("components.top_level", lang)
    index_name = t(f"index.{index_code}", lang)
    citation = fmt.citation_text(lang, f"{index_name} – {t(f'group.{group}', lang)}", year,
                                 _sources(edition_id, group), url)  # fmt: skip
    common = dict(
        breadcrumb=breadcrumb(tree, parent, lang),
        changes=method_change_notes(index_code, year, edition_id, group, lang, parent, tree),
        n_scored=view["n_scored"],
        n_units=view["n_units"],
        drill=drill_links(tree, parent, index_code, year, group, unit, lang),
        method_note=method_note(ed, lang),
        method_note_title=t("components.method_note", lang),
        citation=citation,
        share_url=url,
    )
    if view["n_scored"] == 0:
        return ComponentsView(**common)
    kind = view["kind"]
    level_name = names.get(parent, top) if parent else top
    data = view["heat"]
    base = f"cchc_{index_code}_{year}_{group}_{parent or 'top'}_{lang}".replace(".", "-")
    sel_text = t("components.alt_highlight", lang, unit=labels[unit]) if unit else ""
    dot_text = t("components.alt_highlight_dot", lang, unit=labels[unit]) if unit else ""
    reduced_caption = ""
    if view["reduced"]:
        reduced_caption = t("components.reduced_heatmap", lang, n=fmt.integer(view["n_units"], lang), edge=qc.EDGE,
                            highlight=t("components.reduced_highlight", lang) if unit else "")  # fmt: skip
    heat = _block(
        ch.heatmap(data, lang, unit or None),
        heatmap_table(data, lang, kind),
        t("components.heatmap_alt", lang, n=data.unit_id.nunique(), m=view["n_components"], level=level_name,
          index=index_name, year=year, highlight=sel_text),
        citation, f"{base}_heatmap",
    )  # fmt: skip
    summary = view["summary"]
    if view["reduced"]:
        alt_text = t("components.distribution_binned_alt", lang, m=len(summary), level=level_name,
                     n=fmt.integer(view["n_units"], lang), highlight=dot_text)  # fmt: skip
        chart = ch.distribution_binned(view["bins"], summary, lang, view["mine"] if unit else None)
    else:
        alt_text = t("components.distribution_alt", lang, m=len(summary), level=level_name, highlight=dot_text)
        chart = ch.distribution(data, summary, lang, unit or None)
    decimals = 2 if kind == "pct" else fmt.published_decimals(view["heat"].score)
    distribution = _block(chart, summary_table(summary, view["mine"], unit, lang, decimals), alt_text, citation,
                          f"{base}_distribution")  # fmt: skip
    sa = view["self"]
    self_block = None
    if not sa.empty:
        self_block = _block(ch.self_appraised_chart(sa, lang), self_table(sa, lang),
                            t("components.self_alt", lang, n=sa.unit_id.nunique(), m=sa.component_id.nunique()),
                            citation, f"{base}_self_appraised")  # fmt: skip
    return ComponentsView(
        **common,
        scale=t("components.scale_pct" if kind == "pct" else "components.scale_raw", lang),
        reduced_caption=reduced_caption,
        heat=heat,
        distribution=distribution,
        self_block=self_block,
        self_missing=t("components.self_missing", lang, index=index_name, year=year) if self_block is None else "",
        full_csv_args=(edition_id, group, parent, lang, kind) if view["reduced"] else None,
    )


def full_matrix(edition_id: str, group: str, parent: str, lang: str, kind: str) -> pd.DataFrame:
    """The whole unit × component matrix of a large group (the download under a reduced heatmap; made on click)."""
    return heatmap_table(qc.component_scores(edition_id, group, parent), lang, kind)


def breadcrumb(tree: pd.DataFrame, parent: str, lang: str) -> str:
    path = qc.component_path(tree, parent) if parent else []
    crumbs = [t("components.top_level", lang)] + [fmt.unit_name(p, lang) for p in path]
    return t("components.showing", lang) + " " + " › ".join(fmt.md_escape(c) for c in crumbs)


def drill_links(tree, parent, index_code, year, group, unit, lang) -> list[DrillLink]:
    """The links one level up and into each sub-component with children."""
    children = tree[(tree.parent_component_id == (parent or "")) & (tree.n_children > 0)]
    params = {"lang": lang, "index": index_code, "year": str(year), "group": group}
    if unit:
        params["unit"] = unit
    links = []
    if parent:
        up = tree[tree.component_id == parent].parent_component_id.iloc[0]
        links.append(DrillLink(t("components.drill_up", lang), ":material/arrow_upward:",
                               {**params, **({"component": up} if up else {})}))  # fmt: skip
    for r in children.itertuples():
        label = t("components.drill_into", lang, name=fmt.unit_name(r, lang), n=r.n_children)
        links.append(DrillLink(label, ":material/subdirectory_arrow_right:", {**params, "component": r.component_id}))
    return links


def heatmap_table(data: pd.DataFrame, lang: str, kind: str) -> pd.DataFrame:
    """One row per unit (best total first): rank, total and each component's value (% of max to two decimals, or
    the raw score as published)."""
    d = ch.labelled(data, lang)
    order = ch.component_order(d)
    if kind == "pct":  # a share computed here: two decimals (the raw scores stay as published)
        d = d.assign(value=d.value.round(2))
    else:
        d = d.assign(value=fmt.as_published(d.value))
    d = d.assign(total=fmt.as_published(d.total))
    base = d.drop_duplicates("unit_id")[["unit_id", "unit", "rank", "total"]].set_index("unit_id")
    values = d.set_index(["unit_id", "component"])["value"].unstack("component").reindex(columns=order)
    wide = base.join(values).reset_index()
    wide = wide.assign(_m=wide.total.isna()).sort_values(["_m", "total"], ascending=[True, False]).drop(columns="_m")
    wide["rank"] = wide["rank"].astype("Int64")
    suffix = " (%)" if kind == "pct" else ""
    return wide.rename(columns={"unit": t("common.unit", lang), "rank": t("common.rank", lang),
                                "total": t("metric.total", lang), **{c: c + suffix for c in order}})  # fmt: skip


def summary_table(
    summary: pd.DataFrame, data: pd.DataFrame, unit: str | None, lang: str, decimals: int = 2
) -> pd.DataFrame:
    """Per component: units with a score, median, best and the best unit(s), and the highlighted unit's value
    (`data`: its rows). Values rounded to `decimals` (the published precision; medians may carry one more)."""
    s = ch.labelled(summary, lang)
    out = pd.DataFrame({
        t("components.component", lang): s.component,
        t("components.col_n", lang): s.n,
        t("components.role_median", lang): s["median"].round(decimals + 1),
        t("components.role_best", lang): s.best.round(decimals),
        t("components.col_best_unit", lang): s.best_vi if lang == "vi" else s.best_en,
    })  # fmt: skip
    if unit:
        mine = data[data.unit_id == unit].set_index("component_id").value  # data: the unit's rows
        out[t("components.role_selected", lang)] = s.component_id.map(mine).round(decimals).values
    return out


def self_table(sa: pd.DataFrame, lang: str) -> pd.DataFrame:
    d = ch.labelled(sa, lang)
    decimals = fmt.published_decimals(d.score_self, d.score_appraised)
    return pd.DataFrame({
        t("common.unit", lang): d.unit,
        t("components.component", lang): d.component,
        t("components.self", lang): fmt.as_published(d.score_self),
        t("components.appraised", lang): fmt.as_published(d.score_appraised),
        t("components.final", lang): fmt.as_published(d.score),
        t("components.gap", lang): d.gap_self_minus_appraised.round(decimals),
    })  # fmt: skip
