"""/rankings' view: one edition and group as a formatted table (vi/en numbers, unit links, change arrows), one page
of it, the names of its units, the highlighted unit's row and chart window, and the texts above the table (partial
table: which units and figures were published; method change; what the changes are measured against).

The query layer (cchc_data.queries.rankings) returns data only; everything here formats it, cached once per view
(@versioned: arguments + data version), so a warm rerun does no per-row work. pages/rankings.py only draws."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .. import fmt
from .. import queries as q
from ..charts.components import arrow_spec
from ..charts.rankings import chart_window, ranking_bars
from ..i18n import t
from ..queries import maps as qmap
from ..queries import rankings as qr
from ..queries._cache import versioned, versioned_view
from ..queries.catalog import components, dimension_changes
from ._arrow import arrow_table
from .coverage import published_coverage

__all__ = [
    "RankingsHeader",
    "build_rankings_header",
    "citation",
    "download_table",
    "focus_view",
    "format_table",
    "ranking_focus",
    "ranking_page",
    "ranking_units",
]


# From PCI 2023 VCCI publishes scores and ranks for the top 30 provinces only (the edition's method note).
PCI_TOP_30_FROM = 2023

# The table's columns in reading order: the tier next to the score (it sat off-screen after the changes).
COLUMN_ORDER = (
    "rank",
    "rank_mark",
    "unit",
    "province",
    "score",
    "tier",
    "rank_change",
    "score_change",
    "band",
    "source",
)


@dataclass(frozen=True)
class RankingsHeader:
    """What /rankings says above its table, in the reader's language (Markdown, data strings escaped)."""

    group_labels: dict[str, str]
    partial: str | None  # partial edition: which units and figures were published, and which were not
    method_change: str | None  # the method changed since the previous edition (score changes left blank)
    compared_with: str
    method_note: str  # the edition's method note in the reader's language
    n: int
    n_scored: int
    source: list[dict]  # the sources of the figures shown (the rows' own source_id), most-used first


def _method_change(edition_id: str, prev_edition_id: str | None, lang: str) -> dict | None:
    if prev_edition_id is None:
        return None
    changes = dimension_changes(edition_id, prev_edition_id)
    if not (changes["added"] or changes["dropped"]):
        return None
    comps = pd.concat([components(edition_id), components(prev_edition_id)])
    names = dict(zip(comps.component_id, fmt.unit_names(comps, lang)))
    return {
        "added": fmt.md_escape(", ".join(names[c] for c in changes["added"]) or "–"),
        "dropped": fmt.md_escape(", ".join(names[c] for c in changes["dropped"]) or "–"),
    }


@versioned_view
def build_rankings_header(edition_id: str, unit_group: str, index_code: str, year: int, lang: str) -> RankingsHeader:
    ed = q.edition(index_code, year) or {}
    summary = qr.ranking_summary(edition_id, unit_group, index_code, year)
    prev = q.previous_edition(index_code, year)
    change = _method_change(edition_id, prev["edition_id"] if prev else None, lang)
    partial = None
    if ed.get("completeness") == "partial":
        df = qr.ranking_frame(edition_id, unit_group, summary["prev_edition_id"])
        expected = {}  # how many units a complete table has, where the map layers tell us
        if unit_group == "provinces":
            expected["provinces"] = len(qmap.layer_units(qmap.province_layer(year)))  # 63, or 34 from 2025
        elif unit_group == "districts" and index_code in ("par_hanoi", "par_hcmc"):
            expected["districts"] = len(qmap.layer_units("hanoi" if index_code == "par_hanoi" else "hcmc"))
        partial = t("notice.partial", lang) + " " + published_coverage(df, lang, expected, score="total")
        if index_code == "pci" and int(year) >= PCI_TOP_30_FROM:  # a publication rule, said plainly (issue 13)
            partial = t("rankings.pci_top30", lang, year=PCI_TOP_30_FROM) + " " + partial
    note = ed.get("method_note_vi") if lang == "vi" and ed.get("method_note_vi") else ed.get("method_note")
    return RankingsHeader(
        group_labels={g: t(f"group.{g}", lang) for g in q.edition_groups(edition_id)},
        partial=partial,
        method_change=t("rankings.method_changed", lang, **change) if change else None,
        compared_with=(
            t("rankings.compared_with", lang, index=t(f"index.{index_code}", lang), year=prev["year"])
            if prev
            else t("rankings.no_previous", lang)
        ),
        method_note=str(note or ""),
        n=summary["n"],
        n_scored=summary["n_scored"],
        source=q.view_sources(edition_id, unit_group) or [q.edition_source(edition_id)],
    )


def citation(edition_id: str, unit_group: str, index_code: str, year: int, lang: str, url: str) -> str:
    """The citation line of the view and of its downloads: the sources of the rows shown (header.source)."""
    header = build_rankings_header(edition_id, unit_group, index_code, year, lang)
    label = f"{t(f'index.{index_code}', lang)} – {t(f'group.{unit_group}', lang)}"
    return fmt.citation_text(lang, label, year, header.source, url)


@versioned_view
def ranking_units(edition_id: str, unit_group: str, index_code: str | None, year: int | None, lang: str) -> dict:
    """unit_id -> name in `lang`, every unit of the group, in ranking order."""
    df = qr.ranking_frame(edition_id, unit_group, qr.prev_edition_id(index_code, year))
    return dict(zip(df.unit_id.tolist(), fmt.unit_names(df, lang).tolist()))


def _tier(df: pd.DataFrame, lang: str) -> pd.Series:
    """The printed tier in the reader's language (results.tier_vi / tier_en), the tier as printed where absent."""
    own = df.tier_vi if lang == "vi" else df.tier_en
    return own.where(own.notna() & (own != ""), df.tier)


def format_table(df: pd.DataFrame, lang: str, unit_link_base: str) -> pd.DataFrame:
    """What the rankings table shows, formatted per language (vectorised except the number formatting, which
    runs once per cached view). `unit_link_base` is the /unit share link without the unit."""

    def numbers(values, signed=False):
        return [fmt.number(v, lang, signed=signed) for v in values.tolist()]

    has_rank = df["rank"].notna()
    rank_mark = np.where(has_rank & ~df.rank_official.fillna(False).astype(bool), "✱", "")
    rc = df.rank_change
    within = df.change_within_precision.fillna(False).astype(bool)
    arrows = np.where(rc.fillna(0) > 0, "▲", "▼")
    rank_change = np.where(
        rc.isna(),
        "–",
        np.where(
            within,
            "≈",
            np.where(rc.fillna(0) == 0, "=", pd.Series(arrows, index=df.index) + rc.abs().astype("string").fillna("")),
        ),
    )
    score_change = np.where(df.total_change.isna(), "–", np.where(within, "≈", numbers(df.total_change, True)))
    banded = df.band_size.fillna(0).gt(1) & df.band_rank_lo.notna()
    band = np.where(
        banded, df.band_rank_lo.astype("string").fillna("") + "–" + df.band_rank_hi.astype("string").fillna(""), ""
    )
    return pd.DataFrame(
        {
            "rank": df["rank"].astype("Int64"),
            "rank_mark": rank_mark,
            "unit": unit_link_base + "&unit=" + df.unit_id + "#" + fmt.unit_names(df, lang),
            "score": np.where(df.total.isna(), t("rankings.no_score", lang), numbers(df.total)),
            "rank_change": rank_change,
            "score_change": score_change,
            "band": band,
            "tier": _tier(df, lang).fillna(""),
            # A commune's or district's province (two-tier units are ranked with it); blank for other groups.
            "province": fmt.unit_names(df, lang, "parent_name_vi", "parent_name_en").where(
                df.parent_name_vi.notna(), ""
            )
            if df.unit_group.isin(("communes", "districts")).any()
            else "",
            "source": df.source_url.fillna(""),
        },
        index=df.index,
    )


@versioned
def _table(
    edition_id: str, unit_group: str, prev_edition_id: str | None, blank_changes: bool, lang: str, unit_link_base: str
) -> pd.DataFrame:
    return format_table(qr.rows_for(edition_id, unit_group, prev_edition_id, "", blank_changes), lang, unit_link_base)


@versioned_view
def ranking_page(
    edition_id: str,
    unit_group: str,
    index_code: str | None,
    year: int | None,
    lang: str,
    unit_link_base: str,
    needle: str = "",
    page: int = 1,
    page_size: int | None = None,
    blank_changes: bool = False,
) -> dict:
    """One page of the formatted rankings table (every matching row when page_size is None):
    table (formatted rows) and display (the same as Arrow, for st.dataframe), ids and labels (their unit ids and names), n_shown (rows matching the search),
    n_total (units in the group), page (clamped), n_pages, first/last (1-based row numbers shown; 0 if none)."""
    prev = qr.prev_edition_id(index_code, year)
    table = _table(edition_id, unit_group, prev, bool(blank_changes), lang, unit_link_base)
    df = qr.ranking_frame(edition_id, unit_group, prev)
    pos = qr.ranking_matches(edition_id, unit_group, prev, needle) if needle else np.arange(len(df))
    n_shown = len(pos)
    if page_size:
        n_pages = max(1, -(-n_shown // page_size))
        page = min(max(1, int(page)), n_pages)
        pos = pos[(page - 1) * page_size : page * page_size]
        first = (page - 1) * page_size + 1 if n_shown else 0
    else:
        n_pages, page, first = 1, 1, 1 if n_shown else 0
    rows = df.iloc[pos]
    # Columns that hold something in this view (PAR prints no tiers; a table without ties has no bands).
    blank = {c for c in ("tier", "province", "band", "rank_mark", "source") if (table[c].fillna("") == "").all()}
    page_rows = table.iloc[pos]
    return {
        "table": page_rows,
        "display": arrow_table(page_rows),
        "columns": [c for c in COLUMN_ORDER if c not in blank],
        "ids": rows.unit_id.tolist(),
        "labels": fmt.unit_names(rows, lang).tolist(),
        "n_shown": n_shown,
        "n_total": len(df),
        "page": page,
        "n_pages": n_pages,
        "first": first,
        "last": first + len(pos) - 1 if n_shown else 0,
    }


@versioned_view
def ranking_focus(
    edition_id: str,
    unit_group: str,
    index_code: str | None,
    year: int | None,
    needle: str = "",
    unit: str | None = None,
) -> dict:
    """What the view shows about one (highlighted) unit: row (its ranking row as a dict, None if it is not in the
    group), position (0-based, among the rows matching the search; None if filtered out), leader_total (the
    total at rank 1), bars (the chart's window of the matching rows, with the unit's neighbours), n_scored
    (matching rows with a total) and n_shown (matching rows)."""
    prev = qr.prev_edition_id(index_code, year)
    unit = unit or ""
    df = qr.ranking_frame(edition_id, unit_group, prev)
    pos = qr.ranking_matches(edition_id, unit_group, prev, needle) if needle else None
    shown = df if pos is None else df.iloc[pos]
    hit = np.flatnonzero((df.unit_id == unit).to_numpy(dtype=bool)) if unit else np.array([], dtype=int)
    row = df.iloc[int(hit[0])].to_dict() if len(hit) else None
    position = None
    if len(hit):
        at = int(hit[0])
        if pos is None:
            position = at
        else:
            found = np.flatnonzero(pos == at)
            position = int(found[0]) if len(found) else None
    leader = df.loc[df["rank"] == 1, "total"]
    bars = chart_window(shown[["unit_id", "name_vi", "name_en", "total", "rank"]], unit or None)
    return {
        "row": row,
        "position": position,
        "leader_total": float(leader.iloc[0]) if len(leader) and pd.notna(leader.iloc[0]) else None,
        "bars": bars,
        "n_scored": int(shown.total.notna().sum()),
        "n_shown": len(shown),
    }


def download_table(
    edition_id: str, unit_group: str, index_code: str, year: int, needle: str, blank_changes: bool, lang: str
) -> pd.DataFrame:
    """Every row of the view (all pages), as plain values (numbers stay numbers) under the table's column names;
    notes in the reader's language. Built on click only."""
    df = qr.ranking_rows(edition_id, unit_group, index_code, year, needle, blank_changes)
    band = [
        f"{int(lo)}–{int(hi)}" if pd.notna(n) and n > 1 and pd.notna(lo) else ""
        for lo, hi, n in zip(df.band_rank_lo, df.band_rank_hi, df.band_size)
    ]
    note = df.note_vi.where(df.note_vi.notna() & (df.note_vi != ""), df.note) if lang == "vi" else df.note
    decimals = fmt.published_decimals(df.total, df.prev_total)
    out = pd.DataFrame(
        {
            t("rankings.col_rank", lang): df["rank"].astype("Int64"),
            t("rankings.col_rank_mark", lang): [
                "" if pd.isna(r) else (t("rankings.mark_official", lang) if o else t("rankings.mark_computed", lang))
                for r, o in zip(df["rank"], df.rank_official)
            ],
            "unit_id": df.unit_id,
            t("rankings.col_unit", lang): fmt.unit_names(df, lang).tolist(),
            t("rankings.col_province", lang): fmt.unit_names(df, lang, "parent_name_vi", "parent_name_en").where(
                df.parent_name_vi.notna(), ""
            ),
            t("rankings.col_score", lang): df.total,
            t("rankings.col_rank_change", lang): df.rank_change,
            t("rankings.col_score_change", lang): df.total_change.round(decimals),
            t("rankings.col_band", lang): band,
            t("rankings.col_tier", lang): _tier(df, lang),
            t("rankings.col_source", lang): df.source_url,
            t("rankings.col_note", lang): note,
        }
    )
    if not df.unit_group.isin(("communes", "districts")).any():  # a province column only for two-tier units
        out = out.drop(columns=t("rankings.col_province", lang))
    return out


# --- Texts of the highlighted unit's card, the chart, the row counts and the page picker (formatted here only) ---


@dataclass(frozen=True)
class GapCard:
    """The highlighted unit's card: its rank, the points to the rank above (or to the top), its tie band."""

    title: str  # Markdown (the unit's name escaped)
    rank_label: str
    rank_value: str | None  # None: the unit has no rank (the card says why in `captions`)
    rank_help: str | None  # the ✱ explained where it is shown
    gap_label: str | None
    gap_value: str | None
    captions: list[str]
    link_label: str  # plain text (st.page_link labels are not Markdown)


def gap_card(focus: dict, lang: str) -> GapCard | None:
    row = focus["row"]
    if row is None:
        return None
    name = fmt.unit_name(row, lang)
    title = f"**{t('rankings.gap_title', lang, unit=fmt.md_escape(name))}**"
    link = t("rankings.open_profile", lang, unit=name)
    if pd.isna(row["rank"]):
        return GapCard(
            title, t("rankings.gap_rank", lang), None, None, None, None, [t("rankings.gap_unknown", lang)], link
        )
    official = bool(row["rank_official"]) if pd.notna(row["rank_official"]) else False
    rank_value = fmt.integer(row["rank"], lang) + ("" if official else " ✱")
    gap_label = gap_value = None
    captions: list[str] = []
    if row["rank"] == 1:
        gap_label, gap_value = t("rankings.gap_top", lang), "0"
        captions.append(t("rankings.gap_first", lang, unit=fmt.md_escape(name)))
    elif pd.notna(row["points_to_next"]):
        gap = row["points_to_next"]
        gap_label = t("rankings.gap_points", lang, rank=fmt.integer(row["rank"] - 1, lang))
        gap_value = fmt.number(gap, lang) if gap >= qr.TIE_PRECISION else "< " + fmt.number(qr.TIE_PRECISION, lang)
        leader = focus["leader_total"]
        if leader is not None and pd.notna(row["total"]):
            captions.append(f"{t('rankings.gap_top', lang)}: {fmt.number(leader - row['total'], lang)}")
    else:
        captions.append(t("rankings.gap_unknown", lang))
    if pd.notna(row["band_size"]) and row["band_size"] > 1 and pd.notna(row["band_rank_lo"]):
        captions.append(
            t(
                "rankings.band_note",
                lang,
                lo=fmt.integer(row["band_rank_lo"], lang),
                hi=fmt.integer(row["band_rank_hi"], lang),
                n=fmt.integer(row["band_size"], lang),
            )
        )
    return GapCard(
        title,
        t("rankings.gap_rank", lang),
        rank_value,
        None if official else t("rankings.mark_computed_help", lang),
        gap_label,
        gap_value,
        captions,
        link,
    )


@dataclass(frozen=True)
class ChartTexts:
    title: str
    alt: str
    window: str | None  # the chart shows a window of the rows (leaders and the highlighted unit's neighbours)
    caption: str
    builder_args: dict  # ranking_bars' labels
    bars: pd.DataFrame  # the chart's rows, each with its name in the reader's language (`label`)
    spec: dict  # ranking_bars of those rows, ready for st.vega_lite_chart


def chart_texts(focus: dict, lang: str, index_code: str, year: int, selected: str | None) -> ChartTexts | None:
    """None when no matching row has a score."""
    n_scored = focus["n_scored"]
    if n_scored == 0:
        return None
    bars = focus["bars"]
    sel_name = fmt.unit_name(focus["row"], lang) if focus["row"] is not None and focus["position"] is not None else None
    alt = t(
        "rankings.chart_alt",
        lang,
        index=t(f"index.{index_code}", lang),
        year=year,
        n=n_scored,
        highlight=t("rankings.chart_alt_highlight", lang, unit=sel_name) if sel_name else "",
    )
    args: dict[str, Any] = dict(
        label_col="label",
        score_title=t("rankings.col_score", lang),
        unit_title=t("rankings.col_unit", lang),
        rank_title=t("rankings.col_rank", lang),
        highlight_unit=selected,
    )
    window = t("rankings.chart_window", lang, n=len(bars), total=n_scored) if len(bars) < n_scored else None
    labelled = bars.assign(label=fmt.unit_names(bars, lang).to_numpy())  # English where given, else the Vietnamese
    return ChartTexts(
        f"**{t('rankings.chart_title', lang)}**",
        alt,
        window,
        fmt.md_escape(alt) + " " + t("rankings.table_is_alt", lang),
        args,
        labelled,
        arrow_spec(ranking_bars(labelled, lang, **args)),
    )


@dataclass(frozen=True)
class FocusView:
    """What the page draws for the highlighted unit (or none) under the table: its card, the chart, or why no chart."""

    gap: GapCard | None
    chart: ChartTexts | None
    empty: str  # shown instead of the chart when `chart` is None


@versioned_view
def focus_view(
    edition_id: str, unit_group: str, index_code: str, year: int, needle: str, selected: str | None, lang: str
) -> FocusView:
    """The card and chart of one view, name filter and highlighted unit, made once and shared by every session."""
    focus = ranking_focus(edition_id, unit_group, index_code, year, needle, selected)
    return FocusView(
        gap_card(focus, lang), chart_texts(focus, lang, index_code, year, selected), chart_empty_text(focus, lang)
    )


def chart_empty_text(focus: dict, lang: str) -> str:
    """Why there is no chart: matching rows without a score are not the same as no rows at all."""
    if focus["n_shown"]:
        return t("rankings.chart_none_scored", lang, n=fmt.integer(focus["n_shown"], lang))
    return t("notice.no_data", lang)


def count_text(shown: dict, paged: bool, needle: str, lang: str) -> str:
    """Which rows the table shows, then the legend of its marks (✱, ≈, tie bands)."""
    if paged and shown["n_shown"]:
        lo, hi = fmt.integer(shown["first"], lang), fmt.integer(shown["last"], lang)
        count = (
            t(
                "rankings.rows_filtered",
                lang,
                lo=lo,
                hi=hi,
                n=fmt.integer(shown["n_shown"], lang),
                total=fmt.integer(shown["n_total"], lang),
            )
            if needle
            else t("rankings.rows", lang, lo=lo, hi=hi, n=fmt.integer(shown["n_total"], lang))
        )
    else:
        count = t("rankings.shown", lang, n=shown["n_shown"], total=shown["n_total"])
    return count + " " + t("rankings.legend", lang, precision=fmt.number(qr.TIE_PRECISION, lang))


def page_options(n_shown: int, n_total: int, lang: str) -> tuple[dict[int, str], str]:
    """The page picker's options {page: "Page 2: rows 101–200"} and its note."""
    size = qr.PAGE_SIZE
    n_pages = max(1, -(-n_shown // size))
    labels = {
        p: t(
            "rankings.page_option",
            lang,
            page=fmt.integer(p, lang),
            lo=fmt.integer(min((p - 1) * size + 1, n_shown), lang),
            hi=fmt.integer(min(p * size, n_shown), lang),
        )
        for p in range(1, n_pages + 1)
    }
    return labels, t("rankings.paged_note", lang, total=fmt.integer(n_total, lang), size=size)


def download_note(shown: dict, lang: str) -> str:
    """A paged table's downloads hold every matching row, not only the page shown."""
    return t("rankings.download_all", lang, n=fmt.integer(shown["n_shown"], lang))
