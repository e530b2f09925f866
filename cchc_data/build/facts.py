"""More PAR Index / SIPAS figures from data/sources/indices/par_sipas_additional_facts.csv (31 rows).

Shipped: the SIPAS province rows (new provinces, and a score where the shipped row had only the rank) and the
Ministry of Information and Communications' administrative-procedures component score 2012–2022 from the
ministry's own table (with its overall PAR 2022 rank, printed on the same page). Rows already in the tables
(cross-checks) must agree with them, or the build stops. Left out, with the reason in data/README.md: regional
and national means (no table holds aggregates) and Lâm Đồng 2024 (its only source is a text with no original page).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from .indices import Page, Tables, add_web_source, results_row, score_row, web_source_id
from .units import UnitResolver, read_csv

FACTS_FILE = ("indices", "par_sipas_additional_facts.csv")
MIC = "m-mic"
TTHC = "administrative_procedures"
TTHC_NAMES = ("Cải cách thủ tục hành chính", "Administrative procedure reform")
MIC_URL = (
    "https://mic.gov.vn/nam-2022-chi-so-cai-cach-tthc-cua-bo-tttt-xep-hang-cao-nhat-tu-truoc-toi-nay-197157931.htm"
)

# url -> the page, for pages no other builder has cited.
PAGES = {
    MIC_URL: Page("Năm 2022, chỉ số cải cách TTHC của Bộ TT&TT xếp hạng cao nhất từ trước tới nay", date(2023, 4, 27)),
    "https://m.baogialai.com.vn/gia-lai-dung-dau-khu-vuc-tay-nguyen-ve-chi-so-sipas-post274056.amp": Page(
        "Gia Lai đứng đầu khu vực Tây Nguyên về chỉ số SIPAS", title_from_address=True
    ),
}
# Why a row of the file is not shipped (index, unit_level or unit_name -> reason en, vi).
LEFT_OUT = {
    "region": (
        "a regional mean, not a unit's result",
        "giá trị trung bình của vùng, không phải kết quả của một đơn vị",
    ),
    "national": (
        "a national mean, not a unit's result",
        "giá trị trung bình cả nước, không phải kết quả của một đơn vị",
    ),
    "secondary": (
        "its only source is a text with no original page (a GitHub skill file)",
        "nguồn duy nhất là một văn bản không có trang gốc (tệp kỹ năng trên GitHub)",
    ),
}


def left_out_reason(r: dict) -> str | None:
    """The key of LEFT_OUT for a row that is not shipped, else None."""
    if r["unit_level"] == "region":
        return "region"
    if r["unit_level"] == "national":
        return "national"
    if not r["source_url"].startswith("http"):
        return "secondary"
    return None


def _source(t: Tables, url: str) -> str:
    sid = web_source_id(url)
    if sid in t.sources:
        return sid
    return add_web_source(t, url, PAGES[url], ("Transcribed as printed on the page", "Chép đúng như in trên trang"))


def _find(t: Tables, eid: str, uid: str) -> dict | None:
    return next((r for r in t.results if r["edition_id"] == eid and r["unit_id"] == uid), None)


def _join(before: str | None, after: str) -> str:
    if not before:
        return after
    return f"{before} {after}" if before.rstrip().endswith((".", "!", "?")) else f"{before}. {after}"


def _append(row: dict, en: str, vi: str) -> None:
    row["note"], row["note_vi"] = _join(row.get("note"), en), _join(row.get("note_vi"), vi)


def build_facts(src: Path, t: Tables, resolver: UnitResolver) -> None:
    """After build_par and build_sipas: their editions and rows exist; these rows add to or check them."""
    for r in read_csv(src.joinpath(*FACTS_FILE)):
        if left_out_reason(r):
            continue
        year = int(r["year"])
        kind = {"ministry": "ministry", "province": "province"}[r["unit_level"]]
        uid = resolver.resolve(r["unit_name"], kind, year=year)
        if uid is None:
            raise ValueError(f"facts {year}: cannot resolve {r['unit_name']!r}")
        if r["index"] == "PAR_INDEX_component_TTHC":
            _mic_component(t, year, uid, r)
        elif r["index"] == "SIPAS":
            _sipas(t, year, uid, r)
        elif r["index"] == "PAR_INDEX":
            _cross_check(t, f"par-{year}", uid, r)
        else:
            raise ValueError(f"facts: unknown index {r['index']!r}")


def _mic_component(t: Tables, year: int, uid: str, r: dict) -> None:
    eid = f"par-{year}"
    if eid not in t.editions:
        raise ValueError(f"facts: no edition {eid} for the {uid} component score")
    sid = _source(t, r["source_url"])
    if not any(c["edition_id"] == eid and c["component_id"] == TTHC for c in t.components):
        t.components.append(
            {
                "edition_id": eid,
                "component_id": TTHC,
                "parent_component_id": None,
                "name_vi": TTHC_NAMES[0],
                "name_en": TTHC_NAMES[1],
                "max_score": None,
                "position": 1,
                "level": "dimension",
                "unit_group": "ministries",
            }
        )
        ed = t.editions[eid]
        ed["method_note"] += (
            " Component scores: only the Ministry of Information and Communications' “cải cách thủ tục hành chính” "
            "(administrative procedure reform) score, from the ministry's own table (mic.gov.vn)."
        )
        ed["method_note_vi"] = (ed.get("method_note_vi") or "") + (
            " Điểm chỉ số thành phần: chỉ có điểm “cải cách thủ tục hành chính” của Bộ Thông tin và Truyền thông, "
            "theo bảng của chính Bộ (mic.gov.vn)."
        )
    score = float(r["value"])
    t.scores.append(score_row(eid, uid, TTHC, score))
    en = f"Component “cải cách thủ tục hành chính”: {r['value']} points, from the ministry's own table (mic.gov.vn)."
    vi = f"Chỉ số thành phần “cải cách thủ tục hành chính”: {r['value']} điểm, theo bảng của chính Bộ (mic.gov.vn)."
    if r["rank"]:
        en += f" That component ranked {r['rank']} of {r['rank_of']} ministries."
        vi += f" Chỉ số thành phần này xếp thứ {r['rank']}/{r['rank_of']} bộ, cơ quan ngang bộ."
    row = _find(t, eid, uid)
    if row is None:
        row = results_row(
            eid,
            uid,
            "ministries",
            None,
            sid,
            note="Total not printed; the ministry's own page gives its administrative-procedures component score.",
            note_vi="Điểm tổng không được in; trang của chính Bộ cho điểm chỉ số thành phần cải cách thủ tục hành chính.",
        )
        t.results.append(row)
    overall = _overall_rank(r["note"])
    if overall and row["rank"] is None:
        rank, of = overall
        old = t.sources[row["source_id"]]["publisher"]
        row.update(rank=rank, rank_official=True, source_id=sid)
        en += f" Overall PAR Index rank {rank}/{of} as printed on the same page (the row's earlier source: {old})."
        vi += f" Xếp hạng Chỉ số CCHC chung {rank}/{of} theo cùng trang đó (nguồn trước đó của dòng: {old})."
    _append(row, en, vi)


def _overall_rank(note: str) -> tuple[int, int] | None:
    """The MIC 2022 row's note: "overall PAR rank of MIC 2022 = 5/17 (same page)"."""
    m = re.search(r"overall PAR rank of MIC \d{4} = (\d+)/(\d+)", note)
    return (int(m[1]), int(m[2])) if m else None


def _sipas(t: Tables, year: int, uid: str, r: dict) -> None:
    eid = f"sipas-{year}"
    if eid not in t.editions:
        raise ValueError(f"facts: no edition {eid}")
    total = float(r["value"]) if r["value"] else None
    rank = int(r["rank"]) if r["rank"] else None
    row = _find(t, eid, uid)
    host = r["source_url"].split("/")[2]
    if row is None:
        sid = _source(t, r["source_url"])
        note, note_vi = f"Printed as “{r['unit_name']}” by {host}.", f"Tên in trong nguồn: “{r['unit_name']}” ({host})."
        t.results.append(results_row(eid, uid, "provinces", total, sid, rank=rank, note=note, note_vi=note_vi))
        return
    if row["rank"] != rank or (row["total"] is not None and row["total"] != total):
        raise ValueError(f"facts: {eid} {uid} disagrees with the shipped row: {r}")
    if row["total"] is None and total is not None:  # the shipped row had the rank only: add the printed score
        old = t.sources[row["source_id"]]["publisher"]
        row.update(total=total, source_id=_source(t, r["source_url"]))
        _append(
            row,
            f"Score as printed by {host}; rank {rank} also printed by {old}.",
            f"Điểm theo {host}; thứ hạng {rank} cũng được in ở {old}.",
        )


def _cross_check(t: Tables, eid: str, uid: str, r: dict) -> None:
    row = _find(t, eid, uid)
    if row is None or row["total"] != float(r["value"]) or (r["rank"] and row["rank"] != int(r["rank"])):
        raise ValueError(f"facts: cross-check {eid} {uid} does not match the shipped row: {r}")
