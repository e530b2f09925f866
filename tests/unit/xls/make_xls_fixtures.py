"""How the .xls (Excel 97-2003, BIFF8) fixtures in this folder were made, and what they hold.

No maintained library writes .xls any more, so the fixtures were generated ONCE with xlwt 1.3.0 (the last
release, 2017; pure Python, it still runs on Python 3.11) and committed. xlwt is not a project dependency;
to regenerate (the bytes may differ, the content will not):

    .venv/bin/pip install --target /tmp/xlwt xlwt==1.3.0
    PYTHONPATH=/tmp/xlwt .venv/bin/python -m tests.unit.xls.make_xls_fixtures

The content of every fixture is the data below (SHEETS, MERGES, CELL_TYPES, ...), which the tests import and
compare with what xlrd reads from the committed bytes (tests/unit/test_importer_xls.py::test_fixtures_hold_what_the_script_says),
so a fixture that drifted from this script fails.

* hanoi_2022_departments.xls: the REAL Hà Nội 2022 department table (data/sources/indices/par/
  hanoi_internal_2022_departments.csv, with its source) laid out as agencies publish it: two merged title rows,
  a two-row header with merged cells (STT and Tên đơn vị merged down, 'Kết quả' merged over 'Chỉ số (%)' |
  'Xếp hạng'), scores as numbers formatted 0.00, '-' where the copy used prints no value; a second sheet of notes.
* synthetic_components.xls: SYNTHETIC figures (labelled so in the title) for real Hà Nội department names:
  'Điểm các lĩnh vực' merged over 'LV1 (50)' | 'LV2 (50)', two units tied with ONE merged rank cell, a percent-
  formatted index column (stored 0.855, shown 85.50%).
* cell_types.xls: SYNTHETIC, one cell of each kind (text, decomposed text, whole number, decimal, date, date
  and time, percentage, boolean, error, formatted blank, whitespace text, a merged 2x2 block).
* encrypted.xls: hanoi_2022_departments.xls with a FILEPASS record (RC4 encryption header) inserted after the
  workbook BOF, which is what marks a password-protected workbook. The records after it are left in clear text:
  readers (Excel, xlrd) stop at FILEPASS when they have no password, so for the importer it is a protected file.
"""

from __future__ import annotations

import csv
import datetime as dt
import struct
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
PUBLISHED = HERE.parents[2] / "data" / "sources" / "indices" / "par" / "hanoi_internal_2022_departments.csv"


def published_rows() -> list[dict]:
    with open(PUBLISHED, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


# ------------------------------------------------------------------ content (imported by the tests)
# A cell: (row, col, value, kind); kind = "text" | "number" | "percent" | "date" | "datetime" | "bool" | "error"
# | "blank". Rows and columns are 0-based as in xlrd. MERGES: (rlo, rhi, clo, chi), half-open as in xlrd.
def hanoi_cells() -> list[tuple]:
    cells = [
        (0, 0, "UBND THÀNH PHỐ HÀ NỘI", "text"),
        (1, 0, "KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2022 CỦA CÁC SỞ, BAN, NGÀNH", "text"),
        (3, 0, "STT", "text"),
        (3, 1, "Tên đơn vị", "text"),
        (3, 2, "Kết quả", "text"),
        (4, 2, "Chỉ số (%)", "text"),
        (4, 3, "Xếp hạng", "text"),
    ]
    for i, r in enumerate(published_rows()):
        row = 5 + i
        cells.append((row, 0, i + 1, "number"))
        cells.append((row, 1, r["unit_name"], "text"))
        cells.append((row, 2, float(r["score"]), "number") if r["score"] else (row, 2, "-", "text"))
        if r["rank"]:
            cells.append((row, 3, int(r["rank"]), "number"))
    return cells


HANOI_MERGES = [(0, 1, 0, 4), (1, 2, 0, 4), (3, 5, 0, 1), (3, 5, 1, 2), (3, 4, 2, 4)]
HANOI_NOTES = [(0, 0, "Nguồn: tinbong247news.net (xem cột nguồn của bảng chép lại trong data/sources)", "text")]

SYNTH_UNITS = [
    ("Sở Nội vụ", 45.5, 44.0, 0.895, 1),
    ("Sở Tài chính", 42.5, 43.0, 0.855, 2),
    ("Sở Tư pháp", 43.5, 42.0, 0.855, 2),
    ("Sở Y tế", 40.0, 40.25, 0.8025, 4),
]


def synthetic_cells() -> list[tuple]:
    cells = [
        (0, 0, "BẢNG THỬ NGHIỆM – SYNTHETIC (không phải số liệu công bố)", "text"),
        (2, 0, "STT", "text"),
        (2, 1, "Tên đơn vị", "text"),
        (2, 2, "Điểm các lĩnh vực", "text"),
        (2, 4, "Tổng điểm", "text"),
        (2, 5, "Chỉ số (%)", "text"),
        (2, 6, "Xếp hạng", "text"),
        (3, 2, "LV1 (50)", "text"),
        (3, 3, "LV2 (50)", "text"),
    ]
    for i, (name, a, b, pct, rank) in enumerate(SYNTH_UNITS):
        row = 4 + i
        cells += [
            (row, 0, i + 1, "number"),
            (row, 1, name, "text"),
            (row, 2, a, "number"),
            (row, 3, b, "number"),
            (row, 4, a + b, "number"),
            (row, 5, pct, "percent"),
        ]
        if i != 2:  # the tied unit's rank is the merged cell above it
            cells.append((row, 6, rank, "number"))
    return cells


SYNTH_MERGES = [
    (0, 1, 0, 7),
    (2, 4, 0, 1),
    (2, 4, 1, 2),
    (2, 3, 2, 4),
    (2, 4, 4, 5),
    (2, 4, 5, 6),
    (2, 4, 6, 7),
    (5, 7, 6, 7),
]

CELL_TYPES = [
    (0, 0, "Hà Nội", "text"),
    (0, 1, unicodedata.normalize("NFD", "Hà Nội"), "text"),
    (0, 2, 7, "number"),
    (0, 3, 84.64, "number"),
    (1, 0, dt.datetime(2020, 4, 29), "date"),
    (1, 1, dt.datetime(2020, 4, 29, 13, 30), "datetime"),
    (1, 2, 0.9168, "percent"),
    (1, 3, True, "bool"),
    (2, 0, "#DIV/0!", "error"),
    (2, 1, None, "blank"),
    (2, 2, "   ", "text"),
    (3, 0, "Gộp", "text"),
]
CELL_TYPES_MERGES = [(3, 5, 0, 2)]
# What the importer's grid holds for CELL_TYPES (what Excel shows; the same as for an .xlsx with those cells).
CELL_TYPES_GRID = [
    ["Hà Nội", "Hà Nội", 7, 84.64],
    ["2020-04-29", "2020-04-29T13:30:00", "91.68%", True],
    ["#DIV/0!", None, None, None],
    ["Gộp", "Gộp", None, None],
    ["Gộp", "Gộp", None, None],
]

FIXTURES = {
    "hanoi_2022_departments.xls": [("Phụ lục", hanoi_cells, HANOI_MERGES), ("Ghi chú", lambda: HANOI_NOTES, [])],
    "synthetic_components.xls": [("Bảng 1", synthetic_cells, SYNTH_MERGES)],
    "cell_types.xls": [("Kiểu ô", lambda: CELL_TYPES, CELL_TYPES_MERGES)],
}

FILEPASS = 0x002F
BOUNDSHEET = 0x0085
# RC4 encryption header (MS-XLS 2.4.117 FilePass, RC4EncryptionHeader): type 1, version 1.1, salt, verifier, hash.
FILEPASS_BODY = struct.pack("<HHH", 1, 1, 1) + bytes(range(16)) + bytes(range(16, 32)) + bytes(range(32, 48))


# ------------------------------------------------------------------ writing (needs xlwt)
def _write_sheet(wb, name, cells, merges):
    import xlwt

    styles = {
        "number": xlwt.easyxf(num_format_str="0.00"),
        "percent": xlwt.easyxf(num_format_str="0.00%"),
        "date": xlwt.easyxf(num_format_str="dd/mm/yyyy"),
        "datetime": xlwt.easyxf(num_format_str="dd/mm/yyyy hh:mm"),
        "text": xlwt.easyxf("align: wrap on"),
        "blank": xlwt.easyxf("borders: left thin"),
    }
    ws = wb.add_sheet(name)
    merged_from = {(m[0], m[2]): m for m in merges}
    for row, col, value, kind in cells:
        if (row, col) in merged_from:
            rlo, rhi, clo, chi = merged_from[(row, col)]
            ws.write_merge(rlo, rhi - 1, clo, chi - 1, value, styles.get(kind, styles["text"]))
        elif kind == "error":
            ws.row(row).set_cell_error(col, value)
        elif kind == "bool":
            ws.write(row, col, value)
        elif kind == "number" and isinstance(value, int):
            ws.write(row, col, value)
        else:
            ws.write(row, col, value, styles[kind])
    return ws


def workbook_biff(sheets) -> bytes:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    for name, cells, merges in sheets:
        _write_sheet(wb, name, cells(), merges)
    return wb.get_biff_data()


def records(biff: bytes):
    pos = 0
    while pos + 4 <= len(biff):
        rtype, size = struct.unpack_from("<HH", biff, pos)
        yield pos, rtype, biff[pos + 4 : pos + 4 + size]
        pos += 4 + size


def with_filepass(biff: bytes) -> bytes:
    """Insert FILEPASS after the workbook-globals BOF and move the BOUNDSHEET sheet offsets by its size."""
    record = struct.pack("<HH", FILEPASS, len(FILEPASS_BODY)) + FILEPASS_BODY
    first = next(records(biff))
    cut = first[0] + 4 + len(first[2])
    out = bytearray(biff[:cut] + record + biff[cut:])
    for pos, rtype, body in records(bytes(out)):
        if rtype == BOUNDSHEET:
            (offset,) = struct.unpack_from("<I", body)
            struct.pack_into("<I", out, pos + 4, offset + len(record))
    return bytes(out)


def main() -> None:
    from xlwt import CompoundDoc

    for name, sheets in FIXTURES.items():
        CompoundDoc.XlsDoc().save(str(HERE / name), workbook_biff(sheets))
    CompoundDoc.XlsDoc().save(
        str(HERE / "encrypted.xls"), with_filepass(workbook_biff(FIXTURES["hanoi_2022_departments.xls"]))
    )
    for p in sorted(HERE.glob("*.xls")):
        print(p.name, p.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
