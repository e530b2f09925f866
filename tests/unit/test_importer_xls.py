"""Old Excel .xls workbooks: read like .xlsx (merged cells, two-row headers, title rows, numbers/dates/percentages
as Excel shows them); damaged or password-protected files fail with the bilingual error and an unchanged store.

The fixtures in tests/unit/xls/ were generated once by tests/unit/xls/make_xls_fixtures.py (xlwt 1.3.0; no
maintained library writes .xls) and their content is checked against that script here. The Hà Nội 2022 table is
REAL (data/sources/indices/par/hanoi_internal_2022_departments.csv); every other figure is SYNTHETIC.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import shutil
from pathlib import Path

import pytest
import xlrd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc_data.__main__ import main
from cchc_data.importer.errors import ImportFailed
from cchc_data.importer.reading import read_grid

from .test_importer import published_rows, run, source_arg, store, store_hash  # noqa: F401 (fixture)
from .test_importer_safety import ARGS, base_rows, populated_store, write  # noqa: F401 (fixture)
from .xls import make_xls_fixtures as spec

XLS = Path(spec.__file__).resolve().parent
HANOI = XLS / "hanoi_2022_departments.xls"
SYNTH = XLS / "synthetic_components.xls"
CELLS = XLS / "cell_types.xls"
ENCRYPTED = XLS / "encrypted.xls"
HANOI_ARGS = ["--index", "par_hanoi", "--year", "2022", "--group", "departments"]


# ------------------------------------------------------------------ the fixtures are what the script says
def _check_cell(book, sheet, row, col, value, kind):
    cell = sheet.cell(row, col)
    if kind == "text":
        assert cell.ctype == xlrd.XL_CELL_TEXT and cell.value == value
    elif kind in ("number", "percent"):
        assert cell.ctype == xlrd.XL_CELL_NUMBER and cell.value == value
        fmt = book.format_map[book.xf_list[cell.xf_index].format_key].format_str
        assert ("%" in fmt) == (kind == "percent")
    elif kind in ("date", "datetime"):
        assert cell.ctype == xlrd.XL_CELL_DATE and xlrd.xldate_as_datetime(cell.value, book.datemode) == value
    elif kind == "bool":
        assert cell.ctype == xlrd.XL_CELL_BOOLEAN and bool(cell.value) is value
    elif kind == "error":
        assert cell.ctype == xlrd.XL_CELL_ERROR and xlrd.error_text_from_code[cell.value] == value
    elif kind == "blank":
        assert cell.ctype == xlrd.XL_CELL_BLANK
    else:
        raise AssertionError(kind)


@pytest.mark.parametrize("name", sorted(spec.FIXTURES))
def test_fixtures_hold_what_the_script_says(name):
    book = xlrd.open_workbook(str(XLS / name), formatting_info=True)
    sheets = spec.FIXTURES[name]
    assert book.sheet_names() == [s[0] for s in sheets]
    for (sheet_name, cells, merges), sheet in zip(sheets, book.sheets()):
        assert sorted(sheet.merged_cells) == sorted(merges)
        expected = {(r, c): (v, k) for r, c, v, k in cells()}
        for (r, c), (v, k) in expected.items():
            _check_cell(book, sheet, r, c, v, k)
        merged = {(r, c) for rlo, rhi, clo, chi in merges for r in range(rlo, rhi) for c in range(clo, chi)}
        for r in range(sheet.nrows):
            for c in range(sheet.ncols):
                if (r, c) not in expected:
                    # Nothing else: only empty cells, or the formatted blanks xlwt writes inside a merged range.
                    assert sheet.cell(r, c).ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK), (name, r, c)
                    assert sheet.cell(r, c).ctype == xlrd.XL_CELL_EMPTY or (r, c) in merged, (name, r, c)


def test_encrypted_fixture_is_the_hanoi_workbook_with_filepass():
    from xlrd import compdoc

    def stream(path):
        data = path.read_bytes()
        return bytes(compdoc.CompDoc(data, logfile=io.StringIO()).get_named_stream("Workbook"))

    plain, enc = stream(HANOI), stream(ENCRYPTED)
    # The streams are padded with zeros to whole sectors.
    assert enc.rstrip(b"\0") == spec.with_filepass(plain).rstrip(b"\0")
    kinds = [rtype for _, rtype, _ in spec.records(enc)][:3]
    assert kinds[1] == spec.FILEPASS and plain != enc
    with pytest.raises(xlrd.XLRDError, match="encrypted"):
        xlrd.open_workbook(str(ENCRYPTED), formatting_info=True)


# ------------------------------------------------------------------ cells as Excel shows them, as for .xlsx
def test_cell_types_read_as_excel_shows_them():
    assert read_grid(CELLS).rows == spec.CELL_TYPES_GRID


def test_same_cells_in_xlsx_give_the_same_grid(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    formats = {"percent": "0.00%", "date": "dd/mm/yyyy", "datetime": "dd/mm/yyyy hh:mm", "number": "0.00"}
    for r, c, v, kind in spec.CELL_TYPES:
        cell = ws.cell(r + 1, c + 1)
        if kind == "error":
            cell.value, cell.data_type = v, "e"
        elif kind != "blank":
            cell.value = v
        if kind in formats:
            cell.number_format = formats[kind]
    for rlo, rhi, clo, chi in spec.CELL_TYPES_MERGES:
        ws.merge_cells(start_row=rlo + 1, end_row=rhi, start_column=clo + 1, end_column=chi)
    ws.cell(5, 4).value = None  # the xlsx sheet's size, as the .xls one: 5 rows x 4 columns
    path = tmp_path / "cells.xlsx"
    wb.save(path)
    assert read_grid(path).rows == spec.CELL_TYPES_GRID


# ------------------------------------------------------------------ imports
def test_published_table_in_xls_round_trips_into_ranking(store, tmp_path, capsys):
    from cchc_data.queries import rankings

    rows = published_rows()
    rc, out, err = run(
        capsys, HANOI, *HANOI_ARGS, "--source", source_arg(rows), "--source-title", rows[0]["source_title"]
    )
    assert rc == 0, err
    assert "LỖI/ERROR" not in err and "units: 22" in out and "written as version 0001" in out
    df = rankings.ranking("par_hanoi-2022", "departments", "par_hanoi", 2022)
    by_unit = {r.note.split("“")[1].split("”")[0]: r for r in df.itertuples()}
    assert len(df) == len(rows) == 22
    for r in rows:
        got = by_unit[r["unit_name"]]
        assert (got.total == float(r["score"])) if r["score"] else math.isnan(got.total)
        if r["rank"]:
            assert got.rank == int(r["rank"]) and got.rank_official
        assert got.source_url == rows[0]["source_url"]


def test_xls_matches_the_csv_import(store, tmp_path, capsys):
    """The same table as .xls and as CSV gives the same figures (a dry run of one against the other)."""
    from .test_importer import write_csv_vi

    rows = published_rows()
    csv_path = tmp_path / "table.csv"
    write_csv_vi(csv_path, rows)
    assert run(capsys, csv_path, *HANOI_ARGS, "--source", source_arg(rows))[0] == 0
    rc, out, err = run(capsys, HANOI, *HANOI_ARGS, "--source", source_arg(rows), "--dry-run")
    assert rc == 0, err
    assert "new figures: 0; thay đổi / changed: 0; bỏ / removed: 0; giữ nguyên / unchanged: 24" in out


def test_synthetic_components_two_row_header_and_merged_tied_rank(store, tmp_path, capsys):
    from cchc_data.queries import rankings
    from cchc_data.store import read_tables

    rc, out, err = run(capsys, SYNTH, *ARGS)
    assert rc == 0, err
    assert "components: 2 (LV1, LV2)" in out and "units: 4" in out
    t = read_tables()
    comps = {
        c["name_vi"]: c["max_score"]
        for c in t["components"].to_pylist()
        if c["edition_id"] == "par_hanoi-2019" and c["unit_group"] == "departments"
    }
    assert comps == {"LV1": 50.0, "LV2": 50.0}
    df = rankings.ranking("par_hanoi-2019", "departments").sort_values("total", ascending=False)
    printed = {r.note.split("“")[1].split("”")[0]: (r.total, r.rank, r.rank_official) for r in df.itertuples()}
    assert printed == {
        "Sở Nội vụ": (89.5, 1, True),
        "Sở Tài chính": (85.5, 2, True),
        "Sở Tư pháp": (85.5, 2, True),
        "Sở Y tế": (80.25, 4, True),
    }


def test_sheet_option(store, tmp_path, capsys):
    rc, _, err = run(capsys, HANOI, *HANOI_ARGS, "--source", "https://x.invalid/", "--sheet", "Ghi chú", "--dry-run")
    assert rc == 2 and "No header row found" in err
    rc, _, err = run(capsys, HANOI, *HANOI_ARGS, "--source", "https://x.invalid/", "--sheet", "Nope", "--dry-run")
    assert rc == 2 and "No sheet Nope; sheets are: Phụ lục, Ghi chú" in err
    rc, out, err = run(capsys, HANOI, *HANOI_ARGS, "--source", "https://x.invalid/", "--sheet", "Phụ lục", "--dry-run")
    assert rc == 0 and "units: 22" in out, err


@pytest.mark.parametrize("src, name", [(HANOI, "renamed.xlsx"), (HANOI, "UPPER.XLS"), (None, "really_xlsx.xls")])
def test_content_decides_not_the_name(store, tmp_path, capsys, src, name):
    """An .xls saved with an .xlsx name (or the reverse) opens, as it does in Excel."""
    path = tmp_path / name
    if src:
        shutil.copy(src, path)
        expected = "units: 22"
        args = [*HANOI_ARGS, "--source", "https://x.invalid/"]
    else:
        write(path, base_rows(), "xlsx")
        expected = "units: 5"
        args = ARGS
    rc, out, err = run(capsys, path, *args, "--dry-run")
    assert rc == 0 and expected in out, err


# ------------------------------------------------------------------ damaged and protected files: exit 2, store unchanged
def _fails_cleanly(capsys, path: Path, store: Path, text: str) -> str:
    before = store_hash(store)
    rc = main(["import", str(path), *ARGS])
    err = capsys.readouterr().err
    assert rc == 2, err
    blocks = err.split("LỖI/ERROR: ")[1:]
    assert blocks and all(b.startswith(f"tệp/file {path}") and "\n  vi: " in b and "\n  en: " in b for b in blocks), err
    assert text in err and "nothing was written to the store" in err
    assert store_hash(store) == before
    return err


def test_password_protected_xls(populated_store, capsys):
    err = _fails_cleanly(capsys, ENCRYPTED, populated_store, "The Excel file is password-protected")
    assert "được đặt mật khẩu" in err


def test_password_protected_xlsx(populated_store, tmp_path, capsys):
    """Excel's encrypted .xlsx is an OLE2 container with an EncryptedPackage stream, not a zip."""
    data = bytearray(HANOI.read_bytes())
    name = "EncryptedPackage".encode("utf-16-le")
    data[-len(name) - 64 : -64] = name
    path = tmp_path / "protected.xlsx"
    path.write_bytes(bytes(data))
    _fails_cleanly(capsys, path, populated_store, "The Excel file is password-protected")


@pytest.mark.parametrize("cut", [0, 8, 100, 512, 4096, 8000])
def test_truncated_xls(populated_store, tmp_path, capsys, cut):
    path = tmp_path / "cut.xls"
    path.write_bytes(HANOI.read_bytes()[:cut])
    err = _fails_cleanly(capsys, path, populated_store, "The .xls file is damaged, cut short or not an Excel 97-2003")
    assert "Tệp .xls bị hỏng" in err


def test_html_named_xls(populated_store, tmp_path, capsys):
    path = tmp_path / "export.xls"
    path.write_text(
        "<html><body><table><tr><td>STT</td><td>Tên đơn vị</td></tr></table></body></html>", encoding="utf-8"
    )
    _fails_cleanly(capsys, path, populated_store, "is a web page (HTML), not an Excel workbook")


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    edits=st.lists(st.tuples(st.integers(0, 9727), st.integers(0, 255)), min_size=1, max_size=40),
    cut=st.one_of(st.none(), st.integers(0, 9727)),
)
def test_damaged_xls_never_crashes(populated_store, tmp_path, capsys, edits, cut):
    """Random byte damage: the import either still reads a valid table (dry run, exit 0) or exits 2 with the
    bilingual message naming the file; never a traceback, never a change to the store."""
    data = bytearray(HANOI.read_bytes())
    for pos, byte in edits:
        data[pos] = byte
    path = tmp_path / "damaged.xls"
    path.write_bytes(bytes(data[:cut] if cut is not None else data))
    before = store_hash(populated_store)
    rc = main(["import", str(path), *HANOI_ARGS, "--source", "https://x.invalid/", "--dry-run"])
    err = capsys.readouterr().err
    assert rc in (0, 2)
    if rc == 2:
        blocks = err.split("LỖI/ERROR: ")[1:]
        assert blocks and all(b.startswith(f"tệp/file {path}") and "\n  en: " in b for b in blocks), err
    assert store_hash(populated_store) == before


def test_read_grid_error_is_importfailed_not_xlrd(tmp_path):
    path = tmp_path / "x.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    with pytest.raises(ImportFailed) as info:
        read_grid(path)
    assert [p.code for p in info.value.problems] == ["xls_unreadable"]


def test_dates_keep_their_time_only_when_they_have_one():
    from cchc_data.importer.reading import _date_text, _percent_text

    assert _date_text(dt.datetime(2020, 4, 29)) == "2020-04-29"
    assert _date_text(dt.datetime(2020, 4, 29, 0, 0, 1)) == "2020-04-29T00:00:01"
    assert _date_text(dt.date(2020, 4, 29)) == "2020-04-29"
    assert [_percent_text(v) for v in (0.9168, 1, 0.855, 0.0001)] == ["91.68%", "100%", "85.5%", "0.01%"]


# ------------------------------------------------------------------ the project's real .xls workbooks
RAW = Path(__file__).resolve().parents[2] / "data" / "sources" / "indices" / "raw"


@pytest.mark.parametrize("path", sorted(RAW.glob("*.xls")), ids=lambda p: p.name)
def test_real_pci_workbooks_read(path):
    """The official VCCI PCI 2005-2011 workbooks kept for provenance (real BIFF8 files written by Excel) read
    without error; the first sheet of PCI 2005 holds exactly the PCI figures the project transcribed."""
    grid = read_grid(path)
    assert grid.sheet and all(isinstance(v, (str, int, float, bool, type(None))) for row in grid.rows for v in row)
    if path.name == "PCI_2005.xls":
        import csv

        rows = [r for r in grid.rows[1:] if isinstance(r[1], float)]
        with open(RAW.parent / "pci_2005_2019.csv", encoding="utf-8") as fh:
            tidy = sorted(float(r["pci_weighted"]) for r in csv.DictReader(fh) if r["year"] == "2005")
        assert sorted(round(r[1], 4) for r in rows) == tidy and len(tidy) == 42
        assert [r[2] for r in rows] == list(range(1, 43)) and rows[0][0] == "Bình Dương"
