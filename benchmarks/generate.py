"""Synthetic data in the project's own schema, at national commune scale (or smaller), for benchmarks only.

Every row written here is SYNTHETIC: the source is titled so, the editions have scope 'synthetic' and a
method note saying so, commune names read "Xã tổng hợp NNNNN" / "Synthetic commune NNNNN". Output goes to
benchmarks/out/ (git-ignored) or any directory given; never to data/.

Shape (defaults, national scale): 10,000 communes x 10 yearly editions x 100 criteria (8 dimensions of
12-13 criteria each) = 10,000,000 criterion score rows, plus 800,000 dimension score rows and 100,000
results. The 63 provinces (copied from the shipped units table, so the province map has shapes to join)
also get a synthetic province ranking of the same editions. Built with numpy and pyarrow directly (no row
dicts), so 10 million rows take seconds.

    python -m benchmarks.generate --scale national --out benchmarks/out/national
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from cchc_data.build.main import write_tables
from cchc_data.paths import SHIPPED_DATA_DIR
from cchc_data.schema import SCHEMAS, to_table
from cchc_data.textnorm import fold

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
SYNTHETIC = "SYNTHETIC benchmark data (benchmarks/generate.py) - not a published result"
SOURCE_ID = "synthetic-benchmark"
INDEX_CODE = "par"  # a real index code, so every page offers it; scope 'synthetic' marks it


@dataclass(frozen=True)
class Scale:
    communes: int
    years: int
    dimensions: int
    criteria: int
    first_year: int = 2015

    @property
    def label(self) -> str:
        return f"{self.communes} communes x {self.years} years x {self.criteria} criteria"


SCALES = {
    "national": Scale(communes=10_000, years=10, dimensions=8, criteria=100),
    "tiny": Scale(communes=120, years=3, dimensions=4, criteria=16),
}


def _strings(indices: np.ndarray, dictionary: list[str] | pa.Array) -> pa.Array:
    """A plain string column built from small-int codes (C++ cast, no Python loop over rows)."""
    dictionary = dictionary if isinstance(dictionary, pa.Array) else pa.array(dictionary, pa.string())
    return pa.DictionaryArray.from_arrays(pa.array(indices.astype(np.int32)), dictionary).cast(pa.string())


def _table(name: str, columns: dict[str, pa.Array | None], n: int) -> pa.Table:
    schema = SCHEMAS[name]
    arrays = [columns[f.name] if columns.get(f.name) is not None else pa.nulls(n, f.type) for f in schema]
    return pa.Table.from_arrays([a.cast(f.type) for a, f in zip(arrays, schema)], schema=schema)


def _component_tree(scale: Scale) -> tuple[list[str], list[str | None], list[str], list[float], list[int]]:
    """Dimensions d01.. each with a share of the criteria (d01.c01 ...); ids sorted as strings."""
    per_dim = np.full(scale.dimensions, scale.criteria // scale.dimensions)
    per_dim[: scale.criteria % scale.dimensions] += 1
    ids, parents, levels, maxes, positions = [], [], [], [], []
    for d in range(scale.dimensions):
        dim = f"d{d + 1:02d}"
        ids.append(dim), parents.append(None), levels.append("dimension")
        maxes.append(float(round(100.0 / scale.dimensions, 2))), positions.append(d + 1)
        crit_max = round(100.0 / scale.dimensions / per_dim[d], 2)
        for c in range(per_dim[d]):
            ids.append(f"{dim}.c{c + 1:02d}"), parents.append(dim), levels.append("criterion")
            maxes.append(float(crit_max)), positions.append(c + 1)
    order = np.argsort(np.array(ids, dtype=object), kind="stable")
    return (
        [ids[i] for i in order],
        [parents[i] for i in order],
        [levels[i] for i in order],
        [maxes[i] for i in order],
        [positions[i] for i in order],
    )


def _competition_rank(totals: np.ndarray) -> np.ndarray:
    """Ties share the best rank (1, 1, 3)."""
    asc = np.sort(totals)
    return (len(totals) - np.searchsorted(asc, totals, side="right") + 1).astype(np.int32)


def _shipped_provinces() -> pa.Table:
    units = pq.read_table(SHIPPED_DATA_DIR / "units.parquet")
    mask = pc.and_(pc.equal(units["kind"], "province"), pc.equal(units["map_layer"], "provinces_63"))
    return units.filter(mask).sort_by("unit_id")


def national_tables(scale: Scale, seed: int = 8) -> dict[str, pa.Table]:
    rng = np.random.default_rng(seed)
    provinces = _shipped_provinces()
    n_prov, n_com = provinces.num_rows, scale.communes
    years = list(range(scale.first_year, scale.first_year + scale.years))
    edition_ids = [f"{INDEX_CODE}-{y}" for y in years]  # sorted as strings too

    # Units: communes first ('c00001' < 'p01'), then the real provinces they belong to.
    com_ids = [f"c{i:05d}" for i in range(1, n_com + 1)]
    parent_idx = rng.integers(0, n_prov, n_com)
    com_vi = [f"Xã tổng hợp {i:05d}" for i in range(1, n_com + 1)]
    com_en = [f"Synthetic commune {i:05d}" for i in range(1, n_com + 1)]
    communes = _table(
        "units",
        {
            "unit_id": pa.array(com_ids),
            "name_vi": pa.array(com_vi),
            "name_en": pa.array(com_en),
            "kind": pa.array(["commune"] * n_com),
            "admin_code": pa.array([f"9{i:05d}" for i in range(1, n_com + 1)]),
            "parent_unit_id": provinces["unit_id"].take(pa.array(parent_idx)).combine_chunks(),
            "name_full_vi": pa.array([f"{n} (dữ liệu tổng hợp, SYNTHETIC)" for n in com_vi]),
        },
        n_com,
    )
    units = pa.concat_tables([communes, provinces.select(SCHEMAS["units"].names).cast(SCHEMAS["units"])])
    all_ids = units["unit_id"].to_pylist()
    all_vi = units["name_vi"].to_pylist()
    names_vi = _table(
        "unit_names",
        {
            "unit_id": pa.array(all_ids),
            "name": pa.array(all_vi),
            "lang": pa.array(["vi"] * len(all_ids)),
            "name_kind": pa.array(["official_short"] * len(all_ids)),
            "name_folded": pa.array([fold(n) for n in all_vi]),
        },
        len(all_ids),
    )
    names_en = _table(
        "unit_names",
        {
            "unit_id": pa.array(com_ids),
            "name": pa.array(com_en),
            "lang": pa.array(["en"] * n_com),
            "name_kind": pa.array(["official_short"] * n_com),
            "name_folded": pa.array([fold(n) for n in com_en]),
        },
        n_com,
    )
    unit_names = pa.concat_tables([names_vi, names_en]).sort_by(
        [("unit_id", "ascending"), ("name_kind", "ascending"), ("lang", "ascending"), ("name", "ascending")]
    )

    comp_ids, comp_parents, comp_levels, comp_max, comp_pos = _component_tree(scale)
    n_comp = len(comp_ids)
    crit = np.array([lv == "criterion" for lv in comp_levels])
    dim_of = np.array([comp_ids.index(p) if p else i for i, p in enumerate(comp_parents)])
    maxes = np.array(comp_max)

    groups = [("communes", n_com, 0), ("provinces", n_prov, n_com)]  # (group, units, offset in units table)
    comp_parts, score_parts, result_parts = [], [], []
    for e, eid in enumerate(edition_ids):
        for group, n_units, offset in groups:
            m = n_comp
            comp_parts.append(
                _table(
                    "components",
                    {
                        "edition_id": pa.array([eid] * m),
                        "component_id": pa.array(comp_ids),
                        "parent_component_id": pa.array(comp_parents, pa.string()),
                        "name_vi": pa.array(
                            [
                                f"Tiêu chí tổng hợp {c}" if lv == "criterion" else f"Lĩnh vực tổng hợp {c}"
                                for c, lv in zip(comp_ids, comp_levels)
                            ]
                        ),
                        "name_en": pa.array(
                            [
                                f"Synthetic {'criterion' if lv == 'criterion' else 'dimension'} {c}"
                                for c, lv in zip(comp_ids, comp_levels)
                            ]
                        ),
                        "max_score": pa.array(comp_max),
                        "position": pa.array(comp_pos, pa.int32()),
                        "level": pa.array(comp_levels),
                        "unit_group": pa.array([group] * m),
                    },
                    m,
                )
            )
            # Criterion scores: a unit's ability drifts year to year; each criterion adds noise.
            ability = np.clip(rng.normal(0.72, 0.08, (n_units, 1)) + 0.01 * e, 0.2, 0.98)
            frac = np.clip(ability + rng.normal(0.0, 0.12, (n_units, n_comp)), 0.0, 1.0)
            values = np.round(frac * maxes, 2)
            dim_sum = np.zeros((n_units, n_comp))
            np.add.at(dim_sum.T, dim_of[crit], values[:, crit].T)
            values[:, ~crit] = np.round(dim_sum[:, ~crit], 2)
            total = np.round(values[:, ~crit].sum(axis=1), 2)
            score_parts.append(
                _table(
                    "scores",
                    {
                        "edition_id": _strings(np.full(n_units * n_comp, e), edition_ids),
                        "unit_id": _strings(
                            np.repeat(np.arange(offset, offset + n_units), n_comp), units["unit_id"].combine_chunks()
                        ),
                        "component_id": _strings(np.tile(np.arange(n_comp), n_units), comp_ids),
                        "score": pa.array(values.ravel()),
                    },
                    n_units * n_comp,
                )
            )
            result_parts.append(
                _table(
                    "results",
                    {
                        "edition_id": _strings(np.full(n_units, e), edition_ids),
                        "unit_id": units["unit_id"].slice(offset, n_units).combine_chunks(),
                        "unit_group": _strings(np.zeros(n_units), [group]),
                        "total": pa.array(total),
                        "rank": pa.array(_competition_rank(total)),
                        "rank_official": pa.array(np.zeros(n_units, dtype=bool)),
                        "source_id": _strings(np.zeros(n_units), [SOURCE_ID]),
                        "note": _strings(np.zeros(n_units), ["SYNTHETIC"]),
                    },
                    n_units,
                )
            )

    # Within an edition, commune unit ids ('c...') sort before province ids ('p...'): already in key order.
    editions = to_table(
        "editions",
        [
            {
                "edition_id": eid,
                "index_code": INDEX_CODE,
                "year": y,
                "scope": "synthetic",
                "source_id": SOURCE_ID,
                "method_note": f"{SYNTHETIC}. {scale.label}.",
                "completeness": "complete",
                "total_unit": "points",
            }
            for eid, y in zip(edition_ids, years)
        ],
    )
    components = pa.concat_tables(comp_parts).sort_by(
        [("edition_id", "ascending"), ("unit_group", "ascending"), ("component_id", "ascending")]
    )
    results = pa.concat_tables(result_parts).sort_by(
        [("edition_id", "ascending"), ("unit_group", "ascending"), ("unit_id", "ascending")]
    )
    return {
        "sources": to_table(
            "sources",
            [
                {
                    "source_id": SOURCE_ID,
                    "title": SYNTHETIC,
                    "publisher": "cchc-dashboard benchmarks",
                    "published_on": date(2000, 1, 1),
                    "url": "https://example.invalid/synthetic",
                    "note": SYNTHETIC,
                }
            ],
        ),
        "editions": editions,
        "units": units,
        "unit_names": unit_names,
        "unit_lineage": to_table("unit_lineage", []),
        "components": components,
        "scores": pa.concat_tables(score_parts).combine_chunks(),
        "results": results,
        "methodology": pq.read_table(SHIPPED_DATA_DIR / "methodology.parquet").cast(SCHEMAS["methodology"]),
    }


def write_scale(scale_name: str, out_dir: Path | None = None) -> tuple[Path, dict]:
    """Write one synthetic scale (national or tiny) as a data directory; return it and its manifest."""
    out_dir = Path(out_dir or OUT / scale_name)
    if out_dir.resolve().is_relative_to(SHIPPED_DATA_DIR.resolve()):
        raise ValueError("synthetic data is never written under data/")
    manifest = write_tables(national_tables(SCALES[scale_name]), out_dir)
    return out_dir, manifest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", choices=sorted(SCALES), default="national")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    out, manifest = write_scale(args.scale, args.out)
    print(
        json.dumps(
            {
                "dir": str(out),
                "seconds": round(time.perf_counter() - t0, 1),
                "rows": {k: v["rows"] for k, v in manifest["tables"].items()},
            },
            indent=1,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
