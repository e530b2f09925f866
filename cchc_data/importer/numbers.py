"""Numbers as printed: comma or dot decimals, a % sign, thousands separators, dashes for gaps."""

from __future__ import annotations

import math
import re

GAP_MARKS = {"-", "–", "—", "x", "n/a", "na", "k/c", "..."}
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
# ASCII digits only: fullwidth (１２) and Arabic-Indic (٣٤) digits are refused, not normalised (docs/importer.md):
# no Vietnamese table prints them, and Python's float() would silently read them.
_NUMBER = re.compile(r"^[+-]?([0-9][0-9.,]*|[.,][0-9]+)$")
_ORDINAL = re.compile(r"^(?:thứ|hạng|thu|hang|no\.?|#)?\s*([0-9]+)\s*(?:st|nd|rd|th)?(?:\s*/\s*([0-9]+))?$", re.I)
MAX_RANK = 1_000_000  # no ranking has more units (a far larger number is not a rank; OverflowError before)


def foreign_digits(value: object) -> bool:
    """A text holding decimal digits other than ASCII 0-9 (fullwidth, Arabic-Indic, ...)."""
    return isinstance(value, str) and any(ch.isdigit() and not "0" <= ch <= "9" for ch in value)


class NotANumber(ValueError):
    pass


def is_gap(value: object) -> bool:
    return isinstance(value, str) and value.strip().lower() in GAP_MARKS


def is_blank(value: object) -> bool:
    return (
        value is None
        or (isinstance(value, str) and not value.strip())
        or (isinstance(value, float) and math.isnan(value))
    )


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
        return round(float(value), 10) + 0.0, False  # + 0.0: -0.0 is stored as 0.0
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
    return sign * number + 0.0, percent  # + 0.0: "-0" is 0.0, never -0.0


def parse_rank(value: object) -> int | None:
    """A printed rank: 1, '01', '1/22', 'Thứ 1', '1st'. Blank or dash: None. Raises NotANumber otherwise."""
    return parse_rank_of(value)[0]


def parse_rank_of(value: object) -> tuple[int | None, int | None]:
    """(rank, out of): '3/22' -> (3, 22), '3' -> (3, None). Raises NotANumber for what is not a rank, for a rank
    above MAX_RANK and for a rank above its own 'out of' ('30/22')."""
    if isinstance(value, bool):
        raise NotANumber(value)
    if isinstance(value, (int, float)):
        if isinstance(value, float) and (math.isnan(value) or math.isinf(value) or not value.is_integer()):
            raise NotANumber(value)
        if not 1 <= value <= MAX_RANK:
            raise NotANumber(value)
        return int(value), None
    if is_blank(value) or is_gap(value):
        return None, None
    m = _ORDINAL.match(str(value).strip())
    if not m or len(m[1]) > 7 or not 1 <= int(m[1]) <= MAX_RANK:
        raise NotANumber(value)
    of = int(m[2]) if m[2] and len(m[2]) <= 7 else None
    if m[2] and (of is None or of < int(m[1])):
        raise NotANumber(value)
    return int(m[1]), of
