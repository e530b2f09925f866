"""Checks over the shipped data in data/*.parquet (issue 2)."""

import csv
import json

import pyarrow.parquet as pq
import pytest

from cchc_data.build.main import build_tables
from cchc_data.parquet_io import parquet_views
from cchc_data.paths import SHIPPED_DATA_DIR, TABLES
from cchc_data.schema import PRIMARY_KEYS, SCHEMAS

SRC = SHIPPED_DATA_DIR / "sources"


@pytest.fixture(scope="module")
def con():
    c = parquet_views(SHIPPED_DATA_DIR)
    yield c
    c.close()


def test_committed_parquet_equals_a_fresh_build():
    fresh = build_tables(SRC)
    for name in TABLES:
        committed = pq.read_table(SHIPPED_DATA_DIR / f"{name}.parquet")
        assert committed.schema.equals(SCHEMAS[name]), name
        assert committed.equals(fresh[name]), (
            f"{name}.parquet differs from a fresh build: run `python -m cchc_data build`"
        )


def test_manifest_lists_every_table_with_its_hash():
    import hashlib

    manifest = json.loads((SHIPPED_DATA_DIR / "manifest.json").read_text())
    for name in TABLES:
        digest = hashlib.sha256((SHIPPED_DATA_DIR / f"{name}.parquet").read_bytes()).hexdigest()
        assert manifest["tables"][name]["sha256"] == digest


@pytest.mark.parametrize("table", sorted(PRIMARY_KEYS))
def test_primary_keys_are_unique(con, table):
    keys = ", ".join(PRIMARY_KEYS[table])
    dupes = con.sql(f"SELECT {keys}, count(*) n FROM {table} GROUP BY ALL HAVING n > 1").fetchall()
    assert dupes == []


def test_every_result_and_score_has_an_edition_whose_source_resolves(con):
    orphans = con.sql("""
        SELECT 'results', edition_id FROM results WHERE edition_id NOT IN (SELECT edition_id FROM editions)
        UNION ALL SELECT 'scores', edition_id FROM scores WHERE edition_id NOT IN (SELECT edition_id FROM editions)
        UNION ALL SELECT 'editions', edition_id FROM editions WHERE source_id NOT IN (SELECT source_id FROM sources)
        UNION ALL SELECT 'results.source', edition_id FROM results WHERE source_id NOT IN (SELECT source_id FROM sources)
        UNION ALL SELECT 'results.unit', unit_id FROM results WHERE unit_id NOT IN (SELECT unit_id FROM units)
        UNION ALL SELECT 'scores.unit', unit_id FROM scores WHERE unit_id NOT IN (SELECT unit_id FROM units)
        UNION ALL SELECT 'scores.component', s.edition_id || ':' || s.component_id FROM scores s
            ANTI JOIN components c USING (edition_id, component_id)
    """).fetchall()
    assert orphans == []


def test_papi_dimensions_equal_the_sum_of_their_sub_dimensions(con):
    worst = con.sql("""
        SELECT max(abs(d.score - s.sub_sum)) FROM scores d
        JOIN (SELECT s.edition_id, s.unit_id, c.parent_component_id, sum(s.score) sub_sum
              FROM scores s JOIN components c USING (edition_id, component_id)
              WHERE c.level = 'sub_dimension' AND s.edition_id LIKE 'papi-%' GROUP BY ALL) s
          ON s.edition_id = d.edition_id AND s.unit_id = d.unit_id AND s.parent_component_id = d.component_id
        -- the 2022 workbook's own figure: Hà Nội's participation 5.82545 vs its sub-dimensions' 5.82614 (data/README.md)
        WHERE NOT (d.edition_id = 'papi-2022' AND d.unit_id = 'p01' AND d.component_id = 'participation_at_local_levels')
    """).fetchall()[0][0]
    assert worst is not None and worst < 1e-4


def test_papi_totals_equal_the_sum_of_dimensions(con):
    worst = con.sql("""
        SELECT max(abs(r.total - d.s)) FROM results r JOIN (
            SELECT s.edition_id, s.unit_id, sum(s.score) s FROM scores s JOIN components c USING (edition_id, component_id)
            WHERE c.level = 'dimension' AND s.edition_id LIKE 'papi-%' GROUP BY ALL) d USING (edition_id, unit_id)
    """).fetchall()[0][0]
    assert worst < 1e-3


def test_official_ranks_agree_with_the_order_of_totals(con):
    contradictions = con.sql("""
        SELECT a.edition_id, a.unit_id, a.rank, a.total, b.unit_id, b.rank, b.total
        FROM results a JOIN results b ON a.edition_id = b.edition_id AND a.unit_group = b.unit_group
        WHERE a.rank_official AND b.rank_official AND a.rank < b.rank AND a.total < b.total
    """).fetchall()
    assert contradictions == []


def test_computed_ranks_only_on_complete_editions(con):
    bad = con.sql("""SELECT r.edition_id, r.unit_id FROM results r JOIN editions e USING (edition_id)
                     WHERE e.completeness = 'partial' AND r.rank IS NOT NULL AND NOT r.rank_official""").fetchall()
    assert bad == []


def test_province_admin_codes_exist_in_the_boundary_files(con):
    codes63 = {
        f["properties"]["ma_tinh"]
        for f in json.loads((SRC / "geo" / "vn_provinces_63.geojson").read_text())["features"]
    }
    codes34 = {
        f["properties"]["ma_tinh_2025"]
        for f in json.loads((SRC / "geo" / "vn_provinces_34_2025.geojson").read_text())["features"]
    }
    rows = con.sql(
        "SELECT unit_id, admin_code, valid_from FROM units WHERE kind = 'province' AND admin_code IS NOT NULL"
    ).fetchall()
    missing = [
        (uid, code) for uid, code, valid_from in rows if code not in (codes34 if valid_from is not None else codes63)
    ]
    assert missing == []
    assert len([r for r in rows if r[2] is None]) == 63
    assert (
        len({r[1] for r in rows if r[2] is not None} | {r[1] for r in rows if r[2] is None and r[1] in codes34}) == 34
    )


def _facts():
    with open(SRC / "indices" / "par_sipas_published_facts.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


INDEX_OF = {"PAR_INDEX": "par", "SIPAS": "sipas", "PCI": "pci", "PAPI": "papi"}


def test_published_spot_check_facts_match_the_store(con):
    checked = 0
    for fact in _facts():
        if not fact["ma_tinh"]:
            continue
        row = con.sql(
            """SELECT total, rank, rank_official FROM results
                         WHERE edition_id = ? AND unit_id = ?""",
            params=[f"{INDEX_OF[fact['index']]}-{fact['year']}", f"p{fact['ma_tinh']}"],
        ).fetchall()
        if not row:
            continue
        total, rank, official = row[0]
        if fact["value"] and total is not None:
            assert abs(total - float(fact["value"])) < 0.006, fact
            checked += 1
        if fact["rank"] and rank is not None and (official or fact["index"] == "PCI"):
            assert rank == int(fact["rank"]), fact
            checked += 1
    assert checked >= 12


def test_merger_lineage_covers_every_pre_2025_province(con):
    n = con.sql("""SELECT count(DISTINCT predecessor_unit_id) FROM unit_lineage WHERE effective_on = DATE '2025-07-01'
                   AND predecessor_unit_id IN (SELECT unit_id FROM units WHERE kind = 'province')""").fetchall()[0][0]
    unchanged = con.sql("""SELECT count(*) FROM units WHERE kind='province' AND valid_from IS NULL
                           AND valid_to IS NULL AND admin_code IS NOT NULL""").fetchall()[0][0]
    assert n + unchanged == 63
    assert (
        con.sql("SELECT successor_unit_id FROM unit_lineage WHERE predecessor_unit_id = 'p-hatay'").fetchall()[0][0]
        == "p01"
    )


def test_partial_tables_are_marked_partial_and_never_filled(con):
    rows = con.sql(
        """SELECT edition_id, completeness FROM editions WHERE index_code IN ('par', 'par_hanoi', 'sipas')"""
    ).fetchall()
    assert rows and all(c == "partial" for _, c in rows)
    # Hà Nội 2022: the Tài nguyên và Môi trường score was not legible, so it stays empty.
    assert con.sql("SELECT total FROM results WHERE edition_id='par_hanoi-2022' AND unit_id='hn-tnmt'").fetchall() == [
        (None,)
    ]


def test_papi_2019_ben_tre_first_and_gaps_kept(con):
    assert con.sql("SELECT unit_id FROM results WHERE edition_id='papi-2019' AND rank=1").fetchall()[0][0] == "p83"
    gaps = con.sql("SELECT unit_id FROM results WHERE edition_id='papi-2014' AND total IS NULL ORDER BY 1").fetchall()
    assert gaps == [("p24",), ("p87",)]
