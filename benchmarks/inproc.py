"""In-process measurements on one data directory (run in its own process by benchmarks.run):
warm rerun time of every page (AppTest), the AppTest floor, element payload bytes, the pandas baseline,
and uncached query times. Prints one JSON document on stdout.

    python -m benchmarks.inproc --data DIR [--reruns 20] [--pages rankings,map]
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from .params import PAGE_FILES, PAGES, page_params

ROOT = Path(__file__).resolve().parent.parent


def quiet_streamlit() -> None:
    for name in (
        "streamlit",
        "streamlit.runtime.scriptrunner_utils.script_run_context",
        "streamlit.runtime.caching.cache_data_api",
        "streamlit.runtime.caching.cache_resource_api",
    ):
        logging.getLogger(name).setLevel(logging.ERROR)


def stats(samples: list[float]) -> dict:
    a = np.asarray(samples, dtype=float) * 1000.0
    return {
        "n": int(a.size),
        "p50_ms": float(np.percentile(a, 50)),
        "p95_ms": float(np.percentile(a, 95)),
        "min_ms": float(a.min()),
        "max_ms": float(a.max()),
    }


def _walk(node) -> list[tuple[str, int]]:
    out = []
    proto = getattr(node, "proto", None)
    if proto is not None and hasattr(proto, "ByteSize"):
        out.append((str(getattr(node, "type", type(node).__name__)), proto.ByteSize()))
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            out.extend(_walk(child))
    return out


def payload(at) -> dict:
    """Bytes of the element protos the page sends (what a browser receives per rerun, before compression)."""
    parts = _walk(at._tree)
    charts = [size for kind, size in parts if kind == "vega_lite_chart"]
    frames = [size for kind, size in parts if kind in ("dataframe", "arrow_data_frame", "table")]
    return {
        "elements": len(parts),
        "total_bytes": sum(s for _, s in parts),
        "charts": len(charts),
        "chart_bytes_max": max(charts, default=0),
        "chart_bytes_total": sum(charts),
        "dataframe_bytes_total": sum(frames),
    }


def share_script_cache() -> None:
    """AppTest builds a new ScriptCache on every run, so it re-reads, re-parses (magic) and recompiles app.py
    and the page each rerun; a real server keeps one ScriptCache per runtime. Share one, as the server does,
    so the figures are the app's, not the harness's (the compile cost is reported separately)."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    shared = ScriptCache()
    app_test.ScriptCache = lambda: shared
    local_script_runner.ScriptCache = lambda: shared


def compile_cost(page: str, reruns: int = 10) -> dict:
    """What AppTest would add per rerun without share_script_cache(): read + magic + compile app.py and the page."""
    from streamlit.runtime.scriptrunner.magic import add_magic

    sources = [(ROOT / "app.py").read_text(encoding="utf-8"), (ROOT / PAGE_FILES[page]).read_text(encoding="utf-8")]
    samples = []
    for _ in range(reruns):
        t0 = time.perf_counter()
        for src in sources:
            compile(add_magic(src, "x.py"), "x.py", "exec")
        samples.append(time.perf_counter() - t0)
    return stats(samples)


def measure_page(page: str, params: dict, reruns: int, timeout: float) -> dict:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    if page != "overview":
        at.switch_page(PAGE_FILES[page])
    for key, value in params.items():
        at.query_params[key] = value
    t0 = time.perf_counter()
    at.run()
    first = time.perf_counter() - t0
    errors = [str(e.value)[:300] for e in at.exception] + [str(e.value)[:300] for e in at.error]
    warm = []
    for _ in range(reruns):
        gc.collect()
        t0 = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - t0)
        errors += [str(e.value)[:300] for e in at.exception]
    title = [el.value for el in at.title]
    return {
        "page": page,
        "params": params,
        "first_run_ms": first * 1000,
        "warm": stats(warm),
        "errors": errors,
        "title": title[0] if title else None,
        "payload": payload(at),
    }


def apptest_floor(reruns: int) -> dict:
    """The same harness running a one-line script: the part of every figure that is AppTest, not the app."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_string("import streamlit as st\nst.title('floor')\n", default_timeout=30)
    at.run()
    samples = []
    for _ in range(reruns):
        t0 = time.perf_counter()
        at.run()
        samples.append(time.perf_counter() - t0)
    return stats(samples)


def profile_page(page: str, params: dict, reruns: int = 5, top: int = 25) -> str:
    """cProfile of warm reruns of one page, taken inside AppTest's script thread (cause-finding for a missed
    target). Returns the top functions by cumulative time."""
    import cProfile
    import io
    import pstats
    import threading

    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    if page != "overview":
        at.switch_page(PAGE_FILES[page])
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    prof = cProfile.Profile()

    def start_in_thread(frame, event, arg):  # first event of each new (script) thread: hand over to cProfile
        threading.setprofile(None)
        sys.setprofile(None)
        prof.enable()

    for _ in range(reruns):
        threading.setprofile(start_in_thread)
        at.run()
    threading.setprofile(None)
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(top)
    text = buf.getvalue()
    return text[text.find("ncalls") :] if "ncalls" in text else text


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--reruns", type=int, default=20)
    ap.add_argument("--pages", default=",".join(PAGES))
    ap.add_argument("--baseline-reruns", type=int, default=10)
    ap.add_argument("--map-payloads", action="store_true", help="also call cchc_data.ui.map_payloads.map_payloads()")
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--profile", metavar="PAGE", help="print a cProfile of warm reruns of PAGE and stop")
    ap.add_argument("--top", type=int, default=40)
    args = ap.parse_args(argv)

    os.environ["CCHC_DATA_DIR"] = str(args.data.resolve())
    os.environ.setdefault("CCHC_STORE_DIR", tempfile.mkdtemp(prefix="cchc-bench-store-"))
    quiet_streamlit()
    share_script_cache()
    import psutil

    params = page_params(args.data)
    if args.profile:
        logging.disable(logging.WARNING)
        print(profile_page(args.profile, params[args.profile], reruns=args.reruns, top=args.top))
        return 0
    out: dict = {"data": str(args.data), "reruns": args.reruns, "pages": []}
    t0 = time.perf_counter()
    for page in [p for p in args.pages.split(",") if p]:
        out["pages"].append(measure_page(page, params[page], args.reruns, args.timeout))
        print(f"  {page}: p95 {out['pages'][-1]['warm']['p95_ms']:.1f} ms", file=sys.stderr, flush=True)
    out["pages_seconds"] = time.perf_counter() - t0
    out["apptest_floor"] = apptest_floor(args.reruns)
    out["compile_cost_rankings"] = compile_cost("rankings")

    from . import pandas_baseline

    out["baseline"] = pandas_baseline.compare(args.data, params, args.baseline_reruns)
    if args.map_payloads:
        try:
            from cchc_data.ui.map_payloads import map_payloads

            out["map_payloads"] = map_payloads("vi")
        except Exception as exc:  # reported, not hidden
            out["map_payloads"] = {"error": repr(exc)}
    out["rss_peak_mb"] = psutil.Process().memory_info().rss / 1e6
    try:
        import resource

        out["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
    except Exception:
        pass
    print(json.dumps(out, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
