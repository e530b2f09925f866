"""The two-tier system from 1 July 2025: the store holds the 34 provinces and the 3,321 communes of the official
list (data/sources/geo/vn_communes_2025.csv, from vietnamadminunits 1.0.4), with lineage to the districts; the
importer resolves the 2025 names without --new-units.

The 2025 tables here are SYNTHETIC: written in the test in the layout of the published tables (names as the
official list prints them), with made-up figures, imported into a temporary store. No 2025 result is shipped.
"""

from __future__ import annotations

import csv
import random

import pytest

from cchc_data.__main__ import main
from cchc_data.parquet_io import parquet_views
from cchc_data.paths import SHIPPED_DATA_DIR

COMMUNES_CSV = SHIPPED_DATA_DIR / "sources" / "geo" / "vn_communes_2025.csv"


def communes() -> list[dict]:
    with open(COMMUNES_CSV, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def con():
    c = parquet_views(SHIPPED_DATA_DIR, ("units", "unit_names", "unit_lineage", "sources", "results"))
    yield c
    c.close()


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.delenv("CCHC_DATA_DIR", raising=False)
    path = tmp_path / "store"
    monkeypatch.setenv("CCHC_STORE_DIR", str(path))
    return path


def run(capsys, *args) -> tuple[int, str, str]:
    rc = main(["import", *map(str, args)])
    out = capsys.readouterr()
    return rc, out.out, out.err


# ------------------------------------------------------------------ the store
def test_store_holds_34_provinces_and_3321_communes(con):
    assert con.execute("SELECT count(*) FROM units WHERE kind = 'province' AND valid_to IS NULL").fetchone()[0] == 34
    kinds = dict(
        con.execute("""SELECT split_part(name_vi, ' ', 1) || CASE WHEN name_vi LIKE 'Đặc khu %' THEN ' khu' ELSE '' END,
                          count(*) FROM units WHERE kind = 'commune' GROUP BY 1""").fetchall()
    )
    assert kinds == {"Phường": 687, "Xã": 2621, "Đặc khu": 13}
    # Every commune belongs to one of the 34 provinces, from 1 July 2025, with its GSO code; Hà Nội has 126.
    bad = con.execute("""SELECT count(*) FROM units c LEFT JOIN units p ON p.unit_id = c.parent_unit_id
                     WHERE c.kind = 'commune' AND (p.kind IS DISTINCT FROM 'province' OR p.valid_to IS NOT NULL
                           OR c.valid_from <> DATE '2025-07-01' OR c.valid_to IS NOT NULL
                           OR c.unit_id <> 'c' || c.admin_code OR length(c.admin_code) <> 5)""").fetchone()[0]
    assert bad == 0
    by_parent = dict(
        con.execute("SELECT parent_unit_id, count(*) FROM units WHERE kind = 'commune' GROUP BY 1").fetchall()
    )
    assert len(by_parent) == 34 and by_parent["p01"] == 126 and by_parent["p79-2025"] == 168
    # No result is shipped for a commune or for any 2025 edition (none is published).
    assert (
        con.execute("""SELECT count(*) FROM results r JOIN units u USING (unit_id)
                      WHERE u.kind = 'commune' OR r.edition_id LIKE '%-2025'""").fetchone()[0]
        == 0
    )


def test_names_and_source_with_licence(con):
    names = con.execute(
        """SELECT name, lang, name_kind FROM unit_names WHERE unit_id = 'c00070' ORDER BY 1"""
    ).fetchall()
    assert names == [
        ("Hoan Kiem Ward", "en", "official"),
        ("Hoàn Kiếm", "vi", "official_short"),
        ("Phường Hoàn Kiếm", "vi", "official"),
    ]
    title, licence, url = con.execute(
        "SELECT title, licence, url FROM sources WHERE source_id = 'vn-admin-units-2025'"
    ).fetchone()
    assert "3.321" in title and licence.startswith("MIT") and "vietnamadminunits" in url


def test_lineage_districts_to_communes(con):
    preds = {
        r[0]
        for r in con.execute(
            "SELECT predecessor_unit_id FROM unit_lineage WHERE successor_unit_id = 'c00070'"
        ).fetchall()
    }
    assert "d002" in preds  # Quận Hoàn Kiếm → Phường Hoàn Kiếm
    assert {
        r[0]
        for r in con.execute(
            "SELECT predecessor_unit_id FROM unit_lineage WHERE successor_unit_id = 'c09700'"
        ).fetchall()
    } == {"d271"}  # Huyện Ba Vì → Xã Ba Vì
    # Every district of the GSO list of 01/03/2025 flows into at least one commune, every commune has one
    # predecessor district at least, and the district series end on 30 June 2025 as before.
    orphans = con.execute("""SELECT count(*) FROM units c WHERE c.kind = 'commune' AND NOT EXISTS
                         (SELECT 1 FROM unit_lineage l WHERE l.successor_unit_id = c.unit_id)""").fetchone()[0]
    assert orphans == 0
    assert (
        con.execute("""SELECT count(*) FROM units WHERE kind = 'district'
                      AND valid_to IS DISTINCT FROM DATE '2025-06-30'""").fetchone()[0]
        == 0
    )
    kinds = con.execute("""SELECT DISTINCT p.kind, s.kind FROM unit_lineage l JOIN units p ON p.unit_id = l.predecessor_unit_id
                       JOIN units s ON s.unit_id = l.successor_unit_id WHERE s.kind = 'commune'""").fetchall()
    assert kinds == [("district", "commune")]


def test_snapshot_is_the_installed_package_list():
    """The committed CSV is what the installed vietnamadminunits gives (re-run the extraction after an upgrade)."""
    from importlib.metadata import version

    from cchc_data.build.units_2025 import COLUMNS, extract

    if version("vietnamadminunits") != "1.0.4":
        pytest.skip(f"the snapshot is of vietnamadminunits 1.0.4, installed {version('vietnamadminunits')}")
    fresh = extract()
    assert [list(r) for r in fresh[:1]] == [COLUMNS]
    assert fresh == communes()


# ------------------------------------------------------------------ the resolver
@pytest.fixture(scope="module")
def resolver():
    import pyarrow.parquet as pq

    from cchc_data.importer.units import resolver_from_tables

    names = ("units", "unit_names", "unit_lineage")
    return resolver_from_tables({n: pq.read_table(SHIPPED_DATA_DIR / f"{n}.parquet") for n in names})


@pytest.mark.parametrize(
    "name, kind, year, parent, expected",
    [
        ("Phường Hoàn Kiếm", "commune", 2025, "p01", "c00070"),
        ("P. Hoàn Kiếm", "commune", 2025, "p01", "c00070"),
        ("Hoan Kiem ward", "commune", 2025, "p01", "c00070"),
        ("UBND phường Hoàn Kiếm", "commune", 2025, "p01", "c00070"),
        ("Xã Ba Vì", "commune", 2025, "p01", "c09700"),
        ("Ba Vi commune", "commune", 2025, "p01", "c09700"),
        ("Phường Sài Gòn", "commune", 2025, "p79", "c26740"),  # TP.HCM's scope parent p79 → p79-2025
        ("Đặc khu Phú Quốc", "commune", 2025, None, "c31078"),
        ("Tuyên Quang", "province", 2025, None, "p08-2025"),
        ("Tỉnh Tuyên Quang", "province", 2026, None, "p08-2025"),
        ("Tuyên Quang", "province", 2022, None, "p08"),
        ("TP.HCM", "province", 2025, None, "p79-2025"),
        ("TP.HCM", "province", 2024, None, "p79"),
        ("Thành phố Hà Nội", "province", 2025, None, "p01"),
        ("Hà Giang", "province", 2025, None, "p02"),  # merged away: never moved silently to Tuyên Quang
    ],
)
def test_2025_names_resolve(resolver, name, kind, year, parent, expected):
    assert resolver.candidates(name, kind, year=year, parent=parent) == [expected]


def test_a_commune_name_of_another_province_is_not_taken_in_a_city_table(resolver):
    # Phường Sài Gòn is TP.HCM's; Hà Nội's table cannot resolve it, and the error lists Hà Nội's communes.
    assert resolver.candidates("Phường Sài Gòn", "commune", year=2025, parent="p01") == []


def test_same_short_name_told_apart_by_type(resolver, con):
    # Two communes of one province have short names that differ only in accents or type (the official list has
    # ten such pairs, e.g. Tây Ninh's Phường Tân Thành / Xã Tân Thạnh): the printed full name decides, and the
    # accent-free short name alone is ambiguous, never guessed.
    pairs = con.execute("""SELECT n.name_folded, u.parent_unit_id, list(u.unit_id ORDER BY u.unit_id),
                                  list(u.name_vi ORDER BY u.unit_id)
                           FROM unit_names n JOIN units u USING (unit_id)
                           WHERE u.kind = 'commune' AND n.name_kind = 'official_short'
                           GROUP BY 1, 2 HAVING count(*) = 2 ORDER BY 2, 1""").fetchall()
    assert len(pairs) == 10
    for folded, province, ids, fulls in pairs:
        assert resolver.candidates(folded, "commune", year=2025, parent=province) == ids
        for uid, full in zip(ids, fulls):
            assert resolver.candidates(full, "commune", year=2025, parent=province) == [uid]


def test_every_commune_resolves_from_its_printed_forms(resolver):
    """All 3,321 communes, each in the forms tables and the press print (official, UBND/Ủy ban nhân dân, capitals,
    P. for phường, English with and without People's Committee of), within its province in a 2025 table: the
    commune itself and no other. Printed without accents, a name that two communes of one province share once
    accents are dropped (the ten pairs above) names both (ambiguous), never one of them by chance."""
    from cchc_data.textnorm import fold

    english = {"Phường": "ward", "Xã": "commune", "Đặc khu": "special zone"}
    communes = [u for u in resolver.units.values() if u["kind"] == "commune"]
    folded: dict[tuple[str, str], set[str]] = {}
    for u in communes:
        folded.setdefault((u["parent_unit_id"], fold(u["name_vi"])), set()).add(u["unit_id"])
    wrong = []
    for u in communes:
        full, parent = u["name_vi"], u["parent_unit_id"]
        kind_vi = next(t for t in english if full.startswith(t + " "))
        short = full[len(kind_vi) + 1 :]
        en = f"{fold(short).title()} {english[kind_vi]}"
        forms = [full, f"UBND {full}", f"Ủy ban nhân dân {kind_vi.lower()} {short}", full.upper()]
        forms += ["P. " + short] if kind_vi == "Phường" else []
        unaccented = [en, f"People's Committee of {en}", fold(full)]
        same = sorted(folded[(parent, fold(full))])
        for form in forms + unaccented:
            expected = same if form in unaccented else [u["unit_id"]]
            got = resolver.candidates(form, "commune", year=2025, parent=parent)
            if got != expected:
                wrong.append((form, u["unit_id"], got))
    assert wrong == []
    assert len(communes) == 3321


# ------------------------------------------------------------------ imports of 2025 tables (synthetic)
def synthetic_scores(n: int, seed: int) -> list[float]:
    rng = random.Random(seed)
    return sorted((round(rng.uniform(75, 95), 2) for _ in range(n)), reverse=True)


def test_national_par_2025_for_34_provinces_imports(store, tmp_path, capsys, con):
    from cchc_data.queries import rankings

    provinces = con.execute("""SELECT unit_id, name_full_vi FROM units WHERE kind = 'province' AND valid_to IS NULL
                           ORDER BY admin_code""").fetchall()
    scores = synthetic_scores(34, 2025)
    path = tmp_path / "par_2025.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2025 CỦA CÁC TỈNH, THÀNH PHỐ (SYNTHETIC TEST TABLE)"])
        w.writerow(["STT", "Tỉnh/thành phố", "Chỉ số CCHC (%)", "Xếp hạng"])
        for i, ((_uid, full), s) in enumerate(zip(provinces, scores), 1):
            w.writerow([i, full, f"{s:.2f}".replace(".", ","), i])
    rc, out, err = run(
        capsys,
        path,
        "--index",
        "par",
        "--year",
        2025,
        "--group",
        "provinces",
        "--source",
        "https://example.org/synthetic-par-2025",
        "--complete",
    )
    assert rc == 0, err
    assert "units: 34" in out and "newly created 0" in out
    df = rankings.ranking("par-2025", "provinces")
    assert len(df) == 34 and set(df.unit_id) == {uid for uid, _ in provinces}
    assert df.set_index("unit_id").total.to_dict() == {uid: s for (uid, _), s in zip(provinces, scores)}
    assert "p08-2025" in set(df.unit_id) and "p08" not in set(df.unit_id)
    # /map draws the 2025 edition on the 34-province map: one shape per province, each with its value.
    from cchc_data.queries import maps

    layer = maps.province_layer(2025)
    shapes, off_map = maps.join_layer(maps.map_values("par-2025"), layer)
    assert layer == "provinces_34" and len(shapes) == 34 and shapes.value.notna().all() and len(off_map) == 0


def test_hanoi_index_2025_for_126_communes_imports(store, tmp_path, capsys):
    from cchc_data.queries import rankings

    hanoi = [r for r in communes() if r["ma_tinh_2025"] == "01"]
    assert len(hanoi) == 126
    scores = synthetic_scores(126, 126)
    path = tmp_path / "hanoi_communes_2025.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2025 CỦA UBND CÁC XÃ, PHƯỜNG (SYNTHETIC TEST TABLE)"])
        w.writerow(["STT", "Tên đơn vị", "Chỉ số (%)", "Xếp hạng"])
        for i, (r, s) in enumerate(zip(hanoi, scores), 1):
            name = f"UBND {r['ten_xa']}" if i % 3 == 0 else r["ten_xa"]  # both printed forms
            w.writerow([i, name, f"{s:.2f}".replace(".", ",") + "%", i])
    args = (
        "--index",
        "par_hanoi",
        "--year",
        2025,
        "--group",
        "communes",
        "--source",
        "https://example.org/synthetic-hanoi-2025",
    )
    rc, out, err = run(capsys, path, *args, "--dry-run")
    assert rc == 0, err
    assert "units: 126" in out and "newly created 0" in out
    rc, out, err = run(capsys, path, *args)
    assert rc == 0, err
    df = rankings.ranking("par_hanoi-2025", "communes")
    assert sorted(df.unit_id) == sorted("c" + r["ma_xa"] for r in hanoi)
    assert df.set_index("unit_id").total.to_dict() == {"c" + r["ma_xa"]: s for r, s in zip(hanoi, scores)}


def test_a_2024_table_still_gives_the_pre_merger_provinces(store, tmp_path, capsys):
    from cchc_data.queries import rankings

    path = tmp_path / "par_2024_part.csv"
    path.write_text("STT,Tỉnh/thành phố,Chỉ số CCHC\n1,Tuyên Quang,88.1\n2,Hà Giang,80.2\n", encoding="utf-8")
    rc, out, err = run(
        capsys,
        path,
        "--index",
        "par",
        "--year",
        2024,
        "--group",
        "provinces",
        "--source",
        "https://example.org/synthetic-par-2024",
    )
    assert rc == 0, err
    assert set(rankings.ranking("par-2024", "provinces").unit_id) >= {"p08", "p02"}


def test_search_opens_a_split_district_itself_and_says_in_whole_or_in_part(con):
    """A district with no results of its own, taken over by several communes, opens its own page (which lists
    them), not an arbitrary commune; the note says the communes took it over in whole or in part."""
    from cchc_data.views.overview import build_search_view

    rows = con.sql(
        """SELECT u.unit_id, u.name_vi FROM units u JOIN unit_lineage l ON l.predecessor_unit_id = u.unit_id
           JOIN units c ON c.unit_id = l.successor_unit_id AND c.kind = 'commune'
           WHERE u.kind = 'district' AND u.unit_id NOT IN (SELECT unit_id FROM results)
           GROUP BY ALL HAVING count(*) > 1 ORDER BY u.unit_id LIMIT 1"""
    ).fetchall()
    assert rows
    unit_id, name = rows[0]
    for lang, words in (("vi", "toàn bộ hoặc một phần"), ("en", "in whole or in part")):
        hits = [h for h in build_search_view(name, lang).hits if h.note and h.unit_id == unit_id]
        assert hits, (name, lang, build_search_view(name, lang).hits)
        assert words in hits[0].note.replace("\\", "")
    targets = {h.unit_id for h in build_search_view(name, "vi").hits}
    assert unit_id in targets


@pytest.mark.parametrize(
    "printed, old_province, expected",
    [
        ("Phường Sài Gònn", "p79", "c26740"),  # TP.HCM's scope (--scope hcmc) names the pre-merger p79
        ("Phuong Thu Dau Mot", "p74", "c25747"),  # a commune of former Bình Dương, now in TP.HCM (p79-2025)
    ],
)
def test_near_matches_among_the_communes_of_a_merged_provinces_successor(resolver, printed, old_province, expected):
    """--new-units catches a near match among the communes of the 2025 province that took over the old one
    (unit_lineage), not only among units whose parent is the old province (none: every commune is under a 2025
    province)."""
    assert resolver.province_successor[old_province] == "p79-2025"
    assert any(f"({expected})" in label for label in resolver.near_matches(printed, "commune", old_province))
    exact = printed.replace("Gònn", "Gòn").replace("Phuong Thu Dau Mot", "Phường Thủ Dầu Một")
    assert resolver.candidates(exact, "commune", 2025, old_province) == [expected]
