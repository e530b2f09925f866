"""Printed unit names -> unit ids, against the store's units/unit_names (build.units.UnitResolver).

Names are normalised by textnorm.name_key (NFC, case, diacritics, whitespace, prefixes such as TP., Tỉnh,
UBND, Sở, Quận, Huyện, Thị xã); provinces fall back to the vietnamadminunits library (legacy 63 provinces,
abbreviations such as TP.HCM or HCM); aliases (BR-VT), legacy names (Hà Tây) and pre-merger provinces come
from unit_names, unit_lineage and the units' validity dates.

Printed forms beyond that (English "Dong Da district", "People's Committee of …", "Hanoi Department of …",
abbreviations "Q.", "TX.", "Sở GD&ĐT", "BQL các KCN và CX", …) come from ONE table in the data,
data/sources/reference/unit_name_forms.csv (form, kind, role, means, source):

* role ``prefix`` / ``suffix``: words printed before/after a unit's name; dropped before matching, and
  ``means`` (``quận|huyện``, ``thị xã``, …) tells the unit type the words name, which settles names shared by
  two units of one province (``Ky Anh town`` = Thị xã Kỳ Anh, ``Ky Anh district`` = Huyện Kỳ Anh);
* role ``abbreviation``: a printed abbreviation and the name it stands for (``Sở GD&ĐT`` -> ``Sở Giáo dục và
  Đào tạo``), matched after the same normalisation.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from ..build.units import UnitResolver, province_unit_id
from ..textnorm import fold, name_key
from ..unit_names import library_province_code, valid_in
from . import units_2025
from .errors import MESSAGES, Problem

GROUP_KIND = {
    "provinces": "province",
    "ministries": "ministry",
    "departments": "department",
    "districts": "district",
    "communes": "commune",
    "offices": "office",
}
SCOPE_PARENT = {"hanoi": "p01", "hcmc": "p79"}
# The alias table is source data with the code (not the build output a CCHC_DATA_DIR may point elsewhere).
FORMS_PATH = Path(__file__).resolve().parents[2] / "data" / "sources" / "reference" / "unit_name_forms.csv"
NEAR_SCORE = 90  # rapidfuzz ratio of two base keys at or above which a "new" name nearly matches a unit

# Messages of the problems this module adds (kept with the code that raises them).
MESSAGES.setdefault(
    "unknown_unit_close",
    (
        "Không nhận ra đơn vị ({kind}), nhưng tên rất gần với đơn vị đã có: {closest}. Hãy sửa tên trong bảng "
        "(không dùng --new-units: đơn vị này đã có).",
        "Unknown unit ({kind}), but the name is very close to a known unit: {closest}. Correct the name in the table "
        "(not --new-units: that unit exists).",
    ),
)
MESSAGES.setdefault(
    "new_unit_confirm_unused",
    (
        "--new-unit-confirm {row}: dòng {row} không phải là đơn vị mới gần trùng tên đơn vị đã có; bỏ qua.",
        "--new-unit-confirm {row}: row {row} is not a new unit whose name nearly matches a known one; ignored.",
    ),
)
MESSAGES.setdefault(
    "new_unit_near",
    (
        "--new-units không tạo đơn vị này: tên trùng hoặc gần trùng với đơn vị đã có trong nhóm: {closest}. Nếu đúng là "
        "đơn vị khác, chạy lại với --new-unit-confirm {row}.",
        "--new-units does not create this unit: the name matches or nearly matches a unit already in the group: "
        "{closest}. If it really is another unit, re-run with --new-unit-confirm {row}.",
    ),
)


@lru_cache(maxsize=4)
def _forms(path: str) -> tuple[tuple, dict]:
    affixes: list[tuple[str, str, str, frozenset]] = []
    abbrevs: dict[tuple[str, str], str] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            form, kind, role = fold(row["form"]), (row["kind"] or "").strip(), row["role"].strip()
            if role in ("prefix", "suffix"):
                types = frozenset(fold(t) for t in (row["means"] or "").split("|") if t.strip())
                affixes.append((role, form, kind, types))
            elif role == "abbreviation":
                abbrevs.setdefault((kind, name_key(row["form"])), row["means"])
            else:
                raise ValueError(f"{path}: unknown role {role!r} for {row['form']!r}")
    # Longest forms first, so "urban district" is tried before "district".
    affixes.sort(key=lambda a: -len(a[1]))
    return tuple(affixes), abbrevs


def load_forms() -> tuple[tuple, dict]:
    """(affixes, abbreviations) from data/sources/reference/unit_name_forms.csv."""
    return _forms(str(FORMS_PATH))


def strip_forms(name: str, kind: str, affixes=None) -> tuple[str, frozenset]:
    """The folded name without printed prefixes/suffixes of `kind`, and the unit types they name."""
    if affixes is None:
        affixes = load_forms()[0]
    text = fold(name)
    types: set[str] = set()
    changed = True
    while changed:
        changed = False
        for role, form, k, t in affixes:
            if k and k != kind:
                continue
            if role == "prefix" and text.startswith(form + " ") and len(text) > len(form) + 1:
                text = text[len(form) + 1 :]
            elif role == "suffix" and text.endswith(" " + form) and len(text) > len(form) + 1:
                text = text[: -len(form) - 1]
            else:
                continue
            if t:
                types = types & t if types else set(t)  # "Quận … district": both say quận
            changed = True
    return text, frozenset(types)


def unit_type(unit: dict) -> str | None:
    """The Vietnamese unit type its official name starts with (quận, huyện, thị xã, thành phố, tỉnh, phường, xã…)."""
    name = fold(unit.get("name_full_vi") or unit.get("name_vi") or "")
    for t in ("thanh pho", "thi xa", "thi tran", "dac khu", "quan", "huyen", "tinh", "phuong", "xa"):
        if name.startswith(t + " "):
            return t
    return None


class StoreResolver(UnitResolver):
    """UnitResolver that tells 'unknown' from 'ambiguous' and scopes departments/districts to their city."""

    def __init__(self, units: list[dict], names: list[dict], lineage: list[dict] | None = None):
        super().__init__(units, names)
        # A pre-merger province -> the 2025 province that took it over (unit_lineage; TP.HCM p79 -> p79-2025, and
        # Bình Dương and Bà Rịa - Vũng Tàu too): the communes of a table scoped to the old province are found there.
        self.province_successor: dict[str, str] = {}
        for link in lineage or ():
            old, new = self.units.get(link["predecessor_unit_id"]), self.units.get(link["successor_unit_id"])
            if old and new and old.get("kind") == new.get("kind") == "province":
                self.province_successor[old["unit_id"]] = new["unit_id"]
        self.affixes, self.abbrevs = load_forms()
        self._by_base: dict[tuple[str, str], set[str]] = {}
        self._types: dict[str, set[str]] = {}
        for n in names:
            unit = self.units[n["unit_id"]]
            base, types = strip_forms(n["name"], unit["kind"], self.affixes)
            self._by_base.setdefault((unit["kind"], base.replace(" ", "")), set()).add(n["unit_id"])
            self._types.setdefault(n["unit_id"], set()).update(types)
        for uid, unit in self.units.items():
            t = unit_type(unit)
            if t:
                self._types.setdefault(uid, set()).add(t)

    def _lookup(self, name: str, kind: str) -> tuple[set[str], frozenset]:
        base, types = strip_forms(name, kind, self.affixes)
        base_key = base.replace(" ", "")
        found = set(self._by_key.get((kind, name_key(name)), set()))
        for key in (base_key, name_key(base)):
            if found:
                break
            found = set(self._by_key.get((kind, key), set())) or set(self._by_base.get((kind, key), set()))
        if not found:
            for key in (name_key(name), base_key, name_key(base)):
                full = self.abbrevs.get((kind, key)) or self.abbrevs.get(("", key))
                if full:
                    found = set(self._by_key.get((kind, name_key(full)), set()))
                    break
        return found, types

    def candidates(self, name: str, kind: str, year: int | None = None, parent: str | None = None) -> list[str]:
        found, types = self._lookup(name, kind)
        if not found and kind == "province":
            base, _t = strip_forms(name, kind, self.affixes)
            code = library_province_code(name) or library_province_code(base)
            if code and province_unit_id(code) in self.units:
                found = {province_unit_id(code)}
        if kind == "commune" and parent:  # a commune lies in a 2025 province (lineage from the old one)
            parent = self.province_successor.get(parent, parent)
        found, parent = units_2025.adjust(self, name, kind, found, year, parent)  # the two-tier system from 2025
        if parent:
            found = {c for c in found if self.units[c].get("parent_unit_id") == parent}
        if types and len(found) > 1:
            typed = {c for c in found if self._types.get(c, set()) & types}
            found = typed or found
        if year is not None and len(found) > 1:
            valid = {c for c in found if valid_in(self.units[c], year)}
            found = valid or found
        return sorted(found)

    def _choices(self, kind: str | None, parent: str | None) -> dict[str, str]:
        """'label|key' -> key of every known spelling of the group (built once per group: a table of new
        names asks for it on every row). Communes under a pre-merger province are those of its 2025 successor."""
        if kind == "commune" and parent:
            parent = self.province_successor.get(parent, parent)
        cache = self.__dict__.setdefault("_choices_cache", {})
        if (kind, parent) not in cache:
            cache[(kind, parent)] = self._build_choices(kind, parent)
        return cache[(kind, parent)]

    def _build_choices(self, kind: str | None, parent: str | None) -> dict[str, str]:
        choices: dict[str, str] = {}
        for (k, key), ids in list(self._by_key.items()) + list(self._by_base.items()):
            if kind is None or k == kind:
                for uid in ids:
                    if parent and self.units[uid].get("parent_unit_id") != parent:
                        continue
                    choices.setdefault(f"{self.units[uid]['name_vi']} ({uid})|{key}", key)
        return choices

    def suggestions(self, name: str, kind: str | None = None, limit: int = 5, parent: str | None = None) -> list[str]:
        from rapidfuzz import fuzz, process  # loaded only when a name is unknown (keeps the import light)

        query = strip_forms(name, kind or "", self.affixes)[0].replace(" ", "")
        found = process.extract(query, self._choices(kind, parent), scorer=fuzz.WRatio, limit=limit * 4)
        out: list[str] = []
        for _key, _score, label in found:
            label = label.rsplit("|", 1)[0]
            if label not in out:
                out.append(label)
        return out[:limit]

    def near_matches(self, name: str, kind: str, parent: str | None = None, score: int = NEAR_SCORE) -> list[str]:
        """Known units of the group whose name matches or nearly matches `name` (ratio >= score on base keys)."""
        from rapidfuzz import fuzz, process  # loaded only when a name is unknown (keeps the import light)

        query = strip_forms(name, kind, self.affixes)[0].replace(" ", "")
        if not query:
            return []
        out: list[str] = []
        for _key, _s, label in process.extract(
            query, self._choices(kind, parent), scorer=fuzz.ratio, score_cutoff=score, limit=None
        ):
            label = label.rsplit("|", 1)[0]
            if label not in out:
                out.append(label)
        return out


def resolver_from_tables(tables: dict) -> StoreResolver:
    units = tables["units"].to_pylist()
    ids = {u["unit_id"] for u in units}
    names = [n for n in tables["unit_names"].to_pylist() if n["unit_id"] in ids]
    lineage = tables["unit_lineage"].to_pylist() if "unit_lineage" in tables else []
    return StoreResolver(units, names, lineage)


class NameOnlyResolver(StoreResolver):
    """Resolves every name to itself: checks the rows (figures, duplicates) when --group is missing or invalid."""

    def __init__(self) -> None:
        self.units = {}

    def candidates(self, name: str, kind: str, year: int | None = None, parent: str | None = None) -> list[str]:
        return ["?" + name_key(name)]

    def suggestions(self, *args, **kwargs) -> list[str]:
        return []


def review_names(parsed, resolver: StoreResolver, kind: str, parent: str | None, confirmed: set[int]) -> None:
    """Make the wrong fix hard (issue 15), on the rows parse_rows resolved:

    * a row that --new-units would create is refused (an error naming the close units) when its name matches or
      nearly matches a known unit of the same group, unless its row number is given with --new-unit-confirm;
    * an unknown name close to a known unit gets a hint to correct the name, not to use --new-units.
    """
    rows_by_number = {r.row: r for r in parsed.rows}
    used: set[int] = set()
    for i, p in enumerate(parsed.problems):
        if p.code == "new_unit":
            row = rows_by_number.get(p.row)
            near = resolver.near_matches(row.printed_name, kind, parent) if row else []
            if near and p.row in confirmed:
                used.add(p.row)
            elif near:
                parsed.problems[i] = _instead(p, "new_unit_near", {"closest": "; ".join(near[:5]), "row": p.row})
        elif p.code == "unknown_unit":
            near = resolver.near_matches(str(p.value), kind, parent)
            if near:
                parsed.problems[i] = _instead(p, "unknown_unit_close", {"kind": kind, "closest": "; ".join(near[:5])})
    for row in sorted(confirmed - used):
        parsed.problems.append(Problem("new_unit_confirm_unused", row=row, params={"row": row}, severity="warning"))


def _instead(problem: Problem, code: str, params: dict) -> Problem:
    """An error in place of `problem`, at its row, column and value."""
    return Problem(code, row=problem.row, column=problem.column, value=problem.value, params=params)
