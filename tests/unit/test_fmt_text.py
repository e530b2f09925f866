import math
from collections import namedtuple

import pandas as pd

from cchc_data.fmt import in_lang, unit_name
from cchc_data.textnorm import fold, name_key
from cchc_data.ui.fmt import integer, number
from cchc_data.ui.text import md_escape


def test_vietnamese_and_english_number_formats():
    assert number(84.64, "vi") == "84,64"
    assert number(84.64, "en") == "84.64"
    assert number(12345.5, "vi") == "12.345,50"
    assert number(12345.5, "en") == "12,345.50"
    assert number(-0.311, "vi", signed=True) == "-0,31"
    assert number(2.0, "en", signed=True) == "+2.00"
    assert number(None, "vi") == number(math.nan, "en") == "–"
    assert integer(1234, "vi") == "1.234"


def test_fold_and_name_key():
    assert fold("Đà Nẵng") == "da nang"
    assert fold("\u00d0à Nẵng") == "da nang"  # Ð look-alike
    assert name_key("UBND quận Cầu Giấy") == name_key("Cầu Giấy") == "caugiay"
    assert name_key("Sở Tài chính Hà Nội") == name_key("Tài chính")
    assert name_key("TP. Hồ Chí Minh") == name_key("Thành phố Hồ Chí Minh")


def test_markdown_escaping_neutralises_links_and_html():
    escaped = md_escape("[x](javascript:alert(1)) <b>*y*</b>")
    assert "[" not in escaped.replace("\\[", "") and "<" not in escaped.replace("\\<", "")


def test_markdown_escaping_keeps_numbers_readable():
    # "96.17" at the start of a line would be a list item; the dot is escaped, never the digit.
    assert md_escape("96.17") == "96\\.17"
    assert md_escape("- x") == "\\- x"


def test_in_lang_picks_the_english_text_and_falls_back_to_the_vietnamese():
    row = {"name_vi": "Hà Nội", "name_en": "Ha Noi"}
    assert in_lang(row, "name_vi", "name_en", "en") == "Ha Noi" and in_lang(row, "name_vi", "name_en", "vi") == "Hà Nội"
    for blank in (None, math.nan, ""):  # a gap in the English column is not a name
        assert unit_name(pd.Series({"name_vi": "Hà Nội", "name_en": blank}), "en") == "Hà Nội"
    assert unit_name(namedtuple("Row", "name_vi")("Hà Tây"), "en") == "Hà Tây"  # no English column at all
    assert in_lang({"note_vi": None}, "note_vi", "note_en", "en") is None
