"""Unit profile on the shipped data (issue 7): Hà Nội PAPI 2019, merged provinces, a department, gaps."""

from __future__ import annotations

import pytest

from cchc_data import profile_text as pt
from cchc_data.queries import profile as qp


def test_hanoi_papi_2019_standing():
    s = qp.edition_standing("p01", "papi", 2019)["standing"]
    assert s["rank"] == 59 and s["n_scored"] == 63 and s["rank_official"] is False  # PAPI prints no ranks
    assert s["quartile"] == 4 and s["percentile"] < 25
    assert s["band"] == (58, 59)  # within 0.01 points of the unit ranked 58
    assert s["median"] > s["total"]


def test_hanoi_papi_change_2018_2019_adds_up_and_counts_movers():
    ch = qp.edition_change("p01", "papi", 2019, "provinces")["change"]
    assert ch["additive"] and ch["added"] == [] and ch["dropped"] == []
    assert (ch["prev_rank"], ch["cur_rank"]) == (54, 59)
    assert ch["contributions"].contribution.sum() == pytest.approx(ch["delta_total"], abs=2 * qp.ADDITIVE_TOLERANCE)
    assert ch["passed"] >= ch["cur_rank"] - ch["prev_rank"] and ch["fell_behind"] is not None
    vi = " ".join(pt.change_sentences("Hà Nội", "PAPI", 2018, 2019, ch, "vi"))
    assert "54" in vi and "59" in vi and "Phương pháp không đổi" in vi


def test_papi_2017_2018_method_change_is_reported():
    ch = qp.edition_change("p01", "papi", 2018, "provinces")["change"]
    assert set(ch["added"]) == {"environmental_governance", "e_governance"}
    en = " ".join(pt.change_sentences("Ha Noi", "PAPI", 2017, 2018, ch, "en"))
    assert "The method changed" in en and "E-Governance" in en


def test_pci_totals_are_weighted_so_contributions_are_not_summed():
    ch = qp.edition_change("p01", "pci", 2019, "provinces")["change"]
    assert not ch["additive"] and ch["weighted"]


def test_hanoi_cross_index_2019_flags_the_papi_pci_divergence():
    rows = {r["index_code"]: r for r in qp.cross_index("p01", 2019)}
    assert rows["pci"]["rank"] == 9 and rows["pci"]["percentile"] > 75
    assert rows["par"]["rank"] == 2 and rows["par"]["percentile"] is None  # partial: printed rank, no percentile
    assert rows["sipas"]["status"] == "not_listed"
    div = qp.divergence(list(rows.values()))
    assert {r["index_code"] for r in div["bottom"]} == {"papi"}
    assert {r["index_code"] for r in div["top"]} == {"par", "pci"}


def test_gaps_bac_giang_2014_and_quang_ninh_2018():
    s = qp.edition_standing("p24", "papi", 2014)["standing"]
    assert s["total"] is None and s["rank"] is None and s["percentile"] is None
    gaps = qp.edition_gaps("p22", "papi-2018", "provinces")
    missing = set(gaps[gaps.score.isna()].component_id)
    assert missing == {"transparency", "control_of_corruption"}
    assert qp.edition_standing("p22", "papi", 2018)["standing"]["total"] is None
    ch = qp.edition_change("p22", "papi", 2018, "provinces")["change"]
    assert ch["delta_total"] is None and not ch["weighted"]


def test_department_partial_edition_has_no_percentile():
    s = qp.edition_standing("hn-noivu", "par_hanoi", 2022)["standing"]
    assert s["rank"] == 2 and s["rank_official"] and not s["complete"]
    assert s["percentile"] is None and s["median"] is None
    assert s["points_to_next"] == pytest.approx(91.68 - 91.59)
    assert qp.cross_index("hn-noivu", 2022)[0]["status"] in {"not_listed", "no_edition"}


def test_merged_province_history_is_kept_per_predecessor():
    hist = qp.unit_history(["p02", "p08"])
    assert set(hist.unit_id) == {"p02", "p08"}
    assert qp.unit_history("p08-2025").empty
    assert qp.unit_indices(["p02", "p08"])[:2] == ["papi", "pci"]
    # never averaged: one row per unit and edition
    assert not hist.duplicated(["unit_id", "edition_id"]).any()
