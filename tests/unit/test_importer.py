"""The importer end to end: each accepted layout round-trips into the query layer exactly as printed,
bad inputs give clear bilingual errors with exit code 2 and leave the store untouched.

Published figures come from data/sources/indices/par/hanoi_internal_2022_departments.csv (real, with their
source); every other figure here is SYNTHETIC, generated in the test and labelled so.
"""

from __future__ import annotations

import csv
import hashlib
import math
import re
from pathlib import Path

import pytest

from cchc_data.__main__ import main
from cchc_data.paths import SHIPPED_DATA_DIR

PUBLISHED = SHIPPED_DATA_DIR / "sources" / "indices" / "par" / "hanoi_internal_2022_departments.csv"


def published_rows() -> list[dict]:
    with open(PUBLISHED, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def store_hash(store: Path) -> str:
    h = hashlib.sha256()
    if store.exists():
        for p in sorted(store.rglob("*")):
            h.update(str(p.relative_to(store)).encode())
            if p.is_file():
                h.update(p.read_bytes())
    return h.hexdigest()


@pytest.fixture
def store(tmp_path, monkeypatch):
    """A fresh store in a tmp dir over the shipped build (read only)."""
    monkeypatch.delenv("CCHC_DATA_DIR", raising=False)
    path = tmp_path / "store"
    monkeypatch.setenv("CCHC_STORE_DIR", str(path))
    return path


def run(capsys, *args) -> tuple[int, str, str]:
    rc = main(["import", *map(str, args)])
    out = capsys.readouterr()
    return rc, out.out, out.err


# ------------------------------------------------------------------ layouts of the published table
def comma(value: str) -> str:
    return value.replace(".", ",")


def write_csv_vi(path: Path, rows: list[dict]) -> None:
    """Vietnamese headers, title rows, comma decimals with a % sign, '-' for the value not printed."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2022 CỦA CÁC SỞ, BAN, NGÀNH"])
        w.writerow([])
        w.writerow(["STT", "Tên đơn vị", "Chỉ số (%)", "Xếp hạng"])
        for i, r in enumerate(rows, 1):
            w.writerow([i, r["unit_name"], comma(r["score"]) + "%" if r["score"] else "-", r["rank"]])


def write_csv_en(path: Path, rows: list[dict]) -> None:
    """English headers, semicolon separator, dot decimals, UTF-8 with BOM, a notes column (ignored)."""
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(["No.", "Unit", "Index (%)", "Rank", "Notes"])
        for i, r in enumerate(rows, 1):
            w.writerow([i, r["unit_name"], r["score"] or "–", r["rank"], "synthetic note"])


def write_csv_utf16(path: Path, rows: list[dict]) -> None:
    """Tab-separated UTF-16 (what Excel's 'Unicode text' gives), header 'Chỉ số CCHC'."""
    lines = ["Đơn vị\tChỉ số CCHC\tXếp hạng"]
    lines += [f"{r['unit_name']}\t{comma(r['score']) if r['score'] else '-'}\t{r['rank']}" for r in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-16"))


def write_csv_cp1258(path: Path, rows: list[dict]) -> None:
    from tests.unit.test_importer_reading import to_cp1258

    lines = ["STT;Tên đơn vị;Chỉ số (%);Xếp hạng"]
    lines += [
        f"{i};{r['unit_name']};{comma(r['score']) if r['score'] else '-'};{r['rank']}" for i, r in enumerate(rows, 1)
    ]
    path.write_bytes(to_cp1258("\r\n".join(lines) + "\r\n"))


def write_xlsx(path: Path, rows: list[dict]) -> None:
    """Title rows above a two-row header with merged cells, numbers stored as numbers."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Phụ lục"
    ws["A1"] = "UBND THÀNH PHỐ HÀ NỘI"
    ws.merge_cells("A1:D1")
    ws["A2"] = "KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2022"
    ws.merge_cells("A2:D2")
    ws["A4"], ws["B4"], ws["C4"] = "STT", "Tên đơn vị", "Kết quả"
    ws.merge_cells("A4:A5")
    ws.merge_cells("B4:B5")
    ws.merge_cells("C4:D4")
    ws["C5"], ws["D5"] = "Chỉ số (%)", "Xếp hạng"
    for i, r in enumerate(rows, 1):
        ws.append([i, r["unit_name"], float(r["score"]) if r["score"] else "-", int(r["rank"]) if r["rank"] else None])
    wb.save(path)


def write_transcription(path: Path, rows: list[dict]) -> None:
    """The project's own transcription layout (data/sources/indices/par/*.csv): extra columns ignored."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        for r in rows:
            w.writerow({**r, "score": r["score"] or "-"})


LAYOUTS = {
    "csv_vi_comma_percent": (write_csv_vi, ".csv"),
    "csv_en_semicolon_bom": (write_csv_en, ".csv"),
    "tsv_utf16": (write_csv_utf16, ".txt"),
    "csv_windows1258": (write_csv_cp1258, ".csv"),
    "xlsx_title_merged_header": (write_xlsx, ".xlsx"),
    "csv_transcription": (write_transcription, ".csv"),
}


def source_arg(rows) -> str:
    return f"{rows[0]['source_url']}"


@pytest.mark.parametrize("layout", LAYOUTS)
def test_published_table_round_trips_into_ranking(layout, store, tmp_path, capsys):
    from cchc_data.queries import catalog, rankings

    rows = published_rows()
    writer, suffix = LAYOUTS[layout]
    path = tmp_path / f"table{suffix}"
    writer(path, rows)
    rc, out, err = run(
        capsys,
        path,
        "--index",
        "par_hanoi",
        "--year",
        2022,
        "--group",
        "departments",
        "--source",
        source_arg(rows),
        "--source-title",
        rows[0]["source_title"],
    )
    assert rc == 0, err
    assert "LỖI/ERROR" not in err
    assert "units: 22" in out and "written as version 0001" in out

    df = rankings.ranking("par_hanoi-2022", "departments", "par_hanoi", 2022)
    assert len(df) == len(rows) == 22
    by_unit = {r.note.split("“")[1].split("”")[0]: r for r in df.itertuples()}
    for r in rows:
        got = by_unit[r["unit_name"]]
        if r["score"]:
            assert got.total == float(r["score"])
        else:
            assert math.isnan(got.total)
        if r["rank"]:
            assert got.rank == int(r["rank"]) and got.rank_official
        else:
            assert got.rank is None or (isinstance(got.rank, float) and math.isnan(got.rank)) or str(got.rank) == "<NA>"
        assert got.source_url == rows[0]["source_url"] and got.source_title == rows[0]["source_title"]
    # The edition's other group is untouched, and the edition stays partial (no --complete).
    districts = rankings.ranking("par_hanoi-2022", "districts")
    assert list(districts.unit_id) == ["d002"] and districts.total.iloc[0] == 96.08
    assert catalog.edition("par_hanoi", 2022)["completeness"] == "partial"
    if layout == "csv_en_semicolon_bom":
        assert "Extra column ignored" in err


def test_reimport_replaces_the_group_in_one_step_and_rollback(store, tmp_path, capsys):
    from cchc_data import store as store_mod
    from cchc_data.queries import rankings

    rows = published_rows()
    full, top = tmp_path / "full.csv", tmp_path / "top.csv"
    write_csv_vi(full, rows)
    write_csv_vi(top, [r for r in rows if r["rank"]])
    common = ["--index", "par_hanoi", "--year", 2022, "--group", "departments", "--source", source_arg(rows)]
    assert run(capsys, full, *common)[0] == 0
    rc, out, _ = run(capsys, top, *common, "--dry-run")
    assert rc == 0 and "Dry run: nothing was written" in out and "(bỏ / removed)" in out
    assert store_mod.list_versions(store) == ["0001"]
    rc, out, _ = run(capsys, top, *common)
    assert rc == 0 and "dropped from the group 19" in out
    df = rankings.ranking("par_hanoi-2022", "departments")
    assert sorted(df["rank"].tolist()) == [1, 2, 3]
    assert list(rankings.ranking("par_hanoi-2022", "districts").unit_id) == ["d002"]
    # Re-importing the same table changes no figure.
    rc, out, _ = run(capsys, top, *common, "--dry-run")
    assert "new figures: 0; thay đổi / changed: 0" in out
    # Rollback returns to the full table.
    assert main(["rollback"]) == 0
    assert len(rankings.ranking("par_hanoi-2022", "departments")) == 22
    assert main(["versions"]) == 0
    assert "* 0001" in capsys.readouterr().out


# ------------------------------------------------------------------ components, new units, completeness (SYNTHETIC)
def test_components_new_units_and_complete_edition(store, tmp_path, capsys):
    from openpyxl import Workbook

    from cchc_data.queries import catalog, rankings
    from cchc_data.store import read_tables

    wb = Workbook()
    ws = wb.active
    ws.append(["SYNTHETIC TEST TABLE – not a published figure"])
    ws.append(["STT", "Tên đơn vị", "Lĩnh vực A (40)", "Lĩnh vực B (60)", "Tổng điểm", "Chỉ số (%)", "Xếp hạng"])
    ws.append([1, "Sở Thử nghiệm Một (synthetic)", "30,5", 50, "80,5", "80,5%", 1])
    ws.append([2, "Sở Thử nghiệm Hai (synthetic)", 20, "40,25", "60,25", "60,25%", None])
    ws.append(["Trung bình", None, None, None, None, "70,38", None])
    path = tmp_path / "synthetic.xlsx"
    wb.save(path)
    common = [
        path,
        "--index",
        "par_hcmc",
        "--year",
        2021,
        "--group",
        "departments",
        "--source",
        "99/QĐ-SYNTH, 01/02/2022, https://example.invalid/synthetic",
    ]
    rc, _, err = run(capsys, *common)
    assert rc == 2 and "Unknown unit (department)" in err and "--new-units" in err
    rc, out, err = run(capsys, *common, "--new-units", "--complete")
    assert rc == 0, err
    assert "Footer row ignored" in err and "points column is only used to check" in err
    assert "components: 2" in out and "newly created 2" in out
    t = read_tables()
    comps = {c["name_vi"]: c["max_score"] for c in t["components"].to_pylist() if c["edition_id"] == "par_hcmc-2021"}
    assert comps == {"Lĩnh vực A": 40.0, "Lĩnh vực B": 60.0}
    scores = sorted(s["score"] for s in t["scores"].to_pylist() if s["edition_id"] == "par_hcmc-2021")
    assert scores == [20.0, 30.5, 40.25, 50.0]
    src = [s for s in t["sources"].to_pylist() if s["document_no"] == "99/QĐ-SYNTH"][0]
    assert str(src["published_on"]) == "2022-02-01" and src["url"] == "https://example.invalid/synthetic"
    assert catalog.edition("par_hcmc", 2021)["completeness"] == "complete"
    df = rankings.ranking("par_hcmc-2021", "departments")
    # Printed rank stays official; the complete edition gets a computed rank for the other unit.
    assert df[["rank", "rank_official"]].values.tolist() == [[1, True], [2, False]]
    assert list(df.total) == [80.5, 60.25]


# ------------------------------------------------------------------ errors: all problems in one pass, store untouched
BAD_ROWS = [
    ["SYNTHETIC"],
    ["STT", "Tên đơn vị", "LV1 (50)", "LV2 (50)", "Tổng điểm", "Xếp hạng"],
    ["1", "Sở Nội vụ", "40", "45", "85", "2"],  # rank 2 with a higher total than rank 1 (row 4)
    ["2", "Sở Tài chính", "40", "40", "80", "1"],
    ["3", "Sở Tư pháp", "abc", "40", "80", ""],  # not a number
    ["4", "Sở Y tế", "55", "40", "95", ""],  # component above its maximum
    ["5", "Sở Xây dựng", "-1", "40", "39", ""],  # negative
    ["6", "Sở Du lịch", "30", "30", "70", ""],  # components add to 60, not 70
    ["7", "Sở Nội vụ", "30", "30", "60", ""],  # duplicate unit
    ["8", "Sở Hư cấu Không tồn tại", "30", "30", "60", ""],  # unknown unit
    [],  # empty row inside the table
    ["9", "42", "30", "30", "60", ""],  # shifted: a number in the name column
    ["10", "Sở Công Thương", "", "", "", ""],  # no figures
    ["11", "Sở Ngoại vụ", "30", "30", "60", "", "stray"],  # a cell outside the headed columns
]


def test_every_problem_reported_once_with_exit_2_and_store_unchanged(store, tmp_path, capsys):
    path = tmp_path / "bad.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(BAD_ROWS)
    before = store_hash(store)
    rc, out, err = run(
        capsys,
        path,
        "--index",
        "par_hanoi",
        "--year",
        2021,
        "--group",
        "departments",
        "--source",
        "https://example.invalid/",
    )
    assert rc == 2
    expected = {
        3: "The printed rank contradicts the totals: rank 2 has 85, but row 4 ranked 1 has 80",
        5: "Not a number",
        6: "Score above the maximum 50",
        7: "Score below 0",
        8: "The components add up to 60, not the total 70",
        9: "Duplicate unit: already on row 3",
        10: "Unknown unit (department). Closest known:",
        11: "Empty row inside the table",
        12: "The row is shifted",
        13: "The row names a unit but has no figures",
        14: "A cell holds data outside the columns with a header",
    }
    blocks = err.split("LỖI/ERROR: ")[1:]
    for row, text in expected.items():
        hits = [b for b in blocks if re.search(f"dòng/row {row}[,\n]", b) and text in b]
        assert hits, (row, text, err)
        assert f"tệp/file {path}" in hits[0] and "\n  vi: " in hits[0]
    assert "giá trị/value “abc”" in err and "cột/column 3 “LV1”" in err
    assert "nothing was written to the store" in err
    assert store_hash(store) == before and not store.exists()


def test_missing_metadata_is_asked_for_never_guessed(store, tmp_path, capsys):
    path = tmp_path / "t.csv"
    write_csv_vi(path, published_rows()[:3])
    rc, _, err = run(capsys, path)
    assert rc == 2
    for option in ("--index", "--year", "--group", "--source"):
        assert f"Missing option {option}" in err and f"Thiếu tùy chọn {option}" in err
    rc, _, err = run(
        capsys,
        path,
        "--index",
        "par_hanoi",
        "--scope",
        "national",
        "--year",
        2022,
        "--group",
        "departments",
        "--source",
        "no url and no decision",
    )
    assert rc == 2 and "Invalid value for --scope" in err and "Invalid value for --source" in err
    assert not store.exists()


def test_legacy_font_text_is_reported(store, tmp_path, capsys):
    path = tmp_path / "tcvn3.csv"
    path.write_text('STT,Tªn ®¬n vÞ,ChØ sè (%)\n1,Së Néi vô,"91,59"\n2,Së Tµi chÝnh,"90,57"\n', encoding="utf-8")
    rc, _, err = run(
        capsys, path, "--index", "par_hanoi", "--year", 2022, "--group", "departments", "--source", "https://x.invalid/"
    )
    assert rc == 2 and "legacy TCVN3 (ABC) font encoding" in err and "bảng mã cũ" in err


def test_unknown_file_type_and_missing_file(store, tmp_path, capsys):
    (tmp_path / "t.docx").write_bytes(b"PK\x03\x04")  # a PDF is read now (tests/unit/test_importer_pdf.py)
    common = ["--index", "par", "--year", 2022, "--group", "provinces", "--source", "https://x.invalid/"]
    assert "Only .csv, .txt, .tsv, .xlsx, .xls or .pdf files" in run(capsys, tmp_path / "t.docx", *common)[2]
    assert "File not found" in run(capsys, tmp_path / "nope.csv", *common)[2]
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    rc, _, err = run(capsys, tmp_path / "broken.xlsx", *common)
    assert rc == 2 and "Cannot read the file" in err


def test_province_abbreviations_and_legacy_names(store, tmp_path, capsys):
    """TP.HCM, HCM, BR-VT, Tỉnh/Thành phố prefixes and Hà Tây resolve (SYNTHETIC figures, dry run)."""
    path = tmp_path / "p.csv"
    path.write_text(
        "Tỉnh/thành phố,Chỉ số (%)\nTP.HCM,50\nBR-VT,51\nThành phố Hà Nội,52\nTỉnh Hà Tây,53\nthua thien hue,54\n",
        encoding="utf-8",
    )
    rc, out, err = run(
        capsys,
        path,
        "--index",
        "par",
        "--year",
        2007,
        "--group",
        "provinces",
        "--source",
        "https://synthetic.invalid/",
        "--dry-run",
    )
    assert rc == 0, err
    for uid in ("p79", "p77", "p01", "p-hatay", "p46"):
        assert f"({uid}) total" in out
    path.write_text("Tỉnh/thành phố,Chỉ số (%)\nHCM,50\nHồ Chí Minh,51\n", encoding="utf-8")
    rc, _, err = run(
        capsys,
        path,
        "--index",
        "par",
        "--year",
        2007,
        "--group",
        "provinces",
        "--source",
        "https://synthetic.invalid/",
        "--dry-run",
    )
    assert rc == 2 and "Duplicate unit: already on row 2 (p79)" in err


def test_templates_are_recognised(store, capsys):
    from cchc_data.importer.reading import find_layout, read_grid

    for name in ("cchc_import_template.csv", "cchc_import_template.xlsx"):
        layout = find_layout(read_grid(SHIPPED_DATA_DIR / "templates" / name))
        roles = [c.role for c in layout.columns]
        assert roles[:2] == ["stt", "unit"] and "component" in roles and "total" in roles and "rank" in roles
        rc, _, err = run(
            capsys,
            SHIPPED_DATA_DIR / "templates" / name,
            "--index",
            "par",
            "--year",
            2022,
            "--group",
            "provinces",
            "--source",
            "https://x.invalid/",
        )
        assert rc == 2 and "no data rows" in err


def test_large_file_shows_progress_and_summary(store, tmp_path, capsys):
    """300 SYNTHETIC rows of new units: a progress bar on stderr, the summary on stdout."""
    path = tmp_path / "large.csv"
    lines = ["STT,Tên đơn vị,Chỉ số (%)"] + [
        f"{i},Đơn vị thử nghiệm số {i} (synthetic),{50 + (i % 40) / 10}" for i in range(1, 301)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rc, out, err = run(
        capsys,
        path,
        "--index",
        "par_hcmc",
        "--year",
        2020,
        "--group",
        "offices",
        "--new-units",
        "--source",
        "https://synthetic.invalid/",
        "--dry-run",
    )
    assert rc == 0
    assert "rows / dòng" in err and "300/300" in err
    assert "units: 300" in out and "newly created 300" in out and "new figures: 300" in out
    assert not store.exists()
