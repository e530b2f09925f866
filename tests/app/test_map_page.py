"""AppTest for /map (issue 5): share links restore the view; 63 vs 34 provinces; districts; no data; views."""

import json

import pandas as pd
import pytest

from tests.app.helpers import friendly_only, run_page, texts


def _specs(at):
    return [json.loads(el.proto.spec) for el in at.get("vega_lite_chart")]


def _map_spec(at):
    for spec in _specs(at):
        if "geoshape" in json.dumps(spec)[:5000]:
            return spec
    raise AssertionError("no map chart on the page")


def _lookup_data(node):
    """The `from.data` of the spec's geometry lookup transform, wherever it sits (layer, facet spec)."""
    if isinstance(node, dict):
        if "lookup" in node and "from" in node:
            return node["from"]["data"]
        children = node.values()
    elif isinstance(node, list):
        children = node
    else:
        return None
    for child in children:
        found = _lookup_data(child)
        if found is not None:
            return found
    return None


def _topo_and_rows(at):
    """The map's TopoJSON and its rows (sent beside it as Arrow). The shipped geometry is not inside the spec:
    the spec names its URL under Streamlit's static serving, versioned by the file's sha256; the file it names
    is read from static/ here, as the browser would fetch it."""
    import hashlib
    from urllib.parse import urlsplit

    from cchc_data.paths import PROJECT_ROOT

    spec = _map_spec(at)
    el = next(e for e in at.get("vega_lite_chart") if json.loads(e.proto.spec) == spec)
    geo = _lookup_data(spec)
    assert geo is not None and "url" in geo, geo
    assert geo["format"] == {"type": "topojson", "feature": "units"}
    url = urlsplit(geo["url"])
    assert url.path.startswith("app/static/geo/") and url.query.startswith("v="), geo["url"]
    raw = (PROJECT_ROOT / "static" / url.path.removeprefix("app/static/")).read_bytes()
    assert hashlib.sha256(raw).hexdigest().startswith(url.query[2:]), "the version in the URL is the file's hash"
    assert not any(isinstance(v, dict) and v.get("type") == "Topology" for v in spec.get("datasets", {}).values())
    topo = json.loads(raw)
    import pyarrow as pa

    rows = pa.ipc.open_stream(el.proto.datasets[0].data.data).read_all().to_pandas() if el.proto.datasets else None
    return spec, topo, rows


def test_pci_2019_vi_shows_63_provinces_coloured():
    at = run_page("pages/map.py", index="pci", year="2019", metric="total", lang="vi")
    friendly_only(at)
    spec, topo, rows = _topo_and_rows(at)
    assert len(topo["objects"]["units"]["geometries"]) == 63
    assert len(rows) == 63 and rows.has_data.all()
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    body = texts(at)
    assert "63 trên 63 đơn vị có số liệu" in body and "Bản đồ 63 tỉnh" in body
    # the table alternative holds the same figures as the map, in the chosen number format
    table = at.dataframe[0].value
    assert len(table) == 63
    assert table.iloc[0]["Điểm"] == rows.sort_values("value", ascending=False).value_text.iloc[0]
    assert at.query_params["index"] == "pci" and at.query_params["year"] == "2019"
    assert at.query_params["metric"] == "total" and at.query_params["layer"] == "provinces"


def test_english_component_metric_and_legend_title():
    at = run_page("pages/map.py", index="pci", year="2019", metric="entry", lang="en")
    friendly_only(at)
    spec = _map_spec(at)
    legend = spec["layer"][1]["encoding"]["color"]["legend"]
    assert legend["title"] == "PCI 2019 · Entry costs"
    assert spec["config"]["locale"]["number"]["decimal"] == "."
    assert "no data" in json.dumps(spec["layer"][0]["encoding"]["opacity"])
    assert "rank computed by us" in texts(at)


def test_hanoi_districts_partial_with_departments_beside():
    at = run_page("pages/map.py", index="par_hanoi", year="2022", lang="vi")
    friendly_only(at)
    assert at.query_params["layer"] == "hanoi"
    _, topo, rows = _topo_and_rows(at)
    assert len(topo["objects"]["units"]["geometries"]) == 30
    assert rows.has_data.sum() == 1 and (rows.value_text == "không có dữ liệu").sum() == 29
    assert any("chưa đầy đủ" in w.value for w in at.warning)
    assert len(at.get("vega_lite_chart")) == 2  # the map and the dot strip of departments
    body = texts(at)
    assert "Đơn vị không có trên bản đồ" in body and "Không có dữ liệu: Sở Tài nguyên và Môi trường" in body


def test_all_districts_layer():
    at = run_page("pages/map.py", index="par_hanoi", year="2019", layer="districts", lang="en")
    friendly_only(at)
    _, topo, rows = _topo_and_rows(at)
    assert len(topo["objects"]["units"]["geometries"]) == 705 and rows.has_data.sum() == 3


def test_ministries_only_edition_shows_the_strip_and_a_table():
    at = run_page("pages/map.py", index="par_hanoi", year="2021", lang="en")
    friendly_only(at)
    assert any("no unit with a shape" in i.value for i in at.info)
    assert len(at.get("vega_lite_chart")) == 1 and len(at.dataframe[0].value) == 4


def test_hatay_note_for_pci_2007():
    at = run_page("pages/map.py", index="pci", year="2007", lang="en")
    friendly_only(at)
    assert "Hà Tây was merged into Hà Nội" in texts(at)


def test_change_view_is_diverging_and_restores_year2():
    at = run_page("pages/map.py", index="pci", year="2019", view="change", year2="2016", lang="en")
    friendly_only(at)
    spec = _map_spec(at)
    assert spec["layer"][1]["encoding"]["color"]["scale"]["scheme"] == "blueorange"
    assert at.query_params["year2"] == "2016" and at.query_params["view"] == "change"
    assert "Change 2016→2019" in spec["layer"][1]["encoding"]["color"]["legend"]["title"]


def test_multiples_view_years_param():
    at = run_page("pages/map.py", index="pci", year="2019", view="multiples", years="2015,2017,2019", lang="vi")
    friendly_only(at)
    spec, _, rows = _topo_and_rows(at)  # the first year's map: geometry by URL, rows as Arrow
    assert spec["width"] == "container" and "facet" not in spec and spec["title"]["text"] == "2015"
    assert set(rows.year) == {2015} and len(rows) == 63
    els = at.get("vega_lite_chart")
    legend, *panels = [json.loads(e.proto.spec) for e in els]
    assert len(panels) == 3 and [p["title"]["text"] for p in panels] == ["2015", "2017", "2019"]
    colour = legend["layer"][0]["encoding"]["color"]
    assert colour["legend"]["title"] == "PCI · Tổng điểm" and "không có dữ liệu" in json.dumps(
        legend, ensure_ascii=False
    )
    import pyarrow as pa

    every = pd.concat([pa.ipc.open_stream(e.proto.datasets[0].data.data).read_all().to_pandas() for e in els[1:]])
    assert len(every) == 3 * 63 and sorted(set(every.year)) == [2015, 2017, 2019]
    lo, hi = every.value.min(), every.value.max()
    for p in panels:  # one method: one colour domain over all the years shown, no legend per map, links kept
        data = p["layer"][1]["encoding"]
        assert data["color"]["scale"]["domain"] == colour["scale"]["domain"] == [lo, hi]
        assert data["color"]["legend"] is None and data["href"]["field"] == "href"
    assert _lookup_data(panels[0]) == _lookup_data(panels[2])  # the same served file, fetched once
    assert all(e.proto.alt for e in els)
    body = texts(at)
    assert "3 bản đồ" in body
    assert not [w for w in at.warning if "phương pháp" in w.value]  # no method change between these years
    assert len(at.dataframe[0].value) == 3 * 63  # the table alternative: every year's rows


@pytest.mark.parametrize("lang,said", [("vi", "8 lĩnh vực thay vì 6"), ("en", "8 dimensions instead of 6")])
def test_multiples_across_papi_2018_state_the_break_first_and_split_the_scale(lang, said):
    """PAPI 2017 -> 2018: 6 -> 8 dimensions (totals 6-60 -> 8-80). The break is stated before any map, and each
    method period has its own legend and colour domain (one shared scale made 2018+ look better by construction)."""
    at = run_page("pages/map.py", index="papi", year="2019", view="multiples", years="2011,2015,2019", lang=lang)
    friendly_only(at)
    assert any(said in w.value and "2018" in w.value for w in at.warning), [w.value for w in at.warning]
    specs = [json.loads(e.proto.spec) for e in at.get("vega_lite_chart")]
    titled = [(s.get("title") or {}).get("text") for s in specs]
    assert titled == [None, "2011", "2015", None, "2019"]  # legend, 2 maps | legend, 1 map
    first, second = specs[0]["layer"][0]["encoding"]["color"], specs[3]["layer"][0]["encoding"]["color"]
    assert first["scale"]["domain"] != second["scale"]["domain"]
    assert specs[1]["layer"][1]["encoding"]["color"]["scale"]["domain"] == first["scale"]["domain"]
    assert specs[4]["layer"][1]["encoding"]["color"]["scale"]["domain"] == second["scale"]["domain"]
    # the warning comes before the first chart in the page's order
    from tests.app.helpers import drawn_elements

    kinds = [k for k, _ in drawn_elements(at)]
    assert kinds.index("Warning") < kinds.index("UnknownElement")  # the break is stated before the first chart
    assert ("2 giai đoạn phương pháp" if lang == "vi" else "2 method periods") in texts(at)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_change_map_across_papi_2018_is_refused_with_the_reason(lang):
    """A change map of PAPI totals 2017 -> 2019 would show '61 rose, 0 fell' from the new dimensions alone: refused,
    with the reason and the comparable years; the 2019 map is shown instead."""
    at = run_page("pages/map.py", index="papi", year="2019", view="change", year2="2017", lang=lang)
    friendly_only(at)
    refused = [w.value for w in at.warning if "2017" in w.value and "2018" in w.value]
    assert refused, [w.value for w in at.warning]
    assert ("so được với 2019" if lang == "vi" else "comparable with 2019") in refused[0]
    assert "2018" in refused[0].split(":")[-2] or "2018" in refused[0]
    body = texts(at)
    assert ("tăng" if lang == "vi" else "rose") not in body.split("\n")[-1]
    specs = [json.loads(e.proto.spec) for e in at.get("vega_lite_chart")]
    assert specs and all("+" not in json.dumps(s.get("encoding", {})) for s in specs)
    assert not any(
        ("Thay đổi 2017" if lang == "vi" else "Change 2017") in json.dumps(s, ensure_ascii=False) for s in specs
    )


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_change_map_of_a_dimension_across_papi_2018_states_the_break_first(lang):
    """A dimension that exists in both years keeps its 1-10 scale: drawn, with the method change stated first."""
    from cchc_data import queries as q

    both = set(q.components("papi-2017").component_id) & set(q.components("papi-2019").component_id)
    dims = q.components("papi-2019")
    metric = sorted(dims[(dims.level == "dimension") & dims.component_id.isin(both)].component_id)[0]
    at = run_page("pages/map.py", index="papi", year="2019", view="change", year2="2017", metric=metric, lang=lang)
    friendly_only(at)
    assert any(("Đổi phương pháp" if lang == "vi" else "The method changed") in w.value for w in at.warning)
    specs = [json.loads(e.proto.spec) for e in at.get("vega_lite_chart")]
    assert any(("Thay đổi 2017" if lang == "vi" else "Change 2017") in json.dumps(s, ensure_ascii=False) for s in specs)
    assert ("Qua một lần đổi phương pháp" if lang == "vi" else "Across a method change") in texts(at)


def test_multiples_view_in_english():
    at = run_page("pages/map.py", index="pci", year="2019", view="multiples", years="2018,2019", lang="en")
    friendly_only(at)
    legend, *panels = _specs(at)
    assert len(panels) == 2 and legend["layer"][0]["encoding"]["color"]["legend"]["title"] == "PCI · Total score"
    assert legend["config"]["locale"]["number"]["decimal"] == "." and "no data" in json.dumps(legend)
    assert "2 maps of Provinces side by side" in texts(at)


@pytest.mark.parametrize(
    "params,bad",
    [
        ({"index": "pci", "year": "2019", "metric": "nope"}, "metric"),
        ({"index": "pci", "year": "2019", "layer": "hcmc"}, "layer"),
        ({"index": "pci", "year": "2019", "view": "3d"}, "view"),
        ({"index": "pci", "year": "2019", "view": "change", "year2": "1900"}, "year2"),
        ({"index": "pci", "year": "2019", "view": "multiples", "years": "2019,abc"}, "years"),
    ],
)
def test_bad_params_give_a_notice_and_a_default(params, bad):
    at = run_page("pages/map.py", lang="en", **params)
    friendly_only(at)
    assert any(f"“{bad}”" in i.value for i in at.info), [i.value for i in at.info]
    assert at.get("vega_lite_chart")


def test_a_2025_edition_draws_the_34_province_map(tmp_path, monkeypatch):
    from tests.unit.test_map_queries import _store_with_a_2025_edition

    data = tmp_path / "data"
    _store_with_a_2025_edition(data)
    monkeypatch.setenv("CCHC_DATA_DIR", str(data))
    monkeypatch.setenv("CCHC_STORE_DIR", str(tmp_path / "store"))
    at = run_page("pages/map.py", index="papi", year="2025", lang="en")
    friendly_only(at)
    _, topo, rows = _topo_and_rows(at)
    assert len(topo["objects"]["units"]["geometries"]) == 34 and len(rows) == 34
    assert set(rows.unit_id[rows.has_data]) == {"p01", "p08-2025"}
    assert "Map of the 34 provinces" in texts(at)
    at = run_page("pages/map.py", index="papi", year="2019", lang="en")
    _, topo, _ = _topo_and_rows(at)
    assert len(topo["objects"]["units"]["geometries"]) == 63


@pytest.mark.parametrize(
    "lang,cut,col", [("vi", "Bảng hiện 20 trên 63 hàng", "Điểm"), ("en", "The table shows 20 of 63 rows", "Score")]
)
def test_a_long_table_shows_the_best_rows_and_offers_every_row(monkeypatch, lang, cut, col):
    """Past TABLE_MAX rows (10,000 communes at national scale) the table shows the best rows only; the CSV/XLSX
    hold every row. PCI 2019 has 63 provinces: treat 20 as the limit."""
    from cchc_data.views import map as map_view

    monkeypatch.setattr(map_view, "TABLE_MAX", 20)
    map_view.build_map_view.clear()
    at = run_page("pages/map.py", index="pci", year="2019", metric="total", lang=lang)
    friendly_only(at)
    table = at.dataframe[0].value
    assert len(table) == 20
    shown = [
        float(v.replace(".", "").replace(",", ".")) if lang == "vi" else float(v.replace(",", "")) for v in table[col]
    ]
    assert shown == sorted(shown, reverse=True)  # best first
    assert cut in texts(at)
    assert [b for b in at.get("download_button") if b.proto.label.endswith("CSV")]
    # below the limit: every row, no downloads
    monkeypatch.setattr(map_view, "TABLE_MAX", 500)
    map_view.build_map_view.clear()
    at = run_page("pages/map.py", index="pci", year="2019", metric="total", lang=lang)
    assert len(at.dataframe[0].value) == 63 and cut not in texts(at)
