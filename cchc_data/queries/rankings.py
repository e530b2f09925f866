"""Rankings: one edition and group, with change against the previous edition and tie bands (data only: the
/rankings view in cchc_data.views.rankings formats it)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..db import fetch_df
from ..textnorm import fold
from ._cache import versioned
from .catalog import previous_edition

__all__ = [
    "ranking",
    "TIE_PRECISION",
    "add_tie_bands",
    "search_needle",
    "ranking_rows",
    "ranking_frame",
    "ranking_matches",
    "prev_edition_id",
    "ranking_summary",
    "rows_for",
    "LARGE_GROUP",
    "PAGE_SIZE",
]

# Published tables print totals to two decimals, so closer totals cannot be told apart.
TIE_PRECISION = 0.01


@versioned
def ranking_frame(edition_id: str, unit_group: str, prev_edition_id: str | None) -> pd.DataFrame:
    """The whole ranking of one edition and group (every row, ranking order), with the change against
    `prev_edition_id` and the tie bands."""
    df = fetch_df(
        """
        SELECT r.rank, r.rank_official, r.unit_id, r.unit_group, u.name_vi, u.name_en, u.admin_code, u.kind,
               r.total, r.tier, r.tier_vi, r.tier_en, r.note, r.note_vi, r.source_id, s.title AS source_title,
               s.url AS source_url, p.total AS prev_total, p.rank AS prev_rank, p.rank_official AS prev_rank_official,
               pu.name_vi AS parent_name_vi, pu.name_en AS parent_name_en
        FROM results r
        JOIN units u USING (unit_id)
        LEFT JOIN units pu ON pu.unit_id = u.parent_unit_id
        LEFT JOIN sources s ON s.source_id = r.source_id
        LEFT JOIN results p ON p.edition_id = $prev AND p.unit_id = r.unit_id AND p.unit_group = r.unit_group
        WHERE r.edition_id = $ed AND r.unit_group = $grp
        ORDER BY r.rank NULLS LAST, r.total DESC NULLS LAST, u.name_vi COLLATE vi""",
        {"ed": edition_id, "grp": unit_group, "prev": prev_edition_id},
    )
    df["rank_change"] = (df.prev_rank - df["rank"]).astype("Int64")
    df["total_change"] = df.total - df.prev_total
    return add_tie_bands(df)


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


def prev_edition_id(index_code: str | None, year: int | None) -> str | None:
    """The edition the ranking's changes are measured against (None: the first edition)."""
    prev = previous_edition(index_code, year) if index_code and year else None
    return prev["edition_id"] if prev else None


def ranking(edition_id: str, unit_group: str, index_code: str | None = None, year: int | None = None) -> pd.DataFrame:
    return ranking_frame(edition_id, unit_group, prev_edition_id(index_code, year))


# Above LARGE_GROUP units (synthetic national data: 10,000 communes) the page shows the table one page of
# PAGE_SIZE rows at a time; sending all 10,000 formatted rows was 2.2 MB and ~60 ms per rerun.
LARGE_GROUP = 250  # more units than this: the table is paged
PAGE_SIZE = 100  # rows per page of a paged table


@versioned
def _search_keys(edition_id: str, unit_group: str, prev_edition_id: str | None) -> pd.Series:
    """Each row's names folded once (accent-free, lower case): 'name_vi' + newline + 'name_en'.
    fold() collapses whitespace, so a folded search text never contains the newline."""
    df = ranking_frame(edition_id, unit_group, prev_edition_id)
    vi = [fold(v) for v in df.name_vi.tolist()]
    en = [fold(v) if isinstance(v, str) and v else "" for v in df.name_en.tolist()]
    return pd.Series([a + "\n" + b for a, b in zip(vi, en)], dtype=object)


@versioned
def ranking_matches(edition_id: str, unit_group: str, prev_edition_id: str | None, needle: str) -> np.ndarray:
    """Positions (ranking order) of the rows whose vi or en name contains the folded search text; every row when
    it is ""."""
    keys = _search_keys(edition_id, unit_group, prev_edition_id)
    if not needle:
        return np.arange(len(keys))
    # A name never holds the newline, so a match cannot straddle the vi and en names.
    return np.flatnonzero(keys.str.contains(needle, regex=False).to_numpy(dtype=bool))


def search_needle(text: str | None) -> str:
    """The folded form of a search text ("" = no filter): what the cache keys on."""
    return fold(text) if text and text.strip() else ""


def rows_for(
    edition_id: str, unit_group: str, prev_edition_id: str | None, needle: str, blank_changes: bool
) -> pd.DataFrame:
    """The ranking rows the view shows (every page), filtered by the folded search text; score changes blank when
    the method changed (rank changes stay)."""
    df = ranking_frame(edition_id, unit_group, prev_edition_id)
    if blank_changes:
        df = df.assign(total_change=float("nan"))
    if needle:
        df = df.iloc[ranking_matches(edition_id, unit_group, prev_edition_id, needle)]
    return df


def ranking_rows(
    edition_id: str,
    unit_group: str,
    index_code: str | None = None,
    year: int | None = None,
    needle: str = "",
    blank_changes: bool = False,
) -> pd.DataFrame:
    """rows_for with the previous edition resolved from the index and year."""
    return rows_for(edition_id, unit_group, prev_edition_id(index_code, year), needle, bool(blank_changes))


@versioned
def ranking_summary(edition_id: str, unit_group: str, index_code: str | None = None, year: int | None = None) -> dict:
    """n (units named), n_scored (units with a total), prev_edition_id (compared with)."""
    prev = prev_edition_id(index_code, year)
    df = ranking_frame(edition_id, unit_group, prev)
    return {"n": len(df), "n_scored": int(df.total.notna().sum()), "prev_edition_id": prev}
