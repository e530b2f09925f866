"""PDF appendices through the importer (cchc_data/importer/reading_pdf.py).

Every PDF here is built in the test with reportlab in a layout that docs/importer.md accepts: a ruled table
over several pages with its header repeated on each page, merged header cells and merged (tied) rank cells,
a title above, page numbers and a signature block around it, Vietnamese text with diacritics (DejaVu Sans).
The figures of the first test are the published Hà Nội 2022 departments table (real, with its source,
data/sources/indices/par/hanoi_internal_2022_departments.csv); every other figure is SYNTHETIC.
"""

from __future__ import annotations

import csv
import hashlib
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cchc_data.__main__ import main
from cchc_data.paths import PROJECT_ROOT, SHIPPED_DATA_DIR

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
PUBLISHED = SHIPPED_DATA_DIR / "sources" / "indices" / "par" / "hanoi_internal_2022_departments.csv"
COMMUNES_CSV = SHIPPED_DATA_DIR / "sources" / "geo" / "vn_communes_2025.csv"

pytestmark = pytest.mark.skipif(
    not FONT.exists(),
    reason=f"{FONT} is missing: the Vietnamese PDFs need a TTF with Vietnamese glyphs "
    "(apt-get install -y fonts-dejavu-core)",
)


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


def store_hash(store: Path) -> str:
    h = hashlib.sha256()
    if store.exists():
        for p in sorted(store.rglob("*")):
            h.update(str(p.relative_to(store)).encode())
            if p.is_file():
                h.update(p.read_bytes())
    return h.hexdigest()


# ------------------------------------------------------------------ building PDFs (reportlab)
def make_pdf(
    path: Path,
    header: list[list[str]],
    body: list[list[str]],
    spans=(),
    title=("UBND THÀNH PHỐ HÀ NỘI", "PHỤ LỤC", "KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH"),
    pagesize=None,
    col_widths=None,
) -> int:
    """A decision's appendix: title lines, one ruled table (header repeated on every page, `spans` merged as
    ((col, row), (col, row)) in table coordinates), 'Trang N' page numbers, a signature block. Returns pages."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A5
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    pdfmetrics.registerFont(TTFont("DejaVuSans", str(FONT)))
    style = ParagraphStyle("vi", fontName="DejaVuSans", fontSize=9, leading=12)
    table = Table(header + body, repeatRows=len(header), colWidths=col_widths)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), "DejaVuSans"),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ]
            + [("SPAN", a, b) for a, b in spans]
        )
    )
    pages = []

    def page_number(canvas, doc):
        canvas.setFont("DejaVuSans", 8)
        canvas.drawString(doc.pagesize[0] / 2, 18, f"Trang {doc.page}")
        pages.append(doc.page)

    doc = SimpleDocTemplate(str(path), pagesize=pagesize or A5, title="Phụ lục")
    story = [Paragraph(t, style) for t in title] + [Spacer(1, 10), table, Spacer(1, 20)]
    story += [Paragraph(t, style) for t in ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "(Đã ký)", "Nguyễn Văn A")]
    doc.build(story, onFirstPage=page_number, onLaterPages=page_number)
    return len(pages)


def comma(value: str) -> str:
    return value.replace(".", ",")


def published_rows() -> list[dict]:
    with open(PUBLISHED, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


# ------------------------------------------------------------------ the published table as a PDF appendix
def test_published_table_as_pdf_appendix_round_trips(store, tmp_path, capsys):
    from cchc_data.queries import rankings

    rows = published_rows()
    header = [["STT", "Tên đơn vị", "Kết quả", ""], ["", "", "Chỉ số (%)", "Xếp hạng"]]
    spans = [((0, 0), (0, 1)), ((1, 0), (1, 1)), ((2, 0), (3, 0))]  # merged STT, name, 'Kết quả' over two
    body = [
        [str(i), r["unit_name"], comma(r["score"]) if r["score"] else "-", r["rank"]] for i, r in enumerate(rows, 1)
    ]
    path = tmp_path / "phu_luc_2022.pdf"
    assert make_pdf(path, header, body, spans) >= 2  # the table runs over pages: the header repeats
    args = (
        "--index",
        "par_hanoi",
        "--year",
        2022,
        "--group",
        "departments",
        "--source",
        rows[0]["source_url"],
        "--source-title",
        rows[0]["source_title"],
    )

    before = store_hash(store)
    rc, out, err = run(capsys, path, *args, "--dry-run")
    assert rc == 0, err
    assert "units: 22" in out and store_hash(store) == before  # dry run: nothing written
    assert "(không có / none)" in out  # the PDF gives exactly the figures the shipped store holds

    rc, out, err = run(capsys, path, *args)
    assert rc == 0, err
    assert "LỖI/ERROR" not in err and "units: 22" in out
    df = rankings.ranking("par_hanoi-2022", "departments")
    assert len(df) == 22
    by_name = {r.note.split("“")[1].split("”")[0]: r for r in df.itertuples()}
    for r in rows:  # every printed name comes back with its diacritics, every figure as printed
        got = by_name[r["unit_name"]]
        assert math.isnan(got.total) if not r["score"] else got.total == float(r["score"])
        if r["rank"]:
            assert got.rank == int(r["rank"]) and got.rank_official


# ------------------------------------------------------------------ Hà Nội's 126 communes (2025), synthetic
def hanoi_communes() -> list[dict]:
    with open(COMMUNES_CSV, encoding="utf-8", newline="") as fh:
        return [r for r in csv.DictReader(fh) if r["ma_tinh_2025"] == "01"]


def test_hanoi_communes_2025_pdf_with_merged_tied_ranks(store, tmp_path, capsys):
    """SYNTHETIC figures: 126 xã/phường over several pages, a numbering row under the header (repeated on each
    page), components between the name and the index, tied units sharing a merged rank cell."""
    from cchc_data.queries import rankings

    communes = hanoi_communes()
    header = [
        ["STT", "Tên đơn vị", "LV1 (tối đa 40)", "LV2 (tối đa 60)", "Chỉ số (%)", "Xếp hạng"],
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"],
    ]
    body, spans, expected = [], [], {}
    rank = 0
    for i, c in enumerate(communes):
        lv1, lv2 = 35 - (i // 2) * 0.2, 55 - (i // 2) * 0.1  # units 2k and 2k+1 tie
        total = round(lv1 + lv2, 2)
        tied_with_previous = i % 2 == 1
        if not tied_with_previous:
            rank = i + 1
        body.append(
            [
                str(i + 1),
                c["ten_xa"],
                comma(f"{lv1:.2f}"),
                comma(f"{lv2:.2f}"),
                comma(f"{total:.2f}"),
                "" if tied_with_previous else str(rank),
            ]
        )
        if tied_with_previous:
            row = len(header) + i
            spans.append(((5, row - 1), (5, row)))  # the tied pair's rank is one merged cell
        expected["c" + c["ma_xa"]] = (total, rank)
    path = tmp_path / "hanoi_xa_phuong_2025.pdf"
    widths = [28, 150, 60, 60, 55, 45]
    assert make_pdf(path, header, body, spans, col_widths=widths) >= 3
    rc, out, err = run(
        capsys,
        path,
        "--index",
        "par_hanoi",
        "--year",
        2025,
        "--group",
        "communes",
        "--source",
        "https://example.org/synthetic-hanoi-2025.pdf",
    )
    assert rc == 0, err
    assert "units: 126" in out and "newly created 0" in out
    df = rankings.ranking("par_hanoi-2025", "communes")
    got = {r.unit_id: (r.total, int(r.rank)) for r in df.itertuples()}
    assert got == expected


# ------------------------------------------------------------------ the same checks and messages as CSV/XLSX
def test_row_errors_name_row_column_value_as_for_csv(store, tmp_path, capsys):
    header = [["STT", "Tên đơn vị", "Chỉ số (%)", "Xếp hạng"]]
    body = [["1", "Sở Tư pháp", "91,2", "1"], ["2", "Sở Nội vụ", "9O,5", "2"], ["3", "Sở Không Có", "88", "3"]]
    path = tmp_path / "bad.pdf"
    make_pdf(path, header, body)
    before = store_hash(store)
    rc, _out, err = run(
        capsys,
        path,
        "--index",
        "par_hanoi",
        "--year",
        2022,
        "--group",
        "departments",
        "--source",
        "https://example.org/synthetic",
    )
    assert rc == 2 and store_hash(store) == before
    assert f"tệp/file {path}, dòng/row 3, cột/column 3 “Chỉ số (%)”, giá trị/value “9O,5”" in err
    assert "dòng/row 4, cột/column 2 “Tên đơn vị”, giá trị/value “Sở Không Có”" in err
    assert "nothing was written to the store" in err


def test_scanned_pdf_is_refused_no_text_layer(store, tmp_path, capsys):
    """An image-only PDF (a scan): exit 2, a message in both languages saying the file has no text layer."""
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    png = tmp_path / "scan.png"
    img = Image.new("RGB", (600, 300), "white")
    draw = ImageDraw.Draw(img)
    for y in range(20, 300, 40):
        draw.line((20, y, 580, y), fill="black", width=2)
        draw.text((30, y + 10), "STT  Ten don vi  Chi so", fill="black")
    img.save(png)
    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.drawImage(str(png), 40, 400, width=500, height=250)
    c.showPage()
    c.drawImage(str(png), 40, 400, width=500, height=250)
    c.save()
    before = store_hash(store)
    rc, _out, err = run(
        capsys,
        path,
        "--index",
        "par_hanoi",
        "--year",
        2022,
        "--group",
        "departments",
        "--source",
        "https://example.org/synthetic",
    )
    assert rc == 2 and store_hash(store) == before
    assert "no text layer (2 page(s) of images only)" in err and "không có lớp chữ" in err


@pytest.mark.parametrize("kind", ["no_table", "encrypted", "truncated"])
def test_unreadable_pdfs_are_refused_clearly(kind, store, tmp_path, capsys):
    from reportlab.pdfgen import canvas

    path = tmp_path / f"{kind}.pdf"
    if kind == "truncated":
        make_pdf(tmp_path / "full.pdf", [["STT", "Tên đơn vị", "Chỉ số (%)"]], [["1", "Sở Tư pháp", "91,2"]])
        path.write_bytes((tmp_path / "full.pdf").read_bytes()[:1500])
    else:
        c = canvas.Canvas(str(path), encrypt="secret" if kind == "encrypted" else None)
        c.drawString(72, 700, "Kết quả Chỉ số CCHC: Sở Tư pháp 91,2 (no ruled table)")
        c.save()
    rc, _out, err = run(
        capsys,
        path,
        "--index",
        "par_hanoi",
        "--year",
        2022,
        "--group",
        "departments",
        "--source",
        "https://example.org/synthetic",
    )
    expected = {"no_table": "no ruled table", "encrypted": "password-protected", "truncated": "damaged or cut short"}
    assert rc == 2 and expected[kind] in err and "vi: " in err


def test_options_and_pdf_problems_are_reported_together(store, tmp_path, capsys):
    header = [["STT", "Tên đơn vị", "Chỉ số (%)"]]
    path = tmp_path / "t.pdf"
    make_pdf(path, header, [["1", "Sở Tư pháp", "abc"]])
    rc, _out, err = run(capsys, path, "--index", "par_hanoi", "--year", 2022, "--group", "departments")
    assert rc == 2 and "Missing option --source" in err and "“abc”" in err


# ------------------------------------------------------------------ the real command line
def test_real_cli_imports_a_pdf_into_a_tmp_store(tmp_path):
    """`python -m cchc_data import FILE.pdf …` as a user types it, with CCHC_STORE_DIR pointing at a tmp store."""
    rows = published_rows()
    header = [["STT", "Tên đơn vị", "Chỉ số (%)", "Xếp hạng"]]
    body = [
        [str(i), r["unit_name"], comma(r["score"]) if r["score"] else "-", r["rank"]] for i, r in enumerate(rows, 1)
    ]
    path = tmp_path / "phu_luc.pdf"
    make_pdf(path, header, body)
    env = {**os.environ, "CCHC_STORE_DIR": str(tmp_path / "store")}
    env.pop("CCHC_DATA_DIR", None)
    cmd = [
        sys.executable,
        "-m",
        "cchc_data",
        "import",
        str(path),
        "--index",
        "par_hanoi",
        "--year",
        "2022",
        "--group",
        "departments",
        "--source",
        rows[0]["source_url"],
    ]
    done = subprocess.run(cmd, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "units: 22" in done.stdout and "written as version 0001" in done.stdout
    assert (tmp_path / "store" / "CURRENT").exists()


# ------------------------------------------------------------------ choosing the pages of one table (--sheet)
def test_sheet_chooses_the_pages_of_one_appendix(store, tmp_path, capsys):
    """A decision with two appendices (districts on page 1, departments from page 2): --sheet 2-3 reads the second.
    The departments' figures are the published 2022 table; the districts' are SYNTHETIC."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import PageBreak, SimpleDocTemplate, Table, TableStyle

    from cchc_data.queries import rankings

    pdfmetrics.registerFont(TTFont("DejaVuSans", str(FONT)))
    style = TableStyle([("FONTNAME", (0, 0), (-1, -1), "DejaVuSans"), ("GRID", (0, 0), (-1, -1), 0.5, colors.black)])
    districts = Table(
        [["STT", "Quận, huyện", "Chỉ số (%)"], ["1", "Quận Hoàn Kiếm", "90,00"], ["2", "Huyện Ba Vì", "80,00"]]
    )
    rows = published_rows()
    departments = Table(
        [["STT", "Tên đơn vị", "Chỉ số (%)", "Xếp hạng"]]
        + [[str(i), r["unit_name"], comma(r["score"]) if r["score"] else "-", r["rank"]] for i, r in enumerate(rows, 1)]
    )
    districts.setStyle(style)
    departments.setStyle(style)
    path = tmp_path / "two_appendices.pdf"
    SimpleDocTemplate(str(path), pagesize=A4).build([districts, PageBreak(), departments])
    common = ["--index", "par_hanoi", "--year", 2022, "--group", "departments", "--source", rows[0]["source_url"]]
    rc, out, err = run(capsys, path, *common, "--sheet", "2-3", "--dry-run")
    assert rc == 2 and "(the file has 2 pages)" in err  # page 3 does not exist
    rc, out, err = run(capsys, path, *common, "--sheet", "2")
    assert rc == 0, err
    assert "units: 22" in out
    assert len(rankings.ranking("par_hanoi-2022", "departments")) == 22
    rc, out, err = run(capsys, path, *common, "--dry-run")  # both tables: the districts are not departments
    assert rc == 2 and "Quận Hoàn Kiếm" in err


def test_fonts_without_a_unicode_map_are_refused(store, tmp_path, capsys, monkeypatch):
    """pdfminer gives (cid:N) for a font with no Unicode map: say so instead of reporting unknown units."""
    from cchc_data.importer import reading_pdf

    path = tmp_path / "cid.pdf"
    make_pdf(path, [["STT", "Tên đơn vị", "Chỉ số (%)"]], [["1", "Sở Tư pháp", "91,2"]])
    monkeypatch.setattr(
        reading_pdf,
        "_page_tables",
        lambda page: [[["STT", "(cid:3)(cid:45)", "(cid:7)"], ["1", "(cid:9)(cid:2)", "91,2"]]],
    )
    rc, _out, err = run(
        capsys,
        path,
        "--index",
        "par_hanoi",
        "--year",
        2022,
        "--group",
        "departments",
        "--source",
        "https://example.org/synthetic",
    )
    assert rc == 2 and "no Unicode map" in err and "bảng mã Unicode" in err


def test_english_press_layout_pdf(store, tmp_path, capsys):
    """English headers 'No., Unit, PAR Index (%), Rank', unaccented names with 'district', dot decimals, a rank only
    for the first row. Real figures: data/sources/indices/par/hanoi_internal_2019_districts.csv; the PDF gives
    exactly what the shipped store holds (no figure changes)."""
    with open(
        SHIPPED_DATA_DIR / "sources" / "indices" / "par" / "hanoi_internal_2019_districts.csv", encoding="utf-8"
    ) as fh:
        real = list(csv.DictReader(fh))
    english = {"quận Cầu Giấy": "Cau Giay district", "Long Biên": "Long Bien District", "Đống Đa": "Dong Da district"}
    body = [[str(i), english[r["unit_name"]], r["score"], r["rank"]] for i, r in enumerate(real, 1)]
    path = tmp_path / "press.pdf"
    make_pdf(path, [["No.", "Unit", "PAR Index (%)", "Rank"]], body, title=("Hanoi PAR Index 2019",))
    rc, out, err = run(capsys, path, "--index", "par_hanoi", "--year", 2019, "--group", "districts",
                       "--source", real[0]["source_url"])  # fmt: skip
    assert rc == 0, err
    assert "units: 3" in out and "changed: 0" in out and "newly created 0" in out
