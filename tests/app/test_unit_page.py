"""AppTest for /unit (issue 7) on the shipped data: full history, merged provinces, a department, gaps."""

from __future__ import annotations

import json

import pytest

from tests.app.helpers import drawn_elements, friendly_only, run_page, texts


def _metrics(at) -> dict:
    return {m.label: m.value for m in at.metric}


def test_hanoi_papi_2019_vi_answers_the_four_questions():
    at = run_page("pages/unit.py", unit="01", index="papi", year="2019", lang="vi")
    friendly_only(at)
    assert at.query_params["unit"] == "p01"  # admin code resolved, share link canonical
    body = texts(at)
    m = _metrics(at)
    # where it stands
    assert m["Hạng"] == "59/63" and m["Tổng điểm"] == "41,53"
    assert "nhóm 25% thấp nhất" in body and "58–59" in body
    # what pulled it up or down against the median
    assert "Quản trị điện tử" in body and "Quản trị môi trường" in body and "trung vị" in body
    # what changed since 2018 and why
    assert "Từ 2018 đến 2019" in body and "từ 54 xuống 59" in body and "vượt lên" in body
    # PCI the same year, with the divergence flagged
    assert m["PCI"] == "9/63"
    assert any("PAPI" in w.value and "PCI" in w.value for w in at.warning)
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    assert len(specs) >= 5
    assert all(s["config"]["locale"]["number"]["decimal"] == "," for s in specs)
    # Hà Tây, merged into Hà Nội in 2008, is shown as a predecessor with its own history
    assert "Hà Tây" in body and "15/2008/QH12" in body
    assert "unit=p01&index=papi&year=2019&lang=vi" in " ".join(c.value for c in at.code)


def test_hanoi_papi_2019_en_uses_english_text_and_numbers():
    at = run_page("pages/unit.py", unit="p01", index="papi", year="2019", lang="en")
    friendly_only(at)
    m = _metrics(at)
    assert m["Rank"] == "59 of 63" and m["Total score"] == "41.53"
    body = texts(at)
    assert "From 2018 to 2019" in body and "bottom quarter" in body and "Environmental Governance" in body
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    assert spec["config"]["locale"]["number"]["decimal"] == "."


def test_merged_province_ha_giang_points_to_its_successor():
    at = run_page("pages/unit.py", unit="p02", index="papi", year="2019", lang="en")
    friendly_only(at)
    basis = "Resolution 202/2025/QH15 on the arrangement of provincial-level administrative units"
    assert any("became part of Tuyen Quang" in w.value and basis in w.value for w in at.warning)
    assert "1 July 2025" in texts(at) and "Nghị quyết" not in texts(at)  # the basis in English on an English page


def test_merged_province_in_vietnamese_quotes_the_resolution_by_its_title():
    at = run_page("pages/unit.py", unit="p02", index="papi", year="2019", lang="vi")
    friendly_only(at)
    basis = "Nghị quyết 202/2025/QH15 về việc sắp xếp đơn vị hành chính cấp tỉnh"
    assert any("Tuyên Quang" in w.value and basis in w.value for w in at.warning)
    assert "Resolution" not in texts(at)


def test_hanoi_in_english_gives_the_2008_basis_in_english():
    at = run_page("pages/unit.py", unit="p01", index="papi", year="2019", lang="en")
    body = texts(at)
    assert "Ha Tay" in body and "Resolution 15/2008/QH12 (29 May 2008)" in body and "Nghị quyết" not in body


def test_district_in_english_explains_the_2025_commune_arrangement_in_english():
    at = run_page("pages/unit.py", unit="d001", lang="en")
    friendly_only(at)
    body = texts(at) + " ".join(w.value for w in at.warning)
    assert "arrangement of commune-level administrative units" in body and "sắp xếp" not in body


def test_post_merger_province_shows_predecessors_side_by_side():
    at = run_page("pages/unit.py", unit="p08-2025", lang="vi")
    friendly_only(at)
    body = texts(at)
    assert "Hà Giang" in body and "Tuyên Quang" in body and "không lấy trung bình" in body
    ranks = [m.value for m in at.metric if m.label == "Hạng"]
    assert len(ranks) == 2  # one card per predecessor, never one averaged figure
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    assert any("column" in json.dumps(s.get("facet", {})) for s in specs)


def test_department_without_geometry_partial_table():
    at = run_page("pages/unit.py", unit="hn-noivu", index="par_hanoi", year="2022", lang="vi")
    friendly_only(at)
    m = _metrics(at)
    assert m["Hạng"] == "2" and m["Phân vị"] == "–" and m["Trung vị nhóm"] == "–"
    body = texts(at)
    assert "chưa đầy đủ" in body and "chỉ áp dụng cho tỉnh" in body


@pytest.mark.parametrize("unit,year,missing", [("p24", "2014", None), ("p22", "2018", "Kiểm soát tham nhũng")])
def test_units_with_gaps_say_so(unit, year, missing):
    at = run_page("pages/unit.py", unit=unit, index="papi", year=year, lang="vi")
    friendly_only(at)
    body = texts(at)
    assert "Không có số liệu" in body
    assert _metrics(at)["Tổng điểm"] == "–"
    if missing:
        assert "Không có điểm của Quảng Ninh ở" in body and missing in body


def test_bad_unit_falls_back_with_a_notice():
    at = run_page("pages/unit.py", unit="nope", lang="en")
    friendly_only(at)
    assert any("unit" in i.value for i in at.info)
    assert at.query_params["unit"] == "p01"


def test_png_summary_renders_with_citation():
    from cchc_data.charts import profile as cp

    at = run_page("pages/unit.py", unit="p01", index="papi", year="2019", lang="vi")
    friendly_only(at)
    assert any("CECODES" in c.value and "Trích dẫn" in c.value for c in at.caption)
    import pandas as pd

    gaps = pd.DataFrame({"name_vi": ["A"], "name_en": ["A"], "score": [1.0], "median": [0.5], "gap": [0.5]})
    png = cp.to_png(cp.summary_card("Tiêu đề", ["Câu một."], gaps, None, None, "Nguồn: x", "vi"))
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000


def test_a_view_drawn_from_the_cache_is_the_view_first_drawn():
    at = run_page("pages/unit.py", unit="p22", index="papi", year="2018", lang="en")
    friendly_only(at)
    first = drawn_elements(at)
    at.run()  # the plan now comes from the cache
    assert drawn_elements(at) == first and len(first) > 40
    at.query_params["lang"] = "vi"
    at.run()
    assert any("Quảng Ninh" in (e.value or "") for e in at.header) and drawn_elements(at) != first


# Above vu.LARGE_PICKER units (synthetic national data: 10,063) the picker is a search box and a select of the
# current unit and at most vu.MATCH_LIMIT matches. The shipped data has fewer: lower the threshold to test it.
def large_picker(monkeypatch, threshold=100, limit=None):
    from cchc_data.views import unit as uv

    monkeypatch.setattr(uv, "LARGE_PICKER", threshold)
    if limit is not None:
        monkeypatch.setattr(uv, "MATCH_LIMIT", limit)
    return uv


def test_shipped_data_keeps_one_select_of_every_unit_beside_the_search_box():
    from cchc_data import queries as q
    from cchc_data.views import unit as vu

    at = run_page("pages/unit.py", unit="p01", index="papi", year="2019", lang="en")
    friendly_only(at)
    n_units = len(vu.picker(q.data_version())[0])
    options = at.selectbox(key="param_unit").options
    if n_units <= vu.LARGE_PICKER:  # every unit is listed
        assert len(options) == n_units and "units: type a name" not in texts(at)
    else:  # only the current unit until the reader types
        assert len(options) == 1 and "units: type a name" in texts(at)
    assert at.text_input(key="unit_q").value == ""


@pytest.mark.parametrize(
    "lang,prompt,rank", [("vi", "đơn vị: gõ tên hoặc mã", "59/63"), ("en", "units: type a name or code", "59 of 63")]
)
def test_large_picker_share_link_by_admin_code_opens_the_unit(lang, prompt, rank, monkeypatch):
    large_picker(monkeypatch)
    at = run_page("pages/unit.py", unit="01", index="papi", year="2019", lang=lang)
    friendly_only(at)
    assert at.query_params["unit"] == "p01"  # the admin code became the unit id
    picker = at.selectbox(key="param_unit")
    assert picker.value == "p01" and len(picker.options) == 1  # no 835-option list
    assert at.text_input(key="unit_q").value == "" and prompt in texts(at)
    assert _metrics(at)[t_rank(lang)] == rank  # the profile below is the same
    assert f"unit=p01&index=papi&year=2019&lang={lang}" in " ".join(c.value for c in at.code)


def t_rank(lang):
    return "Hạng" if lang == "vi" else "Rank"


@pytest.mark.parametrize(
    "lang,query,caption,warning",
    [
        ("vi", "HA TAY", "đơn vị khớp với “HA TAY”", "Hà Tây đã được sắp xếp vào Hà Nội"),
        ("en", "hà tây", "units match “hà tây”", "Ha Tay became part of Ha Noi"),
    ],
)
def test_large_picker_search_and_pick_a_merged_province_leads_to_its_successor(
    lang, query, caption, warning, monkeypatch
):
    uv = large_picker(monkeypatch)
    at = run_page("pages/unit.py", unit="p22", index="papi", year="2018", lang=lang)
    friendly_only(at)
    at.text_input(key="unit_q").input(query).run()  # accents and case do not matter
    friendly_only(at)
    picker = at.selectbox(key="param_unit")
    # a new query picks its first match; the other matches are in the select beside the box
    assert picker.value == "p-hatay" and picker.options[0].startswith("Hà Tây" if lang == "vi" else "Ha Tay")
    ids, n = uv.search(lang, query)
    assert len(picker.options) == min(n, uv.MATCH_LIMIT) and ids[0] == "p-hatay"
    assert caption in texts(at)
    friendly_only(at)
    assert at.query_params["unit"] == "p-hatay" and at.selectbox(key="param_unit").value == "p-hatay"
    assert any(warning in w.value.replace("\\", "") for w in at.warning)
    links = [(el.proto.page, el.proto.query_string) for el in at.get("page_link")]
    assert any("unit=p01" in qs for _, qs in links), links  # the way on to its successor
    assert "unit=p-hatay" in " ".join(c.value for c in at.code)  # the share link follows the pick


@pytest.mark.parametrize(
    "lang,many,none",
    [
        (
            "vi",
            "đơn vị khớp với “h”; chỉ hiện 4 đơn vị đầu tiên",
            "Không có đơn vị nào trong danh sách này khớp với “zzzq”.",
        ),
        ("en", "units match “h”; only the first 4 are shown", "No unit in this list matches “zzzq”."),
    ],
)
def test_large_picker_says_when_the_list_is_cut_or_nothing_matches(lang, many, none, monkeypatch):
    uv = large_picker(monkeypatch, limit=4)
    at = run_page("pages/unit.py", unit="p01", lang=lang)
    at.text_input(key="unit_q").input("h").run()
    friendly_only(at)

    _, n = uv.search(lang, "h", limit=4)
    assert n > 4 and len(at.selectbox(key="param_unit").options) <= 1 + 4
    from cchc_data import fmt

    assert many in texts(at) and fmt.integer(n, lang) in texts(at)
    at.text_input(key="unit_q").input("zzzq").run()
    friendly_only(at)
    assert none in texts(at)
    picker = at.selectbox(key="param_unit")
    assert len(picker.options) == 1  # nothing matched: only the current unit stays
    at.text_input(key="unit_q").input("*bold* [x](y)").run()
    friendly_only(at)
    captions = [c.value for c in at.caption if "“" in c.value]
    assert captions and "\\*bold\\*" in captions[0] and "\\[x\\]" in captions[0]  # shown as text, not Markdown


def test_large_picker_bad_unit_falls_back_with_a_notice(monkeypatch):
    large_picker(monkeypatch)
    at = run_page("pages/unit.py", unit="nope", lang="en")
    friendly_only(at)
    assert any("nope" in i.value for i in at.info)
    assert at.query_params["unit"] == "p01" and at.selectbox(key="param_unit").options == [
        at.selectbox(key="param_unit").options[0]
    ]


def test_a_new_unit_found_by_search_keeps_the_index_the_reader_came_for():
    from cchc_data.views import unit as vu

    at = run_page("pages/unit.py", unit="p01", index="par", year="2019", lang="vi")
    friendly_only(at)
    at.text_input(key="unit_q").input("quang ninh").run()
    friendly_only(at)
    assert at.query_params["unit"] == "p22" and at.query_params["index"] == "par"  # not back to PAPI
    latest = vu.unit_context("p22").years["par"][1]
    assert at.query_params["year"] == str(latest)  # its latest PAR year with a figure
    rank = _metrics(at)["Hạng"]
    assert rank == "–" or rank.endswith("/63")  # a printed rank is out of the 63 provinces
    at.text_input(key="unit_q").input("bac ninh").run()  # the old Bắc Ninh has no PAR Index figure
    friendly_only(at)
    assert at.query_params["unit"] == "p27" and at.query_params["index"] == "papi"
    assert any("không có trong Chỉ số CCHC (PAR Index); đang hiện PAPI" in c.value for c in at.caption)


@pytest.mark.parametrize("lang,text", [("vi", "hạng 2/63, 84,64%"), ("en", "rank 2 of 63, 84.64%")])
def test_hanoi_par_2019_rank_is_out_of_63_and_in_percent_on_every_index_tile(lang, text):
    at = run_page("pages/unit.py", unit="p01", index="papi", year="2019", lang=lang)
    friendly_only(at)
    m = _metrics(at)
    assert m["Chỉ số CCHC (PAR Index)" if lang == "vi" else "PAR Index"] == ("2/63" if lang == "vi" else "2 of 63")
    assert text in texts(at)
