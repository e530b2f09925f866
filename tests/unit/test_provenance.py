"""Provenance of the shipped data (issue 13 "Provenance", issue 14 "every note in both languages").

Citations name the sources of the figures shown; sources have real titles; unit names are those of the period,
clean and the same unit in both languages; every reader-facing note has its Vietnamese text."""

import re
import unicodedata

import pytest

from cchc_data import queries as q
from cchc_data.parquet_io import parquet_views
from cchc_data.paths import SHIPPED_DATA_DIR
from cchc_data.textnorm import fold


@pytest.fixture(scope="module")
def con():
    c = parquet_views(SHIPPED_DATA_DIR)
    yield c
    c.close()


# ---------------------------------------------------------------- citations: the rows' own sources
@pytest.mark.parametrize(
    ("edition_id", "group"),
    [
        ("par-2014", "provinces"),
        ("par-2019", "provinces"),
        ("par-2020", "provinces"),
        ("par-2021", "provinces"),
        ("par_hanoi-2022", "districts"),
    ],
)
def test_view_sources_are_the_sources_of_the_rows_shown(con, edition_id, group):
    """The audit's five views: every cited source supplied a row of the view, and every row's source is cited."""
    used = dict(
        con.execute(
            "SELECT source_id, count(*) FROM results WHERE edition_id = ? AND unit_group = ? GROUP BY source_id",
            [edition_id, group],
        ).fetchall()
    )
    cited = q.view_sources(edition_id, group)
    assert [s["source_id"] for s in cited] and {s["source_id"] for s in cited} == set(used)
    assert [s["n_rows"] for s in cited] == sorted(used.values(), reverse=True)  # most-used first
    assert all(s["n_rows"] == used[s["source_id"]] for s in cited)
    assert all(s["title"] and s["url"] for s in cited)


def test_par_2019_provinces_cite_news_gov_vn_not_the_japanese_page():
    cited = [s["url"] for s in q.view_sources("par-2019", "provinces")]
    assert cited == ["http://news.gov.vn/Utilities/PrintView.aspx?ID=40168"]
    assert not any("viet-jo" in u for u in cited)


def test_view_sources_narrow_to_the_units_on_screen(con):
    (uid, sid), *_ = con.execute(
        "SELECT unit_id, source_id FROM results WHERE edition_id = 'par-2023' "
        "AND unit_group = 'provinces' ORDER BY unit_id"
    ).fetchall()
    assert [s["source_id"] for s in q.view_sources("par-2023", "provinces", [uid])] == [sid]
    assert q.view_sources("par-2023", "provinces", []) == []
    assert len(q.view_sources("par-2023")) >= len(q.view_sources("par-2023", "provinces"))


def test_the_old_edition_source_still_answers():
    assert q.edition_source("papi-2019")["source_id"] == "papi-dataset"


# ---------------------------------------------------------------- sources: real titles and dates
def test_no_generated_titles(con):
    titles = [t for (t,) in con.execute("SELECT title FROM sources").fetchall()]
    assert all(t and t.strip() == t for t in titles)
    assert not [t for t in titles if re.fullmatch(r"[\w.-]+ \((SIPAS|PAR) \d{4}\)", t)]


def test_a_date_printed_in_a_title_is_the_published_date(con):
    """A title that carries a full date ("…, 2018-05-03)" or "…, 25/05/2022)") has that date as published_on."""
    for title, published in con.execute("SELECT title, published_on FROM sources").fetchall():
        if m := re.search(r"(\d{4})-(\d{2})-(\d{2})\)", title):
            assert published is not None and published.isoformat() == "-".join(m.groups()), title
        elif m := re.search(r"(\d{1,2})/(\d{1,2})/(\d{4})\)", title):
            assert published is not None and (published.day, published.month, published.year) == tuple(
                map(int, m.groups())
            ), title


# ---------------------------------------------------------------- unit names
def _key(name: str) -> str:
    """Letters and digits of a name without accents, and without the unit type that one language may print."""
    k = fold(name)
    k = re.sub(r"^(tp|thanh pho|tinh|quan|huyen|thi xa)\b\.?\s*|\s*\b(city|province|district|town)$", "", k)
    return re.sub(r"[^a-z0-9]", "", k)


def test_every_shipped_name_is_nfc_and_trimmed(con):
    names = con.execute(
        "SELECT name FROM unit_names UNION ALL SELECT name_vi FROM units "
        "UNION ALL SELECT name_en FROM units WHERE name_en IS NOT NULL "
        "UNION ALL SELECT name_full_vi FROM units WHERE name_full_vi IS NOT NULL"
    ).fetchall()
    bad = [n for (n,) in names if n != unicodedata.normalize("NFC", n) or n != " ".join(n.split())]
    assert not bad


def test_vietnamese_and_english_names_are_the_same_unit(con):
    """Provinces and districts: the English name is the Vietnamese one without accents (same unit, same period).
    Ministries and departments have translated English names and are not compared letter by letter."""
    rows = con.execute("SELECT unit_id, name_vi, name_en FROM units WHERE kind IN ('province', 'district')").fetchall()
    assert not [r for r in rows if _key(r[1]) != _key(r[2])]
    periods = con.execute("""
        SELECT v.unit_id, v.name, e.name FROM unit_names v JOIN unit_names e
          ON e.unit_id = v.unit_id AND e.lang = 'en' AND e.name_kind = 'official'
         AND e.valid_from IS NOT DISTINCT FROM v.valid_from AND e.valid_to IS NOT DISTINCT FROM v.valid_to
        WHERE v.lang = 'vi' AND v.name_kind = 'official_short'
          AND (v.valid_from IS NOT NULL OR v.valid_to IS NOT NULL)""").fetchall()
    assert periods and not [r for r in periods if _key(r[1]) != _key(r[2])]


def test_thua_thien_hue_until_2024_then_hue(con):
    assert con.execute("SELECT name_vi, name_en, name_full_vi FROM units WHERE unit_id = 'p46'").fetchone() == (
        "Thừa Thiên Huế",
        "Thua Thien Hue",
        "Tỉnh Thừa Thiên Huế",
    )
    periods = con.execute(
        "SELECT lang, name, valid_from, valid_to FROM unit_names WHERE unit_id = 'p46' "
        "AND name_kind = 'official_short' ORDER BY valid_from NULLS FIRST"
    ).fetchall()
    assert [(p[1], p[2] and p[2].isoformat(), p[3] and p[3].isoformat()) for p in periods] == [
        ("Thừa Thiên Huế", None, "2024-12-31"),
        ("Huế", "2025-01-01", None),
    ]
    # the figures of 2005-2024 are shown under the name of their time, in both languages
    n = con.execute(
        "SELECT count(*) FROM results r JOIN editions e USING (edition_id) JOIN units u USING (unit_id) "
        "WHERE unit_id = 'p46' AND e.year <= 2024 AND u.name_vi = 'Thừa Thiên Huế'"
    ).fetchone()[0]
    assert n > 20


def test_vung_liem_has_no_leading_space(con):
    assert con.execute("SELECT name_vi, name_full_vi FROM units WHERE unit_id = 'd859'").fetchone() == (
        "Vũng Liêm",
        "Huyện Vũng Liêm",
    )


def test_clean_name_and_name_periods_in_the_build():
    from cchc_data.build.units import NAMES_AS_OF, UnitRegistry, clean_name

    assert clean_name(" Huyện  Vũng\u00a0Liêm ") == "Huyện Vũng Liêm"
    reg = UnitRegistry()
    reg.add_unit(unit_id="x1", name_vi="Mới", name_en="Moi", name_full_vi="Tỉnh Mới", kind="province")
    reg.add_name("x1", "Mới", "vi", "official_short")
    reg.apply_name_periods(
        [
            {
                "unit_id": "x1",
                "lang": "vi",
                "name_kind": "official_short",
                "name": "Cũ",
                "valid_from": "",
                "valid_to": NAMES_AS_OF.isoformat(),
            },
            {
                "unit_id": "x1",
                "lang": "vi",
                "name_kind": "official_short",
                "name": "Mới",
                "valid_from": "2099-01-01",
                "valid_to": "",
            },
        ]
    )
    assert reg.units[0]["name_vi"] == "Cũ"
    assert sorted((n["name"], n["valid_to"] is None) for n in reg.names) == [("Cũ", False), ("Mới", True)]


# ---------------------------------------------------------------- every reader-facing note in both languages
NOTE_COLUMNS = [  # (table, English column, Vietnamese column)
    ("sources", "note", "note_vi"),
    ("sources", "licence", "licence_vi"),
    ("editions", "method_note", "method_note_vi"),
    ("results", "note", "note_vi"),
    ("methodology", "notes", "notes_vi"),
]
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def _numbers_kept(en: str, vi: str) -> bool:
    return all(n in vi or n.replace(".", ",") in vi or n.replace(",", ".") in vi for n in _NUMBER.findall(en))


@pytest.mark.parametrize(("table", "en_col", "vi_col"), NOTE_COLUMNS)
def test_every_shipped_note_has_its_vietnamese_text(con, table, en_col, vi_col):
    rows = con.execute(f"SELECT {en_col}, {vi_col} FROM {table} WHERE {en_col} IS NOT NULL").fetchall()
    assert rows, table
    assert not [en for en, vi in rows if not vi or not vi.strip()], f"{table}.{vi_col} missing"
    # a translation, not a copy, and the same facts: every number of the English is in the Vietnamese
    assert not [en for en, vi in rows if vi == en and re.search(r"[A-Za-z]{4,}", en)]
    assert not [(en, vi) for en, vi in rows if not _numbers_kept(en, vi)]
    assert not [vi for _en, vi in rows if vi != unicodedata.normalize("NFC", vi)]


@pytest.mark.parametrize(("table", "en_col", "vi_col"), NOTE_COLUMNS)
def test_no_repository_paths_in_notes_readers_see(con, table, en_col, vi_col):
    """Issue 14: pages showed `data/sources/...` in notes; a note names a page or a publisher, not our files."""
    rows = con.execute(f"SELECT {en_col}, {vi_col} FROM {table} WHERE {en_col} IS NOT NULL").fetchall()
    assert not [text for row in rows for text in row if text and re.search(r"\bdata/(sources|raw)/", text)]


def test_the_translation_table_is_faithful_and_used():
    """reference/notes_vi.csv: one Vietnamese text per English note, numbers kept, each one shipped somewhere."""
    import csv

    with open(SHIPPED_DATA_DIR / "sources" / "reference" / "notes_vi.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len({r["en"] for r in rows}) == len(rows)
    assert all(r["vi"] and r["vi"] != r["en"] and _numbers_kept(r["en"], r["vi"]) for r in rows)
    c = parquet_views(SHIPPED_DATA_DIR, ("results", "methodology"))
    shipped = "\n".join(
        v
        for (v,) in c.execute(
            "SELECT note_vi FROM results WHERE note_vi IS NOT NULL "
            "UNION ALL SELECT notes_vi FROM methodology WHERE notes_vi IS NOT NULL"
        ).fetchall()
    )
    assert not [r["vi"] for r in rows if r["vi"] not in shipped]


def test_a_note_without_vietnamese_stops_the_build(tmp_path):
    from cchc_data.build.indices import Tables

    (tmp_path / "reference").mkdir()
    (tmp_path / "reference" / "notes_vi.csv").write_text("en,vi\nknown,đã biết\n", encoding="utf-8")
    t = Tables()
    assert t.vi(tmp_path, "known") == "đã biết" and t.vi(tmp_path, "") is None
    with pytest.raises(ValueError, match="no Vietnamese text"):
        t.vi(tmp_path, "a new note nobody translated")


@pytest.mark.parametrize("year", [2014, 2018])
def test_papi_complete_editions_name_the_provinces_without_a_total(con, year):
    missing = con.execute(
        "SELECT u.name_vi, u.name_en FROM results r JOIN units u USING (unit_id) "
        "WHERE r.edition_id = ? AND r.total IS NULL ORDER BY u.name_vi",
        [f"papi-{year}"],
    ).fetchall()
    assert len(missing) == 2
    completeness, en, vi = con.execute(
        "SELECT completeness, method_note, method_note_vi FROM editions WHERE edition_id = ?", [f"papi-{year}"]
    ).fetchone()
    assert completeness == "complete"
    assert "2 provinces without a total" in en and "2 tỉnh không có tổng điểm" in vi
    for name_vi, name_en in missing:
        assert name_vi in vi and name_en in en


def test_papi_method_note_singular_and_none():
    from cchc_data.build.indices import papi_method_note

    en, vi = papi_method_note(2015, [])
    assert "without a total" not in en and "không có tổng điểm" not in vi
    en, vi = papi_method_note(2015, [("Bắc Giang", "Bac Giang")])
    assert "1 province without a total: Bac Giang" in en and "1 tỉnh không có tổng điểm: Bắc Giang" in vi


def test_unit_names_as_of_the_year():
    names_2019, names_2025 = q.unit_names_as_of(2019), q.unit_names_as_of(2025)
    assert names_2019["p46"] == ("Thừa Thiên Huế", "Thua Thien Hue")
    assert names_2025["p46"] == ("Huế", "Hue")
    assert names_2019["p01"] == names_2025["p01"] == ("Hà Nội", "Ha Noi")  # one name for its whole life
    assert len(names_2019) == len(names_2025) and all(vi and en for vi, en in names_2019.values())


def test_every_printed_tier_in_both_languages(con):
    rows = con.execute("SELECT DISTINCT tier, tier_vi, tier_en FROM results WHERE tier IS NOT NULL").fetchall()
    assert len(rows) >= 5
    assert all(vi and en and tier in (vi, en) for tier, vi, en in rows)  # one of the two is the text as printed
    assert not [r for r in rows if r[1] == r[2]]
    assert (
        con.execute(
            "SELECT count(*) FROM results WHERE tier IS NULL AND (tier_vi IS NOT NULL OR tier_en IS NOT NULL)"
        ).fetchone()[0]
        == 0
    )


def test_a_tier_without_its_languages_stops_the_build(tmp_path):
    from cchc_data.build.indices import Tables, fill_tier_languages

    (tmp_path / "reference").mkdir()
    (tmp_path / "reference" / "tier_labels.csv").write_text(
        "tier,tier_vi,tier_en,basis\nTốt,Tốt,Mid-high,x\n", encoding="utf-8"
    )
    t = Tables()
    t.results = [{"edition_id": "e", "tier": "Tốt"}, {"edition_id": "e", "tier": None}]
    fill_tier_languages(tmp_path, t)
    assert (t.results[0]["tier_vi"], t.results[0]["tier_en"]) == ("Tốt", "Mid-high") and "tier_en" not in t.results[1]
    t.results.append({"edition_id": "e", "tier": "Xuất sắc"})
    with pytest.raises(ValueError, match="tier_labels.csv"):
        fill_tier_languages(tmp_path, t)
