"""Number and date formatting for vi and en, through Babel's locale data (the bottom layer: no Streamlit, no Altair).

Vietnamese 84,64 and 12.345,50; English 84.64 and 12,345.50. The rounding is Python's own (the figure is first
rounded with the format mini-language, exactly as the tables always showed it); Babel only supplies the locale's
symbols and grouping, so a published figure reads the same digit for digit in both languages. A gap is "–".
"""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import Decimal

import pandas as pd
from babel.dates import format_date
from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol

GAP = "–"
LOCALES = {"vi": "vi", "en": "en"}
DATE_PATTERNS = {"vi": "dd/MM/yyyy", "en": "d MMMM yyyy"}


def _locale(lang: str) -> str:
    return LOCALES.get(lang, "vi")


def _is_gap(value) -> bool:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return True
    try:
        return bool(value != value)  # pandas NA / NaT
    except TypeError:
        return True


def number(value, lang: str, decimals: int = 2, signed: bool = False) -> str:
    """`value` with `decimals` places in the language's notation; `signed` puts + before positive figures."""
    if _is_gap(value):
        return GAP
    try:
        rounded = Decimal(f"{float(value):{'+' if signed else ''}.{decimals}f}")
    except (TypeError, ValueError):
        return GAP
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    if signed:
        pattern = f"+{pattern};-{pattern}"
    return format_decimal(rounded, format=pattern, locale=_locale(lang), decimal_quantization=True)


def integer(value, lang: str, signed: bool = False) -> str:
    if _is_gap(value):
        return GAP
    try:
        return number(int(value), lang, decimals=0, signed=signed)
    except (TypeError, ValueError):
        return GAP


def day(value, lang: str) -> str:
    """A date: 05/03/2024 in vi, 5 March 2024 in en (month names from Babel, never the server's locale)."""
    if value is None or (not isinstance(value, date | datetime) and pd.isna(value)):
        return GAP
    d = pd.Timestamp(value).date()
    return format_date(d, DATE_PATTERNS.get(lang, DATE_PATTERNS["vi"]), locale=_locale(lang))


def symbols(lang: str) -> tuple[str, str]:
    """(decimal mark, thousands separator) of the language, for chart formatters."""
    loc = _locale(lang)
    return get_decimal_symbol(loc), get_group_symbol(loc)
