"""PDF appendices into the importer's grid of cells (pdfplumber).

Decisions publish results as a table in a PDF appendix: one table over one or more pages, its header repeated at
the top of each page, merged cells (a rank shared by tied units, a header over several columns), and titles,
page numbers and signatures around it. Only the table is read:

* the table is found by its ruling lines (the cell borders a table drawn in Word or Excel prints with); text
  outside it (titles, page numbers, "KT. CHỦ TỊCH", signatures) is not read;
* a merged cell gives its text to every row and column it covers, as merged cells of an XLSX sheet do;
* the tables of all pages are one table; a row at the top of a later page that repeats a row of the first
  page's header (the header, a numbering row such as ``(1) (2) (3)``) is dropped;
* a cell's lines are joined with a space; text is NFC.

Rows are numbered as the table prints them, from its first row, page after page, without the repeated header
rows; columns by number. ``--sheet`` chooses the pages of the table (``3-5``) when a PDF holds several. A PDF with no text layer (a scan: pages that are only images) is refused with a
message saying so; so is a PDF with text but no ruled table, a password-protected one and a damaged one.
"""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfplumber.utils import extract_text
from pdfplumber.utils.exceptions import PdfminerException

from ..textnorm import fold, nfc
from .errors import MESSAGES, ImportFailed, Problem
from .reading import Grid

PDF_SIGNATURE = b"%PDF-"
LINES = {"vertical_strategy": "lines", "horizontal_strategy": "lines", "snap_tolerance": 3, "join_tolerance": 3}
EDGE_TOLERANCE = 2.0  # points: cell borders closer than this are one grid line
HEADER_SCAN_ROWS = 8  # rows of the first page's table that a later page may repeat at its top

# Messages of the problems this module raises (kept with the code that raises them).
MESSAGES.setdefault(
    "pdf_no_text",
    (
        "Tệp PDF không có lớp chữ ({pages} trang chỉ có hình ảnh): đây là bản quét hoặc ảnh chụp, nên không đọc "
        "được số liệu. Hãy dùng bản PDF gốc có chữ (tải từ cổng thông tin, chọn được và sao chép được chữ), "
        "hoặc gõ/nhận dạng (OCR) bảng vào Excel, kiểm tra lại từng số, rồi nhập tệp .xlsx.",
        "The PDF has no text layer ({pages} page(s) of images only): it is a scan or a photo, so its figures "
        "cannot be read. Use the original PDF with text (from the portal; its text can be selected and "
        "copied), or type/OCR the table into Excel, check every figure, and import the .xlsx.",
    ),
)
MESSAGES.setdefault(
    "pdf_no_table",
    (
        "Tệp PDF có chữ nhưng không có bảng kẻ ô (đường viền ô) nào. Chỉ đọc được bảng có kẻ ô như bảng phụ lục "
        "in từ Word hoặc Excel; hãy sao chép bảng sang Excel và nhập tệp .xlsx.",
        "The PDF has text but no ruled table (cell borders). Only tables with cell borders, as appendix tables "
        "printed from Word or Excel have, are read; copy the table into Excel and import the .xlsx.",
    ),
)
MESSAGES.setdefault(
    "pdf_pages",
    (
        "--sheet với tệp PDF là các trang của bảng, ví dụ 3 hoặc 3-5 hoặc 2,4-6 (tệp có {count} trang).",
        "--sheet with a PDF gives the table's pages, e.g. 3 or 3-5 or 2,4-6 (the file has {count} pages).",
    ),
)
MESSAGES.setdefault(
    "pdf_no_unicode",
    (
        "Phông chữ trong tệp PDF không có bảng mã Unicode, nên chữ đọc ra là mã (cid:…), không phải chữ. Hãy dùng "
        "bản PDF khác hoặc sao chép bảng sang Excel rồi nhập tệp .xlsx.",
        "The PDF's fonts have no Unicode map, so its text reads as codes (cid:…), not letters. Use another copy "
        "of the PDF, or copy the table into Excel and import the .xlsx.",
    ),
)
MESSAGES.setdefault(
    "pdf_encrypted",
    (
        "Tệp PDF được đặt mật khẩu, nên không đọc được. Hãy mở bằng trình đọc PDF, lưu bản không mật khẩu rồi "
        "nhập lại.",
        "The PDF is password-protected and cannot be read. Open it in a PDF reader, save a copy without the "
        "password and import again.",
    ),
)
MESSAGES.setdefault(
    "pdf_unreadable",
    (
        "Tệp PDF bị hỏng hoặc bị cắt cụt ({detail}). Hãy tải lại tệp.",
        "The PDF is damaged or cut short ({detail}). Download it again.",
    ),
)


def is_pdf(path: Path) -> bool:
    """By the content, as a PDF reader does (a PDF saved with another name still opens)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(1024).lstrip().startswith(PDF_SIGNATURE)
    except OSError:
        return False


def read_pdf(path: Path, pages: str | None = None):
    """The grid of the PDF's table (reading.Grid); `pages` (the --sheet option) chooses pages, e.g. ``3-5``.
    Raises ImportFailed for scans, PDFs without a table, fonts without a Unicode map, bad page choices, etc."""

    try:
        pdf = pdfplumber.open(path)
    except PdfminerException as exc:
        raise _open_problem(exc) from exc
    except PDFPasswordIncorrect as exc:
        raise ImportFailed([Problem("pdf_encrypted")]) from exc
    except Exception as exc:  # pdfminer raises many types for a damaged file; each means "cannot read it"
        raise ImportFailed([Problem("pdf_unreadable", params={"detail": _detail(exc)})]) from exc
    with pdf:
        try:
            chosen = page_numbers(pages, len(pdf.pages))
            selected = [pdf.pages[n - 1] for n in chosen]
            if not any(page.chars for page in selected):
                raise ImportFailed([Problem("pdf_no_text", params={"pages": len(selected)})])
            tables = [grid for page in selected for grid in _page_tables(page)]
        except ImportFailed:
            raise
        except PdfminerException as exc:
            raise _open_problem(exc) from exc
        except Exception as exc:  # a damaged content stream
            raise ImportFailed([Problem("pdf_unreadable", params={"detail": _detail(exc)})]) from exc
    if not tables:
        raise ImportFailed([Problem("pdf_no_table")])
    rows = join_pages(tables)
    cells = [v for r in rows for v in r if v]
    unmapped = [v for v in cells if _CID.search(v)]
    if unmapped and len(unmapped) * 10 >= len(cells):
        raise ImportFailed([Problem("pdf_no_unicode", value=unmapped[0])])
    label = f"trang/pages {pages.strip()}" if pages else None
    grid_rows: list[list[object]] = [list(r) for r in rows]
    return Grid(grid_rows, list(range(1, len(rows) + 1)), letters=False, encoding=None, sheet=label)


_CID = re.compile(r"\(cid:\d+\)")


def page_numbers(spec: str | None, count: int) -> list[int]:
    """'3', '3-5', '2,4-6' (1-based, as a PDF reader numbers pages) -> page numbers; None -> every page."""
    if not spec:
        return list(range(1, count + 1))
    out: list[int] = []
    for part in spec.replace(" ", "").split(","):
        m = re.fullmatch(r"(\d+)(?:[-–](\d+))?", part)
        first, last = (int(m.group(1)), int(m.group(2) or m.group(1))) if m else (0, 0)
        if not m or not 1 <= first <= last <= count:
            raise ImportFailed([Problem("pdf_pages", value=spec, params={"count": count})])
        out.extend(n for n in range(first, last + 1) if n not in out)
    return out


def _open_problem(exc: Exception) -> ImportFailed:
    inner = exc.args[0] if exc.args else exc
    if type(inner).__name__ == "PDFPasswordIncorrect":
        return ImportFailed([Problem("pdf_encrypted")])
    return ImportFailed([Problem("pdf_unreadable", params={"detail": _detail(inner)})])


def _detail(exc: object) -> str:
    text = str(exc).strip()
    return (type(exc).__name__ + (": " + text[:160] if text else "")) if isinstance(exc, BaseException) else text


def _page_tables(page) -> list[list[list[str | None]]]:
    out = []
    for table in page.find_tables(LINES):
        grid = cells_to_grid(page, table.cells)
        if grid and len(grid) >= 1 and max(len(r) for r in grid) >= 2:
            out.append(grid)
    return out


def _edges(values: list[float]) -> list[float]:
    """Sorted grid lines, borders within EDGE_TOLERANCE merged."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > EDGE_TOLERANCE:
            out.append(v)
    return out


def _index(edges: list[float], v: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - v))


def cells_to_grid(page, cells: list[tuple[float, float, float, float]]) -> list[list[str | None]]:
    """The cells (bboxes) of one table as a row x column grid; a merged cell fills every position it covers."""
    if not cells:
        return []
    xs = _edges([c[0] for c in cells] + [c[2] for c in cells])
    ys = _edges([c[1] for c in cells] + [c[3] for c in cells])
    grid: list[list[str | None]] = [[None] * (len(xs) - 1) for _ in range(len(ys) - 1)]
    texts = cell_texts(page, cells)
    for (x0, top, x1, bottom), text in zip(cells, texts):
        c0, c1 = _index(xs, x0), _index(xs, x1)
        r0, r1 = _index(ys, top), _index(ys, bottom)
        for r in range(r0, r1):
            for c in range(c0, c1):
                grid[r][c] = text
    return [row for row in grid if any(v is not None for v in row)]


def cell_texts(page, cells) -> list[str | None]:
    """Each cell's text: the page's characters whose centre lies in the cell, in one pass over the characters
    (cropping the page once per cell costs a pass over every character per cell)."""
    order = sorted(range(len(cells)), key=lambda i: (cells[i][1], cells[i][0]))
    by_cell: dict[int, list[dict]] = {}
    for ch in page.chars:
        cx, cy = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
        for i in order:
            x0, top, x1, bottom = cells[i]
            if top <= cy <= bottom and x0 <= cx <= x1:
                by_cell.setdefault(i, []).append(ch)
                break
    out: list[str | None] = []
    for i in range(len(cells)):
        text = extract_text(by_cell[i]) if i in by_cell else ""
        text = nfc(re.sub(r"\s+", " ", text))
        out.append(text or None)
    return out


def _row_key(row: list[str | None]) -> tuple:
    return tuple(fold(v) if v else "" for v in row)


def join_pages(tables: list[list[list[str | None]]]) -> list[list[str | None]]:
    """One table from the tables of every page: pad to the widest, drop header rows repeated at a page's top."""
    width = max(len(r) for t in tables for r in t)
    padded = [[r + [None] * (width - len(r)) for r in t] for t in tables]
    first = padded[0]
    header = {_row_key(r) for r in first[:HEADER_SCAN_ROWS] if not _has_data_number(r)}
    rows = list(first)
    for table in padded[1:]:
        start = 0
        while start < len(table) and _row_key(table[start]) in header:
            start += 1
        rows.extend(table[start:])
    return rows


def _has_data_number(row: list[str | None]) -> bool:
    """A row with a figure (a number that is not a column number such as (3)) past its first two cells."""
    for v in row[2:]:
        if v and re.fullmatch(r"[\d.,\s%]+", v) and re.search(r"\d", v):
            return True
    return False
