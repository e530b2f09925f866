"""Number formats: Vietnamese 84,64 and English 84.64, in tables and charts."""
from __future__ import annotations

import math

import altair as alt

VI_LOCALE = alt.Locale(number={"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " ₫"]})
EN_LOCALE = alt.Locale(number={"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["$", ""]})


def number(value, lang: str, decimals: int = 2, signed: bool = False) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    try:
        if value != value:  # pandas NA
            return "–"
    except TypeError:
        return "–"
    text = f"{float(value):{'+' if signed else ''},.{decimals}f}"
    if lang == "vi":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def integer(value, lang: str, signed: bool = False) -> str:
    if value is None or value != value:
        return "–"
    try:
        return number(int(value), lang, decimals=0, signed=signed)
    except (TypeError, ValueError):
        return "–"


def chart_locale(lang: str) -> alt.Locale:
    return VI_LOCALE if lang == "vi" else EN_LOCALE
