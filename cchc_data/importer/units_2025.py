"""Unit names of the two-tier system (from 1 July 2025) in the importer: 34 provinces, 3,321 communes.

StoreResolver.candidates (importer/units.py) calls ``adjust`` once, after the name lookup and before the
parent and year filters:

* Provinces in an edition of 2025 or later: a name that found a pre-merger province whose name a 2025
  province kept (``Tuyên Quang``, ``TP.HCM``, ``Lào Cai``) means that 2025 province; a name of a province
  merged away (``Hà Giang``) keeps its old unit (no silent move to the province that absorbed it).
  Before 2025 nothing changes: ``Tuyên Quang`` in a 2022 table is the pre-merger province.
* Communes (xã, phường, đặc khu; build.units_2025): the index's city (``par_hanoi`` → Hà Nội, ``par_hcmc`` →
  TP.HCM) is their 2025 province, so the scope parent is moved to it (TP.HCM 79 became ``p79-2025``); every
  reading of the printed words around the name is looked up (not only the first that hits), within that
  province; of names that differ only in accents, the one printed with its accents wins.
"""

from __future__ import annotations

import re
from datetime import date

from ..textnorm import fold, name_key, nfc

TWO_TIER_YEAR = 2025
_MERGER_END = date(2025, 6, 30)


def _current_by_name(resolver) -> dict[str, str]:
    """Folded short name -> the province valid from 1 July 2025 on (cached on the resolver)."""
    cached = getattr(resolver, "_two_tier_current", None)
    if cached is None:
        cached = {
            fold(u["name_vi"]): uid
            for uid, u in resolver.units.items()
            if u.get("kind") == "province" and u.get("valid_to") is None and u.get("name_vi")
        }
        resolver._two_tier_current = cached
    return cached


def _successor(resolver, uid: str | None) -> str | None:
    """The 2025 province that kept this pre-merger province's name, or the unit itself.

    By name, not code: a merged province that kept a name may have taken another's code (Lào Cai 10 → 15,
    Bắc Ninh 27 → 24)."""
    unit = resolver.units.get(uid) if uid else None
    if not unit or unit.get("kind") != "province" or unit.get("valid_to") != _MERGER_END:
        return uid
    return _current_by_name(resolver).get(fold(unit.get("name_vi") or ""), uid)


def _accent_key(text: str) -> str:
    """Lower case with the accents kept: 'Xã Văn Lăng' -> 'xã văn lăng'."""
    return " ".join(re.sub(r"[^\w]+", " ", nfc(text).lower()).split())


def _exact_accents(resolver, name: str, found: set[str]) -> set[str]:
    """Of communes whose names differ only in accents (Thái Nguyên's Xã Văn Lang and Xã Văn Lăng), the one
    printed with its accents; unchanged when the accents do not decide or the name is printed without accents
    (then it stays ambiguous)."""
    printed = _accent_key(name)
    if len(found) < 2 or printed == fold(name):  # printed without accents: they cannot decide
        return found
    exact = set()
    for uid in found:
        unit = resolver.units[uid]
        full = _accent_key(unit.get("name_vi") or "")
        short = full.split(" ", 2)[-1] if full.startswith("đặc khu ") else full.split(" ", 1)[-1]
        if printed in (full, short) or printed.endswith(" " + full) or printed.endswith(" " + short):
            exact.add(uid)
    return exact or found


def _variants(resolver, name: str) -> set[str]:
    """The folded name with every combination of the printed words around it (unit_name_forms.csv, kind
    commune or any) dropped or kept: 'Phuong Son ward' gives 'phuong son' as well as 'son', since without accents
    'Phuong' may be the name (Phượng Sơn) and not the type (Phường)."""
    seen: set[str] = set()
    todo = [fold(name)]
    while todo:
        text = todo.pop()
        if text in seen or len(seen) > 64:
            continue
        seen.add(text)
        for role, form, k, _types in resolver.affixes:
            if k not in ("", "commune"):
                continue
            if role == "prefix" and text.startswith(form + " ") and len(text) > len(form) + 1:
                todo.append(text[len(form) + 1 :])
            elif role == "suffix" and text.endswith(" " + form) and len(text) > len(form) + 1:
                todo.append(text[: -len(form) - 1])
    return seen


def _commune_candidates(resolver, name: str, found: set[str]) -> set[str]:
    """Every commune that one reading of the printed name names (the lookup stops at its first hit: 'P. Hạ Long'
    first hits Xã Phà Long, key 'phalong', in another province)."""
    out = set(found)
    for text in _variants(resolver, name):
        for key in {text.replace(" ", ""), name_key(text)}:
            out |= resolver._by_key.get(("commune", key), set())
            out |= resolver._by_base.get(("commune", key), set())
    return out


def adjust(
    resolver, name: str, kind: str, found: set[str], year: int | None, parent: str | None
) -> tuple[set[str], str | None]:
    """(found, parent) for the two-tier system; unchanged for other kinds and for editions before 2025."""
    if kind == "commune":
        parent = _successor(resolver, parent)
        found = _commune_candidates(resolver, name, found)
        if parent:
            found = {c for c in found if resolver.units[c].get("parent_unit_id") == parent}
        return _exact_accents(resolver, name, found), parent
    if kind == "province" and year is not None and year >= TWO_TIER_YEAR:
        return {_successor(resolver, uid) or uid for uid in found}, parent
    return found, parent
