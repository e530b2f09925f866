"""Compare 2–6 units of the same kind: series of totals, ranks and component scores over the years,
suggested peers (same kind, same parent unit, neighbours in the ranking), and like-for-like years.

No regions are invented: peers come only from what the data holds.
"""

from __future__ import annotations

import pandas as pd

from ..db import fetch_df
from ._cache import versioned
from .catalog import GROUPS
from .component_scores import TOP, add_values, diff_components

__all__ = [
    "MIN_UNITS",
    "MAX_UNITS",
    "index_groups",
    "index_years",
    "index_units",
    "totals_series",
    "component_series",
    "component_history",
    "method_change_years",
    "method_changes",
    "suggested_peers",
    "like_for_like",
    "differences",
]

MIN_UNITS, MAX_UNITS = 2, 6


@versioned
def _index_groups(index_code: str) -> pd.DataFrame:
    return fetch_df(
        """
        SELECT r.unit_group, e.year, count(r.total) AS n_scored, count(*) AS n_units
        FROM results r JOIN editions e USING (edition_id)
        WHERE e.index_code = $idx GROUP BY ALL ORDER BY r.unit_group, e.year""",
        {"idx": index_code},
    )


def index_groups(index_code: str) -> list[str]:
    """Unit groups with results in this index, in the catalogue's group order."""
    groups = set(_index_groups(index_code).unit_group)
    order = {g: i for i, g in enumerate(GROUPS)}
    return sorted(groups, key=lambda g: (order.get(g, 99), g))


def index_years(index_code: str, unit_group: str) -> list[int]:
    """Years with at least one result for this index and group, newest first."""
    df = _index_groups(index_code)
    return sorted((int(y) for y in df[df.unit_group == unit_group].year), reverse=True)


@versioned
def index_units(index_code: str, unit_group: str) -> pd.DataFrame:
    """Units with at least one result in this index and group, by name (Vietnamese collation)."""
    return fetch_df(
        """
        SELECT * FROM (
            SELECT u.unit_id, u.name_vi, u.name_en, u.kind, u.admin_code, u.parent_unit_id,
                   count(r.total) AS n_years, max(e.year) AS last_year
            FROM results r JOIN editions e USING (edition_id) JOIN units u USING (unit_id)
            WHERE e.index_code = $idx AND r.unit_group = $grp
            GROUP BY ALL) x
        ORDER BY name_vi COLLATE vi""",
        {"idx": index_code, "grp": unit_group},
    )


@versioned
def _totals(index_code: str, unit_group: str, unit_ids: tuple) -> pd.DataFrame:
    return fetch_df(
        """
        SELECT e.year, e.edition_id, e.completeness, r.unit_id, u.name_vi, u.name_en, r.total, r.rank,
               r.rank_official,
               (SELECT count(r2.total) FROM results r2 WHERE r2.edition_id = r.edition_id
                  AND r2.unit_group = r.unit_group) AS n_ranked
        FROM results r JOIN editions e USING (edition_id) JOIN units u USING (unit_id)
        WHERE e.index_code = $idx AND r.unit_group = $grp AND r.unit_id = ANY($units)
        ORDER BY e.year, r.unit_id""",
        {"idx": index_code, "grp": unit_group, "units": list(unit_ids)},
    )


def totals_series(index_code: str, unit_group: str, unit_ids) -> pd.DataFrame:
    """Total and rank by year for the units (one row per unit and edition where a result exists)."""
    return _totals(index_code, unit_group, tuple(unit_ids))


@versioned
def _component_series(index_code: str, unit_group: str, unit_ids: tuple, parent: str) -> pd.DataFrame:
    return fetch_df(
        """
        SELECT e.year, e.edition_id, u.unit_id, u.name_vi, u.name_en, c.component_id,
               c.name_vi AS component_vi, c.name_en AS component_en, c.position, c.level, c.max_score, s.score
        FROM editions e
        JOIN components c ON c.edition_id = e.edition_id AND c.unit_group = $grp
        JOIN results r ON r.edition_id = e.edition_id AND r.unit_group = $grp AND r.unit_id = ANY($units)
        JOIN units u ON u.unit_id = r.unit_id
        LEFT JOIN scores s ON s.edition_id = e.edition_id AND s.unit_id = r.unit_id AND s.component_id = c.component_id
        WHERE e.index_code = $idx AND coalesce(c.parent_component_id, '') = $parent
        ORDER BY e.year, c.position, u.unit_id""",
        {"idx": index_code, "grp": unit_group, "units": list(unit_ids), "parent": parent},
    )


def component_series(index_code: str, unit_group: str, unit_ids, parent: str = TOP) -> pd.DataFrame:
    """Scores of the children of `parent` (top level by default) for the units, every edition."""
    return add_values(_component_series(index_code, unit_group, tuple(unit_ids), parent or TOP))


@versioned
def component_history(index_code: str, unit_group: str) -> pd.DataFrame:
    """The component tree of every edition of the index (column `year`)."""
    return fetch_df(
        """
        SELECT e.year, c.component_id, coalesce(c.parent_component_id, '') AS parent_component_id, c.name_vi,
               c.name_en, c.max_score, c.position, c.level
        FROM editions e JOIN components c ON c.edition_id = e.edition_id AND c.unit_group = $grp
        WHERE e.index_code = $idx ORDER BY e.year, c.position""",
        {"idx": index_code, "grp": unit_group},
    )


def method_change_years(history: pd.DataFrame) -> pd.DataFrame:
    """Each change of method in the index's component history: year, prev_year, skipped (whether editions between
    prev_year and year did not publish that level) and the `diff_components` columns.

    The children of a component are compared only between editions that both publish them: an edition that gives
    the dimensions but not their sub-dimensions (PAPI 2020, 2021, 2024) is a gap in what was published, not a
    method change, so its missing sub-dimensions are not "dropped" and their return is compared with the last
    edition that had them (PAPI 2022 against 2019). A level published for the first time (PAPI's indicators in
    2022) has nothing to be compared with."""
    years = sorted(int(y) for y in history.year.unique())
    trees = {y: history[history.year == y] for y in years}
    published = {y: set(tree.parent_component_id) for y, tree in trees.items()}  # parents whose children it gives
    parts = []
    for i, cur in enumerate(years):
        tree = trees[cur]
        for parent in sorted(published[cur]):
            earlier = [y for y in years[:i] if parent in published[y]]
            if not earlier:
                continue
            prev = earlier[-1]
            before = trees[prev]
            diff = diff_components(
                tree[tree.parent_component_id == parent], before[before.parent_component_id == parent]
            )
            if len(diff):
                diff.insert(0, "skipped", prev != years[i - 1])
                diff.insert(0, "prev_year", prev)
                diff.insert(0, "year", cur)
                parts.append(diff)
    if not parts:
        return pd.DataFrame(columns=["year", "prev_year", "skipped", *diff_components(None, None).columns])
    return pd.concat(parts, ignore_index=True)


@versioned
def method_changes(index_code: str, unit_group: str) -> pd.DataFrame:
    """method_change_years of the index's component history (cached: the diff is a Python loop)."""
    return method_change_years(component_history(index_code, unit_group))


@versioned
def _peers(edition_id: str, unit_group: str, unit_ids: tuple, width: int) -> pd.DataFrame:
    return fetch_df(
        """
        WITH chosen AS (SELECT r.unit_id, r.rank, u.parent_unit_id FROM results r JOIN units u USING (unit_id)
                        WHERE r.edition_id = $ed AND r.unit_group = $grp AND r.unit_id = ANY($units)),
        pool AS (SELECT r.unit_id, r.rank, r.total, u.name_vi, u.name_en, u.parent_unit_id
                 FROM results r JOIN units u USING (unit_id)
                 WHERE r.edition_id = $ed AND r.unit_group = $grp AND NOT (r.unit_id = ANY($units)))
        SELECT * FROM (
            SELECT p.unit_id, p.name_vi, p.name_en, p.rank, p.total,
                   bool_or(p.parent_unit_id IS NOT NULL AND p.parent_unit_id = c.parent_unit_id) AS same_parent,
                   min(abs(p.rank - c.rank)) AS rank_distance
            FROM pool p CROSS JOIN chosen c
            GROUP BY p.unit_id, p.name_vi, p.name_en, p.rank, p.total) x
        WHERE same_parent OR rank_distance <= $width
        ORDER BY same_parent DESC, rank_distance NULLS LAST, rank NULLS LAST, name_vi COLLATE vi""",
        {"ed": edition_id, "grp": unit_group, "units": list(unit_ids), "width": width},
    )


def suggested_peers(edition_id: str, unit_group: str, unit_ids, width: int = 2, limit: int = 8) -> pd.DataFrame:
    """Units of the same group in this edition that share a parent unit with, or rank within `width` places
    of, any chosen unit. Columns: unit_id, names, rank, total, same_parent, rank_distance."""
    if not unit_ids:
        return _peers(edition_id, unit_group, ("\x00",), 0).head(0)
    return _peers(edition_id, unit_group, tuple(unit_ids), int(width)).head(limit)


def like_for_like(series: pd.DataFrame, year_a: int, year_b: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Compare two years on the components present in both (same id), as % of max where both years give a
    maximum, else raw. Returns (rows: unit_id, names, component_id, names, value_a, value_b, change,
    value_kind) and the components left out (component_id, names, only_in year)."""
    a = series[series.year == year_a]
    b = series[series.year == year_b]
    ids_a, ids_b = set(a.component_id), set(b.component_id)
    common = ids_a & ids_b
    left = []
    for year, ids, src in ((year_a, ids_a - ids_b, a), (year_b, ids_b - ids_a, b)):
        names = src.drop_duplicates("component_id").set_index("component_id")
        for cid in sorted(ids, key=lambda c: names.loc[c, "position"]):
            left.append(
                {
                    "component_id": cid,
                    "component_vi": names.loc[cid, "component_vi"],
                    "component_en": names.loc[cid, "component_en"],
                    "only_in": int(year),
                }
            )
    left_df = pd.DataFrame(left, columns=["component_id", "component_vi", "component_en", "only_in"])
    keys = ["unit_id", "component_id"]
    cols = keys + ["name_vi", "name_en", "component_vi", "component_en", "position", "score", "max_score", "pct_of_max"]
    merged = a[a.component_id.isin(common)][cols].merge(
        b[b.component_id.isin(common)][keys + ["score", "max_score", "pct_of_max"]], on=keys, suffixes=("_a", "_b")
    )
    both_max = merged.pct_of_max_a.notna() & merged.pct_of_max_b.notna()
    # One kind per component so that a column never mixes % and points.
    kind = both_max.groupby(merged.component_id).transform("all")
    merged["value_kind"] = kind.map({True: "pct", False: "raw"})
    merged["value_a"] = merged.pct_of_max_a.where(kind, merged.score_a)
    merged["value_b"] = merged.pct_of_max_b.where(kind, merged.score_b)
    merged["change"] = merged.value_b - merged.value_a
    out = merged[
        [
            "unit_id",
            "name_vi",
            "name_en",
            "component_id",
            "component_vi",
            "component_en",
            "position",
            "value_a",
            "value_b",
            "change",
            "value_kind",
        ]
    ]
    return out.sort_values(["position", "unit_id"]).reset_index(drop=True), left_df


def differences(df: pd.DataFrame, unit_order: list[str], lang: str) -> pd.DataFrame:
    """Wide table of `value` by component (rows) and unit (columns), with each unit's difference from the
    first unit and the spread (best − worst). Column names are unit names in `lang`."""
    if df.empty:
        return pd.DataFrame()
    name_col = "name_vi" if lang == "vi" else "name_en"
    comp_col = "component_vi" if lang == "vi" else "component_en"
    names = (
        df.drop_duplicates("unit_id")
        .set_index("unit_id")[name_col]
        .fillna(df.drop_duplicates("unit_id").set_index("unit_id")["name_vi"])
    )
    order = [u for u in unit_order if u in names.index]
    base = df.drop_duplicates(["position", "component_id", "unit_id"])
    wide = base.set_index(["position", "component_id", comp_col, "unit_id"])["value"].unstack("unit_id")
    wide = wide.reindex(columns=order)
    out = wide.copy()
    out.columns = [names[u] for u in order]
    first = order[0]
    for u in order[1:]:
        out[f"Δ {names[u]} − {names[first]}"] = wide[u] - wide[first]
    out["spread"] = wide.max(axis=1) - wide.min(axis=1)
    out = out.reset_index().sort_values("position").drop(columns=["position"])
    return out.rename(columns={comp_col: "component"}).reset_index(drop=True)
