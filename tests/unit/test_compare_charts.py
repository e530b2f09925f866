"""Chart specs of the compare page (via .to_dict())."""
from __future__ import annotations

import pandas as pd

from cchc_data.charts import compare as cc
from cchc_data.queries import compare as qp

UNITS = ["p01", "p79", "p48"]


def test_segments_break_lines_at_method_changes():
    seg = cc.segments(pd.Series([2016, 2017, 2018, 2019]), [2018])
    assert seg.tolist() == [0, 0, 1, 1]


def test_total_trend_breaks_at_2018_and_rank_axis_is_reversed():
    totals = qp.totals_series("papi", "provinces", UNITS)
    spec = cc.trend(totals, "vi", UNITS, "total", [2018]).to_dict()
    rows = spec["datasets"][spec["layer"][0]["data"]["name"]]
    segs = {(r["unit_id"], r["segment"]) for r in rows}
    assert ("p01", "0-p01") in segs and ("p01", "1-p01") in segs
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
    seg = {r["segment"] for r in rows if r["row_type"] == "score" and r["component_id"] == "vertical_accountability"
           and r["unit_id"] == "p01"}
    assert seg == {"p01-0", "p01-1"}
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
