"""Editions, components, scores and results for PAPI, PCI, PAR Index and SIPAS."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlparse

import duckdb

from ..textnorm import fold
from .units import UnitResolver, province_unit_id, read_csv

PAPI_REPO = "mdtrinh/vietnam_elections @ 84348767096a193634f9d4fb6c4116dbf4789a05"
# The datasets copied from PAPI_REPO: source id -> (title, publisher, url, licence, licence_vi).
REPO_DATASETS = {
    "papi-dataset": (
        "PAPI provincial dataset 2011–2019 (PAPI 2011-2019.xlsx)",
        "CECODES, VFF-CRT & UNDP",
        "https://papi.org.vn",
        "Published for public use; credit “PAPI, CECODES, VFF-CRT & UNDP”",
        "Công bố để sử dụng công khai; ghi nguồn “PAPI, CECODES, VFF-CRT & UNDP”",
    ),
    "pci-dataset": (
        "Provincial Competitiveness Index (PCI) yearly workbooks 2005–2019",
        "VCCI",
        "https://pcivietnam.vn",
        "Published by VCCI/USAID for public use; credit “VCCI – PCI”",
        "Do VCCI/USAID công bố để sử dụng công khai; ghi nguồn “VCCI – PCI”",
    ),
}


class Tables:
    def __init__(self) -> None:
        self.sources: dict[str, dict] = {}
        self.editions: dict[str, dict] = {}
        self.components: list[dict] = []
        self.scores: list[dict] = []
        self.results: list[dict] = []
        self.source_meta: dict[str, dict[str, str]] = {}  # url -> real title / date (reference/source_titles.csv)
        self.notes_vi: dict[str, str] = {}  # English note -> its Vietnamese text (reference/notes_vi.csv)

    def vi(self, src: Path, en: str | None) -> str | None:
        """The Vietnamese text of an English note from reference/notes_vi.csv; a note without one stops the
        build (every note shown to readers exists in both languages)."""
        if not en:
            return None
        if not self.notes_vi:
            self.notes_vi = {r["en"]: r["vi"] for r in read_csv(src / "reference" / "notes_vi.csv")}
        try:
            return self.notes_vi[en]
        except KeyError:
            raise ValueError(f"no Vietnamese text for this note in reference/notes_vi.csv: {en!r}") from None

    def add_source(self, source_id: str, **fields) -> str:
        if source_id not in self.sources:
            row = {
                "source_id": source_id,
                "title": None,
                "publisher": None,
                "document_no": None,
                "published_on": None,
                "url": None,
                "licence": None,
                "note": None,
            }
            row.update(fields)
            self.sources[source_id] = row
        return source_id

    def add_edition(
        self,
        index_code: str,
        year: int,
        scope: str,
        source_id: str,
        method_note: str,
        completeness: str,
        total_unit: str,
        method_note_vi: str | None = None,
    ) -> str:
        edition_id = (
            f"{index_code}-{year}" if scope in ("national", "hanoi", "hcmc") else f"{index_code}-{year}-{scope}"
        )
        if edition_id not in self.editions:
            self.editions[edition_id] = {
                "edition_id": edition_id,
                "index_code": index_code,
                "year": year,
                "scope": scope,
                "source_id": source_id,
                "method_note": method_note,
                "completeness": completeness,
                "total_unit": total_unit,
                "method_note_vi": method_note_vi,
            }
        return edition_id


def _repo_source(t: Tables, source_id: str, path: str, tidied_into: tuple[str, str]) -> str:
    """A dataset of REPO_DATASETS, copied from `path` in PAPI_REPO and tidied into (English, Vietnamese)."""
    title, publisher, url, licence, licence_vi = REPO_DATASETS[source_id]
    return t.add_source(
        source_id,
        title=title,
        publisher=publisher,
        url=url,
        licence=licence,
        licence_vi=licence_vi,
        note=f"Copied from {PAPI_REPO} : {path}; tidied into {tidied_into[0]}",
        note_vi=f"Sao chép từ {PAPI_REPO} : {path}; chuyển thành {tidied_into[1]}",
    )


def score_row(edition_id: str, unit_id: str, component_id: str, score: float) -> dict:
    """A scores row: a published score (no self-assessed or appraised part)."""
    return {
        "edition_id": edition_id,
        "unit_id": unit_id,
        "component_id": component_id,
        "score": score,
        "score_self": None,
        "score_appraised": None,
    }


def results_row(
    edition_id: str,
    unit_id: str,
    unit_group: str,
    total: float | None,
    source_id: str,
    rank: int | None = None,
    tier: str | None = None,
    note: str | None = None,
    note_vi: str | None = None,
) -> dict:
    """A results row; a rank given here is the printed one (rank_official); computed ranks come later
    (build.main.fill_computed_ranks)."""
    return {
        "edition_id": edition_id,
        "unit_id": unit_id,
        "unit_group": unit_group,
        "total": total,
        "rank": rank,
        "rank_official": rank is not None,
        "tier": tier,
        "source_id": source_id,
        "note": note,
        "note_vi": note_vi,
    }


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", fold(text)).strip("_")


# ---------------------------------------------------------------- PAPI
def build_papi(src: Path, t: Tables) -> None:
    _repo_source(t, "papi-dataset", "Data/PAPI/PAPI 2011-2019.xlsx", ("one long table", "một bảng dạng dài"))
    long_rows = read_csv(src / "indices" / "papi_2011_2019_long.csv")
    wide_rows = read_csv(src / "indices" / "papi_2011_2019_dimensions_wide.csv")

    dims: dict[int, dict[str, dict]] = defaultdict(dict)
    subs: dict[int, dict[tuple[str, str], dict]] = defaultdict(dict)
    for r in long_rows:
        year = int(r["year"])
        if r["level"] == "dimension":
            dims[year].setdefault(r["indicator_en"], r)
        elif r["level"] == "sub_dimension":
            subs[year].setdefault((r["parent_dimension_en"], r["indicator_en"]), r)

    names_en = {r["ma_tinh"]: r["province_en_source"] for r in long_rows}
    no_total: dict[int, list[tuple[str, str]]] = defaultdict(list)  # year -> [(name_vi, name_en)]
    for r in wide_rows:
        if not (r["total_official"] if int(r["year"]) <= 2017 else r["total_sum_of_dimensions"]):
            no_total[int(r["year"])].append((r["ten_tinh"], names_en.get(r["ma_tinh"]) or fold(r["ten_tinh"]).title()))

    for year in sorted(dims):
        note, note_vi = papi_method_note(year, no_total.get(year, []))
        eid = t.add_edition("papi", year, "national", "papi-dataset", note, "complete", "points", note_vi)
        for pos, (dim_en, r) in enumerate(dims[year].items(), start=1):
            t.components.append(
                {
                    "edition_id": eid,
                    "component_id": slug(dim_en),
                    "parent_component_id": None,
                    "name_vi": r["indicator_vi"],
                    "name_en": dim_en,
                    "max_score": None,
                    "position": pos,
                    "level": "dimension",
                    "unit_group": "provinces",
                }
            )
        for pos, ((dim_en, sub_en), r) in enumerate(subs[year].items(), start=1):
            t.components.append(
                {
                    "edition_id": eid,
                    "component_id": f"{slug(dim_en)}.{slug(sub_en)}",
                    "parent_component_id": slug(dim_en),
                    "name_vi": r["indicator_vi"],
                    "name_en": sub_en,
                    "max_score": None,
                    "position": pos,
                    "level": "sub_dimension",
                    "unit_group": "provinces",
                }
            )

    for r in long_rows:
        if r["level"] not in ("dimension", "sub_dimension") or r["score"] == "":
            continue
        cid = (
            slug(r["indicator_en"])
            if r["level"] == "dimension"
            else f"{slug(r['parent_dimension_en'])}.{slug(r['indicator_en'])}"
        )
        t.scores.append(score_row(f"papi-{r['year']}", province_unit_id(r["ma_tinh"]), cid, float(r["score"])))

    for r in wide_rows:
        year = int(r["year"])
        total = r["total_official"] if year <= 2017 else r["total_sum_of_dimensions"]
        t.results.append(
            results_row(
                f"papi-{year}",
                province_unit_id(r["ma_tinh"]),
                "provinces",
                float(total) if total else None,
                "papi-dataset",
                note=None if total else PAPI_NO_TOTAL[0],
                note_vi=None if total else PAPI_NO_TOTAL[1],
            )
        )


PAPI_NO_TOTAL = (
    "No total: the official PAPI file lacks some or all dimension scores for this province and year "
    "(the dimension scores it has are shown).",
    "Không có tổng điểm: tệp PAPI chính thức thiếu một phần hoặc toàn bộ điểm lĩnh vực của tỉnh này trong năm này "
    "(các điểm lĩnh vực có trong tệp vẫn được hiển thị).",
)


def papi_method_note(year: int, no_total: list[tuple[str, str]]) -> tuple[str, str]:
    """The method note of a PAPI 2011-2019 edition, in English and Vietnamese (the same facts in each)."""
    if year <= 2017:
        en = "Total = sum of the 6 dimension scores (official total, 6–60 scale). "
        vi = "Tổng điểm = tổng điểm của 6 lĩnh vực nội dung (tổng điểm chính thức, thang 6–60). "
    else:
        en = (
            "Total = unweighted sum of the 8 dimension scores (8–80 scale); environmental governance and "
            "e-governance were added in 2018. "
        )
        vi = (
            "Tổng điểm = tổng không trọng số của điểm 8 lĩnh vực nội dung (thang 8–80); lĩnh vực quản trị môi "
            "trường và quản trị điện tử được bổ sung từ năm 2018. "
        )
    en += "PAPI publishes quartile groups, not ranks: every rank here is computed."
    vi += "PAPI công bố các nhóm theo tứ phân vị, không công bố thứ hạng: mọi thứ hạng ở đây đều do tính toán."
    if year == 2019:
        en += " The separately published weighted 2019 score is not the total shown here."
        vi += " Điểm có trọng số năm 2019 được công bố riêng không phải là tổng điểm hiển thị ở đây."
    if no_total:
        n = len(no_total)
        en += (
            f" Complete except for {n} province{'s' if n > 1 else ''} without a total: "
            f"{' and '.join(e for _v, e in no_total)} (the official PAPI file lacks some or all of "
            f"{'their' if n > 1 else 'its'} dimension scores; the scores it has are shown)."
        )
        vi += (
            f" Bảng đầy đủ, trừ {n} tỉnh không có tổng điểm: {' và '.join(v for v, _e in no_total)} (tệp PAPI "
            f"chính thức thiếu một phần hoặc toàn bộ điểm lĩnh vực của {'các tỉnh' if n > 1 else 'tỉnh'} này; các điểm "
            "có trong tệp vẫn được hiển thị)."
        )
    return en, vi


# ---------------------------------------------------------------- PCI
def build_pci(src: Path, t: Tables, resolver: UnitResolver) -> None:
    _repo_source(t, "pci-dataset", "Data/PCI/PCI <year>.xls(x)", ("one table", "một bảng"))
    subindices = read_csv(src / "reference" / "pci_subindices.csv")
    rows = read_csv(src / "indices" / "pci_2005_2019.csv")
    by_year: dict[int, list[dict]] = defaultdict(list)
    for r in rows:
        by_year[int(r["year"])].append(r)
    for year, year_rows in sorted(by_year.items()):
        official = any(r["rank_official"] for r in year_rows)
        note = "Total = the weighted PCI (0–100). " + (
            "Ranks as published by VCCI." if official else "Ranks computed from the published scores."
        )
        note_vi = "Tổng điểm = PCI có trọng số (thang 0–100). " + (
            "Thứ hạng theo công bố của VCCI." if official else "Thứ hạng được tính từ điểm số đã công bố."
        )
        eid = t.add_edition("pci", year, "national", "pci-dataset", note, "complete", "points", note_vi)
        present = [s for s in subindices if any(r[s["column"]] for r in year_rows)]
        for s in present:
            t.components.append(
                {
                    "edition_id": eid,
                    "component_id": s["component_id"],
                    "parent_component_id": None,
                    "name_vi": s["name_vi"],
                    "name_en": s["name_en"],
                    "max_score": None,
                    "position": int(s["position"]),
                    "level": "dimension",
                    "unit_group": "provinces",
                }
            )
        for r in year_rows:
            uid = (
                province_unit_id(r["ma_tinh"])
                if r["ma_tinh"]
                else resolver.resolve(r["ten_tinh"].split(" (")[0], "province")
            )
            if uid is None:
                raise ValueError(f"PCI {year}: cannot resolve province {r['ten_tinh']!r}")
            for s in present:
                if r[s["column"]]:
                    t.scores.append(score_row(eid, uid, s["component_id"], float(r[s["column"]])))
            total = float(r["pci_weighted"]) if r["pci_weighted"] else None
            rank = int(r["rank_official"]) if r["rank_official"] else None
            t.results.append(results_row(eid, uid, "provinces", total, "pci-dataset", rank=rank))


# ---------------------------------------------------------------- PAR Index (national and Hà Nội)
_DATE_IN_TITLE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_ISO_IN_TITLE = re.compile(r"(\d{4})-(\d{2})-(\d{2})\)")
_TIER_PATTERNS = (
    re.compile(r"in group '([^']+)'"),
    re.compile(r"among ministries with (PAR Index over 80 percent)"),
    re.compile(r"'had their (indexes below 80 percent)'"),
)
GROUP_KIND = {"provinces": "province", "ministries": "ministry", "departments": "department", "districts": "district"}
SCOPE_INDEX = {"national": "par", "hanoi": "par_hanoi", "hcmc": "par_hcmc"}
SCOPE_PARENT = {"hanoi": "p01", "hcmc": "p79"}


def load_source_meta(t: Tables, src: Path) -> None:
    """Titles and dates of web sources whose transcription has none (or only a generated one): each row says
    where the title and date come from; a date not shown on the page stays empty."""
    if not t.source_meta:
        t.source_meta = {r["url"]: r for r in read_csv(src / "reference" / "source_titles.csv")}


QUOTED_LICENCE = (
    "Quoted from a published page (facts, with attribution)",
    "Trích từ một trang đã đăng (số liệu, có ghi nguồn)",
)
TITLE_FROM_ADDRESS = (
    "; the title is the headline as the page address spells it",
    "; tiêu đề theo dòng tít ghi trong địa chỉ trang",
)


class Page(NamedTuple):
    """A web page cited as a source: its title, the date it prints (None where it prints none), and whether the
    title is the headline as the page address spells it."""

    title: str
    published: date | None = None
    title_from_address: bool = False


def web_source_id(url: str) -> str:
    """The source id of a web page, the same in every builder: a page cited by PAR and PCI rows is one source."""
    p = urlparse(url)
    return "web-" + re.sub(r"[^a-z0-9]+", "-", (p.netloc + p.path).lower()).strip("-")[:80]


def add_web_source(
    t: Tables, url: str, page: Page, note: tuple[str, str], licence: tuple[str, str] = QUOTED_LICENCE
) -> str:
    """A web page as a source (the first builder to cite it names it), published by the page's host; note and
    licence in (English, Vietnamese); a title read from the page address says so in the note."""
    note_en, note_vi = note
    if page.title_from_address:
        note_en += TITLE_FROM_ADDRESS[0]
        note_vi += TITLE_FROM_ADDRESS[1]
    return t.add_source(
        web_source_id(url),
        title=page.title,
        publisher=urlparse(url).netloc,
        url=url,
        published_on=page.published,
        licence=licence[0],
        licence_vi=licence[1],
        note=note_en,
        note_vi=note_vi,
    )


def source_from_row(t: Tables, url: str, title: str) -> str:
    meta = t.source_meta.get(url, {})
    title = meta.get("title") or title
    published = None
    if meta.get("published_on"):
        published = date.fromisoformat(meta["published_on"])
    elif m := _DATE_IN_TITLE.search(title):
        published = date(int(m[3]), int(m[2]), int(m[1]))
    elif m := _ISO_IN_TITLE.search(title):
        published = date(int(m[1]), int(m[2]), int(m[3]))
    note = ("Transcribed exactly as printed on the page", "Chép lại đúng như bản đăng trên trang")
    return add_web_source(t, url, Page(title, published), note)


def build_par(src: Path, t: Tables, resolver: UnitResolver) -> None:
    load_source_meta(t, src)
    decisions = {(r["index_code"], int(r["year"])): r for r in read_csv(src / "reference" / "decisions.csv")}
    par_dir = src / "indices" / "par"
    for path in sorted(par_dir.glob("*_*_*.csv")):
        if path.name == "methodology.csv":
            continue
        rows = read_csv(path)
        if not rows:
            continue
        scope, group, year = rows[0]["scope"], rows[0]["group"], int(rows[0]["year"])
        index_code = SCOPE_INDEX[scope]
        first_source = source_from_row(t, rows[0]["source_url"], rows[0]["source_title"])
        edition_source = first_source
        if dec := decisions.get((index_code, year)):
            edition_source = t.add_source(
                f"dec-{index_code}-{year}",
                title=f"Quyết định {dec['document_no']} công bố Chỉ số CCHC {year}",
                publisher="UBND Thành phố Hà Nội" if scope == "hanoi" else "Bộ Nội vụ",
                document_no=dec["document_no"],
                published_on=date.fromisoformat(dec["published_on"]),
                licence="Official decision (public document)",
                licence_vi="Quyết định chính thức (văn bản công khai)",
                note=dec["note"],
                note_vi=dec["note_vi"],
            )
        note = (
            "Partial: only the units the press printed. "
            "Ranks are shown only where printed; no rank is computed for a partial table."
        )
        note_vi = (
            "Bảng chưa đầy đủ: chỉ gồm các đơn vị được báo chí đăng. "
            "Thứ hạng chỉ hiển thị ở nơi nguồn có ghi; bảng chưa đầy đủ không được tính thứ hạng."
        )
        eid = t.add_edition(index_code, year, scope, edition_source, note, "partial", "percent", note_vi)
        kind = GROUP_KIND[group]
        for r in rows:
            uid = resolver.resolve(
                r["unit_name"], kind, year=year, parent=SCOPE_PARENT.get(scope) if kind == "district" else None
            )
            if uid is None:
                raise ValueError(
                    f"{path.name}: cannot resolve unit {r['unit_name']!r} ({kind}); "
                    f"closest: {resolver.suggestions(r['unit_name'], kind)}"
                )
            tier = None
            for pat in _TIER_PATTERNS:
                if m := pat.search(r["notes"]):
                    tier = m[1]
                    break
            t.results.append(
                results_row(
                    eid,
                    uid,
                    group,
                    float(r["score"]) if r["score"] else None,
                    source_from_row(t, r["source_url"], r["source_title"]),
                    rank=int(r["rank"]) if r["rank"] else None,
                    tier=tier,
                    note=f"Printed as “{r['unit_name']}”. {r['notes']}".strip(),
                    note_vi=f"Tên in trong nguồn: “{r['unit_name']}”. {t.vi(src, r['notes']) or ''}".strip(),
                )
            )
    _main_source_from_rows(
        t,
        {eid for eid, e in t.editions.items() if e["index_code"] in SCOPE_INDEX.values()},
        keep=lambda sid: sid.startswith("dec-"),
    )


def _main_source_from_rows(t: Tables, edition_ids: set[str], keep=lambda sid: False) -> None:
    """An edition's source is the one that supplied most of its rows (ties: the one with province rows), unless
    it is an official decision (keep). Views cite the rows' own sources (queries.view_sources) either way."""
    for eid in sorted(edition_ids):
        if keep(t.editions[eid]["source_id"]):
            continue
        counts: dict[str, list[int]] = {}
        for r in t.results:
            if r["edition_id"] == eid and r["source_id"]:
                c = counts.setdefault(r["source_id"], [0, 0])
                c[0] += 1
                c[1] += r["unit_group"] == "provinces"
        if counts:
            t.editions[eid]["source_id"] = max(sorted(counts), key=lambda sid: (counts[sid][0], counts[sid][1]))


def build_sipas(src: Path, t: Tables) -> None:
    """SIPAS: the single published figures in par_sipas_published_facts.csv (partial editions)."""
    load_source_meta(t, src)
    for r in read_csv(src / "indices" / "par_sipas_published_facts.csv"):
        if r["index"] != "SIPAS":
            continue
        year = int(r["year"])
        sid = source_from_row(t, r["source_url"], "")
        if not t.sources[sid]["title"]:
            raise ValueError(f"SIPAS {year}: no title for {r['source_url']} in reference/source_titles.csv")
        eid = t.add_edition(
            "sipas",
            year,
            "national",
            sid,
            "Partial: only the provinces a page printed. Ranks as printed.",
            "partial",
            "percent",
            "Bảng chưa đầy đủ: chỉ gồm các tỉnh được một trang tin đăng. Thứ hạng như bản đăng.",
        )
        total = float(r["value"]) if r["value"] else None
        rank = int(r["rank"]) if r["rank"] else None
        uid = province_unit_id(r["ma_tinh"])
        note, note_vi = r["note"] or None, t.vi(src, r["note"])
        t.results.append(results_row(eid, uid, "provinces", total, sid, rank=rank, note=note, note_vi=note_vi))


def build_methodology(src: Path) -> list[dict]:
    vi = Tables().vi
    rows = []
    for r in read_csv(src / "indices" / "par" / "methodology.csv"):
        rows.append(
            {
                "scheme": r["scheme"],
                "valid_from_year": int(r["valid_from_year"]) if r["valid_from_year"] else None,
                "valid_to_year": int(r["valid_to_year"]) if r["valid_to_year"] else None,
                "decision_no": r["decision_no"] or None,
                "decision_date": date.fromisoformat(r["decision_date"]) if r["decision_date"] else None,
                "component_order": int(r["component_order"]) if r["component_order"] else None,
                "component_vi": r["component_vi"] or None,
                "component_en": r["component_en"] or None,
                "max_points": float(r["max_points"]) if r["max_points"] else None,
                "n_criteria": r["n_criteria"] or None,
                "part": r["part"] or None,
                "source_url": r["source_url"] or None,
                "source_title": r["source_title"] or None,
                "notes": r["notes"] or None,
                "notes_vi": vi(src, r["notes"]),
            }
        )
    return rows


def fill_tier_languages(src: Path, t: Tables) -> None:
    """Every printed tier (publication group) in both languages, from reference/tier_labels.csv; a tier without
    one stops the build. `tier` stays as printed."""
    labels = {r["tier"]: r for r in read_csv(src / "reference" / "tier_labels.csv")}
    for r in t.results:
        if r.get("tier"):
            if r["tier"] not in labels:
                raise ValueError(f"tier {r['tier']!r} ({r['edition_id']}) has no entry in reference/tier_labels.csv")
            r["tier_vi"], r["tier_en"] = labels[r["tier"]]["tier_vi"], labels[r["tier"]]["tier_en"]


# ---------------------------------------------------------------- README coverage table (generated from the data)
COVERAGE_START, COVERAGE_END = "<!-- coverage:start -->", "<!-- coverage:end -->"
INDEX_LABELS = {
    "par": "PAR Index (Chỉ số CCHC, Ministry of Home Affairs)",
    "par_hanoi": "Hà Nội's internal PAR Index",
    "par_hcmc": "TP.HCM's internal PAR Index",
    "papi": "PAPI",
    "pci": "PCI",
    "sipas": "SIPAS",
}


def _year_ranges(years: list[int]) -> str:
    """[2011, 2012, 2013, 2015] -> '2011–2013, 2015'."""
    out: list[str] = []
    for y in sorted(set(years)):
        if out and int(out[-1][-4:]) == y - 1:
            out[-1] = f"{out[-1][:4]}–{y}"
        else:
            out.append(str(y))
    return ", ".join(out) or "—"


def coverage_markdown(data_dir: Path) -> str:
    """Which years each index covers, per unit group, from the shipped tables (README's coverage table)."""
    con = duckdb.connect()
    try:
        rows = con.execute(
            """SELECT e.index_code, r.unit_group, e.year, e.completeness,
                      count(*) FILTER (WHERE r.total IS NOT NULL) AS n_scored, count(*) AS n_rows
               FROM read_parquet($results) r JOIN read_parquet($editions) e USING (edition_id)
               GROUP BY ALL ORDER BY ALL""",
            {name: (data_dir / f"{name}.parquet").as_posix() for name in ("results", "editions")},
        ).fetchall()
    finally:
        con.close()
    groups: dict[tuple[str, str], list[tuple[int, str, int, int]]] = defaultdict(list)
    for index_code, group, year, completeness, n_scored, n_rows in rows:
        groups[(index_code, group)].append((year, completeness, n_scored, n_rows))
    order = {code: i for i, code in enumerate(INDEX_LABELS)}
    lines = [
        "| Index | Units | Complete tables | Partial tables | Latest year: units with a score / listed |",
        "|---|---|---|---|---|",
    ]
    for (code, group), eds in sorted(groups.items(), key=lambda kv: (order.get(kv[0][0], 99), kv[0][1])):
        latest = max(eds)
        lines.append(
            f"| {INDEX_LABELS.get(code, code)} | {group} "
            f"| {_year_ranges([y for y, c, _s, _n in eds if c == 'complete'])} "
            f"| {_year_ranges([y for y, c, _s, _n in eds if c != 'complete'])} "
            f"| {latest[0]}: {latest[2]} / {latest[3]} |"
        )
    lines += _unpublished_rows(data_dir, set(groups))
    return "\n".join(lines)


def _unpublished_rows(data_dir: Path, have: set[tuple[str, str]]) -> list[str]:
    """Indices announced without a results table as text (reference/unpublished_indices.csv) that the data holds
    nothing of: one row each, saying so (issue 13)."""
    path = Path(data_dir) / "sources" / "reference" / "unpublished_indices.csv"
    if not path.exists():
        return []
    out = []
    for r in read_csv(path):
        if r["index_code"] and (r["index_code"], r["unit_group"]) in have:
            continue
        label = INDEX_LABELS.get(r["index_code"]) or f"{r['publisher_en']}: its own PAR Index"
        since = f" (announced since {r['since_year']})" if r["since_year"] else ""
        out.append(f"| {label} | {r['unit_group']} | — | — | no results table published as text yet{since} |")
    return out


def readme_with_coverage(readme: str, table: str) -> str:
    start, end = readme.index(COVERAGE_START), readme.index(COVERAGE_END)
    return readme[: start + len(COVERAGE_START)] + "\n" + table + "\n" + readme[end:]


def update_readme_coverage(data_dir: Path) -> None:
    """Rewrite the coverage table in the README next to data_dir (the repository's README for data/)."""
    readme_path = Path(data_dir).resolve().parent / "README.md"
    text = readme_path.read_text(encoding="utf-8")
    if COVERAGE_START not in text or COVERAGE_END not in text:
        return  # no table to keep (tests/unit/test_readme_coverage.py fails on the shipped README)
    new = readme_with_coverage(text, coverage_markdown(Path(data_dir)))
    if new != text:
        readme_path.write_text(new, encoding="utf-8")


if __name__ == "__main__":  # python -m cchc_data.build.indices: rewrite README's coverage table from data/
    from ..paths import SHIPPED_DATA_DIR

    update_readme_coverage(SHIPPED_DATA_DIR)
