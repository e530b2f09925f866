"""Shared chart settings: locale, colour-blind-safe palettes, highlight colours."""

from __future__ import annotations

from typing import Final

import altair as alt

from ..fmt import symbols


def chart_locale(lang: str) -> alt.Locale:
    """Vega's number locale for the language, from the same Babel symbols as the tables (84,64 / 84.64)."""
    decimal, thousands = symbols(lang)
    currency = ["", " ₫"] if lang == "vi" else ["$", ""]
    return alt.Locale(number={"decimal": decimal, "thousands": thousands, "grouping": [3], "currency": currency})


# Colour-blind-safe choices (viridis / blue-orange diverging; Okabe-Ito for categories).
SEQUENTIAL_SCHEME: Final = "viridis"
DIVERGING_SCHEME: Final = "blueorange"
HIGHLIGHT = "#D55E00"  # Okabe-Ito vermillion
BASE = "#0072B2"  # Okabe-Ito blue
MUTED = "#BBBBBB"
NO_DATA = "#E8E8E8"
CATEGORICAL = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]


def finish(chart: alt.TopLevelMixin, lang: str) -> alt.TopLevelMixin:
    """Apply the language's number locale and a quiet theme."""
    return chart.configure(locale=chart_locale(lang)).configure_view(stroke=None)


def number_format(decimals: int = 2) -> str:
    return f",.{decimals}f"
