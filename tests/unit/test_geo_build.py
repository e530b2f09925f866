"""Geometry build (issue 5): deterministic, valid, clockwise, joins to the store, small enough."""

import json
from pathlib import Path

import pytest
import shapely

from cchc_data.build.geo import LAYERS, MANIFEST, build_geo, decode_topology, layer_path
from cchc_data.paths import SHIPPED_DATA_DIR, STATIC_GEO_DIR

GEO = STATIC_GEO_DIR
EXPECTED_SHAPES = {
    "provinces_63": 63,
    "provinces_34": 34,
    "districts": 705,
    "districts_hanoi": 30,
    "districts_hcmc": 22,
}
MAX_DISTRICT_SPEC_BYTES = 1_500_000


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("geo")
    build_geo(SHIPPED_DATA_DIR / "sources", out)
    return out


@pytest.fixture(scope="module")
def decoded() -> dict:
    return {layer: decode_topology(json.loads(layer_path(GEO, layer).read_text(encoding="utf-8"))) for layer in LAYERS}


def test_rebuild_gives_the_committed_bytes(rebuilt):
    names = sorted([layer_path(GEO, layer).name for layer in LAYERS] + [MANIFEST])
    assert sorted(p.name for p in rebuilt.iterdir()) == names
    differ = [n for n in names if (rebuilt / n).read_bytes() != (GEO / n).read_bytes()]
    assert not differ, f"rebuilt geometry differs from static/geo/: {differ} (run python -m cchc_data build)"


def test_manifest_matches_files():
    manifest = json.loads((GEO / MANIFEST).read_text(encoding="utf-8"))
    for layer, info in manifest["layers"].items():
        data = (GEO / info["file"]).read_bytes()
        assert info["bytes"] == len(data)
        assert info["shapes"] == EXPECTED_SHAPES[layer]


@pytest.mark.parametrize("layer", list(LAYERS))
def test_every_geometry_is_valid_clockwise_and_in_vietnam(decoded, layer):
    shapes = decoded[layer]
    assert len(shapes) == EXPECTED_SHAPES[layer]
    invalid = [code for code, g in shapes.items() if not g.is_valid or g.is_empty or g.area <= 0]
    assert not invalid, f"{layer}: invalid or empty geometry for {invalid}"
    for code, g in shapes.items():
        for poly in shapely.get_parts(g):
            # Vega-Lite (d3-geo) wants clockwise outer rings; holes go the other way.
            assert not shapely.is_ccw(poly.exterior), (layer, code)
            assert all(shapely.is_ccw(r) for r in poly.interiors), (layer, code)
    minx, miny, maxx, maxy = shapely.total_bounds(list(shapes.values()))
    assert 102.0 < minx and maxx < 117.5 and 6.5 < miny and maxy < 23.5


def test_simplification_keeps_areas_and_islands(decoded):
    import geopandas as gpd

    src = gpd.read_file(SHIPPED_DATA_DIR / "sources" / "geo" / "vn_provinces_63.geojson").set_index("ma_tinh")
    for code, g in decoded["provinces_63"].items():
        assert abs(g.area - src.geometry[code].area) / src.geometry[code].area < 0.03, code
    # Hoàng Sa (Đà Nẵng, 48) and Trường Sa (Khánh Hòa, 56) keep their island polygons.
    assert shapely.get_num_geometries(decoded["provinces_63"]["48"]) > 10
    assert shapely.get_num_geometries(decoded["provinces_63"]["56"]) > 100


def test_34_province_map_covers_the_63():
    a = shapely.union_all(list(decode_topology(json.loads(layer_path(GEO, "provinces_63").read_text())).values()))
    b = shapely.union_all(list(decode_topology(json.loads(layer_path(GEO, "provinces_34").read_text())).values()))
    assert abs(a.area - b.area) / a.area < 0.01


def test_district_map_payload_stays_under_limit():
    from cchc_data.ui.map_payloads import map_payloads

    sizes = map_payloads()
    assert set(sizes) >= {"provinces_63", "provinces_34", "districts", "districts_hanoi", "districts_hcmc"}
    assert sizes["districts"] <= MAX_DISTRICT_SPEC_BYTES, sizes
    assert max(sizes.values()) <= MAX_DISTRICT_SPEC_BYTES, sizes
