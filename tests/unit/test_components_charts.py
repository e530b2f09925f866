"""Chart specs of the components page (via .to_dict()) and the SVG export."""

from __future__ import annotations

import json
import re

from cchc_data.charts import components as ch
from cchc_data.queries import component_scores as qc


def _layers(spec):
    return spec.get("layer", [])


def test_heatmap_rows_by_total_highlight_and_locale():
    df = qc.component_scores("papi-2019", "provinces")
    spec = ch.heatmap(df, "vi", "p01").to_dict()
    layers = _layers(spec)
    assert len(layers) == 3  # grey no-data cells, coloured cells, the highlight outline
    y_sort = layers[0]["encoding"]["y"]["sort"]
    totals = df.drop_duplicates("unit_id").sort_values("total", ascending=False)
    assert y_sort[0] == totals.name_vi.iloc[0] and len(y_sort) == 63
    x_sort = layers[0]["encoding"]["x"]["sort"]
    assert x_sort[0] == "Tham gia của người dân ở cấp cơ sở" and len(x_sort) == 8
    assert layers[1]["encoding"]["color"]["title"] == "Điểm (thô)"
    assert "p01" in json.dumps(layers[2]["transform"])
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    en = ch.heatmap(df, "en").to_dict()
    assert len(_layers(en)) == 2 and en["config"]["locale"]["number"]["decimal"] == "."


def test_heatmap_uses_percent_title_when_maxima_exist(tiny_data):
    df = qc.component_scores("papi-2019", "provinces")
    spec = ch.heatmap(df, "en").to_dict()
    assert spec["layer"][1]["encoding"]["color"]["title"] == "% of maximum"


def test_distribution_marks_median_best_and_selected():
    df = qc.component_scores("papi-2018", "provinces")
    summary = qc.distribution_summary(df)
    spec = ch.distribution(df, summary, "en", "p01").to_dict()
    domain = spec["encoding"]["color"]["scale"]["domain"]
    assert domain == ["Units", "Median", "Best", "Selected unit"]
    rows = spec["datasets"][spec["data"]["name"]]
    selected = [r for r in rows if r["role"] == "Selected unit"]
    assert len(selected) == 8 and {r["who"] for r in selected} == {"Ha Noi"}
    best = {r["component"]: r["value"] for r in rows if r["role"] == "Best"}
    assert best["E-Governance"] == df[df.component_id == "e_governance"].value.max()
    no_sel = ch.distribution(df, summary, "en").to_dict()
    assert "Selected unit" not in no_sel["encoding"]["color"]["scale"]["domain"]


def test_self_appraised_chart_has_three_kinds():
    import pandas as pd

    df = pd.DataFrame(
        {
            "unit_id": ["u1", "u2"],
            "name_vi": ["Sở A", "Sở B"],
            "name_en": ["Dept A", "Dept B"],
            "component_id": ["c", "c"],
            "component_vi": ["C", "C"],
            "component_en": ["C", "C"],
            "position": [1, 1],
            "total": [80.0, 70.0],
            "score": [8.0, 7.0],
            "score_self": [9.0, 9.5],
            "score_appraised": [8.0, 6.5],
        }
    )  # SYNTHETIC
    spec = ch.self_appraised_chart(df, "en").to_dict()
    assert "facet" in spec
    dots = spec["spec"]["layer"][1]
    assert dots["encoding"]["color"]["scale"]["domain"] == ["Self-assessed", "Appraised", "Final score"]
    rows = spec["datasets"][spec["data"]["name"]] if "data" in spec else []
    assert len(rows) == 6


def test_svg_export_is_cached_and_has_fixed_width():
    df = qc.component_scores("papi-2019", "provinces", "e_governance")
    chart = ch.heatmap(df, "en", "p01")
    ch._svg_from_spec.cache_clear()
    svg = ch.svg_bytes(chart)
    assert svg.lstrip().startswith(b"<svg") and b"Ha Noi" in svg
    ch.svg_bytes(chart)
    assert ch._svg_from_spec.cache_info().hits == 1


def test_arrow_spec_sends_each_row_once_with_dictionary_encoded_text_and_loses_nothing():
    import pyarrow as pa

    from cchc_data.ui.charts import plain_spec

    df = qc.component_scores("pci-2019", "provinces")
    summary = qc.distribution_summary(df)
    for chart in (ch.heatmap(df, "vi", "p01"), ch.distribution(df, summary, "en", "p01")):
        plain = chart.to_dict()
        spec = ch.arrow_spec(chart)
        assert set(spec["datasets"]) == set(plain["datasets"])
        assert plain_spec(spec) == plain  # the browser reads exactly the rows Altair would have inlined
        for name, data in spec["datasets"].items():
            table = pa.ipc.open_stream(data).read_all()
            text = [f for f in table.schema if f.name in ("unit", "component", "who", "role")]
            assert text and all(pa.types.is_dictionary(f.type) for f in text)
    heat = ch.arrow_spec(ch.heatmap(df, "vi", "p01"))
    (data,) = heat["datasets"].values()
    table = pa.ipc.open_stream(data).read_all()
    assert table.num_rows == 630 and set(table.column_names) == {"unit_id", "unit", "component", "value", "total"}
    assert len(data) < 25_000  # 63 provinces x 10 indicators; it was 210 KB with every query column


def test_heatmap_leaves_cells_without_a_score_grey():
    df = qc.component_scores("papi-2014", "provinces")
    missing = df[df.value.isna()]
    assert len(missing)  # PAPI 2014 has gaps (1,708 of 1,764 scores)
    spec = ch.heatmap(df, "en").to_dict()
    rows = spec["datasets"][spec["data"]["name"]]
    assert sum(r["value"] is None for r in rows) == len(missing)
    from cchc_data.charts.common import NO_DATA

    assert spec["layer"][0]["mark"]["color"] == NO_DATA and "transform" not in spec["layer"][0]  # every cell, grey
    assert spec["layer"][1]["transform"] == [{"filter": "isValid(datum.value)"}]


def test_heatmap_labels_every_row_and_column():
    """Issue 14: the heatmap labelled every other province and 4 of 8 columns (Vega hides overlapping labels)."""
    import vl_convert as vlc  # noqa: PLC0415  (the SVG renderer is only needed here)

    d = qc.component_scores("papi-2018", "provinces")
    for width in (350, 900):  # a phone's and a desktop's chart width
        spec = ch.heatmap(d, "vi").to_dict()
        spec["width"] = width
        for axis in ("x", "y"):
            assert spec["layer"][0]["encoding"][axis]["axis"]["labelOverlap"] is False
        svg = vlc.vegalite_to_svg(spec)
        labels = re.findall(r"<text[^>]*>([^<]+)</text>", svg)
        names = set(ch.labelled(d, "vi").unit)
        assert names <= set(labels), width  # all 63 provinces
        shown = [
            label
            for label in labels
            if label.rstrip("…").rstrip(".")
            and any(c.startswith(label.rstrip("…").rstrip(".")) for c in set(ch.labelled(d, "vi").component))
        ]
        assert len({s for s in shown}) >= 8, width  # all 8 dimensions (a long name cut, full in the tooltip)
