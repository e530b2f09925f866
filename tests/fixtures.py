"""Synthetic fixture data for tests. Generated in code; labelled synthetic; never shipped."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from cchc_data.build.main import write_tables
from cchc_data.schema import to_table
from cchc_data.textnorm import fold

SYNTHETIC = "SYNTHETIC TEST DATA"


def tiny_tables() -> dict:
    units = [
        {
            "unit_id": "p01",
            "name_vi": "Hà Nội",
            "name_en": "Ha Noi",
            "kind": "province",
            "admin_code": "01",
            "name_full_vi": "Thành phố Hà Nội",
            "map_layer": "provinces_63",
        },
        {
            "unit_id": "p48",
            "name_vi": "Đà Nẵng",
            "name_en": "Da Nang",
            "kind": "province",
            "admin_code": "48",
            "name_full_vi": "Thành phố Đà Nẵng",
            "map_layer": "provinces_63",
        },
        {
            "unit_id": "p79",
            "name_vi": "Hồ Chí Minh",
            "name_en": "Ho Chi Minh City",
            "kind": "province",
            "admin_code": "79",
            "name_full_vi": "Thành phố Hồ Chí Minh",
            "map_layer": "provinces_63",
        },
        {
            "unit_id": "p02",
            "name_vi": "Hà Giang",
            "name_en": "Ha Giang",
            "kind": "province",
            "admin_code": "02",
            "valid_to": date(2025, 6, 30),
            "name_full_vi": "Tỉnh Hà Giang",
            "map_layer": "provinces_63",
        },
        {
            "unit_id": "p08-2025",
            "name_vi": "Tuyên Quang",
            "name_en": "Tuyen Quang",
            "kind": "province",
            "admin_code": "08",
            "valid_from": date(2025, 7, 1),
            "name_full_vi": "Tỉnh Tuyên Quang",
            "map_layer": "provinces_34",
        },
        {
            "unit_id": "p-hatay",
            "name_vi": "Hà Tây",
            "name_en": "Ha Tay",
            "kind": "province",
            "valid_to": date(2008, 7, 31),
            "name_full_vi": "Tỉnh Hà Tây",
        },
    ]
    names = [
        {
            "unit_id": u["unit_id"],
            "name": u["name_vi"],
            "lang": "vi",
            "name_kind": "official_short",
            "name_folded": fold(u["name_vi"]),
        }
        for u in units
    ]
    editions, results, components, scores = [], [], [], []
    totals = {
        2018: {"p01": 40.0, "p48": 42.5, "p79": 41.0, "p02": 39.0},
        2019: {"p01": 43.0, "p48": 42.995, "p79": 40.0, "p02": None},
    }
    for year, by_unit in totals.items():
        eid = f"papi-{year}"
        editions.append(
            {
                "edition_id": eid,
                "index_code": "papi",
                "year": year,
                "scope": "national",
                "source_id": "synthetic",
                "method_note": SYNTHETIC,
                "completeness": "complete",
                "total_unit": "points",
            }
        )
        ranked = sorted((v, k) for k, v in by_unit.items() if v is not None)[::-1]
        for uid, total in by_unit.items():
            rank = 1 + sum(1 for v, _ in ranked if total is not None and v > total) if total is not None else None
            results.append(
                {
                    "edition_id": eid,
                    "unit_id": uid,
                    "unit_group": "provinces",
                    "total": total,
                    "rank": rank,
                    "rank_official": False,
                    "source_id": "synthetic",
                }
            )
        dims = ["participation", "transparency"] + (["e_governance"] if year == 2019 else [])
        for pos, dim in enumerate(dims, 1):
            components.append(
                {
                    "edition_id": eid,
                    "component_id": dim,
                    "name_vi": dim,
                    "name_en": dim,
                    "position": pos,
                    "level": "dimension",
                    "unit_group": "provinces",
                    "max_score": 10.0,
                }
            )
            for uid, total in by_unit.items():
                if total is not None:
                    scores.append(
                        {"edition_id": eid, "unit_id": uid, "component_id": dim, "score": round(total / len(dims), 4)}
                    )
    return {
        "sources": to_table(
            "sources",
            [
                {
                    "source_id": "synthetic",
                    "title": SYNTHETIC,
                    "publisher": "tests",
                    "published_on": date(2020, 1, 1),
                    "url": "https://example.invalid/",
                }
            ],
        ),
        "editions": to_table("editions", editions),
        "units": to_table("units", units),
        "unit_names": to_table("unit_names", names),
        "unit_lineage": to_table(
            "unit_lineage",
            [
                {
                    "predecessor_unit_id": "p02",
                    "successor_unit_id": "p08-2025",
                    "effective_on": date(2025, 7, 1),
                    "legal_basis": SYNTHETIC,
                },
                {
                    "predecessor_unit_id": "p-hatay",
                    "successor_unit_id": "p01",
                    "effective_on": date(2008, 8, 1),
                    "legal_basis": SYNTHETIC,
                },
            ],
        ),
        "components": to_table("components", components),
        "scores": to_table("scores", scores),
        "results": to_table("results", results),
        "methodology": to_table("methodology", []),
    }


def write_tiny_store(directory: Path) -> dict:
    return write_tables(tiny_tables(), directory)
