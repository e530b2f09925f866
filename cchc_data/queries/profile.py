"""Unit profile: a unit's history on every index, its standing in one edition, its components against the
peer median, why its rank changed, and the same province on the other indices in the same year.

Cached loaders run bound SQL; the analysis functions below them are pure (DataFrames in, dicts out) so that
they can be tested on hand-built frames. Nothing here is computed over a partial table as if it were complete:
percentiles, medians, quartiles and "how many passed it" need `completeness == 'complete'`."""

from __future__ import annotations

import math

import pandas as pd

from ..db import fetch_df
from ._cache import versioned
from .catalog import components, edition, editions, previous_edition
from .rankings import ranking

__all__ = [
    "INDEX_ORDER",
    "CROSS_INDICES",
    "unit_history",
    "unit_indices",
    "component_scores",
    "standing",
    "component_gaps",
    "strengths_weaknesses",
    "rank_change",
    "cross_index",
    "divergence",
    "edition_standing",
    "edition_change",
    "ADDITIVE_TOLERANCE",
]

INDEX_ORDER = ("papi", "pci", "par", "par_hanoi", "par_hcmc", "sipas")
CROSS_INDICES = ("par", "papi", "pci", "sipas")
# A total "is the sum of its components" when they agree to this many points (published at 2-4 decimals).
ADDITIVE_TOLERANCE = 0.02
EPS = 1e-9


# ---------------------------------------------------------------- loaders (bound SQL, cached)


@versioned
def _history(unit_ids: tuple[str, ...]) -> pd.DataFrame:
    return fetch_df(
        """
        SELECT r.unit_id, u.name_vi, u.name_en, u.parent_unit_id, e.edition_id, e.index_code, e.year, e.completeness, e.total_unit,
               r.unit_group, r.total, r.rank, r.rank_official, r.tier, r.note, r.note_vi, r.source_id,
               (SELECT count(*) FROM results g WHERE g.edition_id = r.edition_id AND g.unit_group = r.unit_group
                  AND g.total IS NOT NULL) AS n_scored,
               (SELECT count(*) FROM results g WHERE g.edition_id = r.edition_id AND g.unit_group = r.unit_group
                  AND g.total < r.total) AS n_below
        FROM results r JOIN editions e USING (edition_id) JOIN units u USING (unit_id)
        WHERE r.unit_id = ANY($ids)
        ORDER BY r.unit_id, e.index_code, e.year""",
        {"ids": list(unit_ids)},
    )


def unit_history(unit_ids) -> pd.DataFrame:
    """Every published row of these units, with the group size and (complete editions only) the percentile."""
    ids = (unit_ids,) if isinstance(unit_ids, str) else tuple(unit_ids)
    df = _history(tuple(sorted(set(ids)))).copy()
    complete = (df.completeness == "complete") & df.total.notna() & (df.n_scored > 1)
    df["percentile"] = (100.0 * df.n_below / (df.n_scored - 1)).where(complete)
    return df


def unit_indices(unit_ids) -> list[str]:
    """The indices these units appear in, in display order."""
    have = set(unit_history(unit_ids).index_code)
    return [c for c in INDEX_ORDER if c in have] + sorted(have - set(INDEX_ORDER))


@versioned
def component_scores(edition_id: str, unit_group: str, level: str = "dimension") -> pd.DataFrame:
    """Long table of every unit's score on each top-level component of one edition and group."""
    return fetch_df(
        """
        SELECT s.unit_id, c.component_id, c.name_vi, c.name_en, c.position, s.score
        FROM components c
        JOIN scores s ON s.edition_id = c.edition_id AND s.component_id = c.component_id
        JOIN results r ON r.edition_id = s.edition_id AND r.unit_id = s.unit_id AND r.unit_group = c.unit_group
        WHERE c.edition_id = $ed AND c.unit_group = $grp AND c.level = $lvl AND s.score IS NOT NULL
        ORDER BY c.position, s.unit_id""",
        {"ed": edition_id, "grp": unit_group, "lvl": level},
    )


def _edition_components(edition_id: str, unit_group: str, level: str = "dimension") -> pd.DataFrame:
    df = components(edition_id)
    return df[(df.unit_group == unit_group) & (df.level == level)].sort_values("position").reset_index(drop=True)


# ---------------------------------------------------------------- pure analysis


def _num(value):
    """A plain float, or None for NULL/NaN/NA."""
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return float(value)


def _int(value):
    v = _num(value)
    return None if v is None else int(v)


def standing(rk: pd.DataFrame, unit_id: str, complete: bool) -> dict | None:
    """Where one unit stands in a ranking frame (as returned by queries.ranking).

    Always: total, rank (official or computed), tier, note, points to the next rank where the unit above is known.
    Complete tables only: percentile (share of the other scored units it scores above), peer median, quartile.
    Points to the top: the gap to the highest total when the table is complete, or to a printed rank-1 total."""
    hit = rk[rk.unit_id == unit_id]
    if hit.empty:
        return None
    r = hit.iloc[0]
    scored = rk[rk.total.notna()]
    total = _num(r.total)
    out = {
        "unit_id": unit_id,
        "total": total,
        "rank": _int(r["rank"]),
        "rank_official": bool(r.rank_official) if _num(r["rank"]) is not None else None,
        "tier": r.tier if isinstance(r.tier, str) and r.tier else None,
        "note": r.note if isinstance(r.note, str) and r.note else None,
        "n_listed": int(len(rk)),
        "n_scored": int(len(scored)),
        "complete": bool(complete),
        "points_to_next": None,
        "points_to_top": None,
        "percentile": None,
        "median": None,
        "quartile": None,
        "band": None,
        "band_size": None,
        "top_unit_id": None,
    }
    if total is None:
        return out
    if _num(r.get("points_to_next")) is not None:
        out["points_to_next"] = _num(r.points_to_next)
    if complete:
        top = scored.sort_values("total", ascending=False).iloc[0]
    else:
        leaders = scored[scored["rank"] == 1]
        top = leaders.iloc[0] if len(leaders) else None
    if top is not None:
        out["points_to_top"] = max(0.0, float(top.total) - total)
        out["top_unit_id"] = top.unit_id
    if complete and len(scored) > 1:
        n_below = int((scored.total < total - EPS).sum())
        pct = 100.0 * n_below / (len(scored) - 1)
        out["percentile"] = pct
        out["median"] = float(scored.total.median())
        out["quartile"] = 1 if pct >= 75 else 2 if pct >= 50 else 3 if pct >= 25 else 4
    size = _int(r.get("band_size"))
    lo, hi = _int(r.get("band_rank_lo")), _int(r.get("band_rank_hi"))
    if size and size > 1:
        out["band_size"] = size
        if lo is not None and hi is not None and lo != hi:
            out["band"] = (lo, hi)
    return out


def component_gaps(scores: pd.DataFrame, unit_id: str, comps: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each component: the unit's score, the peer median (all units with a score), and the gap in points.

    Components listed in `comps` that the unit has no score for are kept with a NaN score (a gap stays a gap)."""
    cols = ["component_id", "name_vi", "name_en", "position", "score", "median", "gap", "n_peers", "rank_in_component"]
    if scores.empty:
        return pd.DataFrame(columns=cols)
    med = scores.groupby("component_id").score.agg(median="median", n_peers="count").reset_index()
    meta = (
        comps[["component_id", "name_vi", "name_en", "position"]]
        if comps is not None and len(comps)
        else scores[["component_id", "name_vi", "name_en", "position"]].drop_duplicates("component_id")
    )
    own = scores[scores.unit_id == unit_id][["component_id", "score"]]
    df = meta.merge(med, on="component_id", how="left").merge(own, on="component_id", how="left")
    df["gap"] = df.score - df["median"]
    ranks = []
    for _, row in df.iterrows():
        if pd.isna(row.score):
            ranks.append(pd.NA)
            continue
        peers = scores[scores.component_id == row.component_id].score
        ranks.append(int((peers > row.score + EPS).sum()) + 1)
    df["rank_in_component"] = pd.array(ranks, dtype="Int64")
    return df[cols].sort_values("position").reset_index(drop=True)


def strengths_weaknesses(gaps: pd.DataFrame, k: int = 2) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The k components furthest above the median (gap > 0) and the k furthest below (gap < 0)."""
    known = gaps.dropna(subset=["gap"])
    strengths = known[known.gap > EPS].sort_values("gap", ascending=False).head(k)
    weaknesses = known[known.gap < -EPS].sort_values("gap").head(k)
    return strengths.reset_index(drop=True), weaknesses.reset_index(drop=True)


def _additive(own: pd.DataFrame, total, comps: pd.DataFrame) -> bool:
    """True when the unit's total equals the sum of its component scores and none is missing."""
    total = _num(total)
    if total is None or comps.empty or own.score.isna().any():
        return False
    if set(comps.component_id) - set(own.component_id):
        return False
    return abs(float(own.score.sum()) - total) <= ADDITIVE_TOLERANCE


def rank_change(
    prev_rk: pd.DataFrame,
    cur_rk: pd.DataFrame,
    unit_id: str,
    prev_scores: pd.DataFrame,
    cur_scores: pd.DataFrame,
    prev_comps: pd.DataFrame,
    cur_comps: pd.DataFrame,
    prev_complete: bool,
    cur_complete: bool,
) -> dict | None:
    """Why the total and rank moved between two editions.

    contributions: one row per component in either edition: prev, cur, contribution, status
      ('both' | 'added' | 'dropped' | 'missing'). When both totals are the plain sum of the components
      (`additive`), the contributions add up exactly to the change in total, an added component contributing its
      whole score and a dropped one minus its old score. Otherwise (weighted totals) only the change in each
      shared component is given, in its own points, and it does not add up to the total.
    passed / fell_behind: units (scored in both editions) that were behind and are now ahead, and the reverse;
      only when both tables are complete."""
    p = prev_rk[prev_rk.unit_id == unit_id]
    c = cur_rk[cur_rk.unit_id == unit_id]
    if p.empty or c.empty:
        return None
    p, c = p.iloc[0], c.iloc[0]
    out = {
        "prev_total": _num(p.total),
        "cur_total": _num(c.total),
        "prev_rank": _int(p["rank"]),
        "cur_rank": _int(c["rank"]),
        "prev_rank_official": bool(p.rank_official),
        "cur_rank_official": bool(c.rank_official),
        "delta_total": None,
        "delta_rank": None,
        "passed": None,
        "fell_behind": None,
        "additive": False,
        "weighted": False,
        "added": [],
        "dropped": [],
        "complete": bool(prev_complete and cur_complete),
        "n_common": None,
    }
    if out["prev_total"] is not None and out["cur_total"] is not None:
        out["delta_total"] = out["cur_total"] - out["prev_total"]
    if out["prev_rank"] is not None and out["cur_rank"] is not None:
        out["delta_rank"] = out["prev_rank"] - out["cur_rank"]  # positive = moved up
    prev_ids, cur_ids = set(prev_comps.component_id), set(cur_comps.component_id)
    out["added"] = [r.component_id for r in cur_comps.itertuples() if r.component_id not in prev_ids]
    out["dropped"] = [r.component_id for r in prev_comps.itertuples() if r.component_id not in cur_ids]
    own_p = prev_scores[prev_scores.unit_id == unit_id][["component_id", "score"]]
    own_c = cur_scores[cur_scores.unit_id == unit_id][["component_id", "score"]]
    additive = _additive(own_p, p.total, prev_comps) and _additive(own_c, c.total, cur_comps)
    out["additive"] = additive
    # Both totals known yet not the sum of the components: a weighted index (PCI).
    out["weighted"] = (
        not additive and out["delta_total"] is not None and own_p.score.notna().any() and own_c.score.notna().any()
    )
    meta = pd.concat(
        [
            cur_comps[["component_id", "name_vi", "name_en", "position"]],
            prev_comps[["component_id", "name_vi", "name_en", "position"]],
        ]
    ).drop_duplicates("component_id")
    rows = []
    for m in meta.itertuples():
        pv = own_p[own_p.component_id == m.component_id].score
        cv = own_c[own_c.component_id == m.component_id].score
        pv = _num(pv.iloc[0]) if len(pv) else None
        cv = _num(cv.iloc[0]) if len(cv) else None
        if m.component_id in out["added"]:
            status, contrib = "added", (cv if additive else None)
        elif m.component_id in out["dropped"]:
            status, contrib = "dropped", (-pv if additive and pv is not None else None)
        elif pv is None or cv is None:
            status, contrib = "missing", None
        else:
            status, contrib = "both", cv - pv
        rows.append(
            {
                "component_id": m.component_id,
                "name_vi": m.name_vi,
                "name_en": m.name_en,
                "position": m.position,
                "prev": pv,
                "cur": cv,
                "contribution": contrib,
                "status": status,
            }
        )
    out["contributions"] = pd.DataFrame(
        rows, columns=["component_id", "name_vi", "name_en", "position", "prev", "cur", "contribution", "status"]
    )
    if out["complete"] and out["prev_total"] is not None and out["cur_total"] is not None:
        both = (
            prev_rk[["unit_id", "total"]]
            .merge(cur_rk[["unit_id", "total"]], on="unit_id", suffixes=("_prev", "_cur"))
            .dropna()
        )
        both = both[both.unit_id != unit_id]
        out["passed"] = int(
            ((both.total_prev < out["prev_total"] - EPS) & (both.total_cur > out["cur_total"] + EPS)).sum()
        )
        out["fell_behind"] = int(
            ((both.total_prev > out["prev_total"] + EPS) & (both.total_cur < out["cur_total"] - EPS)).sum()
        )
        out["n_common"] = int(len(both))
    return out


def divergence(rows: list[dict], top_n: int = 10) -> dict | None:
    """Large divergence across indices: top `top_n` on one (a printed or computed rank), bottom quartile on
    another (percentile < 25, complete editions only). None when there is no such pair."""
    top = [r for r in rows if r.get("rank") is not None and r["rank"] <= top_n]
    bottom = [r for r in rows if r.get("percentile") is not None and r["percentile"] < 25]
    top = [r for r in top if r["index_code"] not in {b["index_code"] for b in bottom}]
    if top and bottom:
        return {"top": top, "bottom": bottom}
    return None


# ---------------------------------------------------------------- composed look-ups (use the loaders)


@versioned
def provinces_in_year(year: int) -> int:
    """How many provinces existed on 1 July of `year` (64 to 2008, 63 to 2024, 34 from 2025)."""
    return int(
        fetch_df(
            """SELECT count(*) AS n FROM units WHERE kind = 'province'
                           AND (valid_from IS NULL OR valid_from <= make_date($y, 7, 1))
                           AND (valid_to IS NULL OR valid_to >= make_date($y, 7, 1))""",
            {"y": int(year)},
        ).n.iloc[0]
    )


@versioned
def districts_in_year(province_id: str, year: int) -> int:
    """How many districts of a province existed on 1 July of `year` (Hà Nội: 30 from 2008 to 2024)."""
    return int(
        fetch_df(
            """SELECT count(*) AS n FROM units WHERE kind = 'district' AND parent_unit_id = $p
                           AND (valid_from IS NULL OR valid_from <= make_date($y, 7, 1))
                           AND (valid_to IS NULL OR valid_to >= make_date($y, 7, 1))""",
            {"p": province_id, "y": int(year)},
        ).n.iloc[0]
    )


def ranked_of(s: dict | None, group: str | None, year: int, parent: str | None = None) -> int | None:
    """Out of how many units a rank is: every scored unit of a complete table; for a partial table with a
    printed rank, every unit the index ranks that year: the provinces (PAR Index and SIPAS rank every province;
    the press printed only some) or, for a city's own index, the city's districts. None when the data cannot
    say (a partial table of departments: the number of departments ranked is not in the data)."""
    if s is None or s.get("rank") is None:
        return None
    if s["complete"]:
        return s["n_scored"]
    if not s.get("rank_official"):
        return None
    if group == "provinces":
        return provinces_in_year(int(year))
    if group == "districts" and parent:
        return districts_in_year(parent, int(year)) or None
    return None


def edition_standing(unit_id: str, index_code: str, year: int) -> dict | None:
    return _edition_standing(unit_id, index_code, int(year))


@versioned
def _edition_standing(unit_id: str, index_code: str, year: int) -> dict | None:
    """Standing of a unit in one edition (with the edition row and the ranking frame), or None. The standing
    also carries n_ranked (ranked_of), total_unit ('points' | 'percent') and note_vi."""
    ed = edition(index_code, year)
    if not ed:
        return None
    hist = unit_history(unit_id)
    row = hist[hist.edition_id == ed["edition_id"]]
    if row.empty:
        return {"edition": ed, "standing": None, "group": None, "ranking": None}
    group = row.unit_group.iloc[0]
    rk = ranking(ed["edition_id"], group, index_code, int(year))
    st_ = standing(rk, unit_id, ed["completeness"] == "complete")
    if st_ is not None:
        parent = row.parent_unit_id.iloc[0] if "parent_unit_id" in row else None
        st_["n_ranked"] = ranked_of(st_, group, year, parent if isinstance(parent, str) else None)
        st_["total_unit"] = ed.get("total_unit") or "points"
        vi = row.note_vi.iloc[0] if "note_vi" in row else None
        st_["note_vi"] = vi if isinstance(vi, str) and vi.strip() else None
    return {"edition": ed, "standing": st_, "group": group, "ranking": rk}


def edition_change(unit_id: str, index_code: str, year: int, group: str) -> dict | None:
    return _edition_change(unit_id, index_code, int(year), group)


@versioned
def _edition_change(unit_id: str, index_code: str, year: int, group: str) -> dict | None:
    """rank_change against the previous edition of the same index, with both editions attached."""
    cur = edition(index_code, year)
    prev = previous_edition(index_code, year)
    if not cur or not prev:
        return None
    prev_rk = ranking(prev["edition_id"], group, index_code, int(prev["year"]))
    cur_rk = ranking(cur["edition_id"], group, index_code, int(year))
    change = rank_change(
        prev_rk,
        cur_rk,
        unit_id,
        component_scores(prev["edition_id"], group),
        component_scores(cur["edition_id"], group),
        _edition_components(prev["edition_id"], group),
        _edition_components(cur["edition_id"], group),
        prev["completeness"] == "complete",
        cur["completeness"] == "complete",
    )
    if change is None:
        return {"prev_edition": prev, "edition": cur, "change": None}
    return {"prev_edition": prev, "edition": cur, "change": change}


@versioned
def edition_gaps(unit_id: str, edition_id: str, group: str) -> pd.DataFrame:
    return component_gaps(component_scores(edition_id, group), unit_id, _edition_components(edition_id, group))


def cross_index(unit_id: str, year: int) -> list[dict]:
    return _cross_index(unit_id, int(year))


@versioned
def _cross_index(unit_id: str, year: int) -> list[dict]:
    """The same province on PAR, PAPI, PCI and SIPAS in one year.

    status: 'no_edition' (the index has no edition that year), 'not_listed' (the unit is not in it),
    'no_figure' (listed without score or rank), 'ok'. Percentiles only for complete editions."""
    rows = []
    for code in CROSS_INDICES:
        ed = edition(code, year)
        row = {
            "index_code": code,
            "year": int(year),
            "edition_id": ed["edition_id"] if ed else None,
            "completeness": ed["completeness"] if ed else None,
            "total": None,
            "rank": None,
            "rank_official": None,
            "n_scored": None,
            "n_ranked": None,
            "percentile": None,
            "quartile": None,
            "status": "no_edition",
            "note": None,
            "note_vi": None,
            "total_unit": (ed.get("total_unit") or "points") if ed else None,
        }
        if ed:
            got = edition_standing(unit_id, code, year)
            s = got["standing"] if got else None
            if s is None:
                row["status"] = "not_listed"
            else:
                row.update(
                    {
                        k: s[k]
                        for k in (
                            "total",
                            "rank",
                            "rank_official",
                            "n_scored",
                            "n_ranked",
                            "percentile",
                            "quartile",
                            "note",
                            "note_vi",
                        )
                    }
                )
                row["status"] = "ok" if (s["total"] is not None or s["rank"] is not None) else "no_figure"
        rows.append(row)
    return rows


def years_for(index_code: str) -> list[int]:
    return [int(y) for y in editions(index_code).year.tolist()]


def percentile_is_valid(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))
