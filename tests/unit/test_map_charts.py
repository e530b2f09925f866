"""Map chart specs (issue 5), checked through .to_dict(): geoshape, viridis, 'no data' legend, links, locale."""

import json

import pandas as pd
import pytest

from cchc_data.charts import maps as cm
from cchc_data.charts.common import NO_DATA
from cchc_data.queries import maps as qmap
from cchc_data.views.map import map_rows


def _walk(obj):
    if isinstance(obj, dict):
        yield obj
        for v in obj.values():
            yield from _walk(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _walk(v)


@pytest.fixture(scope="module")
def pci_rows():
    shapes, _ = qmap.join_layer(qmap.map_values("pci-2019"), "provinces_63")
    return shapes


def _layers(spec):
    return spec["layer"] if "layer" in spec else spec["spec"]["layer"]


@pytest.mark.parametrize("lang,nodata,decimal", [("vi", "không có dữ liệu", ","), ("en", "no data", ".")])
def test_choropleth_spec(lang, nodata, decimal):
    shapes, _ = qmap.join_layer(qmap.map_values("par_hanoi-2019"), "hanoi")
    rows = map_rows(shapes, lang, "http://x", {"lang": lang, "index": "par_hanoi", "year": "2019"})
    title = "Tổng điểm" if lang == "vi" else "Total score"
    spec = cm.choropleth(rows, qmap.load_layer("hanoi"), lang, title, cm.value_domain(rows.value)).to_dict()
    assert spec["config"]["locale"]["number"]["decimal"] == decimal
    assert spec["projection"]["type"] == "mercator"
    grey, data = _layers(spec)
    assert grey["mark"]["type"] == data["mark"]["type"] == "geoshape"
    # 'no data' is its own legend entry in neutral grey, separate from the colour scale of the values
    assert grey["mark"]["fill"] == NO_DATA
    assert grey["encoding"]["opacity"]["scale"]["domain"] == [nodata]
    assert grey["transform"] == [{"filter": "!datum.has_data"}]
    color = data["encoding"]["color"]
    assert color["scale"]["scheme"] == "viridis" and color["legend"]["title"] == title
    assert color["field"] == "value" and data["transform"] == [{"filter": "datum.has_data"}]
    assert data["encoding"]["href"]["field"] == "href"
    assert [tt["field"] for tt in data["encoding"]["tooltip"]] == ["name", "value_text", "rank_text", "tier_text"]
    # the rows carry the geometry key; the geometry comes from the TopoJSON by lookup
    lookup = spec["transform"][0]
    assert lookup["lookup"] == "code" and lookup["from"]["key"] == "id" and lookup["as"] == "geo"
    values = spec["datasets"][spec["data"]["name"]]
    assert len(values) == 30 and sum(v["has_data"] for v in values) == 3
    by_id = {v["unit_id"]: v for v in values}
    assert by_id["d005"]["value_text"] == ("95,61" if lang == "vi" else "95.61")
    assert by_id["d001"]["value"] is None and by_id["d001"]["value_text"] == nodata
    assert by_id["d005"]["href"] == f"http://x/unit?lang={lang}&index=par_hanoi&year=2019&unit=d005"
    topo = spec["datasets"][lookup["from"]["data"]["name"]]
    assert topo["type"] == "Topology" and len(topo["objects"]["units"]["geometries"]) == 30


def test_map_rows_marks_computed_ranks(pci_rows):
    rows = map_rows(pci_rows, "vi")
    assert len(rows) == 63 and rows.has_data.all()
    top = rows.loc[rows.value.idxmax()]
    assert top["rank_text"] == "1"  # PCI 2019 ranks are printed (official)
    papi, _ = qmap.join_layer(qmap.map_values("papi-2019"), "provinces_63")
    prow = map_rows(papi, "en")
    assert prow.rank_text.str.endswith("(rank computed by us)").sum() == prow.has_data.sum()


def test_change_map_is_diverging_and_centred(pci_rows):
    rows = map_rows(pci_rows.assign(value=pci_rows.value - 65), "en")
    spec = cm.change_map(rows, qmap.load_layer("provinces_63"), "en", "Change", 2018, 2019).to_dict()
    scale = _layers(spec)[1]["encoding"]["color"]["scale"]
    assert scale["scheme"] == "blueorange" and scale["domainMid"] == 0
    assert scale["domain"][1] > 0 and scale["domain"][0] == -scale["domain"][1]


def _multiples_rows(years=(2018, 2019)):
    series = qmap.map_series([f"pci-{y}" for y in years])
    parts = [qmap.join_layer(series[series.year == y], "provinces_63")[0].assign(year=y) for y in years]
    return map_rows(pd.concat(parts, ignore_index=True), "vi", "", {"lang": "vi", "year": "2019"})


def test_small_multiple_panels_share_one_domain_and_draw_no_legend_of_their_own():
    rows = _multiples_rows()
    domain = cm.value_domain(rows.value)
    url = "app/static/geo/provinces_63.topo.json?v=abc"
    specs = {
        y: cm.map_panel(rows[rows.year == y].reset_index(drop=True), url, "vi", "PCI", domain, str(y)).to_dict()
        for y in (2018, 2019)
    }
    for year, spec in specs.items():
        assert spec["width"] == "container" and "facet" not in spec  # as wide as its column: stacks on a phone
        assert spec["title"]["text"] == str(year)
        grey, data = _layers(spec)
        assert data["encoding"]["color"]["scale"]["domain"] == domain  # the one domain over every year shown
        assert data["encoding"]["color"]["legend"] is None and grey["encoding"]["opacity"]["legend"] is None
        assert data["encoding"]["href"]["field"] == "href"  # a click opens the unit's profile
        values = spec["datasets"][spec["data"]["name"]]
        assert len(values) == 63 and {v["year"] for v in values} == {year}
        assert all(f"year={year}" in v["href"] for v in values if v["href"])
        # the geometry is named by URL, never inlined
        assert spec["transform"][0]["from"]["data"]["url"] == url
        assert not any(isinstance(d, dict) and d.get("type") == "Topology" for d in spec["datasets"].values())
    # an older year's own range is narrower than the shared domain
    old = rows[rows.year == 2018].value.dropna()
    assert (old.min(), old.max()) != tuple(domain)


def test_map_legend_is_the_sets_one_colour_key_with_no_data():
    domain = [50.0, 73.0]
    spec = cm.map_legend("en", "PCI · Total score", domain).to_dict()
    colour, grey = spec["layer"]
    assert colour["encoding"]["color"]["scale"] == {"scheme": "viridis", "domain": domain}
    assert colour["encoding"]["color"]["legend"]["title"] == "PCI · Total score"
    assert grey["encoding"]["opacity"]["scale"]["domain"] == ["no data"]
    assert grey["encoding"]["opacity"]["legend"]["symbolFillColor"] == NO_DATA
    assert spec["width"] == "container" and spec["autosize"]["type"] == "fit-x"
    assert len(cm.map_legend("en", "x", domain, no_data=False).to_dict()["layer"]) == 1


def test_no_shape_strip_puts_each_unit_on_the_shared_axis():
    values = qmap.map_values("par_hanoi-2022")
    _, off = qmap.join_layer(values, "hanoi")
    rows = map_rows(off.assign(code=""), "vi")
    rows["group_label"] = "Sở"
    domain = [80.0, 97.0]
    spec = cm.no_shape_strip(rows, "vi", "Tổng điểm", domain).to_dict()
    dots = spec["layer"][1]
    assert dots["mark"]["type"] == "circle"
    assert dots["encoding"]["x"]["scale"]["domain"] == domain
    assert dots["encoding"]["color"]["scale"]["scheme"] == "viridis"
    data = spec["datasets"][spec["data"]["name"]] if "data" in spec else spec["datasets"][dots["data"]["name"]]
    assert len(data) == int(off.value.notna().sum())  # the unit with no figure is listed in text instead


def test_spec_bytes_is_the_compact_json_size(pci_rows):
    chart = cm.choropleth(map_rows(pci_rows, "en"), qmap.load_layer("provinces_63"), "en", "PCI")
    assert cm.spec_bytes(chart) == len(json.dumps(chart.to_dict(), separators=(",", ":"), ensure_ascii=False).encode())


def test_no_shape_histogram_counts_every_unit_in_a_fixed_number_of_bins():
    rng = __import__("numpy").random.default_rng(7)  # synthetic values, generated here
    values = rng.uniform(40.0, 90.0, 10_000)
    rows = pd.DataFrame({"value": values, "has_data": True})
    rows.loc[:9, "has_data"] = False  # units without a figure are not counted
    spec = cm.no_shape_histogram(rows, "en", "Total", [40.0, 90.0], bins=40).to_dict()
    data = spec["datasets"][spec["data"]["name"]]
    assert len(data) <= 40
    assert sum(d["n"] for d in data) == 9_990
    assert spec["encoding"]["color"]["scale"]["domain"] == [40.0, 90.0]  # the map's colour scale
    assert cm.spec_bytes(cm.no_shape_histogram(rows, "en", "Total", [40.0, 90.0])) < 20_000
    assert "–" in data[0]["range_text"]


def test_map_rows_links_quote_the_unit_as_urlencode_does():
    from urllib.parse import urlencode

    shapes = pd.DataFrame(
        {
            "code": ["1", "2", "3"],
            "unit_id": ["p-hà nội", "x&y=z", None],
            "name_vi": ["a", "b", "c"],
            "name_en": [None, "B", "C"],
            "value": [1.0, None, 2.0],
            "year": [2020, 2021, 2022],
        }
    )
    params = {"lang": "en", "index": "pci", "year": "2024"}
    rows = map_rows(shapes, "en", "http://h", params)
    assert rows.href.tolist() == [
        f"http://h/unit?{urlencode({**params, 'unit': u, 'year': str(y)})}"
        for u, y in [("p-hà nội", 2020), ("x&y=z", 2021)]
    ] + [""]
    rows = map_rows(shapes.drop(columns="year"), "vi", "", {"lang": "vi"})
    assert rows.href.tolist()[:2] == ["/unit?lang=vi&unit=p-h%C3%A0+n%E1%BB%99i", "/unit?lang=vi&unit=x%26y%3Dz"]
