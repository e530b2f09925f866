"""Map queries (issue 5): which map an edition uses, and that every unit with geometry joins to a shape."""

import pandas as pd
import pytest

from cchc_data.queries import catalog
from cchc_data.queries import maps as qmap
from tests.fixtures import SYNTHETIC, tiny_tables


@pytest.mark.parametrize(
    "year,layer",
    [
        (2005, "provinces_63"),
        (2019, "provinces_63"),
        (2024, "provinces_63"),
        (2025, "provinces_34"),
        (2026, "provinces_34"),
    ],
)
def test_the_year_decides_63_or_34_provinces(year, layer):
    assert qmap.province_layer(year) == layer
    assert qmap.layer_for("provinces", year) == layer
    assert qmap.layer_for("hanoi", year) == "hanoi" and qmap.layer_for("districts", year) == "districts"


def test_layer_units_cover_every_shape_on_the_shipped_store():
    for layer, n in (("provinces_63", 63), ("provinces_34", 34), ("districts", 705), ("hanoi", 30), ("hcmc", 22)):
        units = qmap.layer_units(layer)
        codes = qmap.layer_codes(layer)
        assert len(codes) == n
        missing = sorted(set(codes) - set(units.admin_code))
        assert not missing, f"{layer}: shapes with no unit in the store: {missing}"
        assert units.admin_code.is_unique
    u34 = qmap.layer_units("provinces_34")
    # 23 merged provinces (p..-2025) plus the 11 that kept their borders and their p.. id
    assert u34.unit_id.str.endswith("-2025").sum() == 23
    assert sorted(u34.unit_id[~u34.unit_id.str.endswith("-2025")]) == [
        "p01",
        "p04",
        "p11",
        "p12",
        "p14",
        "p20",
        "p22",
        "p38",
        "p40",
        "p42",
        "p46",
    ]


def test_every_unit_with_geometry_joins_to_a_shape_in_every_shipped_edition():
    misses = []
    for ed in catalog.editions().itertuples():
        values = qmap.map_values(ed.edition_id)
        for choice in qmap.map_layers(ed.edition_id):
            layer = qmap.layer_for(choice, ed.year)
            shapes, off = qmap.join_layer(values, layer)
            assert len(shapes) == len(qmap.layer_codes(layer))
            kind = "province" if layer.startswith("provinces") else "district"
            lost = off[(off.kind == kind) & off.map_layer.notna()]
            misses += [f"{ed.edition_id}/{layer}: {r.unit_id} {r.name_vi}" for r in lost.itertuples()]
            # every figure of a joined unit reaches the map unchanged
            joined = shapes[shapes.has_data].set_index("unit_id")["value"]
            expect = values.set_index("unit_id")["value"].reindex(joined.index)
            assert (joined == expect).all()
    assert not misses, "units with geometry that do not join to a shape:\n" + "\n".join(misses)


def test_pci_2019_fills_all_63_provinces_and_hatay_goes_to_the_strip():
    shapes, off = qmap.join_layer(qmap.map_values("pci-2019"), "provinces_63")
    assert len(shapes) == 63 and shapes.has_data.all() and off.empty
    shapes, off = qmap.join_layer(qmap.map_values("pci-2007"), "provinces_63")
    assert list(off.unit_id) == ["p-hatay"] and off.value.notna().all()


def test_hanoi_internal_par_maps_districts_and_puts_departments_beside():
    eid = "par_hanoi-2019"
    assert qmap.map_layers(eid) == ["hanoi", "districts"]
    shapes, off = qmap.join_layer(qmap.map_values(eid), "hanoi")
    assert len(shapes) == 30
    assert sorted(shapes.unit_id[shapes.has_data]) == ["d004", "d005", "d006"]  # partial: 3 printed
    assert set(off.unit_group) == {"departments"}
    assert qmap.map_layers("par_hanoi-2021") == []  # only departments that year: no map, strip only


def test_component_metric_values_and_computed_ranks():
    df = qmap.map_values("pci-2019", "entry")
    assert len(df) == 63 and df.value.notna().all()
    assert not df.rank_official.any()
    best = df.sort_values("value", ascending=False).iloc[0]
    assert best["rank"] == 1
    # a partial edition never gets a computed rank
    assert qmap.map_values("par-2019", "total").query("not rank_official")["rank"].isna().all()


def _store_with_a_2025_edition(directory):
    """The tiny synthetic store plus a synthetic 2025 edition (SYNTHETIC, generated here)."""
    from cchc_data.build.main import write_tables
    from cchc_data.schema import to_table

    tables = tiny_tables()
    rows = {name: table.to_pylist() for name, table in tables.items()}
    rows["editions"].append(
        {
            "edition_id": "papi-2025",
            "index_code": "papi",
            "year": 2025,
            "scope": "national",
            "source_id": "synthetic",
            "method_note": SYNTHETIC,
            "completeness": "complete",
            "total_unit": "points",
        }
    )
    for uid, total in (("p01", 44.0), ("p08-2025", 41.5), ("p02", 40.0)):
        rows["results"].append(
            {
                "edition_id": "papi-2025",
                "unit_id": uid,
                "unit_group": "provinces",
                "total": total,
                "rank": None,
                "rank_official": False,
                "source_id": "synthetic",
            }
        )
    write_tables({name: to_table(name, r) for name, r in rows.items()}, directory)


def test_a_2025_edition_uses_the_34_province_map(tmp_path, monkeypatch):
    data = tmp_path / "data"
    _store_with_a_2025_edition(data)
    monkeypatch.setenv("CCHC_DATA_DIR", str(data))
    monkeypatch.setenv("CCHC_STORE_DIR", str(tmp_path / "store"))
    assert qmap.map_layers("papi-2025") == ["provinces"]
    layer = qmap.layer_for("provinces", 2025)
    assert layer == "provinces_34"
    shapes, off = qmap.join_layer(qmap.map_values("papi-2025"), layer)
    assert len(shapes) == 34
    got = dict(zip(shapes.unit_id[shapes.has_data], shapes.value[shapes.has_data]))
    assert got == {"p01": 44.0, "p08-2025": 41.5}  # an unchanged and a merged province
    assert list(off.unit_id) == ["p02"]  # Hà Giang ended on 30 June 2025: no shape on the 34 map
    # the earlier editions of the same store still use the 63 map
    shapes63, _ = qmap.join_layer(qmap.map_values("papi-2019"), qmap.layer_for("provinces", 2019))
    assert len(shapes63) == 63 and set(shapes63.unit_id[shapes63.has_data]) == {"p01", "p48", "p79"}
    assert isinstance(shapes63, pd.DataFrame)
