"""Unit-name helpers shared by the build and the importer (bottom layer: imports only textnorm and a library)."""

from __future__ import annotations

from .textnorm import nfc


def valid_in(unit: dict, year: int) -> bool:
    """Whether a unit (with valid_from/valid_to dates or None) existed at some time in `year`."""
    start, end = unit.get("valid_from"), unit.get("valid_to")
    return (start is None or start.year <= year) and (end is None or end.year >= year)


def library_province_code(name: str) -> str | None:
    """vietnamadminunits knows the 63 legacy provinces with their common spellings."""
    from vietnamadminunits import parse_address  # loads the whole address database: only for unknown names

    try:
        parsed = parse_address(nfc(name), mode="LEGACY", level=1)
    except Exception:  # the library raises on unparseable text; that simply means no match
        return None
    return parsed.province_code or None
