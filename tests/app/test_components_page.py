"""AppTest for /components seeded with query params: shipped data and a synthetic store (both languages)."""

from __future__ import annotations

import json

import pytest

from cchc_data.views import components as vc
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


@pytest.mark.parametrize(
    "lang,flag,added",
    [
        ("vi", "Thay đổi phương pháp từ 2017 đến 2018", "Quản trị môi trường"),
        ("en", "Method changes from 2017 to 2018", "Environmental Governance"),
    ],
)
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
        "Interactions With Local Authorities",
        "Responsive to Citizen Actions",
        "People's Inspection Boards",
    ]
    warnings = " ".join(w.value for w in at.warning)
    # People's Inspection Boards kept its English name in 2016 (only the Vietnamese one changed): no rename in en.
    assert "Added sub-dimension" in warnings and "Renamed sub-dimension" not in warnings
    vi = run_page(PAGE, index="papi", year="2016", component="vertical_accountability", lang="vi")
    assert (
        "Đổi tên chỉ số nội dung thành phần: Ban thanh tra nhân dân → Hiệu quả của Ban Thanh tra Nhân dân"
        in " ".join(w.value for w in vi.warning)
    )
    assert "Showing: Dimensions › Vertical Accountability" in texts(at)


def test_an_index_without_components_says_so_and_links_methodology():
    at = run_page(PAGE, index="sipas", lang="vi")
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


@pytest.mark.parametrize(
    "lang,caption",
    [("vi", "bản đồ nhiệt chỉ vẽ 10 đơn vị điểm cao nhất"), ("en", "the heatmap shows only the 10 highest")],
)
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
    assert {m["role"] for m in marks} == (
        {"Trung vị", "Cao nhất", "Đơn vị đã chọn"} if lang == "vi" else {"Median", "Best", "Selected unit"}
    )


def test_each_chart_sends_its_rows_once_and_the_table_alternative_stays():
    """Payload: one Arrow dataset per chart with only the drawn columns (text dictionary-encoded), the
    expander tables with every unit, nothing sent twice."""
    import pyarrow as pa

    at = run_page(PAGE, index="pci", year="2019", lang="vi")
    friendly_only(at)
    els = at.get("vega_lite_chart")
    assert len(els) == 2
    heat_el, dist_el = els
    assert [len(el.proto.datasets) for el in els] == [1, 1]
    heat = pa.ipc.open_stream(heat_el.proto.datasets[0].data.data).read_all()
    assert heat.num_rows == 63 * 10 and set(heat.column_names) == {"unit_id", "unit", "component", "value", "total"}
    assert pa.types.is_dictionary(heat.schema.field("unit").type)
    dist = pa.ipc.open_stream(dist_el.proto.datasets[0].data.data).read_all()
    assert dist.num_rows == 63 * 10 + 2 * 10  # every unit's dot, plus a median and a best per indicator
    sizes = [len(el.proto.spec) + sum(len(d.data.data) for d in el.proto.datasets) for el in els]
    assert sum(sizes) < 60_000, sizes  # was ~297 KB
    tables = [d.value for d in at.dataframe]
    assert len(tables[0]) == 63 and len(tables[1]) == 10  # the heatmap's and the distribution's tables


def large_group(monkeypatch, threshold=30, edge=10):
    from cchc_data.queries import component_scores as qc

    monkeypatch.setattr(qc, "LARGE_GROUP", threshold)  # PAPI 2018 has 63 provinces: treat them as a large group
    monkeypatch.setattr(qc, "EDGE", edge)
    return qc


def _ranked(index_code, year):
    from cchc_data import queries as q
    from cchc_data.queries import component_scores as qc

    full = qc.component_scores(q.edition(index_code, year)["edition_id"], "provinces")
    return full.drop_duplicates("unit_id").dropna(subset=["total"]).unit_id.tolist()


def search_box(at):
    return at.text_input(key="components_unit_q")


@pytest.mark.parametrize(
    "lang,prompt,hanoi",
    [("vi", "Nhóm có 63 đơn vị: gõ tên", "Hà Nội"), ("en", "This group has 63 units: type a name", "Ha Noi")],
)
def test_large_group_picks_the_highlight_through_a_search_box(lang, prompt, hanoi, monkeypatch):
    large_group(monkeypatch)
    at = run_page(PAGE, index="papi", year="2018", lang=lang)
    friendly_only(at)
    assert prompt in texts(at)
    picker = at.selectbox(key="param_unit")
    assert len(picker.options) == 1 and picker.value == ""  # no 63-option list: only "(none)"
    search_box(at).input("HA NOI" if lang == "vi" else "hà nội").run()  # accents and case do not matter
    friendly_only(at)
    picker = at.selectbox(key="param_unit")
    assert picker.options[1:] == [hanoi]
    assert ("1 đơn vị khớp với “HA NOI”" if lang == "vi" else "1 unit matches “hà nội”") in texts(at)
    picker.select("p01").run()
    friendly_only(at)
    assert at.query_params["unit"] == "p01"
    heat = specs(at)[0]
    assert len(heat["layer"]) == 3 and hanoi in heat["layer"][0]["encoding"]["y"]["sort"]  # outlined row
    full = _ranked("papi", 2018)
    assert len(heat["layer"][0]["encoding"]["y"]["sort"]) == len(set(full[:10]) | set(full[-10:]) | {"p01"})
    assert hanoi in texts(at)  # the alt text names the highlighted unit
    # A new search keeps the highlighted unit selectable (and selected) next to the new matches.
    search_box(at).input("Đà").run()
    picker = at.selectbox(key="param_unit")
    assert picker.value == "p01" and picker.options[1] == hanoi and len(picker.options) > 2


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_large_group_share_link_highlights_the_unit_by_admin_code(lang, monkeypatch):
    large_group(monkeypatch)
    at = run_page(PAGE, index="papi", year="2018", unit="01", lang=lang)
    friendly_only(at)
    assert at.query_params["unit"] == "p01"  # the admin code became the unit id
    picker = at.selectbox(key="param_unit")
    assert picker.value == "p01" and len(picker.options) == 2
    heat = specs(at)[0]
    assert len(heat["layer"]) == 3 and "p01" in json.dumps(heat["layer"][2]["transform"])
    marks = layer_data(at.get("vega_lite_chart")[1], specs(at)[1]["layer"][1])
    assert {"Đơn vị đã chọn" if lang == "vi" else "Selected unit"} <= {m["role"] for m in marks}


def test_large_group_unknown_unit_gives_a_notice_and_no_highlight(monkeypatch):
    large_group(monkeypatch)
    at = run_page(PAGE, index="papi", year="2018", unit="p999", lang="en")
    friendly_only(at)
    assert any("p999" in i.value for i in at.info)
    assert at.selectbox(key="param_unit").value == "" and len(specs(at)[0]["layer"]) == 2


def test_large_group_search_says_when_the_list_is_cut(monkeypatch):
    qc = large_group(monkeypatch)
    monkeypatch.setattr(qc, "MATCH_LIMIT", 4)
    at = run_page(PAGE, index="papi", year="2018", lang="en")
    search_box(at).input("h").run()
    friendly_only(at)
    matches, n = vc.highlight_search("papi-2018", "provinces", "en", "h")
    assert n > 4 and len(matches) == 4 and len(at.selectbox(key="param_unit").options) == 1 + 4
    assert f"{n} units match “h”; only the first 4 are shown" in texts(at)
    search_box(at).input("zzz").run()
    assert "No unit in this list matches “zzz”" in texts(at)
    search_box(at).input("*bold* [x](y)").run()
    friendly_only(at)
    captions = [c.value for c in at.caption if "No unit in this list matches" in c.value]
    assert captions and "\\*bold\\*" in captions[0]  # the query is shown as text, never as Markdown


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_picking_a_level_and_a_unit_from_the_defaults_sticks_and_goes_to_the_link(lang):
    """The level and unit pickers start at their defaults (no param in the URL); a pick must survive the rerun
    and land in the share link (ui.state.select_param alone reset it to the default)."""
    at = run_page(PAGE, index="papi", year="2018", lang=lang)
    at.selectbox(key="param_component").select("transparency").run()
    at.selectbox(key="param_unit").select("p01").run()
    friendly_only(at)
    assert at.query_params["component"] == "transparency" and at.query_params["unit"] == "p01"
    assert at.selectbox(key="param_unit").value == "p01"
    heat = specs(at)[0]
    assert len(heat["layer"]) == 3 and len(heat["layer"][0]["encoding"]["x"]["sort"]) == 4  # 4 sub-dimensions
    assert "component=transparency" in texts(at) and "unit=p01" in texts(at)
    at.selectbox(key="param_unit").select("").run()
    assert "unit" not in at.query_params and len(specs(at)[0]["layer"]) == 2


@pytest.mark.parametrize(
    "lang,query,unit", [("vi", "ha noi", "p01"), ("en", "tp hcm", "p79"), ("vi", "da nang", "p48")]
)
def test_small_group_search_picks_its_first_match_without_accents(lang, query, unit):
    """Issue 14: the /components highlight picker matched only exact accents; it now has the one unit search."""
    at = run_page(PAGE, index="papi", year="2018", lang=lang)
    search_box(at).input(query).run()
    friendly_only(at)
    assert at.selectbox(key="param_unit").value == unit and at.query_params["unit"] == unit
    assert len(at.selectbox(key="param_unit").options) == 64  # the whole group stays listed
    heat = specs(at)[0]
    assert len(heat["layer"]) == 3  # the highlighted row is outlined


@pytest.mark.parametrize("lang,word", [("vi", "Nhúng trang này"), ("en", "Embed this view")])
def test_embed_option_gives_an_iframe_of_this_view(lang, word):
    at = run_page(PAGE, index="papi", year="2018", lang=lang)
    friendly_only(at)
    assert any(word in e.label for e in at.expander)
    code = [c.value for c in at.code if "<iframe" in c.value]
    assert len(code) == 1 and "components?index=papi&year=2018" in code[0] and "embed=true" in code[0]
