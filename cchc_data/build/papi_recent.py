"""PAPI 2020–2024: totals and the 8 dimensions every year; sub-dimensions and indicators for 2022 and 2023.

Sources (data/sources/indices/papi_2020_2024/, described in data/sources/SOURCES_upstream.md):
- papi_2022_2023_long.csv: every row of the official provincial workbook's sheets 2022 and 2023.
- papi_2020_2021_2024_dimensions_wide.csv: D1–D8 and the official unweighted total for 2020, 2021 and 2024.

The component ids are PAPI 2019's (built by indices.build_papi, which runs first), so a dimension or
sub-dimension is the same component across years. What is left out (CI/SE rows, the weighted 2022 score,
the `scale` column, the sample size row) is listed in data/README.md.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from .indices import Tables, results_row, score_row, slug
from .units import province_unit_id, read_csv

PAPI_DIR = ("indices", "papi_2020_2024")
PUBLISHER = "CECODES, VFF-CRT, RTA & UNDP"
LICENCE = "Published for public use; credit “PAPI, CECODES, VFF-CRT, RTA & UNDP”"
LICENCE_VI = "Công bố để sử dụng rộng rãi; ghi nguồn “PAPI, CECODES, VFF-CRT, RTA & UNDP”"

_TUNAH = "tunah72/papi-dashboard @ 2e42ab89bd452987a8661c5c60ccf5571bb7a884"
_HUNG = "HungNT1st/CS571_Project @ 7d6415f82851f9c024dd4a540064472727c8dfe2"
# year -> (source_id, workbook file name as published)
WORKBOOKS = {
    2020: ("papi-workbook-2020", "2020PAPI_ProvincialIndicators_BangChiTieuCapTinh-1.xlsx"),
    2021: ("papi-workbook-2021", "1.2021PAPI_ProvincialIndicators_BangChiTieuCapTinh.xlsx"),
    2024: ("papi-workbook-2024", "2024PAPI_ProvincialIndicators_BangChiTieuCapTinh_34_TinhThanh.xlsx"),
}
WORKBOOK_2022_2023 = "papi-workbook-2022-2023"

WIDE_COLUMNS = (
    "D1_participation",
    "D2_transparency",
    "D3_vertical_accountability",
    "D4_control_of_corruption",
    "D5_public_admin_procedures",
    "D6_public_service_delivery",
    "D7_environmental_governance",
    "D8_e_governance",
)

# Why a province has no total, in both languages (the reason the source gives; nothing more).
GAP_NOTES = {
    "blank": (
        "Not published: the official PAPI {year} workbook leaves this province blank.",
        "Không công bố: bảng số liệu chính thức PAPI {year} để trống tỉnh này.",
    ),
    "zero": (
        "No total published: the official PAPI {year} workbook has 0 in this province's total cell (not a valid "
        "PAPI score), so it is treated as not published; the dimension scores it does print are in scores.",
        "Không công bố điểm tổng hợp: ô điểm tổng hợp của tỉnh này trong bảng số liệu chính thức PAPI {year} là 0 "
        "(không phải điểm PAPI hợp lệ) nên được coi là không công bố; các điểm chỉ số nội dung có in được giữ "
        "trong bảng scores.",
    ),
    "wide": (
        "Not published: the official PAPI {year} workbook has no score for this province.",
        "Không công bố: bảng số liệu chính thức PAPI {year} không có điểm của tỉnh này.",
    ),
}

_DIM_PREFIX = re.compile(r"^(?:Dimension|Chỉ số nội dung)\s+(\d+)\s*:\s*")
_SUB_PREFIX = re.compile(r"^(\d+)\.(\d+)\s*:\s*")


def clean_name(text: str) -> str:
    """Drop the workbook's numbering ("Dimension 1:", "1.1:") and its footnote marks ("*", "(*)")."""
    text = _DIM_PREFIX.sub("", text)
    text = _SUB_PREFIX.sub("", text)
    return re.sub(r"\s+", " ", text.replace("(*)", "").replace("*", "")).strip()


def _dimension_number(indicator_en: str) -> int:
    m = re.match(r"Dimension\s+(\d+)\s*:", indicator_en)
    if not m:
        raise ValueError(f"PAPI: not a dimension label: {indicator_en!r}")
    return int(m[1])


def reference_components(t: Tables) -> tuple[list[dict], dict[tuple[int, int], dict]]:
    """PAPI 2019's dimensions (in order) and its sub-dimensions keyed by workbook number (dimension, k)."""
    comps = [c for c in t.components if c["edition_id"] == "papi-2019"]
    dims = sorted((c for c in comps if c["level"] == "dimension"), key=lambda c: c["position"])
    subs: dict[tuple[int, int], dict] = {}
    for d_no, dim in enumerate(dims, start=1):
        children = sorted(
            (c for c in comps if c["parent_component_id"] == dim["component_id"]), key=lambda c: c["position"]
        )
        for k, sub in enumerate(children, start=1):
            subs[(d_no, k)] = sub
    if len(dims) != 8 or len(subs) != 29:
        raise ValueError("PAPI 2019 components must be built first (8 dimensions, 29 sub-dimensions)")
    return dims, subs


def method_note(year: int, gaps: list[str], detailed: bool) -> tuple[str, str]:
    en = (
        "Total = the official unweighted PAPI score (the sum of the 8 dimension scores, 8–80 scale), as for "
        "2018–2019. PAPI publishes quartile groups, not ranks: every rank here is computed."
    )
    vi = (
        "Điểm tổng hợp = điểm PAPI không trọng số chính thức (tổng điểm 8 chỉ số nội dung, thang 8–80), như các "
        "năm 2018–2019. PAPI công bố nhóm theo tứ phân vị, không xếp hạng: mọi thứ hạng ở đây là do chúng tôi tính."
    )
    if year in (2022, 2023):
        en += " The weighted PAPI score is blank in the 2022 workbook and not in the 2023 sheet."
        vi += " Điểm PAPI có trọng số để trống trong bảng số liệu năm 2022 và không có trong trang tính năm 2023."
    if detailed:
        en += (
            " Sub-dimensions and indicators (level criterion) as printed in the workbook; sub-dimension 5.2 "
            "(construction permits) is not in it. Indicator values keep the workbook's own scales (shares 0–1, "
            "points, thousand VND)."
        )
        vi += (
            " Nội dung thành phần và chỉ tiêu (cấp tiêu chí) như in trong bảng số liệu; không có nội dung thành "
            "phần 5.2 (giấy phép xây dựng). Giá trị chỉ tiêu giữ thang đo của bảng số liệu (tỷ lệ 0–1, điểm, "
            "nghìn đồng)."
        )
    else:
        en += " Sub-dimensions and indicators for this year are not available as text: dimensions only."
        vi += " Nội dung thành phần và chỉ tiêu của năm này chưa có dưới dạng văn bản: chỉ có chỉ số nội dung."
    if year == 2024:
        en += (
            " PAPI 2024 is reported by the 63 provinces before the 1 July 2025 merger (although the workbook's "
            "file name says 34)."
        )
        vi += (
            " PAPI 2024 báo cáo theo 63 tỉnh, thành phố trước khi sắp xếp ngày 1/7/2025 (dù tên tệp bảng số "
            "liệu ghi 34)."
        )
    if gaps:
        en += f" No total for {len(gaps)} province(s): {', '.join(gaps)} (the row says why)."
        vi += f" Không có điểm tổng hợp của {len(gaps)} tỉnh: {', '.join(gaps)} (lý do ghi ở từng dòng)."
    return en, vi


def _add_sources(t: Tables) -> None:
    for year, (sid, fname) in WORKBOOKS.items():
        t.add_source(
            sid,
            title=f"PAPI {year} provincial indicators ({fname})",
            publisher=PUBLISHER,
            url="https://papi.org.vn",
            licence=LICENCE,
            licence_vi=LICENCE_VI,
            note=(
                f"Official PAPI {year} provincial workbook; values copied from the GitHub repository {_TUNAH} "
                "(agg_province_year.csv, which it parsed from the official workbook it keeps)"
            ),
            note_vi=(
                f"Bảng chỉ tiêu cấp tỉnh chính thức PAPI {year}; số liệu chép từ kho GitHub {_TUNAH} "
                "(tệp agg_province_year.csv, đọc từ bảng số liệu chính thức lưu trong kho)"
            ),
        )
    t.add_source(
        WORKBOOK_2022_2023,
        title="PAPI provincial indicators 2015–2023, sheets 2022 and 2023 (PAPI-2015-2023.xlsm)",
        publisher=PUBLISHER,
        url="https://papi.org.vn",
        licence=LICENCE,
        licence_vi=LICENCE_VI,
        note=(
            "The official PAPI provincial workbook (footer “Copyright @CECODES, VFF-CRT, RTA and UNDP”), copied "
            f"unmodified from the GitHub repository {_HUNG} (PAPI-2015-2023.xlsm, sheets 2022 and 2023)"
        ),
        note_vi=(
            "Bảng số liệu cấp tỉnh chính thức của PAPI (chân trang “Copyright @CECODES, VFF-CRT, RTA and UNDP”), "
            f"chép nguyên bản từ kho GitHub {_HUNG} (PAPI-2015-2023.xlsm, trang tính 2022 và 2023)"
        ),
    )


def _add_edition(t: Tables, year: int, source_id: str, gaps: list[str], detailed: bool) -> str:
    en, vi = method_note(year, gaps, detailed)
    eid = t.add_edition("papi", year, "national", source_id, en, "complete", "points")
    t.editions[eid]["method_note_vi"] = vi
    return eid


def _gap_result(eid: str, uid: str, source_id: str, kind: str, year: int) -> dict:
    en, vi = GAP_NOTES[kind]
    return results_row(eid, uid, "provinces", None, source_id, note=en.format(year=year), note_vi=vi.format(year=year))


def build_papi_recent(src: Path, t: Tables) -> None:
    """PAPI 2020–2024 into t (after indices.build_papi, whose 2019 component ids are reused)."""
    _add_sources(t)
    dims, subs = reference_components(t)
    base = src.joinpath(*PAPI_DIR)
    _build_wide_years(base, t, dims)
    _build_workbook_years(base, t, dims, subs)


def _build_wide_years(base: Path, t: Tables, dims: list[dict]) -> None:
    rows = read_csv(base / "papi_2020_2021_2024_dimensions_wide.csv")
    by_year: dict[int, list[dict]] = defaultdict(list)
    for r in rows:
        by_year[int(r["year"])].append(r)
    for year, year_rows in sorted(by_year.items()):
        sid = WORKBOOKS[year][0]
        gaps = [r["ten_tinh_source"] for r in year_rows if not r["papi_unweighted_official"]]
        eid = _add_edition(t, year, sid, gaps, detailed=False)
        for pos, dim in enumerate(dims, start=1):
            t.components.append({**dim, "edition_id": eid, "position": pos})
        for r in year_rows:
            uid = province_unit_id(r["ma_tinh"])
            for col, dim in zip(WIDE_COLUMNS, dims):
                if r[col]:
                    t.scores.append(score_row(eid, uid, dim["component_id"], float(r[col])))
            if r["papi_unweighted_official"]:
                t.results.append(results_row(eid, uid, "provinces", float(r["papi_unweighted_official"]), sid))
            else:
                t.results.append(_gap_result(eid, uid, sid, "wide", year))


def _build_workbook_years(base: Path, t: Tables, dims: list[dict], subs: dict[tuple[int, int], dict]) -> None:
    rows = read_csv(base / "papi_2022_2023_long.csv")
    for year in sorted({int(r["year"]) for r in rows}):
        year_rows = [r for r in rows if int(r["year"]) == year]
        comp_of, components = workbook_components(year_rows, dims, subs)
        totals = [r for r in year_rows if r["level"] == "total" and r["indicator_en"] == "Unweighted PAPI Score"]
        gaps = [r["ten_tinh"] for r in totals if not r["score"]]
        eid = _add_edition(t, year, WORKBOOK_2022_2023, gaps, detailed=True)
        for c in components:
            t.components.append({**c, "edition_id": eid})
        for r in year_rows:
            key = (r["level"], r["parent_dimension_en"], r["indicator_en"])
            if key in comp_of and r["score"]:
                t.scores.append(score_row(eid, province_unit_id(r["ma_tinh"]), comp_of[key], float(r["score"])))
        for r in totals:
            uid = province_unit_id(r["ma_tinh"])
            if r["score"]:
                t.results.append(results_row(eid, uid, "provinces", float(r["score"]), WORKBOOK_2022_2023))
            else:
                kind = "zero" if r["note"].startswith("source cell = 0") else "blank"
                t.results.append(_gap_result(eid, uid, WORKBOOK_2022_2023, kind, year))


# Rows of the sheet that are not a province's score on a component: the sample size.
NOT_A_SCORE = {"Observations"}
# A typo in one year's label must not make the same indicator a new component (the name stays as printed).
ID_SPELLING = {"Voted in Last Communce People's Council Election": "Voted in Last Commune People's Council Election"}


def workbook_components(year_rows: list[dict], dims: list[dict], subs: dict[tuple[int, int], dict]):
    """The sheet's dimension / sub-dimension / indicator rows, in sheet order, mapped to component rows.

    Returns ({(level, parent_dimension_en, indicator_en): component_id}, [component rows without edition_id]).
    Dimensions and sub-dimensions take PAPI 2019's ids by their workbook number; an indicator becomes a
    `criterion` under the last sub-dimension above it in sheet order."""
    order: dict[tuple[str, str, str], dict] = {}
    for r in year_rows:
        if r["level"] in ("dimension", "sub_dimension", "indicator"):
            order.setdefault((r["level"], r["parent_dimension_en"], r["indicator_en"]), r)
    comp_of: dict[tuple[str, str, str], str] = {}
    out: list[dict] = []
    current_sub: str | None = None
    positions: defaultdict[str, int] = defaultdict(int)
    for key, r in order.items():
        level = key[0]
        if level == "dimension":
            dim = dims[_dimension_number(r["indicator_en"]) - 1]
            cid, parent, out_level = dim["component_id"], None, "dimension"
            current_sub = None
        elif level == "sub_dimension":
            m = _SUB_PREFIX.match(r["indicator_vi"])
            if not m:
                raise ValueError(f"PAPI: sub-dimension without its number: {r['indicator_vi']!r}")
            sub = subs[(int(m[1]), int(m[2]))]
            if sub["parent_component_id"] != dims[_dimension_number(r["parent_dimension_en"]) - 1]["component_id"]:
                raise ValueError(f"PAPI: sub-dimension {m[0]} is not under its dimension")
            cid, parent, out_level = sub["component_id"], sub["parent_component_id"], "sub_dimension"
            current_sub = cid
        else:
            if r["indicator_en"] in NOT_A_SCORE:
                continue
            if current_sub is None:
                raise ValueError(f"PAPI: indicator before any sub-dimension: {r['indicator_en']!r}")
            label = ID_SPELLING.get(r["indicator_en"], r["indicator_en"])
            cid, parent, out_level = f"{current_sub}.{slug(clean_name(label))}", current_sub, "criterion"
        if cid in comp_of.values():
            raise ValueError(f"PAPI: duplicate component id {cid}")
        comp_of[key] = cid
        positions[out_level] += 1
        out.append(
            {
                "component_id": cid,
                "parent_component_id": parent,
                "name_vi": clean_name(r["indicator_vi"]),
                "name_en": clean_name(r["indicator_en"]),
                "max_score": None,
                "position": positions[out_level],
                "level": out_level,
                "unit_group": "provinces",
            }
        )
    return comp_of, out
