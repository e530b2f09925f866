"""The dashboard's pages and their URL paths: one table for the app, its share links and the benchmarks.

Kept free of streamlit so that tools (benchmarks/params.py) can read it without importing the UI."""

from __future__ import annotations

PAGE_PATHS = {
    "overview": "",
    "rankings": "rankings",
    "map": "map",
    "components": "components",
    "compare": "compare",
    "unit": "unit",
    "methodology": "methodology",
    "data": "data",
}
