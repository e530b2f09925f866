"""Geometry build step: data/sources/geo/*.geojson -> static/geo/*.topo.json (offline, deterministic).

Each layer is read with GeoPandas, put in EPSG:4326, simplified as a coverage (shared borders stay
shared), snapped to a coordinate grid (which also rounds the coordinates and keeps every polygon
valid), oriented with clockwise outer rings (what Vega-Lite's d3-geo expects; RFC 7946's
counter-clockwise rings would fill the whole globe) and written as a compact quantised TopoJSON.
The app only reads these files. Rebuilding gives the same bytes (a test checks the committed copy).

A TopoJSON "Topology" with one object, `units`; every geometry's `id` is the GSO code the store's
`units.admin_code` joins on (ma_tinh, ma_tinh_2025 or ma_huyen). Arcs are delta-encoded integers
on the grid given by `transform`; each ring is one arc (no shared arcs, so decoding is trivial).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import shapely

# layer -> (source file, code column, simplify tolerance in degrees, grid size in degrees)
LAYERS: dict[str, tuple[str, str, float, float]] = {
    "provinces_63": ("vn_provinces_63.geojson", "ma_tinh", 0.004, 0.001),
    "provinces_34": ("vn_provinces_34_2025.geojson", "ma_tinh_2025", 0.004, 0.001),
    "districts": ("vn_districts.geojson", "ma_huyen", 0.004, 0.001),
    "districts_hanoi": ("hanoi_districts_30.geojson", "ma_huyen", 0.0007, 0.0001),
    "districts_hcmc": ("hcmc_districts_22.geojson", "ma_huyen", 0.0007, 0.0001),
}
OBJECT = "units"
MANIFEST = "manifest.json"


def layer_path(out_dir: Path, layer: str) -> Path:
    return Path(out_dir) / f"{layer}.topo.json"


def prepare(src_file: Path, code_col: str, tolerance: float, grid: float):
    """Read, reproject, simplify as a coverage, snap to the grid, orient. Returns [(code, geometry)]."""
    import geopandas as gpd  # heavy (GDAL, pyproj): only the geometry build needs it

    gdf = gpd.read_file(src_file)
    gdf = gdf.set_crs(4326) if gdf.crs is None else gdf.to_crs(4326)
    gdf = gdf[[code_col, "geometry"]].rename(columns={code_col: "code"})
    gdf["code"] = gdf["code"].astype(str)
    gdf = gdf.sort_values("code", kind="stable").reset_index(drop=True)
    if gdf["code"].duplicated().any():
        raise ValueError(f"{src_file.name}: duplicate codes {sorted(gdf.code[gdf.code.duplicated()])}")
    geoms = shapely.make_valid(gdf.geometry.values)
    geoms = shapely.coverage_simplify(geoms, tolerance, simplify_boundary=True)
    geoms = shapely.set_precision(geoms, grid)
    geoms = [_polygonal(g) for g in geoms]
    geoms = shapely.orient_polygons(geoms, exterior_cw=True)
    return list(zip(gdf["code"], geoms))


def _polygonal(geom):
    """Keep only the polygons (snapping may leave stray lines or points in a collection)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    polys = []
    for p in parts:
        polys.extend(shapely.get_parts(p))
    return shapely.MultiPolygon(polys) if len(polys) > 1 else polys[0]


def encode_topology(items, grid: float) -> dict:
    """[(code, Polygon|MultiPolygon)] -> a quantised TopoJSON Topology with delta-encoded arcs."""
    k = round(1 / grid)
    bounds = shapely.total_bounds([g for _, g in items])
    tx, ty = (int(bounds[0] * k) - 1), (int(bounds[1] * k) - 1)  # grid units, safely below the minimum
    arcs: list[list[list[int]]] = []

    def ring_arc(ring) -> int:
        coords = shapely.get_coordinates(ring)
        out, px, py = [], 0, 0
        for i, (x, y) in enumerate(coords):
            qx, qy = round(x * k) - tx, round(y * k) - ty
            if i == 0:
                out.append([qx, qy])
            elif (qx, qy) != (px, py):
                out.append([qx - px, qy - py])
            px, py = qx, qy
        arcs.append(out)
        return len(arcs) - 1

    def polygon_arcs(poly) -> list[list[int]]:
        return [[ring_arc(poly.exterior)]] + [[ring_arc(r)] for r in poly.interiors]

    geometries = []
    for code, geom in items:
        if geom.geom_type == "Polygon":
            geometries.append({"type": "Polygon", "id": code, "arcs": polygon_arcs(geom)})
        else:
            geometries.append({"type": "MultiPolygon", "id": code, "arcs": [polygon_arcs(p) for p in geom.geoms]})
    return {
        "type": "Topology",
        "transform": {"scale": [grid, grid], "translate": [tx / k, ty / k]},
        "objects": {OBJECT: {"type": "GeometryCollection", "geometries": geometries}},
        "arcs": arcs,
    }


def decode_topology(topo: dict) -> dict:
    """TopoJSON written by encode_topology -> {code: shapely geometry} (for tests and checks)."""
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    rings = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            pts.append((tx + x * sx, ty + y * sy))
        rings.append(pts)

    def poly(arc_lists):
        return shapely.Polygon(rings[arc_lists[0][0]], [rings[a[0]] for a in arc_lists[1:]])

    out = {}
    for g in topo["objects"][OBJECT]["geometries"]:
        if g["type"] == "Polygon":
            out[g["id"]] = poly(g["arcs"])
        else:
            out[g["id"]] = shapely.MultiPolygon([poly(p) for p in g["arcs"]])
    return out


def dumps(obj) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n").encode("utf-8")


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def build_geo(src: Path, out_dir: Path) -> dict:
    """Write one TopoJSON per layer plus a manifest (shape counts, bytes, sha256); return the manifest."""
    geo_src = Path(src) / "geo"
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest: dict = {"layers": {}}
    for layer, (fname, code_col, tolerance, grid) in LAYERS.items():
        items = prepare(geo_src / fname, code_col, tolerance, grid)
        data = dumps(encode_topology(items, grid))
        _write(layer_path(out_dir, layer), data)
        manifest["layers"][layer] = {
            "file": layer_path(out_dir, layer).name,
            "source": f"data/sources/geo/{fname}",
            "code": code_col,
            "shapes": len(items),
            "simplify_deg": tolerance,
            "grid_deg": grid,
            "bytes": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
        }
    _write(out_dir / MANIFEST, dumps(manifest))
    return manifest
