"""Merge a parsed table into the store's tables, describe the difference, commit a new version."""

from __future__ import annotations

import hashlib
import os
import re
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import cast
from urllib.parse import urlparse

import pyarrow as pa

from .. import store as store_mod
from ..paths import store_dir
from ..schema import to_table
from ..textnorm import fold
from .errors import ImportFailed, Problem
from .units import GROUP_KIND, SCOPE_PARENT
from .validate import ParsedTable

INDEX_SCOPE = {
    "par": "national",
    "papi": "national",
    "pci": "national",
    "sipas": "national",
    "par_hanoi": "hanoi",
    "par_hcmc": "hcmc",
}
GROUPS = ("provinces", "ministries", "departments", "districts", "communes", "offices")
COMPLETE_MARK = "Complete table of this unit group (imported with --complete)."
PAUSE_ENV = (
    "CCHC_IMPORT_TEST_PAUSE"  # test hook: "<stage>:<seconds>", stage = before_lock | before_commit | before_pointer
)


def edition_id_for(index_code: str, year: int, scope: str) -> str:
    # Same rule as build.indices.Tables.add_edition.
    return f"{index_code}-{year}" if scope in ("national", "hanoi", "hcmc") else f"{index_code}-{year}-{scope}"


# ------------------------------------------------------------------ options and source
@dataclass
class Meta:
    index_code: str
    year: int
    group: str
    scope: str
    source: dict
    complete: bool = False

    @property
    def edition_id(self) -> str:
        return edition_id_for(self.index_code, self.year, self.scope)


_URL = re.compile(r"https?://\S+")
_DMY = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b")
_YMD = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_WORDS = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.I)


def parse_source(text: str) -> tuple[dict | None, list[Problem]]:
    """'decision no., date, URL' (any order; date as 29/4/2020, 2020-04-29 or 'ngày 29 tháng 4 năm 2020')."""
    rest = text.strip()
    url = None
    if m := _URL.search(rest):
        url = m[0].rstrip(",;)")
        rest = rest[: m.start()] + rest[m.start() + len(m[0]) :]
    published = None
    for pattern, order in ((_WORDS, "dmy"), (_YMD, "ymd"), (_DMY, "dmy")):
        if m := pattern.search(rest):
            d, mo, y = (int(m[3]), int(m[2]), int(m[1])) if order == "ymd" else (int(m[1]), int(m[2]), int(m[3]))
            try:
                published = date(y, mo, d)
            except ValueError:
                return None, [
                    Problem(
                        "bad_option",
                        value=m[0],
                        params={
                            "option": "--source",
                            "reason_vi": f"ngày không tồn tại ({m[0]})",
                            "reason_en": f"no such date ({m[0]})",
                        },
                    )
                ]
            rest = rest[: m.start()] + rest[m.end() :]
            break
    joined = re.sub(r"\s*[,;]\s*(?=[,;]|$)", "", ", ".join(p.strip() for p in re.split(r"[,;]", rest) if p.strip()))
    doc = joined.strip(" ,;") or None
    is_decision = bool(doc and re.search(r"\d+\s*/\s*\S*(QĐ|QD|NQ|TB|KH|BC|CT)", doc, re.I))
    if not is_decision and not url:
        return None, [
            Problem(
                "bad_option",
                value=text,
                params={
                    "option": "--source",
                    "reason_vi": 'cần số quyết định và/hoặc địa chỉ URL, ví dụ "1752/QĐ-UBND, 29/4/2020, https://..."',
                    "reason_en": 'a decision number and/or a URL is needed, e.g. "1752/QĐ-UBND, 29/4/2020, https://..."',
                },
            )
        ]
    return {
        "document_no": doc if is_decision else None,
        "title_hint": None if is_decision else doc,
        "published_on": published,
        "url": url,
        "raw": text.strip(),
    }, []


def check_meta(index_code, year, group, scope, source, new_units: bool) -> tuple[Meta | None, list[Problem]]:
    problems: list[Problem] = []
    missing = []
    if not index_code:
        missing.append(
            (
                "--index",
                "mã chỉ số, một trong " + ", ".join(INDEX_SCOPE),
                "the index code, one of " + ", ".join(INDEX_SCOPE),
            )
        )
    if year is None:
        missing.append(("--year", "năm của kỳ đánh giá, ví dụ 2022", "the year the index measures, e.g. 2022"))
    if not group:
        missing.append(
            ("--group", "nhóm đơn vị, một trong " + ", ".join(GROUPS), "the unit group, one of " + ", ".join(GROUPS))
        )
    if not source:
        missing.append(("--source", 'nguồn: "số quyết định, ngày, URL"', 'the source: "decision no., date, URL"'))
    for option, hint_vi, hint_en in missing:
        problems.append(Problem("missing_option", params={"option": option, "hint_vi": hint_vi, "hint_en": hint_en}))

    def bad(option, value, vi, en):
        problems.append(Problem("bad_option", value=value, params={"option": option, "reason_vi": vi, "reason_en": en}))

    if index_code and index_code not in INDEX_SCOPE:
        bad("--index", index_code, "chỉ nhận " + ", ".join(INDEX_SCOPE), "known codes are " + ", ".join(INDEX_SCOPE))
    if year is not None and not 1990 <= year <= date.today().year + 1:
        bad("--year", year, "năm ngoài khoảng hợp lý", "year out of range")
    if group and group not in GROUPS:
        bad("--group", group, "chỉ nhận " + ", ".join(GROUPS), "known groups are " + ", ".join(GROUPS))
    if group == "offices" and not new_units:  # communes: the 3,321 of 2025 are in the store
        bad(
            "--group",
            group,
            "kho chưa có danh sách đơn vị của nhóm này; cần --new-units",
            "the store has no unit list for this group; --new-units is needed",
        )
    derived = INDEX_SCOPE.get(index_code or "")
    if scope and derived and scope != derived:
        bad("--scope", scope, f"chỉ số {index_code} có phạm vi {derived}", f"index {index_code} has scope {derived}")
    src = None
    if source:
        src, src_problems = parse_source(source)
        problems.extend(src_problems)
    if problems:
        return None, problems
    # No problems means the index (hence its scope) and the source were given and valid.
    return Meta(index_code, int(year), group, cast(str, derived), cast(dict, src)), []


def source_row(meta: Meta, source_title: str | None, file_name: str) -> dict:
    src = meta.source
    sid = "imp-" + hashlib.sha1(f"{meta.edition_id}|{meta.group}|{src['raw']}".encode()).hexdigest()[:12]
    title = (
        source_title
        or (f"Quyết định {src['document_no']}" if src["document_no"] else src["title_hint"])
        or (urlparse(src["url"]).netloc if src["url"] else None)
    )
    note = f"Imported from {file_name} with python -m cchc_data import ({meta.edition_id}, {meta.group})."
    if meta.complete:
        note = COMPLETE_MARK + " " + note
    return {
        "source_id": sid,
        "title": title,
        "publisher": urlparse(src["url"]).netloc if src["url"] else None,
        "document_no": src["document_no"],
        "published_on": src["published_on"],
        "url": src["url"],
        "licence": "Published table (facts, with attribution)",
        "note": note,
    }


# ------------------------------------------------------------------ merge and diff
@dataclass
class Diff:
    added: list[tuple[str, str, object]] = field(default_factory=list)  # (unit, field, new)
    changed: list[tuple[str, str, object, object]] = field(default_factory=list)  # (unit, field, old, new)
    removed: list[tuple[str, str, object]] = field(default_factory=list)  # (unit, field, old)
    unchanged: int = 0
    new_units: list[str] = field(default_factory=list)
    units_added: list[str] = field(default_factory=list)  # units new to this edition and group
    units_removed: list[str] = field(default_factory=list)  # units of the group not in the new table
    edition_new: bool = False
    completeness: str = "partial"
    previous: dict | None = None


def _figures(results: list[dict], scores: list[dict]) -> dict[tuple[str, str], object]:
    out: dict[tuple[str, str], object] = {}
    for r in results:
        for f in ("total", "rank"):
            if r[f] is not None:
                out[(r["unit_id"], f)] = r[f]
    for s in scores:
        if s["score"] is not None:
            out[(s["unit_id"], s["component_id"])] = s["score"]
    return out


def merge(
    tables: dict[str, pa.Table], parsed: ParsedTable, meta: Meta, source: dict, file_name: str
) -> tuple[dict[str, pa.Table], Diff]:
    from ..build.main import fill_computed_ranks  # the build (duckdb) is loaded only when a merge recomputes ranks

    eid, group = meta.edition_id, meta.group
    results = tables["results"].to_pylist()
    editions = tables["editions"].to_pylist()
    components = tables["components"].to_pylist()
    sources = tables["sources"].to_pylist()

    old_results = [r for r in results if r["edition_id"] == eid and r["unit_group"] == group]
    old_units = {r["unit_id"] for r in old_results}
    scores_tab = tables["scores"]
    import pyarrow.compute as pc  # ~0.2 s to import: only a merge needs it

    in_group = pc.and_(
        pc.equal(scores_tab["edition_id"], eid),
        pc.is_in(scores_tab["unit_id"], pa.array(sorted(old_units), pa.string())),
    )
    old_scores = scores_tab.filter(in_group).to_pylist()
    kept_scores = scores_tab.filter(pc.invert(in_group))

    diff = Diff()
    edition = next((e for e in editions if e["edition_id"] == eid), None)
    diff.edition_new = edition is None

    new_results, new_scores = [], []
    for r in parsed.rows:
        new_results.append(
            {
                "edition_id": eid,
                "unit_id": r.unit_id,
                "unit_group": group,
                "total": r.total,
                "rank": r.rank,
                "rank_official": r.rank is not None,
                "tier": r.tier,
                "source_id": source["source_id"],
                "note": f"Printed as “{r.printed_name}”.",
            }
        )
        for cid, v in r.scores.items():
            new_scores.append(
                {
                    "edition_id": eid,
                    "unit_id": r.unit_id,
                    "component_id": cid,
                    "score": v,
                    "score_self": None,
                    "score_appraised": None,
                }
            )
    new_components = [
        {
            "edition_id": eid,
            "component_id": c.component_id,
            "parent_component_id": None,
            "name_vi": c.label,
            "name_en": _existing_en(components, eid, group, c.component_id) or c.label,
            "max_score": c.max_score,
            "position": c.position,
            "level": "dimension",
            "unit_group": group,
        }
        for c in parsed.components
    ]

    new_unit_ids = {r.unit_id for r in parsed.rows}
    diff.units_added = sorted(u for u in new_unit_ids - old_units if u is not None)
    diff.units_removed = sorted(old_units - new_unit_ids)
    old_fig = _figures(old_results, old_scores)
    new_fig = _figures(new_results, new_scores)
    for key in sorted(set(old_fig) | set(new_fig)):
        if key not in old_fig:
            diff.added.append((key[0], key[1], new_fig[key]))
        elif key not in new_fig:
            diff.removed.append((key[0], key[1], old_fig[key]))
        elif old_fig[key] != new_fig[key]:
            diff.changed.append((key[0], key[1], old_fig[key], new_fig[key]))
        else:
            diff.unchanged += 1

    # Units created with --new-units.
    units = tables["units"]
    unit_names = tables["unit_names"]

    created = []
    for r in parsed.rows:
        if r.new_unit:
            kind = GROUP_KIND[group]
            created.append(r)
            diff.new_units.append(cast(str, r.unit_id))  # a created unit has its new id
    if created:
        kind = GROUP_KIND[group]
        parent = SCOPE_PARENT.get(meta.scope) if kind in ("district", "department", "commune") else None
        u_rows = units.to_pylist() + [
            {
                "unit_id": r.unit_id,
                "name_vi": r.printed_name,
                "name_en": r.printed_name,
                "kind": kind,
                "admin_code": None,
                "parent_unit_id": parent,
                "valid_from": None,
                "valid_to": None,
                "name_full_vi": r.printed_name,
                "map_layer": None,
            }
            for r in created
        ]
        n_rows = unit_names.to_pylist() + [
            {
                "unit_id": r.unit_id,
                "name": r.printed_name,
                "lang": "vi",
                "name_kind": "official",
                "name_folded": fold(r.printed_name),
            }
            for r in created
        ]
        units, unit_names = to_table("units", u_rows), to_table("unit_names", n_rows)

    # Completeness: the edition is complete only when every one of its unit groups is known complete.
    other_groups = {r["unit_group"] for r in results if r["edition_id"] == eid and r["unit_group"] != group}
    src_by_id = {s["source_id"]: s for s in sources}
    was_complete = edition is not None and edition["completeness"] == "complete"

    def group_complete(g: str) -> bool:
        sids = {r["source_id"] for r in results if r["edition_id"] == eid and r["unit_group"] == g}
        return was_complete or all(
            (src_by_id.get(s) or {}).get("note", "") and src_by_id[s]["note"].startswith(COMPLETE_MARK) for s in sids
        )

    complete = meta.complete and all(group_complete(g) for g in other_groups)
    diff.completeness = "complete" if complete else "partial"
    note = "Imported from a published table (python -m cchc_data import). " + (
        "Complete: every unit group of this edition was imported as a complete table; ranks not printed are computed."
        if complete
        else "Partial: only the units in the imported table(s); ranks only where printed, none computed."
    )
    if edition is None:
        editions.append(
            {
                "edition_id": eid,
                "index_code": meta.index_code,
                "year": meta.year,
                "scope": meta.scope,
                "source_id": source["source_id"],
                "method_note": note,
                "completeness": diff.completeness,
                "total_unit": parsed.total_unit,
            }
        )
    elif edition["completeness"] != diff.completeness:
        edition["completeness"] = diff.completeness
        edition["method_note"] = note

    results = [r for r in results if not (r["edition_id"] == eid and r["unit_group"] == group)] + new_results
    if not complete:
        # Partial editions carry no computed ranks.
        for r in results:
            if r["edition_id"] == eid and not r["rank_official"]:
                r["rank"] = None
    components = [c for c in components if not (c["edition_id"] == eid and c["unit_group"] == group)] + new_components
    sources = [s for s in sources if s["source_id"] != source["source_id"]] + [source]

    out = dict(tables)
    out["units"], out["unit_names"] = units, unit_names
    out["sources"] = to_table("sources", sources)
    out["editions"] = to_table("editions", editions)
    out["components"] = to_table("components", components)
    out["scores"] = pa.concat_tables([kept_scores, to_table("scores", new_scores)]).sort_by(
        [("edition_id", "ascending"), ("unit_id", "ascending"), ("component_id", "ascending")]
    )
    out["results"] = fill_computed_ranks(to_table("results", results), out["editions"])
    diff.previous = previous_edition_change(out, meta)
    return out, diff


def _existing_en(components: list[dict], eid: str, group: str, cid: str) -> str | None:
    for c in components:
        if c["edition_id"] == eid and c["unit_group"] == group and c["component_id"] == cid:
            return c["name_en"]
    return None


def previous_edition_change(tables: dict[str, pa.Table], meta: Meta) -> dict | None:
    """Totals of this group against the latest earlier edition of the same index that has this group."""
    eds = {
        e["edition_id"]: e
        for e in tables["editions"].to_pylist()
        if e["index_code"] == meta.index_code and e["year"] < meta.year
    }
    res = [r for r in tables["results"].to_pylist() if r["unit_group"] == meta.group and r["total"] is not None]
    candidates = sorted({r["edition_id"] for r in res if r["edition_id"] in eds}, key=lambda e: eds[e]["year"])
    if not candidates:
        return None
    prev = candidates[-1]
    before = {r["unit_id"]: r["total"] for r in res if r["edition_id"] == prev}
    now = {r["unit_id"]: r["total"] for r in res if r["edition_id"] == meta.edition_id}
    common = sorted(set(before) & set(now))
    changes = {u: now[u] - before[u] for u in common}
    info = {
        "edition_id": prev,
        "common": len(common),
        "up": sum(v > 0 for v in changes.values()),
        "down": sum(v < 0 for v in changes.values()),
    }
    if changes:
        info["mean_change"] = sum(changes.values()) / len(changes)
        best = max(changes, key=lambda k: changes[k])
        worst = min(changes, key=lambda k: changes[k])
        info["largest_rise"] = (best, changes[best])
        info["largest_fall"] = (worst, changes[worst])
    return info


# ------------------------------------------------------------------ commit
def _store_lock(store: Path):
    return store_mod.lock(store)


def _pause(stage: str) -> None:
    spec = os.environ.get(PAUSE_ENV, "")
    if spec.startswith(stage + ":"):
        print(f"[test] pausing at {stage}", flush=True)
        time.sleep(float(spec.split(":", 1)[1]))


def commit(tables: dict[str, pa.Table], message: str, seen_version: str | None) -> tuple[str, list[str]]:
    """Write the new version and make it current. Returns (version, incomplete versions deleted on the way)."""

    store = store_dir()
    _pause("before_lock")
    with _store_lock(store):
        now = store_mod.current_version(store)
        if now != seen_version:
            raise ImportFailed([Problem("store_changed", params={"seen": seen_version or "–", "now": now or "–"})])
        incomplete = store_mod.incomplete_versions(store)
        _pause("before_commit")
        original = store_mod._write_pointer

        def paused_pointer(*args, **kwargs):
            _pause("before_pointer")
            return original(*args, **kwargs)

        store_mod._write_pointer = paused_pointer
        try:
            version = store_mod.commit_version(tables, message, store)
        finally:
            store_mod._write_pointer = original
        return version, [v for v in incomplete if not (store / "versions" / v).exists()]
