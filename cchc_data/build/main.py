"""python -m cchc_data build: regenerate data/*.parquet from data/sources/, deterministically."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from ..parquet_io import write_tables  # noqa: F401  (the shared writer; build.main.write_tables still works)
from ..schema import to_table
from .facts import build_facts
from .indices import (
    Tables,
    build_methodology,
    build_papi,
    build_par,
    build_pci,
    build_sipas,
    fill_tier_languages,
    update_readme_coverage,
)
from .papi_recent import build_papi_recent
from .pci_recent import build_pci_recent
from .units import UnitResolver, build_units
from .units_2025 import add_two_tier_units


def build_tables(src: Path) -> dict[str, pa.Table]:
    reg = build_units(src)
    resolver = UnitResolver(reg.units, reg.names)
    t = Tables()
    add_two_tier_units(src, reg, t.sources)  # communes of the two-tier system (after the resolver: not graded yet)
    build_papi(src, t)
    build_papi_recent(src, t)
    build_pci(src, t, resolver)
    build_par(src, t, resolver)
    build_sipas(src, t)
    build_pci_recent(src, t, resolver)
    build_facts(src, t, resolver)
    fill_tier_languages(src, t)  # every printed tier in both languages
    tables = {
        "sources": to_table("sources", list(t.sources.values())),
        "editions": to_table("editions", list(t.editions.values())),
        "units": to_table("units", reg.units),
        "unit_names": to_table("unit_names", _dedupe(reg.names)),
        "unit_lineage": to_table("unit_lineage", reg.lineage),
        "components": to_table("components", t.components),
        "scores": to_table("scores", t.scores),
        "results": to_table("results", t.results),
        "methodology": to_table("methodology", build_methodology(src)),
    }
    tables["results"] = fill_computed_ranks(tables["results"], tables["editions"])
    return tables


def _dedupe(rows: list[dict]) -> list[dict]:
    seen, out = set(), []
    for r in rows:
        key = (r["unit_id"], r["name"], r["lang"], r["name_kind"])
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


def fill_computed_ranks(results: pa.Table, editions: pa.Table) -> pa.Table:
    """Complete editions without a printed rank get a computed one (ties share the best rank)."""
    con = duckdb.connect()
    try:
        con.register("results_in", results)
        con.register("editions_in", editions)
        out = con.sql("""
            SELECT r.edition_id, r.unit_id, r.unit_group, r.total,
                   CAST(CASE WHEN r.rank IS NOT NULL THEN r.rank
                        WHEN e.completeness = 'complete' AND r.total IS NOT NULL
                        THEN rank() OVER (PARTITION BY r.edition_id, r.unit_group, (r.total IS NULL)
                                          ORDER BY r.total DESC)
                   END AS INTEGER) AS rank,
                   r.rank_official, r.tier, r.source_id, r.note, r.note_vi, r.tier_vi, r.tier_en
            FROM results_in r JOIN editions_in e USING (edition_id)
        """).to_arrow_table()
    finally:
        con.close()
    return to_table("results", out.to_pylist())


def build(src: Path, out_dir: Path, geo_dir: Path | None = None) -> dict:
    """Tables into out_dir; geometry into geo_dir (the shipped build: static/geo, served to the browser;
    any other out_dir: out_dir/geo, which the app then reads and inlines in the map specs)."""
    # geo imports geopandas (slow to load): only a full build draws the boundaries.
    from ..paths import SHIPPED_DATA_DIR, STATIC_GEO_DIR
    from .geo import build_geo

    manifest = write_tables(build_tables(src), out_dir)
    if geo_dir is None:
        geo_dir = STATIC_GEO_DIR if Path(out_dir).resolve() == SHIPPED_DATA_DIR.resolve() else Path(out_dir) / "geo"
    build_geo(src, geo_dir)
    if Path(out_dir).resolve() == SHIPPED_DATA_DIR.resolve():
        update_readme_coverage(out_dir)  # README's coverage table follows the shipped data
    return manifest
