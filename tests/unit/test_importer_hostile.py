"""Hostile and broken input (issue 17): no lost imports, no tracebacks, no silent bad data, no injected formulas.

All figures here are SYNTHETIC (generated in the test); unit names are real Hà Nội departments.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cchc_data.__main__ import main
from cchc_data.paths import PROJECT_ROOT

from .test_importer import store_hash
from .test_importer_safety import ARGS, _wait_for_pause, base_rows, populated_store, write  # noqa: F401

STORE_CHANGED_EN = "the store changed while this import ran; nothing was written; run it again"


# ------------------------------------------------------------------ 1. lost update
def _args(year: int) -> list[str]:
    a = list(ARGS)
    a[a.index("--year") + 1] = str(year)
    return a


def _spawn(args: list[str], store: Path, pause: str | None = None) -> subprocess.Popen:
    env = {**os.environ, "CCHC_STORE_DIR": str(store), "PYTHONUNBUFFERED": "1"}
    env.pop("CCHC_DATA_DIR", None)
    env.pop("CCHC_IMPORT_TEST_PAUSE", None)
    if pause:
        env["CCHC_IMPORT_TEST_PAUSE"] = pause
    return subprocess.Popen(
        [sys.executable, "-m", "cchc_data", *args],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(proc: subprocess.Popen) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=120)
    return proc.returncode, out, err


def _history_is_linear(store: Path) -> None:
    """Every commit is based on the version that was current just before it: nothing committed was lost."""
    lines = [ln.split("\t") for ln in (store / "HISTORY").read_text().splitlines() if ln.strip()]
    before = None
    for version, _when, how in lines:
        manifest = store / "versions" / version / "manifest.json"
        if how == "commit" and manifest.exists():  # older versions are pruned (10 kept): checked when made
            parent = json.loads(manifest.read_text())["parent"]
            assert parent == before, f"version {version} was based on {parent}, but {before} was current: lost update"
        before = version


def _editions(store: Path) -> set[str]:
    from cchc_data import store as store_mod

    version, tables = store_mod.read_current(store)
    res = tables["results"]
    return {
        e
        for e, s in zip(res["edition_id"].to_pylist(), res["source_id"].to_pylist())
        if e.startswith("par_hanoi-") and (s or "").startswith("imp-")
    }  # the imported (synthetic) rows


def test_import_refuses_when_another_import_committed_after_it_read(populated_store, tmp_path, capsys):
    path = tmp_path / "a.csv"
    write(path, base_rows(), "csv")
    slow = _spawn(["import", str(path), *_args(2020)], populated_store, pause="before_lock:3")
    _wait_for_pause(slow)
    assert main(["import", str(path), *_args(2021)]) == 0
    after_fast = store_hash(populated_store)
    code, out, err = _finish(slow)
    assert code == 2, err
    assert STORE_CHANGED_EN in err and "Traceback" not in err
    assert store_hash(populated_store) == after_fast
    assert _editions(populated_store) == {"par_hanoi-2019", "par_hanoi-2021"}
    _history_is_linear(populated_store)


def test_commit_between_reading_the_tables_and_the_pointer_is_not_lost(populated_store, tmp_path, capsys):
    """The window of the lost update: another import commits after this one read the tables."""
    path = tmp_path / "a.csv"
    write(path, base_rows(), "csv")
    slow = _spawn(["import", str(path), *_args(2020)], populated_store, pause="after_read:3")
    _wait_for_pause(slow)
    assert main(["import", str(path), *_args(2021)]) == 0
    code, out, err = _finish(slow)
    assert code in (0, 2), err
    final = _editions(populated_store)
    assert "par_hanoi-2021" in final
    assert ("par_hanoi-2020" in final) == (code == 0)
    _history_is_linear(populated_store)


def test_import_does_not_undo_a_rollback_made_while_it_ran(populated_store, tmp_path, capsys):
    from cchc_data import store as store_mod

    path = tmp_path / "a.csv"
    write(path, base_rows(), "csv")
    assert main(["import", str(path), *_args(2020)]) == 0  # version 0002
    slow = _spawn(["import", str(path), *_args(2021)], populated_store, pause="before_lock:3")
    _wait_for_pause(slow)
    assert main(["rollback"]) == 0  # back to 0001
    code, out, err = _finish(slow)
    assert code == 2 and STORE_CHANGED_EN in err, err
    assert store_mod.current_version(populated_store) == "0001"
    assert _editions(populated_store) == {"par_hanoi-2019"}


TRIES = int(os.environ.get("CCHC_RACE_TRIES", "12"))  # 100 with CCHC_RACE_TRIES=100 (see docs/importer.md)


@pytest.mark.slow
def test_two_real_imports_staggered_lose_no_version(populated_store, tmp_path):
    """Two processes, the second started 0-1 s after the first, TRIES times: each import either commits and
    its results are in the final version, or refuses with exit 2 and the message; none is lost. Each import has its
    own source URL, so an import is in the store iff its URL is (the years repeat)."""
    from benchmarks.import_memory import source_urls_in_use

    path = tmp_path / "a.csv"
    write(path, base_rows(), "csv")
    rng = random.Random(17)
    lost = refused = committed = 0
    for i in range(TRIES):
        y1, y2 = 2000 + 2 * (i % 10), 2001 + 2 * (i % 10)
        urls = {y: f"https://synthetic.invalid/race/{i}/{y}" for y in (y1, y2)}

        def args(y):
            a = _args(y)
            a[a.index("--source") + 1] = f"9/QĐ-SYNTH, {urls[y]}"  # noqa: B023 - called in this iteration
            return a

        a = _spawn(["import", str(path), *args(y1)], populated_store)
        time.sleep(rng.uniform(0, 1))
        b = _spawn(["import", str(path), *args(y2)], populated_store)
        results = {y1: _finish(a), y2: _finish(b)}
        final = source_urls_in_use(populated_store)
        for year, (code, _out, err) in results.items():
            assert "Traceback" not in err, err
            if code == 0:
                committed += 1
                lost += urls[year] not in final
            else:
                assert code == 2 and STORE_CHANGED_EN in err, err
                refused += 1
        _history_is_linear(populated_store)  # after every try: the versions it checks are not pruned yet
    print(f"{TRIES} staggered tries: {committed} committed, {refused} refused (store changed), {lost} lost versions")
    assert lost == 0 and committed >= TRIES


@pytest.mark.slow
def test_import_racing_a_real_rollback(populated_store, tmp_path):
    path = tmp_path / "a.csv"
    write(path, base_rows(), "csv")
    rng = random.Random(3)
    for i in range(max(3, TRIES // 4)):
        assert main(["import", str(path), *_args(2000 + i)]) == 0
        a = _spawn(["import", str(path), *_args(2025 - i)], populated_store)
        time.sleep(rng.uniform(0, 0.8))
        r = _spawn(["rollback"], populated_store)
        (code, _o, err), (rcode, _ro, rerr) = _finish(a), _finish(r)
        assert "Traceback" not in err + rerr
        assert code in (0, 2) and rcode in (0, 2)
        if code == 2:
            assert STORE_CHANGED_EN in err
        _history_is_linear(populated_store)


# ------------------------------------------------------------------ helpers for §2-§5
def _fails_cleanly(capsys, store: Path, path: Path, *args: str, expect: str | None = None) -> str:
    """The import exits 2 with a bilingual message naming the file, no traceback, and the store is byte-identical."""
    before = store_hash(store)
    code = main(["import", str(path), *(args or ARGS)])
    out, err = capsys.readouterr()
    assert code == 2, out + err
    assert "LỖI/ERROR" in err and "\n  vi: " in err and "\n  en: " in err and "Traceback" not in err
    from cchc_data.importer.errors import escape_text

    assert escape_text(path.name) in err
    if expect:
        assert expect in err, err
    assert store_hash(store) == before
    return err


def _xlsx_bytes(rows: list[list]) -> bytes:
    import io as _io

    from openpyxl import Workbook

    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buf = _io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _rezip(data: bytes, change) -> bytes:
    """The XLSX `data` with its parts passed through change(name, bytes) -> bytes | None (None drops the part)."""
    import io as _io
    import zipfile

    out = _io.BytesIO()
    with zipfile.ZipFile(_io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            new = change(info.filename, zin.read(info.filename))
            if new is not None:
                zout.writestr(info, new)  # the part's own date and method: the same input gives the same bytes
    return out.getvalue()


def _sub(part: str, old: bytes, new: bytes):
    def change(name, data):
        if name == part:
            assert old in data, (part, data[:400])
            return data.replace(old, new, 1)
        return data

    return change


CSV_TEXT = (
    "STT,Tên đơn vị,LV1 (50),LV2 (50),Tổng điểm,Xếp hạng\r\n1,Sở Nội vụ,45,44,89,1\r\n2,Sở Tài chính,42,42,84,2\r\n"
)


# ------------------------------------------------------------------ 2. no tracebacks
DECODING = {
    "bom_then_invalid": b"\xef\xbb\xbf" + CSV_TEXT.encode() + b"\xff\xfe\xfa",
    "utf16_odd_length": b"\xff\xfe" + CSV_TEXT.encode("utf-16-le") + b"\x41",
    "utf16_lone_surrogate": b"\xff\xfe" + CSV_TEXT.encode("utf-16-le") + b"\x00\xd8\x41\x00",
    "nul_before_text": b"\x00" * 64 + CSV_TEXT.encode(),
    "png_named_csv": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
    "encrypted_workbook_named_csv": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    + b"\x00" * 504
    + "EncryptedPackage".encode("utf-16-le")
    + b"\x00" * 512,
    "utf16be_nul_pattern_odd": CSV_TEXT.encode("utf-16-be")[:-1],
}


@pytest.mark.parametrize("case", sorted(DECODING))
def test_undecodable_text_is_a_clear_error(populated_store, tmp_path, capsys, case):
    path = tmp_path / f"{case}.csv"
    path.write_bytes(DECODING[case])
    _fails_cleanly(capsys, populated_store, path)


def _broken_xlsx_cases() -> dict[str, bytes]:
    good = _xlsx_bytes(base_rows())
    sheet = "xl/worksheets/sheet1.xml"

    def corrupt_deflate(data: bytes) -> bytes:
        # flip bytes inside the compressed stream of the sheet (the local file header stays intact)
        i = data.index(sheet.encode()) + len(sheet) + 20
        return data[:i] + bytes(b ^ 0x5A for b in data[i : i + 40]) + data[i + 40 :]

    xxe = b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>'
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(b'<!ENTITY lol%d "%s">' % (i + 1, (b"&lol%d;" % i if i else b"&lol;") * 10) for i in range(9))
        + b"]>"
    )
    return {
        "corrupt_deflate": corrupt_deflate(good),
        "sheet_xml_malformed": _rezip(good, _sub(sheet, b"</sheetData>", b"</sheetDat>")),
        "workbook_xml_malformed": _rezip(good, _sub("xl/workbook.xml", b"</workbook>", b"<workbook>")),
        "styles_xml_malformed": _rezip(good, _sub("xl/styles.xml", b"</styleSheet>", b"<")),
        "xxe_external_entity": _xxe_shared(good, xxe),
        "billion_laughs": _laughs(good, laughs),
        "missing_sheet_part": _rezip(good, lambda n, d: None if n == sheet else d),
        "shared_string_out_of_range": _bad_index(good, "s"),
        "style_out_of_range": _bad_index(good, "style"),
        "not_a_zip": b"PK\x03\x04" + bytes(300),
    }


def _xxe_shared(good: bytes, doctype: bytes) -> bytes:
    """An external entity in the sheet (openpyxl writes inline strings) or in the shared strings."""
    hit = []

    def change(name, data):
        if name in ("xl/sharedStrings.xml", "xl/worksheets/sheet1.xml") and b"<t>" in data:
            body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
            hit.append(name)
            return doctype + body.replace(b"<t>", b"<t>&xxe;", 1)
        return data

    out = _rezip(good, change)
    assert hit
    return out


def _laughs(good: bytes, doctype: bytes) -> bytes:
    def change(name, data):
        if name == "xl/worksheets/sheet1.xml":
            body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
            return doctype + body.replace(b"<sheetData>", b"<sheetData><!-- &lol9; -->", 1).replace(
                b"</row>", b'</row><row r="999"><c r="A999" t="inlineStr"><is><t>&lol9;</t></is></c></row>', 1
            )
        return data

    return _rezip(good, change)


def _bad_index(good: bytes, kind: str) -> bytes:
    import re as _re

    def change(name, data):
        if name == "xl/worksheets/sheet1.xml":
            if kind == "s":
                return data.replace(b"</sheetData>", b'<row r="40"><c r="B40" t="s"><v>9999</v></c></row></sheetData>')
            new = _re.sub(rb'<c r="F3"', b'<c r="F3" s="999"', data, count=1)
            assert new != data
            return new
        return data

    return _rezip(good, change)


BROKEN_XLSX = _broken_xlsx_cases()


@pytest.mark.parametrize("case", sorted(BROKEN_XLSX))
def test_broken_or_hostile_xlsx_is_a_clear_error(populated_store, tmp_path, capsys, case):
    path = tmp_path / f"{case}.xlsx"
    path.write_bytes(BROKEN_XLSX[case])
    err = _fails_cleanly(capsys, populated_store, path)
    hostname = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else None
    if hostname and case.startswith("xxe"):
        assert hostname not in err.replace(str(tmp_path), "")  # the external entity was never read
    assert "lollollol" not in err


def test_huge_rank_is_an_error_not_an_overflow(populated_store, tmp_path, capsys):
    for fmt, rank in (("csv", "99999999999999999999999"), ("xlsx", 99999999999999999999999)):
        rows = base_rows()
        rows[3][5] = rank
        path = tmp_path / f"rank.{fmt}"
        write(path, rows, fmt)
        _fails_cleanly(capsys, populated_store, path, expect="A rank must be a positive whole number")


def test_file_in_an_unreadable_directory(populated_store, tmp_path, capsys, monkeypatch):
    locked = tmp_path / "locked"
    locked.mkdir()
    path = locked / "t.csv"
    write(path, base_rows(), "csv")
    if os.geteuid() != 0:
        locked.chmod(0)
    else:  # root reads every directory: refuse the stat as the kernel would
        real_stat = Path.stat

        def stat(self, *a, **k):
            if str(self).startswith(str(locked)):
                raise PermissionError(13, "Permission denied", str(self))
            return real_stat(self, *a, **k)

        monkeypatch.setattr(Path, "stat", stat)
    try:
        _fails_cleanly(capsys, populated_store, path, expect="Cannot read the file")
    finally:
        locked.chmod(0o755)


# ------------------------------------------------------------------ 3. silent bad data
PROVINCES = ["Hà Nội", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Bắc Ninh"]
PAPI_ARGS = [
    "--index",
    "papi",
    "--year",
    "2019",
    "--group",
    "provinces",
    "--source",
    "9/QĐ-SYNTH, 1/1/2020, https://synthetic.invalid/papi",
]


def _papi_rows(dims: int = 8) -> list[list]:
    """A SYNTHETIC PAPI table: dims dimension scores of 1-10 each, the total their sum, ranks by total."""
    rows = [["STT", "Tên đơn vị", *[f"Dimension {d}" for d in range(1, dims + 1)], "Tổng điểm", "Xếp hạng"]]
    for i, name in enumerate(PROVINCES):
        scores = [round(6.5 - 0.25 * i + 0.01 * d, 2) for d in range(dims)]
        rows.append([i + 1, name, *[f"{x:.2f}" for x in scores], f"{sum(scores):.2f}", i + 1])
    return rows


def test_papi_table_within_bounds_is_accepted(populated_store, tmp_path, capsys):
    path = tmp_path / "papi.csv"
    write(path, _papi_rows(), "csv")
    assert main(["import", str(path), *PAPI_ARGS, "--dry-run"]) == 0, capsys.readouterr().err


@pytest.mark.parametrize(
    "change, expect",
    [
        (lambda rows: rows[2].__setitem__(10, "99999999999"), "Score above the maximum 80"),  # total, 8 dims
        (lambda rows: rows[2].__setitem__(2, "50"), "Score above the maximum 10"),  # a dimension
        (lambda rows: rows[2].__setitem__(3, "0,5"), "Score below the minimum 1"),
    ],
)
def test_papi_out_of_bounds_is_an_error(populated_store, tmp_path, capsys, change, expect):
    rows = _papi_rows()
    change(rows)
    path = tmp_path / "papi.csv"
    write(path, rows, "csv")
    _fails_cleanly(capsys, populated_store, path, *PAPI_ARGS, expect=expect)


def test_papi_totals_without_dimensions_bounded_by_the_editions_dimension_count(populated_store, tmp_path, capsys):
    from cchc_data.importer.validate import papi_bounds

    assert papi_bounds(0, 2017) == (6, 60) and papi_bounds(0, 2018) == (8, 80) and papi_bounds(6, 2020) == (6, 60)
    rows = [["STT", "Tên đơn vị", "Tổng điểm", "Xếp hạng"]] + [
        [i + 1, n, f"{45 - i}", i + 1] for i, n in enumerate(PROVINCES)
    ]
    rows[1][2] = "61"  # above 60: the 6 dimensions of 2015
    path = tmp_path / "papi.csv"
    write(path, rows, "csv")
    args = list(PAPI_ARGS)
    args[args.index("--year") + 1] = "2015"
    _fails_cleanly(capsys, populated_store, path, *args, expect="Score above the maximum 60")
    rows[1][2] = "5"  # below 6
    write(path, rows, "csv")
    _fails_cleanly(capsys, populated_store, path, *args, expect="Score below the minimum 6")


def test_pci_above_100_is_an_error(populated_store, tmp_path, capsys):
    rows = [["STT", "Tên đơn vị", "Chỉ số PCI", "Xếp hạng"]] + [
        [i + 1, n, f"{70 - i},5", i + 1] for i, n in enumerate(PROVINCES)
    ]
    rows[1][2] = "100,5"
    path = tmp_path / "pci.csv"
    write(path, rows, "csv")
    args = ["--index", "pci", "--year", "2019", "--group", "provinces", "--source", "https://synthetic.invalid/pci"]
    _fails_cleanly(capsys, populated_store, path, *args, expect="Score above the maximum 100")


@pytest.mark.parametrize("formula", ["=SUM(C3:D3)", "=1/0", "=RANK(E3,E$3:E$7)"])
def test_formula_without_a_saved_value_is_an_error(populated_store, tmp_path, capsys, formula):
    rows = base_rows()
    rows[2][4 if "RANK" not in formula else 5] = formula  # written by a program: no cached value
    path = tmp_path / "formula.xlsx"
    write(path, rows, "xlsx")
    err = _fails_cleanly(capsys, populated_store, path, expect="Save the file in Excel/LibreOffice")
    assert "export it to CSV" in err and "dòng/row 3" in err and formula in err


def test_formula_with_a_saved_value_reads_the_value(populated_store, tmp_path, capsys):
    """As Excel saves it: <f> and <v> both present. The saved value is read."""
    rows = base_rows()
    path = tmp_path / "saved.xlsx"
    data = _rezip(_xlsx_bytes(rows), lambda n, d: d)
    import re as _re

    def change(name, blob):
        if name == "xl/worksheets/sheet1.xml":
            new = _re.sub(rb'<c r="F3" t="n"><v>1</v></c>', b'<c r="F3"><f>RANK(E3,E$3:E$7)</f><v>1</v></c>', blob)
            assert new != blob
            return new
        return blob

    path.write_bytes(_rezip(data, change))
    assert main(["import", str(path), *ARGS, "--dry-run"]) == 0, capsys.readouterr().err


def test_csv_cut_inside_a_quoted_field_is_an_error(populated_store, tmp_path, capsys):
    text = CSV_TEXT + '3,Sở Tư pháp,40,40,"80'  # the download stopped inside the last field
    path = tmp_path / "cut.csv"
    path.write_text(text, encoding="utf-8")
    _fails_cleanly(capsys, populated_store, path, expect="never closed before the end of the file")


@pytest.mark.parametrize(
    "rank, expect", [(5000, "Rank 5000 cannot be"), ("30/22", "A rank must be"), ("3/4", "Rank 3 cannot be")]
)
def test_impossible_ranks_are_errors(populated_store, tmp_path, capsys, rank, expect):
    rows = base_rows()
    rows[6][5] = rank  # the last of 5 units
    if rank == "3/4":
        rows[4][5] = "3/4"
        rows[6][5] = 5
    path = tmp_path / "rank.csv"
    write(path, rows, "csv")
    _fails_cleanly(capsys, populated_store, path, expect=expect)


def test_rank_out_of_a_printed_total_in_an_excerpt_is_accepted(populated_store, tmp_path, capsys):
    rows = base_rows()
    for i, r in enumerate(range(2, 7)):
        rows[r][5] = f"{20 + i}/24"  # 5 units of a ranking of 24
    path = tmp_path / "excerpt.csv"
    write(path, rows, "csv")
    assert main(["import", str(path), *ARGS, "--dry-run"]) == 0, capsys.readouterr().err


@pytest.mark.parametrize("digits", ["４５,５", "٤٥,٥", "४५"])
def test_foreign_digits_are_refused(populated_store, tmp_path, capsys, digits):
    rows = base_rows()
    rows[2][2] = digits
    path = tmp_path / "digits.csv"
    write(path, rows, "csv")
    _fails_cleanly(capsys, populated_store, path, expect="digits other than 0-9")


def test_minus_zero_is_stored_as_zero(populated_store, tmp_path, capsys):
    import math

    from cchc_data import store as store_mod
    from cchc_data.importer.numbers import parse_number

    for raw in ("-0", "-0,0", "−0", -0.0):
        value, _ = parse_number(raw)
        assert value == 0 and math.copysign(1, value) == 1, raw
    rows = base_rows()
    rows[2][3] = "-0"  # LV2 = -0, so the total is LV1
    rows[2][4] = rows[2][2]
    rows[2][5] = "-"  # (its rank is not printed)
    path = tmp_path / "zero.csv"
    write(path, rows, "csv")
    assert main(["import", str(path), *_args(2020)]) == 0, capsys.readouterr().err
    _v, tables = store_mod.read_current(populated_store)
    scores = [
        s["score"] for s in tables["scores"].to_pylist() if s["edition_id"] == "par_hanoi-2020" and s["score"] == 0
    ]
    assert scores and all(math.copysign(1, s) == 1 for s in scores)


# ------------------------------------------------------------------ 4. memory: real extent, caps
def test_far_empty_cell_does_not_stretch_the_sheet(populated_store, tmp_path, capsys):
    from openpyxl import load_workbook
    from openpyxl.styles import Font

    path = tmp_path / "far.xlsx"
    write(path, base_rows(), "xlsx")
    wb = load_workbook(path)
    wb.active["XFD1048576"].font = Font(bold=True)  # a styled, empty cell: the declared extent
    wb.save(path)
    from cchc_data.importer.reading import read_grid

    grid = read_grid(path)
    assert len(grid.rows) == 7 and max(len(r) for r in grid.rows) == 6
    assert main(["import", str(path), *ARGS, "--dry-run"]) == 0


@pytest.mark.parametrize("cell, expect", [("XFD1048576", "(at XFD1048576)"), ("H1000000", "100,000 rows")])
def test_far_cell_with_a_value_is_a_clear_error(populated_store, tmp_path, capsys, cell, expect):
    from openpyxl import load_workbook

    path = tmp_path / "far.xlsx"
    write(path, base_rows(), "xlsx")
    wb = load_workbook(path)
    wb.active[cell] = "x"
    wb.save(path)
    _fails_cleanly(capsys, populated_store, path, expect=expect)


def test_file_above_the_size_limit_is_refused_before_reading(populated_store, tmp_path, capsys, monkeypatch):
    from cchc_data.importer import reading

    monkeypatch.setattr(reading, "MAX_FILE_BYTES", 1000)
    rows = base_rows() + [[i, f"Sở {i}", 1, 1, 2, i] for i in range(10, 60)]
    path = tmp_path / "big.csv"
    write(path, rows, "csv")
    _fails_cleanly(capsys, populated_store, path, expect="exceeds the limit of 1,000 bytes")


def test_csv_row_and_cell_caps(populated_store, tmp_path, capsys, monkeypatch):
    from cchc_data.importer import reading

    monkeypatch.setattr(reading, "MAX_ROWS", 6)
    path = tmp_path / "rows.csv"
    write(path, base_rows() + [[9, "Sở X", 1, 1, 2, 9]], "csv")
    _fails_cleanly(capsys, populated_store, path, expect="exceeds the limit of 6 rows")
    monkeypatch.setattr(reading, "MAX_ROWS", 100)
    monkeypatch.setattr(reading, "MAX_COLS", 5)
    _fails_cleanly(capsys, populated_store, path, expect="exceeds the limit of 5 columns")


# ------------------------------------------------------------------ 5. control characters, escapes, downloads
@pytest.mark.parametrize(
    "name", ["Sở \x1b[31mĐỏ", "Sở Mới\u202eTXT.exe", "Sở\u2066Ẩn\u2069", "Sở\x07Chuông", "Sở\u0085Mới"]
)
def test_control_and_bidi_characters_in_names_are_refused(populated_store, tmp_path, capsys, name):
    rows = base_rows()
    rows[4][1] = name
    path = tmp_path / "names.csv"
    write(path, rows, "csv")
    err = _fails_cleanly(
        capsys, populated_store, path, *ARGS, "--new-units", expect="control or text-direction characters"
    )
    assert not any(ch in err for ch in "\x1b\u202e\u2066\u2069\x07\u0085")  # printed escaped
    assert "\\x1b" in err or "\\u202e" in err or "\\u2066" in err or "\\x07" in err or "\\x85" in err


def test_escape_sequences_in_file_names_and_values_are_printed_escaped(populated_store, tmp_path, capsys):
    rows = base_rows()
    rows[2][2] = "\x1b]0;owned\x07 45"
    path = tmp_path / "evil\x1b[2J\u202e.csv"
    write(path, rows, "csv")
    err = _fails_cleanly(capsys, populated_store, path)
    assert "\x1b" not in err and "\x07" not in err and "\u202e" not in err
    assert "evil\\x1b[2J\\u202e.csv" in err and "\\x1b]0;owned\\x07" in err


HOSTILE_NAMES = [
    '=HYPERLINK("http://evil.example/x","Hà Nội")',
    "@SUM(1)",
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "\t=1+1",
    "\r=1+1",
]


def test_downloads_write_formula_like_text_as_text():
    import io as _io
    import zipfile

    import pandas as pd
    from openpyxl import load_workbook

    from cchc_data.ui.download import to_csv_bytes, to_xlsx_bytes

    df = pd.DataFrame({"Đơn vị": HOSTILE_NAMES + ["Hà Nội", "-5"], "Tổng": [-1.5, 2, 3, 4, 5, 6, -7.25, 8]})
    xlsx = to_xlsx_bytes(df, "=cite")
    with zipfile.ZipFile(_io.BytesIO(xlsx)) as zf:
        assert b"<f>" not in zf.read("xl/worksheets/sheet1.xml")  # no formula anywhere
    ws = load_workbook(_io.BytesIO(xlsx)).active
    names = [ws.cell(r, 1).value for r in range(4, 12)]
    # the text, as it is (an XML reader gives CR as LF)
    assert names == [n.replace("\r", "\n") for n in HOSTILE_NAMES] + ["Hà Nội", "-5"]
    assert all(ws.cell(r, 1).data_type == "s" for r in range(4, 12))
    assert [ws.cell(r, 2).value for r in (4, 10)] == [-1.5, -7.25]  # numbers stay numbers
    assert ws.cell(1, 1).value == "=cite" and ws.cell(1, 1).data_type == "s"
    lines = to_csv_bytes(df, "=cite").decode("utf-8-sig")
    import csv as _csv

    cells = list(_csv.reader(_io.StringIO(lines, newline="")))
    assert cells[0] == ["# =cite"]
    assert [row[0] for row in cells[2:]] == ["'" + n for n in HOSTILE_NAMES] + ["Hà Nội", "-5"]
    assert [row[1] for row in cells[2:]][0] == "-1.5"  # a negative number is a number
