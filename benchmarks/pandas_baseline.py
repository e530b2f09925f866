"""The pandas baseline: what a page would cost if each rerun read the Parquet with pandas and computed the
ranking and the component matrix itself (no DuckDB, no cache). Compared in the same run, on the same data,
with the warm reruns of /rankings and /components and with our uncached query functions.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd


def ranking_and_matrix(
    data_dir: Path, index_code: str, year: int, group: str, pushdown: bool = False
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The same ranking (with change against the previous edition) and the same top-level component matrix
    (units x dimensions, % of max) that /rankings and /components show. pushdown=True lets pyarrow skip
    row groups of other editions (a tuned pandas app); False reads whole files (the usual pandas app)."""
    editions = pd.read_parquet(data_dir / "editions.parquet")
    eds = editions[editions.index_code == index_code].sort_values("year")
    edition_id = eds.loc[eds.year == year, "edition_id"].iloc[0]
    before = eds[eds.year < year]
    prev_id = before.edition_id.iloc[-1] if len(before) else None
    wanted = [edition_id] + ([prev_id] if prev_id else [])
    filt = [("edition_id", "in", wanted)] if pushdown else None
    results = pd.read_parquet(data_dir / "results.parquet", filters=filt)
    units = pd.read_parquet(data_dir / "units.parquet", columns=["unit_id", "name_vi", "name_en", "admin_code", "kind"])
    sources = pd.read_parquet(data_dir / "sources.parquet", columns=["source_id", "title", "url"])
    cur = results[(results.edition_id == edition_id) & (results.unit_group == group)]
    prev = results[(results.edition_id == prev_id) & (results.unit_group == group)][["unit_id", "total", "rank"]]
    rk = (
        cur.merge(units, on="unit_id")
        .merge(sources, on="source_id", how="left")
        .merge(prev.rename(columns={"total": "prev_total", "rank": "prev_rank"}), on="unit_id", how="left")
    )
    rk["rank_change"] = rk.prev_rank - rk["rank"]
    rk["total_change"] = rk.total - rk.prev_total
    rk = rk.sort_values(["rank", "total", "name_vi"], ascending=[True, False, True], na_position="last")

    comps = pd.read_parquet(
        data_dir / "components.parquet", filters=[("edition_id", "=", edition_id)] if pushdown else None
    )
    top = comps[(comps.edition_id == edition_id) & (comps.unit_group == group) & comps.parent_component_id.isna()]
    scores = pd.read_parquet(
        data_dir / "scores.parquet",
        columns=["edition_id", "unit_id", "component_id", "score"],
        filters=[("edition_id", "=", edition_id)] if pushdown else None,
    )
    s = scores[
        (scores.edition_id == edition_id)
        & scores.component_id.isin(top.component_id)
        & scores.unit_id.isin(cur.unit_id)
    ]
    s = s.merge(top[["component_id", "max_score"]], on="component_id")
    s["value"] = np.where(s.max_score > 0, s.score / s.max_score * 100, s.score)
    matrix = s.pivot_table(index="unit_id", columns="component_id", values="value", aggfunc="first")
    matrix = matrix.reindex(rk.unit_id)
    return rk, matrix


def ours_uncached(index_code: str, year: int, group: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Our query functions with every st.cache_data entry dropped first (the DuckDB connection stays open)."""
    import streamlit as st

    from cchc_data import queries as q
    from cchc_data.queries import component_scores as qc

    st.cache_data.clear()
    ed = q.edition(index_code, year)
    rk = q.ranking(ed["edition_id"], group, index_code, year)
    comp = qc.component_scores(ed["edition_id"], group, qc.TOP)
    return rk, comp


def ours_cached(index_code: str, year: int, group: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The same query functions answered from their caches (what a warm rerun's data layer costs)."""
    from cchc_data import queries as q
    from cchc_data.queries import component_scores as qc

    ed = q.edition(index_code, year)
    return q.ranking(ed["edition_id"], group, index_code, year), qc.component_scores(ed["edition_id"], group, qc.TOP)


def _time(fn, reruns: int) -> list[float]:
    out = []
    for _ in range(reruns):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def compare(data_dir: Path, params: dict, reruns: int) -> dict:
    from .inproc import stats

    p = params["rankings"]
    index_code, year, group = p["index"], int(p["year"]), p["group"]
    rk, matrix = ranking_and_matrix(data_dir, index_code, year, group)
    ours_rk, ours_comp = ours_uncached(index_code, year, group)
    # The baseline computes the same thing: same units in the same ranking order, same matrix cells.
    same_units = rk.unit_id.tolist() == ours_rk.unit_id.tolist()
    ours_matrix = ours_comp.pivot_table(index="unit_id", columns="component_id", values="value", aggfunc="first")
    same_matrix = (
        bool(
            np.allclose(
                ours_matrix.reindex(index=matrix.index, columns=matrix.columns).to_numpy(dtype=float),
                matrix.to_numpy(dtype=float),
                equal_nan=True,
            )
        )
        if matrix.size
        else ours_matrix.size == 0
    )
    return {
        "edition": f"{index_code}-{year}/{group}",
        "units": int(len(rk)),
        "matrix_cells": int(matrix.size),
        "same_result": {"ranking_order": same_units, "matrix": same_matrix},
        "pandas_full_read": stats(_time(lambda: ranking_and_matrix(data_dir, index_code, year, group), reruns)),
        "pandas_pushdown": stats(_time(lambda: ranking_and_matrix(data_dir, index_code, year, group, True), reruns)),
        "ours_uncached_queries": stats(_time(lambda: ours_uncached(index_code, year, group), reruns)),
        "ours_cached_queries": stats(_time(lambda: ours_cached(index_code, year, group), max(reruns, 20))),
    }
