"""Problems found while importing, with messages in Vietnamese and English.

Every problem names the file, the row and column where it applies, the value, and what is wrong.
Validation collects all problems in one pass; the command then exits with code 2 if any is an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

EXIT_PROBLEMS = 2

# code -> (Vietnamese, English). Placeholders are filled from Problem.params.
MESSAGES: dict[str, tuple[str, str]] = {
    "missing_option": (
        "Thiếu tùy chọn {option}: {hint_vi}. Không tự đoán thông tin này.",
        "Missing option {option}: {hint_en}. This is never guessed.",
    ),
    "bad_option": (
        "Giá trị của {option} không hợp lệ: {reason_vi}.",
        "Invalid value for {option}: {reason_en}.",
    ),
    "file_missing": (
        "Không tìm thấy tệp.",
        "File not found.",
    ),
    "file_type": (
        "Chỉ nhận tệp .csv, .txt, .tsv, .xlsx, .xls hoặc .pdf.",
        "Only .csv, .txt, .tsv, .xlsx, .xls or .pdf files are read.",
    ),
    "file_unreadable": (
        "Không đọc được tệp: {detail}.",
        "Cannot read the file: {detail}.",
    ),
    "not_text": (
        "Tệp không phải văn bản CSV mà là tệp {kind}. Hãy chọn đúng tệp bảng số liệu.",
        "The file is not CSV text but a {kind} file. Choose the results table file.",
    ),
    "too_large": (
        "Tệp vượt giới hạn {limit} {what_vi} (tại {where}). Bảng kết quả nào cũng nhỏ hơn nhiều: hãy xóa các ô "
        "thừa ở xa bảng, hoặc chỉ giữ bảng cần nhập.",
        "The file exceeds the limit of {limit} {what_en} (at {where}). Every results table is far smaller: delete "
        "stray cells far from the table, or keep only the table to import.",
    ),
    "csv_open_quote": (
        "Dấu ngoặc kép mở ở dòng này không được đóng đến hết tệp (tệp CSV bị cắt cụt?). Hãy tải lại hoặc xuất lại tệp.",
        "A quote opened on this row is never closed before the end of the file (a CSV cut short?). Download or "
        "export the file again.",
    ),
    "xlsx_damaged": (
        "Không đọc được tệp: tệp .xlsx bị hỏng hoặc không hợp lệ ({detail}). Hãy mở bằng Excel/LibreOffice và lưu "
        "lại, hoặc tải lại tệp.",
        "Cannot read the file: the .xlsx file is damaged or invalid ({detail}). Open it in Excel/LibreOffice and "
        "save it again, or download it again.",
    ),
    "formula_no_value": (
        "Ô chứa công thức nhưng không có giá trị đã lưu (tệp được tạo bằng chương trình, chưa mở bằng Excel). Hãy "
        "mở và lưu tệp bằng Excel/LibreOffice để các giá trị được lưu, hoặc xuất ra CSV.",
        "The cell holds a formula with no saved value (the file was written by a program, never saved by Excel). "
        "Save the file in Excel/LibreOffice so the values are stored, or export it to CSV.",
    ),
    "xls_unreadable": (
        "Tệp .xls bị hỏng, bị cắt cụt hoặc không phải sổ Excel 97-2003 ({detail}). Hãy mở bằng Excel "
        "và lưu lại thành .xlsx, hoặc tải lại tệp.",
        "The .xls file is damaged, cut short or not an Excel 97-2003 workbook ({detail}). Open it in "
        "Excel and save it as .xlsx, or download it again.",
    ),
    "xls_html": (
        "Tệp mang tên .xls nhưng thực ra là trang web (HTML), không phải sổ Excel. Hãy mở bằng Excel và "
        "lưu lại thành .xlsx.",
        "The file is named .xls but is a web page (HTML), not an Excel workbook. Open it in Excel and save "
        "it as .xlsx.",
    ),
    "file_encrypted": (
        "Tệp Excel được đặt mật khẩu (mã hóa), nên không đọc được. Hãy mở bằng Excel, bỏ mật khẩu "
        "(Tệp > Thông tin > Bảo vệ sổ làm việc > Mã hóa bằng mật khẩu, xóa mật khẩu), lưu lại rồi nhập lại.",
        "The Excel file is password-protected (encrypted) and cannot be read. Open it in Excel, remove "
        "the password (File > Info > Protect Workbook > Encrypt with Password, clear it), save it and "
        "import again.",
    ),
    "sheet_missing": (
        "Không có trang tính {sheet}; các trang có: {sheets}.",
        "No sheet {sheet}; sheets are: {sheets}.",
    ),
    "encoding_unknown": (
        "Không nhận ra bảng mã của tệp (đọc được UTF-8, UTF-8 có BOM, UTF-16, Windows-1258). "
        "Hãy lưu tệp dưới dạng CSV UTF-8.",
        "The file's encoding is not recognised (UTF-8, UTF-8 with BOM, UTF-16 and Windows-1258 are read). "
        "Save the file as CSV UTF-8.",
    ),
    "legacy_font": (
        "Văn bản có vẻ được gõ bằng bảng mã cũ {font} (không phải Unicode). Hãy chuyển sang Unicode "
        "(ví dụ công cụ chuyển mã của Unikey) rồi nhập lại.",
        "The text looks typed in the legacy {font} font encoding (not Unicode). Convert it to Unicode "
        "(for example with Unikey's converter) and import again.",
    ),
    "no_header": (
        "Không tìm thấy dòng tiêu đề trong {rows} dòng đầu. Cần một cột tên đơn vị (‘Tên đơn vị’, ‘Đơn vị’) "
        "và một cột kết quả (‘Tổng điểm’, ‘Chỉ số (%)’, ‘Chỉ số CCHC’ hoặc ‘Xếp hạng’).",
        "No header row found in the first {rows} rows. A unit-name column ('Tên đơn vị', 'Đơn vị', 'Unit') "
        "and a result column ('Tổng điểm', 'Chỉ số (%)', 'Chỉ số CCHC', 'Total', 'Rank') are needed.",
    ),
    "duplicate_column": (
        "Có hai cột cùng vai trò ‘{role_vi}’ (cũng ở cột {other}).",
        "Two columns have the same role '{role_en}' (also column {other}).",
    ),
    "no_rows": (
        "Bảng không có dòng dữ liệu nào dưới dòng tiêu đề.",
        "The table has no data rows below the header.",
    ),
    "not_number": (
        "Không đọc được số.",
        "Not a number.",
    ),
    "not_rank": (
        "Thứ hạng phải là số nguyên dương.",
        "A rank must be a positive whole number.",
    ),
    "negative": (
        "Điểm nhỏ hơn 0.",
        "Score below 0.",
    ),
    "below_min": (
        "Điểm nhỏ hơn mức tối thiểu {min}.",
        "Score below the minimum {min}.",
    ),
    "foreign_digits": (
        "Số viết bằng chữ số khác 0-9 (chữ số toàn độ rộng hoặc Ả Rập-Ấn): hãy gõ lại bằng 0-9.",
        "The number is written with digits other than 0-9 (fullwidth or Arabic-Indic): retype it with 0-9.",
    ),
    "rank_impossible": (
        "Thứ hạng {rank} không thể có: bảng có {units} đơn vị (trên tổng số in kèm: {of}).",
        "Rank {rank} cannot be: the table has {units} units (printed 'out of': {of}).",
    ),
    "bad_name_chars": (
        "Văn bản chứa ký tự điều khiển hoặc ký tự đổi chiều văn bản ({chars}); hãy xóa chúng.",
        "The text holds control or text-direction characters ({chars}); delete them.",
    ),
    "above_max": (
        "Điểm lớn hơn điểm tối đa {max}.",
        "Score above the maximum {max}.",
    ),
    "sum_mismatch": (
        "Tổng các thành phần là {sum}, khác tổng {total} (sai số cho phép {tol}).",
        "The components add up to {sum}, not the total {total} (tolerance {tol}).",
    ),
    "rank_contradiction": (
        "Thứ hạng in trên bảng mâu thuẫn với điểm: hạng {rank} có {total}, nhưng dòng {other_row} "
        "hạng {other_rank} có {other_total}.",
        "The printed rank contradicts the totals: rank {rank} has {total}, but row {other_row} "
        "ranked {other_rank} has {other_total}.",
    ),
    "duplicate_unit": (
        "Đơn vị bị trùng: đã có ở dòng {first_row} ({unit_id}).",
        "Duplicate unit: already on row {first_row} ({unit_id}).",
    ),
    "unknown_unit": (
        "Không nhận ra đơn vị ({kind}). Gần nhất: {closest}. Nếu đây là đơn vị mới, chạy lại với --new-units.",
        "Unknown unit ({kind}). Closest known: {closest}. If it is a new unit, re-run with --new-units.",
    ),
    "ambiguous_unit": (
        "Tên đơn vị ứng với nhiều đơn vị: {candidates}. Hãy ghi tên đầy đủ hơn.",
        "The name matches several units: {candidates}. Write a fuller name.",
    ),
    "empty_row": (
        "Dòng trống nằm giữa bảng. Hãy xóa dòng này.",
        "Empty row inside the table. Delete it.",
    ),
    "no_figures": (
        "Dòng có tên đơn vị nhưng không có số liệu. Nếu bảng in không có giá trị, hãy ghi ‘-’.",
        "The row names a unit but has no figures. If the table prints no value, write '-'.",
    ),
    "section_row": (
        "Dòng này giống tiêu đề một nhóm đơn vị. Mỗi lần nhập chỉ một nhóm (--group): hãy tách bảng.",
        "This row looks like the heading of a unit group. One import covers one group (--group): split the table.",
    ),
    "shifted_row": (
        "Dòng bị lệch cột: {reason_vi}.",
        "The row is shifted: {reason_en}.",
    ),
    "extra_cells": (
        "Ô có dữ liệu nằm ngoài các cột có tiêu đề.",
        "A cell holds data outside the columns with a header.",
    ),
    "no_unit_name": (
        "Dòng có số liệu nhưng thiếu tên đơn vị.",
        "The row has figures but no unit name.",
    ),
    "store_changed": (
        "kho dữ liệu đã thay đổi trong lúc lệnh nhập này chạy; không ghi gì; hãy chạy lại lệnh "
        "(phiên bản {seen} → {now})",
        "the store changed while this import ran; nothing was written; run it again (version {seen} → {now})",
    ),
    "rollback_failed": (
        "Không quay lại được: {detail}.",
        "Cannot roll back: {detail}.",
    ),
    # warnings
    "extra_column": (
        "Bỏ qua cột không dùng đến.",
        "Extra column ignored.",
    ),
    "footer_ignored": (
        "Bỏ qua dòng cuối bảng (tổng, trung bình, ghi chú, nguồn).",
        "Footer row ignored (total, average, note, source).",
    ),
    "points_for_check": (
        "Cột tổng điểm chỉ dùng để kiểm tra tổng các thành phần; kết quả lấy theo cột chỉ số.",
        "The points column is only used to check the component sum; the result is the index column.",
    ),
    "unit_differs": (
        "Đơn vị của tổng ({new}) khác với đơn vị đã có của kỳ này ({old}); giữ {old}.",
        "The total's unit ({new}) differs from this edition's existing unit ({old}); keeping {old}.",
    ),
    "new_unit": (
        "Tạo đơn vị mới {unit_id} (--new-units).",
        "Creating new unit {unit_id} (--new-units).",
    ),
}


@dataclass
class Problem:
    code: str
    row: int | None = None  # 1-based row in the file (line in CSV, row in the sheet)
    column: str | None = None  # column letter/number and its header text
    value: object = None
    params: dict = field(default_factory=dict)
    severity: str = "error"  # "error" or "warning"

    def texts(self) -> tuple[str, str]:
        vi, en = MESSAGES[self.code]
        p = _Params({k: escape_text(v) if isinstance(v, str) else v for k, v in self.params.items()})
        return vi.format_map(p), en.format_map(p)


class _Params(dict):
    """Missing *_vi/*_en keys fall back to the plain key, so a param can be shared by both languages."""

    def __missing__(self, key: str):
        for suffix in ("_vi", "_en"):
            if key.endswith(suffix) and key[: -len(suffix)] in self:
                return self[key[: -len(suffix)]]
        return "{" + key + "}"


def escape_text(text: str) -> str:
    """A file name or a value as it may be printed to a terminal: control characters (ESC and the rest of C0, DEL,
    C1) and text-direction controls are shown as escapes (\\x1b, \\u202e), so a file cannot move the cursor, change
    colours, set the window title or reverse the text of the message (issue 17)."""
    return "".join(_escape_char(ch) for ch in text) if _NEEDS_ESCAPE.search(text) else text


_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_NEEDS_ESCAPE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}]")


def _escape_char(ch: str) -> str:
    return ch.encode("unicode_escape").decode("ascii") if _NEEDS_ESCAPE.match(ch) else ch


def format_problem(problem: Problem, file_label: str) -> str:
    vi, en = problem.texts()
    where = [f"tệp/file {escape_text(str(file_label))}"]
    if problem.row is not None:
        where.append(f"dòng/row {problem.row}")
    if problem.column:
        where.append(f"cột/column {problem.column}")
    if problem.value is not None and problem.value != "":
        where.append(f"giá trị/value “{_short(problem.value)}”")
    head = "LỖI/ERROR" if problem.severity == "error" else "CẢNH BÁO/WARNING"
    return f"{head}: {', '.join(where)}\n  vi: {vi}\n  en: {en}"


def _short(value: object, limit: int = 80) -> str:
    text = str(value).replace("\n", " ")
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return escape_text(text)


class ImportFailed(Exception):
    """Raised with the collected problems; the CLI prints them and exits with code 2."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{sum(p.severity == 'error' for p in problems)} problem(s)")
        self.problems = problems
