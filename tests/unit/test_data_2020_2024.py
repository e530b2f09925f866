"""PAPI 2020–2024, PCI 2020–2024 and the additional PAR/SIPAS facts (issue 13), checked against the source files.

Every value of every source row is compared with the shipped Parquet (not a sample); what is left out is
checked to be left out for the stated reason."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
SRC = DATA / "sources" / "indices"


def _csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def con():
    c = duckdb.connect()
    for name in ("sources", "editions", "units", "components", "scores", "results"):
        c.sql(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{DATA / (name + '.parquet')}')")
    yield c
    c.close()


def _scores(con, edition_id: str) -> dict[tuple[str, str], float]:
    rows = con.execute("SELECT unit_id, component_id, score FROM scores WHERE edition_id = ?", [edition_id]).fetchall()
    return {(u, c): s for u, c, s in rows}


def _results(con, edition_id: str) -> dict[str, tuple]:
    rows = con.execute(
        "SELECT unit_id, total, rank, rank_official, source_id, note, note_vi FROM results WHERE edition_id = ?",
        [edition_id],
    ).fetchall()
    return {r[0]: r[1:] for r in rows}


# ---------------------------------------------------------------- PAPI
PAPI_GAPS = {
    2021: {"p24", "p27", "p22"},  # Bắc Giang, Bắc Ninh, Quảng Ninh
    2022: {"p24", "p27"},  # Bắc Giang, Bắc Ninh (zeros in the source)
    2023: {"p22", "p74"},  # Quảng Ninh, Bình Dương
    2024: {"p26", "p82"},  # Vĩnh Phúc, Tiền Giang
}
WIDE = (
    "D1_participation",
    "D2_transparency",
    "D3_vertical_accountability",
    "D4_control_of_corruption",
    "D5_public_admin_procedures",
    "D6_public_service_delivery",
    "D7_environmental_governance",
    "D8_e_governance",
)


def _papi_2019_dimensions(con) -> list[str]:
    return [
        r[0]
        for r in con.sql(
            "SELECT component_id FROM components WHERE edition_id = 'papi-2019' "
            "AND level = 'dimension' ORDER BY position"
        ).fetchall()
    ]


def test_papi_2020_2021_2024_every_dimension_and_total_as_in_the_source(con):
    dims = _papi_2019_dimensions(con)
    rows = _csv(SRC / "papi_2020_2024" / "papi_2020_2021_2024_dimensions_wide.csv")
    assert len(rows) == 189
    for year in (2020, 2021, 2024):
        eid = f"papi-{year}"
        scores, results = _scores(con, eid), _results(con, eid)
        year_rows = [r for r in rows if int(r["year"]) == year]
        expected_scores = {}
        for r in year_rows:
            uid = "p" + r["ma_tinh"]
            for col, cid in zip(WIDE, dims):
                if r[col]:
                    expected_scores[(uid, cid)] = float(r[col])
            total = results[uid][0]
            if r["papi_unweighted_official"]:
                assert total == float(r["papi_unweighted_official"])
            else:
                assert total is None
        assert scores == expected_scores  # every value, nothing more
        assert set(results) == {"p" + r["ma_tinh"] for r in year_rows} and len(results) == 63


def _clean(text: str) -> str:
    text = re.sub(r"^(?:Dimension|Chỉ số nội dung)\s+\d+\s*:\s*|^\d+\.\d+\s*:\s*", "", text)
    return re.sub(r"\s+", " ", text.replace("(*)", "").replace("*", "")).strip()


def test_papi_2022_2023_every_workbook_value_is_shipped(con):
    """Each non-empty dimension / sub-dimension / indicator cell is a score of the component of the same
    (cleaned) name and level; the unweighted total is the result; nothing else is in scores."""
    rows = _csv(SRC / "papi_2020_2024" / "papi_2022_2023_long.csv")
    assert len(rows) == 20412
    level_of = {"dimension": "dimension", "sub_dimension": "sub_dimension", "indicator": "criterion"}
    for year in (2022, 2023):
        eid = f"papi-{year}"
        comps = con.execute(
            "SELECT component_id, level, name_en, parent_component_id FROM components WHERE edition_id = ?", [eid]
        ).fetchall()
        by_name = {}
        for cid, level, name_en, _parent in comps:
            assert (level, name_en) not in by_name, (level, name_en)
            by_name[(level, name_en)] = cid
        scores, results = _scores(con, eid), _results(con, eid)
        expected = {}
        for r in rows:
            if int(r["year"]) != year:
                continue
            uid = "p" + r["ma_tinh"]
            if r["level"] in level_of and r["score"] and r["indicator_en"] != "Observations":
                cid = by_name[(level_of[r["level"]], _clean(r["indicator_en"]))]
                expected[(uid, cid)] = float(r["score"])
            if r["level"] == "total" and r["indicator_en"] == "Unweighted PAPI Score":
                assert results[uid][0] == (float(r["score"]) if r["score"] else None), (year, uid)
        assert scores == expected
        assert len(results) == 63


def test_papi_2022_2023_agree_with_the_derived_wide_file(con):
    for r in _csv(SRC / "papi_2020_2024" / "papi_2022_2023_dimensions_wide.csv"):
        total = _results(con, f"papi-{r['year']}")["p" + r["ma_tinh"]][0]
        assert total == (float(r["papi_unweighted"]) if r["papi_unweighted"] else None)
        assert r["papi_weighted"] == "" or int(r["year"]) == 2023  # 2022's weighted score is blank: not shipped


def test_papi_sub_dimensions_keep_the_2019_ids_by_workbook_number(con):
    subs19 = con.sql("SELECT component_id FROM components WHERE edition_id='papi-2019' AND level='sub_dimension'")
    subs19 = {r[0] for r in subs19.fetchall()}
    for year in (2022, 2023):
        subs = {
            r[0]
            for r in con.execute(
                "SELECT component_id FROM components WHERE edition_id = ? AND level = 'sub_dimension'", [f"papi-{year}"]
            ).fetchall()
        }
        assert subs == subs19 - {"public_administrative_procedures.construction_permits"}  # 5.2 not in the sheet
        assert "public_administrative_procedures.land_use_rights_procedures" in subs  # 5.3
    # an indicator sits under the last sub-dimension above it in the sheet
    parent = con.sql("""SELECT parent_component_id FROM components WHERE edition_id='papi-2022'
                        AND level='criterion' AND name_en='Proportion with Civic Knowledge'""").fetchall()
    assert parent == [("participation_at_local_levels.civic_knowledge",)]
    n = con.sql("""SELECT edition_id, count(*) FROM components WHERE level='criterion' AND edition_id LIKE 'papi-%'
                   GROUP BY 1 ORDER BY 1""").fetchall()
    assert n == [("papi-2022", 118), ("papi-2023", 120)]
    names = con.sql("SELECT name_vi || name_en FROM components WHERE edition_id IN ('papi-2022','papi-2023')")
    assert not any("*" in s or re.match(r"^(\d+\.\d+|Dimension|Chỉ số nội dung)", s) for (s,) in names.fetchall())


def test_papi_gaps_have_their_reason_in_both_languages_and_no_rank(con):
    for year in range(2020, 2025):
        results = _results(con, f"papi-{year}")
        gaps = {u for u, r in results.items() if r[0] is None}
        assert gaps == PAPI_GAPS.get(year, set()), year
        for u in gaps:
            total, rank, official, _sid, note, note_vi = results[u]
            assert rank is None and not official
            assert note.startswith(("Not published", "No total published")) and f"PAPI {year}" in note
            assert note_vi.startswith("Không công bố") and f"PAPI {year}" in note_vi
        assert sum(r[0] is not None for r in results.values()) == 63 - len(gaps)
    # 2022 Bắc Giang: no total, but the dimensions the workbook prints are kept
    assert _scores(con, "papi-2022").get(("p24", "vertical_accountability")) is not None


def test_papi_ranks_are_computed_and_match_the_press(con):
    ranked = con.sql("""SELECT edition_id, unit_id, rank, rank_official, total FROM results
                        WHERE edition_id LIKE 'papi-202%' AND rank IS NOT NULL""").fetchall()
    assert ranked and not any(r[3] for r in ranked)  # PAPI prints no ranks
    rank = {(e, u): (k, t) for e, u, k, _, t in ranked}
    assert rank[("papi-2022", "p22")][0] == 1 and rank[("papi-2022", "p22")][1] == pytest.approx(47.8763, abs=1e-4)
    assert rank[("papi-2022", "p74")][0] == 2 and rank[("papi-2022", "p40")][0] == 17
    assert rank[("papi-2023", "p46")][1] == pytest.approx(46.0415, abs=1e-4)
    assert rank[("papi-2023", "p17")] == (20, pytest.approx(43.5493, abs=1e-4))
    assert rank[("papi-2024", "p68")] == (54, pytest.approx(41.0179, abs=1e-4))
    assert rank[("papi-2020", "p87")][1] == pytest.approx(46.961, abs=1e-3)
    assert rank[("papi-2020", "p22")][1] == pytest.approx(48.8114, abs=1e-4)  # not the press typo 48.881


def test_papi_editions_complete_with_notes_in_both_languages(con):
    rows = con.sql("""SELECT e.edition_id, e.completeness, e.method_note, e.method_note_vi, s.title, s.url
                      FROM editions e JOIN sources s USING (source_id)
                      WHERE e.index_code = 'papi' AND e.year >= 2020 ORDER BY 1""").fetchall()
    assert [r[0] for r in rows] == [f"papi-{y}" for y in range(2020, 2025)]
    for eid, completeness, en, vi, title, url in rows:
        assert completeness == "complete" and en and vi and "computed" in en and "tính" in vi
        assert title.startswith("PAPI") and url == "https://papi.org.vn"
    assert "63 provinces" in rows[-1][2] and "63 tỉnh" in rows[-1][3]  # 2024 by the pre-merger provinces


def test_overview_latest_papi_card_shows_2024():
    from cchc_data import queries as q

    latest = q.latest_editions()
    papi = latest[latest.index_code == "papi"]
    assert set(papi.year) == {2024} and set(papi.completeness) == {"complete"}
    rows = [r for r in _csv(SRC / "papi_2020_2024" / "papi_2020_2021_2024_dimensions_wide.csv") if r["year"] == "2024"]
    leader = max((r for r in rows if r["papi_unweighted_official"]), key=lambda r: float(r["papi_unweighted_official"]))
    assert list(papi.unit_id) == ["p" + leader["ma_tinh"]]
