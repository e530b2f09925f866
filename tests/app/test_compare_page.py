"""AppTest for /compare seeded with query params (shipped PAPI data, both languages, bad params)."""
from __future__ import annotations

import json

import pytest

from tests.app.helpers import friendly_only, run_page, texts, drawn_elements

PAGE = "pages/compare.py"


def specs(at):
    return [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]


@pytest.mark.parametrize("lang,changed,dim", [("vi", "Những chỗ phương pháp thay đổi", "Quản trị môi trường"),
                                              ("en", "Where the method changed", "Environmental Governance")])
def test_three_cities_papi_dimension_by_dimension(lang, changed, dim):
    at = run_page(PAGE, index="papi", units="p01,p79,p48", lang=lang)
    friendly_only(at)
    assert at.query_params["units"] == "p01,p79,p48"
    warning = " ".join(w.value for w in at.warning)
    assert changed in warning and "**2018**" in warning and "**2016**" in warning and dim in warning
    charts = specs(at)
    # total trend, rank trend, one legend + 8 component panels (one chart each: they stack on a phone), bars
    assert len(charts) == 12
    assert charts[1]["layer"][0]["encoding"]["y"]["scale"]["reverse"] is True
    legend, panels = charts[2], charts[3:11]
    assert legend["encoding"]["color"]["legend"]["orient"] == "top"
    names = ["Hà Nội", "Hồ Chí Minh", "Đà Nẵng"] if lang == "vi" else ["Ha Noi", "TP. Ho Chi Minh", "Da Nang"]
    assert legend["encoding"]["color"]["scale"]["domain"] == names
    assert all(p["width"] == "container" and "facet" not in p for p in panels)
    assert all(p["layer"][0]["encoding"]["color"]["legend"] is None for p in panels)  # one legend for the set
    assert all(p["layer"][0]["encoding"]["color"]["scale"] == legend["encoding"]["color"]["scale"] for p in panels)
    assert dim in {" ".join(p["title"]["text"]) if isinstance(p["title"]["text"], list) else p["title"]["text"]
                   for p in panels}
    assert sum(len(p["layer"]) == 2 for p in panels) >= 1  # a dashed method-change rule where a make-up changed
    assert all(c.proto.alt for c in at.get("vega_lite_chart")[2:11])  # each chart has its alt text
    body = texts(at)
    assert "units=p01,p79,p48" in body and "year=2019" in body
    spread = "Khoảng chênh (cao nhất − thấp nhất)" if lang == "vi" else "Spread (best − worst)"
    diff = [d.value for d in at.dataframe if spread in d.value.columns]
    assert len(diff) == 1 and len(diff[0]) == 8  # 8 dimensions in 2019
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
    panels = [s for s in specs(at)[3:] if "title" in s and "layer" in s and len(s["layer"]) <= 2
              and s["layer"][0]["mark"].get("point")]
    assert len(panels) == 4  # transparency's sub-dimensions across 2011–2019 (one added 2018)
    assert "Tiếp cận thông tin" in " ".join(w.value for w in at.warning)


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
