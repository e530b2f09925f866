"""Number formats for the UI: Vietnamese 84,64 and English 84.64, in tables and charts.

The formatting itself lives in the bottom layer (cchc_data.fmt, through Babel) and the Vega locale with the charts
(cchc_data.charts.common); this module re-exports both so that pages have one place to import them from."""

from __future__ import annotations

from ..charts.common import chart_locale
from ..fmt import GAP, day, integer, number

__all__ = ["GAP", "chart_locale", "day", "integer", "number"]
