"""Unit profile analysis and sentences (issue 7): pure functions on hand-built frames, loaders on the tiny
synthetic store. Every frame here is synthetic test data built in code."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from cchc_data import profile_text as pt
from cchc_data.i18n import CATALOGUE
from cchc_data.queries import profile as qp
from cchc_data.queries.rankings import add_tie_bands


def _ranking(totals: dict, ranks: dict | None = None, official: bool = False) -> pd.DataFrame:
    """A ranking frame shaped like queries.ranking (synthetic)."""
    rows = []
    ordered = sorted([(v, k) for k, v in totals.items() if v is not None], reverse=True)
    for uid, total in totals.items():
        if ranks is not None:
            rank = ranks.get(uid)
        else:
            rank = None if total is None else 1 + sum(1 for v, _ in ordered if v > total)
        rows.append(
            {
                "unit_id": uid,
                "total": total,
                "rank": rank,
                "rank_official": official,
                "tier": None,
                "note": None,
                "total_change": float("nan"),
            }
        )
    df = pd.DataFrame(rows)
    df["rank"] = df["rank"].astype("Int64")
    df["total"] = df["total"].astype("float64")
    return add_tie_bands(df)


COMPLETE = _ranking({"a": 50.0, "b": 45.0, "c": 40.0, "d": 39.995, "e": 30.0})


def test_standing_on_a_complete_table():
    s = qp.standing(COMPLETE, "c", complete=True)
    assert s["rank"] == 3 and s["n_scored"] == 5
    assert s["percentile"] == pytest.approx(50.0)  # above 2 of the 4 others
    assert s["median"] == pytest.approx(40.0)
    assert s["quartile"] == 2
    assert s["points_to_top"] == pytest.approx(10.0)
    assert s["points_to_next"] == pytest.approx(5.0)
    assert s["band"] == (3, 4)  # c and d are less than 0.01 apart


def test_standing_top_and_bottom_quartiles():
    assert qp.standing(COMPLETE, "a", True)["quartile"] == 1
    assert qp.standing(COMPLETE, "a", True)["points_to_top"] == 0
    assert qp.standing(COMPLETE, "e", True)["percentile"] == 0
    assert qp.standing(COMPLETE, "e", True)["quartile"] == 4


def test_standing_on_a_partial_table_computes_no_percentile_or_median():
    partial = _ranking({"a": 90.0, "b": 85.0, "z": 70.0}, ranks={"a": 1, "b": 2, "z": None}, official=True)
    s = qp.standing(partial, "b", complete=False)
    assert s["rank"] == 2 and s["percentile"] is None and s["median"] is None and s["quartile"] is None
    assert s["points_to_top"] == pytest.approx(5.0)  # the printed rank 1 is known
    no_leader = _ranking({"b": 85.0, "z": 70.0}, ranks={"b": 2, "z": None}, official=True)
    assert qp.standing(no_leader, "b", complete=False)["points_to_top"] is None


def test_standing_of_a_unit_without_figures():
    df = _ranking({"a": 50.0, "gap": None})
    s = qp.standing(df, "gap", True)
    assert s["total"] is None and s["rank"] is None and s["percentile"] is None
    assert qp.standing(df, "absent", True) is None


def _scores(rows):
    return pd.DataFrame(rows, columns=["unit_id", "component_id", "name_vi", "name_en", "position", "score"])


def _comps(ids):
    return pd.DataFrame(
        {
            "component_id": ids,
            "name_vi": [f"{i} vi" for i in ids],
            "name_en": [f"{i} en" for i in ids],
            "position": range(1, len(ids) + 1),
        }
    )


def test_component_gaps_and_strengths_weaknesses():
    rows = []
    for uid, (x, y, z) in {"u": (8, 2, 5), "v": (5, 5, 5), "w": (4, 6, 5)}.items():
        rows += [(uid, "x", "x vi", "x en", 1, x), (uid, "y", "y vi", "y en", 2, y), (uid, "z", "z vi", "z en", 3, z)]
    gaps = qp.component_gaps(_scores(rows), "u", _comps(["x", "y", "z", "missing"]))
    by = gaps.set_index("component_id")
    assert by.loc["x", "gap"] == pytest.approx(3.0) and by.loc["y", "gap"] == pytest.approx(-3.0)
    assert by.loc["z", "gap"] == pytest.approx(0.0)
    assert pd.isna(by.loc["missing", "score"])  # a gap stays a gap
    assert by.loc["x", "rank_in_component"] == 1 and by.loc["y", "rank_in_component"] == 3
    strong, weak = qp.strengths_weaknesses(gaps)
    assert strong.component_id.tolist() == ["x"] and weak.component_id.tolist() == ["y"]


def _change_inputs(prev_totals, cur_totals, prev_scores, cur_scores):
    prev_rk, cur_rk = _ranking(prev_totals), _ranking(cur_totals)
    ps = _scores([(u, c, c, c, i, v) for u, comps in prev_scores.items() for i, (c, v) in enumerate(comps.items())])
    cs = _scores([(u, c, c, c, i, v) for u, comps in cur_scores.items() for i, (c, v) in enumerate(comps.items())])
    pc = _comps(list(next(iter(prev_scores.values()))))
    cc = _comps(list(next(iter(cur_scores.values()))))
    return prev_rk, cur_rk, ps, cs, pc, cc


def test_rank_change_additive_with_an_added_component_sums_exactly():
    prev = {"u": {"x": 3.0, "y": 2.0}, "v": {"x": 4.0, "y": 4.0}, "w": {"x": 1.0, "y": 1.0}}
    cur = {
        "u": {"x": 2.5, "y": 2.5, "new": 4.0},
        "v": {"x": 3.0, "y": 3.0, "new": 1.0},
        "w": {"x": 2.0, "y": 2.0, "new": 1.0},
    }
    pt_ = {u: sum(v.values()) for u, v in prev.items()}
    ct_ = {u: sum(v.values()) for u, v in cur.items()}
    args = _change_inputs(pt_, ct_, prev, cur)
    ch = qp.rank_change(*args[:2], "u", *args[2:], True, True)
    assert ch["additive"] and not ch["weighted"]
    assert ch["added"] == ["new"] and ch["dropped"] == []
    assert ch["contributions"].contribution.sum() == pytest.approx(ch["delta_total"])
    assert ch["delta_total"] == pytest.approx(4.0)
    # u: 5 -> 9 (rank 2 -> 1); v: 8 -> 7 (was ahead, now behind); w: 2 -> 5 (behind before and after)
    assert ch["prev_rank"] == 2 and ch["cur_rank"] == 1 and ch["delta_rank"] == 1
    assert ch["passed"] == 0 and ch["fell_behind"] == 1 and ch["n_common"] == 2


def test_rank_change_weighted_totals_do_not_pretend_to_add_up():
    prev = {"u": {"x": 3.0}, "v": {"x": 4.0}}
    cur = {"u": {"x": 5.0}, "v": {"x": 4.0}}
    args = _change_inputs({"u": 60.0, "v": 70.0}, {"u": 75.0, "v": 70.0}, prev, cur)
    ch = qp.rank_change(*args[:2], "u", *args[2:], True, True)
    assert not ch["additive"] and ch["weighted"]
    assert ch["passed"] == 0 and ch["fell_behind"] == 1
    text = " ".join(pt.change_sentences("U", "PCI", 2018, 2019, ch, "en"))
    assert "weighted" in text


def test_rank_change_partial_tables_count_no_movers():
    prev = {"u": {"x": 3.0}, "v": {"x": 4.0}}
    args = _change_inputs({"u": 3.0, "v": 4.0}, {"u": 5.0, "v": 4.0}, prev, prev)
    ch = qp.rank_change(*args[:2], "u", *args[2:], False, True)
    assert ch["passed"] is None and ch["fell_behind"] is None
    assert any("partial" in s for s in pt.change_sentences("U", "PAR", 2018, 2019, ch, "en"))


def test_divergence_needs_top10_on_one_and_bottom_quarter_on_another():
    rows = [
        {"index_code": "par", "rank": 2, "percentile": None, "n_scored": 6},
        {"index_code": "papi", "rank": 59, "percentile": 6.4, "n_scored": 63},
        {"index_code": "pci", "rank": 9, "percentile": 87.0, "n_scored": 63},
    ]
    div = qp.divergence(rows)
    assert [r["index_code"] for r in div["top"]] == ["par", "pci"]
    assert [r["index_code"] for r in div["bottom"]] == ["papi"]
    assert qp.divergence(rows[:1] + rows[2:]) is None
    labels = {"par": "PAR Index", "papi": "PAPI", "pci": "PCI"}
    assert "PAPI (rank 59 of 63)" in pt.divergence_sentence(div, labels, "en")
    assert "PAPI (hạng 59/63)" in pt.divergence_sentence(div, labels, "vi")


@pytest.mark.parametrize("lang,decimal", [("vi", "41,53"), ("en", "41.53")])
def test_standing_sentences_use_the_language_number_format(lang, decimal):
    s = {
        "total": 41.533,
        "rank": 59,
        "rank_official": False,
        "n_scored": 63,
        "n_listed": 63,
        "complete": True,
        "percentile": 6.45,
        "quartile": 4,
        "median": 43.7287,
        "points_to_next": 0.0033,
        "points_to_top": 5.2098,
        "band": (58, 59),
        "band_size": 2,
    }
    text = " ".join(pt.standing_sentences("X", "PAPI", 2019, s, lang))
    assert decimal in text and "59" in text and "58" in text
    assert ("0,0033" if lang == "vi" else "0.0033") in text  # a gap under 0.01 is not shown as zero
    assert not re.search(r"\{[a-z_]+\}", text)


def test_unit_strings_have_identical_keys_and_placeholders():
    vi = {k: v for k, v in CATALOGUE["vi"].items() if k.startswith("unit.")}
    en = {k: v for k, v in CATALOGUE["en"].items() if k.startswith("unit.")}
    assert vi.keys() == en.keys() and len(vi) > 50
    for key in vi:
        assert set(re.findall(r"\{(\w+)\}", vi[key])) == set(re.findall(r"\{(\w+)\}", en[key])), key


def test_loaders_on_the_tiny_store(tiny_data):
    hist = qp.unit_history("p01")
    assert hist.edition_id.tolist() == ["papi-2018", "papi-2019"]
    assert hist.percentile.tolist() == pytest.approx([100 / 3, 100.0])
    got = qp.edition_standing("p01", "papi", 2019)
    s = got["standing"]
    assert s["rank"] == 1 and s["band"] == (1, 2)  # 43.0 vs 42.995: within 0.01
    ch = qp.edition_change("p01", "papi", 2019, "provinces")["change"]
    assert ch["added"] == ["e_governance"] and ch["additive"]
    assert ch["contributions"].contribution.sum() == pytest.approx(3.0, abs=1e-3)  # fixture scores are rounded
    assert ch["passed"] == 0 and ch["fell_behind"] == 2
    assert qp.edition_standing("p02", "papi", 2019)["standing"]["total"] is None
    assert qp.unit_indices(["p02"]) == ["papi"]
    rows = qp.cross_index("p01", 2019)
    assert [r["status"] for r in rows] == ["no_edition", "ok", "no_edition", "no_edition"]


@pytest.mark.parametrize(
    "row,lang,expected",
    [
        ({"legal_basis": "Nghị quyết 1/2025", "legal_basis_en": "Resolution 1/2025"}, "en", "Resolution 1/2025"),
        ({"legal_basis": "Nghị quyết 1/2025", "legal_basis_en": "Resolution 1/2025"}, "vi", "Nghị quyết 1/2025"),
        ({"legal_basis": "Nghị quyết 1/2025", "legal_basis_en": None}, "en", "Nghị quyết 1/2025"),  # no rendering
        ({"legal_basis": "Nghị quyết 1/2025"}, "en", "Nghị quyết 1/2025"),  # a store from before the column
        ({"legal_basis": None, "legal_basis_en": None}, "vi", "–"),
    ],
)
def test_legal_basis_follows_the_page_language_and_falls_back_to_the_title(row, lang, expected):
    assert pt.legal_basis(pd.Series(row), lang) == expected


def test_lineage_sentences_quote_the_basis_in_the_page_language():
    succs = pd.DataFrame(
        [
            {
                "successor_unit_id": "x2",
                "name_vi": "Tỉnh Mới",
                "name_en": "New Province",
                "kind": "province",
                "effective_on": pd.Timestamp("2025-07-01"),
                "legal_basis": "Nghị quyết 9/2025 (tổng hợp)",
                "legal_basis_en": "Resolution 9/2025 (synthetic)",
            }
        ]
    )
    en = pt.merged_into_sentence("Old", succs, "en")
    vi = pt.merged_into_sentence("Cũ", succs, "vi")
    assert "Resolution 9/2025 (synthetic)" in en and "Nghị quyết" not in en
    assert "Nghị quyết 9/2025 (tổng hợp)" in vi and "Resolution" not in vi
