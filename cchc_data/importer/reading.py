"""Reading CSV/XLSX/XLS into a grid of cells, decoding, legacy-font detection and header detection."""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..textnorm import fold, nfc
from .errors import ImportFailed, Problem
from .numbers import NotANumber, is_blank, parse_number

HEADER_SCAN_ROWS = 30


@dataclass
class Grid:
    rows: list[list[object]]  # cell values: str, float, int or None
    row_numbers: list[int]  # 1-based row numbers in the file, parallel to rows
    letters: bool  # XLSX/XLS: columns named by letter; CSV: by number
    encoding: str | None = None
    sheet: str | None = None

    def col_name(self, index: int) -> str:
        if self.letters:
            from openpyxl.utils import get_column_letter  # openpyxl takes ~0.3 s to import: only an XLSX file pays it

            return get_column_letter(index + 1)
        return str(index + 1)


# ------------------------------------------------------------------ decoding
def decode_bytes(data: bytes) -> tuple[str, str]:
    """(text, encoding). UTF-8 (with or without BOM), UTF-16 (BOM or NUL pattern), else Windows-1258.

    Never raises: bytes that fit no encoding (a BOM followed by invalid bytes, UTF-16 of odd length or with a lone
    surrogate) give encoding 'unknown', which read_grid refuses with its bilingual message."""
    try:
        if data.startswith(codecs.BOM_UTF8):
            return data[3:].decode("utf-8"), "utf-8-sig"
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return data.decode("utf-16"), "utf-16"
        sample = data[:4000]
        if len(sample) >= 4 and sample.count(b"\x00") > len(sample) // 4:
            # UTF-16 without BOM: ASCII text has NUL every other byte.
            even_nuls = sample[0::2].count(b"\x00")
            odd_nuls = sample[1::2].count(b"\x00")
            return data.decode("utf-16-be" if even_nuls > odd_nuls else "utf-16-le"), "utf-16"
    except UnicodeDecodeError:
        return "", "unknown"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1258"), "windows-1258"
    except UnicodeDecodeError:
        return "", "unknown"


# ------------------------------------------------------------------ legacy fonts (TCVN3 / VNI)
_VIET_OK_LATIN1 = set("ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý")
_VOWELS = set("aeiouyAEIOUYâêôÂÊÔ")


def _is_unicode_vietnamese(ch: str) -> bool:
    return ch in "ĂăĐđƠơƯưĨĩŨũ" or "\u1ea0" <= ch <= "\u1ef9"


def _foreign(ch: str) -> bool:
    return "\u00a1" <= ch <= "\u00ff" and ch not in _VIET_OK_LATIN1 and ch not in "°×÷«»"


def detect_legacy_font(texts: list[str]) -> str | None:
    """'TCVN3 (ABC)' or 'VNI' when text cells look typed in a legacy font encoding, else None.

    Unicode Vietnamese never uses Latin-1 letters such as µ, ë, ©, ø, ä. A cell with such letters and no
    Unicode Vietnamese letter is legacy text. TCVN3 replaces the whole accented vowel (Hµ Néi: 'µ' after a
    consonant); VNI writes the accent as an extra character after the vowel (Haø Noäi).
    """
    legacy = unicode = 0
    after_vowel = total = 0
    for text in texts:
        if any(_is_unicode_vietnamese(ch) for ch in text):
            unicode += 1
        elif any(_foreign(ch) for ch in text):
            legacy += 1
            for prev, ch in zip(" " + text, text):
                if _foreign(ch):
                    total += 1
                    after_vowel += prev in _VOWELS
    if legacy and (unicode == 0 or (legacy >= 2 and legacy * 4 >= legacy + unicode)):
        return "VNI" if after_vowel * 2 > total else "TCVN3 (ABC)"
    return None


# ------------------------------------------------------------------ reading files
# Limits (docs/importer.md, "Bounds and limits"): far above any published table (the national commune ranking has
# about 10,000 rows and 20 columns), low enough that any file under MAX_FILE_BYTES is read within 500 MB of memory.
MAX_FILE_BYTES = 50 * 1000 * 1000
MAX_ROWS = 100_000
MAX_COLS = 200
MAX_CELLS = 2_000_000  # cells holding a value
MAX_GRID = 5_000_000  # rows x columns of a sheet's extent (XLSX, XLS)
MAX_SHARED_STRINGS_BYTES = 64 * 1000 * 1000  # an XLSX's table of texts, uncompressed
BINARY_SIGNATURES = {b"\x89PNG": "PNG", b"%PDF": "PDF", b"\xff\xd8\xff": "JPEG", b"GIF8": "GIF"}

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of .xls files (and of encrypted .xlsx)
ZIP_SIGNATURE = b"PK\x03\x04"  # the container of .xlsx files


def _too_large(what: str, limit: int, where: str) -> ImportFailed:
    return ImportFailed(
        [
            Problem(
                "too_large",
                params={"what_vi": LIMIT_VI[what], "what_en": LIMIT_EN[what], "limit": f"{limit:,}", "where": where},
            )
        ]
    )


LIMIT_VI = {
    "bytes": "byte",
    "rows": "dòng",
    "cols": "cột",
    "cells": "ô có dữ liệu",
    "texts": "byte văn bản",
    "grid": "ô (dòng × cột)",
}
LIMIT_EN = {
    "bytes": "bytes",
    "rows": "rows",
    "cols": "columns",
    "cells": "cells with data",
    "texts": "bytes of text",
    "grid": "cells (rows × columns)",
}


def read_grid(path: Path, sheet: str | None = None) -> Grid:
    """The raw cell grid of a CSV, XLSX or XLS file. Raises ImportFailed for unreadable files."""
    try:
        if not path.exists() or not path.is_file():
            raise ImportFailed([Problem("file_missing")])
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:  # e.g. a FILE inside a directory this user may not read (PermissionError)
        raise ImportFailed([Problem("file_unreadable", params={"detail": exc.strerror or str(exc)})]) from exc
    if size >= MAX_FILE_BYTES:
        raise _too_large("bytes", MAX_FILE_BYTES, f"{size:,} bytes")
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        kind = next((k for sig, k in BINARY_SIGNATURES.items() if head.startswith(sig)), None)
        if kind:
            raise ImportFailed([Problem("not_text", params={"kind": kind})])
        if head.startswith(ZIP_SIGNATURE) or head == OLE2_SIGNATURE:
            suffix = ".xlsx"  # a workbook named .csv: read as the workbook it is (the content decides)
    if suffix in (".xlsx", ".xlsm", ".xls"):
        # Go by the content, as Excel does: an .xls saved with the .xlsx name or the other way round still opens.
        if head.startswith(ZIP_SIGNATURE):
            grid = _read_xlsx(path, sheet)
        elif head == OLE2_SIGNATURE and suffix != ".xls" and _ole_encrypted_package(path):
            raise ImportFailed([Problem("file_encrypted")])
        elif head == OLE2_SIGNATURE or suffix == ".xls":
            grid = _read_xls(path, sheet)
        else:
            grid = _read_xlsx(path, sheet)
    elif suffix in (".csv", ".txt", ".tsv"):
        grid = _read_csv(path)
    elif suffix == ".pdf":
        from .reading_pdf import read_pdf  # pdfplumber loads only for a PDF

        grid = read_pdf(path, sheet)  # --sheet: the table's pages (3-5)
    else:
        raise ImportFailed([Problem("file_type", value=path.suffix)])
    if grid.encoding == "unknown":
        raise ImportFailed([Problem("encoding_unknown")])
    texts = [c for row in grid.rows for c in row if isinstance(c, str) and c.strip()]
    font = detect_legacy_font(texts)
    if font:
        sample = next((t for t in texts if any(_foreign(ch) for ch in t)), None)
        raise ImportFailed([Problem("legacy_font", value=sample, params={"font": font})])
    return grid


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+\Z")


def _read_csv(path: Path) -> Grid:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFailed([Problem("file_unreadable", params={"detail": exc.strerror or str(exc)})]) from exc
    text, encoding = decode_bytes(data)
    del data
    if encoding == "unknown" or "\x00" in text:
        raise ImportFailed([Problem("encoding_unknown")])
    delimiter = _sniff_delimiter(text)
    # strict: a quoted field still open at the end of the file ("unexpected end of data") is an error, not a
    # last field that silently swallows the rest of the file.
    try:
        rows, numbers = _csv_records(text, delimiter, strict=True)
    except _CsvStopped as stop:
        if "end of data" in str(stop.error) or "EOF" in str(stop.error):
            raise ImportFailed([Problem("csv_open_quote", row=stop.line)]) from stop.error
        return _read_csv_lenient(text, delimiter, encoding)
    return Grid(rows, numbers, letters=False, encoding=encoding)


def _read_csv_lenient(text: str, delimiter: str, encoding: str) -> Grid:
    """A quote inside a field ('"a"b'): read as before strict parsing (Python's default), with the same limits."""
    try:
        rows, numbers = _csv_records(text, delimiter, strict=False)
    except _CsvStopped as stop:
        problem = Problem("file_unreadable", row=stop.line, params={"detail": str(stop.error)})
        raise ImportFailed([problem]) from stop.error
    return Grid(rows, numbers, letters=False, encoding=encoding)


class _CsvStopped(Exception):
    """The csv module's error, with the file line of the record it stopped on."""

    def __init__(self, line: int, error: csv.Error):
        super().__init__(str(error))
        self.line, self.error = line, error


def _csv_records(text: str, delimiter: str, *, strict: bool) -> tuple[list[list[object]], list[int]]:
    """The CSV text's records as rows of cells (NFC; blank cells None) and the file line each starts on, within
    MAX_COLS, MAX_ROWS and MAX_CELLS (ImportFailed beyond); a csv.Error is raised as _CsvStopped."""
    rows: list[list[object]] = []
    numbers: list[int] = []
    reader = csv.reader((m.group() for m in _LINE.finditer(text)), delimiter=delimiter, strict=strict)
    line = 1
    cells = 0
    try:
        for record in reader:
            if len(record) > MAX_COLS and any(c.strip() for c in record[MAX_COLS:]):
                raise _too_large("cols", MAX_COLS, f"dòng/row {line}")
            row: list[object] = [nfc(c) if c.strip() else None for c in record[:MAX_COLS]]
            cells += sum(c is not None for c in row)
            rows.append(row)
            numbers.append(line)
            if len(rows) > MAX_ROWS:
                raise _too_large("rows", MAX_ROWS, f"dòng/row {line}")
            if cells > MAX_CELLS:
                raise _too_large("cells", MAX_CELLS, f"dòng/row {line}")
            line = reader.line_num + 1
    except csv.Error as exc:
        raise _CsvStopped(line, exc) from exc
    return rows, numbers


def _sniff_delimiter(text: str) -> str:
    lines = [ln for ln in text.splitlines() if ln.strip()][:60]
    best, best_score = ",", (-1, -1)
    for delim in (",", ";", "\t"):
        try:
            widths = [len(r) for r in csv.reader(lines, delimiter=delim)]
        except csv.Error:
            continue
        counts: dict[int, int] = {}
        for w in widths:
            if w > 1:
                counts[w] = counts.get(w, 0) + 1
        if counts:
            width, count = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
            if (count, width) > best_score:
                best, best_score = delim, (count, width)
    return best


def _read_xlsx(path: Path, sheet: str | None) -> Grid:
    """An XLSX sheet, streamed (openpyxl read-only): only the cells the file holds are read, so a single far cell
    (XFD1048576) costs nothing; rows, columns and cells are capped (MAX_ROWS, MAX_COLS, MAX_CELLS)."""

    from openpyxl import load_workbook  # openpyxl takes ~0.3 s to import: only an XLSX file pays it

    try:
        # From the bytes, not the path: openpyxl refuses a name not ending in .xlsx (an .xlsx saved as .xls).
        data = path.read_bytes()
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            strings = [i for i in zf.infolist() if i.filename.lower().endswith("sharedstrings.xml")]
            if sum(i.file_size for i in strings) > MAX_SHARED_STRINGS_BYTES:
                raise _too_large("texts", MAX_SHARED_STRINGS_BYTES, "sharedStrings.xml")
            _refuse_dtd(zf)
        with _no_dimension_scan():
            wb = load_workbook(io.BytesIO(data), data_only=True, read_only=True)
    except ImportFailed:
        raise
    except (MemoryError, RecursionError, KeyboardInterrupt):
        raise
    except Exception as exc:  # noqa: BLE001 - zipfile, zlib, XML (incl. entity attacks), openpyxl's own errors
        raise ImportFailed([_xlsx_problem(exc)]) from exc
    try:
        try:
            names = wb.sheetnames
            if sheet:
                if sheet not in names:
                    raise ImportFailed([Problem("sheet_missing", params={"sheet": sheet, "sheets": ", ".join(names)})])
                ws = wb[sheet]
            elif wb.worksheets:
                ws = wb.worksheets[0]
            else:
                raise ImportFailed([Problem("file_unreadable", params={"detail": "no sheet / không có trang tính"})])
            values, merged, formulas = _stream_sheet(wb, ws)
        except ImportFailed:
            raise
        except (MemoryError, RecursionError, KeyboardInterrupt):
            raise
        except Exception as exc:  # noqa: BLE001 - a damaged sheet part (XML, shared-string or style index, ...)
            raise ImportFailed([_xlsx_problem(exc)]) from exc
        if formulas:
            shown = [Problem("formula_no_value", row=r, column=_letter(c), value=f) for r, c, f in formulas[:20]]
            if len(formulas) > 20:
                shown.append(Problem("formula_no_value", params={}, value=f"… {len(formulas) - 20} more / còn nữa"))
            raise ImportFailed(shown)
        # Merged cells: every cell of a merged range carries the top-left value. The sheet's extent is that of the
        # cells holding a value (and of the merged ranges they head), not the dimension the file declares.
        merged = [m for m in merged if values.get((m[1], m[0])) is not None]
        max_row = max([r for r, _ in values] + [m[3] for m in merged], default=0)
        max_col = max([c for _, c in values] + [m[2] for m in merged], default=0)
        if max_row > MAX_ROWS or max_col > MAX_COLS or max_row * max_col > MAX_GRID:
            raise _too_large("grid", MAX_GRID, f"A1:{_letter(max_col)}{max_row}")
        for min_col, min_row, mc, mr in merged:
            top = values[(min_row, min_col)]
            for r in range(min_row, mr + 1):
                for c in range(min_col, mc + 1):
                    values[(r, c)] = top
        rows = [[values.get((r, c)) for c in range(1, max_col + 1)] for r in range(1, max_row + 1)]
        return Grid(rows, list(range(1, max_row + 1)), letters=True, encoding=None, sheet=ws.title)
    finally:
        wb.close()


@contextlib.contextmanager
def _no_dimension_scan():
    """openpyxl's read-only sheets look for the <dimension> element when the workbook loads; a sheet without one is
    parsed to its end for it (the whole sheet, before a single row is read). The extent is not used here (the cells
    are streamed), so the scan is skipped while the workbook loads."""
    # openpyxl takes ~0.3 s to import: only an XLSX file pays it
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    original = ReadOnlyWorksheet._get_size
    ReadOnlyWorksheet._get_size = lambda self: None
    try:
        yield
    finally:
        ReadOnlyWorksheet._get_size = original


def _refuse_dtd(zf) -> None:
    """No part of an Office Open XML file has a document type declaration: one is refused before any XML parser sees
    it (external entities, 'billion laughs' entity expansion). Streamed, so a large part costs no memory."""
    for info in zf.infolist():
        if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
            continue
        tail = b""
        with zf.open(info) as fh:
            while chunk := fh.read(1 << 20):
                block = tail + chunk
                if b"<!DOCTYPE" in block or b"<!ENTITY" in block:
                    raise ImportFailed(
                        [
                            Problem(
                                "xlsx_damaged",
                                params={"detail": f"{info.filename}: DOCTYPE/ENTITY (không cho phép / not allowed)"},
                            )
                        ]
                    )
                tail = block[-16:]


def _letter(col: int) -> str:
    from openpyxl.utils import get_column_letter  # openpyxl takes ~0.3 s to import: only an XLSX file pays it

    return get_column_letter(col)


def _stream_sheet(wb, ws) -> tuple[dict, list, list]:
    """(values by (row, col), merged ranges (min_col, min_row, max_col, max_row), formulas without a saved value)."""
    from openpyxl.cell.read_only import ReadOnlyCell  # openpyxl takes ~0.3 s to import: only an XLSX file pays it
    from openpyxl.worksheet._reader import (  # openpyxl takes ~0.3 s to import: only an XLSX file pays it
        FORMULA_TAG,
        WorkSheetParser,
    )

    class Parser(WorkSheetParser):
        def parse_cell(self, element):
            cell = super().parse_cell(element)
            f = element.find(FORMULA_TAG)
            cell["formula"] = None if f is None else "=" + (f.text or "")
            return cell

    values: dict[tuple[int, int], object] = {}
    formulas: list[tuple[int, int, str]] = []
    n_styles = len(wb._cell_styles)
    with ws._get_source() as src:
        parser = Parser(
            src,
            ws._shared_strings,
            data_only=True,
            epoch=wb.epoch,
            date_formats=wb._date_formats,
            timedelta_formats=wb._timedelta_formats,
        )
        for _idx, row in parser.parse():
            for cell in row:
                v = cell["value"]
                r, c = cell["row"], cell["column"]
                if not 0 <= cell["style_id"] < max(n_styles, 1):
                    raise IndexError(f"{_letter(c)}{r}: style {cell['style_id']} of {n_styles}")
                if v is None and cell["formula"]:
                    formulas.append((r, c, cell["formula"] if len(cell["formula"]) > 1 else "=…"))
                    continue
                if isinstance(v, str):
                    v = nfc(v) if v.strip() else None
                elif hasattr(v, "isoformat"):
                    v = _date_text(v)
                elif isinstance(v, (int, float)) and not isinstance(v, bool):
                    fmt = ReadOnlyCell(ws, r, c, v, cell["data_type"], cell["style_id"]).number_format or ""
                    if "%" in fmt:
                        v = _percent_text(v)
                if v is None:
                    continue
                if r > MAX_ROWS:
                    raise _too_large("rows", MAX_ROWS, f"{_letter(c)}{r}")
                if c > MAX_COLS:
                    raise _too_large("cols", MAX_COLS, f"{_letter(c)}{r}")
                values[(r, c)] = v
                if len(values) > MAX_CELLS:
                    raise _too_large("cells", MAX_CELLS, f"{_letter(c)}{r}")
        merged = []
        if parser.merged_cells is not None:
            # openpyxl takes ~0.3 s to import: only an XLSX file pays it
            from openpyxl.utils.cell import range_boundaries

            for mc in parser.merged_cells.mergeCell:
                merged.append(range_boundaries(mc.ref))
    return values, merged, formulas


def _xlsx_problem(exc: Exception) -> Problem:
    """A damaged or hostile XLSX: corrupt compressed data, malformed XML (external entities and entity expansion
    are refused by the XML parser: ParseError), a missing part, an index out of range."""
    return Problem("xlsx_damaged", params={"detail": type(exc).__name__ + ": " + str(exc)[:160]})


def _date_text(v) -> str:
    """A date cell as Excel shows a date: 2020-04-29 (with the time only when it has one)."""

    if isinstance(v, dt.datetime) and v.time() == dt.time(0):
        return v.date().isoformat()
    return v.isoformat()


def _percent_text(v: float) -> str:
    """A number formatted as a percentage (0.9168 shown as 91.68%) as Excel shows it: '91.68%'."""
    x = round(float(v) * 100, 9)
    return (str(int(x)) if x.is_integer() else repr(x)) + "%"


def _ole_encrypted_package(path: Path) -> bool:
    """An .xlsx protected with a password is an OLE2 container holding an 'EncryptedPackage' stream."""
    try:
        data = path.read_bytes()
    except OSError:
        return False
    return "EncryptedPackage".encode("utf-16-le") in data


def _read_xls(path: Path, sheet: str | None) -> Grid:
    """An Excel 97-2003 workbook (BIFF8, also BIFF5/7) read with xlrd, cell for cell as the XLSX reader does."""

    import xlrd  # only an XLS file needs xlrd

    log = io.StringIO()  # xlrd writes warnings to a log file (stdout by default)
    try:
        # formatting_info=True: merged cells and number formats (dates, percentages) are only read with it.
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True, logfile=log)
    except xlrd.XLRDError as exc:
        if "encrypted" in str(exc).lower():
            raise ImportFailed([Problem("file_encrypted")]) from exc
        raise ImportFailed([_xls_problem(path, exc)]) from exc
    except (MemoryError, RecursionError, KeyboardInterrupt):
        raise
    except Exception as exc:  # noqa: BLE001 - xlrd raises many kinds (struct.error, IndexError, ...) on corrupt files
        raise ImportFailed([_xls_problem(path, exc)]) from exc
    try:
        names = book.sheet_names()
        if sheet:
            if sheet not in names:
                raise ImportFailed([Problem("sheet_missing", params={"sheet": sheet, "sheets": ", ".join(names)})])
            index = names.index(sheet)
        elif names:
            index = 0
        else:
            raise ImportFailed([Problem("file_unreadable", params={"detail": "no sheet / không có trang tính"})])
        try:
            ws = book.sheet_by_index(index)
            if ws.nrows > MAX_ROWS:
                raise _too_large("rows", MAX_ROWS, f"{ws.nrows:,}")
            if ws.ncols > MAX_COLS:
                raise _too_large("cols", MAX_COLS, f"{ws.ncols:,}")
            if ws.nrows * ws.ncols > MAX_GRID:
                raise _too_large("grid", MAX_GRID, f"{ws.nrows:,} × {ws.ncols:,}")
            values: dict[tuple[int, int], object] = {}
            for r in range(ws.nrows):
                for c in range(ws.ncols):
                    values[(r, c)] = _xls_value(book, ws, r, c, dt)
            # Merged cells (rlo, rhi, clo, chi; half-open): every cell carries the top-left value.
            for rlo, rhi, clo, chi in ws.merged_cells:
                top = values.get((rlo, clo))
                for r in range(rlo, min(rhi, ws.nrows)):
                    for c in range(clo, min(chi, ws.ncols)):
                        values[(r, c)] = top
        except ImportFailed:
            raise
        except (MemoryError, RecursionError, KeyboardInterrupt):
            raise
        except Exception as exc:  # noqa: BLE001 - a corrupt sheet stream
            raise ImportFailed([_xls_problem(path, exc)]) from exc
        rows = [[values.get((r, c)) for c in range(ws.ncols)] for r in range(ws.nrows)]
        return Grid(rows, list(range(1, ws.nrows + 1)), letters=True, encoding=None, sheet=ws.name)
    finally:
        book.release_resources()


def _xls_value(book, ws, r: int, c: int, dt):
    import xlrd  # only an XLS file needs xlrd

    cell = ws.cell(r, c)
    kind, v = cell.ctype, cell.value
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if kind == xlrd.XL_CELL_TEXT:
        return nfc(v) if v.strip() else None
    if kind == xlrd.XL_CELL_BOOLEAN:
        return bool(v)
    if kind == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(v, "#ERR")  # "#DIV/0!", as openpyxl reads an error cell
    if kind == xlrd.XL_CELL_DATE:
        try:
            return _date_text(xlrd.xldate_as_datetime(v, book.datemode))
        except (xlrd.xldate.XLDateError, ValueError, OverflowError):
            return v
    # A number: BIFF stores every number as a float; whole numbers read as int, as in XLSX.
    fmt = book.format_map.get(book.xf_list[cell.xf_index].format_key) if cell.xf_index is not None else None
    if fmt is not None and "%" in fmt.format_str:
        return _percent_text(v)
    if isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
        return int(v)
    return v


def _xls_problem(path: Path, exc: Exception) -> Problem:
    try:
        head = path.read_bytes()[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    except OSError:
        head = b""
    if head.startswith((b"<", b"\xff\xfe<", b"\xfe\xff\x00<")):
        # Many sites export an HTML table named .xls; Excel opens it with a warning.
        return Problem("xls_html")
    return Problem("xls_unreadable", params={"detail": type(exc).__name__ + ": " + str(exc)[:160]})


# ------------------------------------------------------------------ header detection
ROLE_VI = {
    "unit": "tên đơn vị",
    "total": "chỉ số/tổng",
    "points": "tổng điểm",
    "rank": "xếp hạng",
    "tier": "xếp loại",
    "stt": "STT",
}
ROLE_EN = {
    "unit": "unit name",
    "total": "index/total",
    "points": "total points",
    "rank": "rank",
    "tier": "tier",
    "stt": "row number",
}

_UNIT_EXACT = {
    "don vi",
    "co quan don vi",
    "co quan",
    "so ban nganh",
    "so nganh",
    "quan huyen",
    "quan huyen thi xa",
    "bo nganh",
    "tinh thanh pho",
    "tinh thanh",
    "dia phuong",
    "unit",
    "unit name",
    "units",
    "name",
    "agency",
    "agencies",
    "organisation",
    "organization",
    "province",
    "provinces",
    "district",
    "districts",
    "department",
    "departments",
    "ministry",
    "ministries",
    "locality",
    "city province",
    "don vi duoc danh gia",
    "co quan hanh chinh",
}
_UNIT_PREFIX = ("ten ", "don vi ", "unit ")
_UNIT_NOT = ("don vi tinh",)
_PERCENT_PREFIX = ("chi so", "par index", "index", "ty le", "percent", "ket qua chi so")
_POINTS_EXACT = {
    "tong",
    "diem",
    "total",
    "total score",
    "total points",
    "score",
    "points",
    "diem dat duoc",
    "tong cong diem",
    "ket qua",
    "result",
    "diem so",
}
_POINTS_PREFIX = ("tong diem", "tong so diem", "diem tong", "total score", "total points")
_RANK_EXACT = {"hang", "rank", "ranking", "vi tri", "position", "thu hang", "xep hang", "rank order"}
_RANK_PREFIX = ("xep hang", "thu hang", "rank ", "ranking ")
_TIER_PREFIX = ("xep loai", "nhom", "tier", "band", "category", "muc xep loai", "loai")
_STT_EXACT = {"stt", "tt", "so tt", "so thu tu", "thu tu", "no", "nr", "#", "order", "s t t", "number", "n"}
_NOTE_PREFIX = ("ghi chu", "note", "remark", "comment", "nguon", "source")
_COMPONENT_PREFIX = ("thanh phan", "component", "linh vuc", "dimension", "tieu chi", "criterion", "lv")
_MAX_IN_HEADER = re.compile(
    r"\s*[\(\[]\s*(?:max(?:imum)?|tối\s*đa|toi\s*da|tđ|td)?\s*[:=]?\s*(\d+(?:[.,]\d+)?)\s*(?:điểm|diem|đ|d|points?|pts|đ\.)?\s*[\)\]]\s*$",
    re.I,
)


def header_key(label: str) -> str:
    return re.sub(r"\s+", " ", fold(label).replace("%", " ")).strip()


def split_max(label: str) -> tuple[str, float | None]:
    """'Cải cách TTHC (14,5 điểm)' -> ('Cải cách TTHC', 14.5)."""
    m = _MAX_IN_HEADER.search(label)
    if not m:
        return label.strip(), None
    return label[: m.start()].strip(), float(m[1].replace(",", "."))


def classify(label: object) -> str | None:
    """The role of a header cell: unit, total, points, rank, tier, stt, note, component_hint, or None."""
    if not isinstance(label, str) or not label.strip():
        return None
    raw = label.strip()
    key = header_key(split_max(raw)[0])
    if not key:
        return "total" if "%" in raw else None
    if key in _STT_EXACT:
        return "stt"
    if key in _RANK_EXACT or key.startswith(_RANK_PREFIX):
        return "rank"
    if key.startswith(_PERCENT_PREFIX) or "%" in raw or "phan tram" in key:
        return "total"
    if key in _POINTS_EXACT or key.startswith(_POINTS_PREFIX):
        return "points"
    if key.startswith(_TIER_PREFIX) or key == "group":
        return "tier"
    if key.startswith(_NOTE_PREFIX):
        return "note"
    if key.startswith(_UNIT_NOT):
        return None
    if key in _UNIT_EXACT or key.startswith(_UNIT_PREFIX):
        return "unit"
    if key.startswith(_COMPONENT_PREFIX):
        return "component_hint"
    return None


@dataclass
class Column:
    index: int
    name: str  # letter or number, for messages
    label: str
    role: str  # unit, total, points, rank, tier, stt, component, extra
    max_score: float | None = None
    percent: bool = False

    def where(self) -> str:
        return f"{self.name} “{self.label}”" if self.label else self.name


@dataclass
class Layout:
    header_rows: list[int]  # grid indices of the header rows
    data_start: int  # grid index of the first data row
    columns: list[Column]
    problems: list[Problem] = field(default_factory=list)

    def by_role(self, role: str) -> list[Column]:
        return [c for c in self.columns if c.role == role]

    def one(self, role: str) -> Column | None:
        cols = self.by_role(role)
        return cols[0] if cols else None


def _text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _is_number(v: object) -> bool:
    if is_blank(v):
        return False
    try:
        return parse_number(v)[0] is not None
    except NotANumber:
        return False


_NUMBERING = re.compile(r"^[\(\[]?(\d{1,2}|[ivxlc]+|[a-z])[\)\]]?(?:\s*=\s*.*)?$", re.I)


def find_layout(grid: Grid) -> Layout:
    header_idx = None
    for i, row in enumerate(grid.rows[:HEADER_SCAN_ROWS]):
        roles = [classify(c) for c in row]
        if "unit" in roles and any(r in ("total", "points", "rank", "component_hint") for r in roles):
            header_idx = i
            break
    if header_idx is None:
        raise ImportFailed([Problem("no_header", params={"rows": min(HEADER_SCAN_ROWS, len(grid.rows))})])

    width = max((len(r) for r in grid.rows), default=0)
    top = list(grid.rows[header_idx]) + [None] * (width - len(grid.rows[header_idx]))
    labels = [_text(c) for c in top]
    header_rows = [header_idx]
    unit_col = [classify(c) for c in top].index("unit")
    nxt = header_idx + 1
    # A second header row (merged group headings above, component names below).
    if nxt < len(grid.rows):
        sub = list(grid.rows[nxt]) + [None] * (width - len(grid.rows[nxt]))
        sub_unit = _text(sub[unit_col])
        has_text = any(isinstance(c, str) and c.strip() and not _NUMBERING.match(c.strip()) for c in sub)
        if (sub_unit in ("", labels[unit_col])) and has_text and not any(_is_number(c) for c in sub):
            for j, c in enumerate(sub):
                t = _text(c)
                if t and t != labels[j]:
                    labels[j] = t
            header_rows.append(nxt)
            nxt += 1
    # A numbering row such as (1) (2) (3) or A B 1 2 under the header.
    if nxt < len(grid.rows):
        row = grid.rows[nxt]
        cells = [_text(c) for c in row if not is_blank(c)]
        if (
            cells
            and all(_NUMBERING.match(c) for c in cells)
            and (is_blank(row[unit_col] if unit_col < len(row) else None) or _NUMBERING.match(_text(row[unit_col])))
        ):
            header_rows.append(nxt)
            nxt += 1

    columns: list[Column] = []
    for j, label in enumerate(labels):
        role = classify(label)
        clean, max_score = split_max(label) if label else ("", None)
        col = Column(
            index=j,
            name=grid.col_name(j),
            label=label,
            role=role or "",
            max_score=max_score,
            percent="%" in label or "phan tram" in header_key(label),
        )
        columns.append(col)

    problems: list[Problem] = []
    # The total: the index column (percent) if present, else the points column.
    totals = [c for c in columns if c.role == "total"]
    points = [c for c in columns if c.role == "points"]
    for role, cols in (
        ("total", totals),
        ("points", points),
        ("rank", [c for c in columns if c.role == "rank"]),
        ("unit", [c for c in columns if c.role == "unit"]),
        ("tier", [c for c in columns if c.role == "tier"]),
    ):
        for dup in cols[1:]:
            problems.append(
                Problem(
                    "duplicate_column",
                    row=grid.row_numbers[header_idx],
                    column=dup.where(),
                    params={"role_vi": ROLE_VI[role], "role_en": ROLE_EN[role], "other": cols[0].name},
                )
            )
    # The components: columns between the unit column and the first result column, plus explicit ones.
    result_cols = [
        c.index for c in columns if c.role in ("total", "points", "rank", "tier", "note") and c.index > unit_col
    ]
    end = min(result_cols) if result_cols else width
    for c in columns:
        if c.role == "component_hint" or (c.role == "" and unit_col < c.index < end and c.label):
            c.role = "component"
            c.label = split_max(c.label)[0]
        elif c.role in ("", "note", "component_hint") and c.label:
            c.role = "extra"
        elif c.role == "" and not c.label:
            c.role = "blank"
        elif c.role == "unit" and c.index != unit_col:
            pass
    return Layout(header_rows=header_rows, data_start=nxt, columns=columns, problems=problems)
