"""Units: search (accent-insensitive, old names lead to successors), profile, lineage."""
from __future__ import annotations

import pandas as pd

from ..db import data_version, fetch_df
from ..textnorm import fold
from ._cache import cached

__all__ = ["search_units", "unit", "resolve_unit", "successors", "predecessors", "units_of_kind", "folded_names"]


@cached
def _search(folded: str, limit: int, version: str) -> pd.DataFrame:
    return fetch_df("""
        WITH hits AS (
            SELECT n.unit_id, min(CASE WHEN n.name_folded = $q THEN 0
                                       WHEN starts_with(n.name_folded, $q) THEN 1 ELSE 2 END) AS quality,
                   arg_min(n.name, length(n.name_folded)) AS matched_name
            FROM unit_names n
            WHERE n.name_folded LIKE '%' || $q || '%'
            GROUP BY n.unit_id)
        SELECT u.unit_id, u.name_vi, u.name_en, u.kind, u.admin_code, u.parent_unit_id, u.valid_to,
               h.matched_name, h.quality,
               (SELECT list(l.successor_unit_id ORDER BY l.successor_unit_id) FROM unit_lineage l
                 WHERE l.predecessor_unit_id = u.unit_id) AS successors,
               (SELECT count(*) FROM results r WHERE r.unit_id = u.unit_id) AS n_results
        FROM hits h JOIN units u USING (unit_id)
        ORDER BY h.quality, n_results DESC, u.name_vi COLLATE vi
        LIMIT $limit""", {"q": folded, "limit": limit})


def search_units(text: str, limit: int = 20) -> pd.DataFrame:
    folded = fold(text or "")
    if not folded:
        return _search("\x00", 0, data_version())
    return _search(folded[:100], int(limit), data_version())


@cached
def _unit(unit_id: str, version: str) -> dict | None:
    df = fetch_df("""SELECT u.*, p.name_vi AS parent_name_vi, p.name_en AS parent_name_en
                     FROM units u LEFT JOIN units p ON p.unit_id = u.parent_unit_id WHERE u.unit_id = ?""", [unit_id])
    return df.iloc[0].to_dict() if len(df) else None


def unit(unit_id: str) -> dict | None:
    return _unit(unit_id, data_version())


@cached
def _resolve(token: str, year: int | None, version: str) -> str | None:
    df = fetch_df("""
        SELECT unit_id FROM units
        WHERE unit_id = $t OR admin_code = $t
        ORDER BY (unit_id = $t) DESC,
                 ($y IS NULL OR ((valid_from IS NULL OR year(valid_from) <= $y)
                                 AND (valid_to IS NULL OR year(valid_to) >= $y))) DESC,
                 valid_to NULLS FIRST
        LIMIT 1""", {"t": token, "y": year})
    return df.unit_id.iloc[0] if len(df) else None


def resolve_unit(token: str | None, year: int | None = None) -> str | None:
    """A unit_id or admin_code (e.g. '01') -> unit_id; the unit valid in `year` wins."""
    if not token:
        return None
    return _resolve(str(token)[:64], int(year) if year else None, data_version())


@cached
def _lineage(unit_id: str, forward: bool, version: str) -> pd.DataFrame:
    if forward:
        sql = """SELECT l.*, u.name_vi, u.name_en, u.kind FROM unit_lineage l JOIN units u
                 ON u.unit_id = l.successor_unit_id WHERE l.predecessor_unit_id = ? ORDER BY u.name_vi COLLATE vi"""
    else:
        sql = """SELECT l.*, u.name_vi, u.name_en, u.kind FROM unit_lineage l JOIN units u
                 ON u.unit_id = l.predecessor_unit_id WHERE l.successor_unit_id = ? ORDER BY u.name_vi COLLATE vi"""
    return fetch_df(sql, [unit_id])


def successors(unit_id: str) -> pd.DataFrame:
    return _lineage(unit_id, True, data_version())


def predecessors(unit_id: str) -> pd.DataFrame:
    return _lineage(unit_id, False, data_version())


@cached
def _units_of_kind(kind: str, version: str) -> pd.DataFrame:
    return fetch_df("SELECT * FROM units WHERE kind = ? ORDER BY name_vi COLLATE vi", [kind])


def units_of_kind(kind: str) -> pd.DataFrame:
    return _units_of_kind(kind, data_version())


@cached
def _folded_names(version: str) -> dict[str, str]:
    df = fetch_df("""SELECT unit_id, string_agg(DISTINCT name_folded, ' ' ORDER BY name_folded) AS names
                     FROM unit_names WHERE name_folded IS NOT NULL AND name_folded <> '' GROUP BY unit_id""")
    return dict(zip(df.unit_id.tolist(), df.names.tolist()))


def folded_names(version: str | None = None) -> dict[str, str]:
    """unit_id -> every folded name the unit is known by (official, short, aliases such as 'bo gd dt'), joined
    by spaces: the search keys of /unit's picker at national scale."""
    return _folded_names(version or data_version())
