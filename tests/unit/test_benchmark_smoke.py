"""CI smoke version of the benchmark (issue #8): the generator and `python -m benchmarks.run` at tiny scale.

It checks that the benchmark runs and prints every figure; it checks no timing (timings are read from the
benchmark output, docs/performance.md)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from benchmarks.generate import SCALES, SYNTHETIC, write_scale
from cchc_data.parquet_io import parquet_views
from cchc_data.paths import SHIPPED_DATA_DIR
from cchc_data.queries.rankings import add_tie_bands

ROOT = Path(__file__).resolve().parents[2]


def test_generator_writes_the_schema_labelled_synthetic(tmp_path):
    out, manifest = write_scale("tiny", tmp_path / "tiny")
    s = SCALES["tiny"]
    rows = {k: v["rows"] for k, v in manifest["tables"].items()}
    n_prov = rows["units"] - s.communes
    assert n_prov == 63
    assert rows["scores"] == s.years * (s.communes + n_prov) * (s.criteria + s.dimensions)
    assert rows["results"] == s.years * (s.communes + n_prov)
    con = parquet_views(out)
    # Every edition and source says synthetic; commune names say so too.
    assert con.execute("SELECT DISTINCT scope FROM editions").fetchall() == [("synthetic",)]
    assert all(SYNTHETIC in r[0] for r in con.execute("SELECT method_note FROM editions").fetchall())
    assert con.execute("SELECT title FROM sources").fetchall() == [(SYNTHETIC,)]
    assert (
        con.execute(
            "SELECT count(*) FROM units WHERE kind = 'commune' AND name_en LIKE 'Synthetic commune %'"
        ).fetchone()[0]
        == s.communes
    )
    # The tree is dimensions -> criteria, and a dimension's score is the sum of its criteria.
    bad = con.execute("""
        SELECT count(*) FROM (
          SELECT s.edition_id, s.unit_id, c.parent_component_id AS dim, round(sum(s.score), 2) AS summed
          FROM scores s JOIN components c
            ON c.edition_id = s.edition_id AND c.component_id = s.component_id AND c.unit_group = 'communes'
          WHERE c.level = 'criterion' GROUP BY ALL) x
        JOIN scores t ON t.edition_id = x.edition_id AND t.unit_id = x.unit_id AND t.component_id = x.dim
        WHERE abs(t.score - x.summed) > 0.011""").fetchone()[0]
    assert bad == 0
    # Ranks are competition ranks of the totals.
    wrong = con.execute("""SELECT count(*) FROM (SELECT rank, rank() OVER (PARTITION BY edition_id, unit_group
                         ORDER BY total DESC) AS r FROM results) WHERE rank <> r""").fetchone()[0]
    assert wrong == 0


def test_generator_never_writes_under_data(tmp_path):
    with pytest.raises(ValueError):
        write_scale("tiny", SHIPPED_DATA_DIR / "bench")
    assert not (SHIPPED_DATA_DIR / "bench").exists()


def _reference_tie_bands(df: pd.DataFrame, precision: float = 0.01) -> pd.DataFrame:
    """The original row-by-row definition (before it was vectorised for 10,000 communes)."""
    df = df.copy()
    band = pd.Series(pd.NA, index=df.index, dtype="Int64")
    current, last = 0, None
    for idx, total in df[df.total.notna()].sort_values("total", ascending=False).total.items():
        if last is not None and abs(last - total) >= precision - 1e-9:
            current += 1
        band[idx] = current
        last = total
    by_rank = df.dropna(subset=["rank", "total"]).drop_duplicates("rank").set_index("rank")["total"]
    points = {}
    for idx, row in df.iterrows():
        if pd.notna(row["rank"]) and pd.notna(row.total):
            above = by_rank[by_rank.index < row["rank"]]
            if len(above) and above.loc[above.index.max()] > row.total + 1e-9:
                points[idx] = float(above.loc[above.index.max()] - row.total)
    df["tie_band"] = band
    df["points_to_next"] = pd.Series(points, dtype="float64").reindex(df.index)
    return df


@pytest.mark.parametrize("seed", range(40))
def test_vectorised_tie_bands_match_the_row_by_row_definition(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 30))
    total = np.round(rng.choice([60.0, 50.0, 50.004, 49.99, 49.5, 47.3], n) + rng.choice([0, 0, 0.003, 0.02], n), 3)
    total = np.where(rng.random(n) < 0.15, np.nan, total)
    rank = pd.Series(total).rank(method="min", ascending=False).astype("Int64")
    if seed % 3 == 0:
        rank = rank.where(rng.random(n) > 0.2)  # some ranks not published
    if seed % 5 == 0:
        rank = pd.Series(rng.integers(1, n + 1, n)).astype("Int64")  # printed ranks that disagree with totals
    df = pd.DataFrame({"total": total, "rank": rank, "total_change": rng.normal(0, 0.02, n)})
    got, want = add_tie_bands(df), _reference_tie_bands(df)
    pd.testing.assert_series_equal(got.tie_band, want.tie_band)
    pd.testing.assert_series_equal(got.points_to_next, want.points_to_next)


def test_benchmark_command_runs_and_prints_every_figure(tmp_path):
    if not Path("/usr/bin/chromium").exists():
        pytest.fail("Chromium not found at /usr/bin/chromium: run `make browser`")
    pages = ["overview", "rankings", "map", "components"]
    cmd = [
        sys.executable,
        "-m",
        "benchmarks.run",
        "--scale",
        "tiny",
        "--sessions",
        "2",
        "--reruns",
        "2",
        "--baseline-reruns",
        "1",
        "--no-browser-sessions",
        "--replicas",
        "2",
        "--pages",
        ",".join(pages),
        "--out",
        str(tmp_path),
    ]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    text = proc.stdout
    for page in pages:  # a row per page: first run, p50, p95, payload, largest chart, errors (0)
        row = re.search(rf"^{page}\s+([\d,]+)\s+([\d.,]+)\s+([\d.,]+)\s+([\d.,]+)\s+([\d.,]+)\s+(\d+)", text, re.M)
        assert row, f"no warm-rerun row for {page}:\n{text}"
        assert row.group(6) == "0", f"{page} raised errors:\n{text}"
    for figure in (
        "AppTest floor",
        "pandas, whole files each rerun",
        "ours, query functions uncached",
        "ratio pandas(whole files) / our warm reruns",
        "ours, the same query functions from their caches",
        "ratio pandas(whole files) / our cached query functions",
        "/map page as seeded here",
        "cold start, real browser (/ ok)",
        "cold start, server only",
        "first visit of each page",
        "server peak RSS over the whole run",
        "server CPU per new session",
    ):
        assert figure in text, f"missing {figure!r}:\n{text}"
    assert "same result: {'ranking_order': True, 'matrix': True}" in text
    # The floor page answered (no errors) and every page is printed as a ratio to it.
    floor = re.search(r"floor \(app.py router \+ language switch \+ sidebar, nothing drawn\): ([\d.,]+) ms", text)
    assert floor and float(floor.group(1).replace(",", "")) > 0, text
    assert "[" not in text.split("floor (app.py router")[1].split("\n")[0], text  # no "[n errors]" on the floor
    for page in pages:
        assert re.search(rf"\b{page} \d+\.\d\dx", text), f"no floor ratio for {page}:\n{text}"
    # Why: the elements each page sends, and what one more element costs (the floor drawing 60 Markdown elements).
    counts = re.search(r"elements per new session \(deltas sent[^)]*\): (.*); floor (\d+)$", text, re.M)
    assert counts, text
    drawn = dict(re.findall(r"(\w+) (\d+)", counts.group(1)))
    assert set(drawn) == set(pages) and all(int(drawn[p]) > int(counts.group(2)) for p in pages), counts.group(0)
    assert re.search(
        r"one more element \(the floor drawing 60 one-line Markdown elements: [\d.,]+ ms\): -?[\d.]+ ms each", text
    ), text
    for page in pages:
        assert re.search(rf"\b{page} [\d.,]+ / [\d.,]+ ms", text), f"no element-cost line for {page}:\n{text}"
    sessions = re.search(r"^websocket x 2\s+([\d,]+)\s+([\d,]+)\s+([\d,]+)\s+(\d+)\s+([\d,]+)", text, re.M)
    assert sessions and sessions.group(4) == "0", text
    # The same round against two replicas behind nginx (the documented deployment).
    assert "the same websocket rounds against 2 replicas behind nginx" in text, text
    replicated = re.search(r"^2 replicas x 2\s+([\d,]+)\s+([\d,]+)\s+([\d,]+)\s+(\d+)\s+([\d,]+)", text, re.M)
    assert replicated and replicated.group(4) == "0", text
    # The synthetic data went to the directory given, never under data/.
    assert (tmp_path / "tiny" / "manifest.json").exists()
