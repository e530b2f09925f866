"""AppTest for /compare seeded with query params (shipped PAPI data, both languages, bad params)."""

from __future__ import annotations

import json

import pytest

from cchc_data.views import compare as vcmp
from tests.app.helpers import drawn_elements, friendly_only, run_page, texts

PAGE = "pages/compare.py"


def specs(at):
    return [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]


@pytest.mark.parametrize(
    "lang,changed,dim",
    [
        ("vi", "Những chỗ phương pháp thay đổi", "Quản trị môi trường"),
        ("en", "Where the method changed", "Environmental Governance"),
    ],
)
def test_three_cities_papi_dimension_by_dimension(lang, changed, dim):
    at = run_page(PAGE, index="papi", units="p01,p79,p48", lang=lang)
    friendly_only(at)
    assert at.query_params["units"] == "p01,p79,p48"
    warning = " ".join(w.value for w in at.warning)
    assert changed in warning and "2018" in warning and "2016" in warning  # the years, stated first
    details = " ".join(m.value for m in at.markdown if m.value.startswith("- **"))
    assert "**2018**" in details and "**2016**" in details and dim in details
    charts = specs(at)
    # total trend, rank trend, one legend + 8 component panels (one chart each: they stack on a phone), bars
    assert len(charts) == 12
    assert charts[1]["layer"][0]["encoding"]["y"]["scale"]["reverse"] is True
    legend, panels = charts[2], charts[3:11]
    assert legend["encoding"]["color"]["legend"]["orient"] == "top"
    names = ["Hà Nội", "Hồ Chí Minh", "Đà Nẵng"] if lang == "vi" else ["Ha Noi", "Ho Chi Minh City", "Da Nang"]
    assert legend["encoding"]["color"]["scale"]["domain"] == names
    assert all(p["width"] == "container" and "facet" not in p for p in panels)
    assert all(p["layer"][0]["encoding"]["color"]["legend"] is None for p in panels)  # one legend for the set
    assert all(p["layer"][0]["encoding"]["color"]["scale"] == legend["encoding"]["color"]["scale"] for p in panels)
    assert dim in {
        " ".join(p["title"]["text"]) if isinstance(p["title"]["text"], list) else p["title"]["text"] for p in panels
    }
    assert sum(len(p["layer"]) == 2 for p in panels) >= 1  # a dashed method-change rule where a make-up changed
    assert all(c.proto.alt for c in at.get("vega_lite_chart")[2:11])  # each chart has its alt text
    body = texts(at)
    latest = vcmp.build_compare_choices("papi", "provinces", lang).comp_years[0]
    assert "units=p01,p79,p48" in body and f"year={latest}" in body
    spread = "Khoảng chênh (cao nhất − thấp nhất)" if lang == "vi" else "Spread (best − worst)"
    diff = [d.value for d in at.dataframe if spread in d.value.columns]
    assert len(diff) == 1 and len(diff[0]) == 8  # 8 dimensions since 2018
    assert len(diff[0].columns) == 7  # component + 3 units + 2 Δ + spread


def test_admin_codes_resolve_and_like_for_like_names_left_out_components():
    at = run_page(PAGE, index="papi", units="01,79,48", lfl="1", base="2017", year="2019", lang="en")
    friendly_only(at)
    assert at.query_params["units"] == "p01,p79,p48"
    left = " ".join(w.value for w in at.warning if "Left out" in w.value)
    assert "Environmental Governance (only in 2019)" in left and "E-Governance (only in 2019)" in left
    lfl = specs(at)[-1]
    assert lfl["title"]["text"] == "Hollow: 2017 · filled: 2019"
    assert "Values are raw scores" in texts(at)


def test_drill_into_a_dimension():
    at = run_page(PAGE, index="papi", units="p01,p79", component="transparency", year="2017", lang="vi")
    friendly_only(at)
    panels = [
        s
        for s in specs(at)[3:]
        if "title" in s and "layer" in s and len(s["layer"]) <= 2 and s["layer"][0]["mark"].get("point")
    ]
    assert len(panels) == 4  # transparency's sub-dimensions across 2011–2019 (one added 2018)
    assert "Tiếp cận thông tin" in " ".join(m.value for m in at.markdown)


@pytest.mark.parametrize("lang,word", [("vi", "không hợp lệ"), ("en", "not valid")])
def test_bad_params_give_notices(lang, word):
    at = run_page(PAGE, index="papi", units="p01,zz9", year="1999", component="nope", lfl="maybe", lang=lang)
    friendly_only(at)
    notices = " ".join(i.value for i in at.info)
    assert word in notices and "zz9" in notices
    # Only one valid unit is left: the page asks for at least two and suggests peers.
    assert ("Hãy chọn từ 2 đến 6" if lang == "vi" else "Choose 2 to 6") in notices
    assert at.query_params["units"] == "p01"


def test_too_many_units_are_capped_and_par_totals_only():
    at = run_page(PAGE, index="papi", units="p01,p79,p48,p02,p04,p06,p08", lang="en")
    friendly_only(at)
    assert len(at.query_params["units"].split(",")) == 6
    par = run_page(PAGE, index="par", units="p01,p22", lang="en")
    friendly_only(par)
    assert any("not published in machine-readable form" in i.value for i in par.info)
    assert len(specs(par)) == 2  # totals and ranks only


def test_a_view_drawn_from_the_cache_is_the_view_first_drawn():
    at = run_page(PAGE, index="papi", units="p01,p79,p48", lfl="1", base="2016", year="2019", lang="vi")
    friendly_only(at)
    first = drawn_elements(at)
    at.run()  # the view, the like-for-like view and the peers now come from the cache
    assert drawn_elements(at) == first and len(first) > 60
    assert len(specs(at)) == 13 and "Hà Nội" in texts(at)  # 2 trends, legend + 8 panels, bars, like-for-like


def test_clear_all_then_add_keeps_the_readers_pick_not_the_defaults():
    """Issue 14: after "clear all", adding Hà Nội snapped back to the default units and dropped Hà Nội."""
    at = run_page(PAGE, index="papi", lang="vi")
    friendly_only(at)
    picker = at.multiselect(key="param_units")
    defaults = list(picker.value)
    assert len(defaults) >= 2 and "p01" not in defaults
    picker.set_value([]).run()  # clear all
    friendly_only(at)
    assert at.multiselect(key="param_units").value == []
    at.multiselect(key="param_units").set_value(["p01"]).run()
    assert at.multiselect(key="param_units").value == ["p01"]
    at.multiselect(key="param_units").set_value(["p01", "p79"]).run()
    friendly_only(at)
    assert at.multiselect(key="param_units").value == ["p01", "p79"]
    assert at.query_params["units"] == "p01,p79"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_journey_clear_all_then_add_three_cities_through_the_accent_free_search(lang):
    """Issue 14, journey 3 (page level): from the default view, clear the picker, then add Hà Nội, Đà Nẵng and
    TP.HCM by typing their names without accents; the defaults never come back and the URL holds the three."""
    at = run_page(PAGE, index="papi", lang=lang)
    friendly_only(at)
    defaults = list(at.multiselect(key="param_units").value)
    at.multiselect(key="param_units").set_value([]).run()  # clear all
    for query, unit in (("ha noi", "p01"), ("da nang", "p48"), ("tp hcm", "p79")):
        at.text_input(key="compare_unit_q").input(query).run()
        friendly_only(at)
        add = at.button(key=f"compare_add_{unit}")
        assert add.label.startswith("Thêm" if lang == "vi" else "Add")
        add.click().run()
        friendly_only(at)
        assert at.text_input(key="compare_unit_q").value == ""  # the box empties after an add
    assert at.multiselect(key="param_units").value == ["p01", "p48", "p79"] != defaults
    assert at.query_params["units"] == "p01,p48,p79"
    assert len(specs(at)) == 12  # the comparison is drawn: trends, legend + 8 panels, bars


def test_search_says_when_nothing_matches_and_when_the_picker_is_full():
    at = run_page(PAGE, index="papi", units="p01,p79", lang="en")
    at.text_input(key="compare_unit_q").input("*zz* [x](y)").run()
    friendly_only(at)
    captions = [c.value for c in at.caption if "No unit in this list matches" in c.value]
    assert captions and "\\*zz\\*" in captions[0]  # the query is shown as text
    full = run_page(PAGE, index="papi", units="p01,p79,p48,p02,p04,p06", lang="en")
    full.text_input(key="compare_unit_q").input("ha").run()
    assert "6 units are already picked" in texts(full) and not [
        b for b in full.button if b.key.startswith("compare_add")
    ]


@pytest.mark.parametrize("lang,word", [("vi", "Nhúng trang so sánh này"), ("en", "Embed this comparison")])
def test_embed_option_gives_an_iframe_of_this_comparison(lang, word):
    at = run_page(PAGE, index="papi", units="p01,p79,p48", lang=lang)
    friendly_only(at)
    assert any(word in e.label for e in at.expander)
    code = [c.value for c in at.code if "<iframe" in c.value]
    assert len(code) == 1 and "compare?" in code[0] and "units=p01,p79,p48" in code[0] and "embed=true" in code[0]
