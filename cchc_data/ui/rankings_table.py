"""The /rankings view's display layer: the query's ranking frame formatted for one language (vi/en numbers, unit
links, change arrows), one page of it, the names of its units, and the highlighted unit's row and chart window.

The query layer (cchc_data.queries.rankings) returns data only; everything here formats it, once per cached view,
so a warm rerun does no per-row work."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..charts.rankings import chart_window
from ..db import data_version
from ..i18n import t
from ..queries import rankings as qr
from ..queries._cache import cached
from .labels import unit_names

__all__ = ["format_table", "ranking_focus", "ranking_page", "ranking_units"]


@cached
def _units(edition_id: str, unit_group: str, prev_edition_id: str | None, lang: str, version: str) -> dict:
    df = qr.ranking_frame(edition_id, unit_group, prev_edition_id, version)
    return dict(zip(df.unit_id.tolist(), unit_names(df, lang).tolist()))


def ranking_units(edition_id: str, unit_group: str, index_code: str | None, year: int | None, lang: str) -> dict:
    """unit_id -> name in `lang`, every unit of the group, in ranking order."""
    return _units(edition_id, unit_group, qr.prev_edition_id(index_code, year), lang, data_version())


def format_table(df: pd.DataFrame, lang: str, unit_link_base: str) -> pd.DataFrame:
    """What the rankings table shows, formatted per language (vectorised except the number formatting, which
    runs once per cached view). `unit_link_base` is the /unit share link without the unit."""
    from ..ui import fmt
    def numbers(values, signed=False):
        return [fmt.number(v, lang, signed=signed) for v in values.tolist()]

    has_rank = df["rank"].notna()
    rank_mark = np.where(has_rank & ~df.rank_official.fillna(False).astype(bool), "✱", "")
    rc = df.rank_change
    within = df.change_within_precision.fillna(False).astype(bool)
    arrows = np.where(rc.fillna(0) > 0, "▲", "▼")
    rank_change = np.where(rc.isna(), "–", np.where(within, "≈", np.where(rc.fillna(0) == 0, "=",
                           pd.Series(arrows, index=df.index) + rc.abs().astype("string").fillna(""))))
    score_change = np.where(df.total_change.isna(), "–", np.where(within, "≈", numbers(df.total_change, True)))
    banded = df.band_size.fillna(0).gt(1) & df.band_rank_lo.notna()
    band = np.where(banded, df.band_rank_lo.astype("string").fillna("") + "–"
                    + df.band_rank_hi.astype("string").fillna(""), "")
    return pd.DataFrame({
        "rank": df["rank"].astype("Int64"),
        "rank_mark": rank_mark,
        "unit": unit_link_base + "&unit=" + df.unit_id + "#" + unit_names(df, lang),
        "score": np.where(df.total.isna(), t("rankings.no_score", lang), numbers(df.total)),
        "rank_change": rank_change,
        "score_change": score_change,
        "band": band,
        "tier": df.tier.fillna(""),
        "source": df.source_url.fillna(""),
    }, index=df.index)


@cached
def _table(edition_id: str, unit_group: str, prev_edition_id: str | None, blank_changes: bool, lang: str,
           unit_link_base: str, version: str) -> pd.DataFrame:
    return format_table(qr.rows_for(edition_id, unit_group, prev_edition_id, "", blank_changes, version), lang,
                        unit_link_base)


@cached
def _page(edition_id: str, unit_group: str, prev_edition_id: str | None, blank_changes: bool, lang: str,
          unit_link_base: str, needle: str, page: int, page_size: int | None, version: str) -> dict:
    table = _table(edition_id, unit_group, prev_edition_id, blank_changes, lang, unit_link_base, version)
    df = qr.ranking_frame(edition_id, unit_group, prev_edition_id, version)
    pos = qr.ranking_matches(edition_id, unit_group, prev_edition_id, needle, version) if needle else np.arange(len(df))
    n_shown = len(pos)
    if page_size:
        n_pages = max(1, -(-n_shown // page_size))
        page = min(max(1, int(page)), n_pages)
        pos = pos[(page - 1) * page_size: page * page_size]
        first = (page - 1) * page_size + 1 if n_shown else 0
    else:
        n_pages, page, first = 1, 1, 1 if n_shown else 0
    rows = df.iloc[pos]
    return {"table": table.iloc[pos], "ids": rows.unit_id.tolist(), "labels": unit_names(rows, lang).tolist(),
            "n_shown": n_shown, "n_total": len(df), "page": page, "n_pages": n_pages, "first": first,
            "last": first + len(pos) - 1 if n_shown else 0}


def ranking_page(edition_id: str, unit_group: str, index_code: str | None, year: int | None, lang: str,
                 unit_link_base: str, needle: str = "", page: int = 1, page_size: int | None = None,
                 blank_changes: bool = False) -> dict:
    """One page of the formatted rankings table (every matching row when page_size is None):
    table (formatted rows), ids and labels (their unit ids and names), n_shown (rows matching the search),
    n_total (units in the group), page (clamped), n_pages, first/last (1-based row numbers shown; 0 if none)."""
    return _page(edition_id, unit_group, qr.prev_edition_id(index_code, year), bool(blank_changes), lang, unit_link_base,
                 needle, int(page), page_size, data_version())


@cached
def _focus(edition_id: str, unit_group: str, prev_edition_id: str | None, needle: str, unit: str,
           version: str) -> dict:
    df = qr.ranking_frame(edition_id, unit_group, prev_edition_id, version)
    pos = qr.ranking_matches(edition_id, unit_group, prev_edition_id, needle, version) if needle else None
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
    return {"row": row, "position": position,
            "leader_total": float(leader.iloc[0]) if len(leader) and pd.notna(leader.iloc[0]) else None,
            "bars": bars, "n_scored": int(shown.total.notna().sum()), "n_shown": len(shown)}


def ranking_focus(edition_id: str, unit_group: str, index_code: str | None, year: int | None, needle: str = "",
                  unit: str | None = None) -> dict:
    """What the view shows about one (highlighted) unit: row (its ranking row as a dict, None if it is not in the
    group), position (0-based, among the rows matching the search; None if filtered out), leader_total (the
    total at rank 1), bars (the chart's window of the matching rows, with the unit's neighbours), n_scored
    (matching rows with a total) and n_shown (matching rows)."""
    return _focus(edition_id, unit_group, qr.prev_edition_id(index_code, year), needle, unit or "", data_version())
