"""Realistic query params for every page, read from the data directory itself (no figure typed in)."""

from __future__ import annotations

from pathlib import Path

from cchc_data.parquet_io import parquet_views
from cchc_data.routes import PAGE_PATHS  # streamlit-free: inproc.py imports streamlit only after quieting it

FLOOR = "floor"  # benchmarks/floor_page.py: router + language switch + sidebar, nothing drawn
PROBE = "floor+elements"  # the floor page drawing PROBE_ELEMENTS one-line Markdown elements: the cost of one element
PROBE_ELEMENTS = 60
PAGES = tuple(PAGE_PATHS)
PAGE_FILES = {p: f"pages/{p}.py" for p in PAGES}
URL_PATHS = {**PAGE_PATHS, FLOOR: FLOOR, PROBE: FLOOR}  # the app's own paths (cchc_data.routes), plus the floor page


def page_params(data_dir: Path, lang: str = "vi") -> dict[str, dict[str, str]]:
    """The biggest view of the data: the index with the most results, its latest year, its largest group;
    the three leading units of that group for /compare and /unit."""
    con = parquet_views(data_dir, ("results", "editions"))
    try:

        def q(sql, params=None):
            return con.execute(sql, params or []).fetchall()

        index_code, group = q("""SELECT e.index_code, r.unit_group FROM results r
                                 JOIN editions e USING (edition_id)
                                 GROUP BY ALL ORDER BY count(*) DESC, 1, 2 LIMIT 1""")[0]
        year, edition_id = q(
            """SELECT e.year, e.edition_id FROM editions e
                                WHERE index_code = ? AND EXISTS (SELECT 1 FROM results r
                                   WHERE r.edition_id = e.edition_id AND r.unit_group = ?)
                                ORDER BY year DESC LIMIT 1""",
            [index_code, group],
        )[0]
        leaders = [
            r[0]
            for r in q(
                """SELECT unit_id FROM results WHERE edition_id = ? AND unit_group = ?
                                      ORDER BY rank NULLS LAST, unit_id LIMIT 3""",
                [edition_id, group],
            )
        ]
        map_index = "pci" if q("SELECT 1 FROM editions WHERE index_code = 'pci' LIMIT 1") else index_code
        map_year = q("SELECT max(year) FROM editions WHERE index_code = ?", [map_index])[0][0]
    finally:
        con.close()
    base = {"lang": lang}
    return {
        "overview": {**base},
        "rankings": {**base, "index": index_code, "year": str(year), "group": group},
        "map": {**base, "index": map_index, "year": str(map_year)},
        "components": {**base, "index": index_code, "year": str(year), "group": group},
        "compare": {**base, "index": index_code, "group": group, "units": ",".join(leaders)},
        "unit": {**base, "unit": leaders[0], "index": index_code, "year": str(year)},
        "methodology": {**base},
        "data": {**base},
        FLOOR: {**base},
        PROBE: {**base, "elements": str(PROBE_ELEMENTS)},
    }


def query_string(params: dict[str, str]) -> str:
    from urllib.parse import urlencode

    return "?" + urlencode(params) if params else ""
