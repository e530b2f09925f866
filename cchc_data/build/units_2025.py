"""The two-tier system from 1 July 2025: the 3,321 communes (xã, phường, đặc khu) and their lineage.

The 34 provinces are built by build.units from the 63→34 crosswalk. This module adds the communes from
data/sources/geo/vn_communes_2025.csv, a snapshot of the official list that the vietnamadminunits package
(1.0.4, MIT) ships, written by ``python -m cchc_data.build.units_2025`` (see ``extract``). The package compiled
its list from the GSO list of administrative units (danhmuchanhchinh.gso.gov.vn, 18 July 2025) and the merger
map site sapnhap.bando.com.vn (17 July 2025); its converter maps every pre-2025 commune to the new one(s).

Each commune is a unit ``c<GSO code>`` (kind ``commune``) whose parent is its 2025 province. Lineage: each
district (``d<code>``, the level that ended on 30 June 2025) → every new commune that took in one of its
communes, whole or in part, as the package's converter gives it. The build reads only the CSV, never the installed package.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import sys
from datetime import date
from pathlib import Path

from ..textnorm import fold, nfc

COMMUNES_CSV = "vn_communes_2025.csv"
TWO_TIER_FROM = date(2025, 7, 1)
SOURCE_ID = "vn-admin-units-2025"
LEGAL_BASIS = (
    "sắp xếp đơn vị hành chính cấp xã năm 2025 theo nghị quyết của Ủy ban Thường vụ Quốc hội cho từng tỉnh: "
    "đơn vị mới gồm toàn bộ hoặc một phần các xã, phường, thị trấn của quận, huyện cũ; từ 1/7/2025 không còn "
    "cấp huyện"
)
LEGAL_BASIS_EN = (
    "the 2025 arrangement of commune-level administrative units, under a resolution of the National Assembly "
    "Standing Committee for each province: each new unit takes in all or part of the communes, wards and townships "
    "of the former urban and rural districts; from 1 July 2025 there is no district level"
)
TYPE_EN = {"Phường": "Ward", "Xã": "Commune", "Đặc khu": "Special Zone"}
COLUMNS = ["ma_xa", "ten_xa", "ten_ngan", "loai", "ma_tinh_2025", "ten_tinh_2025", "ma_huyen_cu", "ma_xa_cu"]

SOURCE_ROW = {
    "source_id": SOURCE_ID,
    "title": "Danh mục 34 tỉnh và 3.321 đơn vị hành chính cấp xã từ 1/7/2025 (vietnamadminunits 1.0.4)",
    "publisher": "vietnamadminunits (Trần Ngọc Minh Hiếu), https://github.com/tranngocminhhieu/vietnamadminunits",
    "document_no": None,
    "published_on": None,
    "url": "https://pypi.org/project/vietnamadminunits/1.0.4/",
    "licence": "MIT (package and dataset)",
    "note": (
        "Units, names and lineage only (no results). Compiled by the package from the GSO list "
        "danhmuchanhchinh.gso.gov.vn (18/7/2025) and sapnhap.bando.com.vn (17/7/2025); snapshot in "
        "the project's vn_communes_2025.csv. District → commune lineage: a district precedes every new "
        "commune that took in one of its communes, whole or in part."
    ),
    "licence_vi": "MIT (gói phần mềm và bộ dữ liệu)",
    "note_vi": (
        "Chỉ gồm đơn vị, tên và quan hệ kế thừa (không có kết quả). Gói phần mềm tổng hợp từ danh mục của Tổng cục "
        "Thống kê danhmuchanhchinh.gso.gov.vn (18/7/2025) và sapnhap.bando.com.vn (17/7/2025); bản chụp lưu trong "
        "tệp vn_communes_2025.csv của dự án. Quan hệ kế thừa huyện → xã: một huyện là tiền thân của mọi xã mới "
        "đã nhận một trong các xã của huyện đó, toàn bộ hoặc một phần."
    ),
}


def commune_unit_id(code: str) -> str:
    return f"c{code}"


def add_two_tier_units(src: Path, reg, sources: dict) -> None:
    """Add the 3,321 communes, their names and district → commune lineage to `reg`; cite the list in `sources`."""
    rows = _read(src / "geo" / COMMUNES_CSV)
    provinces_2025 = {
        u["admin_code"]: u["unit_id"]
        for u in reg.units
        if u["kind"] == "province" and u["valid_to"] is None and u["admin_code"]
    }
    districts = {u["unit_id"] for u in reg.units if u["kind"] == "district"}
    for row in rows:
        uid = commune_unit_id(row["ma_xa"])
        full, short = row["ten_xa"], row["ten_ngan"]
        kind_vi = next(t for t in TYPE_EN if full.startswith(t + " "))  # the name's type (see vn_communes_2025.md)
        name_en = f"{fold(short).title()} {TYPE_EN[kind_vi]}"
        reg.add_unit(
            unit_id=uid,
            name_vi=full,
            name_en=name_en,
            kind="commune",
            admin_code=row["ma_xa"],
            parent_unit_id=provinces_2025[row["ma_tinh_2025"]],
            valid_from=TWO_TIER_FROM,
            valid_to=None,
            name_full_vi=full,
            map_layer=None,
        )
        reg.add_name(uid, full, "vi", "official")
        reg.add_name(uid, short, "vi", "official_short")
        reg.add_name(uid, name_en, "en", "official")
        for old in filter(None, row["ma_huyen_cu"].split("|")):
            if f"d{old}" in districts:
                reg.lineage.append(
                    {
                        "predecessor_unit_id": f"d{old}",
                        "successor_unit_id": uid,
                        "effective_on": TWO_TIER_FROM,
                        "legal_basis": LEGAL_BASIS,
                        "legal_basis_en": LEGAL_BASIS_EN,
                    }
                )
    sources[SOURCE_ID] = dict(SOURCE_ROW)


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return [{k: nfc(v or "") for k, v in r.items()} for r in csv.DictReader(fh)]


# ------------------------------------------------------------------ the snapshot (run once per package release)
def extract() -> list[dict[str, str]]:
    """The commune list and lineage from the installed vietnamadminunits package (dataset.db + converter)."""
    import vietnamadminunits  # only to refresh the snapshot; the build never needs the package

    base = Path(vietnamadminunits.__file__).parent / "data"
    con = sqlite3.connect(base / "dataset.db")
    try:
        new = con.execute(
            "SELECT wardCode, ward, wardShort, wardType, provinceCode, province, provinceKey, wardKey "
            "FROM admin_units ORDER BY wardCode"
        ).fetchall()
        legacy = {
            f"{p}_{d}_{w or ''}": (dc, wc)
            for p, d, w, dc, wc in con.execute(
                "SELECT provinceKey, districtKey, wardKey, districtCode, wardCode FROM admin_units_legacy"
            )
        }
    finally:
        con.close()
    conv = json.loads((base / "converter_2025.json").read_text(encoding="utf-8"))
    preds: dict[tuple[str, str], set[str]] = {}
    for pkey, wards in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for wkey, olds in wards.items():
            preds.setdefault((pkey, wkey), set()).update(olds)
    for pkey, olds in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, targets in olds.items():
            for tgt in targets:
                preds.setdefault((pkey, tgt["newWardKey"]), set()).add(old)
    out = []
    for code, full, short, kind_vi, pcode, pname, pkey, wkey in new:
        olds = [legacy[o] for o in sorted(preds.get((pkey, wkey), ())) if o in legacy]
        out.append(
            {
                "ma_xa": code,
                "ten_xa": nfc(full),
                "ten_ngan": nfc(short),
                "loai": nfc(kind_vi),
                "ma_tinh_2025": pcode,
                "ten_tinh_2025": nfc(pname),
                "ma_huyen_cu": "|".join(sorted({d for d, _w in olds if d})),
                "ma_xa_cu": "|".join(sorted({w for _d, w in olds if w})),
            }
        )
    return out


def write_snapshot(path: Path) -> int:
    rows = extract()
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


if __name__ == "__main__":  # python -m cchc_data.build.units_2025 [out.csv]
    from ..paths import PROJECT_ROOT

    target = Path(sys.argv[1]) if len(sys.argv) > 1 else PROJECT_ROOT / "data" / "sources" / "geo" / COMMUNES_CSV
    print(f"{write_snapshot(target)} communes -> {target}")
