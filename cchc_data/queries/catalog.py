"""What exists: indices, editions, unit groups, sources, components, methodology."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ..db import data_version, fetch_df
from ..paths import sources_dir
from ..store import active_dir, read_manifest
from ._cache import versioned, versioned_view

__all__ = [
    "INDEX_CODES",
    "GROUPS",
    "editions",
    "edition",
    "edition_groups",
    "edition_source",
    "view_sources",
    "unit_names_as_of",
    "previous_edition",
    "components",
    "methodology",
    "dimension_changes",
    "component_presence",
    "table_parquet_bytes",
    "table_rows",
    "latest_editions",
    "data_version",
    "table_for_download",
    "PUBLIC_TABLES",
    "unpublished_indices",
    "unpublished_index_codes",
    "index_year_choices",
    "UNPUBLISHED_TABLE",
]

INDEX_CODES = ("par", "papi", "pci", "sipas", "par_hanoi", "par_hcmc")
GROUPS = ("provinces", "ministries", "departments", "districts", "communes", "offices")
PUBLIC_TABLES = (
    "results",
    "scores",
    "components",
    "editions",
    "units",
    "unit_lineage",
    "sources",
    "unit_names",
    "methodology",
)


@st.cache_resource(max_entries=4, ttl=3600, show_spinner=False)
def _editions(version: str) -> pd.DataFrame:
    """Shared, not copied (this is read on every rerun, many times): callers get filtered copies."""
    return fetch_df("""
        SELECT e.*, (SELECT count(*) FROM results r WHERE r.edition_id = e.edition_id) AS n_results,
               (SELECT count(*) FROM results r WHERE r.edition_id = e.edition_id AND r.total IS NOT NULL) AS n_scored
        FROM editions e ORDER BY index_code, year""")


@st.cache_resource(max_entries=4, ttl=3600, show_spinner=False)
def _editions_by_index(version: str) -> dict[str, pd.DataFrame]:
    df = _editions(version)
    return {code: part.reset_index(drop=True) for code, part in df.groupby("index_code", sort=False)}


@versioned_view
def index_year_choices() -> dict[str, tuple[int, ...]]:
    """The index and year pickers' options: each index that has editions (INDEX_CODES order) -> its years, newest
    first. One shared answer per data version (a new session asked editions() twice and copied it for this)."""
    eds = _editions(data_version())
    return {
        code: tuple(sorted((int(y) for y in eds.year[eds.index_code == code]), reverse=True))
        for code in INDEX_CODES
        if (eds.index_code == code).any()
    }


def editions(index_code: str | None = None) -> pd.DataFrame:
    """All editions, or one index's (a shared frame: read it, do not modify it in place)."""
    if not index_code:
        return _editions(data_version()).copy()
    found = _editions_by_index(data_version()).get(index_code)
    return found if found is not None else _editions(data_version()).head(0)


_edition_rows_memo: dict[str, dict[str, list[tuple[int, dict]]]] = {}


def _edition_rows(version: str) -> dict[str, list[tuple[int, dict]]]:
    """index_code -> [(year, row dict)] in year order. Pages look editions up 10-20 times a run: a filtered
    frame and .to_dict() cost ~0.5 ms a look-up, a st.cache_resource call ~0.1 ms, this plain memo (keyed by
    the data version, rebuilt when it changes) a few microseconds."""
    rows = _edition_rows_memo.get(version)
    if rows is None:
        rows = {
            code: [(int(r["year"]), r) for r in part.to_dict("records")]
            for code, part in _editions_by_index(version).items()
        }
        if len(_edition_rows_memo) >= 4:
            _edition_rows_memo.clear()
        _edition_rows_memo[version] = rows
    return rows


def edition(index_code: str, year: int) -> dict | None:
    year = int(year)
    for y, row in _edition_rows(data_version()).get(index_code, ()):
        if y == year:
            return dict(row)  # a copy: the shared rows stay as read
    return None


def previous_edition(index_code: str, year: int) -> dict | None:
    year = int(year)
    found = None
    for y, row in _edition_rows(data_version()).get(index_code, ()):
        if y < year:
            found = row
    return dict(found) if found is not None else None


@versioned
def edition_groups(edition_id: str) -> list[str]:
    df = fetch_df("SELECT unit_group, count(*) n FROM results WHERE edition_id = ? GROUP BY unit_group", [edition_id])
    order = {g: i for i, g in enumerate(GROUPS)}
    return sorted(df.unit_group.tolist(), key=lambda g: order.get(g, 99))


@versioned
def edition_source(edition_id: str) -> dict:
    df = fetch_df("SELECT s.* FROM editions e JOIN sources s USING (source_id) WHERE e.edition_id = ?", [edition_id])
    return df.iloc[0].to_dict() if len(df) else {}


@versioned
def _view_sources(edition_id: str, unit_group: str | None, unit_ids: tuple[str, ...] | None) -> list[dict]:
    df = fetch_df(
        """
        SELECT s.source_id, s.title, s.publisher, s.document_no, s.published_on, s.url, s.licence, s.licence_vi,
               s.note, s.note_vi, count(*) AS n_rows
        FROM results r JOIN sources s USING (source_id)
        WHERE r.edition_id = $edition_id
          AND ($unit_group IS NULL OR r.unit_group = $unit_group)
          AND ($all_units OR r.unit_id = ANY($unit_ids))
        GROUP BY ALL
        ORDER BY n_rows DESC, s.published_on NULLS LAST, s.source_id""",
        {
            "edition_id": edition_id,
            "unit_group": unit_group,
            "all_units": unit_ids is None,
            "unit_ids": list(unit_ids or ()),
        },
    )
    rows = df.to_dict("records")
    for r in rows:  # plain Python values: NaT/NaN from pandas become None
        for k, v in r.items():
            if v is not None and not isinstance(v, str) and pd.isna(v):
                r[k] = None
        if r["published_on"] is not None:
            r["published_on"] = pd.Timestamp(r["published_on"]).date()
        r["n_rows"] = int(r["n_rows"])
    return rows


def view_sources(edition_id: str, unit_group: str | None = None, unit_ids=None) -> list[dict]:
    """The sources of the figures a view shows: the result rows' own source_id (not the edition's "main"
    source), most-used first, each with title, publisher, url, published_on, licence(_vi), note(_vi) and n_rows
    (how many of the view's rows it supplied). unit_group and unit_ids narrow it to the rows on screen."""
    ids = tuple(sorted(set(unit_ids))) if unit_ids is not None else None
    return _view_sources(edition_id, unit_group, ids)


@versioned
def components(edition_id: str) -> pd.DataFrame:
    return fetch_df(
        """SELECT * FROM components WHERE edition_id = ?
                       ORDER BY level, parent_component_id NULLS FIRST, position""",
        [edition_id],
    )


@versioned
def methodology() -> pd.DataFrame:
    return fetch_df(
        "SELECT * FROM methodology ORDER BY scheme, valid_from_year NULLS LAST, decision_no, component_order"
    )


@versioned
def latest_editions() -> pd.DataFrame:
    """The newest edition of each index with its leader(s) in each group."""
    return fetch_df("""
        WITH latest AS (
            SELECT index_code, max(year) AS year FROM editions e
            WHERE EXISTS (SELECT 1 FROM results r WHERE r.edition_id = e.edition_id AND r.rank = 1)
            GROUP BY index_code)
        SELECT e.index_code, e.year, e.edition_id, e.completeness, r.unit_group, r.unit_id, u.name_vi, u.name_en,
               r.total, r.rank, r.rank_official, e.source_id
        FROM latest l JOIN editions e USING (index_code, year)
        JOIN results r ON r.edition_id = e.edition_id AND r.rank = 1
        JOIN units u USING (unit_id)
        ORDER BY e.index_code, r.unit_group""")


@versioned
def table_for_download(name: str) -> pd.DataFrame:
    if name not in PUBLIC_TABLES:
        raise ValueError(f"unknown table {name!r}")
    return fetch_df(f"SELECT * FROM {name}")  # name is from the PUBLIC_TABLES allow-list


def dimension_changes(edition_id: str, other_edition_id: str | None) -> dict[str, list[str]]:
    """Top-level components added and dropped between two editions (empty lists when the same)."""
    if not other_edition_id:
        return {"added": [], "dropped": []}
    now = components(edition_id)
    before = components(other_edition_id)
    now_ids = set(now[now.level == "dimension"].component_id)
    before_ids = set(before[before.level == "dimension"].component_id)
    return {"added": sorted(now_ids - before_ids), "dropped": sorted(before_ids - now_ids)}


@versioned
def component_presence(index_code: str) -> pd.DataFrame:
    """Which components each year of an index has: the method changes, year by year."""
    return fetch_df(
        """
        SELECT e.year, c.component_id, c.parent_component_id, c.level, c.name_vi, c.name_en, c.max_score
        FROM components c JOIN editions e USING (edition_id)
        WHERE e.index_code = ?
        ORDER BY c.level, c.parent_component_id NULLS FIRST, c.component_id, e.year""",
        [index_code],
    )


def table_parquet_bytes(name: str) -> bytes:
    """The Parquet file of a public table, as served (allow-listed names only)."""
    if name not in PUBLIC_TABLES:
        raise ValueError(f"unknown table {name!r}")
    return (active_dir() / f"{name}.parquet").read_bytes()


@versioned
def table_rows() -> dict[str, int]:
    return {k: v["rows"] for k, v in read_manifest(active_dir())["tables"].items()}


@versioned
def _names_as_of(day: str) -> dict[str, tuple[str, str]]:
    df = fetch_df(
        """
        WITH dated AS (
            SELECT unit_id, lang, name FROM unit_names
            WHERE name_kind IN ('official_short', 'official') AND (valid_from IS NOT NULL OR valid_to IS NOT NULL)
              AND (valid_from IS NULL OR valid_from <= CAST($day AS DATE))
              AND (valid_to IS NULL OR valid_to >= CAST($day AS DATE))
              AND (lang = 'en' OR name_kind = 'official_short'))
        SELECT u.unit_id,
               coalesce((SELECT d.name FROM dated d WHERE d.unit_id = u.unit_id AND d.lang = 'vi'), u.name_vi) AS vi,
               coalesce((SELECT d.name FROM dated d WHERE d.unit_id = u.unit_id AND d.lang = 'en'), u.name_en,
                        u.name_vi) AS en
        FROM units u""",
        {"day": day},
    )
    return {r.unit_id: (r.vi, r.en) for r in df.itertuples(index=False)}


def unit_names_as_of(year: int) -> dict[str, tuple[str, str]]:
    """unit_id -> (Vietnamese, English) short name in force at the end of `year` (unit_names periods; units'
    own names where a unit has one name for its whole life). E.g. p46: Thừa Thiên Huế to 2024, Huế from 2025."""
    return _names_as_of(f"{int(year)}-12-31")


# ---------------------------------------------------------------- indices with no results table published as text
UNPUBLISHED_TABLE = sources_dir() / "reference" / "unpublished_indices.csv"  # shipped with the code, not the store


@versioned
def unpublished_indices() -> pd.DataFrame:
    """Indices (or one unit group of an index) that are announced but have no results table published as text:
    who publishes each, since when, its scoring steps and the source of each fact, from
    data/sources/reference/unpublished_indices.csv. An entry stays listed until the data has a table for it:
    `shown_until` = `any_table` (no result of that index and group yet) or `complete_table` (no complete edition
    of it yet, e.g. SIPAS, of which only a few figures were printed). One row per entry still without a table,
    with `n_results` (how many figures the data holds for it) and `first_year`/`last_year` of those figures."""
    ref = pd.read_csv(UNPUBLISHED_TABLE, dtype=str, keep_default_na=False)
    have = fetch_df("""
        SELECT e.index_code, r.unit_group, count(*) AS n_results,
               count(*) FILTER (WHERE e.completeness = 'complete') AS n_complete,
               min(e.year) AS first_year, max(e.year) AS last_year
        FROM results r JOIN editions e USING (edition_id) GROUP BY ALL""")
    by_group = {(r.index_code, r.unit_group): r for r in have.itertuples(index=False)}
    offices = int(have.loc[have.unit_group == "offices", "n_results"].sum())
    keep, n_results, first, last = [], [], [], []
    for r in ref.itertuples(index=False):
        found = by_group.get((r.index_code, r.unit_group)) if r.index_code else None
        n = int(found.n_results) if found is not None else (0 if r.index_code else offices)
        done = n > 0 if r.shown_until == "any_table" else found is not None and int(found.n_complete) > 0
        keep.append(not done)
        n_results.append(n)
        first.append(int(found.first_year) if found is not None else None)
        last.append(int(found.last_year) if found is not None else None)
    out = ref.assign(n_results=n_results, first_year=first, last_year=last)[keep]
    return out.astype({"first_year": "Int64", "last_year": "Int64"}).reset_index(drop=True)


@versioned_view
def unpublished_index_codes() -> tuple[str, ...]:
    """Index codes with an entry in unpublished_indices() that have no result at all yet (e.g. par_hcmc): they
    belong on /methodology and the overview, not in the pickers of pages that draw results."""
    df = unpublished_indices()
    have = set(editions().index_code)
    return tuple(c for c in INDEX_CODES if c in set(df.index_code) and c not in have)
