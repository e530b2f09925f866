"""The cached /compare view (cchc_data/ui/compare_view.py) on the shipped PAPI data."""
from __future__ import annotations

import pyarrow as pa

from cchc_data import queries as q
from cchc_data.queries import compare as qp
from cchc_data.ui import compare_view as cv

URL = "http://example.test/compare?index=papi&units=p01,p79,p48"
UNITS = ("p01", "p79", "p48")


def test_pool_defaults_and_levels():
    version = q.data_version()
    pool = cv.pool("papi", "provinces", "vi", version)
    assert list(pool) == qp.index_units("papi", "provinces").unit_id.tolist()  # picker order kept
    assert pool["p01"] == "Hà Nội"
    years, default = cv.defaults("papi", "provinces", version)
    assert years == sorted(years, reverse=True) and len(default) == 3
    ranked = q.ranking(q.edition("papi", years[0])["edition_id"], "provinces").dropna(subset=["rank"])
    assert default == ranked.unit_id.head(3).tolist()
    lv = cv.levels("papi", "provinces", "en", version)
    assert lv["has_components"] and lv["parents"][0] == "" and "transparency" in lv["parents"]
    assert lv["names"]["environmental_governance"] == "Environmental Governance"
    assert lv["comp_years"][0] == 2019
    assert not cv.levels("par", "provinces", "en", version)["has_components"]


def test_view_holds_every_block_ready_to_draw():
    v = cv.view("papi", "provinces", UNITS, 2019, "", "en", URL, q.data_version())
    assert "Where the method changed" in v["changes"] and "**2018**" in v["changes"]
    for key in ("trend_total", "trend_rank", "components"):
        block = v[key]
        assert isinstance(block["arrow"], pa.Table) and block["arrow"].num_rows == len(block["table"])
        assert URL in block["citation"]
    for spec in (v["trend_total"]["spec"], v["components"]["legend"], *v["components"]["panels"]):
        assert spec["config"]["locale"]["number"]["decimal"] == "."
    comp = v["components"]
    assert len(comp["panels"]) == len(comp["titles"]) == 8 and comp["titles"][-1] == "E-Governance"
    assert all(p["width"] == "container" and "facet" not in p for p in comp["panels"])
    assert all(isinstance(d, bytes) for p in comp["panels"] for d in p["datasets"].values())  # Arrow, ready to send
    assert v["rank_computed"] and v["top_breaks"] == [2018]  # 2016 changed only below the top level
    assert v["bars"]["arrow"] is None and v["first_name"] == "Ha Noi"
    diff = v["diff_display"]
    assert diff.num_rows == 8 and "Spread (best − worst)" in diff.schema.names and len(diff.schema.names) == 7
    assert v["bars"]["basename"] == "cchc_compare_papi_p01-p79-p48_en_2019_bars"


def test_like_for_like_view_names_left_out_components():
    v = cv.lfl_view("papi", "provinces", UNITS, "", 2017, 2019, 2019, "en", URL, q.data_version())
    assert v["kind"] == "raw" and "Environmental Governance (only in 2019)" in v["left_out"]
    assert v["block"]["spec"]["title"]["text"] == "Hollow: 2017 · filled: 2019"


def test_peers_view_labels():
    version = q.data_version()
    peers = cv.peers_view("papi", "provinces", 2019, UNITS, "en", version)
    assert 0 < len(peers) <= 8 and not {u for u, _ in peers} & set(UNITS)
    assert all(label.startswith("+ ") for _, label in peers)
    assert cv.peers_view("papi", "provinces", 2019, ("p01", "p79", "p48", "p02", "p04", "p06"), "en", version) == []


def test_component_svg_is_the_whole_set_made_on_demand():
    v = cv.view("papi", "provinces", UNITS, 2019, "", "en", URL, q.data_version())
    svg = cv.components_svg(*v["components"]["svg_args"]).decode()
    assert svg.lstrip().startswith("<svg")
    for title in v["components"]["titles"]:
        assert title in svg
