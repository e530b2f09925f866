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
    order = df[scored].sort_values("total", ascending=False)
    current, last = 0, None
    for idx, total in order.total.items():
        if last is not None and abs(last - total) >= precision - 1e-9:
            current += 1
        band[idx] = current
        last = total
    df["tie_band"] = band
    ranks = df["rank"].astype("Float64")
    grouped = pd.DataFrame({"band": band, "rank": ranks}).dropna().groupby("band")["rank"]
    lo, hi = grouped.min(), grouped.max()
    df["band_rank_lo"] = band.map(lo).astype("Int64")
    df["band_rank_hi"] = band.map(hi).astype("Int64")
    df["band_size"] = band.map(band.value_counts()).astype("Int64")
    # Points to the next rank: the total of the unit ranked immediately above, where that rank is known.
    by_rank = df.dropna(subset=["rank", "total"]).drop_duplicates("rank").set_index("rank")["total"]
    above = {}
    for idx, row in df.iterrows():
        if pd.notna(row["rank"]) and pd.notna(row.total):
            better = by_rank[(by_rank.index < row["rank"]) & (by_rank > row.total + 1e-9)]
            if len(better) and int(better.index.max()) == int(row["rank"]) - _gap_width(by_rank, row["rank"]):
                above[idx] = float(better.loc[better.index.max()] - row.total)
    df["points_to_next"] = pd.Series(above, dtype="float64").reindex(df.index)
    df["change_within_precision"] = (df.total_change.abs() < precision) if "total_change" in df else False
    return df


def _gap_width(by_rank: pd.Series, rank) -> int:
    """1 normally; more when the rank above is shared by tied units (competition ranking 1,1,3)."""
    above = by_rank.index[by_rank.index < rank]
    return int(rank - above.max()) if len(above) else 1


def ranking(edition_id: str, unit_group: str, index_code: str | None = None, year: int | None = None) -> pd.DataFrame:
    prev = previous_edition(index_code, year) if index_code and year else None
    return _ranking(edition_id, unit_group, prev["edition_id"] if prev else None, data_version())
