"""Maps: which geometry layer an edition uses, the values to colour it with, and the join of units to shapes.

The geometry is prepared offline (cchc_data/build/geo.py) into static/geo/*.topo.json; here it is only
read (and cached). The browser fetches that geometry by URL (Streamlit's static serving), once per layer,
so a map spec carries only the rows; a data directory with its own geo/ has its geometry inlined. Provinces: editions of year >= 2025 use the 34-province map (Resolution
202/2025/QH15, in force 1 July 2025), earlier ones the 63-province map. On the 34 map the merged
provinces are `p{code}-2025` and the 11 unchanged provinces keep their `p{code}` id; both join by
admin_code. Districts join by their GSO code (ma_huyen)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import streamlit as st

from ..db import fetch_df
from ..paths import STATIC_GEO_DIR, data_dir
from ._cache import versioned

__all__ = [
    "MERGER_YEAR",
    "LAYER_FILES",
    "VIEWS",
    "province_layer",
    "map_layers",
    "layer_for",
    "load_layer",
    "layer_geometry",
    "layer_codes",
    "map_values",
    "map_series",
    "layer_units",
    "join_layer",
    "metric_options",
]

MERGER_YEAR = 2025  # editions of this year or later use the 34-province map
# The map choices a reader sees (`layer` param) -> geometry file; 'provinces' is resolved by year.
LAYER_FILES = {
    "provinces_63": "provinces_63",
    "provinces_34": "provinces_34",
    "districts": "districts",
    "hanoi": "districts_hanoi",
    "hcmc": "districts_hcmc",
}
MAP_CHOICES = ("provinces", "hanoi", "hcmc", "districts")
VIEWS = ("map", "change", "multiples")
CITY_PROVINCE = {"hanoi": "p01", "hcmc": "p79"}


def province_layer(year: int) -> str:
    """The province geometry of an edition: the year decides (>= 2025 -> 34 provinces)."""
    return "provinces_34" if int(year) >= MERGER_YEAR else "provinces_63"


def layer_for(choice: str, year: int) -> str:
    """A reader's map choice ('provinces', 'hanoi', 'hcmc', 'districts') -> a geometry layer name."""
    if choice == "provinces":
        return province_layer(year)
    if choice in ("hanoi", "hcmc", "districts"):
        return choice
    raise ValueError(f"unknown map {choice!r}")


STATIC_URL = "app/static/geo"  # relative: resolves under any server.baseUrlPath


def _geo_dir() -> Path:
    own = data_dir() / "geo"
    return own if (own / "manifest.json").exists() else STATIC_GEO_DIR


@st.cache_resource(max_entries=8, show_spinner=False)
def _load(path: str, mtime: float) -> dict:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def load_layer(layer: str) -> dict:
    """The prepared TopoJSON of a layer (read once, cached; treat as read-only)."""
    path = _geo_dir() / f"{LAYER_FILES[layer]}.topo.json"
    return _load(str(path), path.stat().st_mtime)


def layer_geometry(layer: str) -> dict | str:
    """What a map spec references for a layer's shapes: the served file's URL (versioned by its sha256, so a
    browser cache never shows stale shapes) when the layer is the shipped one, else the TopoJSON itself."""
    geo = _geo_dir()
    if geo != STATIC_GEO_DIR:
        return load_layer(layer)
    info = _static_manifest(str(geo / "manifest.json"), (geo / "manifest.json").stat().st_mtime)
    entry = next((v for v in info["layers"].values() if v["file"] == f"{LAYER_FILES[layer]}.topo.json"), None)
    if entry is None:
        return load_layer(layer)
    return f"{STATIC_URL}/{entry['file']}?v={entry['sha256'][:12]}"


@st.cache_resource(max_entries=2, show_spinner=False)
def _static_manifest(path: str, mtime: float) -> dict:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def layer_codes(layer: str) -> list[str]:
    return [g["id"] for g in load_layer(layer)["objects"]["units"]["geometries"]]


@versioned
def _edition_layout(edition_id: str) -> pd.DataFrame:
    return fetch_df(
        """SELECT r.unit_group, u.parent_unit_id, count(*) AS n
                       FROM results r JOIN units u USING (unit_id)
                       WHERE r.edition_id = ? GROUP BY ALL""",
        [edition_id],
    )


def map_layers(edition_id: str) -> list[str]:
    """The map choices that make sense for an edition: provinces if it ranks provinces; Hà Nội's / TP.HCM's
    districts if it has district rows there; all districts whenever it has district rows."""
    df = _edition_layout(edition_id)
    out = []
    if (df.unit_group == "provinces").any():
        out.append("provinces")
    districts = df[df.unit_group == "districts"]
    for choice, parent in CITY_PROVINCE.items():
        if (districts.parent_unit_id == parent).any():
            out.append(choice)
    if len(districts):
        out.append("districts")
    return out


@versioned
def metric_options(edition_id: str) -> pd.DataFrame:
    """Components of an edition that can colour the map (the metric 'total' is always offered too)."""
    return fetch_df(
        """SELECT component_id, name_vi, name_en, level, parent_component_id, position
                       FROM components WHERE edition_id = ?
                       ORDER BY CASE level WHEN 'dimension' THEN 0 WHEN 'sub_dimension' THEN 1 ELSE 2 END,
                                position, component_id""",
        [edition_id],
    )


_VALUES_TOTAL = """
    SELECT r.edition_id, e.year, r.unit_id, r.unit_group, u.name_vi, u.name_en, u.kind, u.admin_code,
           u.map_layer, u.valid_to, u.parent_unit_id, r.total AS value, r.rank, r.rank_official, r.tier, r.tier_vi,
           r.tier_en, r.note
    FROM results r JOIN units u USING (unit_id) JOIN editions e USING (edition_id)
    WHERE r.edition_id = ANY($eds)
    ORDER BY e.year, r.unit_group, u.name_vi COLLATE vi"""

# A component's rank is computed here (complete editions only, ties share the best rank): never official.
_VALUES_COMPONENT = """
    WITH v AS (
        SELECT r.edition_id, e.year, r.unit_id, r.unit_group, e.completeness, s.score AS value
        FROM results r JOIN editions e USING (edition_id)
        LEFT JOIN scores s ON s.edition_id = r.edition_id AND s.unit_id = r.unit_id AND s.component_id = $metric
        WHERE r.edition_id = ANY($eds))
    SELECT v.edition_id, v.year, v.unit_id, v.unit_group, u.name_vi, u.name_en, u.kind, u.admin_code,
           u.map_layer, u.valid_to, u.parent_unit_id, v.value,
           CAST(CASE WHEN v.completeness = 'complete' AND v.value IS NOT NULL
                THEN rank() OVER (PARTITION BY v.edition_id, v.unit_group, (v.value IS NULL) ORDER BY v.value DESC)
                END AS INTEGER) AS rank,
           false AS rank_official, CAST(NULL AS VARCHAR) AS tier, CAST(NULL AS VARCHAR) AS tier_vi,
           CAST(NULL AS VARCHAR) AS tier_en, CAST(NULL AS VARCHAR) AS note
    FROM v JOIN units u USING (unit_id)
    ORDER BY v.year, v.unit_group, u.name_vi COLLATE vi"""


@versioned
def _values(edition_ids: tuple[str, ...], metric: str) -> pd.DataFrame:
    if metric == "total":
        return fetch_df(_VALUES_TOTAL, {"eds": list(edition_ids)})
    return fetch_df(_VALUES_COMPONENT, {"eds": list(edition_ids), "metric": metric})


def map_values(edition_id: str, metric: str = "total") -> pd.DataFrame:
    """Every unit with a result row in the edition, with the metric's value (NULL = no data), rank and tier."""
    return _values((edition_id,), metric)


def map_series(edition_ids: list[str] | tuple[str, ...], metric: str = "total") -> pd.DataFrame:
    """map_values for several editions at once (small multiples, change between two years)."""
    return _values(tuple(edition_ids), metric)


@versioned
def _layer_units(kind: str, layer_tag: str, only_current: bool) -> pd.DataFrame:
    return fetch_df(
        """SELECT unit_id, name_vi, name_en, kind, admin_code, map_layer, valid_to, parent_unit_id
                       FROM units
                       WHERE kind = $kind AND admin_code IS NOT NULL
                         AND (map_layer = $layer OR ($current AND map_layer = 'provinces_63' AND valid_to IS NULL))
                       ORDER BY admin_code""",
        {"kind": kind, "layer": layer_tag, "current": only_current},
    )


def layer_units(layer: str) -> pd.DataFrame:
    """The store's units that a layer's shapes stand for (one per shape code where the store has it).

    provinces_63: the 63 pre-merger provinces. provinces_34: the 23 merged `p..-2025` provinces plus the 11
    unchanged ones (map_layer 'provinces_63' and no end date). District layers: districts by GSO code."""
    if layer == "provinces_63":
        df = _layer_units("province", "provinces_63", False)
    elif layer == "provinces_34":
        df = _layer_units("province", "provinces_34", True)
    else:
        df = _layer_units("district", "districts", False)
    codes = set(layer_codes(layer))
    df = df[df.admin_code.isin(codes)]
    # Prefer the unit whose map_layer is the layer itself if two share a code (never the case today).
    return (
        df.sort_values(["admin_code", "map_layer"], ascending=[True, layer != "provinces_34"])
        .drop_duplicates("admin_code")
        .reset_index(drop=True)
    )


def join_layer(values: pd.DataFrame, layer: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Values of one edition -> (one row per shape of the layer, rows that have no shape on it).

    The first frame has every shape code, the unit it stands for and its value (NULL where the edition has
    no figure, which the map shows as "no data"). The second frame has the edition's units that the map
    cannot show (ministries, departments, Hà Tây, or units of another layer): they go to the dot strip."""
    units = layer_units(layer)
    codes = pd.DataFrame({"code": layer_codes(layer)})
    base = codes.merge(units, left_on="code", right_on="admin_code", how="left")
    base["unit_id"] = base["unit_id"].fillna("")
    base["name_vi"] = base["name_vi"].fillna(base["code"])
    base["name_en"] = base["name_en"].fillna(base["name_vi"])
    cols = ["unit_id", "unit_group", "value", "rank", "rank_official", "tier", "tier_vi", "tier_en", "note"]
    on_map = values[values.unit_id.isin(set(base.unit_id) - {""})]
    shapes = base.merge(on_map[cols], on="unit_id", how="left")
    shapes["has_data"] = shapes["value"].notna()
    off_map = values[~values.unit_id.isin(set(base.unit_id) - {""})].reset_index(drop=True)
    if layer in ("hanoi", "hcmc"):
        # A city map leaves out districts of other provinces silently (they are on the 'districts' map).
        off_map = off_map[off_map.kind != "district"].reset_index(drop=True)
    return shapes, off_map
