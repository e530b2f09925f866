"""PAPI 2020–2024, PCI 2020–2024 and the additional PAR/SIPAS facts (issue 13), checked against the source files.

Every value of every source row is compared with the shipped Parquet (not a sample); what is left out is
checked to be left out for the stated reason."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from cchc_data.parquet_io import parquet_views

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
SRC = DATA / "sources" / "indices"


def _csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def con():
    c = parquet_views(DATA, ("sources", "editions", "units", "unit_names", "components", "scores", "results"))
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


# ---------------------------------------------------------------- PCI
PCI_SUBINDEX = {
    "Gia nhập thị trường": "entry",
    "Tiếp cận đất đai": "land",
    "Tính minh bạch": "transparency",
    "Chi phí thời gian": "time",
    "Chi phí không chính thức": "informal",
    "Cạnh tranh bình đẳng": "bias",
    "Tính năng động": "proactive",
    "Chính sách hỗ trợ doanh nghiệp": "support",
    "Đào tạo lao động": "labor",
    "Thiết chế pháp lý": "legal",
}


def _pci_rows() -> list[dict]:
    return _csv(SRC / "pci_2020_2024" / "pci_2020_2024.csv")


def _province_ids(con) -> dict[str, str]:
    """Printed province names -> unit ids, through the shipped unit_names (every spelling the build knows)."""
    from cchc_data.textnorm import name_key

    rows = con.sql("""SELECT n.name, n.unit_id FROM unit_names n
                       JOIN units u USING (unit_id) WHERE u.kind = 'province' AND u.valid_from IS NULL""").fetchall()
    return {name_key(name): uid for name, uid in rows}


def _host(url: str) -> str:
    from urllib.parse import urlparse

    return urlparse(url).netloc


def test_pci_every_printed_value_is_shipped_or_named_as_a_disagreement(con):
    from cchc_data.textnorm import name_key

    ids = _province_ids(con)
    rows = _pci_rows()
    assert len(rows) == 812
    results = {(int(e[4:]), u): r for e in (f"pci-{y}" for y in range(2020, 2025)) for u, r in _results(con, e).items()}
    scores = {}
    for y in range(2020, 2025):
        for (u, c), s in _scores(con, f"pci-{y}").items():
            scores[(y, u, c)] = s
    expected_scores = {}
    for r in rows:
        year, uid = int(r["year"]), ids[name_key(r["province_vi"])]
        if r["subindex_name"]:
            expected_scores[(year, uid, PCI_SUBINDEX[r["subindex_name"]])] = float(r["subindex_score"])
            continue
        total, rank, official, sid, note, note_vi = results[(year, uid)]
        assert note and note_vi
        for field, shipped, as_num in (("total", total, float), ("rank", rank, int)):
            if not r[field]:
                continue
            if shipped is not None and as_num(r[field]) == shipped:
                continue
            # a value that is not shipped is named in the note as a disagreement, with its source
            assert shipped is not None and "Disagreement" in note and _host(r["source_url"]) in note, (year, uid, r)
            assert r[field] in note and r[field] in note_vi
        if rank is not None:
            assert official  # PCI ranks are printed ones; none computed for a partial table
    assert scores == expected_scores  # every sub-index value, nothing more


def test_pci_2020_complete_with_official_ranks_from_the_ranking_table(con):
    from cchc_data.textnorm import name_key

    ids = _province_ids(con)
    table = [r for r in _pci_rows() if r["year"] == "2020" and "bang-xep-hang" in r["source_url"]]
    assert len(table) == 63
    results = _results(con, "pci-2020")
    assert len(results) == 63 and all(r[2] for r in results.values())
    for r in table:
        total, rank, *_ = results[ids[name_key(r["province_vi"])]]
        assert (total, rank) == (float(r["total"]), int(r["rank"]))
    assert con.sql("SELECT completeness FROM editions WHERE edition_id='pci-2020'").fetchall() == [("complete",)]
    partial = con.sql(
        "SELECT DISTINCT completeness FROM editions WHERE edition_id IN ('pci-2021','pci-2022','pci-2023','pci-2024')"
    ).fetchall()
    assert partial == [("partial",)]


def test_pci_disagreements_ship_the_primary_publishers_value(con):
    qn = _results(con, "pci-2021")["p22"]
    assert qn[0] == 73.02 and qn[1] == 1 and qn[3] == "web-www-pcivietnam-vn-bang-chi-so-cac-tinh-thanh-viet-nam"
    assert "70.02" in qn[4] and "en.vietnamplus.vn" in qn[4] and "70.02" in qn[5]
    dt = _results(con, "pci-2022")["p87"]
    assert dt[0] == 69.68 and "69.98" in dt[4] and "english.baoquangninh.vn" in dt[4]
    assert dt[3] == "web-investinquangninh-vn-vi-pci"  # no VCCI page: the provincial government's portal
    # Trà Vinh 2023 rank 24 is derived by the transcriber (not printed): not shipped
    assert "p84" not in _results(con, "pci-2023")


def test_pci_top_30_rule_is_a_publication_rule_not_missing_data(con):
    notes = dict(
        con.sql(
            "SELECT edition_id, method_note || ' | ' || method_note_vi FROM editions "
            "WHERE index_code = 'pci' AND year >= 2021"
        ).fetchall()
    )
    for eid, note in notes.items():
        has_rule = "top 30 only" in note and "30 tỉnh, thành phố đứng đầu" in note
        assert has_rule == (eid >= "pci-2023"), eid
    qt = _results(con, "pci-2023")["p45"]  # Quảng Trị: printed N/A
    assert qt[0] is None and qt[1] is None
    assert "Not published (top 30 only)" in qt[4] and "chỉ công bố 30 tỉnh đứng đầu" in qt[5]
    assert len([c for (u, c) in _scores(con, "pci-2023") if u == "p45"]) == 10
    ranked_out = [
        (e, u, r[1])
        for e in ("pci-2023", "pci-2024")
        for u, r in _results(con, e).items()
        if r[1] is not None and r[1] > 30
    ]
    assert ranked_out == [("pci-2023", "p40", 44)]  # Nghệ An, from its provincial report, said so in the note
    assert "province's own report" in _results(con, "pci-2023")["p40"][4]


def test_pci_business_support_is_one_component_renamed_in_2021(con):
    names = dict(
        con.sql(
            "SELECT edition_id, name_vi || ' / ' || name_en FROM components "
            "WHERE component_id = 'support' AND edition_id LIKE 'pci-20%'"
        ).fetchall()
    )
    assert names["pci-2019"].startswith("Dịch vụ hỗ trợ doanh nghiệp") and names["pci-2020"] == names["pci-2019"]
    for y in range(2021, 2025):
        assert names[f"pci-{y}"] == "Chính sách hỗ trợ doanh nghiệp / Business support policy"
    en, vi = con.sql("SELECT method_note, method_note_vi FROM editions WHERE edition_id = 'pci-2021'").fetchall()[0]
    assert "Dịch vụ hỗ trợ doanh nghiệp" in en and "Chính sách hỗ trợ doanh nghiệp" in en and "renamed" in en
    assert "Dịch vụ hỗ trợ doanh nghiệp" in vi and "đổi tên" in vi
    ids = {
        r[0]
        for r in con.sql("SELECT DISTINCT component_id FROM components WHERE edition_id LIKE 'pci-202%'").fetchall()
    }
    assert ids == set(PCI_SUBINDEX.values())


def test_pci_sources_have_real_titles_and_only_printed_dates(con):
    rows = con.sql("""SELECT DISTINCT s.source_id, s.title, s.url, s.published_on, s.note_vi FROM results r
                      JOIN sources s USING (source_id) WHERE r.edition_id LIKE 'pci-202%'""").fetchall()
    assert len(rows) > 10
    for sid, title, url, published, note_vi in rows:
        assert title and _host(url) != title and not re.fullmatch(r"\S+ \((PCI|SIPAS) \d{4}\)", title), sid
        assert note_vi
    dated = {url: published for _, _, url, published, _ in rows if published}
    assert (
        dated["https://plo.vn/long-an-but-pha-manh-me-dung-thu-2-ve-chi-so-pci-2023-post789709.html"].isoformat()
        == "2024-05-09"
    )
    assert all(published.year >= 2021 for published in dated.values())  # PCI 2020 came out in 2021


def test_overview_latest_pci_card_shows_2024_and_its_leader():
    from cchc_data import queries as q

    latest = q.latest_editions()
    pci = latest[latest.index_code == "pci"]
    assert list(pci.year) == [2024] and list(pci.completeness) == ["partial"] and list(pci.unit_id) == ["p31"]


# ---------------------------------------------------------------- PAR / SIPAS additional facts
def _unit_ids(con, kind: str) -> dict[str, str]:
    from cchc_data.textnorm import name_key

    rows = con.execute(
        """SELECT n.name, n.unit_id FROM unit_names n
            JOIN units u USING (unit_id) WHERE u.kind = ? AND u.valid_from IS NULL""",
        [kind],
    ).fetchall()
    return {name_key(name): uid for name, uid in rows}


def test_every_additional_fact_is_shipped_or_left_out_with_its_reason(con):
    from cchc_data.textnorm import name_key

    rows = _csv(SRC / "par_sipas_additional_facts.csv")
    assert len(rows) == 31
    ids = {"province": _unit_ids(con, "province"), "ministry": _unit_ids(con, "ministry")}
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    shipped = left_out = 0
    for r in rows:
        year = int(r["year"])
        if r["unit_level"] in ("region", "national") or not r["source_url"].startswith("http"):
            left_out += 1
            continue
        uid = ids[r["unit_level"]][name_key(r["unit_name"])]
        if r["index"] == "PAR_INDEX_component_TTHC":
            score = _scores(con, f"par-{year}")[(uid, "administrative_procedures")]
            assert score == float(r["value"])
            note, note_vi = _results(con, f"par-{year}")[uid][4:6]
            assert r["value"] in note and r["value"] in note_vi
        else:
            index = "sipas" if r["index"] == "SIPAS" else "par"
            total, rank, official, sid, note, note_vi = _results(con, f"{index}-{year}")[uid]
            assert total == (float(r["value"]) if r["value"] else None) or (total is not None and not r["value"])
            if r["rank"]:
                assert rank == int(r["rank"]) and official
        shipped += 1
    assert (shipped, left_out) == (26, 5)  # 11 component scores, 7 SIPAS, 8 cross-checks; 5 left out
    # the left-out rows are named in the data docs, with why
    for words in ("regional", "national mean", "Lâm Đồng 2024", "GitHub"):
        assert words in readme, words
    assert _results(con, "par-2024").get("p68", (None,))[0] != 83.1  # Lâm Đồng 2024 (secondary text) not shipped


def test_mic_component_and_its_2022_rank_cite_the_ministrys_own_page(con):
    mic = "web-mic-gov-vn-nam-2022-chi-so-cai-cach-tthc-cua-bo-tttt-xep-hang-cao-nhat-tu-truoc-"
    title, published = con.execute("SELECT title, published_on FROM sources WHERE source_id = ?", [mic]).fetchall()[0]
    assert title.startswith("Năm 2022, chỉ số cải cách TTHC") and published.isoformat() == "2023-04-27"
    comps = con.sql("""SELECT edition_id, unit_group, name_vi FROM components
                       WHERE component_id = 'administrative_procedures' ORDER BY 1""").fetchall()
    assert [c[0] for c in comps] == [f"par-{y}" for y in range(2012, 2023)]
    assert {(g, n) for _, g, n in comps} == {("ministries", "Cải cách thủ tục hành chính")}
    row = _results(con, "par-2022")["m-mic"]
    assert row[1] == 5 and row[2] and row[3] == mic and "3 of 17" in row[4] and "3/17" in row[5]
    assert _results(con, "par-2012")["m-mic"][0] is None  # the total was not printed: no value made up
    notes = con.sql("SELECT method_note, method_note_vi FROM editions WHERE edition_id = 'par-2014'").fetchall()[0]
    assert "mic.gov.vn" in notes[0] and "mic.gov.vn" in notes[1]


def test_sipas_2023_rows_added_and_quang_ninh_gets_its_printed_score(con):
    sipas = _results(con, "sipas-2023")
    assert {u: (r[0], r[1]) for u, r in sipas.items()} == {
        "p01": (None, 21),
        "p22": (90.61, 1),
        "p19": (90.29, 2),
        "p30": (90.23, 3),
        "p64": (83.84, 19),
    }
    assert "nvsk.vnanet.vn" in sipas["p22"][4] and "nvsk.vnanet.vn" in sipas["p22"][5]


def test_rankings_queries_papi_2024_and_pci_2020():
    from cchc_data.queries import rankings as qr

    papi = qr.ranking("papi-2024", "provinces", "papi", 2024)
    assert len(papi) == 63 and papi.total.notna().sum() == 61
    gaps = papi[papi.total.isna()]
    assert set(gaps.unit_id) == PAPI_GAPS[2024] and gaps["rank"].isna().all()
    assert not papi.rank_official.fillna(False).any()  # computed ranks
    pci = qr.ranking("pci-2020", "provinces", "pci", 2020)
    assert len(pci) == 63 and pci.rank_official.all() and sorted(pci["rank"]) == list(range(1, 64))
    assert pci.prev_total.notna().all()  # compared with PCI 2019, the previous edition


def test_papi_indicator_ids_are_stable_from_2022_to_2023(con):
    """The same indicator keeps its id (2022's label "Communce" is a typo of 2023's "Commune"); 2023 adds two."""
    ids = {
        y: {
            r[0]
            for r in con.execute(
                "SELECT component_id FROM components WHERE edition_id = ? AND level = 'criterion'", [f"papi-{y}"]
            ).fetchall()
        }
        for y in (2022, 2023)
    }
    assert ids[2022] <= ids[2023]
    added = {
        r[0]
        for r in con.execute(
            "SELECT name_en FROM components WHERE edition_id = 'papi-2023' AND component_id IN (SELECT unnest(?))",
            [sorted(ids[2023] - ids[2022])],
        ).fetchall()
    }
    assert added == {"Used Online Government Service Portal", "Able to Pay for Service Online"}
