"""Importer building blocks: numbers, encodings, legacy fonts, header detection."""

from __future__ import annotations

import codecs
import unicodedata

import pytest

from cchc_data.importer.numbers import NotANumber, parse_number, parse_rank
from cchc_data.importer.reading import Grid, decode_bytes, detect_legacy_font, find_layout, split_max


@pytest.mark.parametrize(
    "text, value, pct",
    [
        ("84,64", 84.64, False),
        ("84.64", 84.64, False),
        ("91,68%", 91.68, True),
        ("91,68 %", 91.68, True),
        ("1.234,5", 1234.5, False),
        ("1,234.5", 1234.5, False),
        ("1 234,5", 1234.5, False),
        ("12.345.678", 12345678.0, False),
        ("1,234", 1.234, False),
        ("-3", -3.0, False),
        (" 7 ", 7.0, False),
        (",5", 0.5, False),
        ("-", None, False),
        ("", None, False),
        (None, None, False),
        (84.64, 84.64, False),
    ],
)
def test_parse_number(text, value, pct):
    assert parse_number(text) == (value, pct)


@pytest.mark.parametrize("text", ["abc", "1,2,3", "12..3", "1.2.3,4,5", "9a", "%", "1e5", float("nan"), True])
def test_parse_number_rejects(text):
    with pytest.raises(NotANumber):
        parse_number(text)


@pytest.mark.parametrize(
    "text, rank", [("1", 1), ("01", 1), ("3/22", 3), ("Thứ 3", 3), ("2nd", 2), (4.0, 4), ("", None), ("-", None)]
)
def test_parse_rank(text, rank):
    assert parse_rank(text) == rank


@pytest.mark.parametrize("text", ["0", "1.5", "first", 2.5, -1])
def test_parse_rank_rejects(text):
    with pytest.raises(NotANumber):
        parse_rank(text)


def to_cp1258(text: str) -> bytes:
    """Windows-1258 keeps base letters with circumflex/breve/horn precomposed and tone marks combining."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for ch in unicodedata.normalize("NFC", text):
        d = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in d if c not in tones))
        out.append(base + "".join(c for c in d if c in tones))
    return "".join(out).encode("cp1258")


SAMPLE = 'STT,Tên đơn vị,Chỉ số (%)\n1,Sở Nội vụ,"91,59"\n2,Quận Hoàn Kiếm,"96,08"\n'


@pytest.mark.parametrize(
    "data, encoding",
    [
        (SAMPLE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), "utf-8-sig"),
        (SAMPLE.encode("utf-16"), "utf-16"),
        (SAMPLE.encode("utf-16-le"), "utf-16"),
        (to_cp1258(SAMPLE), "windows-1258"),
    ],
)
def test_decode_bytes(data, encoding):
    text, enc = decode_bytes(data)
    assert enc == encoding
    assert unicodedata.normalize("NFC", text) == SAMPLE


def test_legacy_fonts_detected():
    # "Hà Nội", "Sở Nội vụ", "Thành phố" as they appear when typed in TCVN3 (.VnTime) and VNI fonts.
    assert detect_legacy_font(["Hµ Néi", "Së Néi vô", "Thµnh phè"]) == "TCVN3 (ABC)"
    assert detect_legacy_font(["Haø Noäi", "Sôû Noäi vuï", "Thaønh phoá"]) == "VNI"
    assert detect_legacy_font(["Hà Nội", "Sở Nội vụ", "Tên đơn vị", "Chỉ số (%)"]) is None
    assert detect_legacy_font(["Department of Home Affairs", "Rank", "Total"]) is None
    # A workbook with Unicode headers but unit names typed in a .VnTime font.
    assert detect_legacy_font(["Tên đơn vị", "Chỉ số (%)", "Xếp hạng", "Së Néi vô", "Së Tµi chÝnh"]) == "TCVN3 (ABC)"


def grid(rows):
    return Grid([list(r) for r in rows], list(range(1, len(rows) + 1)), letters=True)


def test_header_below_title_rows_with_group_heading_and_numbering_row():
    g = grid(
        [
            ["CHỈ SỐ CẢI CÁCH HÀNH CHÍNH (SYNTHETIC)", None, None, None, None, None],
            [None, None, None, None, None, None],
            ["STT", "Tên đơn vị", "Điểm các lĩnh vực", "Điểm các lĩnh vực", "Chỉ số (%)", "Xếp hạng"],
            ["STT", "Tên đơn vị", "LV 1 (tối đa 40)", "Lĩnh vực 2 (60 điểm)", "Chỉ số (%)", "Xếp hạng"],
            ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"],
            [1, "Sở A", 30, 50, 80, 1],
        ]
    )
    layout = find_layout(g)
    assert layout.header_rows == [2, 3, 4] and layout.data_start == 5
    roles = [(c.role, c.label, c.max_score) for c in layout.columns]
    assert roles == [
        ("stt", "STT", None),
        ("unit", "Tên đơn vị", None),
        ("component", "LV 1", 40.0),
        ("component", "Lĩnh vực 2", 60.0),
        ("total", "Chỉ số (%)", None),
        ("rank", "Xếp hạng", None),
    ]


def test_english_header_and_extra_columns():
    g = grid([["No.", "Unit", "Index (%)", "Rank", "Notes", "source_url"], [1, "X", 1, 1, None, None]])
    layout = find_layout(g)
    assert [c.role for c in layout.columns] == ["stt", "unit", "total", "rank", "extra", "extra"]


def test_split_max():
    assert split_max("Cải cách TTHC (14,5 điểm)") == ("Cải cách TTHC", 14.5)
    assert split_max("Chỉ số (%)") == ("Chỉ số (%)", None)
