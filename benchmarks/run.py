"""The one benchmark command (issue #8). Prints every figure of docs/performance.md, measured in one run.

    python -m benchmarks.run                       # shipped + national scale, 10/25/50/100 sessions (several minutes)
    python -m benchmarks.run --scale tiny --sessions 2 --reruns 3 --no-browser-sessions --replicas 2   # CI smoke

Each scale runs in its own process (fresh caches, its own RSS): warm reruns of every page (AppTest, >= 20 reruns,
ScriptCache shared as on a server), the pandas baseline, then a real `streamlit run` on that data for the
cold start (Playwright + Chromium), concurrency (Streamlit websocket clients, plus one round of real browser
contexts) and the server's peak RSS; then the same websocket rounds against one replica per core behind nginx
(benchmarks/replicas.py, the deployment of docs/deploy.md). The national data is SYNTHETIC (benchmarks/generate.py), written to
benchmarks/out/ and never shipped. Timings are read from this output; the smoke test checks none of them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from .generate import OUT, write_scale
from .params import FLOOR, PAGES, PROBE, PROBE_ELEMENTS, page_params

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {
    "warm_p95_ms": {"shipped": 100.0, "national": 300.0, "tiny": None},
    "pandas_ratio": 10.0,
    "cold_start_s": 3.0,
    "map_payload_bytes": 1.5e6,
    "sessions50_p95_ms": 2000.0,
    "rss_mb": 1000.0,
    "floor_ratio": 2.0,
}
TARGETED_ROUNDS = (50, 100)  # p95 <= 2 s, 0 errors, server RSS <= 1 GB


def data_dir_for(scale: str, regenerate: bool, out: Path) -> Path:
    if scale == "shipped":
        return ROOT / "data"
    target = out / scale
    if regenerate or not (target / "manifest.json").exists():
        print(f"[generate] {scale} -> {target}", file=sys.stderr, flush=True)
        write_scale(scale, target)
    return target


def run_inproc(data_dir: Path, reruns: int, baseline_reruns: int, map_payloads: bool, pages: str) -> dict:
    cmd = [
        sys.executable,
        "-m",
        "benchmarks.inproc",
        "--data",
        str(data_dir),
        "--reruns",
        str(reruns),
        "--baseline-reruns",
        str(baseline_reruns),
        "--pages",
        pages,
    ] + (["--map-payloads"] if map_payloads else [])
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    if proc.returncode != 0:
        raise RuntimeError(f"benchmarks.inproc failed:\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def mark(value, target, higher_is_better: bool = False) -> str:
    if value is None or target is None:
        return ""
    ok = value >= target if higher_is_better else value <= target
    return "ok" if ok else "MISSED"


def fmt(v, digits: int = 0) -> str:
    if v is None:
        return "–"
    return f"{v:,.{digits}f}"


def element_cost_lines(pages: dict[str, dict], floor: dict, probe: dict | None) -> str:
    """Why a page costs what it does against the floor: the elements (deltas) each new session receives, and what
    one more element costs (the floor page drawing PROBE_ELEMENTS one-line Markdown elements, the cheapest kind)."""
    lines = [
        "  elements per new session (deltas sent: elements and layout blocks): "
        + ", ".join(f"{k} {v.get('elements', 0)}" for k, v in pages.items())
        + f"; floor {floor.get('elements', 0)}"
    ]
    added = probe.get("elements", 0) - floor.get("elements", 0) if probe else 0
    if added < PROBE_ELEMENTS // 2:  # no probe, or it did not draw its elements: no price to print
        return "\n".join(lines)
    each = (probe["cpu_ms"] - floor["cpu_ms"]) / added
    lines.append(
        f"  one more element (the floor drawing {added} one-line Markdown elements: {fmt(probe['cpu_ms'], 1)} ms): "
        f"{fmt(each, 3)} ms each; at that price a page reaches 2x the floor with ~{fmt(floor['cpu_ms'] / each if each > 0 else None)} elements"
    )
    lines.append(
        "  floor + its elements at that price, against the measured cost (the rest: widgets, tables and charts cost more than Markdown): "
        + ", ".join(
            f"{k} {fmt(floor['cpu_ms'] + max(v.get('elements', 0) - floor.get('elements', 0), 0) * each, 1)}"
            f" / {fmt(v['cpu_ms'], 1)} ms"
            for k, v in pages.items()
        )
    )
    return "\n".join(lines)


def session_row(s: dict) -> list[str]:
    """One session round: p50/p95/max, errors, RSS, and the target mark for the targeted rounds (50 and 100)."""
    tgt = ""
    if s["n"] in TARGETED_ROUNDS:
        ok = (
            (s["p95_ms"] or 1e9) <= TARGETS["sessions50_p95_ms"]
            and s["errors"] == 0
            and s["rss_peak_mb"] <= TARGETS["rss_mb"]
        )
        tgt = "ok" if ok else "MISSED"
    row = (
        f"{s['client'] + ' x ' + str(s['n']):<22} {fmt(s['p50_ms']):>9} {fmt(s['p95_ms']):>9} {fmt(s['max_ms']):>9} "
        f"{s['errors']:>7} {fmt(s['rss_peak_mb']):>14}  {tgt}"
    )
    return [row, *(f"    error: {e}" for e in s["error_samples"])]


def report(results: dict) -> str:
    lines = []
    add = lines.append
    add(f"# Benchmark run {results['started']} on {results['machine']}")
    add(f"command: {results['command']}")
    for scale, r in results["scales"].items():
        ip = r["inproc"]
        target = TARGETS["warm_p95_ms"].get(scale)
        add("")
        add(f"## scale: {scale}  (data: {r['data_dir']}; rows: {r['rows']})")
        add(f"warm rerun, in process (AppTest, {ip['reruns']} warm reruns per page; target p95 <= {fmt(target)} ms)")
        add(
            f"{'page':<12} {'first run ms':>12} {'p50 ms':>9} {'p95 ms':>9} {'payload KB':>11} {'largest chart KB':>17}  errors  target"
        )
        for p in ip["pages"]:
            add(
                f"{p['page']:<12} {fmt(p['first_run_ms']):>12} {fmt(p['warm']['p50_ms'], 1):>9} {fmt(p['warm']['p95_ms'], 1):>9} "
                f"{fmt(p['payload']['total_bytes'] / 1024, 1):>11} {fmt(p['payload']['chart_bytes_max'] / 1024, 1):>17}  "
                f"{len(p['errors']):>6}  {mark(p['warm']['p95_ms'], target)}"
            )
            for e in p["errors"][:2]:
                add(f"    error: {e}")
        fl = ip["apptest_floor"]
        add(
            f"AppTest floor (one-line script): p50 {fmt(fl['p50_ms'], 1)} ms, p95 {fmt(fl['p95_ms'], 1)} ms; "
            f"per-rerun recompile that the harness avoids by sharing the ScriptCache (app.py + rankings): "
            f"p50 {fmt(ip['compile_cost_rankings']['p50_ms'], 1)} ms"
        )
        b = ip["baseline"]
        warm = {p["page"]: p["warm"]["p50_ms"] for p in ip["pages"]}
        ours = (warm.get("rankings") or 0) + (warm.get("components") or 0)
        ratio = b["pandas_full_read"]["p50_ms"] / ours if ours else None
        add(
            f"pandas baseline ({b['edition']}, {b['units']} units, {b['matrix_cells']} matrix cells; same result: "
            f"{b['same_result']})"
        )
        add(f"  pandas, whole files each rerun      p50 {fmt(b['pandas_full_read']['p50_ms'], 1)} ms")
        add(f"  pandas, row groups pushed down      p50 {fmt(b['pandas_pushdown']['p50_ms'], 1)} ms")
        add(f"  ours, query functions uncached      p50 {fmt(b['ours_uncached_queries']['p50_ms'], 1)} ms")
        cached = b.get("ours_cached_queries", {}).get("p50_ms")
        add(
            f"  ours, the same query functions from their caches p50 {fmt(cached, 2)} ms (the data layer of a warm rerun)"
        )
        add(f"  ours, warm rerun /rankings + /components p50 {fmt(ours, 1)} ms (whole pages: data + drawing)")
        add(
            f"  ratio pandas(whole files) / our warm reruns = {fmt(ratio, 2)}x  (target >= 10x) {mark(ratio, TARGETS['pandas_ratio'], True)}"
        )
        if cached:
            add(
                f"  ratio pandas(whole files) / our cached query functions = {fmt(b['pandas_full_read']['p50_ms'] / cached, 0)}x "
                f"(the data layer alone; not the target's measure)"
            )
        r["pandas_ratio"] = ratio
        if "map_payloads" in ip:
            add("map payload (Vega-Lite spec bytes, cchc_data.ui.map_payloads.map_payloads(); target <= 1.5 MB)")
            for name, size in ip["map_payloads"].items():
                add(
                    f"  {name:<28} {fmt(size / 1024, 1) if isinstance(size, (int, float)) else size:>9} KB  "
                    f"{mark(size, TARGETS['map_payload_bytes']) if isinstance(size, (int, float)) else ''}"
                )
        mp = next((p for p in ip["pages"] if p["page"] == "map"), None)
        if mp:
            add(
                f"  /map page as seeded here: largest chart {fmt(mp['payload']['chart_bytes_max'] / 1024, 1)} KB, "
                f"all elements {fmt(mp['payload']['total_bytes'] / 1024, 1)} KB  {mark(mp['payload']['total_bytes'], TARGETS['map_payload_bytes'])}"
            )
        add(f"in-process RSS (AppTest worker, end): {fmt(ip['rss_peak_mb'])} MB; max RSS {fmt(ip.get('maxrss_mb'))} MB")
        br = r.get("browser")
        if br:
            cs = br["cold_start"]
            add(
                f"cold start, real browser (/ {'ok' if not cs['error'] else cs['error']}): healthy after {fmt(cs['healthy_s'], 2)} s; "
                f"first page ready {fmt(cs['from_process_start_s'], 2)} s from process start, "
                f"{fmt(cs['from_navigation_s'], 2)} s from navigation  {mark(cs['from_process_start_s'], TARGETS['cold_start_s'])}"
            )
            cw = br.get("cold_start_server")
            if cw:
                add(
                    f"cold start, server only (websocket client, no browser): healthy {fmt(cw['healthy_s'], 2)} s; first page "
                    f"script done {fmt(cw['from_process_start_s'], 2)} s from process start ({fmt(cw['first_page_s'], 2)} s after "
                    f"the request){' [' + cw['error'] + ']' if cw['error'] else ''}"
                )
            add(
                "first visit of each page in the browser (caches filling): "
                + ", ".join(
                    f"{k} {fmt(v['seconds'], 2)} s" + (f" [{v['error']}]" if v["error"] else "")
                    for k, v in br["first_visit"].items()
                )
            )
            pp = br.get("per_page")
            if pp:
                add(
                    "server CPU per new session (10 new sessions of one page at once, warm caches; psutil user+system / 10; "
                    "median of 5 rounds, each visiting every page in turn):"
                )
                floor = pp.get(FLOOR)
                pages_pp = {k: v for k, v in pp.items() if k not in (FLOOR, PROBE)}
                add(
                    "  "
                    + ", ".join(
                        f"{k} {fmt(v['cpu_ms'], 1)} ms / {fmt(v['kb'])} KB"
                        + (f" [{v['errors']} errors]" if v["errors"] else "")
                        for k, v in pages_pp.items()
                    )
                )
                if floor and floor["cpu_ms"]:
                    add(
                        f"  floor (app.py router + language switch + sidebar, nothing drawn): {fmt(floor['cpu_ms'], 1)} ms / "
                        f"{fmt(floor['kb'])} KB; each page as a ratio to it (target <= {TARGETS['floor_ratio']:g}x):"
                    )
                    add(
                        "  "
                        + ", ".join(
                            f"{k} {v['cpu_ms'] / floor['cpu_ms']:.2f}x {mark(v['cpu_ms'] / floor['cpu_ms'], TARGETS['floor_ratio'])}"
                            for k, v in pages_pp.items()
                        )
                    )
                    add(element_cost_lines(pages_pp, floor, pp.get(PROBE)))
                mean = sum(v["cpu_ms"] for v in pages_pp.values()) / len(pages_pp)
                add(
                    f"  mean {fmt(mean, 1)} ms -> 50 new sessions (pages in rotation) ~ {fmt(mean * 50 / 1000, 2)} s of one core"
                )
            add(
                f"{'sessions':<22} {'p50 ms':>9} {'p95 ms':>9} {'max ms':>9} {'errors':>7} {'server RSS MB':>14}  target"
            )
            for s in br["sessions"]:
                lines.extend(session_row(s))
                if s.get("cpu_s"):
                    add(
                        f"    CPU during this round: server {fmt(s['cpu_s']['server'], 2)} s, Chromium {fmt(s['cpu_s']['chromium'], 2)} s "
                        f"(wall {fmt(s['wall_s'], 2)} s on {os.cpu_count()} cores): the browsers' own rendering, not the server"
                    )
            rep = br.get("replicas")
            if rep:
                add(
                    f"the same websocket rounds against {rep['n']} replicas behind nginx (the deployment of docs/deploy.md; "
                    f"RSS = all replicas + nginx; healthy after {fmt(rep['healthy_s'], 2)} s):"
                )
                for s in rep["sessions"]:
                    lines.extend(session_row(s))
            add(
                f"server peak RSS over the whole run: {fmt(br['server_rss_peak_overall_mb'])} MB  "
                f"{mark(br['server_rss_peak_overall_mb'], TARGETS['rss_mb'])}"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="cchc-dashboard performance benchmark (issue #8)")
    ap.add_argument("--scale", default="shipped,national", help="comma list of shipped, national, tiny")
    ap.add_argument("--sessions", default="10,25,50,100", help="concurrent sessions (websocket clients), comma list")
    ap.add_argument("--browser-sessions", type=int, default=10, help="one extra round with real browser contexts")
    ap.add_argument("--no-browser-sessions", action="store_const", const=0, dest="browser_sessions")
    ap.add_argument("--no-browser", action="store_true", help="skip the real-server part (cold start, sessions)")
    ap.add_argument(
        "--replicas",
        type=int,
        default=os.cpu_count() or 1,
        help="also run the session rounds against this many replicas behind nginx (0 or 1: skip)",
    )
    ap.add_argument("--reruns", type=int, default=20)
    ap.add_argument("--baseline-reruns", type=int, default=10)
    ap.add_argument("--pages", default=",".join(PAGES))
    ap.add_argument("--out", type=Path, default=OUT, help="where synthetic data and results go (git-ignored)")
    ap.add_argument("--regenerate", action="store_true")
    ap.add_argument("--json", type=Path, default=None, help="also write all figures as JSON here")
    ap.add_argument(
        "--import-rounds",
        type=int,
        default=3,
        help="importer memory rounds per file (benchmarks/import_memory.py; with the shipped scale)",
    )
    ap.add_argument("--import-race-tries", type=int, default=100, help="staggered import pairs (0: skip)")
    args = ap.parse_args(argv)

    scales = [s for s in args.scale.split(",") if s]
    sessions = [int(n) for n in args.sessions.split(",") if n]
    results = {
        "started": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "command": "python -m benchmarks.run " + " ".join(argv if argv is not None else sys.argv[1:]),
        "scales": {},
    }
    for scale in scales:
        t0 = time.perf_counter()
        data_dir = data_dir_for(scale, args.regenerate, args.out)
        rows = json.loads((data_dir / "manifest.json").read_text())["tables"]
        print(f"[{scale}] in-process reruns ...", file=sys.stderr, flush=True)
        entry = {
            "data_dir": str(data_dir),
            "rows": {k: rows[k]["rows"] for k in ("units", "scores", "results")},
            "inproc": run_inproc(data_dir, args.reruns, args.baseline_reruns, scale == "shipped", args.pages),
        }
        if not args.no_browser:
            from .browser import measure

            print(f"[{scale}] real server and browser ...", file=sys.stderr, flush=True)
            entry["browser"] = measure(
                data_dir,
                page_params(data_dir),
                sessions,
                browser_sessions=args.browser_sessions,
                pages=tuple(p for p in args.pages.split(",") if p),
                replicas=args.replicas,
            )
        entry["seconds"] = time.perf_counter() - t0
        results["scales"][scale] = entry
    text = report(results)
    if "shipped" in scales and (args.import_rounds or args.import_race_tries):  # issue 17: importer rounds
        from . import import_memory

        print("[import] memory rounds and staggered imports ...", file=sys.stderr, flush=True)
        imp = import_memory.run(args.import_rounds, args.import_race_tries)
        results["import"] = {k: v for k, v in imp.items() if k != "text"}
        text += "\n" + imp["text"]
    print(text)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
