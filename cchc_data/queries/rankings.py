"""Rankings: one edition and group, with change against the previous edition and tie bands."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..db import data_version, fetch_df
from ._cache import cached
from .catalog import previous_edition

__all__ = ["ranking", "TIE_PRECISION", "add_tie_bands"]

# Published tables print totals to two decimals, so closer totals cannot be told apart.
TIE_PRECISION = 0.01


@cached
def _ranking(edition_id: str, unit_group: str, prev_edition_id: str | None, version: str) -> pd.DataFrame:
    df = fetch_df("""
        SELECT r.rank, r.rank_official, r.unit_id, u.name_vi, u.name_en, u.admin_code, u.kind,
               r.total, r.tier, r.note, r.source_id, s.title AS source_title, s.url AS source_url,
               p.total AS prev_total, p.rank AS prev_rank, p.rank_official AS prev_rank_official
        FROM results r
        JOIN units u USING (unit_id)
        LEFT JOIN sources s ON s.source_id = r.source_id
        LEFT JOIN results p ON p.edition_id = $prev AND p.unit_id = r.unit_id AND p.unit_group = r.unit_group
        WHERE r.edition_id = $ed AND r.unit_group = $grp
        ORDER BY r.rank NULLS LAST, r.total DESC NULLS LAST, u.name_vi COLLATE vi""",
        {"ed": edition_id, "grp": unit_group, "prev": prev_edition_id})
    df["rank_change"] = (df.prev_rank - df["rank"]).astype("Int64")
    df["total_change"] = df.total - df.prev_total
    df = add_tie_bands(df)
    return df


def add_tie_bands(df: pd.DataFrame, precision: float = TIE_PRECISION) -> pd.DataFrame:
    """Band id, band rank range, points to the next rank, and whether a change is within precision."""
    df = df.copy()
    scored = df.total.notna()
    band = pd.Series(pd.NA, index=df.index, dtype="Int64")
    # Walk the scored totals from the top: a new band starts where a total is at least `precision` below
    # the one before it (vectorised: the loop was O(n) Python steps, too slow for 10,000 communes).
    order = df.total[scored].sort_values(ascending=False, kind="stable")
    if len(order):
        steps = np.diff(order.to_numpy(dtype=float), prepend=order.iloc[0])
        band[order.index] = np.cumsum(np.abs(steps) >= precision - 1e-9)
    df["tie_band"] = band
    ranks = df["rank"].astype("Float64")
    grouped = pd.DataFrame({"band": band, "rank": ranks}).dropna().groupby("band")["rank"]
    lo, hi = grouped.min(), grouped.max()
    df["band_rank_lo"] = band.map(lo).astype("Int64")
    df["band_rank_hi"] = band.map(hi).astype("Int64")
    df["band_size"] = band.map(band.value_counts()).astype("Int64")
    # Points to the next rank: the total of the unit ranked immediately above, where that rank is known.
    by_rank = df.dropna(subset=["rank", "total"]).drop_duplicates("rank").set_index("rank")["total"]
    # For each ranked unit: the nearest rank above it that someone holds; its total minus ours, if higher.
    # (Vectorised with searchsorted; it was a per-row scan of every rank, O(n^2) for 10,000 communes.)
    by_rank = by_rank.sort_index()
    ranks_above = by_rank.index.to_numpy(dtype=float)
    totals_above = by_rank.to_numpy(dtype=float)
    points = np.full(len(df), np.nan)
    known = (df["rank"].notna() & df.total.notna()).to_numpy()
    if known.any() and len(ranks_above):
        own_rank = df["rank"].to_numpy(dtype=float, na_value=np.nan)[known]
        own_total = df.total.to_numpy(dtype=float, na_value=np.nan)[known]
        pos = np.searchsorted(ranks_above, own_rank, side="left") - 1
        has_above = pos >= 0
        above_total = np.where(has_above, totals_above[np.clip(pos, 0, None)], np.nan)
        gap = above_total - own_total
        points[known] = np.where(has_above & (above_total > own_total + 1e-9), gap, np.nan)
    df["points_to_next"] = pd.Series(points, index=df.index, dtype="float64")
    df["change_within_precision"] = (df.total_change.abs() < precision) if "total_change" in df else False
    return df


def ranking(edition_id: str, unit_group: str, index_code: str | None = None, year: int | None = None) -> pd.DataFrame:
    prev = previous_edition(index_code, year) if index_code and year else None
    return _ranking(edition_id, unit_group, prev["edition_id"] if prev else None, data_version())
