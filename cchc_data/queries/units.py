"""Units: search (accent-insensitive, old names lead to successors), profile, lineage."""

from __future__ import annotations

import functools

import pandas as pd

from ..db import data_version, fetch_df
from ..textnorm import fold
from ._cache import versioned

__all__ = [
    "search_units",
    "match_units",
    "picker_units",
    "unit",
    "resolve_unit",
    "successors",
    "predecessors",
    "units_of_kind",
    "folded_names",
    "PICKER_KINDS",
]

# Picker order: provinces first, then ministries, departments, districts, communes, offices; by name within each.
PICKER_KINDS = ("province", "ministry", "department", "district", "commune", "office")


@functools.lru_cache(maxsize=4)
def picker_units(version: str) -> tuple[tuple[str, ...], dict[str, dict]]:
    """Every unit id in picker order (PICKER_KINDS, then name) and its record, once per data version. Shared by
    every caller (no copy per call, unlike st.cache_data): never mutate."""
    df = fetch_df(
        """SELECT * FROM units WHERE kind = ANY($kinds)
                     ORDER BY list_position($kinds, kind), name_vi COLLATE vi""",
        {"kinds": list(PICKER_KINDS)},
    )
    recs = {r["unit_id"]: r for r in df.to_dict("records")}
    return tuple(recs), recs


@functools.lru_cache(maxsize=8)
def _search_keys(lang: str, version: str) -> tuple[str, ...]:
    """One folded search key per picker unit, in picker order, each word after a space: its name in `lang`
    first, then its names in both languages and aliases (former spellings, abbreviations such as 'hcm', 'so tu
    phap'), its parent's names (not its aliases: "hcm" is the city, not its 22 districts), admin code and id. Kind words and dates are left out: 'thanh pho' or '2025'
    would match hundreds of units. Shared: never mutate."""
    ids, recs = picker_units(version)
    names = folded_names()
    keys = []
    for uid in ids:
        rec = recs[uid]
        first = rec.get("name_en") if lang == "en" and rec.get("name_en") else rec.get("name_vi")
        parts = [first, rec.get("name_vi"), rec.get("name_en"), names.get(uid)]
        parent = rec.get("parent_unit_id")
        if isinstance(parent, str) and parent and rec["kind"] != "province":
            prec = recs.get(parent) or unit(parent)
            if prec:
                parts += [prec.get("name_vi"), prec.get("name_en")]
        parts += [rec.get("admin_code"), uid]
        folded = [fold(x) for x in parts if isinstance(x, str) and x]
        keys.append(" " + " ".join(dict.fromkeys(f for f in folded if f)))
    return tuple(keys)


@versioned
def _match_all(needle: str, lang: str) -> tuple[str, ...]:
    ids, _ = picker_units(data_version())
    keys = _search_keys(lang, data_version())
    words = [" " + w for w in needle.split()]
    phrase = " " + needle
    hits = [i for i, key in enumerate(keys) if all(w in key for w in words)]
    hits.sort(key=lambda i: 0 if keys[i].startswith(phrase) else 1 if phrase in keys[i] else 2)
    return tuple(ids[i] for i in hits)


def match_units(query: str | None, lang: str = "vi", pool=None, limit: int | None = 50) -> tuple[list[str], int]:
    """THE unit search (every picker and the overview use it). Units with a word starting with each word of
    `query` (accents, case and punctuation ignored: "ha noi", "TP.HCM", "so tu phap") in their names in both
    languages, aliases and abbreviations, their parent's names, admin code or id. Returns up to `limit` unit
    ids (None: all) and how many matched in all, best first: the name in `lang` starting with the query, then
    the query at a word start, then the rest; picker order (provinces first) within each. `pool` (an iterable
    of unit ids) keeps only those units. An empty query matches nothing."""
    needle = fold(query or "")[:100]
    if not needle:
        return [], 0
    hits = _match_all(needle, lang)
    if pool is not None:
        allowed = set(pool)
        hits = tuple(u for u in hits if u in allowed)
    return list(hits if limit is None else hits[: int(limit)]), len(hits)


@versioned
def _unit_rows(unit_ids: tuple[str, ...]) -> pd.DataFrame:
    return fetch_df(
        """
        SELECT u.unit_id, u.name_vi, u.name_en, u.kind, u.admin_code, u.parent_unit_id, u.valid_from, u.valid_to,
               (SELECT list(l.successor_unit_id ORDER BY l.successor_unit_id) FROM unit_lineage l
                 WHERE l.predecessor_unit_id = u.unit_id) AS successors,
               (SELECT list(l.predecessor_unit_id ORDER BY l.predecessor_unit_id) FROM unit_lineage l
                 WHERE l.successor_unit_id = u.unit_id) AS predecessors,
               (SELECT count(*) FROM results r WHERE r.unit_id = u.unit_id) AS n_results
        FROM units u WHERE u.unit_id = ANY($ids)
        ORDER BY list_position($ids, u.unit_id)""",
        {"ids": list(unit_ids)},
    )


def search_units(text: str, limit: int = 20, lang: str = "vi") -> pd.DataFrame:
    """match_units' hits as rows (unit record, successors, predecessors, number of results), best first."""
    ids, _ = match_units(text, lang, limit=max(0, int(limit)))
    return _unit_rows(tuple(ids))


@versioned
def unit(unit_id: str) -> dict | None:
    """One unit's record with its parent's names (parent_name_vi, parent_name_en), or None."""
    df = fetch_df(
        """SELECT u.*, p.name_vi AS parent_name_vi, p.name_en AS parent_name_en
                     FROM units u LEFT JOIN units p ON p.unit_id = u.parent_unit_id WHERE u.unit_id = ?""",
        [unit_id],
    )
    return df.iloc[0].to_dict() if len(df) else None


@versioned
def _resolve(token: str, year: int | None) -> str | None:
    df = fetch_df(
        """
        SELECT unit_id FROM units
        WHERE unit_id = $t OR admin_code = $t
        ORDER BY (unit_id = $t) DESC,
                 ($y IS NULL OR ((valid_from IS NULL OR year(valid_from) <= $y)
                                 AND (valid_to IS NULL OR year(valid_to) >= $y))) DESC,
                 valid_to NULLS FIRST
        LIMIT 1""",
        {"t": token, "y": year},
    )
    return df.unit_id.iloc[0] if len(df) else None


def resolve_unit(token: str | None, year: int | None = None) -> str | None:
    """A unit_id or admin_code (e.g. '01') -> unit_id; the unit valid in `year` wins."""
    if not token:
        return None
    return _resolve(str(token)[:64], int(year) if year else None)


@versioned
def _lineage(unit_id: str, forward: bool) -> pd.DataFrame:
    if forward:
        sql = """SELECT l.*, u.name_vi, u.name_en, u.kind FROM unit_lineage l JOIN units u
                 ON u.unit_id = l.successor_unit_id WHERE l.predecessor_unit_id = ? ORDER BY u.name_vi COLLATE vi"""
    else:
        sql = """SELECT l.*, u.name_vi, u.name_en, u.kind FROM unit_lineage l JOIN units u
                 ON u.unit_id = l.predecessor_unit_id WHERE l.successor_unit_id = ? ORDER BY u.name_vi COLLATE vi"""
    return fetch_df(sql, [unit_id])


def successors(unit_id: str) -> pd.DataFrame:
    return _lineage(unit_id, True)


def predecessors(unit_id: str) -> pd.DataFrame:
    return _lineage(unit_id, False)


@versioned
def units_of_kind(kind: str) -> pd.DataFrame:
    return fetch_df("SELECT * FROM units WHERE kind = ? ORDER BY name_vi COLLATE vi", [kind])


@versioned
def folded_names() -> dict[str, str]:
    """unit_id -> every folded name the unit is known by (official, short, aliases such as 'bo gd dt'), joined
    by spaces: part of the search keys of match_units."""
    df = fetch_df("""SELECT unit_id, string_agg(DISTINCT name_folded, ' ' ORDER BY name_folded) AS names
                     FROM unit_names WHERE name_folded IS NOT NULL AND name_folded <> '' GROUP BY unit_id""")
    return dict(zip(df.unit_id.tolist(), df.names.tolist()))
