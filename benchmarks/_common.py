"""What the real-server rounds share (benchmarks/browser.py, one server; benchmarks/replicas.py, one per core) and
the real-browser tests (tests/e2e/conftest.py): the `streamlit run serve.py` command (the entry point of `make run`
and deploy/serve.sh), its environment, a free port, the wait for an address to answer 200, and how Chromium starts."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ENTRY = "serve.py"  # the server entry point of `make run` and deploy/serve.sh
CHROMIUM = os.environ.get("CCHC_CHROMIUM", "/usr/bin/chromium")  # Debian's (Playwright cannot download browsers here)
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(data_dir: Path, store: str, base: str, **extra: str) -> dict[str, str]:
    """This process's environment plus the data directory, a store of its own and the public address."""
    return {
        **os.environ,
        "CCHC_DATA_DIR": str(data_dir.resolve()),
        "CCHC_STORE_DIR": store,
        "CCHC_PUBLIC_URL": base,
        **extra,
    }


def start_streamlit(port: int, env: dict[str, str], **popen: Any) -> subprocess.Popen:
    """`streamlit run serve.py` (app.py with the start-up warm-up), headless on 127.0.0.1:`port`; stdout dropped, stderr kept for an exit message."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            ENTRY if (ROOT / ENTRY).exists() else "app.py",  # app.py: a tree from before serve.py (before/after runs)
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        **popen,
    )


def wait_ok(
    url: str, proc: subprocess.Popen, deadline: float, interval: float, exited: Callable[[], str], timed_out: str
) -> None:
    """Poll `url` until it answers 200; RuntimeError(exited()) if `proc` ends first, TimeoutError(timed_out) at
    `deadline` (a perf_counter time)."""
    while time.perf_counter() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(exited())
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(interval)
    raise TimeoutError(timed_out)


def wait_healthy(base: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    """Until `base`'s /_stcore/health answers 200 (a Streamlit server started by start_streamlit)."""
    wait_ok(
        f"{base}/_stcore/health",
        proc,
        time.perf_counter() + timeout,
        0.3,
        lambda: f"streamlit exited early with code {proc.returncode}",
        "streamlit did not become healthy",
    )
