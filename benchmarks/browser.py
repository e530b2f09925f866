"""Real-browser measurements: cold start, concurrent sessions and server RSS.

A real `streamlit run app.py` on a free port (pointed at the data directory by CCHC_DATA_DIR), driven by
Playwright and Debian's Chromium (--no-sandbox --disable-gpu). A page is *ready* when the app is connected,
the script state is notRunning and the page title (h1) is rendered in the main area.
"""

from __future__ import annotations

import asyncio
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import psutil

from ._common import CHROMIUM, LAUNCH_ARGS, free_port, server_env, start_streamlit, wait_ok
from .params import FLOOR, PAGES, PROBE, URL_PATHS, query_string

READY_JS = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  if (!app || app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
  if (app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  return !!document.querySelector("[data-testid='stMain'] h1");
}"""
ERROR_JS = (
    """() => document.querySelectorAll("[data-testid='stException'], [data-testid='stAlertContentError']").length"""
)


class RssSampler:
    """Samples the servers' RSS (each with its children, summed) every `interval` seconds; keeps the peak and the last value."""

    def __init__(self, pid: int | list[int], interval: float = 0.05):
        self.procs = [psutil.Process(p) for p in ([pid] if isinstance(pid, int) else pid)]
        self.interval = interval
        self.peak = 0
        self.overall = 0  # never reset: the peak over the server's whole life
        self.last = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def rss(self) -> int:
        total = 0
        procs = []
        for proc in self.procs:
            try:
                procs += [proc] + proc.children(recursive=True)
            except psutil.Error:
                pass
        for p in procs:
            try:
                total += p.memory_info().rss
            except psutil.Error:
                pass
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.last = self.rss()
            self.peak = max(self.peak, self.last)
            self.overall = max(self.overall, self.last)
            time.sleep(self.interval)

    def reset_peak(self) -> None:
        """Start a new peak for the next round (the overall peak is kept)."""
        self.peak = self.rss()
        self.overall = max(self.overall, self.peak)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)


class Server:
    def __init__(self, data_dir: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.store = tempfile.mkdtemp(prefix="cchc-bench-store-")
        env = server_env(data_dir, self.store, self.base, CCHC_BENCH_FLOOR="1")
        self.t_start = time.perf_counter()
        self.proc = start_streamlit(self.port, env)
        self.rss = RssSampler(self.proc.pid)

    def wait_healthy(self, timeout: float = 120) -> float:
        wait_ok(
            f"{self.base}/_stcore/health",
            self.proc,
            time.perf_counter() + timeout,
            0.02,
            lambda: f"streamlit exited: {self.proc.stderr.read().decode(errors='replace')[-2000:]}",
            "streamlit did not become healthy",
        )
        return time.perf_counter() - self.t_start

    def stop(self) -> None:
        self.rss.stop()
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def _url(base: str, page: str, params: dict) -> str:
    return f"{base}/{URL_PATHS[page]}{query_string(params)}"


async def _open(context, url: str, timeout_ms: float) -> dict:
    page = await context.new_page()
    t0 = time.perf_counter()
    try:
        await page.goto(url, wait_until="commit", timeout=timeout_ms)
        await page.wait_for_function(READY_JS, timeout=timeout_ms, polling=20)
        elapsed = time.perf_counter() - t0
        errors = await page.evaluate(ERROR_JS)
        return {"url": url, "seconds": elapsed, "error": f"{errors} error element(s)" if errors else None}
    except Exception as exc:  # a timeout or a crash is an error, counted and reported
        return {"url": url, "seconds": time.perf_counter() - t0, "error": type(exc).__name__ + ": " + str(exc)[:200]}
    finally:
        await page.close()


async def ws_session(base: str, page: str, params: dict, timeout_s: float) -> dict:
    """One new session through Streamlit's own websocket protocol (what the browser's JS does): connect to
    /_stcore/stream, send rerun_script with the page and query string, read ForwardMsgs until the script
    finishes successfully. Measures the server alone (no browser CPU on this shared 2-core machine)."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    qs = query_string(params).lstrip("?")
    t0 = time.perf_counter()
    received = deltas = 0
    try:
        async with asyncio.timeout(timeout_s):
            async with websockets.connect(
                base.replace("http", "ws", 1) + "/_stcore/stream",
                subprotocols=["streamlit"],
                max_size=None,
                open_timeout=timeout_s,
            ) as ws:
                msg = BackMsg()
                msg.rerun_script.query_string = qs
                msg.rerun_script.page_name = URL_PATHS[page]
                msg.rerun_script.context_info.url = f"{base}/{URL_PATHS[page]}?{qs}"
                await ws.send(msg.SerializeToString())
                exceptions = 0
                while True:
                    raw = await ws.recv()
                    received += len(raw)
                    fwd = ForwardMsg()
                    fwd.ParseFromString(raw)
                    kind = fwd.WhichOneof("type")
                    if kind == "delta":
                        deltas += 1
                        el = fwd.delta.new_element
                        if el.WhichOneof("type") == "exception":
                            exceptions += 1
                    if kind == "script_finished" and fwd.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                        ok = fwd.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY and deltas > 0 and not exceptions
                        return {
                            "page": page,
                            "seconds": time.perf_counter() - t0,
                            "bytes": received,
                            "deltas": deltas,
                            "error": None
                            if ok
                            else f"finished={fwd.script_finished} deltas={deltas} exceptions={exceptions}",
                        }
    except Exception as exc:
        return {
            "page": page,
            "seconds": time.perf_counter() - t0,
            "bytes": received,
            "error": type(exc).__name__ + ": " + str(exc)[:200],
        }


def _chromium_pids() -> list[int]:
    """Chromium's processes started by this benchmark (Playwright's driver is our child, Chromium its)."""
    out = []
    for child in psutil.Process().children(recursive=True):
        try:
            if "chrom" in child.name().lower():
                out.append(child.pid)
        except psutil.Error:
            pass
    return out


def _cpu_seconds(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            for proc in [psutil.Process(pid)] + psutil.Process(pid).children(recursive=True):
                t = proc.cpu_times()
                total += t.user + t.system
        except psutil.Error:
            pass
    return total


def _pct(values: list[float], q: float) -> float | None:
    return float(np.percentile(np.asarray(values) * 1000, q)) if values else None


def _summary(client: str, n: int, results: list[dict], wall: float, server: Server) -> dict:
    times = [r["seconds"] for r in results]
    errors = [r for r in results if r["error"]]
    return {
        "client": client,
        "n": n,
        "wall_s": wall,
        "p50_ms": _pct(times, 50),
        "p95_ms": _pct(times, 95),
        "max_ms": _pct(times, 100),
        "errors": len(errors),
        "error_samples": [f"{e.get('page') or e.get('url')}: {e['error']}" for e in errors[:3]],
        "rss_peak_mb": server.rss.peak / 1e6,
    }


async def _measure(
    data_dir: Path,
    params: dict[str, dict],
    sessions: list[int],
    timeout_s: float,
    browser_sessions: int = 0,
    pages: tuple[str, ...] = PAGES,
    replicas: int = 0,
) -> dict:
    from playwright.async_api import async_playwright

    out: dict = {"sessions": []}
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        # Server-side cold start (no browser): a fresh server, one websocket session on the first page.
        ws_server = Server(data_dir)
        try:
            ws_healthy = await asyncio.get_running_loop().run_in_executor(None, ws_server.wait_healthy)
            ws_first = await ws_session(ws_server.base, "overview", params["overview"], timeout_s)
            out["cold_start_server"] = {
                "healthy_s": ws_healthy,
                "first_page_s": ws_first["seconds"],
                "from_process_start_s": time.perf_counter() - ws_server.t_start,
                "error": ws_first["error"],
            }
        finally:
            ws_server.stop()
        server = Server(data_dir)  # the clock starts here, with the browser already up
        try:
            healthy = await asyncio.get_running_loop().run_in_executor(None, server.wait_healthy)
            ctx = await browser.new_context(viewport={"width": 1400, "height": 1000})
            t_nav = time.perf_counter()
            first = await _open(ctx, _url(server.base, "overview", params["overview"]), timeout_s * 1000)
            t_ready = time.perf_counter()
            out["cold_start"] = {
                "healthy_s": healthy,
                "from_process_start_s": t_ready - server.t_start,
                "from_navigation_s": t_ready - t_nav,
                "error": first["error"],
                "rss_mb": server.rss.rss() / 1e6,
            }
            # Every page once (first visitor: fills the caches), one after the other.
            first_visits = {}
            for page in pages:
                r = await _open(ctx, _url(server.base, page, params[page]), timeout_s * 1000)
                first_visits[page] = {"seconds": r["seconds"], "error": r["error"]}
            out["first_visit"] = first_visits
            await ctx.close()
            out["rss_after_first_visits_mb"] = server.rss.rss() / 1e6
            out["per_page"] = await _per_page_cost(server, params, (*pages, FLOOR, PROBE), timeout_s)
            for n in sessions:
                server.rss.reset_peak()
                order = [pages[i % len(pages)] for i in range(n)]
                t0 = time.perf_counter()
                results = await asyncio.gather(*[ws_session(server.base, p, params[p], timeout_s) for p in order])
                out["sessions"].append(_summary("websocket", n, results, time.perf_counter() - t0, server))
            if browser_sessions:
                n = browser_sessions
                contexts = [await browser.new_context(viewport={"width": 1400, "height": 1000}) for _ in range(n)]
                server.rss.reset_peak()
                urls = [_url(server.base, pages[i % len(pages)], params[pages[i % len(pages)]]) for i in range(n)]
                cpu0 = {"server": _cpu_seconds([server.proc.pid]), "chromium": _cpu_seconds(_chromium_pids())}
                t0 = time.perf_counter()
                results = await asyncio.gather(*[_open(c, u, timeout_s * 1000) for c, u in zip(contexts, urls)])
                summary = _summary("browser", n, results, time.perf_counter() - t0, server)
                # Where the time goes: the server's CPU and the browsers' own (10 renderers on the same 2 cores).
                summary["cpu_s"] = {
                    "server": _cpu_seconds([server.proc.pid]) - cpu0["server"],
                    "chromium": _cpu_seconds(_chromium_pids()) - cpu0["chromium"],
                }
                out["sessions"].append(summary)
                for c in contexts:
                    await c.close()
            out["server_rss_peak_mb"] = server.rss.peak / 1e6
            out["server_rss_end_mb"] = server.rss.rss() / 1e6
        finally:
            server.stop()
            out["server_rss_peak_overall_mb"] = server.rss.overall / 1e6
            await browser.close()
    if replicas > 1:
        out["replicas"] = await _measure_replicas(data_dir, params, sessions, timeout_s, pages, replicas)
    return out


async def _per_page_cost(
    server: Server, params: dict[str, dict], pages: tuple[str, ...], timeout_s: float, n: int = 10, rounds: int = 5
) -> dict:
    """What one new session of each page costs the server: n new sessions of that page at once, the server's CPU
    seconds (user + system) divided by n, and the bytes each session received. Each round visits every page in turn
    and the median over the rounds is kept (psutil counts CPU in 10 ms ticks, and a single round on this shared
    machine varied by +-50%). The sum over the pages, spread over 50 sessions, is what the 50-session round queues for
    under one interpreter lock."""
    proc = psutil.Process(server.proc.pid)
    samples: dict[str, list[float]] = {page: [] for page in pages}
    out: dict[str, dict] = {}
    for _ in range(rounds):
        for page in pages:
            t = proc.cpu_times()
            before = t.user + t.system
            results = await asyncio.gather(*[ws_session(server.base, page, params[page], timeout_s) for _ in range(n)])
            t = proc.cpu_times()
            samples[page].append((t.user + t.system - before) / n * 1000)
            entry = out.setdefault(page, {"kb": 0.0, "errors": 0})
            entry["kb"] = sum(r["bytes"] for r in results) / n / 1024
            entry["elements"] = max(r.get("deltas", 0) for r in results)  # deltas: elements and layout blocks sent
            entry["errors"] += sum(1 for r in results if r["error"])
    for page in pages:
        out[page]["cpu_ms"] = float(np.median(samples[page]))
        out[page]["cpu_ms_rounds"] = samples[page]
    return out


async def _measure_replicas(
    data_dir: Path,
    params: dict[str, dict],
    sessions: list[int],
    timeout_s: float,
    pages: tuple[str, ...],
    n_replicas: int,
) -> dict:
    """The same websocket rounds against n replicas behind nginx (benchmarks/replicas.py)."""
    from .replicas import ReplicaSet

    out: dict = {"n": n_replicas, "sessions": []}
    rs = ReplicaSet(data_dir, n_replicas)
    try:
        out["healthy_s"] = await asyncio.get_running_loop().run_in_executor(None, rs.wait_healthy)
        # Warm every replica's caches as the single server's were (first visits): nginx spreads new sessions by a
        # random key, so visit each page a few times per replica.
        for _ in range(2 * n_replicas):
            await asyncio.gather(*[ws_session(rs.base, p, params[p], timeout_s) for p in pages])
        out["rss_after_warmup_mb"] = rs.rss.rss() / 1e6
        for n in sessions:
            rs.rss.reset_peak()
            order = [pages[i % len(pages)] for i in range(n)]
            t0 = time.perf_counter()
            results = await asyncio.gather(*[ws_session(rs.base, p, params[p], timeout_s) for p in order])
            out["sessions"].append(_summary(f"{n_replicas} replicas", n, results, time.perf_counter() - t0, rs))
    finally:
        rs.stop()
        out["rss_peak_overall_mb"] = rs.rss.overall / 1e6
    return out


def measure(
    data_dir: Path,
    params: dict[str, dict],
    sessions: list[int],
    timeout_s: float = 120,
    browser_sessions: int = 0,
    pages: tuple[str, ...] = PAGES,
    replicas: int = 0,
) -> dict:
    return asyncio.run(_measure(data_dir, params, sessions, timeout_s, browser_sessions, pages, replicas))
