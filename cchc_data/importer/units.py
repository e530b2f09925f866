"""Printed unit names -> unit ids, against the store's units/unit_names (build.units.UnitResolver).

Names are normalised by textnorm.name_key (NFC, case, diacritics, whitespace, prefixes such as TP., Tỉnh,
UBND, Sở, Quận, Huyện, Thị xã); provinces fall back to the vietnamadminunits library (legacy 63 provinces,
abbreviations such as TP.HCM or HCM); aliases (BR-VT), legacy names (Hà Tây) and pre-merger provinces come
from unit_names, unit_lineage and the units' validity dates.
"""
from __future__ import annotations

from ..build.units import UnitResolver, _library_province_code, _valid_in, province_unit_id
from ..textnorm import name_key

GROUP_KIND = {"provinces": "province", "ministries": "ministry", "departments": "department",
              "districts": "district", "communes": "commune", "offices": "office"}
SCOPE_PARENT = {"hanoi": "p01", "hcmc": "p79"}


class StoreResolver(UnitResolver):
    """UnitResolver that tells 'unknown' from 'ambiguous' and scopes departments/districts to their city."""

    def candidates(self, name: str, kind: str, year: int | None = None, parent: str | None = None) -> list[str]:
        key = name_key(name)
        found = set(self._by_key.get((kind, key), set()))
        if not found and kind == "province":
            code = _library_province_code(name)
            if code and province_unit_id(code) in self.units:
                found = {province_unit_id(code)}
        if parent:
            found = {c for c in found if self.units[c].get("parent_unit_id") == parent}
        if year is not None and len(found) > 1:
            valid = {c for c in found if _valid_in(self.units[c], year)}
            found = valid or found
        return sorted(found)

    def suggestions(self, name: str, kind: str | None = None, limit: int = 5, parent: str | None = None) -> list[str]:
        from rapidfuzz import fuzz, process

        choices: dict[str, str] = {}
        for (k, key), ids in self._by_key.items():
            if kind is None or k == kind:
                for uid in ids:
                    if parent and self.units[uid].get("parent_unit_id") != parent:
                        continue
                    label = f"{self.units[uid]['name_vi']} ({uid})"
                    # keep the best-matching spelling of each unit
                    if label not in choices or fuzz.ratio(name_key(name), key) > fuzz.ratio(name_key(name), choices[label]):
                        choices[label] = key
        found = process.extract(name_key(name), choices, scorer=fuzz.WRatio, limit=limit)
        return [label for _key, _score, label in found]


def resolver_from_tables(tables: dict) -> StoreResolver:
    units = tables["units"].to_pylist()
    ids = {u["unit_id"] for u in units}
    names = [n for n in tables["unit_names"].to_pylist() if n["unit_id"] in ids]
    return StoreResolver(units, names)
