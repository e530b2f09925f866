"""Units, their names and their lineage, from the boundary lists and reference files."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..textnorm import fold, name_key, nfc
from ..unit_names import library_province_code as _library_province_code
from ..unit_names import valid_in as _valid_in

MERGER_2025 = date(2025, 7, 1)
MERGER_2025_BASIS = "Nghị quyết 202/2025/QH15 về việc sắp xếp đơn vị hành chính cấp tỉnh"
MERGER_2025_BASIS_EN = "Resolution 202/2025/QH15 on the arrangement of provincial-level administrative units"
DISTRICTS_END = date(2025, 6, 30)
# units.name_vi / name_en / name_full_vi are the names in force on this day: the end of the latest year with
# published results (2024). unit_names holds every name with its period (reference/unit_name_periods.csv).
NAMES_AS_OF = date(2024, 12, 31)


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return [{k: nfc(v) if v is not None else "" for k, v in row.items()} for row in csv.DictReader(fh)]


def short_province_name(full: str) -> str:
    for prefix in ("Thành phố ", "Tỉnh "):
        if full.startswith(prefix):
            return full[len(prefix) :]
    return full


@dataclass
class UnitRegistry:
    units: list[dict] = field(default_factory=list)
    names: list[dict] = field(default_factory=list)
    lineage: list[dict] = field(default_factory=list)

    def add_unit(self, **unit) -> None:
        self.units.append(unit)

    def add_named_unit(
        self,
        unit_id: str,
        short: str,
        full: str,
        kind: str,
        admin_code: str | None,
        map_layer: str | None,
        *,
        name_en: str | None = None,
        parent_unit_id: str | None = None,
        valid_from: date | None = None,
        valid_to: date | None = None,
    ) -> None:
        """A unit named by its short Vietnamese name (also its official_short name) and its full one; the English
        name, where none is given, is the short name without accents."""
        self.add_unit(
            unit_id=unit_id,
            name_vi=short,
            name_en=name_en or fold(short).title(),
            kind=kind,
            admin_code=admin_code,
            parent_unit_id=parent_unit_id,
            valid_from=valid_from,
            valid_to=valid_to,
            name_full_vi=full,
            map_layer=map_layer,
        )
        self.add_name(unit_id, short, "vi", "official_short")

    def add_name(
        self,
        unit_id: str,
        name: str,
        lang: str,
        name_kind: str,
        valid_from: date | None = None,
        valid_to: date | None = None,
    ) -> None:
        name = clean_name(name)
        if name:
            self.names.append(
                {
                    "unit_id": unit_id,
                    "name": name,
                    "lang": lang,
                    "name_kind": name_kind,
                    "name_folded": fold(name),
                    "valid_from": valid_from,
                    "valid_to": valid_to,
                }
            )

    def apply_name_periods(self, rows: list[dict[str, str]]) -> None:
        """Names by period: a (unit, lang, name_kind) listed here loses its undated name and gets the listed
        ones; the unit's display names become those in force at NAMES_AS_OF."""

        def day(text: str) -> date | None:
            return date.fromisoformat(text) if text else None

        listed = {(r["unit_id"], r["lang"], r["name_kind"]) for r in rows}
        self.names = [n for n in self.names if (n["unit_id"], n["lang"], n["name_kind"]) not in listed]
        units = {u["unit_id"]: u for u in self.units}
        for r in rows:
            start, end = day(r["valid_from"]), day(r["valid_to"])
            self.add_name(r["unit_id"], r["name"], r["lang"], r["name_kind"], start, end)
            if (start is None or start <= NAMES_AS_OF) and (end is None or end >= NAMES_AS_OF):
                field = {
                    ("vi", "official_short"): "name_vi",
                    ("en", "official"): "name_en",
                    ("vi", "official"): "name_full_vi",
                }.get((r["lang"], r["name_kind"]))
                if field:
                    units[r["unit_id"]][field] = clean_name(r["name"])


def clean_name(name: str) -> str:
    """NFC, trimmed, single spaces (the GSO list prints "Huyện  Vũng Liêm")."""
    return " ".join(nfc(name or "").split())


def province_unit_id(code: str) -> str:
    return f"p{code}"


def province_2025_unit_id(code: str) -> str:
    return f"p{code}-2025"


def build_units(src: Path) -> UnitRegistry:
    geo = src / "geo"
    ref = src / "reference"
    reg = UnitRegistry()

    admin = read_csv(geo / "vn_admin_units_2025-03-01.csv")
    crosswalk = read_csv(geo / "vn_province_crosswalk_63_to_34.csv")
    papi_en = {r["ma_tinh"]: r["province_en_source"] for r in read_csv(src / "indices" / "papi_2011_2019_long.csv")}

    # 63 provinces (pre-2025). A province whose territory did not change in 2025 stays one unit.
    by_new: dict[str, list[dict]] = {}
    for row in crosswalk:
        by_new.setdefault(row["ma_tinh_2025"], []).append(row)
    unchanged = {rows[0]["ma_tinh"] for code, rows in by_new.items() if len(rows) == 1 and rows[0]["ma_tinh"] == code}

    for row in crosswalk:
        code = row["ma_tinh"]
        uid = province_unit_id(code)
        end = None if code in unchanged else date(2025, 6, 30)
        reg.add_named_unit(
            uid,
            row["ten_ngan"],
            row["ten_tinh"],
            "province",
            code,
            "provinces_63",
            name_en=papi_en.get(code),
            valid_to=end,
        )
        reg.add_name(uid, row["ten_tinh"], "vi", "official")
        reg.add_name(uid, papi_en.get(code, ""), "en", "official")

    # 34 provinces from 1 July 2025: merged ones are new units with lineage from each predecessor.
    for code, rows in sorted(by_new.items()):
        if rows[0]["ma_tinh"] in unchanged and len(rows) == 1:
            continue
        uid = province_2025_unit_id(code)
        full = rows[0]["ten_tinh_2025"]
        full_vi = full if full.startswith(("Thành phố", "Tỉnh")) else f"Tỉnh {full}"
        reg.add_named_unit(
            uid, short_province_name(full), full_vi, "province", code, "provinces_34", valid_from=MERGER_2025
        )
        for old in rows:
            reg.lineage.append(
                {
                    "predecessor_unit_id": province_unit_id(old["ma_tinh"]),
                    "successor_unit_id": uid,
                    "effective_on": MERGER_2025,
                    "legal_basis": MERGER_2025_BASIS,
                    "legal_basis_en": MERGER_2025_BASIS_EN,
                }
            )

    # Hà Tây (merged into Hà Nội in 2008): no GSO code in our sources, so none is given.
    reg.add_named_unit(
        "p-hatay", "Hà Tây", "Tỉnh Hà Tây", "province", None, None, name_en="Ha Tay", valid_to=date(2008, 7, 31)
    )
    reg.add_name("p-hatay", "Tỉnh Hà Tây", "vi", "official")
    for row in read_csv(ref / "lineage_extra.csv"):
        row["effective_on"] = date.fromisoformat(row["effective_on"])  # type: ignore[assignment]
        reg.lineage.append(row)

    for row in read_csv(ref / "province_aliases.csv"):
        reg.add_name(province_unit_id(row["admin_code"]), row["alias"], "vi", "alias")

    # Districts: the GSO list of 01/03/2025, plus units in the 2023 boundary file merged away since.
    seen: set[str] = set()
    for row in admin:
        if row["cap"] != "huyen":
            continue
        _add_district(reg, row["ma"], row["ten"], row["ma_tinh"])
        seen.add(row["ma"])
    with open(geo / "vn_districts.geojson", encoding="utf-8") as fh:
        for feat in json.load(fh)["features"]:
            props = feat["properties"]
            if props["ma_huyen"] not in seen:
                name = (
                    props["ten_huyen"]
                    if (props.get("loai") or "") in props["ten_huyen"]
                    else f"{props.get('loai') or ''} {props['ten_huyen']}".strip()
                )
                _add_district(reg, props["ma_huyen"], name, props["ma_tinh"])
                seen.add(props["ma_huyen"])

    for fname, kind, parent in (("ministries.csv", "ministry", None), ("hanoi_departments.csv", "department", "p01")):
        for row in read_csv(ref / fname):
            reg.add_unit(
                unit_id=row["unit_id"],
                name_vi=row["name_vi"],
                name_en=row["name_en"],
                kind=kind,
                admin_code=None,
                parent_unit_id=parent,
                valid_from=None,
                valid_to=None,
                name_full_vi=row["name_vi"],
                map_layer=None,
            )
            reg.add_name(row["unit_id"], row["name_vi"], "vi", "official")
            reg.add_name(row["unit_id"], row["name_en"], "en", "official")
            for alias in filter(None, row["aliases"].split("|")):
                reg.add_name(row["unit_id"], alias, "xx", "alias")
    reg.apply_name_periods(read_csv(ref / "unit_name_periods.csv"))
    return reg


def _add_district(reg: UnitRegistry, code: str, full_name: str, province_code: str) -> None:
    uid = f"d{code}"
    full_name = clean_name(full_name)
    short = full_name
    for prefix in ("Quận ", "Huyện ", "Thị xã ", "Thành phố "):
        if full_name.startswith(prefix):
            short = full_name[len(prefix) :]
            break
    reg.add_named_unit(
        uid,
        short,
        full_name,
        "district",
        code,
        "districts",
        parent_unit_id=province_unit_id(province_code),
        valid_to=DISTRICTS_END,
    )
    reg.add_name(uid, full_name, "vi", "official")


class UnitResolver:
    """Printed unit names -> unit_id. Library first (provinces), then our registry's names."""

    def __init__(self, units: list[dict], names: list[dict]):
        self.units = {u["unit_id"]: u for u in units}
        self._by_key: dict[tuple[str, str], set[str]] = {}
        for n in names:
            unit = self.units[n["unit_id"]]
            self._by_key.setdefault((unit["kind"], name_key(n["name"])), set()).add(n["unit_id"])

    def resolve(self, name: str, kind: str, year: int | None = None, parent: str | None = None) -> str | None:
        key = name_key(name)
        candidates = set(self._by_key.get((kind, key), set()))
        if not candidates and kind == "province":
            code = _library_province_code(name)
            if code:
                candidates = {province_unit_id(code)}
        if parent:
            candidates = {c for c in candidates if self.units[c]["parent_unit_id"] == parent}
        if year is not None and len(candidates) > 1:
            candidates = {c for c in candidates if _valid_in(self.units[c], year)}
        return next(iter(candidates)) if len(candidates) == 1 else None

    def suggestions(self, name: str, kind: str | None = None, limit: int = 5) -> list[str]:
        from rapidfuzz import fuzz, process  # only when a name is unknown: not on every build

        choices = {}
        for (k, key), ids in self._by_key.items():
            if kind is None or k == kind:
                for uid in ids:
                    choices[f"{self.units[uid]['name_vi']} ({uid})"] = key
        found = process.extract(name_key(name), choices, scorer=fuzz.ratio, limit=limit)
        return [label for _key, _score, label in found]
