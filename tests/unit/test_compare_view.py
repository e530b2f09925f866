"""The cached /compare view models (cchc_data/views/compare.py) on the shipped PAPI data."""

from __future__ import annotations

import dataclasses
import io

import pandas as pd
import pyarrow as pa
import pytest

from cchc_data import queries as q
from cchc_data.queries import compare as qp
from cchc_data.ui.download import to_csv_bytes
from cchc_data.views import compare as vcmp

URL = "http://example.test/compare?index=papi&units=p01,p79,p48"
UNITS = ("p01", "p79", "p48")


def test_choices_pool_defaults_and_levels():
    ch = vcmp.build_compare_choices("papi", "provinces", "vi")
    assert list(ch.unit_labels) == qp.index_units("papi", "provinces").unit_id.tolist()  # picker order kept
    assert ch.unit_labels["p01"] == "Hà Nội"
    assert ch.years == sorted(ch.years, reverse=True) and len(ch.default_units) == 3
    ranked = q.ranking(q.edition("papi", ch.years[0])["edition_id"], "provinces").dropna(subset=["rank"])
    assert ch.default_units == ranked.unit_id.head(3).tolist()
    en = vcmp.build_compare_choices("papi", "provinces", "en")
    assert en.has_components and en.parents[0] == "" and "transparency" in en.parents
    assert en.level_names["environmental_governance"] == "Environmental Governance"
    assert not vcmp.build_compare_choices("par", "provinces", "en").has_components
    assert vcmp.build_compare_choices("nope", None, "en").index_code == "papi"  # a bad index falls back


def test_view_is_frozen_and_holds_every_block_ready_to_draw():
    v = vcmp.build_compare_view("papi", "provinces", UNITS, 2019, "", "en", URL)
    with pytest.raises(dataclasses.FrozenInstanceError):
        v.changes = None  # type: ignore[misc]
    assert v.changes.startswith("**Where the method changed:**") and "2018" in v.changes and "2016" in v.changes
    assert "- **2018**: Added dimension: Environmental Governance" in v.changes_details
    block = v.trend_total
    assert isinstance(block.arrow, pa.Table) and block.arrow.num_rows == len(block.table)
    assert URL in block.citation and "unit_id" not in block.arrow.schema.names  # no raw codes on screen
    assert v.trend_rank.arrow is None and v.trend_rank.table.equals(block.table)  # one table for both trends
    assert pa.types.is_dictionary(v.components.arrow.schema.field(v.components.arrow.schema.names[2]).type)
    for spec in (v.trend_total.spec, v.components.legend, *v.components.panels):
        assert spec["config"]["locale"]["number"]["decimal"] == "."
    comp = v.components
    assert len(comp.panels) == len(comp.titles) == 8 and comp.titles[-1] == "E-Governance"
    assert all(p["width"] == "container" and "facet" not in p for p in comp.panels)
    assert all(isinstance(d, bytes) for p in comp.panels for d in p["datasets"].values())  # Arrow, ready to send
    assert v.rank_computed and "2018" in v.total_break  # 2016 changed only below the top level
    assert v.bars.arrow is None and "Ha Noi" in v.diff_title
    assert v.diff_display.num_rows == 8 and "Spread (best − worst)" in v.diff_display.schema.names
    assert len(v.diff_display.schema.names) == 7
    assert v.bars.basename == "cchc_compare_papi_p01-p79-p48_en_2019_bars"


def test_method_changes_are_stated_once_for_the_level_and_the_one_below():
    """The change text comes from views.components.method_change_items (one builder for /compare and /components)."""
    v = vcmp.build_compare_view("papi", "provinces", UNITS, 2019, "", "vi", URL)
    assert v.changes.startswith("**Những chỗ phương pháp thay đổi:**")
    lines = v.changes_details.splitlines()
    y2018 = next(line for line in lines if line.startswith("- **2018**"))
    assert "Quản trị môi trường" in y2018 and "Quản trị điện tử" in y2018
    assert any(line.startswith("- **2016**") for line in lines)  # renames inside a dimension
    drill = vcmp.build_compare_view("papi", "provinces", UNITS, 2017, "transparency", "en", URL)
    assert "Added sub-dimension: Access to Information" in drill.changes_details


def _csv_rows(block) -> tuple[str, pd.DataFrame]:
    text = to_csv_bytes(block.table, block.citation).decode("utf-8-sig")
    first, _, body = text.partition("\n")
    return first, pd.read_csv(io.StringIO(body), dtype=str)


def _decimals(cell: str) -> int:
    return len(cell.split(".")[1]) if "." in cell else 0


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_downloads_have_a_citation_and_numbers_as_published(lang):
    """Issue 14: the comparison CSV had -0.17867600000000028 (a computed difference) and True/False."""
    v = vcmp.build_compare_view("papi", "provinces", UNITS, 2019, "", lang, URL)
    for block in (v.trend_total, v.bars, v.components):
        first, rows = _csv_rows(block)
        assert first.startswith("# ") and URL in first
        assert not {"True", "False"} & set(rows.to_numpy().ravel().tolist()), block.basename
    # Computed figures (differences, spread, shares of the maximum) carry the published precision at most.
    _, diff = _csv_rows(v.bars)
    computed = [c for c in diff.columns if c.startswith("Δ")] + [diff.columns[-1]]
    assert len(computed) == 3
    for col in computed:
        assert all(_decimals(c) <= 6 for c in diff[col].dropna()), col
    _, series = _csv_rows(v.components)
    assert all(_decimals(c) <= 2 for c in series.iloc[:, -1].dropna())  # % of max
    # Published totals are the stored figures, digit for digit; a single-precision source's figure is printed as
    # the source printed it (PAPI 2020: 41.6286, stored as 41.62860107421875).
    totals = q.ranking(q.edition("papi", 2019)["edition_id"], "provinces").set_index("unit_id").total
    _, trend = _csv_rows(v.trend_total)
    hn = trend[(trend.unit_id == "p01") & (trend.iloc[:, 0] == "2019")].iloc[0]
    assert float(hn.iloc[3]) == totals["p01"]
    assert all(_decimals(c) <= 7 for c in trend.iloc[:, 3].dropna())
    assert set(trend.iloc[:, 5].dropna()) <= {
        "hạng do chúng tôi tính",
        "hạng do cơ quan công bố",
        "rank computed by us",
        "rank as published",
    }


def test_as_published_undoes_single_precision_only():
    from cchc_data import fmt

    assert fmt.as_published([41.62860107421875, 36.405, 0.5, 1 / 3]).tolist() == [41.6286, 36.405, 0.5, 1 / 3]
    assert fmt.as_published([None]).isna().all()


def test_like_for_like_names_left_out_components_first():
    v = vcmp.build_like_for_like("papi", "provinces", UNITS, "", 2017, 2019, 2019, "en", URL)
    assert "raw scores" in v.scale and "Environmental Governance (only in 2019)" in v.left_out
    assert v.block.spec["title"]["text"] == "Hollow: 2017 · filled: 2019"
    change = v.block.table["Change"].dropna()
    assert all(len(repr(float(x)).split(".")[-1]) <= 6 for x in change)


def test_peers_labels():
    peers = vcmp.build_peers("papi", "provinces", 2019, UNITS, "en")
    assert 0 < len(peers) <= 8 and not {u for u, _ in peers} & set(UNITS)
    assert all(label.startswith("+ ") for _, label in peers)
    assert vcmp.build_peers("papi", "provinces", 2019, ("p01", "p79", "p48", "p02", "p04", "p06"), "en") == []


@pytest.mark.parametrize(
    "query,unit",
    [("ha noi", "p01"), ("da nang", "p48"), ("hcm", "p79"), ("tp hcm", "p79"), ("TP.HCM", "p79"), ("Hà Nội", "p01")],
)
def test_find_units_is_the_one_accent_insensitive_search(query, unit):
    hits, total = vcmp.find_units("papi", "provinces", query, "vi")
    assert hits[0] == unit and total >= 1
    assert unit not in vcmp.find_units("papi", "provinces", query, "vi", chosen=(unit,))[0]  # chosen ones left out


def test_units_param_admin_codes_and_repeats():
    known = vcmp.build_compare_choices("papi", "provinces", "vi").unit_labels
    assert vcmp.normalise_units("01,79,48", known, 2019) == ("p01,p79,p48", False, False)
    assert vcmp.normalise_units("p01,p01,p79", known, 2019) == ("p01,p79", True, False)
    assert vcmp.normalise_units("p01,p79", known, 2019) == (None, False, False)


def test_component_svg_is_the_whole_set_made_on_demand():
    v = vcmp.build_compare_view("papi", "provinces", UNITS, 2019, "", "en", URL)
    svg = vcmp.components_svg(*v.components.svg_args).decode()
    assert svg.lstrip().startswith("<svg")
    for title in v.components.titles:
        assert title in svg
