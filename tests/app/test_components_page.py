"""AppTest for /components seeded with query params: shipped data and a synthetic store (both languages)."""
from __future__ import annotations

import json

import pytest

from tests.app.helpers import friendly_only, run_page, texts

PAGE = "pages/components.py"


def layer_data(el, layer):
    """A layer's rows: inline in the spec, or sent beside it as Arrow (Streamlit moves named datasets out)."""
    import pyarrow as pa

    data = layer["data"]
    if "values" in data:
        return data["values"]
    ds = next(d for d in el.proto.datasets if d.name == data["name"])
    return pa.ipc.open_stream(ds.data.data).read_all().to_pylist()


def specs(at):
    return [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]


@pytest.mark.parametrize("lang,flag,added", [("vi", "Thay đổi phương pháp từ 2017 đến 2018", "Quản trị môi trường"),
                                             ("en", "Method changes from 2017 to 2018", "Environmental Governance")])
def test_papi_2018_heatmap_distribution_and_method_flags(lang, flag, added):
    at = run_page(PAGE, index="papi", year="2018", unit="01", lang=lang)
    friendly_only(at)
    assert at.query_params["unit"] == "p01"  # the admin code became the unit id
    warnings = " ".join(w.value for w in at.warning)
    assert flag in warnings and added in warnings
    charts = specs(at)
    assert len(charts) == 2
    heat = charts[0]
    assert len(heat["layer"]) == 3 and len(heat["layer"][0]["encoding"]["y"]["sort"]) == 63
    assert heat["config"]["locale"]["number"]["decimal"] == ("," if lang == "vi" else ".")
    body = texts(at)
    assert ("không được công bố cho kỳ này" if lang == "vi" else "not published for this edition") in body
    assert "components?index=papi&year=2018&unit=p01" in body


def test_drill_down_to_sub_dimensions_shows_2016_rename():
    at = run_page(PAGE, index="papi", year="2016", component="vertical_accountability", lang="en")
    friendly_only(at)
    heat = specs(at)[0]
    assert heat["layer"][0]["encoding"]["x"]["sort"] == [
        "Interactions With Local Authorities", "Responsive to Citizen Actions", "People's Inspection Boards"]
    warnings = " ".join(w.value for w in at.warning)
    assert "Renamed sub-dimension" in warnings and "Added sub-dimension" in warnings
    assert "Showing: Dimensions › Vertical Accountability" in texts(at)


def test_par_says_components_were_not_published_and_links_methodology():
    at = run_page(PAGE, index="par", lang="vi")
    friendly_only(at)
    assert any("không được công bố dưới dạng dữ liệu máy đọc được" in i.value for i in at.info)
    assert not at.get("vega_lite_chart")
    links = [json.dumps(str(el.proto)) for el in at.get("page_link")]
    assert any("methodology" in link for link in links)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_bad_params_give_notices_and_defaults(lang):
    at = run_page(PAGE, index="nope", year="1900", component="zzz", unit="<b>x</b>", lang=lang)
    friendly_only(at)
    notices = " ".join(i.value for i in at.info)
    for bad in ("nope", "1900", "zzz"):
        assert bad in notices
    assert len(specs(at)) == 2  # the default view (PAPI, latest year) still draws


@pytest.fixture
def self_appraised_store(tmp_path, monkeypatch):
    """The tiny fixture store with SYNTHETIC self-assessed and appraised scores for papi-2019."""
    import pyarrow as pa

    from cchc_data.build.main import write_tables
    from cchc_data.schema import to_table
    from tests.fixtures import tiny_tables

    tables = tiny_tables()
    rows = tables["scores"].to_pylist()
    for r in rows:
        if r["edition_id"] == "papi-2019":
            r["score_self"] = round(r["score"] + 1.5, 4)
            r["score_appraised"] = round(r["score"] - 0.5, 4)
    tables["scores"] = to_table("scores", rows)
    assert isinstance(tables["scores"], pa.Table)
    data = tmp_path / "data"
    write_tables(tables, data)
    monkeypatch.setenv("CCHC_DATA_DIR", str(data))
    monkeypatch.setenv("CCHC_STORE_DIR", str(tmp_path / "store"))
    return data


@pytest.mark.parametrize("lang,title", [("vi", "Tự đánh giá"), ("en", "Self-assessed")])
def test_self_appraised_final_side_by_side_where_published(self_appraised_store, lang, title):
    at = run_page(PAGE, index="papi", year="2019", unit="p48", lang=lang)
    friendly_only(at)
    charts = specs(at)
    assert len(charts) == 3
    sa = charts[2]
    assert "facet" in sa
    kinds = sa["spec"]["layer"][1]["encoding"]["color"]["scale"]["domain"]
    assert kinds[0] == title
    gap = "Chênh lệch (tự đánh giá − thẩm định)" if lang == "vi" else "Gap (self-assessed − appraised)"
    tables = [d.value for d in at.dataframe if gap in d.value.columns]
    assert len(tables) == 1 and len(tables[0]) == 3 * 3  # 3 units with scores × 3 dimensions
    assert tables[0][gap].round(4).eq(2.0).all()  # synthetic: self = final + 1.5, appraised = final − 0.5
    # Fixture maxima exist, so the heatmap shows % of max.
    assert charts[0]["layer"][1]["encoding"]["color"]["title"] == ("% điểm tối đa" if lang == "vi" else "% of maximum")


def test_fixture_2018_has_no_self_scores_message(self_appraised_store):
    at = run_page(PAGE, index="papi", year="2018", lang="en")
    friendly_only(at)
    assert any("not published for this edition" in i.value for i in at.info)
    assert len(specs(at)) == 2


@pytest.mark.parametrize("lang,caption", [("vi", "bản đồ nhiệt chỉ vẽ 10 đơn vị điểm cao nhất"),
                                          ("en", "the heatmap shows only the 10 highest")])
def test_large_group_shows_edges_plus_highlight_and_binned_distribution(lang, caption, monkeypatch):
    from cchc_data.queries import component_scores as qc

    monkeypatch.setattr(qc, "LARGE_GROUP", 30)  # PAPI 2018 has 63 provinces: treat them as a large group
    monkeypatch.setattr(qc, "EDGE", 10)
    from cchc_data import queries as q

    full = qc.component_scores(q.edition("papi", 2018)["edition_id"], "provinces")
    ranked = full.drop_duplicates("unit_id").dropna(subset=["total"]).unit_id.tolist()
    middle = ranked[len(ranked) // 2]
    at = run_page(PAGE, index="papi", year="2018", unit=middle, lang=lang)
    friendly_only(at)
    assert caption in texts(at)
    heat, dist = specs(at)[:2]
    dist_el = at.get("vega_lite_chart")[1]
    rows = heat["layer"][0]["encoding"]["y"]["sort"]
    assert len(rows) == 21  # 10 best, 10 worst and the highlighted unit (from the middle)
    labels = [b.proto.label for b in at.get("download_button")]
    assert any(x.startswith("Tải bảng đầy đủ (63" if lang == "vi" else "Download the full matrix (63") for x in labels)
    cells = dist["layer"][0]
    assert cells["mark"]["type"] == "rect"
    counts = layer_data(dist_el, cells)
    assert sum(c["n"] for c in counts) == int(full.value.notna().sum())  # every unit counted once per component
    marks = layer_data(dist_el, dist["layer"][1])
    assert {m["role"] for m in marks} == ({"Trung vị", "Cao nhất", "Đơn vị đã chọn"} if lang == "vi" else
                                          {"Median", "Best", "Selected unit"})
