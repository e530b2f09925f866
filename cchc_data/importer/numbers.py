"""Numbers as printed: comma or dot decimals, a % sign, thousands separators, dashes for gaps."""
from __future__ import annotations

import math
import re

GAP_MARKS = {"-", "–", "—", "x", "n/a", "na", "k/c", "..."}
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_NUMBER = re.compile(r"^[+-]?(\d[\d.,]*|[.,]\d+)$")
_ORDINAL = re.compile(r"^(?:thứ|hạng|thu|hang|no\.?|#)?\s*(\d+)\s*(?:st|nd|rd|th)?(?:\s*/\s*\d+)?$", re.I)


class NotANumber(ValueError):
    pass


def is_gap(value: object) -> bool:
    return isinstance(value, str) and value.strip().lower() in GAP_MARKS


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, float) and math.isnan(value))


def parse_number(value: object) -> tuple[float | None, bool]:
    """(number, had_percent_sign). Blank and dash cells are gaps (None). Raises NotANumber otherwise.

    Decimal mark: with both '.' and ',' the right-most one is the decimal mark; a mark that appears more
    than once is a thousands separator; a single mark is a decimal mark (so "84,64" and "84.64" are both
    84.64, and "1,234" is 1.234: scores are read as Vietnamese tables print them).
    """
    if isinstance(value, bool):
        raise NotANumber(value)
    if isinstance(value, (int, float)):
        if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
            raise NotANumber(value)
        return round(float(value), 10), False
    if is_blank(value) or is_gap(value):
        return None, False
    text = _SPACES.sub("", str(value))
    percent = text.endswith("%")
    if percent:
        text = text[:-1]
    text = text.replace("\u2212", "-")
    if not _NUMBER.match(text):
        raise NotANumber(value)
    sign = -1.0 if text.startswith("-") else 1.0
    text = text.lstrip("+-")
    if "." in text and "," in text:
        dec = "." if text.rfind(".") > text.rfind(",") else ","
        thousands = "," if dec == "." else "."
        if text.count(dec) > 1:
            raise NotANumber(value)
        text = text.replace(thousands, "").replace(dec, ".")
    elif text.count(",") > 1 or text.count(".") > 1:
        mark = "," if "," in text else "."
        groups = text.split(mark)
        if any(len(g) != 3 for g in groups[1:]):
            raise NotANumber(value)
        text = text.replace(mark, "")
    else:
        text = text.replace(",", ".")
    try:
        number = float(text)
    except ValueError as exc:
        raise NotANumber(value) from exc
    if math.isinf(number) or math.isnan(number):
        raise NotANumber(value)
    return sign * number, percent


def parse_rank(value: object) -> int | None:
    """A printed rank: 1, '01', '1/22', 'Thứ 1', '1st'. Blank or dash: None. Raises NotANumber otherwise."""
    if isinstance(value, bool):
        raise NotANumber(value)
    if isinstance(value, (int, float)):
        if isinstance(value, float) and (math.isnan(value) or not value.is_integer()):
            raise NotANumber(value)
        if value < 1:
            raise NotANumber(value)
        return int(value)
    if is_blank(value) or is_gap(value):
        return None
    m = _ORDINAL.match(str(value).strip())
    if not m or int(m[1]) < 1:
        raise NotANumber(value)
    return int(m[1])
