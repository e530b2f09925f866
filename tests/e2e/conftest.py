"""Real-browser tests: a real `streamlit run` on a free port, driven by Playwright + Debian Chromium."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from benchmarks._common import CHROMIUM, LAUNCH_ARGS, free_port, start_streamlit, wait_healthy

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"

pytestmark = pytest.mark.e2e


def start_server(env_extra: dict | None = None) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "CCHC_PUBLIC_URL": f"http://127.0.0.1:{port}", **(env_extra or {})}
    env.setdefault("CCHC_STORE_DIR", str(ROOT / "test-artifacts" / "no-store"))
    proc = start_streamlit(port, env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, proc)
    except Exception:
        proc.kill()
        raise
    return proc, base


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def server():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make browser` (apt package chromium)")
    proc, base = start_server()
    yield base
    stop_server(proc)


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {
        "executable_path": CHROMIUM,
        "headless": True,
        "args": LAUNCH_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args():
    return {"viewport": {"width": 1400, "height": 1000}, "accept_downloads": True, "locale": "vi-VN"}


def wait_ready(page, timeout: float = 30_000) -> None:
    """Connected to the server and the script has finished running."""
    page.wait_for_selector("[data-testid='stApp'][data-test-connection-state='CONNECTED']", timeout=timeout)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout)
    page.wait_for_timeout(300)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout)
    # elements of the last run that this run has not redrawn yet are marked stale until it ends
    page.wait_for_function("!document.querySelector(\"[data-stale='true']\")", timeout=timeout)


MAIN_STEADY_JS = """() => {
    const app = document.querySelector("[data-testid='stApp']"), main = document.querySelector("[data-testid='stMain']");
    const idle = app && app.getAttribute("data-test-script-state") === "notRunning"
        && !document.querySelector("[data-stale='true']");
    const now = main ? main.innerText.length + ":" + main.querySelectorAll("*").length : "";
    window.__mainSteady = idle && window.__mainNow === now ? (window.__mainSteady || 0) + 1 : 0;
    window.__mainNow = now;
    return window.__mainSteady >= 6;
}"""


def open_view(page, base: str, path: str) -> None:
    """Open a view and wait until its first run has drawn it. A new session runs the script twice (the frontend's
    page info reruns it), and on a busy machine the pause between the runs can outlast wait_ready's second look:
    so also wait until the main area, idle, holds the same text and elements for 300 ms."""
    page.goto(f"{base}{path}")
    wait_ready(page)
    page.evaluate("() => { window.__mainSteady = 0; window.__mainNow = null; }")
    page.wait_for_function(MAIN_STEADY_JS, polling=50, timeout=30_000)


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    out = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(out), full_page=True)
    return out


def main_text(page) -> str:
    return page.locator("[data-testid='stMain']").inner_text()


def wait_text(page, text: str, selector: str = "[data-testid='stMain']", timeout: float = 30_000) -> None:
    """Wait until `text` is drawn. After a pick or a search, wait_ready can look before a slow rerun has begun, and
    the last run's elements stay on screen until the new run replaces them."""
    expect(page.locator(selector).first).to_contain_text(text, timeout=timeout)


STEADY_JS = """el => {
    const r = el.getBoundingClientRect(), d = el.querySelector("details");
    const now = [r.x, r.y, r.width, r.height, document.documentElement.scrollHeight].join();
    el.__steady = (!d || d.open) && el.__box === now ? (el.__steady || 0) + 1 : 0;
    el.__box = now;
    return el.__steady >= 5;
}"""


def wait_steady(locator, timeout: float = 10_000) -> None:
    """Wait until the element and the page hold their size and place for 250 ms (an <details> inside it open). A
    click while something above it grows (an expander's opening animation, a chart drawn after the run) can press
    on the element and release on another: the click is lost."""
    handle = locator.element_handle(timeout=timeout)
    handle.evaluate("el => { el.__steady = 0; el.__box = null; }")  # count afresh, not from an earlier wait
    locator.page.wait_for_function(STEADY_JS, arg=handle, polling=50, timeout=timeout)


def steady_click(locator, timeout: float = 10_000) -> None:
    locator.scroll_into_view_if_needed(timeout=timeout)
    wait_steady(locator, timeout)
    locator.click(timeout=timeout)


def open_expander(page, label: str, nth: int = 0):
    """Open the `nth` expander whose text holds `label` and wait until its opening animation ends. Returns it."""
    box = page.locator("[data-testid='stExpander']", has_text=label).nth(nth)
    steady_click(box.locator("summary").first)
    wait_steady(box)
    return box


def synthetic_server(root: Path, communes: int):
    """A server on SYNTHETIC data made here (benchmarks/generate.py: `communes` communes x 2 years, labelled
    synthetic), written under `root`, never under data/. Returns (process, base URL); stop it with stop_server."""
    from benchmarks.generate import Scale, national_tables
    from cchc_data.build.main import write_tables

    write_tables(national_tables(Scale(communes=communes, years=2, dimensions=4, criteria=16)), root / "data")
    return start_server(
        {
            "CCHC_DATA_DIR": str(root / "data"),
            "CCHC_STORE_DIR": str(root / "store"),
            "CCHC_DB_CACHE_DIR": str(root / "duckdb"),
        }
    )
