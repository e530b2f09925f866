"""/compare's view: 2 to 6 units of the same kind side by side — trends of score and rank, component by component,
a table of differences, suggested peers and a like-for-like switch across two years.

Three cached builders, each returning a frozen view model (cached once per params, language and data version):
`build_compare_choices` (the pickers' options), `build_compare_view` (everything between the pickers and the
like-for-like switch) and `build_like_for_like`. pages/compare.py only draws them. The method-change text comes from
views.components.method_change_items (built in one place for both pages) and is stated before any figure."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import pyarrow as pa

from .. import fmt
from .. import queries as q
from ..charts import compare as cc
from ..charts.components import arrow_spec, svg_bytes
from ..i18n import t
from ..queries import compare as qp
from ..queries import component_scores as qc
from ..queries._cache import versioned, versioned_view
from ..queries.catalog import INDEX_CODES
from .components import ChartBlock, display_arrow, method_change_items

MIN_UNITS, MAX_UNITS = qp.MIN_UNITS, qp.MAX_UNITS
SEARCH_LIMIT = 6  # "Add …" buttons under the search box


@dataclass(frozen=True)
class CompareChoices:
    """The pickers: indices, the index's groups, its years (newest first), the default units (the three leaders of
    the latest edition), every unit with a result as {unit_id: name} in picker order, and the component levels."""

    index_code: str
    indices: list[str]
    index_labels: dict[str, str]
    group: str
    groups: list[str]
    group_labels: dict[str, str]
    years: list[int]
    default_units: list[str]
    unit_labels: dict[str, str]
    has_components: bool
    comp_years: list[int]
    parents: list[str]  # "" (top level) first, then by position
    level_names: dict[str, str]


@dataclass(frozen=True)
class Panels:
    """The small multiples: one legend and one chart per component (they stack on a phone); the table behind them;
    `svg_args` make the SVG of the whole set on click (components_svg)."""

    legend: dict
    panels: list[dict]
    titles: list[str]
    svg_args: tuple
    alt: str
    table: pd.DataFrame
    arrow: pa.Table
    citation: str
    basename: str


@dataclass(frozen=True)
class CompareView:
    changes: str | None  # Markdown: where the method changed, the years (stated first, above every figure)
    changes_details: str  # Markdown bullets: what changed, year by year
    changes_details_title: str
    trend_total: ChartBlock
    trend_rank: ChartBlock
    rank_computed: str  # "" or the note that ranks were computed from published totals
    total_break: str  # "" or the note that totals across a method change are not comparable
    citation: str
    share_url: str
    unit_list: str
    not_published: str = ""  # the index has no component scores
    level_name: str = ""
    components: Panels | None = None
    component_break: str = ""
    bars: ChartBlock | None = None
    diff_title: str = ""
    diff_display: pa.Table | None = None
    diff_alt: str = ""
    diff_note: str = ""
    peers: list[tuple[str, str]] = field(default_factory=list)  # (unit_id, link label)
    peers_title: str = ""


@dataclass(frozen=True)
class LikeForLike:
    scale: str
    left_out: str  # "" when nothing was left out
    none_left_out: str
    block: ChartBlock | None


def _edition_id(index_code: str, year: int) -> str:
    ed = q.edition(index_code, year)
    if not ed:
        raise ValueError(f"no {index_code} edition in {year}")
    return ed["edition_id"]


def _labels(index_code: str, group: str, lang: str) -> tuple[str, str]:
    return t(f"index.{index_code}", lang), t(f"group.{group}", lang)


def component_names(history: pd.DataFrame, lang: str) -> dict[str, str]:
    """component_id -> its latest name in `lang`."""
    latest = history.sort_values("year").drop_duplicates("component_id", keep="last")
    return dict(zip(latest.component_id, fmt.unit_names(latest, lang)))


@versioned_view
def build_compare_choices(index_code: str | None, group: str | None, lang: str) -> CompareChoices:
    """The options of every picker for the index and group asked for (or the defaults: PAPI, its first group)."""
    have = set(q.editions().index_code)
    indices = [c for c in INDEX_CODES if c in have]
    index_code = index_code if index_code in indices else ("papi" if "papi" in indices else indices[0])
    groups = qp.index_groups(index_code)
    group = group if group in groups else groups[0]
    years = qp.index_years(index_code, group)
    default = q.ranking(_edition_id(index_code, years[0]), group).dropna(subset=["rank"]).unit_id.head(3).tolist()
    pool = qp.index_units(index_code, group)
    history = qp.component_history(index_code, group)
    comp_years, parents, names = [], [""], {}
    if not history.empty:
        first_pos = history.groupby("component_id").position.min()
        comp_years = sorted(set(history.year.astype(int)), reverse=True)
        names = component_names(history, lang)
        parents += sorted(set(history.parent_component_id) - {""}, key=lambda c: (first_pos[c], c))
    return CompareChoices(
        index_code=index_code,
        indices=indices,
        index_labels={c: t(f"index.{c}", lang) for c in indices},
        group=group,
        groups=groups,
        group_labels={g: t(f"group.{g}", lang) for g in groups},
        years=years,
        default_units=default,
        unit_labels=dict(zip(pool.unit_id.tolist(), fmt.unit_names(pool, lang).tolist())),
        has_components=not history.empty,
        comp_years=comp_years,
        parents=parents,
        level_names=names,
    )


def normalise_units(raw: str | None, known, year: int) -> tuple[str | None, bool, bool]:
    """The `units` param with admin codes (01, 79) turned into unit ids and repeats dropped: (the new text, or None
    when unchanged; whether some unit was repeated; whether more than MAX_UNITS known units were asked for)."""
    if not raw:
        return None, False, False
    tokens = [tok.strip() for tok in raw.split(",") if tok.strip()]
    out = []
    for tok in tokens:
        uid = tok if tok in known else q.resolve_unit(tok, year)
        out.append(uid if uid is not None and uid in known else tok)
    unique = list(dict.fromkeys(out))
    text = ",".join(unique)
    too_many = len([o for o in unique if o in known]) > MAX_UNITS
    return (text if text != raw else None), len(unique) < len(out), too_many


def find_units(index_code: str, group: str, query: str, lang: str, chosen: tuple = ()) -> tuple[list[str], int]:
    """The units to offer under the search box: those with a result in this index and group matching `query`
    through the one unit search (accents optional; aliases such as "hcm", "tp hcm"), not yet chosen, best first
    (at most SEARCH_LIMIT), and how many matched in all."""
    pool = [u for u in qp.index_units(index_code, group).unit_id if u not in set(chosen)]
    return q.match_units(query, lang, pool=pool, limit=SEARCH_LIMIT)


def _block(chart, alt_text: str, table: pd.DataFrame, citation: str, basename: str, show_table: bool = True):
    table = table.reset_index(drop=True)
    return ChartBlock(arrow_spec(chart), alt_text, table, display_arrow(table) if show_table else None, citation,
                      basename)  # fmt: skip


def _citation(index_code: str, group: str, year: int, units: list[str], years: list[int], lang: str, url: str):
    """The citation of a comparison over the years: the sources that supplied the units' figures in every edition
    shown (queries.view_sources, most-used first; the edition's main source only where none is recorded)."""
    used: dict[str, dict] = {}
    for y in years:
        ed = q.edition(index_code, y)
        if not ed:
            continue
        for src in q.view_sources(ed["edition_id"], group, units):
            prev = used.get(src["source_id"])
            used[src["source_id"]] = {**src, "n_rows": src.get("n_rows", 0) + (prev or {}).get("n_rows", 0)}
    sources = sorted(used.values(), key=lambda r: -r.get("n_rows", 0))
    if not sources:
        sources = [q.edition_source(_edition_id(index_code, year))]
    index_name, group_name = _labels(index_code, group, lang)
    return fmt.citation_text(lang, f"{index_name} – {group_name}", f"{min(years)}–{max(years)}", sources, url)


def changes_text(changes: pd.DataFrame, parent: str, names: dict, lang: str, children) -> tuple[str | None, str]:
    """Where the method changed, for the level shown and the level below it: a short statement naming the years
    (shown first, above every figure) and the details year by year (Markdown bullets). (None, "") if nowhere."""
    items = method_change_items(changes, parent, names, lang, children)
    if not items:
        return None, ""
    by_year: dict = {}
    for year, text in items:
        by_year.setdefault(year, []).append(text)
    years = sorted(by_year, reverse=True)
    lines = [f"- **{year}**: " + " · ".join(by_year[year]) for year in years]
    summary = (
        t("compare.changes_intro", lang) + " " + t("compare.changes_years", lang, years=", ".join(map(str, years)))
    )
    return summary, "\n".join(lines)


@versioned_view
def build_compare_view(
    index_code: str, group: str, unit_ids: tuple, year: int, parent: str, lang: str, url: str
) -> CompareView:
    """Everything /compare draws between the pickers and the like-for-like switch, for one view."""
    units: list[str] = list(unit_ids)
    choices = build_compare_choices(index_code, group, lang)
    years, labels, names = choices.years, choices.unit_labels, choices.level_names
    history = qp.component_history(index_code, group)
    citation = _citation(index_code, group, year, units, years, lang, url)
    index_name, _ = _labels(index_code, group, lang)
    base = f"cchc_compare_{index_code}_{'-'.join(units)}_{lang}"
    changes = qp.method_changes(index_code, group) if choices.has_components else pd.DataFrame()
    children = set(history[history.parent_component_id == (parent or "")].component_id) if len(history) else set()
    summary, details = changes_text(changes, parent, names, lang, children) if len(changes) else (None, "")

    totals = qp.totals_series(index_code, group, units)
    # The total breaks where the set of dimensions changed (a renamed dimension is still the same dimension).
    top = (
        changes[(changes.parent_component_id.fillna("") == "") & changes.change.isin(["added", "dropped"])]
        if len(changes)
        else changes
    )
    top_breaks = sorted(set(top.year)) if len(top) else []
    unit_list = ", ".join(labels.get(u, u) for u in units)
    trend = trend_table(totals, lang)
    trend_total = _block(cc.trend(totals, lang, units, "total", top_breaks),
                         t("compare.trend_alt", lang, units=unit_list, index=index_name, first=min(years),
                           last=max(years)), trend, citation, f"{base}_total")  # fmt: skip
    trend_rank = _block(
        cc.trend(totals, lang, units, "rank", top_breaks),
        t("compare.rank_alt", lang, units=unit_list),
        trend,
        citation,
        f"{base}_rank",
        show_table=False,
    )  # fmt: skip  (the same table is under the total's chart)
    ranked = totals.dropna(subset=["rank"])
    computed = bool(len(ranked) and not ranked.rank_official.fillna(False).astype(bool).all())
    common = dict(
        changes=summary,
        changes_details=details,
        changes_details_title=t("compare.changes_details", lang),
        trend_total=trend_total,
        trend_rank=trend_rank,
        rank_computed=t("compare.rank_computed", lang) if computed else "",
        total_break=t("compare.total_break", lang, years=", ".join(str(y) for y in top_breaks)) if top_breaks else "",
        citation=citation,
        share_url=url,
        unit_list=unit_list,
        peers=peers(index_code, group, year, units, lang),
        peers_title=t("compare.peers_title", lang, year=year),
    )
    if not choices.has_components:
        return CompareView(**common, not_published=t("components.not_published", lang, index=index_name))

    series = qp.component_series(index_code, group, units, parent)
    level_name = names.get(parent, t("components.top_level", lang)) if parent else t("components.top_level", lang)
    shown = set(series.component_id)
    real = qc.drop_children_of_added(changes) if len(changes) else changes
    if len(changes):
        # A panel breaks where its own sub-components were added or dropped (a renamed one is the same measure).
        picked = real[real.parent_component_id.isin(shown) & real.change.isin(["added", "dropped"])]
        comp_breaks = pd.DataFrame({"component_id": picked.parent_component_id.tolist(), "year": picked.year.tolist()})
        comp_breaks = comp_breaks.drop_duplicates()
    else:
        comp_breaks = pd.DataFrame(columns=["component_id", "year"])
    alt_text = t("compare.components_trend_alt", lang, units=unit_list, m=series.component_id.nunique(),
                 level=level_name)  # fmt: skip
    components = panels(series, comp_breaks, lang, units, alt_text, series_table(series, lang), citation,
                        f"{base}_components_trend")  # fmt: skip

    this_year = series[series.year == year]
    if set(this_year.value_kind) == {"raw"}:  # raw scores as the source printed them (float32 sources: see fmt)
        this_year = this_year.assign(value=fmt.as_published(this_year.value), score=fmt.as_published(this_year.score))
    bars = diff_display = None
    first = labels.get(units[0], units[0])
    if this_year.value.notna().sum() > 0:
        diff = qp.differences(this_year, units, lang)
        bars = _block(cc.component_bars(this_year, lang, units),
                      t("compare.bars_alt", lang, units=unit_list, year=year, level=level_name),
                      diff_download(diff, this_year, lang), citation, f"{base}_{year}_bars", show_table=False)  # fmt: skip
        diff_display = pa.Table.from_pandas(diff_table(diff, lang), preserve_index=False)
    return CompareView(
        **common,
        level_name=level_name,
        components=components,
        component_break=t("compare.component_break", lang) if len(comp_breaks) else "",
        bars=bars,
        diff_title=t("compare.diff_title", lang, first=fmt.md_escape(first)),
        diff_display=diff_display,
        diff_alt=t("compare.diff_alt", lang, first=first),
        diff_note=t("compare.diff_note", lang, first=fmt.md_escape(first)),
    )


def panels(series, breaks, lang, units, alt_text, table, citation, basename) -> Panels:
    parts = cc.component_parts(series, breaks, lang, units)
    common = (lang, parts["units"], parts["years"])
    return Panels(
        legend=arrow_spec(cc.unit_legend(lang, parts["units"])),
        panels=[arrow_spec(cc.component_panel(p["rows"], *common, p["breaks"], p["title"], parts["kind"]))
                for p in parts["panels"]],
        titles=[p["title"] for p in parts["panels"]],
        svg_args=(series, breaks, lang, units),
        alt=alt_text,
        table=table,
        arrow=display_arrow(table),
        citation=citation,
        basename=basename,
    )  # fmt: skip


def components_svg(series: pd.DataFrame, breaks: pd.DataFrame, lang: str, units: list[str]) -> bytes:
    """The SVG image of the whole set of panels (the facet chart), made on the download button's click."""
    return svg_bytes(cc.component_trends(series, breaks, lang, units))


def peers(index_code: str, group: str, year: int, units: list[str], lang: str) -> list[tuple[str, str]]:
    """Suggested peers as (unit_id, link label), best first."""
    ed = q.edition(index_code, year)
    if not ed or len(units) >= MAX_UNITS:
        return []
    out = []
    for r in qp.suggested_peers(ed["edition_id"], group, list(units)).itertuples():
        why = t("compare.peer_parent", lang) if r.same_parent else t(
            "compare.peer_rank", lang, rank=fmt.integer(r.rank, lang), d=fmt.integer(r.rank_distance, lang))  # fmt: skip
        out.append((r.unit_id, f"+ {fmt.unit_name(r, lang)} · {why}"))
    return out


@versioned
def build_peers(index_code: str, group: str, year: int, units: tuple, lang: str) -> list[tuple[str, str]]:
    """The peers alone (when fewer than two units are chosen and no view is drawn)."""
    return peers(index_code, group, year, list(units), lang)


@versioned
def build_like_for_like(
    index_code: str, group: str, unit_ids: tuple, parent: str, a: int, b: int, year: int, lang: str, url: str
) -> LikeForLike:
    """The like-for-like comparison of years a < b: value kind, the components left out (named first), the chart."""
    units: list[str] = list(unit_ids)
    years = qp.index_years(index_code, group)
    citation = _citation(index_code, group, year, units, years, lang, url)
    base = f"cchc_compare_{index_code}_{'-'.join(units)}_{lang}"
    series = qp.component_series(index_code, group, units, parent)
    rows, left_out = qp.like_for_like(series, a, b)
    kind = "pct" if set(rows.value_kind) == {"pct"} else "raw"
    scale = t("compare.lfl_scale_pct" if kind == "pct" else "compare.lfl_scale_raw", lang)
    left = ""
    if len(left_out):
        items = ", ".join(
            f"{fmt.md_escape(name)} ({t('compare.only_in', lang, year=r.only_in)})"
            for name, r in zip(fmt.unit_names(left_out, lang, "component_vi", "component_en"), left_out.itertuples())
        )
        left = t("compare.lfl_left_out", lang, n=len(left_out), items=items)
    none_left = t("compare.lfl_none_left_out", lang, a=a, b=b)
    if rows.empty or rows[["value_a", "value_b"]].notna().sum().sum() == 0:
        return LikeForLike(scale, left, none_left, None)
    block = _block(cc.like_for_like_chart(rows, lang, units, a, b),
                   t("compare.lfl_alt", lang, a=a, b=b, m=rows.component_id.nunique()),
                   lfl_table(rows, lang, a, b), citation, f"{base}_like_for_like_{a}_{b}")  # fmt: skip
    return LikeForLike(scale, left, none_left, block)


# --- Tables: the downloads keep numbers as published (computed ones rounded to the published precision, ranks as
# integers, no True/False); the tables on screen are the same without the id columns. ---


def trend_table(totals: pd.DataFrame, lang: str) -> pd.DataFrame:
    official = totals.rank_official.map({True: t("common.official_rank", lang), False: t("common.computed_rank", lang)})
    return pd.DataFrame({
        t("common.year", lang): totals.year.astype(int),
        "unit_id": totals.unit_id,
        t("common.unit", lang): fmt.unit_names(totals, lang).tolist(),
        t("metric.total", lang): fmt.as_published(totals.total),
        t("common.rank", lang): totals["rank"].astype("Int64"),
        t("compare.rank_official_col", lang): official.where(totals["rank"].notna(), None),
        t("compare.n_ranked", lang): totals.n_ranked.astype("Int64"),
    })  # fmt: skip


def series_table(series: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        t("common.year", lang): series.year.astype(int),
        "unit_id": series.unit_id,
        t("common.unit", lang): fmt.unit_names(series, lang).tolist(),
        "component_id": series.component_id,
        t("components.component", lang): fmt.unit_names(series, lang, "component_vi", "component_en").tolist(),
        t("common.score", lang): fmt.as_published(series.score),
        t("compare.max_score", lang): series.max_score,
        t("components.value_pct", lang): series.pct_of_max.round(2),
    })  # fmt: skip


def _decimals(values: pd.DataFrame, kind_pct: bool) -> int:
    return 2 if kind_pct else fmt.published_decimals(*(values[c] for c in values.columns))


def diff_download(diff: pd.DataFrame, rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The table of differences for download: values, Δ and spread rounded to the published precision."""
    decimals = _decimals(rows[["score"]], set(rows.value_kind) == {"pct"})  # rows: scores as published
    out = diff.copy()
    for col in out.columns:
        if col not in ("component", "component_id"):
            out[col] = out[col].astype("float64").round(decimals)
    return out.rename(columns={"component": t("components.component", lang), "spread": t("compare.spread", lang)})


def diff_table(diff: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The table of differences on screen: figures in the reader's notation (Δ signed)."""
    out = diff.drop(columns=["component_id"]).copy()
    for col in out.columns:
        if col == "component":
            continue
        signed = str(col).startswith("Δ")
        out[col] = [fmt.number(v, lang, signed=signed) for v in out[col]]
    return out.rename(columns={"component": t("components.component", lang), "spread": t("compare.spread", lang)})


def lfl_table(rows: pd.DataFrame, lang: str, a: int, b: int) -> pd.DataFrame:
    pct = rows.value_kind == "pct"
    raw_a, raw_b = fmt.as_published(rows.value_a.where(~pct)), fmt.as_published(rows.value_b.where(~pct))
    decimals = max(2, fmt.published_decimals(raw_a, raw_b))
    return pd.DataFrame({
        "unit_id": rows.unit_id,
        t("common.unit", lang): fmt.unit_names(rows, lang).tolist(),
        "component_id": rows.component_id,
        t("components.component", lang): fmt.unit_names(rows, lang, "component_vi", "component_en").tolist(),
        str(a): rows.value_a.round(decimals),
        str(b): rows.value_b.round(decimals),
        t("compare.change", lang): rows.change.round(decimals),
        t("compare.value_kind", lang): rows.value_kind.map(
            {"pct": t("components.value_pct", lang), "raw": t("components.value_raw", lang)}),
    })  # fmt: skip
