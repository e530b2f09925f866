"""Chart specs of the compare page (via .to_dict())."""

from __future__ import annotations

import pandas as pd

from cchc_data.charts import compare as cc
from cchc_data.queries import compare as qp

UNITS = ["p01", "p79", "p48"]


def test_segments_break_lines_at_method_changes():
    seg = cc.segments(pd.Series([2016, 2017, 2018, 2019]), [2018])
    assert seg.tolist() == [0, 0, 1, 1]


def test_no_line_bridges_a_missing_year():
    """Issue 14: a unit without a figure for a year (SYNTHETIC rows) gets a new line segment after the gap."""
    d = pd.DataFrame({"unit_id": ["a"] * 5 + ["b"] * 3, "year": [2019, 2020, 2022, 2023, 2024, 2019, 2020, 2021]})
    seg = cc.line_segments(d, range(2019, 2025), [2023])
    assert seg.tolist() == ["a-0", "a-0", "a-1", "a-2", "a-2", "b-0", "b-0", "b-0"]
    totals = qp.totals_series("papi", "provinces", ["p22", "p01"])  # Quảng Ninh: no PAPI total in some years
    missing = sorted(set(totals.year) - set(totals.dropna(subset=["total"])[lambda t: t.unit_id == "p22"].year))
    spec = cc.trend(totals, "en", ["p22", "p01"], "total", [2018]).to_dict()
    rows = [r for r in spec["datasets"][spec["layer"][0]["data"]["name"]] if r["unit_id"] == "p22"]
    for year in missing:  # the points either side of a missing year are never on one segment
        before = {r["segment"] for r in rows if r["year"] == year - 1}
        after = {r["segment"] for r in rows if r["year"] == year + 1}
        assert not before & after, year


def test_total_trend_breaks_at_2018_and_rank_axis_is_reversed():
    totals = qp.totals_series("papi", "provinces", UNITS)
    spec = cc.trend(totals, "vi", UNITS, "total", [2018]).to_dict()
    rows = spec["datasets"][spec["layer"][0]["data"]["name"]]
    segs = {(r["unit_id"], r["segment"]) for r in rows}
    assert ("p01", "p01-0") in segs and ("p01", "p01-1") in segs
    assert spec["layer"][0]["encoding"]["detail"]["field"] == "segment"
    rule_data = [v for k, v in spec["datasets"].items() if v and "label" in v[0]]
    assert rule_data and rule_data[0][0]["year"] == 2018 and rule_data[0][0]["label"] == "thay đổi phương pháp"
    colours = spec["layer"][0]["encoding"]["color"]["scale"]
    assert colours["domain"] == ["Hà Nội", "Hồ Chí Minh", "Đà Nẵng"]
    rank = cc.trend(totals, "en", UNITS, "rank", [2018]).to_dict()
    assert rank["layer"][0]["encoding"]["y"]["scale"]["reverse"] is True
    assert rank["layer"][0]["encoding"]["y"]["field"] == "rank"


def test_component_trends_facet_with_break_rules():
    series = qp.component_series("papi", "provinces", UNITS)
    breaks = pd.DataFrame({"component_id": ["vertical_accountability"], "year": [2016]})
    spec = cc.component_trends(series, breaks, "en", UNITS).to_dict()
    assert spec["facet"]["field"] == "component" and spec["columns"] == 3  # 3 x 170 px panels fit the wide layout
    assert len(spec["facet"]["sort"]) == 8
    rows = spec["datasets"][spec["data"]["name"]]
    rules = [r for r in rows if r["row_type"] == "break"]
    assert rules == [{**rules[0], "component_id": "vertical_accountability", "year": 2016}]
    seg = {
        r["segment"]
        for r in rows
        if r["row_type"] == "score" and r["component_id"] == "vertical_accountability" and r["unit_id"] == "p01"
    }
    assert seg == {"vertical_accountability-p01-0", "vertical_accountability-p01-1"}
    assert spec["resolve"]["scale"]["y"] == "independent"


def test_component_bars_and_like_for_like():
    series = qp.component_series("papi", "provinces", UNITS)
    bars = cc.component_bars(series[series.year == 2019], "en", UNITS).to_dict()
    assert bars["encoding"]["yOffset"]["field"] == "unit"
    assert bars["encoding"]["x"]["title"] == "Score (raw)"
    rows, _ = qp.like_for_like(series, 2017, 2019)
    spec = cc.like_for_like_chart(rows, "en", UNITS, 2017, 2019).to_dict()
    assert len(spec["layer"]) == 3 and spec["title"]["text"] == "Hollow: 2017 · filled: 2019"
    data = spec["datasets"][spec["data"]["name"]]
    assert {r["component_id"] for r in data}.isdisjoint({"e_governance", "environmental_governance"})


def test_component_panels_share_the_unit_colours_keep_break_rules_and_have_one_legend():
    series = qp.component_series("papi", "provinces", UNITS)
    breaks = pd.DataFrame(
        {"component_id": ["vertical_accountability", "vertical_accountability"], "year": [2016, 2018]}
    )
    parts = cc.component_parts(series, breaks, "en", UNITS)
    assert parts["units"] == ("Ha Noi", "Ho Chi Minh City", "Da Nang") and parts["kind"] == "raw"
    assert [p["component_id"] for p in parts["panels"]][:2] == ["participation_at_local_levels", "transparency"]
    assert len(parts["panels"]) == 8
    specs = {
        p["component_id"]: cc.component_panel(
            p["rows"], "en", parts["units"], parts["years"], p["breaks"], p["title"], parts["kind"]
        ).to_dict()
        for p in parts["panels"]
    }
    colours = set()
    for cid, spec in specs.items():
        assert spec["width"] == "container" and "facet" not in spec
        line = spec["layer"][0]
        colour = line["encoding"]["color"]
        assert colour["legend"] is None  # the set has one legend (unit_legend), not one per panel
        colours.add((tuple(colour["scale"]["domain"]), tuple(colour["scale"]["range"])))
        assert line["encoding"]["x"]["scale"]["domain"] == sorted(set(series.year))  # every panel: all the years
    assert len(colours) == 1  # every panel colours a unit the same, even where a unit has no figure
    va = specs["vertical_accountability"]
    assert va["title"]["text"] == "Vertical Accountability"
    rule = va["layer"][1]
    assert rule["mark"]["type"] == "rule" and rule["mark"]["strokeDash"] == [4, 3]
    assert [r["year"] for r in va["datasets"][rule["data"]["name"]]] == [2016, 2018]
    segs = {r["segment"] for r in va["datasets"][va["layer"][0]["data"]["name"]] if r["unit_id"] == "p01"}
    assert segs == {"p01-0", "p01-1", "p01-2"}  # the line breaks at each method change
    assert len(specs["transparency"]["layer"]) == 1  # no change there: no rule
    legend = cc.unit_legend("en", parts["units"]).to_dict()
    enc = legend["encoding"]["color"]
    assert (tuple(enc["scale"]["domain"]), tuple(enc["scale"]["range"])) in colours
    assert enc["legend"]["orient"] == "top" and legend["width"] == "container"


def test_unit_legend_puts_fewer_long_names_on_a_row():
    short = cc.unit_legend("vi", ("Hà Nội", "Huế", "Đà Nẵng")).to_dict()["encoding"]["color"]["legend"]
    long = cc.unit_legend("vi", ("Bộ Tài nguyên và Môi trường", "Bộ Kế hoạch và Đầu tư")).to_dict()
    assert short["columns"] == 3 and long["encoding"]["color"]["legend"]["columns"] == 1
